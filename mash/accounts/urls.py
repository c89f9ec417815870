from django.urls import path

from mash.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/verify/", views.VerifyView.as_view(), name="verify"),
    path("login/enrol/", views.EnrolView.as_view(), name="enrol"),
    path("login/recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
    path("session/status/", views.session_status, name="session_status"),
    path("governance/sign-in-events/", views.SignInEventListView.as_view(), name="sign_in_events"),
]
