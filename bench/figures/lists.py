"""Figure 1: permission-filtered lists cost about what the unfiltered list costs.

The triage queue, an agency researcher's inbox and the referrals API list, one page of 50 with its
total count, for a partner agency's user who sees thousands of the referrals. Each is timed as the
whole request in-process, three ways, interleaved: filtered by the sharing policy (one ``Exists()``
over the agency group's direct foreign-key grant table), unfiltered (the same request with the
policy's list filter switched off) and filtered by django-guardian's ``get_objects_for_user`` (the
peer). A probe of the count alone shows why per-user grants are not OR-ed into the list filter.
"""

import statistics

from django.db.models import Exists, OuterRef
from django.urls import reverse

from bench import actors, timing
from bench.report import Figure, percentile, summary
from mash.agencies.roles import Role
from mash.sharing import policy
from referrals.models import Referral, ReferralGroupObjectPermission, ReferralUserObjectPermission

TARGET = 1.2


def _lists(agency):
    decision_maker = actors.user_of(agency, Role.DECISION_MAKER)
    researcher = actors.user_of(agency, Role.AGENCY_RESEARCHER)
    return [
        ("Triage queue page", decision_maker, reverse("referrals:queue")),
        ("Agency inbox page", researcher, reverse("referrals:agency_inbox")),
        ("Referrals API list", decision_maker, reverse("api-referrals")),
    ]


def _count_probe(ctx, agency, user) -> list[Figure]:
    """The count of the filtered list: group Exists() alone, and OR-ed with a user Exists()."""
    permission_id = policy._permission_id(Referral, "view_referral")
    group = ReferralGroupObjectPermission.objects.filter(
        group_id=agency.group_id, permission_id=permission_id, content_object_id=OuterRef("pk")
    )
    mine = ReferralUserObjectPermission.objects.filter(
        user_id=user.pk, permission_id=permission_id, content_object_id=OuterRef("pk")
    )
    base = Referral.objects.all()
    samples = timing.interleaved(
        {
            "unfiltered": lambda: base.count(),
            "group": lambda: base.filter(Exists(group)).count(),
            "group_or_user": lambda: base.filter(Exists(group) | Exists(mine)).count(),
        },
        n=ctx.repeat(30, 5),
    )
    med = {k: statistics.median(v) for k, v in samples.items()}
    return [
        Figure(
            number=1,
            name="Probe: count of the filtered referrals, group Exists() OR user Exists()",
            value=med["group_or_user"],
            unit="ms",
            target=None,
            baseline=med["group"],
            baseline_name="group Exists() alone",
            detail={k: summary(v) for k, v in samples.items()},
        )
    ]


def measure(ctx) -> list[Figure]:
    agency, seen = actors.agency_seeing_thousands()
    ctx.out(f"  acting for {agency} (its group is granted {seen:,} referrals)")
    figures = []
    n = ctx.repeat(200, 15)
    for name, user, url in _lists(agency):
        client = timing.client_for(user)
        page = url

        def fetch(page=page, client=client):
            return timing.get_ok(client, page)

        samples = timing.interleaved(
            {
                "filtered": fetch,
                "unfiltered": timing.under(timing.unfiltered, fetch),
                "guardian": timing.under(timing.guardian_filtered, fetch),
            },
            n=n,
        )
        p95 = {k: percentile(v, 95) for k, v in samples.items()}
        detail = {"user": user.username, "agency": agency.name, "url": page}
        detail.update({k: summary(v) for k, v in samples.items()})
        figures.append(
            Figure(
                number=1,
                name=f"{name}: filtered p95",
                value=p95["filtered"],
                unit="ms",
                target=TARGET,
                baseline=p95["unfiltered"],
                baseline_name="unfiltered p95",
                detail=detail,
            )
        )
        figures.append(
            Figure(
                number=1,
                name=f"{name}: django-guardian get_objects_for_user p95 (peer)",
                value=p95["guardian"],
                unit="ms",
                target=None,
                baseline=p95["unfiltered"],
                baseline_name="unfiltered p95",
                detail={"url": page},
            )
        )
    figures += _count_probe(ctx, agency, _lists(agency)[0][1])
    return figures
