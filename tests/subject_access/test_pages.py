"""Information governance's subject access pages: only theirs, each step from the page, the bundle."""

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from mash.sharing.models import AccessAction, AccessLog
from mash.subject_access import services
from mash.subject_access.models import Decision, Exemption, State, SubjectAccessRequest
from tests.subject_access.conftest import REDACTED, RELEASED, WITHHELD

pytestmark = pytest.mark.django_db

OTHERS = [
    "triage",
    "police_researcher",
    "health_researcher",
    "decision_maker",
    "police_decision_maker",
    "data_admin",
    "manager",
    "outsider",
]


def pages(sar):
    item = sar.items.first()
    item_args = [sar.pk, item.pk] if item else [sar.pk, 1]
    return [
        ("get", reverse("subject_access:list")),
        ("get", reverse("subject_access:create")),
        ("post", reverse("subject_access:create")),
        ("get", reverse("subject_access:detail", args=[sar.pk])),
        *[
            ("post", reverse(f"subject_access:{name}", args=[sar.pk]))
            for name in ("verify", "extend", "compile", "respond", "close")
        ],
        ("get", reverse("subject_access:item", args=item_args)),
        ("post", reverse("subject_access:item", args=item_args)),
        ("get", reverse("subject_access:bundle", args=[sar.pk])),
        ("get", reverse("api-subject-access-requests")),
        ("post", reverse("api-subject-access-requests")),
        ("get", reverse("api-subject-access-request", args=[sar.pk])),
        ("post", reverse("api-subject-access-request-verification", args=[sar.pk])),
        ("post", reverse("api-subject-access-request-compilation", args=[sar.pk])),
        ("post", reverse("api-subject-access-item-decision", args=item_args)),
        ("get", reverse("api-subject-access-bundle", args=[sar.pk])),
    ]


@pytest.fixture
def decided(verified, cast, events):
    """Compiled, its flagged items decided: one redacted whole, the others withheld."""
    sar = services.request_compile(sar=verified, by=cast.governance)
    for item in sar.items.filter(decision=Decision.PENDING).order_by("position"):
        if item.text == REDACTED:
            services.item_decide(
                item=item,
                by=cast.governance,
                decision=Decision.REDACT,
                exemption=Exemption.THIRD_PARTY,
                reason="It names the person's neighbour.",
            )
        else:
            services.item_decide(
                item=item,
                by=cast.governance,
                decision=Decision.WITHHOLD,
                exemption=Exemption.LAW_ENFORCEMENT,
                reason="Police intelligence under investigation.",
            )
    sar.refresh_from_db()
    return sar


@pytest.mark.parametrize("who", OTHERS)
def test_every_other_role_is_refused_every_page_and_endpoint(client, cast, decided, who):
    client.force_login(getattr(cast, who))
    for method, url in pages(decided):
        response = getattr(client, method)(url)
        assert response.status_code == 403, (who, method, url, response.status_code)
        assert decided.reference not in response.content.decode()
    decided.refresh_from_db()
    assert decided.state == State.DECIDED
    assert not AccessLog.objects.filter(user=getattr(cast, who), action=AccessAction.EXPORT).exists()


def test_a_request_is_logged_from_the_page_choosing_the_person_found(client, cast, person):
    client.force_login(cast.governance)
    search = "?given_name=Jayden&family_name=Smith"
    found = client.get(reverse("subject_access:create") + search)
    assert "Jayden Smith" in found.content.decode()
    data = {
        "person": person.pk,
        "requester_name": "Kayleigh Smith",
        "relationship": "parent",
        "requester_contact": "12 High Street",
        "received_on-day": "1",
        "received_on-month": "12",
        "received_on-year": "2026",
    }
    response = client.post(reverse("subject_access:create") + search, data)
    sar = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "subject_access:detail", args=[sar.pk]
    )
    assert (sar.person, sar.logged_by, sar.state) == (person, cast.governance, State.RECEIVED)


def test_a_received_date_in_the_future_is_refused_naming_the_field(client, cast, person):
    client.force_login(cast.governance)
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {
        "person": person.pk,
        "requester_name": "Kayleigh Smith",
        "relationship": "parent",
        "requester_contact": "12 High Street",
        "received_on-day": tomorrow.day,
        "received_on-month": tomorrow.month,
        "received_on-year": tomorrow.year,
    }
    response = client.post(reverse("subject_access:create") + "?family_name=Smith&given_name=Jayden", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The date received must be today or in the past." in body
    assert 'href="#id_received_on' in body  # the error summary links to the field
    assert not SubjectAccessRequest.objects.exists()


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (1, "The date received must be today or in the past."),
        (-400, "The date received cannot be more than a year ago."),
    ],
)
def test_the_api_refuses_a_received_date_out_of_range_naming_the_field(
    api_client, cast, person, days, message
):
    api_client.force_login(cast.governance)
    response = api_client.post(
        reverse("api-subject-access-requests"),
        {
            "person": person.pk,
            "requester_name": "Kayleigh Smith",
            "relationship": "self",
            "requester_contact": "12 High Street",
            "received_on": (timezone.localdate() + timedelta(days=days)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"received_on": [message]}


def test_compiling_from_the_page_is_refused_until_the_identity_is_verified(client, cast, sar, events):
    client.force_login(cast.governance)
    response = client.post(reverse("subject_access:compile", args=[sar.pk]), {"version": sar.version})
    assert response.status_code == 400
    assert "Verify the identity of the person asking before compiling." in response.content.decode()
    assert not sar.items.exists()


def test_the_bundle_waits_for_every_flagged_decision(client, cast, verified, events):
    sar = services.request_compile(sar=verified, by=cast.governance)
    client.force_login(cast.governance)
    response = client.get(reverse("subject_access:bundle", args=[sar.pk]))
    assert response.status_code == 302
    assert (
        not AccessLog.objects.filter(action=AccessAction.EXPORT, object_id=str(sar.person_id))
        .exclude(reason__startswith="subject access")
        .exists()
    )
    assert client.get(reverse("api-subject-access-bundle", args=[sar.pk])).status_code == 409


def test_the_bundle_holds_what_is_released_and_nothing_redacted_or_withheld(client, cast, decided, person):
    client.force_login(cast.governance)
    before = AccessLog.objects.filter(action=AccessAction.EXPORT, object_id=str(person.pk)).count()
    response = client.get(reverse("subject_access:bundle", args=[decided.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages_ = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    for text in pages_:
        assert text.count("OFFICIAL-SENSITIVE") >= 2 and decided.reference in text
    text = " ".join(" ".join(pages_).split())
    assert RELEASED in text
    assert REDACTED not in text and WITHHELD not in text
    assert "[Redacted: Third party personal data (DPA 2018 Schedule 2 Part 3 paragraph 16)]" in text
    assert "Law enforcement processing" in text  # the withheld items' exemption, counted
    after = AccessLog.objects.filter(action=AccessAction.EXPORT, object_id=str(person.pk))
    assert after.count() == before + 1
    assert after.first().reason == f"subject access {decided.reference}"


def test_the_request_page_shows_the_items_and_their_flags(
    client, cast, decided, django_assert_max_num_queries
):
    client.force_login(cast.governance)
    with django_assert_max_num_queries(25):
        body = client.get(reverse("subject_access:detail", args=[decided.pk])).content.decode()
    assert "handling code C" in body and "Withhold" in body
    assert "Download the response (PDF)" in body


def test_an_item_is_decided_from_its_page_with_every_error_at_once(client, cast, verified, events):
    sar = services.request_compile(sar=verified, by=cast.governance)
    item = sar.items.filter(decision=Decision.PENDING).first()
    client.force_login(cast.governance)
    url = reverse("subject_access:item", args=[sar.pk, item.pk])
    refused = client.post(url, {"version": item.version, "decision": "withhold"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert (
        "Choose the exemption the decision relies on." in body and "Give the reason for the decision" in body
    )
    done = client.post(url, {"version": item.version, "decision": "release"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.decision, item.decided_by) == (Decision.RELEASE, cast.governance)


def test_the_list_puts_the_open_requests_first_by_due_date(
    client, cast, person, django_assert_max_num_queries
):
    from tests.subject_access.conftest import log_request

    later = log_request(cast.governance, person, received_on=timezone.localdate())
    sooner = log_request(cast.governance, person, received_on=timezone.localdate() - timedelta(days=20))
    closed = log_request(cast.governance, person, received_on=timezone.localdate() - timedelta(days=25))
    services.request_close(
        sar=closed, by=cast.governance, state=State.WITHDRAWN, reason="Withdrawn by letter."
    )
    client.force_login(cast.governance)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("subject_access:list"))
    assert [sar.pk for sar, _ in response.context["rows"]] == [sooner.pk, later.pk, closed.pk]
    assert "Due in" in response.content.decode()
    open_only = client.get(reverse("subject_access:list"), {"state": "open"})
    assert closed.reference not in open_only.content.decode()


def test_the_api_takes_a_request_from_logging_to_the_bundle(api_client, cast, person, events):
    api_client.force_login(cast.governance)
    created = api_client.post(
        reverse("api-subject-access-requests"),
        {
            "person": person.pk,
            "requester_name": "Jayden Smith",
            "relationship": "self",
            "requester_contact": "jayden@example.invalid",
            "received_on": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    sar = created.json()
    assert sar["state"] == "received" and sar["items"] == []
    pk = sar["id"]

    def post(path, data):
        return api_client.post(path, data, format="json")

    url = lambda name, *args: reverse(name, args=[pk, *args])  # noqa: E731
    verified = post(url("api-subject-access-request-verification"), {"version": 1, "method": "photo_id_seen"})
    assert verified.status_code == 200, verified.content
    sar = verified.json()
    sar = post(url("api-subject-access-request-compilation"), {"version": sar["version"]}).json()
    assert sar["state"] == "compiled"
    pending = [i for i in sar["items"] if i["decision"] == "pending"]
    for item in pending:
        decided = post(
            url("api-subject-access-item-decision", item["id"]),
            {
                "version": item["version"],
                "decision": "withhold",
                "exemption": "third_party",
                "reason": "Names a neighbour.",
            },
        )
        assert decided.status_code == 200, decided.content
    stale = post(
        url("api-subject-access-item-decision", pending[0]["id"]),
        {"version": pending[0]["version"], "decision": "release"},
    )
    assert stale.status_code == 409
    listed = api_client.get(reverse("api-subject-access-requests")).json()
    assert [row["state"] for row in listed["results"]] == ["decided"]
    bundle = api_client.get(url("api-subject-access-bundle"))
    assert bundle.status_code == 200 and bundle["Content-Type"] == "application/pdf"


def test_the_trail_of_a_request_holds_its_items_decisions(client, cast, decided):
    client.force_login(cast.governance)
    body = client.get(reverse("subject_access:detail", args=[decided.pk])).content.decode()
    trail = reverse("sharing:record_trail", args=[ContentType.objects.get_for_model(decided).pk, decided.pk])
    assert trail in body
    response = client.get(trail)
    assert response.status_code == 200
    assert "Police intelligence under investigation." in response.content.decode()


def test_the_work_tray_shows_the_open_requests_overdue_first(
    client, cast, person, django_assert_max_num_queries
):
    from tests.subject_access.conftest import log_request

    fresh = log_request(cast.governance, person, received_on=timezone.localdate())
    late = log_request(cast.governance, person, received_on=timezone.localdate() - timedelta(days=40))
    client.force_login(cast.governance)
    response = client.get(reverse("home"))
    section = {s.key: s for s in response.context["sections"]}["subject_access"]
    assert {c.label: c.value for c in section.counts} == {"open": 2, "overdue": 1}
    assert [line.title for line in section.lines] == [late.reference, fresh.reference]
    assert section.lines[0].late and section.lines[0].due.startswith("overdue by")
    assert not section.lines[1].late
    governance = client.get(reverse("sharing:governance")).content.decode()
    assert late.reference in governance and reverse("subject_access:list") in governance


def test_a_part_redacted_item_shows_the_text_as_released(client, cast, verified, events):
    sar = services.request_compile(sar=verified, by=cast.governance)
    for item in sar.items.filter(decision=Decision.PENDING):
        services.item_decide(
            item=item,
            by=cast.governance,
            decision=Decision.REDACT,
            exemption=Exemption.RIGHTS_OF_OTHERS,
            reason="Names another person.",
            redacted_text="SHOWN-AS-RELEASED",
        )
    client.force_login(cast.governance)
    response = client.get(reverse("subject_access:bundle", args=[sar.pk]))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "SHOWN-AS-RELEASED" in text and "[Part redacted: Law enforcement processing" in text
    assert REDACTED not in text and WITHHELD not in text
