"""What the information requests endpoints take. Agency ids are turned into agencies here; whether an
agency may be asked is the service's question."""

import dataclasses

from rest_framework import serializers

from mash.agencies.models import Agency
from mash.common.api import MAX_ID, EnumField, QuerySerializer, version_input
from referrals.models import HandlingCode, IntelligenceAssessment, SecurityMarking, SourceEvaluation
from referrals.requests import services

MAX_AGENCIES = 50


def _text(max_length: int | None = None, **kwargs):
    return serializers.CharField(max_length=max_length, allow_blank=True, default="", **kwargs)


class InboxQuerySerializer(QuerySerializer):
    answered = serializers.BooleanField(default=False, help_text="Include the answered requests.")


class RequestItemSerializer(serializers.Serializer):
    agency_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    questions = serializers.CharField(help_text="What the agency should answer.")


class SendSerializer(serializers.Serializer):
    version = version_input("The version of the referral as read; a change made since is refused.")
    requests = RequestItemSerializer(many=True, allow_empty=False, max_length=MAX_AGENCIES)

    def validate_requests(self, items):
        agencies = Agency.objects.in_bulk({item["agency_id"] for item in items})
        # Keyed by position, as DRF reports the errors of the items themselves.
        errors = {
            str(index): {"agency_id": ["No such agency."]}
            for index, item in enumerate(items)
            if item["agency_id"] not in agencies
        }
        if errors:
            raise serializers.ValidationError(errors)
        return [
            services.RequestInput(agency=agencies[item["agency_id"]], questions=item["questions"])
            for item in items
        ]


class EntryFieldsSerializer(serializers.Serializer):
    person_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="One of the subjects.")
    nothing_known = serializers.BooleanField(default=False)
    source_system = _text(200, help_text="Required unless nothing is known.")
    information_date = serializers.DateField(allow_null=True, default=None)
    summary = _text(300, help_text="Required unless nothing is known.")
    detail = _text()
    source_evaluation = EnumField(
        SourceEvaluation, allow_blank=True, default="", help_text="Police: required unless nothing is known."
    )
    intelligence_assessment = EnumField(
        IntelligenceAssessment,
        allow_blank=True,
        default="",
        help_text="Police: required unless nothing is known.",
    )
    handling_code = EnumField(
        HandlingCode, allow_blank=True, default="", help_text="Police: required unless nothing is known."
    )
    handling_conditions = _text(help_text="Required with handling code C.")
    security_marking = EnumField(SecurityMarking, default=SecurityMarking.OFFICIAL_SENSITIVE)


def entry_input(data: dict) -> services.EntryInput:
    """An entry's checked fields as the services take them (without the version or a reason)."""
    fields = {field.name for field in dataclasses.fields(services.EntryInput)}
    return services.EntryInput(**{name: value for name, value in data.items() if name in fields})


class ClaimSerializer(serializers.Serializer):
    """'Assign to me' sends nothing."""


class EntryCreateSerializer(EntryFieldsSerializer):
    version = version_input("The version of the request as read; a change made since is refused.")


class AddendumSerializer(EntryFieldsSerializer):
    reason = serializers.CharField(help_text="Why the submitted answer is added to or corrected.")


class SubmitSerializer(serializers.Serializer):
    version = version_input("The version of the request as read; a change made since is refused.")


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the request is withdrawn (the agency is told).")
