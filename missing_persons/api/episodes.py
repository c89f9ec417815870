"""Episodes: the list, recording one, reading one, and its changes."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.sharing.serializers import AudienceListMixin
from missing_persons import selectors, services
from missing_persons.api import inputs
from missing_persons.api.output import STALE, EpisodeDetailSerializer, EpisodeRowSerializer
from missing_persons.models import Episode


def detail(request, episode: Episode, *, status: int = 200) -> Response:
    parts = selectors.episode_detail_parts(request.user, episode)
    context = {"request": request, **parts}
    return Response(EpisodeDetailSerializer(episode, context=context).data, status=status)


class EpisodeListCreateAPI(AudienceListMixin, generics.ListAPIView):
    """The episodes the user may see, the latest reported first."""

    serializer_class = EpisodeRowSerializer

    @extend_schema(summary="Missing episodes, latest first", parameters=[inputs.EpisodeFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return Episode.objects.none()
        query = inputs.EpisodeFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.episodes_for(self.request.user, **query.validated_data)

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


def _action(summary: str, request_serializer):
    return extend_schema(
        summary=summary, request=request_serializer, responses={200: EpisodeDetailSerializer, 409: STALE}
    )


class RegradeAPI(APIView):
    @_action(
        "Re-grade the risk while the person is missing (a rationale every time)",
        inputs.EpisodeRegradeSerializer,
    )
    def post(self, request, pk: int):
        episode = selectors.episode_get_for(request.user, pk, request=request)
        data = inputs.EpisodeRegradeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode = services.episode_regrade(episode=episode, by=request.user, **data.validated_data)
        return detail(request, episode)


class UpdateAPI(APIView):
    @_action(
        "Change the exploitation indicators, linked places and associates, the circumstances",
        inputs.EpisodeUpdateSerializer,
    )
    def post(self, request, pk: int):
        episode = selectors.episode_get_for(request.user, pk, request=request)
        data = inputs.EpisodeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode = services.episode_update(episode=episode, by=request.user, **data.validated_data)
        return detail(request, episode)


class ReturnAPI(APIView):
    @_action(
        "Record the person found or returned: a child's return starts the 72-hour interview clock",
        inputs.EpisodeReturnSerializer,
    )
    def post(self, request, pk: int):
        episode = selectors.episode_get_for(request.user, pk, request=request)
        data = inputs.EpisodeReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode = services.episode_return(episode=episode, by=request.user, **data.validated_data)
        return detail(request, episode)


class CloseAPI(APIView):
    @_action(
        "Close the episode once returned (and the interview done or declined)", inputs.EpisodeCloseSerializer
    )
    def post(self, request, pk: int):
        episode = selectors.episode_get_for(request.user, pk, request=request)
        data = inputs.EpisodeCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode = services.episode_close(episode=episode, by=request.user, **data.validated_data)
        return detail(request, episode)


class InterviewAPI(APIView):
    @extend_schema(
        summary="Record the return home interview: offered, done (what was learned) or declined",
        request=inputs.ReturnInterviewSerializer,
        responses=EpisodeDetailSerializer,
    )
    def post(self, request, pk: int):
        episode = selectors.episode_get_for(request.user, pk, request=request)
        data = inputs.ReturnInterviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        interview = selectors.episode_detail_parts(request.user, episode)["interview"]
        if interview is None:
            raise ValidationError("No return home interview is due: it starts when a child returns.")
        services.interview_record(interview=interview, by=request.user, **data.validated_data)
        episode.refresh_from_db()
        return detail(request, episode)
