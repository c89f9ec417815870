"""The import of police reports through the API: preview writes nothing, importing is all or nothing,
re-importing the same reports updates them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from missing_persons import services
from missing_persons.models import Episode, ImportBatch
from tests.missing_persons_api.conftest import call, ok, url

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "reports.csv") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


def send(api_client, user, name: str, content: bytes):
    return call(api_client, user, "post", url(name), upload(content), format="multipart")


def broken() -> bytes:
    """The sample, its second report's risk unknown and the first's reported_by missing."""
    lines = services.sample_csv().splitlines()
    lines[1] = lines[1].replace("Mrs Walsh (mother)", "")
    lines[2] = lines[2].replace(",medium,", ",severe,")
    return ("\n".join(lines) + "\n").encode()


def test_the_preview_counts_and_writes_nothing(api_client, cast):
    body = ok(
        send(api_client, cast.data_admin, "api-missing-imports-preview", services.sample_csv().encode())
    )

    assert (body["rows"], body["new"], body["updates"], body["problems"]) == (2, 2, 0, [])
    assert not Episode.objects.exists() and not ImportBatch.objects.exists()


def test_the_preview_lists_every_problem_by_row_and_field(api_client, cast):
    body = ok(send(api_client, cast.data_admin, "api-missing-imports-preview", broken()))

    assert [(p["row"], p["field"]) for p in body["problems"]] == [(2, "reported_by"), (3, "risk")]
    assert not Episode.objects.exists()


def test_a_file_with_a_problem_is_refused_whole(api_client, cast):
    response = send(api_client, cast.data_admin, "api-missing-imports", broken())

    assert response.status_code == 400
    body = response.json()
    assert "file" in body and [p["field"] for p in body["problems"]] == ["reported_by", "risk"]
    assert not Episode.objects.exists() and not ImportBatch.objects.exists()


def test_a_file_that_is_not_utf8_gets_a_clear_message(api_client, cast):
    body = ok(send(api_client, cast.data_admin, "api-missing-imports-preview", "naïve,é\n".encode("latin-1")))

    [problem] = body["problems"]
    assert (problem["row"], problem["field"]) == (0, "file") and "UTF-8" in problem["message"]


def test_no_file_is_refused_naming_it(api_client, cast):
    response = call(api_client, cast.data_admin, "post", url("api-missing-imports"), {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()


def test_importing_twice_updates_rather_than_duplicates(api_client, cast):
    sample = services.sample_csv().encode()

    first = ok(send(api_client, cast.data_admin, "api-missing-imports", sample), 201)
    assert (first["rows"], first["created"], first["updated"]) == (2, 2, 0)

    preview = ok(send(api_client, cast.data_admin, "api-missing-imports-preview", sample))
    assert (preview["new"], preview["updates"]) == (0, 2)

    second = ok(send(api_client, cast.data_admin, "api-missing-imports", sample), 201)
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 2)
    assert Episode.objects.count() == 2

    body = ok(call(api_client, cast.data_admin, "get", url("api-missing-imports")))
    assert [row["id"] for row in body["results"]] == [second["id"], first["id"]]
    assert body["results"][0]["imported_by"]["id"] == cast.data_admin.pk


def test_the_batches_list_costs_the_same_few_queries(api_client, cast, django_assert_max_num_queries):
    sample = services.sample_csv().encode()
    for _ in range(3):
        services.import_reports(by=cast.data_admin, content=sample, filename="sample.csv")
    with django_assert_max_num_queries(10):
        body = ok(call(api_client, cast.data_admin, "get", url("api-missing-imports")))
    assert len(body["results"]) == 3


def test_a_json_body_is_not_read(api_client, cast):
    response = call(api_client, cast.data_admin, "post", url("api-missing-imports"), {"file": "x"})
    assert response.status_code == 415


def test_the_preview_warns_of_cells_a_spreadsheet_would_run_as_formulas(api_client, cast):
    content = services.sample_csv().replace("Left after an argument", "@SUM(A1:A9)").encode()
    body = ok(send(api_client, cast.data_admin, "api-missing-imports-preview", content))
    assert body["problems"] == []
    assert [(w["row"], w["field"]) for w in body["warnings"]] == [(3, "circumstances")]


def test_a_file_over_the_limit_is_refused_naming_the_limit(api_client, cast):
    from missing_persons.services.importer import MAX_BYTES

    response = send(api_client, cast.data_admin, "api-missing-imports-preview", b"x" * (MAX_BYTES + 10))
    assert response.status_code == 400
    assert response.json()["file"] == ["The file is larger than the 5 MB limit: split it into smaller files."]
