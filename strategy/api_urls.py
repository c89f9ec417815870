from django.urls import path

from strategy.api import actions, discussions, threshold

urlpatterns = [
    path("strategy/threshold-queue/", threshold.ThresholdQueueAPI.as_view(), name="api-threshold-queue"),
    path("threshold-decisions/", threshold.ThresholdListCreateAPI.as_view(), name="api-threshold-decisions"),
    path(
        "threshold-decisions/<int:pk>/", threshold.ThresholdDetailAPI.as_view(), name="api-threshold-decision"
    ),
    path(
        "strategy-discussions/",
        discussions.DiscussionListCreateAPI.as_view(),
        name="api-strategy-discussions",
    ),
    path(
        "strategy-discussions/<int:pk>/",
        discussions.DiscussionDetailAPI.as_view(),
        name="api-strategy-discussion",
    ),
    path(
        "strategy-discussions/<int:pk>/reschedule/",
        discussions.RescheduleAPI.as_view(),
        name="api-strategy-discussion-reschedule",
    ),
    path(
        "strategy-discussions/<int:pk>/cancel/",
        discussions.CancelAPI.as_view(),
        name="api-strategy-discussion-cancel",
    ),
    path(
        "strategy-discussions/<int:pk>/invitations/",
        discussions.InvitationsAddAPI.as_view(),
        name="api-strategy-discussion-invitations",
    ),
    path(
        "strategy-discussions/<int:pk>/invitations/<int:invitation_id>/remove/",
        discussions.InvitationRemoveAPI.as_view(),
        name="api-strategy-discussion-invitation-remove",
    ),
    path(
        "strategy-discussions/<int:pk>/considered/",
        discussions.ConsideredAPI.as_view(),
        name="api-strategy-discussion-considered",
    ),
    path(
        "strategy-discussions/<int:pk>/attendance/",
        discussions.AttendanceAPI.as_view(),
        name="api-strategy-discussion-attendance",
    ),
    path(
        "strategy-discussions/<int:pk>/record/",
        discussions.RecordAPI.as_view(),
        name="api-strategy-discussion-record",
    ),
    path(
        "strategy-discussions/<int:pk>/decisions/",
        discussions.DecisionsAPI.as_view(),
        name="api-strategy-discussion-decisions",
    ),
    path(
        "strategy-discussions/<int:pk>/decisions/<int:decision_id>/finding/",
        discussions.FindingAPI.as_view(),
        name="api-strategy-discussion-finding",
    ),
    path(
        "strategy-discussions/<int:pk>/actions/",
        discussions.ActionAddAPI.as_view(),
        name="api-strategy-discussion-actions",
    ),
    path(
        "strategy-discussions/<int:pk>/sign-off/",
        discussions.SignOffAPI.as_view(),
        name="api-strategy-discussion-sign-off",
    ),
    path(
        "strategy-discussions/<int:pk>/addenda/",
        discussions.AddendumAddAPI.as_view(),
        name="api-strategy-discussion-addenda",
    ),
    path("strategy-actions/", actions.ActionListAPI.as_view(), name="api-strategy-actions"),
    path(
        "strategy-actions/<int:pk>/complete/",
        actions.ActionCompleteAPI.as_view(),
        name="api-strategy-action-complete",
    ),
]
