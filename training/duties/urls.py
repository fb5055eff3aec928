"""Front-office pages of the principals' duties (namespace "duties")."""

from django.urls import path

from training.duties import views

app_name = "duties"

urlpatterns = [
    path("", views.duties_home, name="home"),
    path("bulletin.pdf", views.duties_bulletin, name="bulletin"),
    path("principals/<int:person_pk>/checklist/", views.checklist_start, name="checklist_start"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist"),
    path("evidence/<int:pk>/", views.checklist_evidence, name="checklist_evidence"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("hazards/<int:pk>/close/", views.hazard_close_view, name="hazard_close"),
    path("hazards/<int:pk>/accept/", views.hazard_accept_view, name="hazard_accept"),
    path("hazards/<int:pk>/evidence/", views.hazard_evidence, name="hazard_evidence"),
]
