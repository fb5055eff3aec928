from django.urls import path

from dossiers.archive import views as archive
from dossiers.person import views as person

app_name = "dossiers"

urlpatterns = [
    path("me/", person.mine, name="mine"),
    path("people/<int:pk>/", person.person_file, name="person"),
    path("people/<int:pk>/file.pdf", person.person_file_pdf, name="person_pdf"),
    path(
        "archive/<str:kind>/<int:pk>/<int:year>/file.pdf",
        archive.archived_file_pdf,
        name="archived_file",
    ),
]
