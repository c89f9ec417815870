"""What the missing persons endpoints take. Ids are turned into records here; whether a record may be
used is the service's question."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from mash.agencies.models import Agency
from mash.common.api import MAX_ID, EnumField, QuerySerializer, version_input
from mash.common.files import read_capped, too_large_message
from mash.people.services import PersonChoice
from missing_persons.models import EpisodeStatus, Indicator, InterviewStatus, ReporterKind, Risk
from missing_persons.services import EpisodeInput
from missing_persons.services.importer import MAX_BYTES

MAX_INDICATORS = len(Indicator.values)


def _text(max_length: int | None = None, **kwargs):
    return serializers.CharField(max_length=max_length, allow_blank=True, default="", **kwargs)


def _id(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _version():
    return version_input("The version of the episode as read; a change made since is refused (409).")


def risk_field(**kwargs):
    return EnumField(Risk, name="MissingRisk", **kwargs)


def indicators_field(**kwargs):
    return serializers.ListField(
        child=EnumField(Indicator, name="ExploitationIndicator"),
        max_length=MAX_INDICATORS,
        help_text="Exploitation indicators.",
        **kwargs,
    )


class EpisodeFilterSerializer(QuerySerializer):
    status = EnumField(EpisodeStatus, name="EpisodeStatus", allow_blank=True, default="")
    risk = risk_field(allow_blank=True, default="")


class EpisodeCreateSerializer(serializers.Serializer):
    person = _id(help_text="The person missing (match them first through /people/match/).")
    reported_at = serializers.DateTimeField()
    reported_by = _text(200, help_text="Who reported them missing.")
    reporter_kind = EnumField(ReporterKind)
    last_seen_at = serializers.DateTimeField()
    last_seen_place = _text(300)
    risk = risk_field()
    risk_rationale = _text(help_text="Why this grading.")
    circumstances = _text()
    police_reference = _text(40, help_text="The police report reference, if there is one.")
    indicators = indicators_field(default=list)
    places = _text(help_text="Places linked to the episode, one per line.")
    associates = _text(help_text="Associates linked to the episode, one per line.")

    def validate_person(self, pk: int) -> PersonChoice:
        # Whether the recorder may name this person is the service's question (person_resolve): an
        # id that names nobody is answered as one they may not see.
        return PersonChoice(person=pk)

    def episode_input(self) -> EpisodeInput:
        data = dict(self.validated_data)
        data["indicators"] = tuple(data["indicators"])
        return EpisodeInput(**data)


class EpisodeRegradeSerializer(serializers.Serializer):
    version = _version()
    risk = risk_field()
    rationale = _text(help_text="Why the risk changes (required).")


class EpisodeUpdateSerializer(serializers.Serializer):
    version = _version()
    indicators = indicators_field()
    places = _text(help_text="One per line.")
    associates = _text(help_text="One per line.")
    circumstances = _text()


class EpisodeReturnSerializer(serializers.Serializer):
    version = _version()
    found_at = serializers.DateTimeField()
    found_place = _text(300, help_text="Where they were found or returned to.")
    found_by = _text(200, help_text="Who found them, or whom they returned to.")
    wellbeing_confirmed = serializers.BooleanField(
        default=False, help_text="Required: until their well-being is confirmed they are still missing."
    )
    wellbeing_note = _text()


class EpisodeCloseSerializer(serializers.Serializer):
    version = _version()


class ReturnInterviewSerializer(serializers.Serializer):
    status = EnumField(
        InterviewStatus,
        name="InterviewStatus",
        help_text="offered, done or declined (done or declined stops the clock).",
    )
    agency = _id(
        allow_null=True, default=None, help_text="The agency offering or doing it; left out: unchanged."
    )
    interviewer = _id(allow_null=True, default=None, help_text="Who; left out: you.")
    at = serializers.DateTimeField(allow_null=True, default=None, help_text="Left out: now.")
    where_they_were = _text()
    with_whom = _text()
    push_factors = _text(help_text="What pushed them to leave.")
    pull_factors = _text(help_text="What drew them away.")
    notes = _text()

    def validate_agency(self, pk):
        if pk is None:
            return None
        agency = Agency.objects.filter(pk=pk).first()
        if agency is None:
            raise serializers.ValidationError("No such agency.")
        return agency

    def validate_interviewer(self, pk):
        if pk is None:
            return None
        user = get_user_model().objects.filter(pk=pk, is_active=True).first()
        if user is None:
            raise serializers.ValidationError("There is no such user.")
        return user


class FlagReferSerializer(serializers.Serializer):
    note = _text(help_text="Added to the referral's account.")


class FlagDismissSerializer(serializers.Serializer):
    reason = _text(help_text="Why no referral is needed (required).")


class ImportFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The CSV exported from the police system (UTF-8; docs/missing-persons-import.md)."
    )

    def validate_file(self, upload):
        # Known from the upload without reading it (the upload is cut one byte past the limit).
        if upload.size > MAX_BYTES:
            raise serializers.ValidationError(too_large_message("The file", MAX_BYTES))
        return upload

    def content(self) -> bytes:
        return read_capped(self.validated_data["file"], MAX_BYTES)

    def filename(self) -> str:
        return self.validated_data["file"].name or "import.csv"
