from django.urls import path

from mash.subject_access import api

urlpatterns = [
    path("subject-access-requests/", api.RequestListCreateAPI.as_view(), name="api-subject-access-requests"),
    path(
        "subject-access-requests/<int:pk>/", api.RequestDetailAPI.as_view(), name="api-subject-access-request"
    ),
    path(
        "subject-access-requests/<int:pk>/verification/",
        api.VerifyAPI.as_view(),
        name="api-subject-access-request-verification",
    ),
    path(
        "subject-access-requests/<int:pk>/compilation/",
        api.CompileAPI.as_view(),
        name="api-subject-access-request-compilation",
    ),
    path(
        "subject-access-requests/<int:pk>/items/<int:item_id>/decision/",
        api.DecideAPI.as_view(),
        name="api-subject-access-item-decision",
    ),
    path(
        "subject-access-requests/<int:pk>/bundle/", api.BundleAPI.as_view(), name="api-subject-access-bundle"
    ),
]
