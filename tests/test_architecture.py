"""The dependency rule (README, Architecture; docs/design.md): the core (mash.*) never imports a domain
app, and no domain app but strategy itself uses strategy. The project's wiring (mash/config: settings,
URLs, Celery, WSGI) sits beside the core, not in it: it may import the domain apps' URL modules."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_APPS = {"referrals", "strategy", "disclosures", "missing_persons"}
CORE_APPS = {
    "accounts",
    "agencies",
    "clocks",
    "measures",
    "common",
    "notifications",
    "people",
    "retention",
    "sharing",
    "subject_access",
    "tokens",
}
CONFIG = ROOT / "mash" / "config"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(folder: str):
    return [p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]


def core_files():
    return [p for p in python_files("mash") if CONFIG not in p.parents]


def test_mash_holds_the_core_apps_and_the_wiring_only():
    folders = {p.name for p in (ROOT / "mash").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == CORE_APPS | {"config"}
    files = {p.name for p in (ROOT / "mash").iterdir() if p.is_file() and p.suffix == ".py"}
    assert files == {"__init__.py"}


def test_the_scan_reads_the_core_and_leaves_the_wiring_out():
    scanned = {p.relative_to(ROOT / "mash").parts[0] for p in core_files()}
    assert scanned == CORE_APPS | {"__init__.py"}


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_never_imports_a_domain_app(path):
    offending = {m for m in imported_modules(path) if m.split(".")[0] in DOMAIN_APPS}
    assert not offending, f"{path.relative_to(ROOT)} imports {offending}"


@pytest.mark.parametrize("path", python_files("mash/config"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_wiring_uses_no_more_of_a_domain_app_than_its_urls(path):
    offending = {
        m
        for m in imported_modules(path)
        if m.split(".")[0] in DOMAIN_APPS and not m.split(".")[-1].endswith("urls")
    }
    assert not offending, f"{path.relative_to(ROOT)} imports {offending}"


@pytest.mark.parametrize("app", sorted(DOMAIN_APPS - {"strategy"}))
def test_no_domain_app_but_strategy_depends_on_strategy(app):
    for path in python_files(app):
        assert not {m for m in imported_modules(path) if m.split(".")[0] == "strategy"}, path
