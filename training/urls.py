from django.urls import path

from training.views import learning

app_name = "learning"

urlpatterns = [
    path("heartbeat/", learning.heartbeat, name="heartbeat"),
    path("presence/", learning.presence, name="presence"),
]
