"""Pages: the decision makers' queue, the threshold decision, convening, the discussion page (usable
during the meeting), and 'my actions'. Views are thin: a form, one service, a redirect."""

from strategy.views.discussion import DiscussionListView, DiscussionView
from strategy.views.discussion_actions import (
    ActionAddView,
    AddendumView,
    AttendanceView,
    CancelView,
    DecisionsView,
    FindingView,
    InviteView,
    RecordView,
    RescheduleView,
    SignOffView,
    UninviteView,
)
from strategy.views.my_actions import CompleteActionView, MyActionsView
from strategy.views.queue import ConveneView, QueueView, ThresholdView

__all__ = [
    "ActionAddView",
    "AddendumView",
    "AttendanceView",
    "CancelView",
    "CompleteActionView",
    "ConveneView",
    "DecisionsView",
    "DiscussionListView",
    "DiscussionView",
    "FindingView",
    "InviteView",
    "MyActionsView",
    "QueueView",
    "RecordView",
    "RescheduleView",
    "SignOffView",
    "ThresholdView",
    "UninviteView",
]
