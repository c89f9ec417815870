"""Police intelligence grading (the 3x5x2) and security marking: what every graded entry carries,
whether a partner agency's answer or a disclosure research package (docs/domain.md).

One set of choices, one abstract set of fields, one rule check and one form (mash/common/grading_forms.py)
for every app that records graded information.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

INFORMATION_DATE_IN_FUTURE = "Date of the information must be today or in the past."


class SourceEvaluation(models.TextChoices):
    RELIABLE = "1", "1: reliable"
    UNTESTED = "2", "2: untested"
    NOT_RELIABLE = "3", "3: not reliable"


class IntelligenceAssessment(models.TextChoices):
    A = "A", "A: known directly to the source"
    B = "B", "B: known indirectly but corroborated"
    C = "C", "C: known indirectly"
    D = "D", "D: not known"
    E = "E", "E: suspected to be false"


class HandlingCode(models.TextChoices):
    P = "P", "P: lawful sharing permitted"
    C = "C", "C: lawful sharing permitted with conditions"


class SecurityMarking(models.TextChoices):
    OFFICIAL = "official", "OFFICIAL"
    OFFICIAL_SENSITIVE = "official_sensitive", "OFFICIAL-SENSITIVE"


class GradedFields(models.Model):
    """The fields of one graded piece of information (an abstract base)."""

    source_system = models.CharField(max_length=200, blank=True)
    information_date = models.DateField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    detail = models.TextField(blank=True)
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices, blank=True)
    intelligence_assessment = models.CharField(
        max_length=1, choices=IntelligenceAssessment.choices, blank=True
    )
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices, blank=True)
    handling_conditions = models.TextField(blank=True)
    security_marking = models.CharField(
        max_length=20, choices=SecurityMarking.choices, default=SecurityMarking.OFFICIAL_SENSITIVE
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


@dataclass
class Grading:
    """A graded entry as typed in (a page form or the API), before it is checked."""

    source_system: str = ""
    information_date: date | None = None
    summary: str = ""
    detail: str = ""
    source_evaluation: str = ""
    intelligence_assessment: str = ""
    handling_code: str = ""
    handling_conditions: str = ""
    security_marking: str = SecurityMarking.OFFICIAL_SENSITIVE

    def cleaned(self) -> dict:
        return {
            "source_system": self.source_system.strip(),
            "information_date": self.information_date,
            "summary": self.summary.strip(),
            "detail": self.detail.strip(),
            "source_evaluation": self.source_evaluation,
            "intelligence_assessment": self.intelligence_assessment,
            "handling_code": self.handling_code,
            "handling_conditions": self.handling_conditions.strip(),
            "security_marking": self.security_marking,
        }


def information_date_errors(data, *, today: date | None = None) -> dict[str, str]:
    """What is wrong with an entry's date of the information (graded or 'nothing known'): it may not
    be in the future."""
    if data.information_date is not None and data.information_date > (today or timezone.localdate()):
        return {"information_date": INFORMATION_DATE_IN_FUTURE}
    return {}


def grading_errors(data, *, police: bool) -> dict[str, str]:
    """What is wrong with a graded entry, by field: a summary and its source always; the date of the
    information not in the future; police information needs its 3x5x2; handling code C needs its
    conditions."""
    errors = information_date_errors(data)
    if not data.summary.strip():
        errors["summary"] = "Write a summary, or record that nothing is known."
    if not data.source_system.strip():
        errors["source_system"] = "Name the system or record the information comes from."
    if police:
        for field, label in (
            ("source_evaluation", "source evaluation (1-3)"),
            ("intelligence_assessment", "intelligence assessment (A-E)"),
            ("handling_code", "handling code (P or C)"),
        ):
            if not getattr(data, field):
                errors[field] = f"Police information needs its {label}."
    if data.handling_code == HandlingCode.C and not data.handling_conditions.strip():
        errors["handling_conditions"] = "Handling code C: record the conditions of sharing."
    return errors
