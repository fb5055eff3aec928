from django.urls import path

from directory.relations import views as relations
from directory.views import front, notifications

app_name = "directory"

urlpatterns = [
    path("me/", front.my_page, name="my_page"),
    path("me/data/", front.my_data_page, name="my_data_page"),
    path("me/data.json", front.my_data, name="my_data"),
    path("me/data.xlsx", front.my_data_xlsx, name="my_data_xlsx"),
    path("me/messages/", notifications.notification_list, name="notifications"),
    path("me/messages/<int:pk>/", notifications.notification_open, name="notification_open"),
    path("me/messages/read/", notifications.notification_read_all, name="notifications_read_all"),
    path("enterprise/related/", relations.related_units, name="related_units"),
    path("enterprise/related/relations/<int:pk>/end/", relations.relation_end, name="relation_end"),
    path(
        "enterprise/related/attachments/<int:pk>/end/",
        relations.attachment_end,
        name="attachment_end",
    ),
]
