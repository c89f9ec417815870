"""'My actions': the actions of strategy discussions given to the user or to their agency."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from mash.common.actions import RecordActionAPI
from strategy import selectors, services
from strategy.api.inputs import ActionCompleteSerializer, ActionFilterSerializer
from strategy.api.output import StrategyActionRowSerializer
from strategy.models import Action


class ActionListAPI(generics.ListAPIView):
    """Open actions first, by due date. ``everyone`` is honoured for the lead agency's case workers only;
    anyone else gets their own."""

    serializer_class = StrategyActionRowSerializer

    @extend_schema(summary="My actions", parameters=[ActionFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return Action.objects.none()
        query = ActionFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.actions_for(self.request.user, **query.validated_data).select_related("completed_by")


class ActionCompleteAPI(RecordActionAPI):
    summary, serializer_class = "Mark the action done", ActionCompleteSerializer
    service = services.action_complete
    record_name, output, conflict = "action", StrategyActionRowSerializer, None  # an action has no version

    def get_record(self, request, pk):
        return selectors.action_get_for(request.user, pk)

    def respond(self, request, action, result):
        return Response(StrategyActionRowSerializer(result).data)
