from django.urls import path

from dossiers.enterprise import views as enterprise
from dossiers.person import views as person

app_name = "dossiers"

urlpatterns = [
    path("me/", person.mine, name="mine"),
    path("people/<int:pk>/", person.person_file, name="person"),
    path("people/<int:pk>/file.pdf", person.person_file_pdf, name="person_pdf"),
    path("enterprises/<int:pk>/", enterprise.enterprise_file, name="enterprise"),
    path(
        "enterprises/<int:pk>/<int:year>/file.pdf",
        enterprise.enterprise_file_pdf,
        name="enterprise_pdf",
    ),
]
