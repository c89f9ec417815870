from django.urls import path

from mash.sharing import api

urlpatterns = [
    path("governance/trail/users/<int:pk>/", api.UserTrailAPI.as_view(), name="api-user-trail"),
    path(
        "governance/trail/records/<int:content_type_id>/<str:object_id>/",
        api.RecordTrailAPI.as_view(),
        name="api-record-trail",
    ),
]
