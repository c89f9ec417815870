"""What the disclosures API reads and answers.

A forum participant (an agency taking part in the multi-agency forum, not the police disclosure team)
is the application's partner audience (disclosures/policy.py): it is answered with the summary, the
fields the team alone sees are left out, and the research package never appears, not even its id.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from disclosures import services
from disclosures.models import (
    Application,
    Outcome,
    PackageStatus,
    PersonRole,
    Route,
    Scheme,
    SectionKind,
    Stage,
)
from mash.agencies.api import AgencySerializer
from mash.agencies.models import Agency
from mash.common.api import (
    MAX_ID,
    ClockSerializer,
    ConflictSerializer,
    EnumField,
    QuerySerializer,
    UserRefSerializer,
    version_input,
)
from mash.common.grading import (
    Grading,
    HandlingCode,
    IntelligenceAssessment,
    SecurityMarking,
    SourceEvaluation,
)
from mash.people.api import PersonChoiceSerializer, known_person_field
from mash.sharing.serializers import AudienceSerializer

MAX_PEOPLE = 12
MAX_AGENCIES = 50


def scheme_field(**kwargs):
    return EnumField(Scheme, name="DisclosureScheme", **kwargs)


def stage_field(**kwargs):
    return EnumField(Stage, name="DisclosureStage", **kwargs)


# --- Output: applications --------------------------------------------------------------------------


class ApplicationPersonSerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    full_name = serializers.CharField(source="person.full_name")
    date_of_birth = serializers.DateField(source="person.date_of_birth", allow_null=True)
    role = EnumField(PersonRole, name="DisclosurePersonRole")


class ApplicationClocksSerializer(serializers.Serializer):
    decision = ClockSerializer(source="clock", help_text="28 days (Clare's Law) or 45 (Sarah's Law).")
    initial_checks = ClockSerializer(source="initial_check_clock", help_text="24 hours.")
    meeting = ClockSerializer(
        source="meeting_clock", allow_null=True, help_text="Sarah's Law only: the interview within 10 days."
    )


class ApplicationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()


class ApplicationRowSerializer(AudienceSerializer):
    """A row of the queue: only what the queue's selector loads (people are prefetched)."""

    audience_model = Application
    audience_names = {"clocks": "clock"}

    id = serializers.IntegerField()
    reference = serializers.CharField()
    scheme = scheme_field()
    stage = stage_field()
    outcome = EnumField(Outcome, name="DisclosureOutcome", allow_blank=True)
    received_at = serializers.DateTimeField()
    forum_open = serializers.BooleanField()
    clocks = ApplicationClocksSerializer(source="*")
    people = ApplicationPersonSerializer(source="people.all", many=True)
    researcher = UserRefSerializer(allow_null=True)


class ApplicationSummarySerializer(AudienceSerializer):
    """The application's summary: what a forum participant sees (people from the context)."""

    audience_model = Application
    audience_names = {"clocks": "clock"}

    id = serializers.IntegerField()
    reference = serializers.CharField()
    scheme = scheme_field()
    route = EnumField(Route, name="DisclosureRoute")
    stage = stage_field()
    outcome = EnumField(Outcome, name="DisclosureOutcome", allow_blank=True)
    received_at = serializers.DateTimeField()
    circumstances = serializers.CharField()
    forum_open = serializers.BooleanField(help_text="A multi-agency forum is considering it now.")
    clocks = ApplicationClocksSerializer(source="*")
    people = serializers.SerializerMethodField()

    @extend_schema_field(ApplicationPersonSerializer(many=True))
    def get_people(self, application):
        return ApplicationPersonSerializer(self.context["people"], many=True).data


class PackageRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField(help_text="The version: 1, 2, ...")
    status = EnumField(PackageStatus)
    version = serializers.IntegerField(help_text="Send it back with a change (optimistic locking).")
    researcher = UserRefSerializer()
    submitted_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    return_comments = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    package_id = serializers.IntegerField(help_text="The version of the research package decided on.")
    decided_by = UserRefSerializer()
    decided_at = serializers.DateTimeField()
    forum_held_at = serializers.DateTimeField(allow_null=True)
    forum_participants = serializers.CharField()
    forum_agencies = AgencySerializer(source="forum_agencies.all", many=True)
    marac_referral = serializers.BooleanField()
    disclose = serializers.BooleanField()
    lawful = serializers.CharField()
    necessary = serializers.CharField()
    proportionate = serializers.CharField()
    wording = serializers.CharField()
    recipient_name = serializers.CharField()
    recipient_relation = serializers.CharField()
    no_disclosure_reason = serializers.CharField()
    applicant_told = serializers.CharField()


class DisclosureRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    disclosed_at = serializers.DateTimeField()
    place = serializers.CharField()
    disclosed_by = UserRefSerializer()
    recipient_name = serializers.CharField()
    recipient_relation = serializers.CharField()
    wording_used = serializers.CharField()
    warning_given = serializers.BooleanField()
    warning_acknowledged = serializers.BooleanField()
    safety_plan = serializers.CharField()
    dissemination_id = serializers.IntegerField(help_text="The dissemination log's entry.")


class FromContext(serializers.Field):
    """A value the view read through a selector and put in the context under the field's name.
    Unlike a ``SerializerMethodField`` (read-only, so always required in the schema), it may be
    left out: the team-only parts of an application."""

    def __init__(self, serializer, **kwargs):
        self.serializer = serializer
        super().__init__(source="*", **kwargs)

    def to_representation(self, instance):
        value = self.context[self.field_name]
        return None if value is None else self.serializer.to_representation(value)


class FromContextSchema(OpenApiSerializerFieldExtension):
    target_class = FromContext

    def map_serializer_field(self, auto_schema, direction):
        return auto_schema._map_serializer_field(self.target.serializer, direction)


class ApplicationDetailSerializer(ApplicationSummarySerializer):
    """The whole application, for the police disclosure team (packages, decision and disclosure from
    the context). A forum participant gets the summary: the policy's partner fields."""

    version = serializers.IntegerField(help_text="Send it back with a change (optimistic locking).")
    recorded_by = UserRefSerializer()
    applicant_relation = serializers.CharField()
    applicant_contact = serializers.CharField()
    immediate_risk = serializers.BooleanField(allow_null=True)
    initial_check_notes = serializers.CharField()
    initial_check_at = serializers.DateTimeField(allow_null=True)
    initial_check_by = UserRefSerializer(allow_null=True)
    identity_verified = serializers.BooleanField()
    identity_method = serializers.CharField()
    meeting_at = serializers.DateTimeField(allow_null=True)
    meeting_notes = serializers.CharField()
    verified_by = UserRefSerializer(allow_null=True)
    researcher = UserRefSerializer(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    closure_note = serializers.CharField()
    packages = FromContext(PackageRowSerializer(many=True), help_text="Every version, the latest first.")
    decision = FromContext(DecisionSerializer(), allow_null=True)
    disclosure = FromContext(DisclosureRecordSerializer(), allow_null=True)


# --- Output: research packages ---------------------------------------------------------------------


class GradingValuesSerializer(serializers.Serializer):
    source_system = serializers.CharField()
    information_date = serializers.DateField(allow_null=True)
    summary = serializers.CharField()
    detail = serializers.CharField()
    source_evaluation = EnumField(SourceEvaluation, allow_blank=True)
    intelligence_assessment = EnumField(IntelligenceAssessment, allow_blank=True)
    handling_code = EnumField(HandlingCode, allow_blank=True)
    handling_conditions = serializers.CharField()
    security_marking = EnumField(SecurityMarking)


class PackageEntrySerializer(GradingValuesSerializer):
    id = serializers.IntegerField()
    section_id = serializers.IntegerField()
    author = UserRefSerializer()
    version = serializers.IntegerField(help_text="Send it back with a change (optimistic locking).")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SectionValuesSerializer(serializers.Serializer):
    nothing_found = serializers.BooleanField(help_text="Checked, nothing found.")
    note = serializers.CharField(help_text="What was checked, and how.")


class PackageSectionSerializer(SectionValuesSerializer):
    id = serializers.IntegerField()
    kind = EnumField(SectionKind)
    police = serializers.BooleanField(
        source="is_police", help_text="A police system: its entries carry the 3x5x2 grading."
    )
    checked_at = serializers.DateTimeField(allow_null=True)
    checked_by = UserRefSerializer(allow_null=True)
    version = serializers.IntegerField(help_text="Send it back with a change (optimistic locking).")
    entries = PackageEntrySerializer(source="entries.all", many=True)


class ResearchPackageSerializer(serializers.Serializer):
    """One version of the research package, with its sections and their entries (from the context)."""

    id = serializers.IntegerField()
    application = ApplicationRefSerializer()
    number = serializers.IntegerField(help_text="The version: 1, 2, ...")
    status = EnumField(PackageStatus)
    version = serializers.IntegerField(help_text="Send it back with a change (optimistic locking).")
    researcher = UserRefSerializer()
    summary = serializers.CharField(help_text="The researcher's summary for the decision maker.")
    summary_version = serializers.IntegerField(help_text="Send it back with a summary change (its own lock).")
    submitted_at = serializers.DateTimeField(allow_null=True)
    submitted_by = UserRefSerializer(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    returned_by = UserRefSerializer(allow_null=True)
    return_comments = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    sections = serializers.SerializerMethodField()
    completeness_problems = serializers.SerializerMethodField(
        help_text="A draft: what stops it being submitted, by section (`section-<kind>`) or `summary`."
    )

    @extend_schema_field(PackageSectionSerializer(many=True))
    def get_sections(self, package):
        return PackageSectionSerializer(self.context["sections"], many=True).data

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_completeness_problems(self, package):
        return self.context["problems"]


class EntryConflictSerializer(ConflictSerializer):
    current = GradingValuesSerializer(help_text="The entry as saved now.")


class SectionConflictSerializer(ConflictSerializer):
    current = SectionValuesSerializer(help_text="The section as saved now.")


class SummaryValuesSerializer(serializers.Serializer):
    summary = serializers.CharField()


class SummaryConflictSerializer(ConflictSerializer):
    current = SummaryValuesSerializer(help_text="The summary as saved now.")


# --- Input -----------------------------------------------------------------------------------------


def _text(max_length: int | None = None, **kwargs):
    return serializers.CharField(max_length=max_length, allow_blank=True, default="", **kwargs)


def _version(what: str):
    return version_input(f"The version of the {what} as read; a change made since is refused (409).")


def _ids(**kwargs):
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), max_length=MAX_AGENCIES, **kwargs
    )


class ApplicationFilterSerializer(QuerySerializer):
    stage = stage_field(allow_blank=True, default="", help_text="One stage (closed included).")
    include_closed = serializers.BooleanField(default=False, help_text="With no stage: closed ones too.")


class PersonInputSerializer(PersonChoiceSerializer):
    """A known person (``person``, an id), or the details of a new one; in a role."""

    choice_class = services.PersonInput

    role = EnumField(PersonRole, name="DisclosurePersonRole")
    person = known_person_field(help_text="A known person's id.")


class ApplicationCreateSerializer(serializers.Serializer):
    scheme = scheme_field()
    route = EnumField(Route, name="DisclosureRoute")
    received_at = serializers.DateTimeField(allow_null=True, default=None, help_text="Now when left out.")
    circumstances = serializers.CharField(help_text="Why the application is made.")
    applicant_relation = _text(200, help_text="Required unless Right to Know.")
    applicant_contact = _text(300, help_text="How to contact the applicant safely.")
    people = PersonInputSerializer(
        many=True,
        max_length=MAX_PEOPLE,
        help_text="The subject; the applicant (unless Right to Know); the person at risk (Clare's Law) "
        "or the children (Sarah's Law).",
    )


class InitialCheckSerializer(serializers.Serializer):
    version = _version("application")
    immediate_risk = serializers.BooleanField(help_text="An immediate risk: the urgent response starts.")
    notes = _text(help_text="What was checked and what was found.")


class VerificationSerializer(serializers.Serializer):
    version = _version("application")
    identity_method = _text(200, help_text="How the applicant's identity was verified.")
    meeting_at = serializers.DateTimeField(help_text="The face-to-face meeting.")
    notes = _text()


class ResearcherSerializer(serializers.Serializer):
    version = _version("application")
    researcher = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of a police researcher."
    )

    def validate_researcher(self, value):
        user = get_user_model().objects.filter(pk=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError("There is no such user.")
        return user


def _agencies(ids: list[int]) -> list:
    agencies = Agency.objects.in_bulk(set(ids))
    if any(pk not in agencies for pk in ids):
        raise serializers.ValidationError("No such agency.")
    return [agencies[pk] for pk in dict.fromkeys(ids)]


class ApplicationWithdrawSerializer(serializers.Serializer):
    version = _version("application")
    reason = _text(help_text="Why the application is withdrawn.")


class ForumSerializer(serializers.Serializer):
    version = _version("application")
    agencies = _ids(help_text="The ids of the agencies taking part: they see the summary until the decision.")

    def validate_agencies(self, value):
        return _agencies(value)


class DecideSerializer(serializers.Serializer):
    version = _version("application")
    disclose = serializers.BooleanField()
    lawful = _text(help_text="Why disclosure is (or is not) lawful.")
    necessary = _text(help_text="Why it is (or is not) necessary.")
    proportionate = _text(help_text="Why it is (or is not) proportionate.")
    wording = _text(help_text="Disclose: what will be disclosed, in the words to be used.")
    recipient_name = _text(200, help_text="Disclose: the person best placed to protect.")
    recipient_relation = _text(200)
    no_disclosure_reason = _text(help_text="No disclosure: the reason.")
    applicant_told = _text(help_text="No disclosure: what the applicant was told.")
    forum_held_at = serializers.DateTimeField(allow_null=True, default=None)
    forum_participants = _text(help_text="Who took part in the multi-agency forum.")
    forum_agencies = _ids(default=list, help_text="The ids of the agencies represented at the forum.")
    marac_referral = serializers.BooleanField(default=False, help_text="High risk: referred to MARAC.")

    def validate_forum_agencies(self, value):
        return _agencies(value)


class DiscloseSerializer(serializers.Serializer):
    version = _version("application")
    disclosed_at = serializers.DateTimeField()
    place = _text(300)
    recipient_name = _text(200, help_text="Who was told.")
    recipient_relation = _text(200)
    wording_used = _text(help_text="The words used.")
    warning_given = serializers.BooleanField(
        default=False, help_text="Told the disclosure is confidential and may not be shared further."
    )
    warning_acknowledged = serializers.BooleanField(default=False)
    safety_plan = _text()


class PackageSummarySerializer(serializers.Serializer):
    version = _version("summary (the package's summary_version)")
    summary = _text(help_text="The researcher's summary for the decision maker.")


class PackageSubmitSerializer(serializers.Serializer):
    version = _version("research package")


class PackageReturnSerializer(serializers.Serializer):
    comments = _text(help_text="What the researcher should look at again.")


class SectionCheckSerializer(serializers.Serializer):
    version = _version("section")
    nothing_found = serializers.BooleanField(default=False, help_text="Checked, nothing found.")
    note = _text(help_text="What was checked, and how.")


class PackageEntryCreateSerializer(serializers.Serializer):
    source_system = _text(200, help_text="The system or record the information comes from.")
    information_date = serializers.DateField(allow_null=True, default=None)
    summary = _text(300)
    detail = _text()
    source_evaluation = EnumField(
        SourceEvaluation, allow_blank=True, default="", help_text="Police systems: required."
    )
    intelligence_assessment = EnumField(
        IntelligenceAssessment, allow_blank=True, default="", help_text="Police systems: required."
    )
    handling_code = EnumField(
        HandlingCode, allow_blank=True, default="", help_text="Police systems: required."
    )
    handling_conditions = _text(help_text="Required with handling code C.")
    security_marking = EnumField(SecurityMarking, default=SecurityMarking.OFFICIAL_SENSITIVE)

    def grading(self) -> Grading:
        data = dict(self.validated_data)
        data.pop("expected_version", None)
        return Grading(**data)


class PackageEntryUpdateSerializer(PackageEntryCreateSerializer):
    version = _version("entry")


class PackageEntryRemoveQuerySerializer(QuerySerializer):
    version = _version("entry")
