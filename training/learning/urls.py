from django.urls import path

from training.learning.views import front, records

app_name = "learning"

urlpatterns = [
    path("", front.my_learning, name="mine"),
    path("enrol/<int:course_id>/", front.enrol, name="enrol"),
    path("heartbeat/", front.heartbeat, name="heartbeat"),
    path("presence/", front.presence, name="presence"),
    path("record/", records.my_record, name="my_record"),
    path("people/<int:pk>/", records.record, name="record"),
    path("people/<int:pk>/record.pdf", records.record_pdf, name="record_pdf"),
    path("enterprise/", records.enterprise_status, name="enterprise_status"),
]
