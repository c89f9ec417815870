"""Every write of the disclosures app (keyword-only, atomic; refusals name the field and the rule)."""

from disclosures.services.decision import decision_record, disclosure_record, forum_open
from disclosures.services.intake import (
    PersonInput,
    application_create,
    application_errors,
    application_withdraw,
    initial_check_record,
    people_errors,
    researcher_assign,
    verification_record,
)
from disclosures.services.research import (
    completeness_problems,
    entry_add,
    entry_remove,
    entry_update,
    entry_values,
    package_return,
    package_submit,
    package_summary_update,
    section_update,
)

__all__ = [
    "PersonInput",
    "application_create",
    "application_errors",
    "application_withdraw",
    "completeness_problems",
    "decision_record",
    "disclosure_record",
    "entry_add",
    "entry_remove",
    "entry_update",
    "entry_values",
    "forum_open",
    "initial_check_record",
    "package_return",
    "package_submit",
    "package_summary_update",
    "people_errors",
    "researcher_assign",
    "section_update",
    "verification_record",
]
