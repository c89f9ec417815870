"""The repository points to no file outside itself: design notes are cited by their docs/ path, and every
docs/ file cited exists. Reads text; no database."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Installed, built or cached here, never written by hand.
SKIPPED = {".git", ".venv", "node_modules", "static", "staticfiles", "var", ".ruff_cache", ".pytest_cache"}
TEXT = {".py", ".md", ".toml", ".html", ".txt", ".yml", ".yaml", ".cfg", ".sh", ".mjs", ".scss", ".conf"}


def written_files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in SKIPPED or "__pycache__" in relative.parts or not path.is_file():
            continue
        if path.suffix in TEXT or path.name in {"Makefile", "Dockerfile", "run"}:
            found.append(path)
    return found


FILES = written_files()
# The design notes once lived beside the repository, under upper-case names, in a shared folder.
OUTSIDE = re.compile(r"\b(?:DESIGN|DOMAIN|STYLE|NOTES)\.md\b|(?:\.\./)+shared/|\bshared/[A-Z]+\.md")


def test_the_search_finds_the_files_that_cite_docs():
    names = {str(path.relative_to(ROOT)) for path in FILES}
    assert {"README.md", "Makefile", "Dockerfile", ".ci/run", "tests/test_architecture.py"} <= names


def test_nothing_cites_a_file_outside_the_repository():
    outside = {}
    for path in FILES:
        found = OUTSIDE.findall(path.read_text(errors="replace"))
        if found:
            outside[str(path.relative_to(ROOT))] = sorted(set(found))
    assert not outside, f"cite docs/ instead: {outside}"


def test_every_docs_file_cited_exists():
    missing = {}
    for path in FILES:
        for cited in set(re.findall(r"\bdocs/[\w.-]+\.(?:md|csv)\b", path.read_text(errors="replace"))):
            if not (ROOT / cited).is_file():
                missing.setdefault(str(path.relative_to(ROOT)), []).append(cited)
    assert not missing, missing
