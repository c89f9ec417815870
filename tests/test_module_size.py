"""House style (docs/style.md): no module over 400 lines outside migrations and tests. Reads the
files; no database."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOST = 400
# Installed, built or cached here, never written by hand; and the tests themselves.
SKIPPED = {".git", ".venv", "node_modules", "static", "staticfiles", "var", "tests"}


def modules() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in SKIPPED or "migrations" in parts or "__pycache__" in parts:
            continue
        found.append(path)
    return found


def test_the_search_finds_the_modules():
    names = {str(path.relative_to(ROOT)) for path in modules()}
    assert {"manage.py", "referrals/apps.py", "bench/figures/load.py", "mash/common/actions.py"} <= names
    assert not any(name.startswith("tests/") or "/migrations/" in name for name in names)


def test_no_module_is_over_400_lines():
    sizes = {str(path.relative_to(ROOT)): len(path.read_text().splitlines()) for path in modules()}
    over = {name: lines for name, lines in sorted(sizes.items(), key=lambda item: -item[1]) if lines > MOST}
    assert not over, f"over {MOST} lines (split them by what they do): {over}"
