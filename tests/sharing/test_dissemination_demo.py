"""The demo's information governance account finds a request awaiting approval and one sent."""

from io import StringIO

import pytest
from django.core.management import call_command

from mash.common.trays import sections_for
from mash.sharing.models import Dissemination, DisseminationRequest, RequestState

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_request_awaiting_approval_and_one_sent(django_user_model):
    call_command("seed_demo", password="demo-password-for-tests", stdout=StringIO())
    states = sorted(DisseminationRequest.objects.values_list("state", flat=True))
    assert states == [RequestState.APPROVED, RequestState.AWAITING_APPROVAL]
    assert Dissemination.objects.filter(request__isnull=False).count() == 1
    governance = {s.key: s for s in sections_for(django_user_model.objects.get(username="governance"))}
    assert governance["dissemination_requests"].total == 1
    police = {s.key: s for s in sections_for(django_user_model.objects.get(username="police.decision"))}
    assert police["dissemination_approvals"].total == 1
    call_command("seed_demo", password="demo-password-for-tests", stdout=StringIO())
    assert DisseminationRequest.objects.count() == 2
