"""The drills' recipients, made once through the project's own models and services."""

from django.contrib.auth import get_user_model

from mash.agencies.models import Agency, AgencyKind
from mash.agencies.roles import Role
from mash.agencies.services import agency_create, membership_set
from mash.people.services import person_create
from referrals import services as referral_services
from referrals.services import SubjectInput

User = get_user_model()


def _user(username: str):
    user = User(username=username, email=f"{username}@drills.invalid", first_name="Drill", last_name=username)
    user.set_unusable_password()
    return user


def recipients(count: int) -> list:
    """``count`` users with e-mail addresses (plain users: notify() needs nothing more)."""
    names = [f"drill.recipient.{i:04d}" for i in range(count)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create([_user(name) for name in names if name not in existing])
    return list(User.objects.filter(username__in=names).order_by("username"))


def partner_agencies(count: int, researchers: int) -> list[Agency]:
    """``count`` partner agencies, each with ``researchers`` researchers who are notified of a request."""
    agencies = []
    for a in range(count):
        name = f"Drill partner {a + 1}"
        agency = Agency.objects.filter(name=name).first() or agency_create(name=name, kind=AgencyKind.OTHER)
        for r in range(researchers):
            username = f"drill.researcher.{a + 1}.{r + 1}"
            if not User.objects.filter(username=username).exists():
                user = _user(username)
                user.save()
                membership_set(user=user, agency=agency, roles=[Role.AGENCY_RESEARCHER])
        agencies.append(agency)
    return agencies


def triage_practitioner():
    """The lead agency's triage practitioner who asks the partner agencies."""
    user = User.objects.filter(username="drill.triage").first()
    if user is None:
        lead = Agency.objects.filter(is_lead=True).first() or agency_create(
            name="Drill County MASH", kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_lead=True
        )
        user = _user("drill.triage")
        user.save()
        membership_set(user=user, agency=lead, roles=[Role.TRIAGE_PRACTITIONER])
    return user


def referral_in_gathering(triage, n: int):
    """A red referral in information gathering, ready to be sent to partner agencies."""
    child = person_create(given_name="Drill", family_name=f"Child {n}", approximate_age=9)
    referral = referral_services.referral_create(
        by=triage,
        kind="child",
        channel="phone",
        referrer_name="Drill referrer",
        account="A drill's referral.",
        concerns=["neglect"],
        consent="given",
        subjects=[SubjectInput(person=child)],
    )
    referral_services.referral_transition(referral=referral, by=triage, to_state="screening")
    referral_services.referral_rate(referral=referral, by=triage, rating="red", rationale="Drill.")
    referral_services.referral_transition(referral=referral, by=triage, to_state="information_gathering")
    referral.refresh_from_db()
    return referral
