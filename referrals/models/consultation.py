from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mash.common.dates import format_date
from mash.common.models import TimeStampedModel
from referrals.models.referral import Referral, ReferralKind


class Consultation(TimeStampedModel):
    """A professional's call to the consultation line: the advice given is itself a record."""

    called_at = models.DateTimeField()
    caller_name = models.CharField(max_length=200)
    caller_organisation = models.CharField(max_length=200)
    caller_role = models.CharField(max_length=200, blank=True)
    caller_phone = models.CharField(max_length=40, blank=True)
    caller_email = models.EmailField(blank=True)
    kind = models.CharField(max_length=8, choices=ReferralKind.choices, default=ReferralKind.CHILD)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    anonymous_description = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who was discussed, when they are not named (e.g. 'boy, 9, Year 4').",
    )
    question = models.TextField()
    advice = models.TextField()
    referral_advised = models.BooleanField(default=False)
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="from_consultation"
    )
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-called_at", "-pk"]
        indexes = [models.Index(fields=["-called_at"], name="referrals_consultation_called")]  # the list

    def __str__(self) -> str:
        who = f"{self.caller_name} ({self.caller_organisation})"
        return f"Consultation with {who} on {format_date(self.called_at)}"


class ConsultationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Consultation, on_delete=models.CASCADE)


class ConsultationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Consultation, on_delete=models.CASCADE)
