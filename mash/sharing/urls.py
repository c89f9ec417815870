from django.urls import path

from mash.sharing import trail_views, views
from mash.sharing.dissemination_urls import urlpatterns as dissemination_urlpatterns

app_name = "sharing"
urlpatterns = [
    path("", trail_views.GovernanceHomeView.as_view(), name="governance"),
    path(
        "break-glass/<int:content_type_id>/<str:object_id>/",
        views.BreakGlassView.as_view(),
        name="break_glass",
    ),
    path("access-log/", views.AccessLogView.as_view(), name="access_log"),
    path("break-glass-reviews/", views.BreakGlassReviewListView.as_view(), name="break_glass_reviews"),
    path("break-glass-reviews/<int:pk>/", views.BreakGlassReviewView.as_view(), name="break_glass_review"),
    path("disseminations/", views.DisseminationListView.as_view(), name="disseminations"),
    path("trail/users/", trail_views.TrailUsersView.as_view(), name="trail_users"),
    path("trail/users/<int:user_id>/", trail_views.UserTrailView.as_view(), name="user_trail"),
    path("trail/records/", trail_views.RecordFindView.as_view(), name="trail_records"),
    path(
        "trail/records/<int:content_type_id>/<str:object_id>/",
        trail_views.RecordTrailView.as_view(),
        name="record_trail",
    ),
]

urlpatterns += dissemination_urlpatterns
