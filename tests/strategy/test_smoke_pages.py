import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_render(client, cast, discussion, collated):
    client.force_login(cast.decision_maker)
    for url in [
        reverse("strategy:queue"),
        reverse("strategy:discussions"),
        reverse("strategy:discussion", args=[discussion.pk]),
        reverse("strategy:actions"),
        reverse("referrals:detail", args=[collated.pk]),
        reverse("strategy:convene", args=[collated.pk]),
    ]:
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
    client.force_login(cast.police_decision_maker)
    assert client.get(reverse("strategy:discussion", args=[discussion.pk])).status_code == 200
    assert client.get(reverse("strategy:discussions")).status_code == 200
