from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from mash.agencies.models import Agency
from mash.agencies.selectors import actor_for
from mash.notifications.models import Notification
from mash.people.models import Person

pytestmark = pytest.mark.django_db


def seed(password="demo-password-for-tests"):
    out = StringIO()
    call_command("seed_demo", password=password, stdout=out)
    return out.getvalue()


def test_it_loads_agencies_users_people_and_prints_the_password():
    output = seed()
    assert Agency.objects.filter(is_lead=True).count() == 1
    assert "Password for every demo user: demo-password-for-tests" in output
    triage = get_user_model().objects.get(username="triage")
    assert triage.check_password("demo-password-for-tests")
    assert actor_for(triage).is_lead
    assert Person.objects.count() >= 5
    assert Notification.objects.filter(recipient=triage, event="demo.welcome").exists()


def test_running_it_twice_duplicates_nothing():
    seed()
    counts = (
        Agency.objects.count(),
        get_user_model().objects.count(),
        Person.objects.count(),
        Notification.objects.count(),
    )
    seed()
    assert counts == (
        Agency.objects.count(),
        get_user_model().objects.count(),
        Person.objects.count(),
        Notification.objects.count(),
    )


def test_the_admin_user_sees_no_case_content():
    seed()
    from mash.sharing import policy

    admin = get_user_model().objects.get(username="admin")
    assert policy.visible(admin, Person.objects.all()).count() == 0
