"""The information requests' pages, in the referrals app's namespace (included by referrals/urls.py)."""

from django.urls import path

from referrals.requests import views

urlpatterns = [
    path("<int:pk>/ask/", views.AskAgenciesView.as_view(), name="ask"),
    path("<int:pk>/collation/", views.CollationView.as_view(), name="collation"),
    path("requests/", views.InboxView.as_view(), name="agency_inbox"),
    path("requests/<int:pk>/", views.RequestView.as_view(), name="request"),
    path("requests/<int:pk>/claim/", views.ClaimView.as_view(), name="request_claim"),
    path("requests/<int:pk>/entries/", views.EntryView.as_view(), name="request_entry"),
    path("requests/<int:pk>/entries/remove/", views.RemoveEntryView.as_view(), name="request_entry_remove"),
    path("requests/<int:pk>/submit/", views.SubmitView.as_view(), name="request_submit"),
    path("requests/<int:pk>/addendum/", views.AddendumView.as_view(), name="request_addendum"),
    path("requests/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="request_withdraw"),
]
