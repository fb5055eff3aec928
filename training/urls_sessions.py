from django.urls import path

from training.views import sessions_front

app_name = "sessions"

urlpatterns = [
    path("", sessions_front.my_sessions, name="mine"),
]
