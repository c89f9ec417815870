"""The information requests' pages, in the referrals app's namespace (included by referrals/urls.py)."""

from django.urls import path

from referrals.requests import views

urlpatterns = [
    path("<int:pk>/ask/", views.AskAgenciesView.as_view(), name="ask"),
    path("<int:pk>/collation/", views.CollationView.as_view(), name="collation"),
    path("requests/", views.InboxView.as_view(), name="agency_inbox"),
    path("requests/<int:pk>/", views.RequestView.as_view(), name="request"),
    path(
        "requests/<int:pk>/claim/",
        views.RequestActionView.as_view(action="claim"),
        name="request_claim",
    ),
    path(
        "requests/<int:pk>/entries/",
        views.RequestActionView.as_view(action="entry"),
        name="request_entry",
    ),
    path(
        "requests/<int:pk>/entries/remove/",
        views.RequestActionView.as_view(action="remove"),
        name="request_entry_remove",
    ),
    path(
        "requests/<int:pk>/submit/",
        views.RequestActionView.as_view(action="submit"),
        name="request_submit",
    ),
    path(
        "requests/<int:pk>/addendum/",
        views.RequestActionView.as_view(action="addendum"),
        name="request_addendum",
    ),
    path(
        "requests/<int:pk>/withdraw/",
        views.RequestActionView.as_view(action="withdraw"),
        name="request_withdraw",
    ),
]
