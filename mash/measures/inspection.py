"""The inspection lists: the child-level lists a local authority gives Ofsted at an ILACS inspection
(Annex A), for a chosen period, with Annex A's own column headings (docs/annex-a.md).

The core keeps the registry and the rules every list shares; each domain app registers its lists
(``referrals/inspection.py``: List 1 contacts and List 3 referrals; ``strategy/inspection.py``: List 5
section 47 enquiries), so the core imports no domain app. A list's rows are case records, one row per
child: they are read through the app's selectors (what the viewer may see) and every record a page or a
download shows is logged as read or exported (``records_shown``). The lists are the lead agency's MASH
managers' only (``scope.may_see_inspection_lists``): the local authority gives them to Ofsted.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404

from mash.agencies.selectors import actor_for
from mash.common.dates import format_date
from mash.measures.periods import Period
from mash.measures.scope import may_see_inspection_lists
from mash.sharing.models import AccessAction
from mash.sharing.services import records_shown

TEXT, COUNT, DATE = "text", "count", "date"
PER_PAGE = 50
BATCH = 500
YEAR = timedelta(days=365)
"""Records read, built and logged at a time by a download (a few queries per batch, never per row)."""


@dataclass(frozen=True)
class Heading:
    """One column of a list: its key (the API's), its Annex A heading, and the kind of its values."""

    key: str
    heading: str
    kind: str = TEXT

    @property
    def numeric(self) -> bool:
        return self.kind == COUNT


@dataclass(frozen=True)
class Rows:
    """What a list holds for one viewer and period.

    ``records``: a queryset of one record per row, already cut by the app's selectors to what the viewer
    may see, in the list's order. ``build``: a batch of those records to their rows (one value per
    heading, None for blank), in a few queries whatever the batch's size. ``shown``: the case records a
    batch shows (the rows' referrals, discussions, people), each logged as read or exported.
    """

    records: QuerySet
    build: Callable[[list], list[list]]
    shown: Callable[[list], list]


@dataclass(frozen=True)
class InspectionList:
    key: str
    number: int
    title: str
    description: str
    headings: tuple[Heading, ...]
    rows: Callable[[object, Period], Rows]

    @property
    def name(self) -> str:
        """'List 1: contacts', as Annex A numbers them."""
        return f"List {self.number}: {self.title.lower()}"


_lists: dict[str, InspectionList] = {}


def register(*lists: InspectionList) -> None:
    for item in lists:
        if len({h.key for h in item.headings}) != len(item.headings):
            raise ValueError(f"{item.key}: two columns share a key.")
        _lists[item.key] = item


def all_lists() -> list[InspectionList]:
    return sorted(_lists.values(), key=lambda item: (item.number, item.key))


def list_of(key: str) -> InspectionList:
    try:
        return _lists[key]
    except KeyError:
        raise Http404("No such inspection list.") from None


def check_allowed(user) -> None:
    if not may_see_inspection_lists(actor_for(user)):
        raise PermissionDenied("The inspection lists are for the lead agency's MASH managers.")


@dataclass
class Page:
    inspection_list: InspectionList
    period: Period
    page: object  # django.core.paginator.Page of the records
    rows: list[list]

    @property
    def headings(self) -> tuple[Heading, ...]:
        return self.inspection_list.headings

    def display_rows(self) -> list[list[dict]]:
        return [
            [
                {"text": display(value), "numeric": heading.numeric}
                for value, heading in zip(row, self.headings, strict=True)
            ]
            for row in self.rows
        ]


def page_of(user, key: str, period: Period, number, *, per_page: int = PER_PAGE, request=None) -> Page:
    """One page of a list's rows; each record shown is logged as read. A page number past the end is a
    404 (``Paginator.validate_number``)."""
    check_allowed(user)
    item = list_of(key)
    rows = item.rows(user, period)
    page = Paginator(rows.records, per_page).page(number)
    records = list(page.object_list)
    records_shown(user=user, objs=rows.shown(records), request=request, action=AccessAction.VIEW)
    return Page(item, period, page, rows.build(records))


def every_row(user, key: str, period: Period, *, request=None) -> Iterator[list]:
    """Every row of a list, a batch at a time (for the downloads); each record is logged as exported,
    batch by batch, as it is written. The permission is checked before the first row."""
    check_allowed(user)
    item = list_of(key)
    rows = item.rows(user, period)

    def generate():
        batch = []
        for record in rows.records.iterator(chunk_size=BATCH):
            batch.append(record)
            if len(batch) == BATCH:
                yield from _exported(user, rows, batch, request)
                batch = []
        if batch:
            yield from _exported(user, rows, batch, request)

    return generate()


def _exported(user, rows: Rows, batch: list, request) -> list[list]:
    records_shown(user=user, objs=rows.shown(batch), request=request, action=AccessAction.EXPORT)
    return rows.build(batch)


def display(value) -> str:
    """A cell as the page shows it."""
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return format_date(value)
    return str(value)


# --- Shared by the lists' rows ----------------------------------------------------------------------

GENDER_CODES = {
    "male": "a) Male",
    "female": "b) Female",
    "unknown": "c) Not stated/recorded",
    "other": "d) Neither",
}
"""Annex A's gender categories for ``Person.gender``."""


def gender_code(gender: str) -> str:
    return GENDER_CODES.get(gender, GENDER_CODES["unknown"])


def age_on(person, day: date) -> int | None:
    """The child's age in whole years on ``day`` (from the date of birth; the approximate age recorded
    when it is not known); None when neither is known or the child was not yet born."""
    born = person.date_of_birth
    if born is None:
        return person.approximate_age
    years = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return years if years >= 0 else None


def year_before(moment: datetime) -> datetime:
    """The start of the twelve months before ``moment``: 365 days before it, the window of the demand
    dashboard's repeat referrals (docs/measures.md)."""
    return moment - YEAR


def count_in_year_before(moments: list[datetime], moment: datetime) -> int:
    """How many of ``moments`` fall in the twelve months before ``moment`` (``moment`` itself excluded)."""
    since = year_before(moment)
    return sum(1 for other in moments if since <= other < moment)


def worker_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()
