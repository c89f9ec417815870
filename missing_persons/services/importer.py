"""Import of missing-person reports exported from a police system as CSV (docs/missing-persons-import.md).

``preview`` reads the whole file and lists every row's problems (row, field, rule) without writing
anything. ``import_reports`` writes all of it or nothing, in one transaction; a report whose police
reference is already known updates that episode instead of adding another. The batch is recorded
(and audited), so every import can be traced.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from mash.agencies.selectors import actor_for
from mash.common.errors import require_role
from mash.common.files import csv_text, is_formula_like
from mash.common.ordering import when
from mash.common.versioning import save_change
from mash.people.identifiers import normalise_nhs_number
from mash.people.matching import EXACT_NAMES_AND_DOB
from mash.people.models import Gender, Person
from mash.people.selectors import person_matches_for
from mash.people.services import PersonChoice, person_resolve
from mash.people.validators import date_of_birth_error
from missing_persons import policy
from missing_persons.models import Episode, EpisodeStatus, ImportBatch
from missing_persons.services.episodes import (
    EpisodeInput,
    build_episode,
    episode_errors,
    ordered_indicators,
    record_return,
    regrade,
    return_errors,
)
from missing_persons.services.repeat import check_repeat

COLUMNS = [
    "police_reference",
    "given_name",
    "family_name",
    "date_of_birth",
    "nhs_number",
    "gender",
    "reported_at",
    "reported_by",
    "reporter_kind",
    "last_seen_at",
    "last_seen_place",
    "risk",
    "risk_rationale",
    "circumstances",
    "indicators",
    "found_at",
    "found_place",
    "found_by",
]
REQUIRED = [
    "police_reference",
    "given_name",
    "family_name",
    "reported_at",
    "reported_by",
    "reporter_kind",
    "last_seen_at",
    "last_seen_place",
    "risk",
    "risk_rationale",
]
MAX_BYTES = 5 * 1024 * 1024  # at most settings.FILE_UPLOAD_MAX_SIZE: an upload is cut there
FORMULA_WARNING = (
    "Begins with =, +, -, @, a tab or a carriage return: a spreadsheet would run it as a formula. "
    "It is imported as text (and written out with a leading quote); check it is what the police system holds."
)
MAX_ROWS = 5000
FOUND_BY = "Police"  # a return in the file found by no one named
FOUND_NOTE = "Recorded as found in the police report."


@dataclass
class Problem:
    row: int  # the line in the file (the header is line 1); 0 for the file itself
    field: str
    message: str


@dataclass
class Row:
    line: int
    values: dict
    data: EpisodeInput | None = None  # its person: the PersonChoice the import resolves
    existing: Episode | None = None
    found_at: datetime | None = None


@dataclass
class Preview:
    rows: list[Row]
    problems: list[Problem]
    sha256: str
    # Cells a spreadsheet would run as a formula (CSV injection): pointed out, imported as text.
    warnings: list[Problem] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(1 for r in self.rows if r.existing is None)

    @property
    def updates(self) -> int:
        return sum(1 for r in self.rows if r.existing is not None)


def _datetime(value: str) -> datetime | None:
    value = value.strip()
    parsed = parse_datetime(value) if value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _read(content: bytes) -> tuple[list[dict], list[Problem]]:
    if len(content) > MAX_BYTES:
        return [], [Problem(0, "file", "The file is larger than 5 MB: split it.")]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(0, "file", "The file is not UTF-8 text: export it as 'CSV UTF-8' and try again.")]
    if not text.strip():
        return [], [Problem(0, "file", "The file is empty.")]
    if "\x00" in text:
        return [], [Problem(0, "file", "The file is not a CSV text file.")]
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            return [], [Problem(1, "header", "Missing columns: " + ", ".join(missing) + ".")]
        rows = []
        for record in reader:
            if None in record:  # more cells than columns
                return [], [
                    Problem(reader.line_num, "row", "The row has more cells than the header has columns.")
                ]
            rows.append({k: (v or "") for k, v in record.items()})
            if len(rows) > MAX_ROWS:
                return [], [Problem(0, "file", f"The file has more than {MAX_ROWS} rows: split it.")]
    except csv.Error as exc:
        # line_num counts the lines read before the one that failed.
        return [], [Problem(reader.line_num + 1, "file", f"The file is not valid CSV: {exc}.")]
    if not rows:
        return [], [Problem(0, "file", "The file has no reports in it.")]
    return rows, []


def _person_for(by, choice: PersonChoice) -> Person:
    """The person this report is about: the one the core knows for certain (NHS number, or exact names
    and date of birth), or a new person, resolved as the episode service resolves its choice."""
    found = person_matches_for(
        by,
        nhs_number=choice.nhs_number,
        given_name=choice.given_name,
        family_name=choice.family_name,
        date_of_birth=choice.date_of_birth,
        limit=2,
    )
    strong = [m for m in found if m.score >= EXACT_NAMES_AND_DOB]
    known = strong[0].person if len(strong) == 1 else None
    return person_resolve(by=by, choice=replace(choice, person=known))


def preview(*, by, content: bytes) -> Preview:
    """Check every row; write nothing."""
    require_role(policy.may_administer(actor_for(by)), "Only the police data administrators import reports.")
    sha256 = hashlib.sha256(content).hexdigest()
    records, problems = _read(content)
    rows: list[Row] = []
    warnings: list[Problem] = []
    seen: dict[str, int] = {}
    for index, values in enumerate(records, start=2):
        row = Row(line=index, values=values)
        rows.append(row)
        for column, value in values.items():
            if is_formula_like(value):
                warnings.append(Problem(index, column, FORMULA_WARNING))
        for column in REQUIRED:
            if not values.get(column, "").strip():
                problems.append(Problem(index, column, "Required."))
        reference = values.get("police_reference", "").strip()
        if reference and reference in seen:
            problems.append(
                Problem(index, "police_reference", f"The same reference as line {seen[reference]}.")
            )
        seen.setdefault(reference, index)
        dob = values.get("date_of_birth", "").strip()
        birth = parse_date(dob) if dob else None
        if dob and birth is None:
            problems.append(Problem(index, "date_of_birth", "Not a date (YYYY-MM-DD)."))
        elif error := date_of_birth_error(birth):
            problems.append(Problem(index, "date_of_birth", error))
        nhs = values.get("nhs_number", "").strip()
        if nhs:
            try:
                normalise_nhs_number(nhs)
            except ValidationError as exc:
                problems.append(Problem(index, "nhs_number", exc.messages[0]))
        gender = values.get("gender", "").strip().lower() or Gender.UNKNOWN
        if gender not in Gender.values:
            problems.append(Problem(index, "gender", "One of: " + ", ".join(Gender.values) + "."))
        dates = {}
        for column in ("reported_at", "last_seen_at", "found_at"):
            raw = values.get(column, "").strip()
            dates[column] = _datetime(raw) if raw else None
            if raw and dates[column] is None:
                problems.append(Problem(index, column, "Not a date and time (YYYY-MM-DD HH:MM)."))
        indicators = [i.strip().lower() for i in values.get("indicators", "").split(";") if i.strip()]
        risk = values.get("risk", "").strip().lower().replace(" ", "_")
        row.data = EpisodeInput(
            person=PersonChoice(
                given_name=values.get("given_name", "").strip(),
                family_name=values.get("family_name", "").strip(),
                date_of_birth=birth,
                nhs_number=values.get("nhs_number", "").strip(),
                gender=gender,
            ),
            reported_at=dates["reported_at"],
            reported_by=values.get("reported_by", ""),
            reporter_kind=values.get("reporter_kind", "").strip().lower().replace(" ", "_"),
            last_seen_at=dates["last_seen_at"],
            last_seen_place=values.get("last_seen_place", ""),
            risk=risk,
            risk_rationale=values.get("risk_rationale", ""),
            circumstances=values.get("circumstances", ""),
            police_reference=reference,
            indicators=tuple(indicators),
        )
        row.found_at = dates["found_at"]
        reported = {p.field for p in problems if p.row == index}
        for name, message in episode_errors(row.data).items():
            if name not in reported:  # a column already reported (required, not a date) is not repeated
                problems.append(Problem(index, name, message))
        if row.found_at is not None:
            errors = return_errors(
                found_at=row.found_at,
                last_seen_at=dates["last_seen_at"],
                reported_at=dates["reported_at"],
                found_place=values.get("found_place", ""),
                found_by=_found_by(values),
                wellbeing_confirmed=True,  # by the police, who found them
            )
            problems.extend(Problem(index, name, message) for name, message in errors.items())
        if reference:
            row.existing = Episode.objects.filter(police_reference=reference).first()
        if row.existing is not None and row.existing.found_at is not None:
            # The row updates an episode whose return is recorded: the times it brings must still come
            # before that return (the episode is checked as a whole, not the row alone).
            for column, the in (("last_seen_at", "Last seen"), ("reported_at", "The report")):
                if dates[column] is not None and dates[column] > row.existing.found_at:
                    problems.append(
                        Problem(
                            index,
                            column,
                            f"{the} cannot be after their return ({when(row.existing.found_at)}).",
                        )
                    )
    problems.sort(key=lambda p: (p.row, p.field))
    return Preview(rows=rows, problems=problems, sha256=sha256, warnings=warnings)


@transaction.atomic
def import_reports(*, by, content: bytes, filename: str) -> ImportBatch:
    """Import every row, or none: a file with any problem is refused whole."""
    result = preview(by=by, content=content)
    if result.problems:
        raise ValidationError(
            {
                "file": [
                    f"Line {p.row}, {p.field}: {p.message}" if p.row else p.message for p in result.problems
                ]
            }
        )
    batch = ImportBatch.objects.create(
        filename=filename[:255],
        sha256=result.sha256,
        imported_by=by,
        rows=len(result.rows),
        created=0,
        updated=0,
    )
    created = updated = unchanged = 0
    touched_people = set()
    for row in result.rows:
        if row.existing is None:
            data = replace(row.data, person=_person_for(by, row.data.person))
            episode = build_episode(data, by=by, batch=batch)
            created += 1
        else:
            episode = Episode.objects.select_for_update().get(pk=row.existing.pk)
            changed = _update(episode, row, by)
            if changed:
                updated += 1
            else:
                unchanged += 1
        if row.found_at is not None and episode.status == EpisodeStatus.MISSING:
            record_return(
                episode,
                found_at=row.found_at,
                found_place=row.values.get("found_place", ""),
                found_by=_found_by(row.values),
                note=FOUND_NOTE,
            )
        touched_people.add(episode.person_id)
    batch.created, batch.updated, batch.unchanged = created, updated, unchanged
    batch.save(update_fields=["created", "updated", "unchanged", "updated_at"])
    for person in Person.objects.filter(pk__in=touched_people):
        check_repeat(person)
    return batch


def _update(episode: Episode, row: Row, by) -> bool:
    data = row.data
    fields = []
    for name, value in (
        ("reported_at", data.reported_at),
        ("reported_by", data.reported_by.strip()),
        ("reporter_kind", data.reporter_kind),
        ("last_seen_at", data.last_seen_at),
        ("last_seen_place", data.last_seen_place.strip()),
        ("circumstances", data.circumstances.strip()),
        ("indicators", ordered_indicators(data.indicators)),
    ):
        if getattr(episode, name) != value:
            setattr(episode, name, value)
            fields.append(name)
    if data.risk != episode.risk and episode.status == EpisodeStatus.MISSING:
        regrade(episode, risk=data.risk, rationale=data.risk_rationale, by=by)
        fields.append("risk")
    if fields:
        save_change(episode, fields)
    return bool(fields)


def _found_by(values: dict) -> str:
    return values.get("found_by", "").strip() or FOUND_BY


def sample_csv(*, first: int = 1) -> str:
    """A sample file (the docs describe its columns), dated yesterday so that it imports as it is. Its
    police references are numbered from ``first``: the demo's import uses others than the sample a
    newcomer downloads, so that the sample adds episodes rather than updating the demo's."""
    day = timezone.localdate() - timedelta(days=1)
    leah, tyler = f"SC-{day:%Y}-{first:04d}", f"SC-{day:%Y}-{first + 1:04d}"
    rows = [
        [
            leah, "Leah", "Walsh", "2010-03-14", "", "female", f"{day:%Y-%m-%d} 19:40",
            "Mrs Walsh (mother)", "parent", f"{day:%Y-%m-%d} 16:00", "Ipswich bus station", "high",
            "Seen with older males; phone off", "Did not return from school", "cse;county_lines", "", "", "",
        ],
        [
            tyler, "Tyler", "Grant", "2009-08-02", "", "male", f"{day:%Y-%m-%d} 22:10",
            "Oak House care home", "care_home", f"{day:%Y-%m-%d} 20:30", "Oak House", "medium",
            "Third time this month", "Left after an argument", "cce", f"{day:%Y-%m-%d} 23:55",
            "Ipswich town centre", "PC 2231 Lee",
        ],
    ]  # fmt: skip
    return csv_text(rows, header=COLUMNS)
