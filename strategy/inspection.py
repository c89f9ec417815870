"""The strategy app's inspection list (ILACS Annex A): List 5, section 47 enquiries and initial child
protection conferences, a row per child whose signed-off strategy discussion decided a section 47 enquiry.
Each column, its Annex A heading and where its value comes from: docs/annex-a.md."""

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
from strategy import selectors
from strategy.models import Section47Finding

HEADINGS = (
    Heading("child_id", "Child Unique ID"),
    Heading("gender", "Gender"),
    Heading("ethnicity", "Ethnicity"),
    Heading("date_of_birth", "Date of Birth", DATE),
    Heading("age", "Age of Child (Years)", COUNT),
    Heading("disability", "Does the Child have a Disability"),
    Heading("s47_start_date", "Strategy discussion initiating Section 47 Enquiry Start Date", DATE),
    Heading("icpc_unnecessary", "Was an Initial Child Protection Conference deemed unnecessary?"),
    Heading("icpc_date", "Date of Initial Child Protection Conference", DATE),
    Heading("icpc_cp_plan", "Did the Initial Child Protection Conference Result in a Child Protection Plan"),
    Heading("s47_in_last_12_months", "Number of Section 47 Enquiries in the last 12 months", COUNT),
    Heading("icpcs_in_last_12_months", "Number of ICPCs in the last 12 months", COUNT),
    Heading("allocated_team", "Allocated Team"),
    Heading("allocated_worker", "Allocated Worker"),
)

UNNECESSARY = {
    Section47Finding.NOT_SUBSTANTIATED: "Yes",
    Section47Finding.NO_CONTINUING_RISK: "Yes",
    Section47Finding.CONTINUING_RISK: "No",
}


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def enquiry_rows(user, period) -> Rows:
    def build(decisions):
        if not decisions:
            return []
        starts = [decision.discussion.scheduled_at for decision in decisions]
        enquiries, conferences = selectors.section_47_history(
            user,
            {decision.person_id for decision in decisions},
            since=min(year_before(start) for start in starts),
            until=max(starts),
        )
        rows = []
        for decision in decisions:
            person, started = decision.person, decision.discussion.scheduled_at
            clock = decision.conference_clock
            rows.append(
                [
                    str(person.pk),
                    gender_code(person.gender),
                    None,
                    person.date_of_birth,
                    age_on(person, _local_date(started)),
                    None,
                    _local_date(started),
                    UNNECESSARY.get(decision.finding),
                    _local_date(clock.stopped_at) if clock else None,
                    None,
                    count_in_year_before(enquiries.get(person.pk, []), started),
                    count_in_year_before(conferences.get(person.pk, []), started),
                    None,
                    worker_name(decision.discussion.referral.assigned_to),
                ]
            )
        return rows

    def shown(decisions):
        return [
            obj
            for decision in decisions
            for obj in (decision.discussion, decision.discussion.referral, decision.person)
        ]

    return Rows(
        records=selectors.section_47_enquiries_for(user, start=period.start, end=period.end),
        build=build,
        shown=shown,
    )


register(
    InspectionList(
        key="section-47",
        number=5,
        title="Section 47 enquiries and ICPCs",
        description="Every section 47 enquiry a strategy discussion in the period decided, a row for each "
        "child, with the initial child protection conference where one was held.",
        headings=HEADINGS,
        rows=enquiry_rows,
    ),
)
