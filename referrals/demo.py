"""Demo referrals for seed_demo: realistic ones across every state, some breached."""

from datetime import timedelta

from django.utils import timezone

from mash.agencies.models import Agency, AgencyKind
from mash.people.models import Person
from referrals import services
from referrals.models import InformationRequest, Referral, State
from referrals.requests import services as request_services
from referrals.requests.services import EntryInput, RequestInput
from referrals.services import SubjectInput


def load_demo_referrals(sender, users, stdout, **kwargs):
    if Referral.objects.exists():
        return
    triage, decision = users["triage"], users["la.decision"]
    now = timezone.now()
    people = {p.given_name: p for p in Person.objects.all()}

    def make(days_ago, hours_ago=0, **fields):
        received = now - timedelta(days=days_ago, hours=hours_ago)
        return services.referral_create(by=triage, received_at=received, **fields)

    school = dict(
        channel="marf",
        referrer_name="Mrs Joan Price",
        referrer_organisation="Orwell Primary School",
        referrer_role="Designated safeguarding lead",
        referrer_email="dsl@orwell-primary.example",
        referrer_relationship="Class teacher's DSL",
    )
    make(
        0,
        2,
        kind="child",
        account="Jayden arrived with bruising to his upper arm and said "
        "'mum's boyfriend grabbed me'. He was reluctant to go home.",
        concerns=["physical", "domestic_abuse"],
        consent="not_sought",
        consent_reason="Asking the mother could put Jayden at more risk.",
        consent_decided_by="Mrs Price, DSL",
        subjects=[
            SubjectInput(person=people["Jayden"]),
            SubjectInput(person=people["Amelia"], role="sibling"),
            SubjectInput(person=people["Kayleigh"], role="parent_carer"),
        ],
        **school,
    )
    mo = make(
        3,
        kind="child",
        channel="police_notification",
        referrer_name="PC 1234 Adams",
        referrer_organisation="Suffolk Constabulary",
        account="Mohammed found in a car with two older males in Ipswich at 2am; cash and two phones.",
        concerns=["cce"],
        consent="not_sought",
        consent_reason="Police notification: consent not sought at the scene.",
        subjects=[SubjectInput(person=people["Mohammed"])],
    )
    services.referral_transition(referral=mo, by=triage, to_state="screening")
    services.referral_rate(
        referral=mo, by=triage, rating="red", rationale="Possible county lines exploitation."
    )
    services.referral_transition(referral=mo, by=triage, to_state="information_gathering")

    doris = make(
        6,
        kind="adult",
        channel="phone",
        referrer_name="Sam Green",
        referrer_organisation="Home care agency",
        referrer_phone="01473 000000",
        account="Doris's neighbour is collecting her pension and she has no food in the house.",
        concerns=["financial", "self_neglect"],
        consent="given",
        adult_wishes="Doris wants to stay at home and does not want her neighbour in trouble.",
        subjects=[SubjectInput(person=people["Doris"])],
    )
    services.referral_transition(referral=doris, by=triage, to_state="screening")
    services.referral_rate(
        referral=doris, by=triage, rating="amber", rationale="Financial abuse of a vulnerable adult."
    )
    services.referral_transition(
        referral=doris,
        by=triage,
        to_state="awaiting_threshold_decision",
        note="Adult services already know Doris: no partner checks needed.",
    )

    leon = make(
        9,
        kind="child",
        channel="email",
        referrer_name="Dr Patel",
        referrer_organisation="Riverside Surgery",
        referrer_email="reception@riverside.example",
        account="Leon missed three appointments for his asthma; mother says he is staying with friends.",
        concerns=["neglect"],
        consent="given",
        subjects=[SubjectInput(person=people["Leon"])],
    )
    services.referral_transition(referral=leon, by=triage, to_state="screening")
    services.referral_rate(
        referral=leon, by=triage, rating="green", rationale="Health neglect, no immediate risk."
    )
    services.referral_record_outcome(
        referral=leon,
        by=decision,
        outcome="early_help",
        rationale="Family agree to support from the early help team.",
    )
    services.referral_close(referral=leon, by=triage)

    make(
        1,
        kind="child",
        channel="phone",
        referrer_name="Anonymous neighbour",
        account="Shouting and a child crying most nights at 14 Orwell Road.",
        concerns=["emotional"],
        consent="not_sought",
        consent_reason="Anonymous caller.",
        subjects=[SubjectInput(given_name="Unknown", family_name="Smith", approximate_age=6)],
    )
    stdout.write(f"  {Referral.objects.count()} demo referrals (some past their decision deadline).")


def load_demo_requests(sender, users, stdout, **kwargs):
    """Partner agencies asked about the red referral: the police answered, health has not yet."""
    if InformationRequest.objects.exists():
        return
    referral = Referral.objects.filter(state=State.INFORMATION_GATHERING).order_by("pk").first()
    police = Agency.objects.filter(kind=AgencyKind.POLICE).first()
    health = Agency.objects.filter(kind=AgencyKind.HEALTH).first()
    if referral is None or police is None or health is None:
        return
    police_request, _health_request = request_services.information_requests_send(
        referral=referral,
        by=users["triage"],
        requests=[
            RequestInput(
                agency=police, questions="Any intelligence about the subject or the males he was with?"
            ),
            RequestInput(agency=health, questions="Any A&E attendances or health concerns?"),
        ],
    )
    subject = referral.subjects.first().person
    researcher = users["police.researcher"]
    request_services.information_request_claim(request=police_request, by=researcher)
    request_services.response_entry_add(
        request=police_request,
        by=researcher,
        data=EntryInput(
            person_id=subject.pk,
            source_system="Local intelligence",
            summary="Seen with known county lines nominals",
            detail="Stopped twice in the last month with two adults linked to a Class A supply line.",
            source_evaluation="2",
            intelligence_assessment="B",
            handling_code="C",
            handling_conditions="Not to be disclosed to the family; consult the police before any sharing.",
        ),
    )
    request_services.information_request_submit(request=police_request, by=researcher)
    stdout.write("  Police and health asked about the red referral; the police have answered.")
    _ask_about_the_neighbour_s_call(users, stdout, police, health)


def _ask_about_the_neighbour_s_call(users, stdout, police, health) -> None:
    """The anonymous neighbour's referral goes to information gathering: the police's request waits
    for a researcher to claim it (the police researcher's tray), health's is claimed and in progress."""
    triage = users["triage"]
    referral = Referral.objects.filter(state=State.RECEIVED, referrer_name="Anonymous neighbour").first()
    if referral is None:
        return
    services.referral_transition(referral=referral, by=triage, to_state=State.SCREENING)
    services.referral_rate(
        referral=referral, by=triage, rating="amber", rationale="A young child crying most nights."
    )
    services.referral_transition(referral=referral, by=triage, to_state=State.INFORMATION_GATHERING)
    _police_request, health_request = request_services.information_requests_send(
        referral=referral,
        by=triage,
        requests=[
            RequestInput(agency=police, questions="Any call-outs to 14 Orwell Road?"),
            RequestInput(agency=health, questions="Is a child of about six registered at 14 Orwell Road?"),
        ],
    )
    request_services.information_request_claim(request=health_request, by=users["health.researcher"])
    stdout.write("  Police and health asked about the neighbour's call; health has started its answer.")
