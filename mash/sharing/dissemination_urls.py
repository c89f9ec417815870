"""The pages of the requests to share outside the MASH (under /governance/, in the 'sharing' namespace)."""

from django.urls import path

from mash.sharing import views_dissemination as views

urlpatterns = [
    path(
        "share/<int:content_type_id>/<str:object_id>/",
        views.DisseminationRequestCreateView.as_view(),
        name="dissemination_new",
    ),
    path(
        "dissemination-requests/", views.DisseminationRequestListView.as_view(), name="dissemination_requests"
    ),
    path(
        "dissemination-requests/<int:pk>/",
        views.DisseminationRequestView.as_view(),
        name="dissemination_request",
    ),
    path(
        "dissemination-requests/<int:pk>/cancel/",
        views.DisseminationCancelView.as_view(),
        name="dissemination_cancel",
    ),
    path(
        "dissemination-requests/<int:pk>/pdf/", views.DisseminationPdfView.as_view(), name="dissemination_pdf"
    ),
]
