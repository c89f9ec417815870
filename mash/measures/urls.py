from django.urls import path, re_path

from mash.measures import inspection_views, views

app_name = "measures"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("records/<slug:measure_key>/", views.DrillView.as_view(), name="drill"),
    # Before the dashboards' pattern: 'inspection' is not a dashboard.
    path("inspection/", inspection_views.InspectionHomeView.as_view(), name="inspection"),
    path("inspection/<slug:key>/", inspection_views.InspectionListView.as_view(), name="inspection_list"),
    path("<slug:key>/", views.DashboardView.as_view(), name="dashboard"),
    re_path(
        r"^(?P<key>[-\w]+)/tables/(?P<table_key>[-\w]+)\.(?P<fmt>csv|xlsx)$",
        views.TableDownloadView.as_view(),
        name="download",
    ),
]
