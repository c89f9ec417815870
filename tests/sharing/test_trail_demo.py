"""The demo's information governance account finds trails with something in them."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from mash.sharing.trails import user_trail

pytestmark = pytest.mark.django_db


def test_the_demo_gives_information_governance_a_change_reads_and_a_refusal_to_find():
    call_command("seed_demo", password="demo-password-for-tests", stdout=StringIO())
    users = get_user_model().objects
    triage = [(e.label, e.category) for e in user_trail(users.get(username="triage"))]
    assert ("Changed", "alteration") in triage and ("Viewed", "consultation") in triage
    assert [e.label for e in user_trail(users.get(username="fire.researcher"))] == ["Refused"]
    call_command("seed_demo", password="demo-password-for-tests", stdout=StringIO())
    assert len(user_trail(users.get(username="fire.researcher"))) == 1
