"""The benchmark's MASH, built by `manage.py bench_data` with PostgreSQL's COPY (see that command).

One module per part of it, run in this order, each given the same Build (what later parts need of earlier
ones): reference (names, agencies, the fixed clock), agencies (and users), people, referrals (and
consultations), requests (information requests, answers and their grants), strategy (threshold
decisions), missing (missing episodes), access_log (the period's reads, figure 8); bulk holds the COPY
and the sequences' reset.
"""

from mash.agencies.models import Agency, Membership
from mash.people.models import Person
from mash.sharing.models import AccessLog
from referrals.models import (
    InformationRequest,
    Referral,
    ReferralGroupObjectPermission,
    ResponseEntry,
)


def data_summary() -> dict[str, int]:
    return {
        "people": Person.objects.count(),
        "referrals": Referral.objects.count(),
        "information requests": InformationRequest.objects.count(),
        "answer entries": ResponseEntry.objects.count(),
        "referral grants": ReferralGroupObjectPermission.objects.count(),
        "agencies": Agency.objects.count(),
        "users": Membership.objects.count(),
        "access-log rows": AccessLog.objects.count(),
    }
