"""The dependency rule (README, Architecture; docs/design.md): the core (mash.*) never imports a domain
app, and no domain app but strategy itself uses strategy."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_APPS = {"referrals", "strategy", "disclosures", "missing_persons"}


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


@pytest.mark.parametrize("path", python_files("mash"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_never_imports_a_domain_app(path):
    offending = {m for m in imported_modules(path) if m.split(".")[0] in DOMAIN_APPS}
    assert not offending, f"{path.relative_to(ROOT)} imports {offending}"


@pytest.mark.parametrize("app", sorted(DOMAIN_APPS - {"strategy"}))
def test_no_domain_app_but_strategy_depends_on_strategy(app):
    for path in python_files(app):
        assert not {m for m in imported_modules(path) if m.split(".")[0] == "strategy"}, path
