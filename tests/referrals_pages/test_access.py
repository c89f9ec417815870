"""Who may open the referral pages: login, the sharing policy on every object page and action, roles."""

import pytest
from django.urls import reverse

from mash.sharing.models import AccessAction
from mash.sharing.services import grant_view
from referrals.models import Consultation, Referral
from tests.referrals_pages.builders import REFERRER_EMAIL, REFERRER_PHONE, access_rows, snapshot

pytestmark = pytest.mark.django_db

ACTIONS = {
    "rate": {"rating": "red", "rationale": "Serious injury."},
    "transition": {"to_state": "screening", "note": ""},
    "outcome": {"outcome": "nfa", "rationale": "Nothing to do."},
    "close": {"feedback_note": "Phoned."},
    "reopen": {"reason": "New information."},
    "assign_to_me": {},
}


def test_every_referral_page_needs_login(client, referral, consultation):
    pages = [
        reverse("referrals:queue"),
        reverse("referrals:intake"),
        reverse("referrals:subject_row") + "?subjects-TOTAL_FORMS=2",
        reverse("referrals:subject_matches") + "?prefix=subjects-0&subjects-0-family_name=Lee",
        reverse("referrals:detail", args=[referral.pk]),
        reverse("referrals:consultations"),
        reverse("referrals:consultation_create"),
        reverse("referrals:consultation", args=[consultation.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/login/"), url


def test_every_referral_action_needs_login_and_changes_nothing(client, referral, consultation):
    before = snapshot(referral)
    posts = [reverse(f"referrals:{name}", args=[referral.pk]) for name in ACTIONS]
    posts += [
        reverse("referrals:intake"),
        reverse("referrals:consultation_create"),
        reverse("referrals:consultation_convert", args=[consultation.pk]),
    ]
    for url in posts:
        response = client.post(url, {"version": referral.version, "concerns": ["other"]})
        assert response.status_code == 302, url
        assert response.url.startswith("/login/"), url
    assert snapshot(referral) == before
    assert Referral.objects.count() == 1
    consultation.refresh_from_db()
    assert consultation.referral_id is None


@pytest.fixture(params=["outsider", "police_researcher"])
def other_agency_user(request, cast):
    return getattr(cast, request.param)


def test_another_agency_is_refused_the_referral_page(assert_denied, other_agency_user, referral):
    assert_denied(other_agency_user, reverse("referrals:detail", args=[referral.pk]), referral)


@pytest.mark.parametrize("action", ACTIONS)
def test_another_agency_is_refused_every_action_and_nothing_changes(
    assert_denied, other_agency_user, referral, action
):
    before = snapshot(referral)
    data = {"version": referral.version, **ACTIONS[action]}
    assert_denied(
        other_agency_user,
        reverse(f"referrals:{action}", args=[referral.pk]),
        referral,
        method="post",
        data=data,
    )
    assert snapshot(referral) == before


def test_another_agency_is_refused_the_consultation_page(assert_denied, other_agency_user, consultation):
    assert_denied(other_agency_user, reverse("referrals:consultation", args=[consultation.pk]), consultation)


def test_another_agency_is_refused_the_conversion_and_nothing_is_made(
    assert_denied, other_agency_user, consultation
):
    assert_denied(
        other_agency_user,
        reverse("referrals:consultation_convert", args=[consultation.pk]),
        consultation,
        method="post",
        data={"concerns": ["neglect"], "subjects-0-given_name": "Amy", "subjects-0-family_name": "Fox"},
    )
    consultation.refresh_from_db()
    assert consultation.referral_id is None
    assert not Referral.objects.exists()


def test_a_grant_on_the_referral_does_not_open_the_consultation_line(assert_denied, cast, consultation):
    # Consultations use no grants: only the lead agency's case workers see them.
    grant_view(obj=consultation, agency=cast.police)
    assert_denied(
        cast.police_researcher, reverse("referrals:consultation", args=[consultation.pk]), consultation
    )


def test_a_granted_agency_sees_the_referral_without_the_referrer_or_any_action(client, cast, referral):
    grant_view(obj=referral, agency=cast.police)
    client.force_login(cast.police_researcher)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert referral.reference in body
    assert "Ann Lee" in body
    assert REFERRER_EMAIL not in body
    assert REFERRER_PHONE not in body
    assert ">Referrer</h2>" not in body
    for action in ["Record outcome", "Save rating", "Assign to me", "Start screening", "Close referral"]:
        assert action not in body, action
    assert access_rows(cast.police_researcher, referral, AccessAction.VIEW) == 1


def test_a_granted_researcher_cannot_act_on_the_referral(client, cast, referral):
    grant_view(obj=referral, agency=cast.police)
    before = snapshot(referral)
    client.force_login(cast.police_researcher)
    response = client.post(
        reverse("referrals:transition", args=[referral.pk]),
        {"version": referral.version, "to_state": "screening"},
    )
    assert response.status_code == 400
    assert (
        "Only the lead agency&#x27;s triage practitioners may move a referral." in response.content.decode()
    )
    assert snapshot(referral) == before


def test_a_granted_decision_maker_of_another_agency_may_not_record_the_outcome(client, cast, referral_in):
    referral = referral_in("awaiting_threshold_decision")
    grant_view(obj=referral, agency=cast.police)
    before = snapshot(referral)
    client.force_login(cast.police_decision_maker)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Record outcome" not in page
    response = client.post(
        reverse("referrals:outcome", args=[referral.pk]),
        {"version": referral.version, "outcome": "nfa", "rationale": "No concern."},
    )
    assert response.status_code == 400
    assert "Only the lead agency&#x27;s decision makers may record the outcome." in response.content.decode()
    assert snapshot(referral) == before


@pytest.mark.parametrize("url_name", ["referrals:intake", "referrals:consultation_create"])
@pytest.mark.parametrize("who", ["police_researcher", "governance", "outsider"])
def test_only_the_lead_triage_team_may_open_the_recording_pages(client, cast, url_name, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse(url_name)).status_code == 403
    assert client.post(reverse(url_name), {}).status_code == 403


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [("referrals:intake", "Record a referral"), ("referrals:consultation_create", "Log a consultation call")],
)
def test_the_triage_practitioner_may_open_the_recording_pages(client, cast, url_name, heading):
    client.force_login(cast.triage)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in response.content.decode()


def test_the_queue_hides_the_record_button_from_other_agencies(client, cast):
    client.force_login(cast.police_researcher)
    response = client.get(reverse("referrals:queue"))
    assert response.status_code == 200
    assert "Record a referral" not in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "police_researcher", "governance"])
def test_the_consultation_list_is_the_lead_case_workers_only(client, cast, consultation, who):
    # Only they can ever see a call (referrals/policy.py): anyone else is refused the list, and has no link.
    client.force_login(getattr(cast, who))
    response = client.get(reverse("referrals:consultations"))
    assert response.status_code == 403
    assert consultation.caller_name not in response.content.decode()
    assert Consultation.objects.count() == 1
