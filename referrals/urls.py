from django.urls import include, path

from referrals import consultation_views, views

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
    path("", include("referrals.requests.urls")),
    path("consultations/", consultation_views.ConsultationListView.as_view(), name="consultations"),
    path(
        "consultations/new/", consultation_views.ConsultationCreateView.as_view(), name="consultation_create"
    ),
    path("consultations/<int:pk>/", consultation_views.ConsultationDetailView.as_view(), name="consultation"),
    path(
        "consultations/<int:pk>/convert/",
        consultation_views.ConsultationConvertView.as_view(),
        name="consultation_convert",
    ),
]
