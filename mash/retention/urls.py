from django.urls import path

from mash.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("holds/", views.HoldsView.as_view(), name="holds"),
    # A record by its type and id, as the break-glass offer names it (mash/sharing/urls.py).
    path("records/<int:content_type_id>/<int:object_id>/", views.RecordView.as_view(), name="record"),
    path(
        "records/<int:content_type_id>/<int:object_id>/hold/",
        views.RecordHoldView.as_view(),
        name="record_hold",
    ),
]
