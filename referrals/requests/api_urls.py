from django.urls import path

from referrals.requests.api import views as api

urlpatterns = [
    path("information-requests/", api.InboxAPI.as_view(), name="api-information-requests"),
    path("information-requests/<int:pk>/", api.RequestDetailAPI.as_view(), name="api-information-request"),
    path(
        "information-requests/<int:pk>/claim/",
        api.RequestClaimAPI.as_view(),
        name="api-information-request-claim",
    ),
    path(
        "information-requests/<int:pk>/entries/",
        api.EntryCreateAPI.as_view(),
        name="api-information-request-entries",
    ),
    path(
        "information-requests/<int:pk>/entries/<int:entry_id>/",
        api.EntryDeleteAPI.as_view(),
        name="api-information-request-entry",
    ),
    path(
        "information-requests/<int:pk>/submit/",
        api.RequestSubmitAPI.as_view(),
        name="api-information-request-submit",
    ),
    path(
        "information-requests/<int:pk>/addendum/",
        api.AddendumAPI.as_view(),
        name="api-information-request-addendum",
    ),
    path(
        "information-requests/<int:pk>/withdraw/",
        api.RequestWithdrawAPI.as_view(),
        name="api-information-request-withdraw",
    ),
    path(
        "referrals/<int:pk>/information-requests/",
        api.ReferralRequestsSendAPI.as_view(),
        name="api-referral-information-requests",
    ),
    path("referrals/<int:pk>/collation/", api.ReferralCollationAPI.as_view(), name="api-referral-collation"),
]
