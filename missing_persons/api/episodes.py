"""Episodes: the list, recording one, reading one, and its changes."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.common.actions import RecordActionAPI
from mash.common.lists import SelectorListAPI
from mash.sharing.serializers import AudienceListMixin
from missing_persons import selectors, services
from missing_persons.api import inputs
from missing_persons.api.output import STALE, EpisodeDetailSerializer, EpisodeRowSerializer
from missing_persons.models import Episode


def detail(request, episode: Episode, *, status: int = 200) -> Response:
    parts = selectors.episode_detail_parts(request.user, episode)
    context = {"request": request, **parts}
    return Response(EpisodeDetailSerializer(episode, context=context).data, status=status)


class EpisodeListCreateAPI(AudienceListMixin, SelectorListAPI):
    """The episodes the user may see, the latest reported first."""

    serializer_class = EpisodeRowSerializer

    model, selector = Episode, selectors.episodes_for
    summary, filter_class = "Missing episodes, latest first", inputs.EpisodeFilterSerializer

    def select(self, user, **filters):
        # A row's columns only (selectors.EPISODE_ROW): not the circumstances, places and associates.
        return super().select(user, **filters).only(*selectors.EPISODE_ROW)

    @extend_schema(
        summary="Record a person reported missing (the police data administrators)",
        request=inputs.EpisodeCreateSerializer,
        responses={201: EpisodeDetailSerializer},
    )
    def post(self, request):
        data = inputs.EpisodeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode = services.episode_create(by=request.user, data=data.episode_input())
        return detail(request, episode, status=201)


class EpisodeDetailAPI(APIView):
    @extend_schema(
        summary="One episode: its gradings, the return home interview and its clock",
        responses=EpisodeDetailSerializer,
    )
    def get(self, request, pk: int):
        return detail(request, selectors.episode_get_for(request.user, pk, request=request))


# One action on an episode through the API (mash/common/actions.py): a serializer, one service. (A
# comment, not a docstring: drf-spectacular would make a docstring every action's description.)
class EpisodeActionAPI(RecordActionAPI):
    record_name, output, conflict = "episode", EpisodeDetailSerializer, STALE

    def get_record(self, request, pk):
        return selectors.episode_get_for(request.user, pk, request=request)

    def respond(self, request, episode, result):
        return detail(request, result)


class RegradeAPI(EpisodeActionAPI):
    summary = "Re-grade the risk while the person is missing (a rationale every time)"
    serializer_class, service = inputs.EpisodeRegradeSerializer, services.episode_regrade


class UpdateAPI(EpisodeActionAPI):
    summary = "Change the exploitation indicators, linked places and associates, the circumstances"
    serializer_class, service = inputs.EpisodeUpdateSerializer, services.episode_update


class ReturnAPI(EpisodeActionAPI):
    summary = "Record the person found or returned: a child's return starts the 72-hour interview clock"
    serializer_class, service = inputs.EpisodeReturnSerializer, services.episode_return


class CloseAPI(EpisodeActionAPI):
    summary = "Close the episode once returned (and the interview done or declined)"
    serializer_class, service = inputs.EpisodeCloseSerializer, services.episode_close


class InterviewAPI(EpisodeActionAPI):
    summary = "Record the return home interview: offered, done (what was learned) or declined"
    serializer_class, service = inputs.ReturnInterviewSerializer, services.interview_record
    conflict = None  # the interview sends back no version

    def service_kwargs(self, request, episode, data):
        # The interview, not the episode: the one this user sees (None until a child returns: refused).
        return {
            "interview": selectors.episode_interview_for(request.user, episode),
            "by": request.user,
            **data,
        }

    def respond(self, request, episode, interview):
        episode.refresh_from_db()
        return detail(request, episode)
