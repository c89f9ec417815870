"""What the referrals and consultations endpoints answer.

What a viewer sees of a referral is the sharing policy's decision (referrals/policy.py, the partner
fields): the serializers below show every field to the full audience and the summary to a partner.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mash.common.api import ClockSerializer, EnumField, UserRefSerializer, stale_response
from mash.sharing.serializers import AudienceSerializer
from referrals import services
from referrals.models import (
    Channel,
    Concern,
    Consent,
    EventKind,
    Outcome,
    Rag,
    Referral,
    ReferralKind,
    State,
    SubjectRole,
)


def state_field(**kwargs):
    return EnumField(State, name="ReferralState", **kwargs)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class SubjectSerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    full_name = serializers.CharField(source="person.full_name")
    role = EnumField(SubjectRole)


class TimelineEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.SerializerMethodField()
    kind = EnumField(EventKind, name="TimelineEventKind")
    from_state = state_field(allow_blank=True)
    to_state = state_field(allow_blank=True)
    note = serializers.CharField()

    def get_by(self, event) -> str | None:
        return _name(event.by) if event.by_id else None


class RagRatingSerializer(serializers.Serializer):
    rating = EnumField(Rag)
    previous = EnumField(Rag, allow_blank=True)
    rationale = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.SerializerMethodField()

    def get_by(self, rating) -> str:
        return _name(rating.by)


class ReferralRowSerializer(AudienceSerializer):
    """A row of the list: only what the list's selector loads (subjects are prefetched)."""

    audience_model = Referral
    audience_names = {"due_at": "decision_clock", "breached": "decision_clock"}

    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = EnumField(ReferralKind)
    state = state_field()
    rag = EnumField(Rag, allow_blank=True)
    received_at = serializers.DateTimeField()
    channel = EnumField(Channel, name="ReferralChannel")
    referrer_name = serializers.CharField()
    referrer_organisation = serializers.CharField()
    assigned_to = UserRefSerializer(allow_null=True)
    due_at = serializers.DateTimeField(source="decision_clock.due_at", help_text="The decision is due.")
    breached = serializers.BooleanField(source="decision_clock.is_breached")
    subjects = SubjectSerializer(many=True)


class ReferralDetailSerializer(AudienceSerializer):
    """One referral, with its subjects, timeline and RAG history (from the context)."""

    audience_model = Referral

    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = EnumField(ReferralKind)
    state = state_field()
    version = serializers.IntegerField(help_text="Send it back with a change (optimistic locking).")
    received_at = serializers.DateTimeField()
    channel = EnumField(Channel, name="ReferralChannel")
    referrer_name = serializers.CharField()
    referrer_organisation = serializers.CharField()
    referrer_role = serializers.CharField()
    referrer_email = serializers.CharField()
    referrer_phone = serializers.CharField()
    referrer_relationship = serializers.CharField()
    concerns = serializers.ListField(child=EnumField(Concern))
    account = serializers.CharField()
    consent = EnumField(Consent)
    consent_reason = serializers.CharField()
    consent_decided_by = serializers.CharField()
    adult_wishes = serializers.CharField()
    rag = EnumField(Rag, allow_blank=True)
    rag_rationale = serializers.CharField()
    outcome = EnumField(Outcome, allow_blank=True)
    outcome_rationale = serializers.CharField()
    outcome_at = serializers.DateTimeField(allow_null=True)
    outcome_by = UserRefSerializer(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    assigned_to = UserRefSerializer(allow_null=True)
    recorded_by = UserRefSerializer()
    decision_clock = ClockSerializer()
    subjects = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    rag_history = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()

    @extend_schema_field(SubjectSerializer(many=True))
    def get_subjects(self, referral):
        return SubjectSerializer(self.context["subjects"], many=True).data

    @extend_schema_field(TimelineEventSerializer(many=True))
    def get_timeline(self, referral):
        return TimelineEventSerializer(self.context["timeline"], many=True, context=self.context).data

    @extend_schema_field(RagRatingSerializer(many=True))
    def get_rag_history(self, referral):
        return RagRatingSerializer(self.context["ratings"], many=True).data

    @extend_schema_field(serializers.ListField(child=state_field()))
    def get_allowed_transitions(self, referral):
        # In the order of the states, whatever the order of the set they come from.
        return sorted(services.allowed_next_states(referral.state), key=State.values.index)


class ReferralRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()


class ConsultationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    called_at = serializers.DateTimeField()
    caller_name = serializers.CharField()
    caller_organisation = serializers.CharField()
    caller_role = serializers.CharField()
    caller_phone = serializers.CharField()
    caller_email = serializers.CharField()
    kind = EnumField(ReferralKind)
    person = PersonRefSerializer(allow_null=True)
    anonymous_description = serializers.CharField()
    question = serializers.CharField()
    advice = serializers.CharField()
    referral_advised = serializers.BooleanField()
    referral = ReferralRefSerializer(allow_null=True, help_text="The referral the call became, if any.")
    logged_by = UserRefSerializer()
    created_at = serializers.DateTimeField()


STALE = stale_response("the referral")
