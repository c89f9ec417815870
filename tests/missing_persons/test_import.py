"""The import of police missing-person reports: preview, all or nothing, re-import, malformed files."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from mash.common.ordering import when
from mash.people.models import Person
from missing_persons import services
from missing_persons.models import Episode, EpisodeStatus, ImportBatch, ReturnInterview, Risk, RiskGrading
from missing_persons.services.importer import COLUMNS
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DAY = date.today() - timedelta(days=1)


def row(**overrides) -> dict:
    values = {
        "police_reference": "SC-9001",
        "given_name": "Mia",
        "family_name": "Price",
        "date_of_birth": "2011-05-01",
        "nhs_number": "",
        "gender": "female",
        "reported_at": f"{DAY:%Y-%m-%d} 19:00",
        "reported_by": "Mr Price (father)",
        "reporter_kind": "parent",
        "last_seen_at": f"{DAY:%Y-%m-%d} 15:30",
        "last_seen_place": "Ipswich Academy",
        "risk": "medium",
        "risk_rationale": "Eleven, not returned from school.",
        "circumstances": "",
        "indicators": "",
        "found_at": "",
        "found_place": "",
        "found_by": "",
    }
    values.update(overrides)
    return values


def csv_bytes(*rows: dict, columns=COLUMNS, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def nothing_written():
    return (Episode.objects.count(), Person.objects.count(), ImportBatch.objects.count()) == (0, 0, 0)


def problems_of(cast, content: bytes) -> set[tuple[int, str]]:
    return {(p.row, p.field) for p in services.preview(by=cast.data_admin, content=content).problems}


def sample() -> bytes:
    return services.sample_csv().encode()


# Preview


def test_the_sample_previews_clean(cast):
    result = services.preview(by=cast.data_admin, content=sample())
    assert result.problems == []
    assert (len(result.rows), result.new, result.updates) == (2, 2, 0)
    assert nothing_written()


def test_preview_names_missing_columns_in_the_header(cast):
    columns = [c for c in COLUMNS if c not in ("risk", "last_seen_place")]
    result = services.preview(by=cast.data_admin, content=csv_bytes(row(), columns=columns))
    [problem] = result.problems
    assert (problem.row, problem.field) == (1, "header")
    assert "last_seen_place" in problem.message and "risk" in problem.message
    assert nothing_written()


def test_preview_lists_every_rows_problems_by_field_and_writes_nothing(cast):
    content = csv_bytes(
        row(police_reference="SC-1"),  # line 2: good
        row(police_reference="SC-2", reported_at="yesterday evening"),  # line 3
        row(police_reference="SC-3", risk="extreme"),  # line 4
        row(police_reference="SC-1"),  # line 5: a duplicate of line 2
        row(police_reference="SC-5", last_seen_at=f"{DAY:%Y-%m-%d} 20:00"),  # line 6: after reported
        row(police_reference="SC-6", date_of_birth="01/05/2011", given_name=""),  # line 7
        row(police_reference="SC-7", found_at=f"{DAY:%Y-%m-%d} 21:00"),  # line 8: no found_place
    )
    result = services.preview(by=cast.data_admin, content=content)
    assert {(p.row, p.field) for p in result.problems} == {
        (3, "reported_at"),
        (4, "risk"),
        (5, "police_reference"),
        (6, "last_seen_at"),
        (7, "date_of_birth"),
        (7, "given_name"),
        (8, "found_place"),
    }
    messages = {(p.row, p.field): p.message for p in result.problems}
    assert "line 2" in messages[(5, "police_reference")]
    assert "Required" in messages[(7, "given_name")]
    assert nothing_written()


def test_preview_names_a_return_before_last_seen(cast):
    content = csv_bytes(row(found_at=f"{DAY:%Y-%m-%d} 12:00", found_place="Home"))
    assert problems_of(cast, content) == {(2, "found_at")}


def test_preview_lists_all_of_a_rows_problems_even_with_a_bad_date(cast):
    content = csv_bytes(row(last_seen_at="not a date", risk="extreme"))
    assert problems_of(cast, content) == {(2, "last_seen_at"), (2, "risk")}


def test_preview_refuses_a_return_in_the_future(cast):
    future = timezone.localtime() + timedelta(days=2)
    content = csv_bytes(row(found_at=f"{future:%Y-%m-%d %H:%M}", found_place="Home"))
    assert problems_of(cast, content) == {(2, "found_at")}


def test_a_return_in_the_file_is_refused_with_the_return_services_own_messages(cast):
    future = timezone.localtime() + timedelta(days=2)
    content = csv_bytes(
        row(police_reference="SC-1", found_at=f"{future:%Y-%m-%d %H:%M}", found_place="Home"),
        row(police_reference="SC-2", found_at=f"{DAY:%Y-%m-%d} 12:00", found_place="Home"),
        row(police_reference="SC-3", found_at=f"{DAY:%Y-%m-%d} 21:00"),
    )
    problems = services.preview(by=cast.data_admin, content=content).problems
    assert [(p.row, p.field, p.message) for p in problems] == [
        (2, "found_at", "The return cannot be in the future."),
        (3, "found_at", "They cannot be found before they were last seen."),
        (4, "found_place", "Say where they were found or returned to."),
    ]


def test_a_return_before_the_report_and_a_birth_in_the_future_are_refused_as_the_services_refuse(cast):
    tomorrow = timezone.localdate() + timedelta(days=1)
    reported = timezone.make_aware(datetime(DAY.year, DAY.month, DAY.day, 19, 0))
    content = csv_bytes(
        row(police_reference="SC-1", found_at=f"{DAY:%Y-%m-%d} 17:00", found_place="Home"),
        row(police_reference="SC-2", date_of_birth=f"{tomorrow:%Y-%m-%d}"),
    )
    problems = services.preview(by=cast.data_admin, content=content).problems
    assert [(p.row, p.field, p.message) for p in problems] == [
        (2, "found_at", f"The return cannot be before they were reported missing ({when(reported)})."),
        (3, "date_of_birth", "Date of birth must be today or in the past."),
    ]
    with pytest.raises(ValidationError):
        services.import_reports(by=cast.data_admin, content=content, filename="reports.csv")
    assert not Episode.objects.exists() and not Person.objects.exists()


# All or nothing


def test_a_file_with_any_problem_is_refused_whole(cast):
    content = csv_bytes(
        row(police_reference="SC-1"), row(police_reference="SC-2"), row(police_reference="SC-3", risk="?")
    )
    with pytest.raises(ValidationError) as refusal:
        services.import_reports(by=cast.data_admin, content=content, filename="reports.csv")
    assert list(refusal.value.message_dict) == ["file"]
    assert any("Line 4, risk" in m for m in refusal.value.message_dict["file"])
    assert nothing_written()


# A clean file


def test_a_clean_file_imports(cast):
    batch = services.import_reports(by=cast.data_admin, content=sample(), filename="sample.csv")
    batch.refresh_from_db()
    assert (batch.filename, batch.rows, batch.created, batch.updated, batch.unchanged) == (
        "sample.csv",
        2,
        2,
        0,
        0,
    )
    assert batch.imported_by == cast.data_admin
    leah = Person.objects.get(given_name="Leah", family_name="Walsh")
    assert leah.date_of_birth == date(2010, 3, 14) and leah.gender == "female"
    episode = Episode.objects.get(police_reference=f"SC-{DAY:%Y}-0001")
    assert (episode.person, episode.imported_in, episode.risk) == (leah, batch, Risk.HIGH)
    assert episode.indicators == ["cse", "county_lines"]
    assert episode.is_child and episode.status == EpisodeStatus.MISSING
    assert episode.gradings.get().rationale == "Seen with older males; phone off"
    assert Person.objects.count() == 2


def test_it_matches_an_existing_person_by_exact_names_and_date_of_birth(cast):
    leah = PersonFactory(given_name="Leah", family_name="Walsh", date_of_birth=date(2010, 3, 14))
    services.import_reports(by=cast.data_admin, content=sample(), filename="sample.csv")
    assert Episode.objects.get(police_reference=f"SC-{DAY:%Y}-0001").person == leah
    assert Person.objects.count() == 2  # Leah matched, Tyler new


def test_it_matches_an_existing_person_by_nhs_number(cast, person):
    content = csv_bytes(
        row(given_name="Jaden", family_name="Smyth", date_of_birth="2012-01-01", nhs_number="943 476 5919")
    )
    services.import_reports(by=cast.data_admin, content=content, filename="reports.csv")
    assert Episode.objects.get().person == person
    assert Person.objects.count() == 1


def test_a_different_date_of_birth_is_another_person(cast):
    PersonFactory(given_name="Mia", family_name="Price", date_of_birth=date(2011, 5, 2))
    services.import_reports(by=cast.data_admin, content=csv_bytes(row()), filename="reports.csv")
    assert Person.objects.filter(given_name="Mia").count() == 2


# Re-importing


def test_re_importing_the_same_file_creates_nothing(cast):
    services.import_reports(by=cast.data_admin, content=sample(), filename="sample.csv")
    again = services.import_reports(by=cast.data_admin, content=sample(), filename="sample.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert (Episode.objects.count(), Person.objects.count(), RiskGrading.objects.count()) == (2, 2, 2)
    assert ImportBatch.objects.count() == 2


def test_a_changed_row_updates_the_episode_with_a_grading(cast):
    services.import_reports(by=cast.data_admin, content=csv_bytes(row()), filename="reports.csv")
    episode = Episode.objects.get()
    assert services.preview(by=cast.data_admin, content=csv_bytes(row(risk="high"))).updates == 1
    batch = services.import_reports(
        by=cast.data_admin,
        content=csv_bytes(row(risk="High", risk_rationale="Seen getting into a car.")),
        filename="reports.csv",
    )
    assert (batch.created, batch.updated, batch.unchanged) == (0, 1, 0)
    episode.refresh_from_db()
    assert episode.risk == Risk.HIGH and episode.version == 2
    latest = episode.gradings.last()
    assert (latest.previous, latest.risk, latest.rationale) == (
        Risk.MEDIUM,
        Risk.HIGH,
        "Seen getting into a car.",
    )
    assert Episode.objects.count() == 1


# Returns in the file


def test_a_row_with_found_at_returns_a_child_and_starts_the_interview_clock(cast):
    services.import_reports(by=cast.data_admin, content=sample(), filename="sample.csv")
    tyler = Episode.objects.get(police_reference=f"SC-{DAY:%Y}-0002")
    found_at = timezone.make_aware(datetime.combine(DAY, datetime.min.time()).replace(hour=23, minute=55))
    assert (tyler.status, tyler.found_at, tyler.found_by) == (EpisodeStatus.RETURNED, found_at, "PC 2231 Lee")
    assert tyler.wellbeing_confirmed
    clock = tyler.interview.clock
    assert (clock.started_at, clock.due_at) == (found_at, found_at + timedelta(hours=72))
    assert ReturnInterview.objects.count() == 1  # Leah is still missing


def test_a_row_with_found_at_returns_an_adult_without_an_interview(cast):
    content = csv_bytes(row(date_of_birth="1990-01-01", found_at=f"{DAY:%Y-%m-%d} 22:00", found_place="Home"))
    services.import_reports(by=cast.data_admin, content=content, filename="reports.csv")
    episode = Episode.objects.get()
    assert episode.status == EpisodeStatus.RETURNED and not episode.is_child
    assert not ReturnInterview.objects.exists()


# Malformed files


def test_latin_1_is_refused_as_not_utf_8(cast):
    content = csv_bytes(row(given_name="Zoë"), encoding="latin-1")
    [problem] = services.preview(by=cast.data_admin, content=content).problems
    assert (problem.row, problem.field) == (0, "file")
    assert "not UTF-8" in problem.message
    with pytest.raises(ValidationError, match="not UTF-8"):
        services.import_reports(by=cast.data_admin, content=content, filename="reports.csv")
    assert nothing_written()


@pytest.mark.parametrize(
    "content",
    [csv_bytes(row(circumstances="a\x00b")), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"],
    ids=["nul", "png"],
)
def test_a_binary_file_is_refused(cast, content):
    [problem] = services.preview(by=cast.data_admin, content=content).problems
    assert problem.field == "file"
    assert "not a CSV text file" in problem.message or "not UTF-8" in problem.message


def test_a_file_with_only_a_header_has_no_reports(cast):
    [problem] = services.preview(by=cast.data_admin, content=csv_bytes()).problems
    assert (problem.field, problem.message) == ("file", "The file has no reports in it.")


def test_an_empty_file_gets_a_message(cast):
    [problem] = services.preview(by=cast.data_admin, content=b"").problems
    assert problem.message


def test_an_empty_file_is_said_to_be_empty(cast):
    [problem] = services.preview(by=cast.data_admin, content=b"").problems
    assert problem.field == "file" and "empty" in problem.message.lower()


def test_a_ragged_row_is_refused(cast):
    content = csv_bytes(row(police_reference="SC-1")) + b"SC-2,Mia,Price" + b",x" * len(COLUMNS) + b"\n"
    [problem] = services.preview(by=cast.data_admin, content=content).problems
    assert (problem.row, problem.field) == (3, "row")
    assert "more cells" in problem.message


@pytest.mark.parametrize("bad", [b'SC-2,"Mia,Price\n', b'SC-2,"Mia"x,Price\n'], ids=["unclosed", "stray"])
def test_a_malformed_quote_is_refused(cast, bad):
    content = csv_bytes(row(police_reference="SC-1")) + bad
    [problem] = services.preview(by=cast.data_admin, content=content).problems
    assert problem.field == "file" and "not valid CSV" in problem.message
    with pytest.raises(ValidationError, match="not valid CSV"):
        services.import_reports(by=cast.data_admin, content=content, filename="reports.csv")
    assert nothing_written()


def test_a_malformed_quote_names_its_line(cast):
    content = csv_bytes(row(police_reference="SC-1")) + b'SC-2,"Mia"x,Price\n'
    [problem] = services.preview(by=cast.data_admin, content=content).problems
    assert problem.row == 3


def test_a_bom_is_accepted(cast):
    content = csv_bytes(row(given_name="Zoë"), encoding="utf-8-sig")
    assert content.startswith(b"\xef\xbb\xbf")
    assert services.preview(by=cast.data_admin, content=content).problems == []
    services.import_reports(by=cast.data_admin, content=content, filename="reports.csv")
    assert Episode.objects.get(police_reference="SC-9001").person.given_name == "Zoë"


# Who may import, and the audit


@pytest.mark.parametrize("who", ["triage", "police_researcher", "health_researcher", "manager", "outsider"])
def test_only_a_data_administrator_previews_or_imports(cast, who):
    user = getattr(cast, who)
    with pytest.raises(ValidationError, match="data administrators"):
        services.preview(by=user, content=sample())
    with pytest.raises(ValidationError, match="data administrators"):
        services.import_reports(by=user, content=sample(), filename="sample.csv")
    assert nothing_written()


def test_the_import_is_audited(cast):
    batch = services.import_reports(by=cast.data_admin, content=sample(), filename="sample.csv")
    entry = LogEntry.objects.get_for_object(batch).filter(action=LogEntry.Action.CREATE).get()
    assert entry.actor is None or entry.actor == cast.data_admin
    assert batch.sha256 and len(batch.sha256) == 64


# Cells a spreadsheet would run as a formula (CSV injection)


def test_the_preview_flags_every_cell_a_spreadsheet_would_run_as_a_formula(cast):
    content = csv_bytes(
        row(circumstances='=HYPERLINK("https://evil.example","click")'),
        row(police_reference="SC-9002", reported_by="@SUM(1+1)", found_by="", risk_rationale="-2+3 risk"),
    )
    result = services.preview(by=cast.data_admin, content=content)
    assert result.problems == []
    assert [(w.row, w.field) for w in result.warnings] == [
        (2, "circumstances"),
        (3, "reported_by"),
        (3, "risk_rationale"),
    ]
    assert "formula" in result.warnings[0].message
    assert services.preview(by=cast.data_admin, content=sample()).warnings == []


def test_the_sample_file_is_written_through_the_neutralising_csv_writer(monkeypatch):
    from missing_persons.services import importer

    monkeypatch.setattr(importer, "COLUMNS", ["=cmd|' /C calc'!A0", *COLUMNS[1:]])
    header = next(csv.reader(io.StringIO(services.sample_csv(), newline="")))
    assert header[0] == "'=cmd|' /C calc'!A0"


# The preview promises only what the import will do (issue: a check digit and a re-import)


def test_a_wrong_nhs_check_digit_is_a_problem_of_the_preview_with_the_cores_message(cast):
    result = services.preview(by=cast.data_admin, content=csv_bytes(row(nhs_number="1234567890")))
    assert [(p.row, p.field, p.message) for p in result.problems] == [
        (2, "nhs_number", "The NHS number is not valid: its check digit does not match.")
    ]
    with pytest.raises(ValidationError):
        services.import_reports(
            by=cast.data_admin, content=csv_bytes(row(nhs_number="1234567890")), filename="x"
        )
    assert nothing_written()


def test_a_re_import_moves_the_report_with_last_seen(cast):
    services.import_reports(by=cast.data_admin, content=csv_bytes(row()), filename="reports.csv")
    later = row(reported_at=f"{DAY:%Y-%m-%d} 21:00", last_seen_at=f"{DAY:%Y-%m-%d} 20:00")
    assert problems_of(cast, csv_bytes(later)) == set()
    services.import_reports(by=cast.data_admin, content=csv_bytes(later), filename="reports.csv")
    episode = Episode.objects.get()
    assert episode.last_seen_at <= episode.reported_at
    assert timezone.localtime(episode.reported_at).hour == 21


def test_a_re_import_may_not_move_last_seen_after_the_recorded_return(cast):
    found = row(found_at=f"{DAY:%Y-%m-%d} 22:00", found_place="Home", found_by="PC 1 Test")
    services.import_reports(by=cast.data_admin, content=csv_bytes(found), filename="reports.csv")
    episode = Episode.objects.get()
    assert episode.status == EpisodeStatus.RETURNED
    moved = row(reported_at=f"{DAY:%Y-%m-%d} 23:30", last_seen_at=f"{DAY:%Y-%m-%d} 23:00")
    result = services.preview(by=cast.data_admin, content=csv_bytes(moved))
    assert {(p.field, p.message) for p in result.problems} == {
        ("last_seen_at", f"Last seen cannot be after their return ({when(episode.found_at)})."),
        ("reported_at", f"The report cannot be after their return ({when(episode.found_at)})."),
    }
    with pytest.raises(ValidationError):
        services.import_reports(by=cast.data_admin, content=csv_bytes(moved), filename="reports.csv")
    episode.refresh_from_db()
    assert episode.version == 2 and timezone.localtime(episode.last_seen_at).hour == 15


def test_the_demos_references_are_not_the_downloadable_samples():
    def references(text: str) -> set[str]:
        return {line["police_reference"] for line in csv.DictReader(io.StringIO(text))}

    with open("docs/missing-persons-sample.csv", encoding="utf-8") as docs:
        downloadable = references(services.sample_csv()) | references(docs.read())
    assert not downloadable & references(services.sample_csv(first=101))
