import pytest
from django.utils import timezone

from disclosures import services
from disclosures.models import Outcome, Stage
from mash.sharing.models import Dissemination

pytestmark = pytest.mark.django_db


def test_the_whole_flow(team, compiled):
    services.package_submit(package=compiled, by=team.researcher)
    application = compiled.application
    services.decision_record(
        application=application,
        by=team.decision_maker,
        disclose=True,
        lawful="Common law power to disclose to prevent harm.",
        necessary="She is at risk of serious harm.",
        proportionate="Only the conviction is disclosed.",
        wording="Mark Taylor has a conviction for assaulting a former partner.",
        recipient_name="Sarah Jones",
    )
    record = services.disclosure_record(
        application=application,
        by=team.decision_maker,
        disclosed_at=timezone.now(),
        place="Ipswich police station",
        recipient_name="Sarah Jones",
        wording_used="Mark Taylor has a conviction for assaulting a former partner.",
        warning_given=True,
        warning_acknowledged=True,
        safety_plan="Referred to the domestic abuse service; panic alarm fitted.",
    )
    application.refresh_from_db()
    assert application.stage == Stage.CLOSED and application.outcome == Outcome.DISCLOSED
    assert Dissemination.objects.get() == record.dissemination
