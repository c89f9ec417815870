"""Demo disclosure applications for seed_demo: one at each early stage, one with a package under way."""

from datetime import timedelta

from django.utils import timezone

from disclosures import services
from disclosures.models import Application, PersonRole, Route, Scheme, SectionKind
from mash.common.grading import Grading
from mash.people.services import person_create
from mash.sharing.services import break_glass_open


def load_demo_disclosures(sender, users, stdout, **kwargs):
    if Application.objects.exists():
        return
    admin, researcher = users["police.admin"], users["police.researcher"]
    now = timezone.now()
    emma = person_create(given_name="Emma", family_name="Clarke", gender="female")
    asked = services.application_create(
        by=admin,
        scheme=Scheme.RIGHT_TO_ASK,
        route=Route.PHONE,
        received_at=now - timedelta(days=6),
        circumstances="Emma met Ryan online three months ago; his ex-partner's sister warned her he had been "
        "violent. She wants to know before he moves in.",
        applicant_relation="Herself: Ryan's partner",
        applicant_contact="Mobile only, after 6pm; do not leave messages.",
        people=[
            services.PersonInput(role=PersonRole.APPLICANT, person=emma),
            services.PersonInput(role=PersonRole.AT_RISK, person=emma),
            services.PersonInput(role=PersonRole.SUBJECT, given_name="Ryan", family_name="Hollis"),
        ],
    )
    services.initial_check_record(
        application=asked, by=admin, immediate_risk=False, notes="No current incident; Emma is safe tonight."
    )
    services.verification_record(
        application=asked,
        by=admin,
        identity_method="Driving licence seen",
        meeting_at=now - timedelta(days=4),
        notes="Met at Ipswich police station.",
    )
    services.researcher_assign(application=asked, by=admin, researcher=researcher)
    package = asked.packages.get()
    pnc = package.sections.get(kind=SectionKind.PNC)
    services.entry_add(
        section=pnc,
        by=researcher,
        data=Grading(
            source_system="PNC",
            summary="Convicted of assault (ABH) on a former partner, 2022",
            detail="Suspended sentence; restraining order for two years.",
            source_evaluation="1",
            intelligence_assessment="A",
            handling_code="P",
        ),
    )
    services.section_update(
        section=package.sections.get(kind=SectionKind.PND),
        by=researcher,
        nothing_found=True,
        note="PND checked.",
    )
    sarahs_law = services.application_create(
        by=admin,
        scheme=Scheme.SARAHS_LAW,
        route=Route.ONLINE,
        received_at=now - timedelta(hours=20),
        circumstances="A new neighbour has been offering to babysit; the applicant heard he was 'on a list'.",
        applicant_relation="Mother of the child",
        people=[
            services.PersonInput(role=PersonRole.APPLICANT, given_name="Nadia", family_name="Brooks"),
            services.PersonInput(role=PersonRole.SUBJECT, given_name="Gary", family_name="Pike"),
            services.PersonInput(
                role=PersonRole.CHILD, given_name="Ellie", family_name="Brooks", approximate_age=7
            ),
        ],
    )
    # The police's MASH manager is not on the disclosure team: they open an application by break-glass
    # only. One opening is made here for information governance to review; the other application is
    # left for a newcomer to open (README 'Demo accounts').
    break_glass_open(
        user=users["police.manager"],
        obj=sarahs_law,
        reason="The applicant's ex-partner called the control room about Gary Pike tonight; "
        "checking whether an application is already open before we respond.",
    )
    stdout.write(
        f"  {Application.objects.count()} demo disclosure applications (one with a package under way); "
        "police.manager opened one by break-glass, for information governance to review."
    )
