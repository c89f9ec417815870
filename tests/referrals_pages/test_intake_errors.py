"""All errors at once (issue 16): one submit of the intake page with a mistake in every section shows
every message in one GOV.UK error summary, each linked to its field and said beside it too, the people
named by their place on the form; and nothing is saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from mash.people.models import Person
from referrals.models import Referral
from tests.referrals_pages.builders import intake_data

pytestmark = pytest.mark.django_db


def test_one_submit_shows_every_error_of_every_section(client, cast):
    client.force_login(cast.triage)
    born = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = intake_data(
        subjects=[
            {"family_name": "Lee", "nhs_number": "943 476 5919"},
            {"given_name": "Ben", "family_name": "Lee", "role": "sibling", "nhs_number": "9434765918"},
            {"given_name": "Cal", "family_name": "Lee", "role": "sibling", "date_of_birth": born},
        ],
        channel=None,
        referrer_name="",
        referrer_email="not-an-address",
        concerns=None,
        consent="not_sought",
    )
    response = client.post(reverse("referrals:intake"), data)

    assert response.status_code == 400
    body = response.content.decode()
    expected = {
        "id_channel": "Choose how the referral came in.",
        "id_referrer_name": "Enter the referrer's name.",
        "id_referrer_email": "Enter the e-mail address in the correct format, like name@example.com.",
        "id_subjects-0-given_name": "Enter the given name of the first person, or choose a matching person.",
        "id_subjects-1-nhs_number": "The NHS number of the second person is not valid: its check digit "
        "does not match.",
        "id_subjects-2-date_of_birth": "The date of birth of the third person must be today or in the past.",
        "id_concerns_0": "Choose at least one concern category.",
        "id_consent_reason": "Say why consent was not sought or was overridden.",
    }
    summary = body[body.index("There is a problem") : body.index("Record a referral</h1>")]
    for field_id, message in expected.items():
        # In the summary, linked to the field; and beside the field.
        assert f'<a href="#{field_id}">{escape(message)}</a>' in summary
        assert f"{escape(message)}</p>" in body[body.index("Record a referral</h1>") :]
    assert summary.count("<li>") == len(expected)
    # In the page's order: the referrer, the people, then the concern.
    assert [summary.index(f'"#{i}"') for i in expected] == sorted(summary.index(f'"#{i}"') for i in expected)
    assert not Referral.objects.exists() and not Person.objects.exists()
