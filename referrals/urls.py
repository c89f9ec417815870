from django.urls import path

from referrals import request_views, views

app_name = "referrals"
urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("new/", views.IntakeView.as_view(), name="intake"),
    path("new/subject-row/", views.SubjectRowView.as_view(), name="subject_row"),
    path("new/subject-matches/", views.SubjectMatchView.as_view(), name="subject_matches"),
    path("<int:pk>/", views.ReferralDetailView.as_view(), name="detail"),
    path("<int:pk>/rate/", views.RateView.as_view(), name="rate"),
    path("<int:pk>/move/", views.TransitionView.as_view(), name="transition"),
    path("<int:pk>/outcome/", views.OutcomeView.as_view(), name="outcome"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="reopen"),
    path("<int:pk>/assign-to-me/", views.AssignToMeView.as_view(), name="assign_to_me"),
    path("<int:pk>/ask/", request_views.AskAgenciesView.as_view(), name="ask"),
    path("<int:pk>/collation/", request_views.CollationView.as_view(), name="collation"),
    path("requests/", request_views.InboxView.as_view(), name="agency_inbox"),
    path("requests/<int:pk>/", request_views.RequestView.as_view(), name="request"),
    path(
        "requests/<int:pk>/claim/",
        request_views.RequestActionView.as_view(action="claim"),
        name="request_claim",
    ),
    path(
        "requests/<int:pk>/entries/",
        request_views.RequestActionView.as_view(action="entry"),
        name="request_entry",
    ),
    path(
        "requests/<int:pk>/entries/remove/",
        request_views.RequestActionView.as_view(action="remove"),
        name="request_entry_remove",
    ),
    path(
        "requests/<int:pk>/submit/",
        request_views.RequestActionView.as_view(action="submit"),
        name="request_submit",
    ),
    path(
        "requests/<int:pk>/addendum/",
        request_views.RequestActionView.as_view(action="addendum"),
        name="request_addendum",
    ),
    path(
        "requests/<int:pk>/withdraw/",
        request_views.RequestActionView.as_view(action="withdraw"),
        name="request_withdraw",
    ),
    path("consultations/", views.ConsultationListView.as_view(), name="consultations"),
    path("consultations/new/", views.ConsultationCreateView.as_view(), name="consultation_create"),
    path("consultations/<int:pk>/", views.ConsultationDetailView.as_view(), name="consultation"),
    path(
        "consultations/<int:pk>/convert/",
        views.ConsultationConvertView.as_view(),
        name="consultation_convert",
    ),
]
