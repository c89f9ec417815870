from django.urls import path

from strategy import views

app_name = "strategy"
urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("referrals/<int:pk>/threshold/", views.ThresholdView.as_view(), name="threshold"),
    path("referrals/<int:pk>/convene/", views.ConveneView.as_view(), name="convene"),
    path("discussions/", views.DiscussionListView.as_view(), name="discussions"),
    path("discussions/<int:pk>/", views.DiscussionView.as_view(), name="discussion"),
    path("discussions/<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("discussions/<int:pk>/record/", views.RecordView.as_view(), name="record"),
    path("discussions/<int:pk>/decisions/", views.DecisionsView.as_view(), name="decisions"),
    path("discussions/<int:pk>/actions/", views.ActionAddView.as_view(), name="action_add"),
    path("discussions/<int:pk>/reschedule/", views.RescheduleView.as_view(), name="reschedule"),
    path("discussions/<int:pk>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("discussions/<int:pk>/invite/", views.InviteView.as_view(), name="invite"),
    path(
        "discussions/<int:pk>/invitations/<int:invitation_pk>/remove/",
        views.UninviteView.as_view(),
        name="uninvite",
    ),
    path("discussions/<int:pk>/sign-off/", views.SignOffView.as_view(), name="sign_off"),
    path("discussions/<int:pk>/addenda/", views.AddendumView.as_view(), name="addendum"),
    path(
        "discussions/<int:pk>/decisions/<int:decision_pk>/finding/",
        views.FindingView.as_view(),
        name="finding",
    ),
    path("actions/", views.MyActionsView.as_view(), name="actions"),
    path("actions/<int:pk>/complete/", views.CompleteActionView.as_view(), name="action_complete"),
]
