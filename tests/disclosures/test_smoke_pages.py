import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_render(client, team, compiled):
    application = compiled.application
    client.force_login(team.admin)
    for url in [
        reverse("disclosures:queue"),
        reverse("disclosures:intake"),
        reverse("disclosures:application", args=[application.pk]),
        reverse("disclosures:package", args=[compiled.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    entry = compiled.sections.get(kind="pnc").entries.get()
    client.force_login(team.researcher)
    assert client.get(reverse("disclosures:entry_edit", args=[compiled.pk, entry.pk])).status_code == 200
    assert client.get(reverse("disclosures:package", args=[compiled.pk])).status_code == 200
