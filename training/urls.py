from django.urls import path

from training.views import learning

app_name = "learning"

urlpatterns = [
    path("", learning.my_learning, name="mine"),
    path("enrol/<int:course_id>/", learning.enrol, name="enrol"),
    path("heartbeat/", learning.heartbeat, name="heartbeat"),
    path("presence/", learning.presence, name="presence"),
]
