from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q

from mash.agencies.roles import ROLE_NAMES
from mash.common.models import TimeStampedModel


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    CHILDREN_YOUNG_PEOPLE = "children_young_people", "Children and young people's services"
    ADULT_SERVICES = "adult_services", "Adult services"
    EDUCATION = "education", "Education"
    OTHER = "other", "Other"


class Agency(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    is_lead = models.BooleanField(
        "lead agency", default=False, help_text="The agency that receives referrals and collates answers."
    )
    email = models.EmailField(blank=True, help_text="The agency's shared mailbox, if it has one.")
    is_active = models.BooleanField(default=True)
    # Object permissions are granted to this group when the need is the agency's (docs/design.md).
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency", editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["is_lead"], condition=Q(is_lead=True), name="agencies_one_lead_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def _role_groups():
    return {"name__in": sorted(ROLE_NAMES)}


class Membership(TimeStampedModel):
    """A user's one agency and their roles in it. Services keep user.groups in step."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    roles = models.ManyToManyField(Group, blank=True, related_name="+", limit_choices_to=_role_groups)
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["agency__name", "user__username"]
        indexes = [
            # Fan-out: "the researchers of agency X" filters memberships by agency.
            models.Index(fields=["agency"], name="agencies_membership_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.agency}"
