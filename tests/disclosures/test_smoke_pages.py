import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_data_administrator_reads_the_research_package(client, team, compiled):
    # The researcher's and the decision maker's package pages: tests/disclosures_pages/test_package.py.
    client.force_login(team.admin)
    response = client.get(reverse("disclosures:package", args=[compiled.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<h1 class="govuk-heading-l">Research package, version {compiled.number}</h1>' in body
    assert compiled.application.reference in body
