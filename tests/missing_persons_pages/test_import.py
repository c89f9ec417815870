"""The import page: the preview lists every problem (line, column, rule) and writes nothing; a clean
file is previewed, then imported on confirmation, all or nothing; re-importing creates nothing new."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mash.people.models import Person
from missing_persons import services
from missing_persons.models import Episode, ImportBatch

pytestmark = pytest.mark.django_db

IMPORT = reverse("missing_persons:import")


def _upload(client, content: bytes, name="reports.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def _confirm(client):
    return client.post(IMPORT, {"confirm": "1"})


def _with_problems() -> bytes:
    lines = services.sample_csv().splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index("risk")] = "extreme"
    first[header.index("date_of_birth")] = "14/03/2010"
    second = lines[2].split(",")
    second[header.index("last_seen_place")] = ""
    return ("\n".join([lines[0], ",".join(first), ",".join(second)]) + "\n").encode()


@pytest.fixture
def admin(client, cast):
    client.force_login(cast.data_admin)
    return client


def test_the_import_page(admin):
    response = admin.get(IMPORT)
    assert response.status_code == 200
    assert reverse("missing_persons:sample") in response.content.decode()


def test_a_file_with_problems_lists_each_line_column_and_problem_and_writes_nothing(admin):
    people = Person.objects.count()
    response = _upload(admin, _with_problems())
    assert response.status_code == 400
    problems = {(p.row, p.field) for p in response.context["result"].problems}
    assert problems == {(2, "risk"), (2, "date_of_birth"), (3, "last_seen_place")}
    body = response.content.decode()
    assert "nothing has been written" in body
    assert "3 problems" in body
    assert "Not a date (YYYY-MM-DD)." in body
    assert "Grade the risk" in body
    assert '<td class="govuk-table__cell">last_seen_place</td>' in body
    assert not Episode.objects.exists()
    assert not ImportBatch.objects.exists()
    assert Person.objects.count() == people
    # and nothing waits to be confirmed
    response = _confirm(admin)
    assert response.status_code == 302
    assert "nothing is waiting" in admin.get(IMPORT).content.decode()
    assert not Episode.objects.exists()


def test_a_clean_file_is_previewed_then_imported_on_confirmation(admin, cast):
    response = _upload(admin, services.sample_csv().encode(), name="police-export.csv")
    assert response.status_code == 200
    result = response.context["result"]
    assert (len(result.rows), result.new, result.updates, result.problems) == (2, 2, 0, [])
    body = response.content.decode()
    assert "police-export.csv: 2 reports checked, no problems. 2 new, 0 already known" in body
    assert "Import 2 reports" in body
    assert not Episode.objects.exists()

    response = _confirm(admin)
    assert response.status_code == 302
    assert response.url == reverse("missing_persons:dashboard")
    assert Episode.objects.count() == 2
    batch = ImportBatch.objects.get()
    assert (batch.filename, batch.rows, batch.created, batch.imported_by) == (
        "police-export.csv",
        2,
        2,
        cast.data_admin,
    )
    assert set(Episode.objects.values_list("imported_in", flat=True)) == {batch.pk}
    dashboard = admin.get(response.url).content.decode()
    assert "Imported police-export.csv: 2 new, 0 updated, 0 unchanged." in dashboard
    assert "Leah Walsh" in dashboard  # the high-risk one still missing
    # confirming again imports nothing more: the pending file was used
    assert _confirm(admin).status_code == 302
    assert ImportBatch.objects.count() == 1


def test_re_uploading_and_confirming_the_same_file_creates_nothing_new(admin):
    content = services.sample_csv().encode()
    _upload(admin, content)
    _confirm(admin)
    episodes = set(Episode.objects.values_list("pk", flat=True))
    people = Person.objects.count()

    response = _upload(admin, content)
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.new, result.updates) == (0, 2)
    assert "0 new, 2 already known (will be updated)" in response.content.decode()
    assert _confirm(admin).status_code == 302
    assert set(Episode.objects.values_list("pk", flat=True)) == episodes
    assert Person.objects.count() == people
    second = ImportBatch.objects.order_by("pk").last()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)


def test_a_latin_1_file_is_refused_as_not_utf_8(admin):
    content = services.sample_csv().replace("Walsh", "Wälsh").encode("latin-1")
    response = _upload(admin, content)
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
    assert not Episode.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The submitted file is empty."),
        (b"police_reference,given_name\nSC-1,Leah\n", "Missing columns"),
        (b"\x00\x01\x02binary", "not a CSV text file"),
        (services.sample_csv().splitlines()[0].encode() + b"\n", "no reports in it"),
    ],
)
def test_malformed_files_get_a_clear_message(admin, content, message):
    response = _upload(admin, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Episode.objects.exists()


def test_the_sample_download(admin):
    response = admin.get(reverse("missing_persons:sample"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.splitlines()[0].startswith("police_reference,given_name,family_name")
    assert text == services.sample_csv()


@pytest.mark.parametrize("who", ["police_researcher", "triage"])
def test_only_the_data_administrator_imports(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(IMPORT).status_code == 403
    assert _upload(client, services.sample_csv().encode()).status_code == 403
    assert not Episode.objects.exists()


def test_the_preview_warns_of_cells_a_spreadsheet_would_run_as_formulas(admin):
    lines = services.sample_csv().splitlines()
    lines[2] = lines[2].replace("Left after an argument", '=HYPERLINK("https://evil.example")')
    response = _upload(admin, ("\n".join(lines) + "\n").encode())
    assert response.status_code == 200
    assert [(w.row, w.field) for w in response.context["result"].warnings] == [(3, "circumstances")]
    body = response.content.decode()
    assert "a spreadsheet would run it as a formula" in body
    assert '<td class="govuk-table__cell">3</td><td class="govuk-table__cell">circumstances</td>' in body


def test_a_file_over_the_limit_is_refused_naming_the_field_and_the_limit(admin):
    from missing_persons.services.importer import MAX_BYTES

    response = _upload(admin, b"x" * (MAX_BYTES + 1024 * 1024))
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "The CSV file of missing-person reports is larger than the 5 MB limit: split it into smaller files."
    ]
    assert response.context["result"] is None  # refused before it was read
    assert not ImportBatch.objects.exists()
