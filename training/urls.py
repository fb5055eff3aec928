from django.urls import path

from training.views import learning, records

app_name = "learning"

urlpatterns = [
    path("", learning.my_learning, name="mine"),
    path("enrol/<int:course_id>/", learning.enrol, name="enrol"),
    path("heartbeat/", learning.heartbeat, name="heartbeat"),
    path("presence/", learning.presence, name="presence"),
    path("record/", records.my_record, name="my_record"),
    path("people/<int:pk>/", records.record, name="record"),
    path("people/<int:pk>/record.pdf", records.record_pdf, name="record_pdf"),
    path("enterprise/", records.enterprise_status, name="enterprise_status"),
]
