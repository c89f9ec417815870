from django.urls import path, re_path

from mash.measures.api import DashboardAPI
from mash.measures.inspection_api import InspectionListAPI
from mash.measures.registry import DASHBOARDS

urlpatterns = [
    # Before the dashboards' pattern: 'inspection' is not a dashboard.
    path("measures/inspection/<slug:key>/", InspectionListAPI.as_view(), name="api-measures-inspection"),
    re_path(
        rf"^measures/(?P<key>{'|'.join(DASHBOARDS)})/$", DashboardAPI.as_view(), name="api-measures-dashboard"
    ),
]
