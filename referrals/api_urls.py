from django.urls import path

from referrals import api

urlpatterns = [
    path("referrals/", api.ReferralListCreateAPI.as_view(), name="api-referrals"),
    path("referrals/<int:pk>/", api.ReferralDetailAPI.as_view(), name="api-referral"),
    path(
        "referrals/<int:pk>/transitions/", api.ReferralTransitionAPI.as_view(), name="api-referral-transition"
    ),
    path("referrals/<int:pk>/rag/", api.ReferralRateAPI.as_view(), name="api-referral-rag"),
    path("referrals/<int:pk>/outcome/", api.ReferralOutcomeAPI.as_view(), name="api-referral-outcome"),
    path("referrals/<int:pk>/close/", api.ReferralCloseAPI.as_view(), name="api-referral-close"),
    path("referrals/<int:pk>/reopen/", api.ReferralReopenAPI.as_view(), name="api-referral-reopen"),
    path("referrals/<int:pk>/assign/", api.ReferralAssignAPI.as_view(), name="api-referral-assign"),
    path("consultations/", api.ConsultationListCreateAPI.as_view(), name="api-consultations"),
    path("consultations/<int:pk>/", api.ConsultationDetailAPI.as_view(), name="api-consultation"),
    path(
        "consultations/<int:pk>/convert/",
        api.ConsultationConvertAPI.as_view(),
        name="api-consultation-convert",
    ),
]
