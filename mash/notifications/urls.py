from django.urls import path

from mash.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("read-all/", views.MarkAllReadView.as_view(), name="read_all"),
    path("<int:pk>/open/", views.OpenNotificationView.as_view(), name="open"),
    path("failed/", views.FailedNotificationsView.as_view(), name="failed"),
]
