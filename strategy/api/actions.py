"""'My actions': the actions of strategy discussions given to the user or to their agency."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

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


class ActionCompleteAPI(APIView):
    @extend_schema(
        summary="Mark the action done",
        request=ActionCompleteSerializer,
        responses=StrategyActionRowSerializer,
    )
    def post(self, request, pk: int):
        action = selectors.action_get_for(request.user, pk)
        data = ActionCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.action_complete(action=action, by=request.user, **data.validated_data)
        return Response(StrategyActionRowSerializer(action).data)
