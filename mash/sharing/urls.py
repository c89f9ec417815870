from django.urls import path

from mash.sharing import views

app_name = "sharing"
urlpatterns = [
    path(
        "break-glass/<int:content_type_id>/<str:object_id>/",
        views.BreakGlassView.as_view(),
        name="break_glass",
    ),
    path("access-log/", views.AccessLogView.as_view(), name="access_log"),
    path("break-glass-reviews/", views.BreakGlassReviewListView.as_view(), name="break_glass_reviews"),
    path("break-glass-reviews/<int:pk>/", views.BreakGlassReviewView.as_view(), name="break_glass_review"),
    path("disseminations/", views.DisseminationListView.as_view(), name="disseminations"),
]
