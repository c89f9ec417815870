"""Every list page and list API endpoint of the MASH, and who sees rows in it.

Issue 8, figure 2 ("Query counts"): each of these answers in a fixed number of queries (at most 10),
whatever the number of rows on the page. The benchmark (``bench.figures.queries``) signs in a user of
the given role and agency kind and records the queries of a GET on the 200,000-referral data set;
``tests/perf/test_list_query_counts.py`` asserts the same on a few rows and on more rows.

Plain data, so that both can import it without Django being set up. ``role`` is a value of
``mash.agencies.roles.Role``, ``agency_kind`` one of ``mash.agencies.models.AgencyKind`` and ``lead``
says whether the agency is the lead agency (the MASH's children's social care); ``cast`` names the
member of the tests' cast (``tests/conftest.py``) who is that user.

Most entries are read by a user who sees every row (the lead agency's case workers, the police for
their own work). ``through_grants`` marks a variant of a list read by a partner agency's user who sees
rows only through their agency's object grants (the ``Exists()`` over the group grant table of
``mash/sharing/policy.py``): the referrals their agency was asked about, the discussions it was invited
to. Its label names the user ("api referrals (asked agency)").

Detail pages, forms and the lists inside a record's page (a referral's timeline, a discussion's
invitations) are not here: they show one record.
"""

from dataclasses import dataclass, field

PAGE = "page"
API = "api"

LEAD_AGENCY = "childrens_social_care"
POLICE = "police"
HEALTH = "health"

TRIAGE_PRACTITIONER = "triage practitioner"
AGENCY_RESEARCHER = "agency researcher"
DECISION_MAKER = "decision maker"
DATA_ADMINISTRATOR = "data administrator"
INFORMATION_GOVERNANCE = "information governance"


@dataclass(frozen=True)
class Endpoint:
    label: str  # short, for the benchmark's table
    url_name: str  # for django.urls.reverse
    kind: str  # PAGE or API
    role: str  # the role of a user who sees rows in it
    agency_kind: str  # the kind of that user's agency
    lead: bool  # whether that agency is the lead agency
    cast: str  # the same user in the tests' cast
    args: tuple = ()  # reverse() arguments
    query: dict = field(default_factory=dict)  # query string the list needs to show rows
    through_grants: bool = False  # the user sees rows only through their agency's object grants


def _lead(role: str, cast: str) -> dict:
    return {"role": role, "agency_kind": LEAD_AGENCY, "lead": True, "cast": cast}


def _partner(kind: str, role: str, cast: str) -> dict:
    return {"role": role, "agency_kind": kind, "lead": False, "cast": cast}


def _police(role: str, cast: str) -> dict:
    return _partner(POLICE, role, cast)


TRIAGE = _lead(TRIAGE_PRACTITIONER, "triage")
LEAD_DECISION = _lead(DECISION_MAKER, "decision_maker")
GOVERNANCE = _lead(INFORMATION_GOVERNANCE, "governance")
POLICE_RESEARCHER = _police(AGENCY_RESEARCHER, "police_researcher")
POLICE_DECISION = _police(DECISION_MAKER, "police_decision_maker")
POLICE_ADMIN = _police(DATA_ADMINISTRATOR, "data_admin")
HEALTH_RESEARCHER = _partner(HEALTH, AGENCY_RESEARCHER, "health_researcher")
GRANTED = {"through_grants": True}

ENDPOINTS: list[Endpoint] = [
    # Pages
    Endpoint("triage queue", "referrals:queue", PAGE, **TRIAGE),
    Endpoint("consultations", "referrals:consultations", PAGE, **TRIAGE),
    Endpoint("information request inbox", "referrals:agency_inbox", PAGE, **POLICE_RESEARCHER),
    Endpoint("strategy queue", "strategy:queue", PAGE, **LEAD_DECISION),
    Endpoint("strategy discussions", "strategy:discussions", PAGE, **LEAD_DECISION),
    Endpoint("strategy actions", "strategy:actions", PAGE, **POLICE_DECISION),
    Endpoint("disclosures queue", "disclosures:queue", PAGE, **POLICE_ADMIN),
    Endpoint("missing persons dashboard", "missing_persons:dashboard", PAGE, **POLICE_ADMIN),
    Endpoint("missing episodes", "missing_persons:episodes", PAGE, **POLICE_ADMIN),
    Endpoint("notifications inbox", "notifications:inbox", PAGE, **TRIAGE),
    Endpoint("people", "people:list", PAGE, **TRIAGE),
    Endpoint("access log", "sharing:access_log", PAGE, **GOVERNANCE),
    Endpoint("break-glass reviews", "sharing:break_glass_reviews", PAGE, **GOVERNANCE),
    Endpoint("disseminations", "sharing:disseminations", PAGE, **GOVERNANCE),
    # API (/api/v1/)
    Endpoint("api agencies", "api-agencies", API, **TRIAGE),
    Endpoint("api notifications", "api-notifications", API, **TRIAGE),
    Endpoint("api people", "api-people", API, **TRIAGE),
    Endpoint("api referrals", "api-referrals", API, **TRIAGE),
    Endpoint("api consultations", "api-consultations", API, **TRIAGE),
    Endpoint("api information requests", "api-information-requests", API, **POLICE_RESEARCHER),
    Endpoint("api threshold queue", "api-threshold-queue", API, **LEAD_DECISION),
    Endpoint("api threshold decisions", "api-threshold-decisions", API, **LEAD_DECISION),
    Endpoint("api strategy discussions", "api-strategy-discussions", API, **LEAD_DECISION),
    Endpoint("api strategy actions", "api-strategy-actions", API, **POLICE_DECISION),
    Endpoint("api disclosure applications", "api-disclosure-applications", API, **POLICE_ADMIN),
    Endpoint("api missing episodes", "api-missing-episodes", API, **POLICE_ADMIN),
    Endpoint("api missing persons dashboard", "api-missing-dashboard", API, **POLICE_ADMIN),
    Endpoint("api repeat flags", "api-repeat-flags", API, **POLICE_ADMIN),
    Endpoint("api missing imports", "api-missing-imports", API, **POLICE_ADMIN),
    # Partner agencies, through their grants
    Endpoint("triage queue (asked agency)", "referrals:queue", PAGE, **POLICE_DECISION, **GRANTED),
    Endpoint("people (granted to the agency)", "people:list", PAGE, **POLICE_RESEARCHER, **GRANTED),
    Endpoint(
        "strategy discussions (invited agency)", "strategy:discussions", PAGE, **POLICE_DECISION, **GRANTED
    ),
    Endpoint("api referrals (asked agency)", "api-referrals", API, **POLICE_DECISION, **GRANTED),
    Endpoint("api people (granted to the agency)", "api-people", API, **POLICE_RESEARCHER, **GRANTED),
    Endpoint(
        "api strategy discussions (invited agency)",
        "api-strategy-discussions",
        API,
        **POLICE_DECISION,
        **GRANTED,
    ),
    Endpoint(
        "api missing episodes (asked agency)", "api-missing-episodes", API, **HEALTH_RESEARCHER, **GRANTED
    ),
]
