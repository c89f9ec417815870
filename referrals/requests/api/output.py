"""What the information requests endpoints answer. An asked agency sees the referral's summary only
(reference, kind, RAG rating, concerns, subjects): never the account of the concern, nor who made the
referral."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mash.agencies.api import AgencySerializer
from mash.common.api import EnumField, UserRefSerializer
from referrals.api.output import PersonRefSerializer, ReferralRefSerializer
from referrals.models import (
    Concern,
    HandlingCode,
    IntelligenceAssessment,
    Rag,
    ReferralKind,
    RequestStatus,
    SecurityMarking,
    SourceEvaluation,
)


class RequestSubjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)


class InformationRequestRowSerializer(serializers.Serializer):
    """A row of the inbox: only what the inbox's selector loads."""

    id = serializers.IntegerField()
    referral = ReferralRefSerializer()
    rag = EnumField(Rag, allow_blank=True, source="referral.rag")
    status = EnumField(RequestStatus)
    agency = AgencySerializer()
    assigned_to = UserRefSerializer(allow_null=True)
    due_at = serializers.DateTimeField(source="clock.due_at")
    breached = serializers.BooleanField(source="clock.is_breached", help_text="Answered late, or overdue.")


class RequestReferralSerializer(serializers.Serializer):
    """What an asked agency may know of the referral (the subjects come from the context)."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = EnumField(ReferralKind)
    rag = EnumField(Rag, allow_blank=True)
    concerns = serializers.ListField(child=EnumField(Concern))
    subjects = serializers.SerializerMethodField()

    @extend_schema_field(RequestSubjectSerializer(many=True))
    def get_subjects(self, referral):
        return RequestSubjectSerializer(self.context["subjects"], many=True).data


class CollationEntrySerializer(serializers.Serializer):
    """An entry where its subject is already known (the collation's row): no person to load."""

    id = serializers.IntegerField()
    nothing_known = serializers.BooleanField()
    source_system = serializers.CharField()
    information_date = serializers.DateField(allow_null=True)
    summary = serializers.CharField()
    detail = serializers.CharField()
    source_evaluation = EnumField(SourceEvaluation, allow_blank=True)
    intelligence_assessment = EnumField(IntelligenceAssessment, allow_blank=True)
    handling_code = EnumField(HandlingCode, allow_blank=True)
    handling_conditions = serializers.CharField()
    security_marking = EnumField(SecurityMarking)
    is_addendum = serializers.BooleanField()
    addendum_reason = serializers.CharField()
    author = UserRefSerializer()
    created_at = serializers.DateTimeField()


class ResponseEntrySerializer(CollationEntrySerializer):
    person = PersonRefSerializer()


class InformationRequestSerializer(serializers.Serializer):
    """One request, with the referral's summary and the answer's entries (from the context)."""

    id = serializers.IntegerField()
    referral = RequestReferralSerializer()
    agency = AgencySerializer()
    questions = serializers.CharField()
    status = EnumField(RequestStatus)
    version = serializers.IntegerField(help_text="Send it back with a change (optimistic locking).")
    sent_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(source="clock.due_at")
    breached = serializers.BooleanField(source="clock.is_breached", help_text="Answered late, or overdue.")
    assigned_to = UserRefSerializer(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_by = UserRefSerializer(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawal_reason = serializers.CharField()
    entries = serializers.SerializerMethodField()

    @extend_schema_field(ResponseEntrySerializer(many=True))
    def get_entries(self, information_request):
        return ResponseEntrySerializer(self.context["entries"], many=True).data


class CollationRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = AgencySerializer()
    status = EnumField(RequestStatus)
    due_at = serializers.DateTimeField(source="clock.due_at")
    breached = serializers.BooleanField(source="clock.is_breached", help_text="Answered late, or overdue.")
    answered_at = serializers.DateTimeField(allow_null=True)


class CollationCellSerializer(serializers.Serializer):
    request_id = serializers.IntegerField()
    agency_id = serializers.IntegerField()
    entries = CollationEntrySerializer(many=True)


class CollationRowSerializer(serializers.Serializer):
    person = RequestSubjectSerializer()
    cells = CollationCellSerializer(many=True, help_text="One per request, in the order of `requests`.")


class CollationSerializer(serializers.Serializer):
    referral = ReferralRefSerializer()
    requests = CollationRequestSerializer(many=True, help_text="The requests not withdrawn.")
    rows = CollationRowSerializer(many=True, help_text="One per subject of the referral.")
    all_answered = serializers.BooleanField()
