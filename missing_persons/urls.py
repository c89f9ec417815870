from django.urls import path

from missing_persons import views

app_name = "missing_persons"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("episodes/", views.EpisodeListView.as_view(), name="episodes"),
    path("episodes/new/", views.EpisodeCreateView.as_view(), name="episode_new"),
    path("episodes/<int:pk>/", views.EpisodeView.as_view(), name="episode"),
    path("episodes/<int:pk>/regrade/", views.RegradeView.as_view(), name="regrade"),
    path("episodes/<int:pk>/update/", views.UpdateView.as_view(), name="update"),
    path("episodes/<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("episodes/<int:pk>/interview/", views.InterviewView.as_view(), name="interview"),
    path("episodes/<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/sample.csv", views.SampleView.as_view(), name="sample"),
    path("flags/<int:pk>/refer/", views.FlagReferView.as_view(), name="flag_refer"),
    path("flags/<int:pk>/dismiss/", views.FlagDismissView.as_view(), name="flag_dismiss"),
]
