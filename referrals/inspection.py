"""The referrals app's inspection lists (ILACS Annex A): List 1, contacts, and List 3, referrals.

A CONTACT is every child referral received in the period, a row per child it is about; a REFERRAL is a
contact whose outcome accepted it for social care assessment or enquiry (docs/measures.md, the shared
definitions). Each column, its Annex A heading and where its value comes from: docs/annex-a.md.
"""

from django.utils import timezone

from mash.measures.inspection import (
    COUNT,
    DATE,
    Heading,
    InspectionList,
    Rows,
    age_on,
    count_in_year_before,
    gender_code,
    register,
    worker_name,
    year_before,
)
from referrals import selectors
from referrals.measures.demand import ACCEPTED as REFERRAL_OUTCOMES
from referrals.models import Channel

CHILD = (
    Heading("child_id", "Child Unique ID"),
    Heading("gender", "Gender"),
    Heading("ethnicity", "Ethnicity"),
    Heading("date_of_birth", "Date of Birth", DATE),
    Heading("age", "Age of Child (Years)", COUNT),
)
CONTACT_HEADINGS = (
    *CHILD,
    Heading("date_of_contact", "Date of Contact", DATE),
    Heading("contact_source", "Contact Source"),
)
REFERRAL_HEADINGS = (
    *CHILD,
    Heading("date_of_referral", "Date of referral", DATE),
    Heading("referral_source", "Referral Source"),
    Heading("referral_nfa", "Referral NFA?"),
    Heading("referrals_in_last_12_months", "Number of Referrals in Last 12 Months", COUNT),
    Heading("allocated_team", "Allocated Team"),
    Heading("allocated_worker", "Allocated Worker"),
)


def child_columns(person, day) -> list:
    """The columns every list starts with. Ethnicity is not recorded by this system (blank)."""
    return [str(person.pk), gender_code(person.gender), None, person.date_of_birth, age_on(person, day)]


def source(referral) -> str:
    """Who made the contact: the organisation the referrer gave, and the channel it came by."""
    channel = Channel(referral.channel).label
    organisation = referral.referrer_organisation.strip()
    return f"{organisation} ({channel})" if organisation else channel


# What the rows read of a contact: not its account, concerns or rationales (a year's download at bench
# scale: 40,013 rows in 10.1 s reading whole records, in 4.7 s reading these; the rest is mostly
# building the model instances, a batch of 500 at a time).
FIELDS = (
    "person_id",
    "referral_id",
    "referral__received_at",
    "referral__channel",
    "referral__referrer_organisation",
    "referral__assigned_to__first_name",
    "referral__assigned_to__last_name",
    "referral__assigned_to__username",
    "person__gender",
    "person__date_of_birth",
    "person__approximate_age",
)


def _shown(subjects: list) -> list:
    return [obj for subject in subjects for obj in (subject.referral, subject.person)]


def contact_rows(user, period) -> Rows:
    def build(subjects):
        rows = []
        for subject in subjects:
            received = timezone.localtime(subject.referral.received_at).date()
            rows.append([*child_columns(subject.person, received), received, source(subject.referral)])
        return rows

    return Rows(
        records=selectors.child_contacts_for(user, start=period.start, end=period.end).only(*FIELDS),
        build=build,
        shown=_shown,
    )


def referral_rows(user, period) -> Rows:
    def build(subjects):
        if not subjects:
            return []
        times = selectors.child_referral_times(
            user,
            {subject.person_id for subject in subjects},
            since=min(year_before(subject.referral.received_at) for subject in subjects),
            until=max(subject.referral.received_at for subject in subjects),
            outcomes=REFERRAL_OUTCOMES,
        )
        rows = []
        for subject in subjects:
            referral = subject.referral
            received = timezone.localtime(referral.received_at).date()
            rows.append(
                [
                    *child_columns(subject.person, received),
                    received,
                    source(referral),
                    "No",
                    count_in_year_before(times.get(subject.person_id, []), referral.received_at),
                    None,
                    worker_name(referral.assigned_to),
                ]
            )
        return rows

    return Rows(
        records=selectors.child_contacts_for(
            user, start=period.start, end=period.end, outcomes=REFERRAL_OUTCOMES
        ).only(*FIELDS),
        build=build,
        shown=_shown,
    )


register(
    InspectionList(
        key="contacts",
        number=1,
        title="Contacts",
        description="Every contact received in the period: a row for each child it is about.",
        headings=CONTACT_HEADINGS,
        rows=contact_rows,
    ),
    InspectionList(
        key="referrals",
        number=3,
        title="Referrals",
        description="Every contact in the period accepted for a social care assessment or enquiry: a row "
        "for each child; a child referred twice is listed twice.",
        headings=REFERRAL_HEADINGS,
        rows=referral_rows,
    ),
)
