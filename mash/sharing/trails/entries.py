"""One line of a trail, whatever it came from: a change (django-auditlog's ``LogEntry``), a read or a
refusal (the access log) or something that left the MASH (the dissemination log), each with its DPA
2018 s62 category (mash/sharing/governance.py) and, where one was given, its justification."""

from dataclasses import dataclass, field
from datetime import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist

from mash.sharing.governance import S62, s62_category_of_model
from mash.sharing.models import AccessAction, AccessLog, Dissemination

# Where a source's rows go among rows of the same instant: the larger first (newest first). With the
# row's id it makes the order total, so a page boundary (the cursor) cuts it in one place.
CHANGE, ACCESS, DISSEMINATION = 2, 1, 0

CHANGE_LABELS = {
    LogEntry.Action.CREATE: "Created",
    LogEntry.Action.UPDATE: "Changed",
    LogEntry.Action.DELETE: "Deleted",
    LogEntry.Action.ACCESS: "Accessed",
}
CHANGE_CATEGORIES = {
    LogEntry.Action.CREATE: S62.COLLECTION,
    LogEntry.Action.UPDATE: S62.ALTERATION,
    LogEntry.Action.DELETE: S62.ERASURE,
    LogEntry.Action.ACCESS: S62.CONSULTATION,
}
ACCESS_CATEGORIES = {
    AccessAction.VIEW: S62.CONSULTATION,
    AccessAction.BREAK_GLASS: S62.CONSULTATION,
    # A refused attempt to consult.
    AccessAction.DENIED: S62.CONSULTATION,
    AccessAction.EXPORT: S62.DISCLOSURE,
    AccessAction.PRINT: S62.DISCLOSURE,
}
# Shown as red tags: what information governance looks at first.
FLAGGED = {AccessAction.DENIED, AccessAction.BREAK_GLASS}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class TrailEntry:
    at: datetime
    source: int
    id: int
    # 'create', 'update', 'delete' (changes), the access log's action, or 'dissemination'.
    kind: str
    label: str
    category: str
    user: object | None
    agency: str
    content_type: ContentType | None
    object_id: str
    object_repr: str
    reason: str = ""
    detail: str = ""
    address: str = ""
    changes: tuple[Change, ...] = field(default=())

    @property
    def key(self) -> tuple:
        return (self.at, self.source, self.id)

    @property
    def flagged(self) -> bool:
        return self.kind in FLAGGED

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def content_type_id(self) -> int | None:
        return self.content_type.pk if self.content_type is not None else None

    @property
    def user_name(self) -> str:
        if self.user is None:
            return "System"
        return self.user.get_full_name() or self.user.get_username()

    @property
    def record_type(self) -> str:
        return str(self.content_type.name).capitalize() if self.content_type else ""


def _model_label(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


def _field_name(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except (FieldDoesNotExist, AttributeError):
        return name.replace("_", " ").capitalize()


def _text(value) -> str:
    if value is None or value == "None":
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def changes_of(entry: LogEntry, content_type: ContentType) -> tuple[Change, ...]:
    model = content_type.model_class()
    changes = entry.changes if isinstance(entry.changes, dict) else entry.changes_dict
    rows = []
    for name, value in (changes or {}).items():
        if isinstance(
            value, dict
        ):  # a many-to-many change: {"type": "m2m", "operation": ..., "objects": [...]}
            before, after = ("", _text(value.get("objects")))
            if value.get("operation") == "delete":
                before, after = after, ""
        elif isinstance(value, list | tuple) and len(value) == 2:
            before, after = _text(value[0]), _text(value[1])
        else:
            before, after = "", _text(value)
        rows.append(Change(_field_name(model, name), before, after))
    return tuple(rows)


def from_change(entry: LogEntry) -> TrailEntry:
    content_type = ContentType.objects.get_for_id(entry.content_type_id)
    category = s62_category_of_model(_model_label(content_type)) or CHANGE_CATEGORIES.get(
        entry.action, S62.ALTERATION
    )
    return TrailEntry(
        at=entry.timestamp,
        source=CHANGE,
        id=entry.id,
        kind={0: "create", 1: "update", 2: "delete", 3: "access"}.get(entry.action, "update"),
        label=CHANGE_LABELS.get(entry.action, "Changed"),
        category=category,
        user=entry.actor,
        agency="",
        content_type=content_type,
        object_id=entry.object_pk,
        object_repr=entry.object_repr,
        address=entry.remote_addr or "",
        changes=changes_of(entry, content_type),
    )


def from_access(row: AccessLog) -> TrailEntry:
    return TrailEntry(
        at=row.at,
        source=ACCESS,
        id=row.id,
        kind=row.action,
        label=row.get_action_display(),
        category=ACCESS_CATEGORIES.get(row.action, S62.CONSULTATION),
        user=row.user,
        agency=row.agency.name if row.agency_id else "",
        content_type=ContentType.objects.get_for_id(row.content_type_id),
        object_id=row.object_id,
        object_repr=row.object_repr,
        reason=row.reason,
        address=row.ip_address or "",
        detail=row.path,
    )


def from_dissemination(row: Dissemination) -> TrailEntry:
    if row.approved_by_id is None:  # an automatic entry: an e-mail the system sent outside the MASH
        approval = "sent automatically by its sending rule"
    else:
        approval = f"approved by {row.approved_by.get_full_name() or row.approved_by.get_username()}"
    return TrailEntry(
        at=row.disseminated_at,
        source=DISSEMINATION,
        id=row.id,
        kind="dissemination",
        label="Disclosed",
        category=S62.DISCLOSURE,
        user=row.disseminated_by,
        agency="",
        content_type=ContentType.objects.get_for_id(row.content_type_id) if row.content_type_id else None,
        object_id=row.object_id,
        object_repr=row.what[:200],
        reason=f"{row.need} ({row.get_lawful_basis_display()})",
        detail=(
            f"To {row.recipient_name} ({row.recipient_organisation}) by "
            f"{row.get_method_display().lower()}, {approval}"
        ),
    )
