"""'My actions': the actions of strategy discussions given to the user or to their agency."""

from rest_framework.response import Response

from mash.common.actions import RecordActionAPI
from mash.common.lists import SelectorListAPI
from strategy import selectors, services
from strategy.api.inputs import ActionCompleteSerializer, ActionFilterSerializer
from strategy.api.output import StrategyActionRowSerializer
from strategy.models import Action


class ActionListAPI(SelectorListAPI):
    """Open actions first, by due date. ``everyone`` is honoured for the lead agency's case workers only;
    anyone else gets their own."""

    serializer_class = StrategyActionRowSerializer

    model, selector = Action, selectors.actions_for
    summary, filter_class = "My actions", ActionFilterSerializer

    def select(self, user, **filters):
        # A row's columns only (StrategyActionRowSerializer): not the discussion's and the referral's texts.
        return super().select(user, **filters).select_related("completed_by").only(*selectors.ACTION_API_ROW)


class ActionCompleteAPI(RecordActionAPI):
    summary, serializer_class = "Mark the action done", ActionCompleteSerializer
    service = services.action_complete
    record_name, output, conflict = "action", StrategyActionRowSerializer, None  # an action has no version

    def get_record(self, request, pk):
        return selectors.action_get_for(request.user, pk)

    def respond(self, request, action, result):
        return Response(StrategyActionRowSerializer(result).data)
