"""One table of bad inputs (issue 16, 'validation that tells the truth'): each is refused with the same
message through the page form, the API and, where the field exists there, the missing-persons import,
because the rule lives once, in the service (or the model the service cleans).

Each case builds what it needs (``setup``: from the fixtures it names), gives the message expected and,
for each way in, a function that sends the bad input and answers the messages given for the field."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from disclosures.models import SectionKind
from mash.common.ordering import when
from mash.people.identifiers import NHS_NUMBER_CHECK, NHS_NUMBER_FORMAT
from mash.people.validators import DATE_OF_BIRTH_IN_FUTURE, DATE_OF_BIRTH_RULE
from missing_persons import services as missing
from missing_persons.services.episodes import LAST_SEEN_AFTER_REPORT
from missing_persons.services.importer import COLUMNS
from referrals.services.intake import CONCERNS_MISSING
from tests.disclosures import conftest as disclosures_conftest
from tests.information_requests_api import conftest as requests_conftest
from tests.missing_persons import conftest as missing_conftest
from tests.strategy import conftest as strategy_conftest

pytestmark = pytest.mark.django_db

# The fixtures the cases name (each module's own, as their conftests share them).
child, episode_input = missing_conftest.child, missing_conftest.episode_input
sibling, gathering, asked = requests_conftest.sibling, requests_conftest.gathering, requests_conftest.asked
collated, required = strategy_conftest.collated, strategy_conftest.required
convene, discussion = strategy_conftest.convene, strategy_conftest.discussion
team, people = disclosures_conftest.team, disclosures_conftest.people
new_application, at_research = disclosures_conftest.new_application, disclosures_conftest.at_research

TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()


def _minute(at):
    return at.replace(second=0, microsecond=0)


def _local(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")


def _page(response, message: str) -> list[str]:
    """The page refused (400) and shows the message (with its error summary)."""
    assert response.status_code == 400, response.status_code
    body = response.content.decode()
    assert "There is a problem" in body
    return [message] if escape(message) in body else [body]


def _named(response, rule: str, default: str, named: str) -> list[str]:
    """A page of several people names whose the field is: the rule's sentence says 'the NHS number
    of the second person' where the API and the import say 'The NHS number'; the same sentence."""
    return _page(response, rule % {"Field": named}) and (
        [rule % {"Field": default}] if escape(rule % {"Field": named}) in response.content.decode() else []
    )


def _api(response, name: str) -> list[str]:
    assert response.status_code == 400, response.content
    return response.json().get(name, [response.json()])


def _import(by, name: str, **values) -> list[str]:
    """The import's preview of a one-report file: the problems it lists for the column ``name``."""
    result = missing.preview(by=by, content=_report_csv(**values))
    return [p.message for p in result.problems if p.field == name]


def _report_csv(**values) -> bytes:
    now = timezone.now()
    row = {
        "police_reference": "SC-TRUTH-1",
        "given_name": "Noah",
        "family_name": "Baxter",
        "date_of_birth": "2012-05-01",
        "gender": "male",
        "reported_at": _local(now - timedelta(hours=1)),
        "reported_by": "Oak House care home",
        "reporter_kind": "care_home",
        "last_seen_at": _local(now - timedelta(hours=3)),
        "last_seen_place": "Oak House",
        "risk": "high",
        "risk_rationale": "Twelve, no phone, out overnight.",
        **values,
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue().encode()


@dataclass
class Case:
    name: str
    fixtures: tuple[str, ...]
    message: Callable[[dict], str]  # from what setup made
    page: Callable
    api: Callable | None  # the API, where the field exists there
    imported: Callable | None = None  # the import, where the field exists there
    setup: Callable[[dict], dict] = field(default=lambda f: {})


# --- A date of birth in the future -----------------------------------------------------------------

PERSON = {"given_name": "Ann", "family_name": "Lee", "gender": "unknown", "date_of_birth": TOMORROW}


def _dob_page(client, api_client, f, made):
    client.force_login(f["cast"].data_admin)
    return _page(client.post(reverse("people:create"), PERSON), DATE_OF_BIRTH_IN_FUTURE)


def _dob_api(client, api_client, f, made):
    api_client.force_authenticate(f["cast"].data_admin)
    return _api(api_client.post(reverse("api-people"), PERSON, format="json"), "date_of_birth")


def _dob_import(f, made):
    return _import(f["cast"].data_admin, "date_of_birth", date_of_birth=TOMORROW)


# --- An NHS number that is not one: its check digit, its length -------------------------------------

NHS_NUMBER = "The NHS number"


def _nhs_page(number):
    def page(client, api_client, f, made):
        client.force_login(f["cast"].data_admin)
        response = client.post(
            reverse("people:create"), {**PERSON, "date_of_birth": "", "nhs_number": number}
        )
        return _page(response, made["message"])

    return page


def _nhs_api(number):
    def api(client, api_client, f, made):
        api_client.force_authenticate(f["cast"].data_admin)
        body = {**PERSON, "date_of_birth": None, "nhs_number": number}
        return _api(api_client.post(reverse("api-people"), body, format="json"), "nhs_number")

    return api


def _nhs_import(number):
    return lambda f, made: _import(f["cast"].data_admin, "nhs_number", nhs_number=number)


# --- On a referral, about its second person: the page names them; the rule says the same -----------

SECOND = {"given_name": "Ben", "family_name": "Lee", "role": "sibling", "gender": "unknown"}


def _referral_page(field: str, value: str, rule: str, default: str):
    def page(client, api_client, f, made):
        from tests.referrals_pages.builders import intake_data

        client.force_login(f["cast"].triage)
        second = {**SECOND, field: value}
        data = intake_data(subjects=[{"given_name": "Ann", "family_name": "Lee"}, second])
        named = f"The {'NHS number' if field == 'nhs_number' else 'date of birth'} of the second person"
        return _named(client.post(reverse("referrals:intake"), data), rule, default, named)

    return page


def _referral_api(field: str, value: str):
    def api(client, api_client, f, made):
        api_client.force_authenticate(f["cast"].triage)
        body = {
            "channel": "phone",
            "referrer_name": "Pat Price",
            "concerns": ["neglect"],
            "account": "Left alone overnight.",
            "consent": "given",
            "subjects": [{"given_name": "Ann", "family_name": "Lee"}, {**SECOND, field: value}],
        }
        response = api_client.post(reverse("api-referrals"), body, format="json")
        return _api(response, f"subjects-1-{field}")

    return api


# --- A referral's own rules: consent not sought without a reason, no concern ------------------------


def _referral_rule_page(field: str, **overrides):
    def page(client, api_client, f, made):
        from tests.referrals_pages.builders import intake_data

        client.force_login(f["cast"].triage)
        return _page(client.post(reverse("referrals:intake"), intake_data(**overrides)), made["message"])

    return page


def _referral_rule_api(field: str, **overrides):
    def api(client, api_client, f, made):
        api_client.force_authenticate(f["cast"].triage)
        body = {
            "channel": "phone",
            "referrer_name": "Pat Price",
            "concerns": ["neglect"],
            "account": "Left alone overnight.",
            "consent": "given",
            "subjects": [{"given_name": "Ann", "family_name": "Lee"}],
            **overrides,
        }
        return _api(api_client.post(reverse("api-referrals"), body, format="json"), field)

    return api


# --- A missing person's date of birth in the future (the API takes a known person only) ------------


def _episode_dob_page(client, api_client, f, made):
    now = timezone.now()
    client.force_login(f["cast"].data_admin)
    data = {
        "given_name": "Noah",
        "family_name": "Baxter",
        "gender": "male",
        "date_of_birth": TOMORROW,
        "reported_at": _local(now - timedelta(hours=1)),
        "reported_by": "Oak House care home",
        "reporter_kind": "care_home",
        "last_seen_at": _local(now - timedelta(hours=3)),
        "last_seen_place": "Oak House",
        "risk": "high",
        "risk_rationale": "Twelve, no phone, out overnight.",
    }
    return _page(client.post(reverse("missing_persons:episode_new"), data), DATE_OF_BIRTH_IN_FUTURE)


# --- A missing episode: last seen after the report; found before the report --------------------------


def _reported(f):
    """An episode of the child reported two hours ago (a round minute), last seen five hours ago."""
    reported = _minute(timezone.now() - timedelta(hours=2))
    episode = missing.episode_create(
        by=f["cast"].data_admin,
        data=f["episode_input"](reported_at=reported, last_seen_at=reported - timedelta(hours=3)),
    )
    return {"episode": episode, "reported": reported, "found": reported - timedelta(hours=1)}


def _last_seen_page(client, api_client, f, made):
    now = timezone.now()
    client.force_login(f["cast"].data_admin)
    data = {
        "police_reference": "SC-TRUTH-2",
        "given_name": "Noah",
        "family_name": "Baxter",
        "gender": "male",
        "reported_at": _local(now - timedelta(hours=1)),
        "reported_by": "Oak House care home",
        "reporter_kind": "care_home",
        "last_seen_at": _local(now - timedelta(minutes=1)),
        "last_seen_place": "Oak House",
        "risk": "high",
        "risk_rationale": "Twelve, no phone, out overnight.",
    }
    return _page(client.post(reverse("missing_persons:episode_new"), data), LAST_SEEN_AFTER_REPORT)


def _last_seen_api(client, api_client, f, made):
    now = timezone.now()
    api_client.force_authenticate(f["cast"].data_admin)
    body = {
        "person": f["child"].pk,
        "reported_at": (now - timedelta(hours=1)).isoformat(),
        "reported_by": "Oak House care home",
        "reporter_kind": "care_home",
        "last_seen_at": (now - timedelta(minutes=1)).isoformat(),
        "last_seen_place": "Oak House",
        "risk": "high",
        "risk_rationale": "Seen getting into a car.",
    }
    return _api(api_client.post(reverse("api-missing-episodes"), body, format="json"), "last_seen_at")


def _last_seen_import(f, made):
    now = timezone.now()
    return _import(f["cast"].data_admin, "last_seen_at", last_seen_at=_local(now - timedelta(minutes=1)))


def _return_body(made) -> dict:
    made["episode"].refresh_from_db()
    return {
        "version": made["episode"].version,
        "found_place": "Home",
        "found_by": "PC Lee",
        "wellbeing_confirmed": True,
    }


def _found_page(client, api_client, f, made):
    client.force_login(f["cast"].data_admin)
    data = {**_return_body(made), "found_at": _local(made["found"]), "wellbeing_confirmed": "on"}
    response = client.post(reverse("missing_persons:return", args=[made["episode"].pk]), data)
    return _page(response, made["message"])


def _found_api(client, api_client, f, made):
    api_client.force_authenticate(f["cast"].data_admin)
    body = {**_return_body(made), "found_at": made["found"].isoformat()}
    url = reverse("api-missing-episode-return", args=[made["episode"].pk])
    return _api(api_client.post(url, body, format="json"), "found_at")


def _found_import(f, made):
    return _import(
        f["cast"].data_admin,
        "found_at",
        reported_at=_local(made["reported"]),
        last_seen_at=_local(made["reported"] - timedelta(hours=3)),
        found_at=_local(made["found"]),
        found_place="Home",
    )


def _found_setup(f):
    made = _reported(f)
    made["message"] = f"The return cannot be before they were reported missing ({when(made['reported'])})."
    return made


# --- The date of the information in an answer: a partner agency's, a disclosure research package's ----

INFORMATION_DATE_IN_FUTURE = "Date of the information must be today or in the past."
ANSWER = {"source_system": "PNC", "summary": "Arrested 2024", "source_evaluation": "1"}
ANSWER |= {"intelligence_assessment": "B", "handling_code": "P", "information_date": TOMORROW}


def _answer_page(client, api_client, f, made):
    police = f["asked"]["police"]
    client.force_login(f["cast"].police_researcher)
    data = {**ANSWER, "version": police.version, "person": f["person"].pk, "security_marking": "official"}
    response = client.post(reverse("referrals:request_entry", args=[police.pk]), data)
    return _page(response, INFORMATION_DATE_IN_FUTURE)


def _answer_api(client, api_client, f, made):
    police = f["asked"]["police"]
    api_client.force_authenticate(f["cast"].police_researcher)
    body = {**ANSWER, "version": police.version, "person_id": f["person"].pk}
    url = reverse("api-information-request-entries", args=[police.pk])
    return _api(api_client.post(url, body, format="json"), "information_date")


def _pnc_section(f):
    package = f["at_research"].packages.get()
    return package, package.sections.get(kind=SectionKind.PNC)


def _package_page(client, api_client, f, made):
    package, section = _pnc_section(f)
    client.force_login(f["team"].researcher)
    data = {**ANSWER, "security_marking": "official_sensitive"}
    response = client.post(reverse("disclosures:entry_add", args=[package.pk, section.pk]), data)
    return _page(response, INFORMATION_DATE_IN_FUTURE)


def _package_api(client, api_client, f, made):
    package, section = _pnc_section(f)
    api_client.force_authenticate(f["team"].researcher)
    url = reverse("api-research-package-entries", args=[package.pk, section.pk])
    return _api(api_client.post(url, ANSWER, format="json"), "information_date")


# --- A strategy discussion re-scheduled to before the referral was received -------------------------


def _early_setup(f):
    referral = f["discussion"].referral
    return {
        "at": _minute(referral.received_at) - timedelta(minutes=30),
        "message": "The discussion cannot be before the referral was received "
        f"({when(referral.received_at)}).",
    }


def _early_page(client, api_client, f, made):
    discussion = f["discussion"]
    discussion.refresh_from_db()
    client.force_login(f["cast"].decision_maker)
    data = {
        "version": discussion.version,
        "scheduled_at": _local(made["at"]),
        "mode": "video",
        "reason": "It was held by phone before the referral came in.",
    }
    return _page(client.post(reverse("strategy:reschedule", args=[discussion.pk]), data), made["message"])


def _early_api(client, api_client, f, made):
    discussion = f["discussion"]
    discussion.refresh_from_db()
    api_client.force_authenticate(f["cast"].decision_maker)
    body = {"version": discussion.version, "scheduled_at": made["at"].isoformat(), "reason": "Moved."}
    url = reverse("api-strategy-discussion-reschedule", args=[discussion.pk])
    return _api(api_client.post(url, body, format="json"), "scheduled_at")


CASES = [
    Case(
        "a date of birth in the future",
        ("cast",),
        lambda made: DATE_OF_BIRTH_IN_FUTURE,
        _dob_page,
        _dob_api,
        _dob_import,
    ),
    Case(
        "an NHS number whose check digit does not match",
        ("cast",),
        lambda made: made["message"],
        _nhs_page("943 476 5918"),
        _nhs_api("943 476 5918"),
        _nhs_import("943 476 5918"),
        setup=lambda f: {"message": NHS_NUMBER_CHECK % {"Field": NHS_NUMBER}},
    ),
    Case(
        "an NHS number that is not 10 digits",
        ("cast",),
        lambda made: made["message"],
        _nhs_page("94347659"),
        _nhs_api("94347659"),
        _nhs_import("94347659"),
        setup=lambda f: {"message": NHS_NUMBER_FORMAT % {"Field": NHS_NUMBER}},
    ),
    Case(
        "a referral's second person's NHS number",
        ("cast",),
        lambda made: NHS_NUMBER_CHECK % {"Field": NHS_NUMBER},
        _referral_page("nhs_number", "9434765918", NHS_NUMBER_CHECK, NHS_NUMBER),
        _referral_api("nhs_number", "9434765918"),
    ),
    Case(
        "a referral's second person's date of birth in the future",
        ("cast",),
        lambda made: DATE_OF_BIRTH_IN_FUTURE,
        _referral_page("date_of_birth", TOMORROW, DATE_OF_BIRTH_RULE, "Date of birth"),
        _referral_api("date_of_birth", TOMORROW),
    ),
    Case(
        "a referral whose consent was not sought, without the reason",
        ("cast",),
        lambda made: made["message"],
        _referral_rule_page("consent_reason", consent="not_sought"),
        _referral_rule_api("consent_reason", consent="not_sought"),
        setup=lambda f: {"message": "Say why consent was not sought or was overridden."},
    ),
    Case(
        "a referral without a concern",
        ("cast",),
        lambda made: made["message"],
        _referral_rule_page("concerns", concerns=None),
        _referral_rule_api("concerns", concerns=[]),
        setup=lambda f: {"message": CONCERNS_MISSING},
    ),
    Case(
        "a missing person's date of birth in the future",
        ("cast",),
        lambda made: DATE_OF_BIRTH_IN_FUTURE,
        _episode_dob_page,
        None,
        _dob_import,
    ),
    Case(
        "last seen after they were reported missing",
        ("cast", "child"),
        lambda made: LAST_SEEN_AFTER_REPORT,
        _last_seen_page,
        _last_seen_api,
        _last_seen_import,
    ),
    Case(
        "found before they were reported missing",
        ("cast", "episode_input"),
        lambda made: made["message"],
        _found_page,
        _found_api,
        _found_import,
        setup=_found_setup,
    ),
    Case(
        "an answer's date of the information in the future",
        ("cast", "person", "asked"),
        lambda made: INFORMATION_DATE_IN_FUTURE,
        _answer_page,
        _answer_api,
    ),
    Case(
        "a research package entry's date of the information in the future",
        ("team", "at_research"),
        lambda made: INFORMATION_DATE_IN_FUTURE,
        _package_page,
        _package_api,
    ),
    Case(
        "a discussion re-scheduled to before the referral was received",
        ("cast", "discussion"),
        lambda made: made["message"],
        _early_page,
        _early_api,
        setup=_early_setup,
    ),
]


WAYS = [
    pytest.param(case, way, id=f"{case.name} ({way})")
    for case in CASES
    for way in ("page", "api", "imported")
    if getattr(case, way) is not None
]


@pytest.mark.parametrize(("case", "way"), WAYS)
def test_every_way_in_refuses_with_the_same_message(request, client, api_client, case, way):
    runner = getattr(case, way)
    f = {name: request.getfixturevalue(name) for name in case.fixtures}
    made = case.setup(f)
    expected = case.message(made)
    given = runner(f, made) if way == "imported" else runner(client, api_client, f, made)
    assert given == [expected]
