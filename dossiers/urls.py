from django.urls import path

from dossiers.archive import views as archive
from dossiers.batch import views as batch
from dossiers.enterprise import views as enterprise
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
    path("batches/", batch.batch_list, name="batches"),
    path("batches/new/", batch.batch_new, name="batch_new"),
    path("batches/<int:pk>/", batch.batch_detail, name="batch"),
    path("batches/<int:pk>/progress/", batch.batch_progress, name="batch_progress"),
    path("batches/<int:pk>/retry/", batch.batch_retry, name="batch_retry"),
    path("batches/<int:pk>/download/", batch.batch_download, name="batch_download"),
    path("enterprises/<int:pk>/", enterprise.enterprise_file, name="enterprise"),
    path(
        "enterprises/<int:pk>/<int:year>/file.pdf",
        enterprise.enterprise_file_pdf,
        name="enterprise_pdf",
    ),
    path(
        "enterprises/<int:pk>/<int:year>/print/",
        enterprise.enterprise_file_print,
        name="enterprise_print",
    ),
]
