"""The load figure's users, signed in without the login form, and the mix of pages they fetch.

12 are the lead agency's triage practitioners (the queue, filtered and paged, and the referral pages of
referrals on it), 8 are researchers of partner agencies (their inbox and the summary pages of the referrals
asked of them). The mix is (kind, path, session key) triples, weighted like a working day.
"""

import random

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore

from bench import second_factor
from mash.agencies.models import Agency
from mash.agencies.roles import Role
from referrals import selectors
from referrals.requests.selectors import agency_inbox_for

TRIAGE_USERS = 12
RESEARCHERS = 8
MIX_SIZE = 400  # requests in one cycle of the mix
# A working day: referral pages 40% (lead detail pages and partners' summaries in the ratio of the
# users, 12:8), the queue 35%, the inbox 25%.
WEIGHTS = {"referral": 0.24, "summary": 0.16, "queue": 0.35, "inbox": 0.25}
QUEUE_QUERIES = [
    "",
    "",
    "",
    "?page=2",
    "?page=3",
    "?page=4",
    "?state=screening",
    "?state=received",
    "?rag=red",
    "?rag=amber",
    "?breached=on",
    "?assigned_to_me=on",
    "?state=information_gathering&page=2",
]


def users() -> dict[str, list]:
    """12 lead triage practitioners; 8 researchers of partner agencies with open requests, spread
    over the agencies (found in whatever data is in the database)."""
    User = get_user_model()
    lead = list(
        User.objects.filter(
            is_active=True,
            membership__agency__is_lead=True,
            membership__agency__is_active=True,
            groups__name=Role.TRIAGE_PRACTITIONER,
        )
        .distinct()
        .order_by("pk")[:TRIAGE_USERS]
    )
    if not lead:
        raise RuntimeError("No triage practitioner of the lead agency in the database.")
    researchers = []
    agencies = list(Agency.objects.filter(is_lead=False, is_active=True).order_by("pk"))
    per_agency = {
        a.pk: list(
            User.objects.filter(
                is_active=True,
                membership__agency=a,
                groups__name=Role.AGENCY_RESEARCHER,
            )
            .distinct()
            .order_by("pk")[:RESEARCHERS]
        )
        for a in agencies
    }
    # Round robin over the agencies, keeping only researchers whose inbox has something to open.
    depth = 0
    while len(researchers) < RESEARCHERS and any(len(v) > depth for v in per_agency.values()):
        for candidates in per_agency.values():
            if depth < len(candidates) and len(researchers) < RESEARCHERS:
                user = candidates[depth]
                if agency_inbox_for(user).exists():
                    researchers.append(user)
        depth += 1
    if not researchers:
        raise RuntimeError("No partner agency researcher with an open request in the database.")
    return {"triage": cycle(lead, TRIAGE_USERS), "researcher": cycle(researchers, RESEARCHERS)}


def cycle(users: list, n: int) -> list:
    """n users, repeating the first ones when the database has fewer (their sessions differ)."""
    return [users[i % len(users)] for i in range(n)]


def sessions(users: list, backend: str) -> dict[int, str]:
    """A session per user (by position), holding what django.contrib.auth.login stores; ``backend`` is
    the path the served code's login would store (bench/load/server.py, session_backend)."""
    keys = {}
    for index, user in enumerate(users):
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        second_factor.verify(session, user)
        session.create()
        keys[index] = session.session_key
    return keys


def mix(users: dict[str, list], cookies: dict[int, str], rng: random.Random) -> list[tuple[str, str, str]]:
    triage = [(u, cookies[i]) for i, u in enumerate(users["triage"])]
    offset = len(users["triage"])
    researchers = [(u, cookies[offset + i]) for i, u in enumerate(users["researcher"])]
    queue_pages = selectors.referral_queue_for(triage[0][0]).values_list("pk", flat=True)[:150]
    referral_ids = list(queue_pages)
    if not referral_ids:
        raise RuntimeError("The lead agency's triage queue is empty.")
    inbox_referrals = {}
    for user, key in researchers:
        ids = list(agency_inbox_for(user).values_list("referral_id", flat=True)[:50])
        inbox_referrals[key] = ids
    counts = {kind: round(weight * MIX_SIZE) for kind, weight in WEIGHTS.items()}
    mix = []
    for n in range(counts["queue"]):
        _user, key = triage[n % len(triage)]
        mix.append(("queue", "/referrals/" + QUEUE_QUERIES[n % len(QUEUE_QUERIES)], key))
    for n in range(counts["referral"]):
        _user, key = triage[n % len(triage)]
        mix.append(("referral", f"/referrals/{rng.choice(referral_ids)}/", key))
    for n in range(counts["inbox"]):
        _user, key = researchers[n % len(researchers)]
        mix.append(("inbox", "/referrals/requests/", key))
    for n in range(counts["summary"]):
        _user, key = researchers[n % len(researchers)]
        mix.append(("summary", f"/referrals/{rng.choice(inbox_referrals[key])}/", key))
    rng.shuffle(mix)
    return mix
