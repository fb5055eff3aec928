from django.urls import path

from training.exams.views import contest, front

app_name = "exams"

urlpatterns = [
    path("", front.my_exams, name="mine"),
    path("<int:exam_id>/start/", front.exam_start, name="start"),
    path("attempts/<int:pk>/", front.attempt_page, name="attempt"),
    path("attempts/<int:pk>/answer/", front.attempt_answer, name="answer"),
    path("attempts/<int:pk>/submit/", front.attempt_submit_view, name="submit"),
    path("attempts/<int:pk>/result/", front.attempt_result, name="result"),
    path("contest/<int:exam_id>/", contest.contest_page, name="contest"),
]
