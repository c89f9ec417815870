"""The discussion page's sections, each saved on its own through htmx (mash/common/actions.py,
``partial_template``): the answer is the section alone, so what is typed in the others stays."""

import re

import pytest
from django.urls import reverse

from strategy.models import Attendance

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def chair(client, cast):
    client.force_login(cast.decision_maker)
    return cast.decision_maker


def send(client, discussion, url_name, data, *, version=None):
    discussion.refresh_from_db()
    payload = {"version": discussion.version if version is None else version, **data}
    return client.post(reverse(f"strategy:{url_name}", args=[discussion.pk]), payload, **HTMX)


def test_a_saved_section_comes_back_alone_with_its_message_and_the_new_version(client, discussion, chair):
    version = discussion.version
    everyone = {f"attendance-{i.pk}": Attendance.ATTENDED for i in discussion.invitations.all()}

    response = send(client, discussion, "attendance", everyone)

    assert response.status_code == 200
    assert response["HX-Trigger"] == "mash:saved"
    body = response.content.decode()
    assert "<html" not in body and 'id="record-section"' not in body
    assert body.startswith('<div id="attendance-section">')
    assert "Attendance recorded." in body
    assert f'name="version" value="{version + 1}"' in body
    # The sign-off panel's list of what is missing follows, out of band.
    assert 'id="sign-off-problems" hx-swap-oob="true"' in body
    assert "Record the attendance of everyone invited." not in body
    assert set(discussion.invitations.values_list("attendance", flat=True)) == {Attendance.ATTENDED}


def test_a_refused_section_comes_back_with_its_errors_and_what_was_typed(client, cast, discussion, chair):
    response = send(
        client,
        discussion,
        "action_add",
        {"description": "Check the police systems.", "owner_agency": "", "due_on": ""},
    )

    assert response.status_code == 200  # htmx swaps only a 2xx answer
    assert "HX-Trigger" not in response
    body = response.content.decode()
    assert body.startswith('<div id="actions-section">')
    assert "There is a problem" in body
    assert "Agency: Choose the agency that owns the action." in body
    assert "Check the police systems.</textarea>" in body
    assert "data-unsaved" in body  # still unsaved: leaving the page warns
    assert not discussion.actions.exists()


def test_a_save_on_an_old_copy_keeps_what_was_typed_beside_what_is_saved_now(client, discussion, chair):
    stale = discussion.version
    assert send(client, discussion, "record", {"notes": "Theirs.", "rationale": "Their reason."}).status_code
    discussion.refresh_from_db()

    mine = {"notes": "Mine.", "rationale": "My reason."}
    response = send(client, discussion, "record", mine, version=stale)

    assert response.status_code == 200
    assert "HX-Trigger" not in response
    body = response.content.decode()
    assert "Someone else saved this first. What you typed is kept" in body
    assert "Saved now" in body and "Theirs." in body and "Their reason." in body
    assert "Mine.</textarea>" in body and "My reason.</textarea>" in body
    assert f'name="version" value="{discussion.version}"' in body  # saving again overwrites, knowingly
    discussion.refresh_from_db()
    assert (discussion.notes, discussion.rationale) == ("Theirs.", "Their reason.")


def _checked(body: str, invitation, value) -> bool:
    radio = re.search(rf'<input[^>]*name="attendance-{invitation.pk}"[^>]*value="{value}"[^>]*>', body)
    return bool(radio) and "checked" in radio.group(0)


def test_withdrawing_an_invitation_keeps_the_attendance_chosen_and_not_saved(client, cast, discussion, chair):
    """The section comes back without the one withdrawn, the other's unsaved choice still chosen."""
    withdrawn = discussion.invitations.get(agency=cast.health)
    kept = discussion.invitations.get(user=cast.police_decision_maker)
    version = discussion.version

    response = client.post(
        reverse("strategy:uninvite", args=[discussion.pk, withdrawn.pk]),
        {"version": version, f"attendance-{kept.pk}": Attendance.ATTENDED},
        **HTMX,
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Invitation withdrawn." in body
    assert not discussion.invitations.filter(pk=withdrawn.pk).exists()
    kept.refresh_from_db()
    assert not kept.attendance  # chosen, not saved
    assert _checked(body, kept, Attendance.ATTENDED)
    assert "data-unsaved" in body.split("Invite more")[0]
    assert f'name="version" value="{version + 1}"' in body  # moved on by this save, nobody else's


def test_a_failed_invitation_keeps_the_attendance_chosen_and_not_saved(client, cast, discussion, chair):
    kept = discussion.invitations.get(agency=cast.health)

    response = send(
        client,
        discussion,
        "invite",
        {"agencies": [], "people": [], f"attendance-{kept.pk}": Attendance.ABSENT},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert _checked(body, kept, Attendance.ABSENT)
    kept.refresh_from_db()
    assert not kept.attendance
