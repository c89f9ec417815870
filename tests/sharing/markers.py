"""The marker harness: plant a unique marker in every free-text field of every case model, request
every page and API endpoint as a viewer, and name each marker that reaches a viewer the sharing policy
does not allow to see that field.

Nothing here lists fields, models, pages or endpoints by hand: the models come from the case apps'
configs, the pages from the URL conf and the endpoints from the OpenAPI schema. What is listed by hand
is how to fill a URL parameter (by the collection it follows, e.g. ``requests/<pk>``), and a pattern
this cannot fill is reported, so a new page cannot slip through.

GET only: a route whose view has no ``get`` answers nothing but 405. No view answers an htmx request
(``HX-Request``) differently from a plain GET, so there are no partial variants to request.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import count

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from mash.agencies.policy import is_information_governance
from mash.agencies.selectors import actor_for
from mash.sharing import policy

CASE_APPS = ("referrals", "strategy", "disclosures", "missing_persons", "people")

# Free-text fields that are not content, and why. Everything else of type CharField/TextField without
# choices gets a marker.
NOT_CONTENT = {
    # Phonetic keys derived from the names for matching: never shown, and rewritten from the names.
    ("people", "person", "given_name_key"): "derived matching key",
    ("people", "person", "family_name_key"): "derived matching key",
    # A digest of the imported file, to spot a re-import: not content.
    ("missing_persons", "importbatch", "sha256"): "digest of a file",
}

# Models of the case apps that are reference data (managed in the admin, no case content): no
# marker, and no sharing rule needed.
REFERENCE_DATA = {
    ("referrals", "questiontemplate"): "question templates per agency kind (reference data)",
}

MARKER = re.compile(r"MKR\d{4}")


@dataclass(frozen=True)
class Planted:
    model: type[models.Model]
    pk: int
    field: str

    @property
    def label(self) -> str:
        return f"{self.model.__name__}.{self.field}"


def _key(model) -> tuple[str, str]:
    return model._meta.app_label, model._meta.model_name


def case_models() -> list[type[models.Model]]:
    return [model for label in CASE_APPS for model in apps.get_app_config(label).get_models()]


def free_text_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not f.choices
        and not f.primary_key
        and (*_key(model), f.name) not in NOT_CONTENT
    ]


def content_models() -> list[type[models.Model]]:
    """The case apps' models with free-text content (reference data aside)."""
    return [m for m in case_models() if free_text_fields(m) and _key(m) not in REFERENCE_DATA]


def plant_markers() -> dict[str, Planted]:
    """A marker in every free-text field of every row of every content model (with ``update()``, so
    no validator or signal gets in the way). Markers are short: they fit every ``max_length``."""
    numbers = count(1)
    planted = {}
    for model in content_models():
        for pk in model._default_manager.order_by("pk").values_list("pk", flat=True):
            values = {}
            for name in free_text_fields(model):
                marker = f"MKR{next(numbers):04d}"
                assert len(marker) <= (model._meta.get_field(name).max_length or 10**6)
                values[name] = marker
                planted[marker] = Planted(model, pk, name)
            model._default_manager.filter(pk=pk).update(**values)
    return planted


# -- the policy's answer (a stand-in until mash.sharing.policy has the field-level audience) ------


def _parent_of(obj):
    """The nearest registered record a part belongs to: a forward foreign key to a registered model
    (a person last: a part's person is who it is about, not whose it is)."""
    candidates = []
    for f in obj._meta.concrete_fields:
        if f.is_relation and (f.many_to_one or f.one_to_one):
            target = getattr(obj, f.name, None)
            if target is None or not isinstance(target, models.Model):
                continue
            candidates.append(target)
    registered = [t for t in candidates if policy.is_case_model(type(t))]
    registered.sort(key=lambda t: t._meta.model_name == "person")
    if registered:
        return registered[0]
    for target in candidates:
        if _key(type(target))[0] in CASE_APPS and type(target) is not type(obj):
            parent = _parent_of(target)
            if parent is not None:
                return parent
    return None


def is_covered(model) -> bool:
    real = getattr(policy, "is_covered", None)
    if real is not None:
        return real(model)
    return policy.is_case_model(model)


def may_see_field(user, obj, field_name: str) -> bool:
    real = getattr(policy, "may_see_field", None)
    if real is not None:
        return real(user, obj, field_name)
    # Stand-in: the whole-record protocol (what the record, or the record a part belongs to, shows).
    record = obj if policy.is_case_model(type(obj)) else _parent_of(obj)
    return record is not None and policy.can_view(user, record)


# -- the URLs: pages from the URL conf, endpoints from the schema --------------------------------

SKIPPED_PREFIXES = {
    "admin/": "the Django admin is requested model by model (admin_urls)",
    "api/v1/schema/": "the OpenAPI schema: no case content",
    "api/v1/docs/": "the API documentation page: no case content",
    "static/": "static files",
}

# The collection a URL parameter follows -> the models it may name. Where a segment is ambiguous
# (``entries``), the model under the parent parameter's model is chosen.
COLLECTIONS = {
    "people": ("people.Person",),
    "referrals": ("referrals.Referral",),
    "requests": ("referrals.InformationRequest",),
    "information-requests": ("referrals.InformationRequest",),
    "consultations": ("referrals.Consultation",),
    "entries": ("referrals.ResponseEntry", "disclosures.PackageEntry"),
    "threshold-decisions": ("strategy.ThresholdDecision",),
    "discussions": ("strategy.StrategyDiscussion",),
    "strategy-discussions": ("strategy.StrategyDiscussion",),
    "decisions": ("strategy.SubjectDecision",),
    "invitations": ("strategy.Invitation",),
    "actions": ("strategy.Action",),
    "strategy-actions": ("strategy.Action",),
    "disclosures": ("disclosures.Application",),
    "disclosure-applications": ("disclosures.Application",),
    "packages": ("disclosures.ResearchPackage",),
    "research-packages": ("disclosures.ResearchPackage",),
    "sections": ("disclosures.PackageSection",),
    "episodes": ("missing_persons.Episode",),
    "missing-episodes": ("missing_persons.Episode",),
    "flags": ("missing_persons.RepeatFlag",),
    "repeat-flags": ("missing_persons.RepeatFlag",),
    "inbox": ("notifications.Notification",),
    "break-glass-reviews": ("sharing.BreakGlassAccess",),
    "dissemination-requests": ("sharing.DisseminationRequest",),
    # Information governance's trail of a user (governance/trail/users/<user_id>/).
    "users": ("auth.User",),
    # Information governance's subject access requests and the items compiled for them.
    "subject-access": ("subject_access.SubjectAccessRequest",),
    "subject-access-requests": ("subject_access.SubjectAccessRequest",),
    "items": ("subject_access.SubjectAccessItem",),
}

# Information governance reads the audit trail by its role, case content included (the values
# before and after each change): "the audit trail holds case content, so admin rights alone do not
# show it" (docs/design.md). Each read of a trail is itself in the access log
# (mash/sharing/trails/services.py). Anyone else is refused these pages (tests/sharing/test_trail_pages.py).
AUDIT_TRAIL = re.compile(r"^/(api/v1/)?governance/trail/")
# So is a subject access request: it is about everything held about its person, whoever may see them
# otherwise (docs/subject-access.md); no one else may open these pages (tests/subject_access/).
SUBJECT_ACCESS = re.compile(r"^/(governance/subject-access/|api/v1/subject-access-requests/)")


def reads_audit_trail(user, url: str) -> bool:
    by_role = AUDIT_TRAIL.match(url) or SUBJECT_ACCESS.match(url)
    return user is not None and bool(by_role) and is_information_governance(actor_for(user))


# A few query strings that show more than a list's default (closed records, everyone's actions,
# searches): by URL name or API path.
EXTRA_QUERIES = {
    "disclosures:queue": ["stage=closed", "stage=decision"],
    "missing_persons:episodes": ["status=returned", "status=closed", "status=missing"],
    "strategy:actions": ["done=1&all=1"],
    "people:list": ["q=MKR"],
    "referrals:consultations": ["search=MKR"],
    "/api/v1/strategy-actions/": ["done=1&all=1"],
    # Identity matching reads the phonetic keys, which keep the scenario's names (scenario.py's child).
    "people:match": ["given_name=Jayden&family_name=Smith"],
    "/api/v1/people/match/": ["given_name=Jayden&family_name=Smith"],
    "referrals:subject_matches": [
        "prefix=subjects-0&subjects-0-given_name=Jayden&subjects-0-family_name=Smith"
    ],
}


def _model(label: str):
    return apps.get_model(label)


def _lookup_to(model, parent, depth=2) -> str | None:
    """The ORM lookup from ``model`` to ``parent`` through forward foreign keys, if any."""
    for f in model._meta.concrete_fields:
        if f.is_relation and (f.many_to_one or f.one_to_one):
            if f.related_model is parent:
                return f.name
            if depth > 1 and f.related_model is not None and f.related_model is not model:
                rest = _lookup_to(f.related_model, parent, depth - 1)
                if rest:
                    return f"{f.name}__{rest}"
    return None


_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\{(?P<api_name>[^}]+)\}")


def _segments(route: str) -> list[tuple[str, str | None]]:
    """``referrals/requests/<int:pk>/claim/`` -> [("referrals", None), ("requests", None),
    (None, "pk"), ("claim", None)]."""
    out = []
    for part in route.strip("/").split("/"):
        match = _PARAM.fullmatch(part)
        if match:
            out.append((None, match.group("name") or match.group("api_name")))
        elif part:
            out.append((part, None))
    return out


class Unfillable(Exception):
    pass


def fill(route: str) -> list[str]:
    """Every concrete path for ``route`` (a URL conf route or a schema path) from the rows in the
    database; raises Unfillable naming the parameter it cannot fill."""
    segments = _segments(route)
    params = [name for literal, name in segments if name]
    if not params:
        return ["/" + route.lstrip("/")]
    if params == ["content_type_id", "object_id"]:  # the break-glass offer: one of each case model
        values = [
            {"content_type_id": ContentType.objects.get_for_model(m).pk, "object_id": pk}
            for m in (policy.rule_for(m).model for m in case_models() if policy.is_case_model(m))
            for pk in m._default_manager.order_by("pk").values_list("pk", flat=True)[:1]
        ]
    else:
        values = [{}]
        parent_model, parent_param, previous = None, None, None
        for literal, name in segments:
            if literal is not None:
                previous = literal
                continue
            candidates = [_model(label) for label in COLLECTIONS.get(previous or "", ())]
            if parent_model is not None:
                candidates = [m for m in candidates if _lookup_to(m, parent_model)]
            if len(candidates) != 1:
                raise Unfillable(f"{route}: no model for <{name}> after {previous!r}")
            model = candidates[0]
            expanded = []
            for done in values:
                rows = model._default_manager.order_by("pk")
                if parent_model is not None:
                    rows = rows.filter(**{_lookup_to(model, parent_model): done[parent_param]})
                expanded += [{**done, name: pk} for pk in rows.values_list("pk", flat=True)]
            if not expanded:
                raise Unfillable(f"{route}: no {model.__name__} in the scenario for <{name}>")
            values = expanded
            parent_model, parent_param = model, name

    def substitute(kwargs):
        path = route
        for name, value in kwargs.items():
            path = re.sub(rf"<(?:[^>:]+:)?{name}>|\{{{name}\}}", str(value), path)
        return "/" + path.lstrip("/")

    return [substitute(kwargs) for kwargs in values]


@dataclass
class Target:
    path: str  # a route with its parameters, or a schema path
    urls: list[str]
    source: str  # "page" or "api"


@dataclass
class Routes:
    targets: list[Target] = field(default_factory=list)
    unfillable: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    no_get: list[str] = field(default_factory=list)


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else p.name, p.callback


def _answers_get(callback) -> bool:
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view is None:
        return True  # a function view
    return hasattr(view, "get")


def measure_urls(name: str) -> list[str] | None:
    """The measures' routes name a dashboard, a measure, a table or an inspection list, not a record:
    each dashboard (by agency too), each measure's drill-down (no figure chosen), each table a lead
    MASH manager's dashboards show, as CSV, and each inspection list (its CSV too). None for a route
    that is not the measures'."""
    from mash.agencies.roles import Role
    from mash.measures import periods, registry, services

    if name in ("measures:dashboard", "api-measures-dashboard"):
        return [
            f"{reverse(name, args=[key])}{query}"
            for key in registry.DASHBOARDS
            for query in ("", "?by=agency")
        ]
    if name in ("measures:inspection_list", "api-measures-inspection"):
        from mash.measures import inspection

        keys = [item.key for item in inspection.all_lists()]
        formats = ("", "?format=csv") if name == "measures:inspection_list" else ("",)
        return [f"{reverse(name, args=[key])}{fmt}" for key in keys for fmt in formats]
    if name == "measures:drill":
        return [reverse(name, args=[m.key]) for m in registry.all_measures() if m.drill is not None]
    if name == "measures:download":
        manager = (
            get_user_model()
            .objects.filter(membership__agency__is_lead=True, membership__roles__name=Role.MASH_MANAGER)
            .first()
        )
        if manager is None:
            return []
        return [
            reverse(name, args=[key, table.key, "csv"])
            for key in registry.DASHBOARDS
            for built in services.build_dashboard(manager, key, periods.period_of(), "")
            for table in built.tables
        ]
    return None


def page_routes() -> Routes:
    routes = Routes()
    for route, name, callback in _walk(get_resolver().url_patterns):
        prefix = next((p for p in SKIPPED_PREFIXES if route.startswith(p)), None)
        if prefix:
            routes.skipped[prefix] = SKIPPED_PREFIXES[prefix]
            continue
        if not _answers_get(callback):
            routes.no_get.append(route)
            continue
        filled = measure_urls(name)
        if filled is not None:
            routes.targets.append(Target(route, filled, "page"))
            continue
        if "(?P<" in route or route.startswith("^"):
            routes.unfillable.append(f"{route}: a regular-expression route (add it to the harness)")
            continue
        try:
            urls = fill(route)
        except Unfillable as exc:
            routes.unfillable.append(str(exc))
            continue
        urls += [f"{u}?{q}" for u in urls for q in EXTRA_QUERIES.get(name or "", [])]
        routes.targets.append(Target(route, urls, "page"))
    return routes


def api_routes(schema: dict) -> Routes:
    routes = Routes()
    for path, operations in schema["paths"].items():
        prefix = next((p for p in SKIPPED_PREFIXES if path.lstrip("/").startswith(p)), None)
        if prefix:
            routes.skipped[prefix] = SKIPPED_PREFIXES[prefix]
            continue
        if "get" not in operations:
            routes.no_get.append(path)
            continue
        measures = {
            "/api/v1/measures/{key}/": "api-measures-dashboard",
            "/api/v1/measures/inspection/{key}/": "api-measures-inspection",
        }
        if path in measures:
            routes.targets.append(Target(path, measure_urls(measures[path]), "api"))
            continue
        try:
            urls = fill(path)
        except Unfillable as exc:
            routes.unfillable.append(str(exc))
            continue
        urls += [f"{u}?{q}" for u in urls for q in EXTRA_QUERIES.get(path, [])]
        routes.targets.append(Target(path, urls, "api"))
    return routes


def _same_response_key(url: str):
    """Two URLs answer the same when they resolve to the same GET method with the same arguments
    (e.g. an action URL whose view inherits the page's ``get``): request one of them."""
    path, _, query = url.partition("?")
    match = resolve(path)
    view = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    handler = getattr(view, "get", match.func)
    return handler, tuple(sorted(match.kwargs.items())), query


def distinct_urls(*route_sets: Routes) -> list[str]:
    seen, urls = set(), []
    for routes in route_sets:
        for target in routes.targets:
            for url in target.urls:
                key = _same_response_key(url)
                if key not in seen:
                    seen.add(key)
                    urls.append(url)
    return urls


def admin_urls() -> list[str]:
    """Every registered model's changelist, and its change page for the rows of the case apps (the
    first two rows of other models)."""
    urls = []
    for model in admin.site._registry:
        app_label, model_name = _key(model)
        urls.append(reverse(f"admin:{app_label}_{model_name}_changelist"))
        rows = model._default_manager.order_by("pk").values_list("pk", flat=True)
        if app_label not in CASE_APPS:
            rows = rows[:2]
        urls += [reverse(f"admin:{app_label}_{model_name}_change", args=[pk]) for pk in rows]
    return urls


# -- the leaks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leak:
    viewer: str
    url: str
    field: str
    pk: int


def markers_in(response) -> set[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace") + "".join(f"{k}: {v}\n" for k, v in response.headers.items())
    return set(MARKER.findall(text))


class Judge:
    """Whether a viewer may see a planted marker, asked once per viewer and marker."""

    def __init__(self, planted: dict[str, Planted]):
        self.planted = planted
        self._objects = {}
        self._answers = {}

    def _object(self, planted: Planted):
        key = (planted.model, planted.pk)
        if key not in self._objects:
            self._objects[key] = planted.model._default_manager.get(pk=planted.pk)
        return self._objects[key]

    def allowed(self, user, marker: str) -> bool | None:
        """True or False as the policy says; None for a model the policy does not cover (the test
        names those models, and reports their markers apart from the leaks)."""
        key = (getattr(user, "pk", None), marker)
        if key not in self._answers:
            planted = self.planted[marker]
            if not is_covered(planted.model):
                self._answers[key] = None
            else:
                obj = self._object(planted)
                self._answers[key] = may_see_field(user or AnonymousUser(), obj, planted.field)
        return self._answers[key]


def leak_table(leaks: list[Leak]) -> str:
    """One row per field, viewer and page (ids folded: ``/referrals/N/``), with how many URLs."""
    rows = defaultdict(set)
    for leak in leaks:
        rows[(leak.field, leak.viewer, re.sub(r"/\d+(?=/)", "/N", leak.url))].add(leak.url)
    table = [(*key, str(len(urls))) for key, urls in sorted(rows.items())]
    header = ("model.field", "viewer", "url", "urls")
    width = [max(len(r[i]) for r in [header, *table]) for i in range(len(header))]
    lines = [
        " | ".join(c.ljust(w) for c, w in zip(header, width, strict=True)),
        "-+-".join("-" * w for w in width),
    ]
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, width, strict=True)) for r in table]
    return "\n".join(lines)
