from django.urls import path

from training.views import exams, exams_contest

app_name = "exams"

urlpatterns = [
    path("", exams.my_exams, name="mine"),
    path("<int:exam_id>/start/", exams.exam_start, name="start"),
    path("attempts/<int:pk>/", exams.attempt_page, name="attempt"),
    path("attempts/<int:pk>/answer/", exams.attempt_answer, name="answer"),
    path("attempts/<int:pk>/submit/", exams.attempt_submit_view, name="submit"),
    path("attempts/<int:pk>/result/", exams.attempt_result, name="result"),
    path("contest/<int:exam_id>/", exams_contest.contest_page, name="contest"),
]
