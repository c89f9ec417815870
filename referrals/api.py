"""The referrals and consultations API.

Every view is thin: an input serializer checks the shape of the request, one service call does the
work (a refusal is a django ValidationError, which the project's handler answers as a 400 naming the
field), an output serializer answers. Every read goes through a selector that takes the acting user,
so the sharing policy and the access log apply; a record the user may not see is a logged 404, even
when the request was to change it.

Partner agencies see a referral once it is shared with them, and then only its summary: what a viewer
sees of a record is the sharing policy's audience (referrals/policy.py), applied by AudienceSerializer.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mash.common.actions import RecordActionAPI
from mash.common.api import (
    MAX_ID,
    ClockSerializer,
    EnumField,
    QuerySerializer,
    UserRefSerializer,
    stale_response,
    version_input,
)
from mash.people.api import PersonChoiceSerializer, known_person_field
from mash.sharing.serializers import AudienceListMixin, AudienceSerializer
from referrals import selectors, services
from referrals.models import (
    Channel,
    Concern,
    Consent,
    Consultation,
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


# --- Output ----------------------------------------------------------------------------------------
# What a viewer sees of a referral is the sharing policy's decision (referrals/policy.py, the partner
# fields): the serializers below show every field to the full audience and the summary to a partner.


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


def _detail(request, referral: Referral, *, status: int = 200) -> Response:
    context = {"request": request, **selectors.referral_detail_parts(referral)}
    return Response(ReferralDetailSerializer(referral, context=context).data, status=status)


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


# --- Input -----------------------------------------------------------------------------------------


def _text(max_length: int | None = None, **kwargs):
    return serializers.CharField(max_length=max_length, allow_blank=True, default="", **kwargs)


class ReferralFilterSerializer(QuerySerializer):
    state = state_field(allow_blank=True, default="")
    rag = EnumField(Rag, allow_blank=True, default="")
    assigned_to_me = serializers.BooleanField(default=False)
    breached = serializers.BooleanField(default=False, help_text="Decided late, or overdue.")


class SubjectInputSerializer(PersonChoiceSerializer):
    """A known person (``person_id``), or the details of a new one; in a role."""

    choice_class = services.SubjectInput
    id_field = "person_id"

    role = EnumField(SubjectRole, default=SubjectRole.SUBJECT)
    person_id = known_person_field()


class ReferralCreateSerializer(serializers.Serializer):
    kind = EnumField(ReferralKind, default=ReferralKind.CHILD)
    channel = EnumField(Channel, name="ReferralChannel")
    received_at = serializers.DateTimeField(allow_null=True, default=None, help_text="Now when left out.")
    referrer_name = serializers.CharField(max_length=200)
    referrer_organisation = _text(200)
    referrer_role = _text(200)
    referrer_email = serializers.EmailField(allow_blank=True, default="")
    referrer_phone = _text(40)
    referrer_relationship = _text(200)
    concerns = serializers.ListField(child=EnumField(Concern), max_length=len(Concern.values))
    account = serializers.CharField()
    consent = EnumField(Consent)
    consent_reason = _text(help_text="Required when consent was not sought or was overridden.")
    consent_decided_by = _text(200, help_text="Required when consent was overridden.")
    adult_wishes = _text()
    subjects = SubjectInputSerializer(many=True, max_length=50)


class VersionedSerializer(serializers.Serializer):
    version = version_input("The version of the referral as read; a change made since is refused.")


class TransitionSerializer(VersionedSerializer):
    to_state = state_field()
    note = _text()


class RateSerializer(VersionedSerializer):
    rating = EnumField(Rag)
    rationale = _text()


class OutcomeSerializer(VersionedSerializer):
    outcome = EnumField(Outcome)
    rationale = _text()


class CloseSerializer(VersionedSerializer):
    feedback_note = _text(help_text="How the referrer was told, when there is no e-mail address.")


class ReopenSerializer(VersionedSerializer):
    reason = _text()


class AssignSerializer(VersionedSerializer):
    assignee_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, allow_null=True, source="assignee", help_text="null to unassign."
    )

    def validate_assignee_id(self, value):
        if value is None:
            return None
        user = get_user_model().objects.filter(pk=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError("There is no such user.")
        return user


class ConsultationFilterSerializer(QuerySerializer):
    search = _text(200, help_text="Part of the caller's name or organisation.")
    referral_advised = serializers.BooleanField(allow_null=True, default=None)
    converted = serializers.BooleanField(allow_null=True, default=None, help_text="Became a referral.")


class ConsultationCreateSerializer(serializers.Serializer):
    called_at = serializers.DateTimeField(allow_null=True, default=None, help_text="Now when left out.")
    caller_name = serializers.CharField(max_length=200)
    caller_organisation = serializers.CharField(max_length=200)
    caller_role = _text(200)
    caller_phone = _text(40)
    caller_email = serializers.EmailField(allow_blank=True, default="")
    kind = EnumField(ReferralKind, default=ReferralKind.CHILD)
    person_id = known_person_field(source="person")
    anonymous_description = _text(200, help_text="Who was discussed, when they are not named.")
    question = serializers.CharField()
    advice = serializers.CharField()
    referral_advised = serializers.BooleanField(default=False)


class ConvertSerializer(serializers.Serializer):
    concerns = serializers.ListField(
        child=EnumField(Concern), max_length=len(Concern.values), allow_null=True, default=None
    )
    consent = EnumField(Consent, default=Consent.NOT_SOUGHT)
    consent_reason = _text()
    consent_decided_by = _text(200, help_text="Required when consent was overridden.")
    subjects = SubjectInputSerializer(
        many=True,
        max_length=50,
        allow_null=True,
        default=None,
        help_text="Left out: the person the call was about.",
    )


# --- Views -----------------------------------------------------------------------------------------


class ReferralListCreateAPI(AudienceListMixin, generics.ListAPIView):
    serializer_class = ReferralRowSerializer

    @extend_schema(parameters=[ReferralFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return Referral.objects.none()
        query = ReferralFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.referral_list_for(self.request.user, **query.validated_data)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralDetailSerializer})
    def post(self, request):
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.referral_create(by=request.user, **data.validated_data)
        return _detail(request, referral, status=201)


class ReferralDetailAPI(APIView):
    @extend_schema(responses=ReferralDetailSerializer)
    def get(self, request, pk: int):
        return _detail(request, selectors.referral_get_for(request.user, pk, request=request))


class ReferralActionAPI(RecordActionAPI):
    """One action on a referral through the API (mash/common/actions.py): a serializer, one service."""

    record_name, output, conflict = "referral", ReferralDetailSerializer, STALE

    def get_record(self, request, pk):
        return selectors.referral_get_for(request.user, pk, request=request)

    def respond(self, request, referral, result):
        return _detail(request, result)


class ReferralTransitionAPI(ReferralActionAPI):
    summary, serializer_class = "Move the referral to the next state", TransitionSerializer
    service = services.referral_transition


class ReferralRateAPI(ReferralActionAPI):
    summary, serializer_class = "RAG-rate (or re-rate) the referral", RateSerializer
    service = services.referral_rate


class ReferralOutcomeAPI(ReferralActionAPI):
    summary, serializer_class = "Record the MASH decision", OutcomeSerializer
    service = services.referral_record_outcome


class ReferralCloseAPI(ReferralActionAPI):
    summary, serializer_class = "Close a decided referral and tell the referrer", CloseSerializer
    service = services.referral_close


class ReferralReopenAPI(ReferralActionAPI):
    summary, serializer_class = "Reopen a closed referral", ReopenSerializer
    service = services.referral_reopen


class ReferralAssignAPI(ReferralActionAPI):
    summary = "Assign the referral to a triage practitioner, or unassign it"
    serializer_class = AssignSerializer
    service = services.referral_assign


class ConsultationListCreateAPI(generics.ListAPIView):
    serializer_class = ConsultationSerializer

    @extend_schema(parameters=[ConsultationFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return Consultation.objects.none()
        query = ConsultationFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.consultation_list_for(self.request.user, **query.validated_data)

    @extend_schema(request=ConsultationCreateSerializer, responses={201: ConsultationSerializer})
    def post(self, request):
        data = ConsultationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consultation = services.consultation_create(by=request.user, **data.validated_data)
        return Response(ConsultationSerializer(consultation).data, status=201)


class ConsultationDetailAPI(APIView):
    @extend_schema(responses=ConsultationSerializer)
    def get(self, request, pk: int):
        consultation = selectors.consultation_get_for(request.user, pk, request=request)
        return Response(ConsultationSerializer(consultation).data)


class ConsultationConvertAPI(APIView):
    @extend_schema(
        summary="Turn the call into a referral (once only)",
        request=ConvertSerializer,
        responses={201: ReferralDetailSerializer},
    )
    def post(self, request, pk: int):
        consultation = selectors.consultation_get_for(request.user, pk, request=request)
        data = ConvertSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.consultation_convert(
            consultation=consultation, by=request.user, **data.validated_data
        )
        return _detail(request, referral, status=201)
