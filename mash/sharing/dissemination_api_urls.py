from django.urls import path

from mash.sharing import dissemination_api as api

urlpatterns = [
    path("dissemination-items/", api.ItemChoicesAPI.as_view(), name="api-dissemination-items"),
    path("dissemination-requests/", api.RequestListCreateAPI.as_view(), name="api-dissemination-requests"),
    path(
        "dissemination-requests/<int:pk>/", api.RequestDetailAPI.as_view(), name="api-dissemination-request"
    ),
    path(
        "dissemination-requests/<int:pk>/items/<int:item_pk>/decision/",
        api.ItemDecisionAPI.as_view(),
        name="api-dissemination-item-decision",
    ),
    path("dissemination-requests/<int:pk>/pdf/", api.RequestPdfAPI.as_view(), name="api-dissemination-pdf"),
]
