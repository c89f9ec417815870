"""The trails of information governance (mash/sharing/trails) as an API: the same selectors, the same
logging of each read and the same refusal as the pages (information governance only, 403 otherwise)."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.agencies.policy import is_information_governance
from mash.agencies.selectors import actor_for
from mash.common.api import MAX_ID, QuerySerializer
from mash.sharing.governance import S62
from mash.sharing.trails import Action, record_trail, user_trail
from mash.sharing.trails.queries import CURSOR, DEFAULT_SPAN, MAX_SPAN
from mash.sharing.trails.services import record_trail_read, trail_entries_read
from mash.sharing.trails.subjects import trail_record, trail_user

ACTIONS = [value for value, _ in Action.CHOICES if value]


class _PageQuerySerializer(QuerySerializer):
    action = serializers.ChoiceField(
        choices=ACTIONS,
        required=False,
        help_text="Only changes, reads, refusals, break-glass or disclosures.",
    )
    cursor = serializers.RegexField(
        CURSOR,
        required=False,
        max_length=48,
        help_text="A page's `older` or `newer`: the page past it. Leave it out for the newest page.",
    )


class RecordTrailQuerySerializer(_PageQuerySerializer):
    since = serializers.DateField(
        required=False, help_text="The first day (inclusive); all time if left out."
    )
    until = serializers.DateField(
        required=False, help_text="The last day (inclusive); until now if left out. Before `since`: nothing."
    )


class UserTrailQuerySerializer(_PageQuerySerializer):
    """A user's trail is always a period, of a year at most: its last day and how many days."""

    until = serializers.DateField(required=False, help_text="The last day (inclusive); today if left out.")
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_SPAN.days,
        default=DEFAULT_SPAN.days,
        help_text="How many days, ending with `until`.",
    )
    agency = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Only what the user read or was refused acting for this agency (the change and "
        "dissemination logs do not record it, so they are left out).",
    )

    def filters(self) -> dict:
        data = dict(self.validated_data)
        until = data.pop("until", None) or timezone.localdate()
        data["since"] = until - timedelta(days=data.pop("days") - 1)
        data["until"] = until
        return data


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class TrailEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField(
        help_text="create, update, delete (changes); view, denied, break_glass, export, print (the access "
        "log); dissemination."
    )
    label = serializers.CharField()
    category = serializers.ChoiceField(choices=S62.ALL, help_text="DPA 2018 s62.")
    user = serializers.IntegerField(source="user_id", allow_null=True)
    user_name = serializers.CharField()
    agency = serializers.CharField(help_text="The agency the user acted for (the access log only).")
    content_type = serializers.IntegerField(source="content_type_id", allow_null=True)
    record_type = serializers.CharField()
    object_id = serializers.CharField()
    object_repr = serializers.CharField()
    reason = serializers.CharField(help_text="The justification given, where there is one.")
    detail = serializers.CharField()
    address = serializers.CharField()
    changes = ChangeSerializer(many=True)


class TrailPageSerializer(serializers.Serializer):
    since = serializers.DateTimeField(source="period.since", allow_null=True)
    until = serializers.DateTimeField(source="period.until", allow_null=True, help_text="Exclusive.")
    older = serializers.CharField(allow_null=True, help_text="The cursor of the next, older page.")
    newer = serializers.CharField(allow_null=True, help_text="The cursor of the previous, newer page.")
    results = TrailEntrySerializer(many=True, source="entries")


def _governance_only(request) -> None:
    if not is_information_governance(actor_for(request.user)):
        raise PermissionDenied("Only information governance reads the trails.")


class UserTrailAPI(APIView):
    @extend_schema(
        summary="What a user changed, read, was refused and disclosed in a period (information governance)",
        parameters=[UserTrailQuerySerializer],
        responses=TrailPageSerializer,
    )
    def get(self, request, pk: int):
        _governance_only(request)
        subject = trail_user(pk)
        query = UserTrailQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = user_trail(subject, **query.filters())
        trail_entries_read(user=request.user, entries=page.entries, request=request)
        return Response(TrailPageSerializer(page).data)


class RecordTrailAPI(APIView):
    @extend_schema(
        summary="The changes, reads, refusals and disclosures of a record and the records under it "
        "(information governance)",
        parameters=[RecordTrailQuerySerializer],
        responses=TrailPageSerializer,
    )
    def get(self, request, content_type_id: int, object_id: str):
        _governance_only(request)
        subject = trail_record(content_type_id, object_id)
        query = RecordTrailQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = record_trail(subject, **query.validated_data)
        record_trail_read(user=request.user, subject=subject, request=request)
        return Response(TrailPageSerializer(page).data)
