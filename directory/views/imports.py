"""Back-office import views (upload, dry-run report, confirm, templates): being written."""

urlpatterns: list = []
