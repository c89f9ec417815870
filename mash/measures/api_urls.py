from django.urls import re_path

from mash.measures.api import DashboardAPI
from mash.measures.registry import DASHBOARDS

urlpatterns = [
    re_path(
        rf"^measures/(?P<key>{'|'.join(DASHBOARDS)})/$", DashboardAPI.as_view(), name="api-measures-dashboard"
    ),
]
