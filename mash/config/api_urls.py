from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from mash.agencies.api import AgencyListAPI, MeAPI
from mash.notifications.api import InboxAPI, MarkReadAPI
from mash.people.api import PersonChronologyAPI, PersonDetailAPI, PersonListCreateAPI, PersonMatchAPI

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("me/", MeAPI.as_view(), name="api-me"),
    path("agencies/", AgencyListAPI.as_view(), name="api-agencies"),
    path("notifications/", InboxAPI.as_view(), name="api-notifications"),
    path("notifications/read/", MarkReadAPI.as_view(), name="api-notifications-read"),
    path("people/", PersonListCreateAPI.as_view(), name="api-people"),
    path("people/match/", PersonMatchAPI.as_view(), name="api-people-match"),
    path("people/<int:pk>/", PersonDetailAPI.as_view(), name="api-person"),
    path("", include("mash.subject_access.api_urls")),
    path("", include("mash.sharing.dissemination_api_urls")),
    path("people/<int:pk>/chronology/", PersonChronologyAPI.as_view(), name="api-person-chronology"),
    path("", include("referrals.api_urls")),
    path("", include("referrals.requests.api_urls")),
    path("", include("strategy.api_urls")),
    path("", include("disclosures.api_urls")),
    path("", include("missing_persons.api_urls")),
    path("", include("mash.retention.api_urls")),
    path("", include("mash.sharing.api_urls")),
    path("", include("mash.measures.api_urls")),
]
