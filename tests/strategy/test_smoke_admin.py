import pytest
from django.urls import reverse

from strategy.models import StrategyTimescale

pytestmark = pytest.mark.django_db


def test_the_admin_lists_the_discussion_its_threshold_decision_and_the_timescales(client, cast, discussion):
    cast.decision_maker.is_staff = True
    cast.decision_maker.is_superuser = True
    cast.decision_maker.save()
    client.force_login(cast.decision_maker)
    reference = discussion.referral.reference
    for name in ["strategydiscussion", "thresholddecision"]:
        response = client.get(reverse(f"admin:strategy_{name}_changelist"))
        assert response.context["cl"].result_count == 1, name
        assert reference in response.content.decode(), name
    change = client.get(reverse("admin:strategy_strategydiscussion_change", args=[discussion.pk]))
    assert change.status_code == 200
    assert reference in change.content.decode()
    assert client.get(reverse("admin:strategy_action_changelist")).context["cl"].result_count == 0
    timescales = client.get(reverse("admin:strategy_strategytimescale_changelist"))
    assert timescales.context["cl"].result_count == StrategyTimescale.objects.count() > 0
