"""Who the benchmark acts as: picked from whatever the generated MASH holds."""

from django.contrib.auth import get_user_model
from django.db.models import Count

from mash.agencies.models import Agency
from mash.agencies.roles import Role
from referrals.models import ReferralGroupObjectPermission

SEES_ABOUT = 5_000  # "a user who sees thousands of the 200,000 referrals"


def user_of(agency: Agency, role: str):
    user = (
        get_user_model()
        .objects.filter(is_active=True, membership__agency=agency, membership__roles__name=role)
        .order_by("pk")
        .first()
    )
    if user is None:
        raise RuntimeError(f"No {role} in {agency}: generate the data with `manage.py bench_data`.")
    return user


def lead_agency() -> Agency:
    return Agency.objects.get(is_lead=True)


def lead_practitioner():
    return user_of(lead_agency(), Role.TRIAGE_PRACTITIONER)


def agency_seeing_thousands() -> tuple[Agency, int]:
    """The partner agency whose grants let it see closest to SEES_ABOUT referrals."""
    counts = (
        ReferralGroupObjectPermission.objects.values("group_id").annotate(n=Count("pk")).order_by("group_id")
    )
    group_id, seen = min(((c["group_id"], c["n"]) for c in counts), key=lambda c: abs(c[1] - SEES_ABOUT))
    return Agency.objects.get(group_id=group_id), seen


def user_for(endpoint):
    """The first active user of the catalogue entry's role and agency kind (bench/endpoints.py)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__agency__kind=endpoint.agency_kind,
            membership__agency__is_lead=endpoint.lead,
            membership__roles__name=endpoint.role,
        )
        .order_by("pk")
        .first()
    )
