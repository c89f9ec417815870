from django.urls import path

from missing_persons.api import dashboard, episodes, imports

urlpatterns = [
    path("missing-episodes/", episodes.EpisodeListCreateAPI.as_view(), name="api-missing-episodes"),
    path("missing-episodes/<int:pk>/", episodes.EpisodeDetailAPI.as_view(), name="api-missing-episode"),
    path(
        "missing-episodes/<int:pk>/regrade/",
        episodes.RegradeAPI.as_view(),
        name="api-missing-episode-regrade",
    ),
    path(
        "missing-episodes/<int:pk>/update/", episodes.UpdateAPI.as_view(), name="api-missing-episode-update"
    ),
    path(
        "missing-episodes/<int:pk>/return/", episodes.ReturnAPI.as_view(), name="api-missing-episode-return"
    ),
    path("missing-episodes/<int:pk>/close/", episodes.CloseAPI.as_view(), name="api-missing-episode-close"),
    path(
        "missing-episodes/<int:pk>/interview/",
        episodes.InterviewAPI.as_view(),
        name="api-missing-episode-interview",
    ),
    path("missing-persons-dashboard/", dashboard.DashboardAPI.as_view(), name="api-missing-dashboard"),
    path("repeat-flags/", dashboard.FlagListAPI.as_view(), name="api-repeat-flags"),
    path("repeat-flags/<int:pk>/refer/", dashboard.FlagReferAPI.as_view(), name="api-repeat-flag-refer"),
    path(
        "repeat-flags/<int:pk>/dismiss/", dashboard.FlagDismissAPI.as_view(), name="api-repeat-flag-dismiss"
    ),
    path("missing-imports/", imports.ImportListCreateAPI.as_view(), name="api-missing-imports"),
    path("missing-imports/preview/", imports.ImportPreviewAPI.as_view(), name="api-missing-imports-preview"),
]
