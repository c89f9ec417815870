"""What the disclosures API takes. Ids are turned into records here; whether a record may be used (a
researcher of the team, an active agency) is the service's question."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from disclosures import services
from disclosures.api.output import scheme_field, stage_field
from disclosures.models import PersonRole, Route
from mash.agencies.models import Agency
from mash.common.api import MAX_ID, EnumField, QuerySerializer, version_input
from mash.common.grading import (
    Grading,
    HandlingCode,
    IntelligenceAssessment,
    SecurityMarking,
    SourceEvaluation,
)
from mash.people.api import PersonChoiceSerializer, known_person_field

MAX_PEOPLE = 12
MAX_AGENCIES = 50


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
    not_a_duplicate = serializers.BooleanField(
        default=False,
        help_text="When an application not yet decided is already about the same subject, the new one "
        "is refused (409, naming the open ones) unless this confirms it is not a duplicate.",
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


def grading(data: dict) -> Grading:
    """An entry's checked input as the services' ``Grading`` (without the version it was read at)."""
    return Grading(**{name: value for name, value in data.items() if name != "expected_version"})


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


class PackageEntryUpdateSerializer(PackageEntryCreateSerializer):
    version = _version("entry")


class PackageEntryRemoveQuerySerializer(QuerySerializer):
    version = _version("entry")
