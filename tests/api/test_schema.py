"""The OpenAPI document: generated without a warning, valid OpenAPI 3, served only to signed-in users."""

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    # Warnings are remembered for the whole process; forget those of earlier generations so this
    # run reports exactly its own.
    GENERATOR_STATS.reset()
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    document = yaml.safe_load(target.read_text())
    assert document["openapi"].startswith("3.")
    assert document["paths"], "the schema lists no endpoint"


def test_every_operation_documents_the_standard_errors(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    document = yaml.safe_load(target.read_text())

    for path, item in document["paths"].items():
        for method, operation in item.items():
            documented = set(operation["responses"])
            assert {"401", "403", "404"} <= documented, (method, path, documented)
            if "requestBody" in operation:
                assert {"400", "415"} <= documented, (method, path, documented)


@pytest.mark.django_db
def test_the_schema_is_served_to_a_signed_in_user(api_client, cast):
    api_client.force_authenticate(cast.triage)

    response = api_client.get(reverse("schema"), {"format": "json"})

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/people/" in document["paths"]


@pytest.mark.django_db
def test_the_schema_is_refused_to_an_anonymous_user(api_client):
    response = api_client.get(reverse("schema"), {"format": "json"})

    assert response.status_code in (401, 403)
    assert "paths" not in response.content.decode()
