from django.urls import path

from directory.views import front

app_name = "directory"

urlpatterns = [
    path("me/", front.my_page, name="my_page"),
]
