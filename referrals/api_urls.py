from django.urls import path

from referrals.api import views

urlpatterns = [
    path("referrals/", views.ReferralListCreateAPI.as_view(), name="api-referrals"),
    path("referrals/<int:pk>/", views.ReferralDetailAPI.as_view(), name="api-referral"),
    path(
        "referrals/<int:pk>/transitions/",
        views.ReferralTransitionAPI.as_view(),
        name="api-referral-transition",
    ),
    path("referrals/<int:pk>/rag/", views.ReferralRateAPI.as_view(), name="api-referral-rag"),
    path("referrals/<int:pk>/outcome/", views.ReferralOutcomeAPI.as_view(), name="api-referral-outcome"),
    path("referrals/<int:pk>/close/", views.ReferralCloseAPI.as_view(), name="api-referral-close"),
    path("referrals/<int:pk>/reopen/", views.ReferralReopenAPI.as_view(), name="api-referral-reopen"),
    path("referrals/<int:pk>/assign/", views.ReferralAssignAPI.as_view(), name="api-referral-assign"),
    path("consultations/", views.ConsultationListCreateAPI.as_view(), name="api-consultations"),
    path("consultations/<int:pk>/", views.ConsultationDetailAPI.as_view(), name="api-consultation"),
    path(
        "consultations/<int:pk>/convert/",
        views.ConsultationConvertAPI.as_view(),
        name="api-consultation-convert",
    ),
]
