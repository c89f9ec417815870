from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mash.common.models import TimeStampedModel
from mash.people.identifiers import normalise_nhs_number
from mash.people.validators import person_detail_errors


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


def full_name(given_name: str, family_name: str) -> str:
    """A person's name as the pages show it (``Person.full_name``), from the two names alone."""
    return f"{given_name} {family_name}"


class Person(TimeStampedModel):
    """A child or adult who is the subject of MASH work."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    aliases = models.CharField(
        max_length=300, blank=True, help_text="Other names the person is known by, separated by commas."
    )
    date_of_birth = models.DateField(null=True, blank=True)
    approximate_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="In years, when the date of birth is not known."
    )
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.UNKNOWN)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # Phonetic keys (jellyfish Metaphone), kept by the service so matching is an indexed lookup.
    given_name_key = models.CharField(max_length=64, editable=False, default="")
    family_name_key = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        verbose_name_plural = "people"
        permissions = [("break_glass_person", "Can open a person record by break-glass")]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"], condition=~Q(nhs_number=""), name="people_unique_nhs_number"
            ),
            models.CheckConstraint(
                condition=Q(approximate_age__isnull=True) | Q(approximate_age__lte=130),
                name="people_plausible_age",
            ),
        ]
        indexes = [
            # Identity matching: phonetic family name + date of birth, then + given name key.
            models.Index(fields=["family_name_key", "date_of_birth"], name="people_phonetic_dob"),
            models.Index(fields=["family_name_key", "given_name_key"], name="people_phonetic_names"),
            # Identity matching: exact family name and date of birth.
            models.Index(fields=["family_name", "date_of_birth"], name="people_name_dob"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return full_name(self.given_name, self.family_name)

    def clean(self) -> None:
        errors = person_detail_errors(date_of_birth=self.date_of_birth, nhs_number=self.nhs_number)
        if self.nhs_number and "nhs_number" not in errors:
            self.nhs_number = normalise_nhs_number(self.nhs_number)
            if Person.objects.filter(nhs_number=self.nhs_number).exclude(pk=self.pk).exists():
                errors["nhs_number"] = ValidationError(
                    "Another person already has %(field)s: check for a match.",
                    code="nhs_number_taken",
                    params={"field": "this NHS number"},
                )
        if self.postcode:
            self.postcode = " ".join(self.postcode.upper().split())
        if errors:
            raise ValidationError(errors)


class PersonUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)


class PersonGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)
