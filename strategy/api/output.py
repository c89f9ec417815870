"""What the strategy endpoints answer."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from mash.agencies.api import AgencySerializer
from mash.common.api import ClockSerializer, EnumField, UserRefSerializer
from mash.sharing.serializers import AudienceSerializer
from referrals.api.output import PersonRefSerializer, ReferralRefSerializer
from strategy import selectors, services
from strategy.models import (
    ActionStatus,
    Attendance,
    Decision,
    DiscussionStatus,
    Mode,
    Section47Finding,
    StrategyDiscussion,
)


def mode_field(**kwargs):
    return EnumField(Mode, name="DiscussionMode", **kwargs)


def status_field(**kwargs):
    return EnumField(DiscussionStatus, **kwargs)


class StrategyClockSerializer(ClockSerializer):
    met = serializers.BooleanField(allow_null=True, help_text="Once stopped: whether it was in time.")


class AnswerRatingSerializer(serializers.Serializer):
    request = serializers.IntegerField(
        source="request_id", help_text="The answer (information request) rated."
    )
    agency = AgencySerializer(source="request.agency")
    sufficient = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why it was not sufficient; empty when it was.")
    rated_by = UserRefSerializer()
    rated_at = serializers.DateTimeField()


class ThresholdDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    referral = ReferralRefSerializer()
    required = serializers.BooleanField(help_text="Whether a strategy discussion is required.")
    rationale = serializers.CharField()
    information_relied_on = serializers.CharField()
    answers_relied_on = serializers.SerializerMethodField(
        help_text="The information requests whose answers the decision relied on."
    )
    ratings = AnswerRatingSerializer(
        many=True, help_text="Whether each answer relied on was sufficient (optional: those rated)."
    )
    decided_by = UserRefSerializer()
    decided_at = serializers.DateTimeField()
    strategy_clock = StrategyClockSerializer(
        allow_null=True, help_text="When required: the strategy discussion is due by this clock."
    )

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_answers_relied_on(self, decision):
        # all(): the list's selector prefetches them, a single decision costs one query.
        return sorted(answer.pk for answer in decision.answers_relied_on.all())


class StrategyInvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = AgencySerializer()
    user = UserRefSerializer(allow_null=True, help_text="null: the agency is invited, no one by name.")
    attendance = EnumField(Attendance, help_text="Empty until recorded.")


class SubjectDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = PersonRefSerializer()
    decision = EnumField(Decision, name="StrategyDecision")
    rationale = serializers.CharField()
    finding = EnumField(Section47Finding, allow_blank=True, help_text="The section 47 enquiry's finding.")
    finding_at = serializers.DateTimeField(allow_null=True)
    conference_clock = StrategyClockSerializer(
        allow_null=True,
        help_text="The initial child protection conference, when the enquiry finds continuing risk.",
    )


class StrategyActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    owner_agency = AgencySerializer()
    owner = UserRefSerializer(allow_null=True, help_text="null: anyone of the owner agency.")
    due_on = serializers.DateField()
    status = EnumField(ActionStatus, name="StrategyActionStatus")
    completed_at = serializers.DateTimeField(allow_null=True)
    completed_by = UserRefSerializer(allow_null=True)
    completion_note = serializers.CharField()


class StrategyActionRowSerializer(StrategyActionSerializer):
    """An action in 'my actions', with the discussion it comes from."""

    discussion_id = serializers.IntegerField()
    referral = ReferralRefSerializer(source="discussion.referral")


class StrategyAddendumSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    by = UserRefSerializer()
    at = serializers.DateTimeField()


class StrategyDiscussionRowSerializer(AudienceSerializer):
    """A row of the list: only what the list's selector loads (an invited agency: what the policy's
    partner fields allow, strategy/policy.py)."""

    audience_model = StrategyDiscussion

    id = serializers.IntegerField()
    referral = ReferralRefSerializer()
    status = status_field()
    scheduled_at = serializers.DateTimeField()
    mode = mode_field()
    chair = UserRefSerializer()
    strategy_clock = StrategyClockSerializer(source="threshold_decision.strategy_clock")
    version = serializers.IntegerField()


class StrategyDiscussionSerializer(AudienceSerializer):
    """One discussion and its record (the parts come from the context). An invited agency sees what
    the policy's partner fields allow (strategy/policy.py); the rest is left out."""

    audience_model = StrategyDiscussion

    id = serializers.IntegerField()
    referral = ReferralRefSerializer()
    threshold_decision_id = serializers.IntegerField()
    status = status_field()
    version = serializers.IntegerField(help_text="Send it back with a change (optimistic locking).")
    scheduled_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    mode = mode_field()
    location = serializers.CharField()
    chair = UserRefSerializer()
    convened_at = serializers.DateTimeField()
    strategy_clock = StrategyClockSerializer(
        source="threshold_decision.strategy_clock", help_text="Stopped when the record is signed off."
    )
    notes = serializers.CharField()
    rationale = serializers.CharField()
    signed_off_at = serializers.DateTimeField(allow_null=True)
    signed_off_by = UserRefSerializer(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancelled_by = UserRefSerializer(allow_null=True)
    cancellation_reason = serializers.CharField()
    invitations = serializers.SerializerMethodField()
    considered = serializers.SerializerMethodField()
    decided_for = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    addenda = serializers.SerializerMethodField()
    sign_off_problems = serializers.SerializerMethodField()

    @extend_schema_field(StrategyInvitationSerializer(many=True))
    def get_invitations(self, discussion):
        return StrategyInvitationSerializer(self.context["invitations"], many=True).data

    @extend_schema_field(
        serializers.ListField(
            child=serializers.IntegerField(),
            help_text="The information requests whose answers the discussion considers: read them at "
            "information-requests/{id}/.",
        )
    )
    def get_considered(self, discussion):
        return self.context["considered"]

    @extend_schema_field(PersonRefSerializer(many=True))
    def get_decided_for(self, discussion):
        """Who the discussion decides for: every child of the referral (an adult referral's subjects)."""
        return PersonRefSerializer(self.context["decided_for"], many=True).data

    @extend_schema_field(SubjectDecisionSerializer(many=True))
    def get_decisions(self, discussion):
        return SubjectDecisionSerializer(self.context["decisions"], many=True).data

    @extend_schema_field(StrategyActionSerializer(many=True))
    def get_actions(self, discussion):
        return StrategyActionSerializer(self.context["actions"], many=True).data

    @extend_schema_field(StrategyAddendumSerializer(many=True))
    def get_addenda(self, discussion):
        return StrategyAddendumSerializer(self.context["addenda"], many=True).data

    @extend_schema_field(
        serializers.DictField(
            child=serializers.CharField(),
            help_text="While the record is open: what is missing before it can be signed off, by field.",
        )
    )
    def get_sign_off_problems(self, discussion):
        return self.context["problems"]


def discussion_response(request, discussion: StrategyDiscussion, *, status: int = 200) -> Response:
    context = {
        "request": request,
        **selectors.discussion_parts(discussion),
        "considered": sorted(discussion.considered.values_list("pk", flat=True)),
        "decided_for": services.subjects_of(discussion),
        "problems": services.sign_off_problems(discussion) if discussion.is_open else {},
    }
    return Response(StrategyDiscussionSerializer(discussion, context=context).data, status=status)
