"""The data administrator's dashboard and the repeat-missing flags."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.agencies.selectors import actor_for
from mash.common.lists import SelectorListAPI
from missing_persons import policy, selectors, services
from missing_persons.api import inputs
from missing_persons.api.output import DashboardSerializer, FlagReferredSerializer, RepeatFlagSerializer
from missing_persons.models import RepeatFlag

DASHBOARD_ROWS = 100  # each part: a dashboard, not an export


def _sees_all(request) -> None:
    if not policy.sees_all_episodes(actor_for(request.user)):
        raise PermissionDenied("Only the police and the lead agency's case workers see missing persons.")


class DashboardAPI(APIView):
    @extend_schema(
        summary="Open episodes by risk, interviews due, repeat flags (the police and the lead agency)",
        responses=DashboardSerializer,
    )
    def get(self, request):
        _sees_all(request)
        user = request.user
        # Each part reads the columns its rows show (selectors.OPEN_EPISODE_ROW, INTERVIEW_ROW).
        parts = {
            "open_by_risk": selectors.open_by_risk(user).only(*selectors.OPEN_EPISODE_ROW)[:DASHBOARD_ROWS],
            "interviews_due": selectors.interviews_due(user).only(*selectors.INTERVIEW_ROW)[:DASHBOARD_ROWS],
            "repeat_flags": selectors.open_flags(user)[:DASHBOARD_ROWS],
        }
        return Response(DashboardSerializer(parts).data)


class FlagListAPI(SelectorListAPI):
    """Repeat-missing flags still to act on, the oldest first."""

    serializer_class = RepeatFlagSerializer

    model, selector = RepeatFlag, selectors.open_flags
    summary = "Repeat-missing flags to act on, the oldest first"


class FlagReferAPI(APIView):
    @extend_schema(
        summary="Open a police notification referral with the flag's episodes attached (one click)",
        request=inputs.FlagReferSerializer,
        responses={201: FlagReferredSerializer},
    )
    def post(self, request, pk: int):
        flag = selectors.flag_get_for(request.user, pk, request=request)
        data = inputs.FlagReferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.flag_refer(flag=flag, by=request.user, **data.validated_data)
        flag.refresh_from_db()
        return Response(FlagReferredSerializer({"flag": flag, "referral": referral}).data, status=201)


class FlagDismissAPI(APIView):
    @extend_schema(
        summary="Dismiss the flag: no referral needed, and why",
        request=inputs.FlagDismissSerializer,
        responses=RepeatFlagSerializer,
    )
    def post(self, request, pk: int):
        flag = selectors.flag_get_for(request.user, pk, request=request)
        data = inputs.FlagDismissSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.flag_dismiss(flag=flag, by=request.user, **data.validated_data)
        return Response(RepeatFlagSerializer(flag).data)
