"""What the strategy endpoints take. Ids are turned into records here; whether a record may be used
(an answer about this referral, a person who works for the agency) is the service's question."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from mash.agencies.models import Agency
from mash.common.api import MAX_ID, EnumField, QuerySerializer, version_input
from mash.people.models import Person
from referrals.models import InformationRequest, Outcome
from strategy import services
from strategy.api.output import mode_field, status_field
from strategy.models import Attendance, Decision, Section47Finding

MAX_ITEMS = 50
NO_SUCH_USER = "There is no such user."
NO_SUCH_AGENCY = "No such agency."


def _text(max_length: int | None = None, **kwargs):
    return serializers.CharField(max_length=max_length, allow_blank=True, default="", **kwargs)


def _id(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _ids(help_text: str, **kwargs):
    return serializers.ListField(child=_id(), max_length=MAX_ITEMS, help_text=help_text, **kwargs)


def discussion_version():
    return version_input("The version of the discussion as read; a change made since is refused.")


def _user(pk: int | None):
    if pk is None:
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise serializers.ValidationError(NO_SUCH_USER)
    return user


def _agency(pk: int) -> Agency:
    agency = Agency.objects.filter(pk=pk).first()
    if agency is None:
        raise serializers.ValidationError(NO_SUCH_AGENCY)
    return agency


def _answers(ids: list[int], field: str) -> list[InformationRequest]:
    """The requests named; an id that names none is refused as the service refuses a wrong one."""
    found = InformationRequest.objects.in_bulk(set(ids))
    if any(pk not in found for pk in ids):
        raise serializers.ValidationError({field: ["Not an answer about this referral."]})
    return list(found.values())


# --- Lists -----------------------------------------------------------------------------------------


class ThresholdFilterSerializer(QuerySerializer):
    referral = _id(allow_null=True, default=None, source="referral_id")


class DiscussionFilterSerializer(QuerySerializer):
    status = status_field(allow_blank=True, default="")
    referral = _id(allow_null=True, default=None, source="referral_id")


class ActionFilterSerializer(QuerySerializer):
    include_done = serializers.BooleanField(default=False, help_text="Include the actions done.")
    everyone = serializers.BooleanField(
        default=False, help_text="Every action, not only yours (the lead agency's case workers)."
    )


# --- Threshold decision and convening --------------------------------------------------------------


class AnswerRatingInputSerializer(serializers.Serializer):
    request = _id(help_text="An answer (information request) the decision relies on.")
    sufficient = serializers.BooleanField(help_text="Whether the answer was sufficient to decide on.")
    reason = _text(help_text="Why it was not sufficient: required then, not kept otherwise.")

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        [request] = _answers([attrs["request"]], "request")
        return services.RatingInput(request=request, sufficient=attrs["sufficient"], reason=attrs["reason"])


class ThresholdCreateSerializer(serializers.Serializer):
    referral = _id(help_text="A referral awaiting a threshold decision.")
    version = version_input("The version of the referral as read; a change made since is refused.")
    required = serializers.BooleanField(help_text="Whether a strategy discussion is required.")
    rationale = _text()
    information_relied_on = _text(help_text="Beyond the answers chosen.")
    answers = _ids("Information requests whose answers the decision relied on.", default=list)
    outcome = EnumField(Outcome, allow_blank=True, default="", help_text="Required when not required.")
    outcome_rationale = _text(help_text="Left out: the rationale of the decision.")
    ratings = AnswerRatingInputSerializer(
        many=True,
        default=list,
        max_length=MAX_ITEMS,
        help_text="Optional: whether each answer relied on was sufficient, and why not.",
    )

    def validate_answers(self, ids):
        return _answers(ids, "answers")


class DiscussionInviteeSerializer(serializers.Serializer):
    agency = _id()
    user = _id(allow_null=True, default=None, help_text="A person of the agency; null: the agency.")

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        errors = {}
        invitee = {}
        for field, load in (("agency", _agency), ("user", _user)):
            try:
                invitee[field] = load(attrs[field])
            except serializers.ValidationError as exc:
                errors[field] = exc.detail
        if errors:
            raise serializers.ValidationError(errors)
        return services.Invitee(**invitee)


class DiscussionConveneSerializer(serializers.Serializer):
    referral = _id(help_text="A referral a threshold decision sent to a strategy discussion.")
    scheduled_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=5, max_value=480, default=60)
    mode = mode_field()
    location = _text(300, help_text="The room, the dial-in number or the video link.")
    chair = _id(help_text="A decision maker.")
    invitees = DiscussionInviteeSerializer(many=True, max_length=MAX_ITEMS)
    considered = _ids(
        "The information requests whose answers the discussion considers. Left out: every answer.",
        allow_null=True,
        default=None,
    )

    def validate_chair(self, pk):
        return _user(pk)

    def validate_considered(self, ids):
        return None if ids is None else _answers(ids, "considered")


# --- Changes to a discussion -----------------------------------------------------------------------


class DiscussionRescheduleSerializer(serializers.Serializer):
    version = discussion_version()
    scheduled_at = serializers.DateTimeField()
    reason = _text(help_text="Why the discussion moves (everyone invited is told).")
    mode = mode_field(allow_null=True, default=None, help_text="Left out: unchanged.")
    location = serializers.CharField(
        max_length=300, allow_blank=True, allow_null=True, default=None, help_text="Left out: unchanged."
    )
    duration_minutes = serializers.IntegerField(
        min_value=5, max_value=480, allow_null=True, default=None, help_text="Left out: unchanged."
    )


class DiscussionCancelSerializer(serializers.Serializer):
    version = discussion_version()
    reason = _text(help_text="Why the discussion is cancelled (everyone invited is told).")


class DiscussionInviteSerializer(serializers.Serializer):
    version = discussion_version()
    invitees = DiscussionInviteeSerializer(many=True, max_length=MAX_ITEMS)


class DiscussionVersionSerializer(serializers.Serializer):
    version = discussion_version()


class DiscussionConsideredSerializer(serializers.Serializer):
    version = discussion_version()
    # The service's ``requests``.
    considered = _ids("The information requests whose answers the discussion considers.", source="requests")

    def validate_considered(self, ids):
        return _answers(ids, "considered")


class DiscussionAttendanceItemSerializer(serializers.Serializer):
    invitation = _id()
    attendance = EnumField(Attendance)


class DiscussionAttendanceSerializer(serializers.Serializer):
    version = discussion_version()
    attendance = DiscussionAttendanceItemSerializer(many=True, max_length=MAX_ITEMS)

    def validate_attendance(self, items):
        return {item["invitation"]: item["attendance"] for item in items}


class DiscussionRecordSerializer(serializers.Serializer):
    version = discussion_version()
    notes = _text(help_text="The discussion notes.")
    rationale = _text(help_text="The rationale for the decisions.")


class DiscussionDecisionItemSerializer(serializers.Serializer):
    person = _id(help_text="One of the discussion's decided_for: every child of the referral.")
    decision = EnumField(Decision, name="StrategyDecision")
    rationale = _text()


class DiscussionDecisionsSerializer(serializers.Serializer):
    version = discussion_version()
    decisions = DiscussionDecisionItemSerializer(
        many=True,
        allow_empty=False,
        max_length=MAX_ITEMS,
        help_text="One for each of the discussion's decided_for, each child of the referral.",
    )

    def validate_decisions(self, items):
        people = Person.objects.in_bulk({item["person"] for item in items})
        if any(item["person"] not in people for item in items):
            raise serializers.ValidationError("Not a subject of this referral.")
        return [
            services.DecisionInput(
                person=people[item["person"]], decision=item["decision"], rationale=item["rationale"]
            )
            for item in items
        ]


class DiscussionActionCreateSerializer(serializers.Serializer):
    version = discussion_version()
    description = _text(help_text="What is to be done.")
    owner_agency = _id()
    owner = _id(allow_null=True, default=None, help_text="A person of the owner agency; null: the agency.")
    due_on = serializers.DateField()

    def validate_owner_agency(self, pk):
        return _agency(pk)

    def validate_owner(self, pk):
        return _user(pk)


class DiscussionAddendumSerializer(serializers.Serializer):
    text = _text(help_text="The change to the signed-off record.")


class DecisionFindingSerializer(serializers.Serializer):
    finding = EnumField(Section47Finding)


class ActionCompleteSerializer(serializers.Serializer):
    note = _text(help_text="What was done.")
