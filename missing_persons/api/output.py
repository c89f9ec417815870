"""What the missing persons endpoints answer."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mash.agencies.api import AgencySerializer
from mash.common.api import BreachedField, ClockSerializer, EnumField, UserRefSerializer, stale_response
from mash.sharing.serializers import AudienceSerializer
from missing_persons.models import (
    Episode,
    EpisodeStatus,
    FlagStatus,
    Indicator,
    InterviewStatus,
    ReporterKind,
    Risk,
)
from referrals.api.output import PersonRefSerializer, ReferralRefSerializer

STALE = stale_response("the episode")


def risk_field(**kwargs):
    return EnumField(Risk, name="MissingRisk", **kwargs)


def status_field(**kwargs):
    return EnumField(EpisodeStatus, name="EpisodeStatus", **kwargs)


class EpisodeRowSerializer(AudienceSerializer):
    """A row of a list: only what the list's selector loads (the person). An agency that sees the
    episode through a referral it was asked about sees the policy's partner fields only
    (missing_persons/policy.py)."""

    audience_model = Episode

    id = serializers.IntegerField()
    police_reference = serializers.CharField()
    person = PersonRefSerializer()
    is_child = serializers.BooleanField()
    reported_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    last_seen_place = serializers.CharField()
    risk = risk_field()
    status = status_field()
    found_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField(help_text="Send it back with a change (optimistic locking).")


class GradingSerializer(serializers.Serializer):
    risk = risk_field()
    previous = risk_field(allow_blank=True, help_text="Empty for the first grading.")
    rationale = serializers.CharField()
    at = serializers.DateTimeField()
    by = UserRefSerializer()


class InterviewClockSerializer(ClockSerializer):
    met = serializers.BooleanField(allow_null=True, help_text="Once stopped: whether it was in time.")


class InterviewOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = EnumField(InterviewStatus, name="InterviewStatus")
    clock = InterviewClockSerializer(help_text="72 hours from the return.")
    agency = AgencySerializer(allow_null=True)
    interviewer = UserRefSerializer(allow_null=True)
    offered_at = serializers.DateTimeField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    where_they_were = serializers.CharField()
    with_whom = serializers.CharField()
    push_factors = serializers.CharField()
    pull_factors = serializers.CharField()
    notes = serializers.CharField()


class ImportBatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    sha256 = serializers.CharField()
    imported_by = UserRefSerializer()
    created_at = serializers.DateTimeField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField(help_text="Episodes added.")
    updated = serializers.IntegerField(help_text="Episodes already known (by police reference) changed.")
    unchanged = serializers.IntegerField(help_text="Episodes already known, the same as in the file.")


class ImportBatchRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()


class EpisodeDetailSerializer(EpisodeRowSerializer):
    """The whole episode (the gradings and the interview from the context)."""

    reported_by = serializers.CharField()
    reporter_kind = EnumField(ReporterKind)
    circumstances = serializers.CharField()
    found_place = serializers.CharField()
    found_by = serializers.CharField()
    wellbeing_confirmed = serializers.BooleanField()
    wellbeing_note = serializers.CharField()
    indicators = serializers.ListField(child=EnumField(Indicator, name="ExploitationIndicator"))
    places = serializers.CharField()
    associates = serializers.CharField()
    recorded_by = UserRefSerializer()
    imported_in = ImportBatchRefSerializer(allow_null=True)
    referral = serializers.IntegerField(
        source="referral_id", allow_null=True, help_text="The referral the episode is attached to."
    )
    closed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    gradings = serializers.SerializerMethodField(help_text="Every grading, the first first.")
    interview = serializers.SerializerMethodField(
        help_text="The return home interview: a child's return starts it."
    )

    @extend_schema_field(GradingSerializer(many=True))
    def get_gradings(self, episode):
        return GradingSerializer(self.context["gradings"], many=True).data

    @extend_schema_field(InterviewOutSerializer(allow_null=True))
    def get_interview(self, episode):
        # None too when the interview is not the viewer's to see (another agency's).
        interview = self.context["interview"]
        return None if interview is None else InterviewOutSerializer(interview).data


# --- The dashboard and repeat flags ----------------------------------------------------------------


class DashboardEpisodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    police_reference = serializers.CharField()
    person = PersonRefSerializer()
    risk = risk_field()
    reported_at = serializers.DateTimeField()
    last_seen_place = serializers.CharField()


class DashboardInterviewSerializer(serializers.Serializer):
    episode = serializers.IntegerField(source="episode_id")
    person = PersonRefSerializer(source="episode.person")
    status = EnumField(InterviewStatus, name="InterviewStatus")
    agency = AgencySerializer(allow_null=True)
    due_at = serializers.DateTimeField(source="clock.due_at")
    breached = BreachedField(source="clock")


class RepeatFlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = PersonRefSerializer()
    raised_at = serializers.DateTimeField()
    status = EnumField(FlagStatus, name="RepeatFlagStatus")
    episodes = serializers.SerializerMethodField(help_text="The ids of the episodes flagged.")

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_episodes(self, flag):
        # all(): the selector prefetches them.
        return sorted(episode.pk for episode in flag.episodes.all())


class DashboardSerializer(serializers.Serializer):
    open_by_risk = DashboardEpisodeSerializer(
        many=True, help_text="Open episodes, the highest risk first, then the longest missing."
    )
    interviews_due = DashboardInterviewSerializer(
        many=True, help_text="Returns awaiting a return home interview, the soonest due first."
    )
    repeat_flags = RepeatFlagSerializer(many=True, help_text="Repeat-missing flags to act on.")


class FlagReferredSerializer(serializers.Serializer):
    flag = RepeatFlagSerializer()
    referral = ReferralRefSerializer(help_text="The referral opened, the flag's episodes attached.")


# --- The import ------------------------------------------------------------------------------------


class ProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The line in the file (the header is line 1); 0: the file.")
    field = serializers.CharField(help_text="The column, or `file`, `header`, `row`.")
    message = serializers.CharField()


class PreviewSerializer(serializers.Serializer):
    rows = serializers.IntegerField(source="rows_count")
    new = serializers.IntegerField(help_text="Reports whose police reference is not known yet.")
    updates = serializers.IntegerField(help_text="Reports updating the episode with their reference.")
    problems = ProblemSerializer(many=True, help_text="Every problem; none: the file can be imported.")
    warnings = ProblemSerializer(
        many=True,
        help_text="Cells a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at the "
        "start): imported as text, pointed out to be checked.",
    )


class ImportRefusedSerializer(serializers.Serializer):
    file = serializers.ListField(child=serializers.CharField(), required=False)
    problems = ProblemSerializer(
        many=True, required=False, help_text="The file's problems: nothing was imported."
    )
