"""What the disclosures API answers.

A forum participant (an agency taking part in the multi-agency forum, not the police disclosure team)
is the application's partner audience (disclosures/policy.py): it is answered with the summary, the
fields the team alone sees are left out, and the research package never appears, not even its id.
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from disclosures import selectors, services
from disclosures.models import (
    Application,
    Outcome,
    PackageStatus,
    PersonRole,
    ResearchPackage,
    Route,
    Scheme,
    SectionKind,
    Stage,
)
from mash.agencies.api import AgencySerializer
from mash.common.api import ClockSerializer, ConflictSerializer, EnumField, UserRefSerializer
from mash.common.grading import HandlingCode, IntelligenceAssessment, SecurityMarking, SourceEvaluation
from mash.sharing.serializers import AudienceSerializer


def scheme_field(**kwargs):
    return EnumField(Scheme, name="DisclosureScheme", **kwargs)


def stage_field(**kwargs):
    return EnumField(Stage, name="DisclosureStage", **kwargs)


# --- Applications ---------------------------------------------------------------------------------


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


# --- Research packages ----------------------------------------------------------------------------


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


# --- Answers ---------------------------------------------------------------------------------------


def application_response(request, application: Application, *, status: int = 200) -> Response:
    """The application as this user may see it: a forum participant is its partner audience, and the
    serializer shows them the summary."""
    context = {"request": request, **selectors.application_detail_parts(request.user, application)}
    return Response(ApplicationDetailSerializer(application, context=context).data, status=status)


def package_response(request, package: ResearchPackage, *, status: int = 200) -> Response:
    context = {
        "sections": selectors.package_sections(package),
        "problems": services.completeness_problems(package) if package.status == PackageStatus.DRAFT else {},
    }
    return Response(ResearchPackageSerializer(package, context=context).data, status=status)
