"""What the referrals and consultations endpoints take."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from mash.common.api import MAX_ID, EnumField, QuerySerializer, version_input
from mash.people.api import PersonChoiceSerializer, known_person_field
from referrals import services
from referrals.api.output import state_field
from referrals.models import Channel, Concern, Consent, Outcome, Rag, ReferralKind, SubjectRole


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
    not_a_duplicate = serializers.BooleanField(
        default=False,
        help_text="Confirms a new referral when open referrals of the same people, received in the last "
        "30 days, were pointed out (409).",
    )


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
