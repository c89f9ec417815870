"""Figure 6: the cost of the access log on the referral page.

Every read of a case record writes one AccessLog row (who, what, when, from where). The referral page
is timed as a lead triage practitioner with that write, and with it switched off (the baseline
only), interleaved, over referrals drawn from the open queue.
"""

from unittest import mock

from django.urls import reverse

from bench import actors, timing
from bench.report import Figure, percentile, summary
from mash.sharing import services as sharing_services
from referrals.models import OPEN_STATES, Referral

TARGET = 1.15


def measure(ctx) -> list[Figure]:
    user = actors.lead_practitioner()
    client = timing.client_for(user)
    ids = list(
        Referral.objects.filter(state__in=OPEN_STATES)
        .order_by("-received_at")
        .values_list("pk", flat=True)[:20]
    )
    urls = [reverse("referrals:detail", args=[pk]) for pk in ids]
    state = {"i": 0}

    def page():
        state["i"] += 1
        return timing.get_ok(client, urls[state["i"] % len(urls)])

    def without_log():
        with mock.patch.object(sharing_services, "access_log_write", lambda **kwargs: None):
            return page()

    samples = timing.interleaved({"logged": page, "unlogged": without_log}, n=ctx.repeat(200, 15))
    return [
        Figure(
            number=6,
            name="Referral page with its access-log write: p95",
            value=percentile(samples["logged"], 95),
            unit="ms",
            target=TARGET,
            baseline=percentile(samples["unlogged"], 95),
            baseline_name="without the write, p95",
            detail={"user": user.username, **{k: summary(v) for k, v in samples.items()}},
        )
    ]
