"""The locks: requirements/dev.lock (what `make install` puts in the venv) and requirements/base.lock
(what the image installs), written by `make lock` from the pins of pyproject.toml.

pip installs them with --require-hashes, so a package missing from a lock, or without its hashes, stops
the install; these tests catch a lock that has fallen behind pyproject.toml before anyone installs it.
They read text and need no database.
"""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# uv's note on a package pyproject.toml asks for itself.
DIRECT = "mash (pyproject.toml)"


def canonical(name: str) -> str:
    # PEP 503: `factory_boy`, `Factory-Boy` and `factory-boy` are one package.
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: list[str]) -> dict[str, str]:
    """The package and version of each `name[extras]==version` of pyproject.toml (every one is pinned)."""
    found = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?==(\S+)", requirement)
        assert match, f"{requirement!r} in pyproject.toml is not pinned with =="
        found[canonical(match[1])] = match[3]
    return found


def read_lock(name: str) -> dict[str, dict]:
    """Each package of a lock: its version, its hashes, and what it is there for (uv's `# via`)."""
    packages: dict[str, dict] = {}
    current = None
    for line in (ROOT / "requirements" / name).read_text().replace("\\\n", " ").splitlines():
        words = line.split()
        if not words:
            continue
        if words[0].startswith("#"):
            # Under a package: `# via x`, or for several `# via` then `#   x` on the lines that follow.
            note = " ".join(words[1:]).removeprefix("via").strip()
            if current and line.startswith("    #") and note:
                current["via"].append(note)
            continue
        requirement, *options = words
        assert "==" in requirement, f"{name}: {requirement!r} is not pinned"
        package, version = requirement.split("==")
        current = packages[canonical(package)] = {
            "version": version,
            "hashes": [option.removeprefix("--hash=") for option in options if option.startswith("--hash=")],
            "options": [option for option in options if not option.startswith("--hash=")],
            "via": [],
        }
    return packages


@pytest.fixture(scope="module")
def base() -> dict[str, dict]:
    return read_lock("base.lock")


@pytest.fixture(scope="module")
def dev() -> dict[str, dict]:
    return read_lock("dev.lock")


def locked_versions(lock: dict[str, dict]) -> dict[str, str]:
    return {package: entry["version"] for package, entry in lock.items()}


def test_every_pin_of_pyproject_is_in_the_base_lock_at_its_version(base):
    wanted = pins(PYPROJECT["dependencies"])
    assert {package: locked_versions(base).get(package) for package in wanted} == wanted


def test_every_pin_with_the_dev_extra_is_in_the_dev_lock_at_its_version(dev):
    wanted = pins(PYPROJECT["dependencies"]) | pins(PYPROJECT["optional-dependencies"]["dev"])
    assert {package: locked_versions(dev).get(package) for package in wanted} == wanted


def test_no_lock_keeps_a_package_pyproject_no_longer_asks_for(base, dev):
    # A pin removed from pyproject.toml (django-filter was) must leave the lock with `make lock`.
    for lock, extras in ((base, ()), (dev, ("dev",))):
        asked = pins(PYPROJECT["dependencies"])
        for extra in extras:
            asked |= pins(PYPROJECT["optional-dependencies"][extra])
        kept = {package for package, entry in lock.items() if DIRECT in entry["via"]}
        assert kept <= set(asked), kept - set(asked)
        # And every package is there for a reason uv wrote down.
        assert all(entry["via"] for entry in lock.values())


@pytest.mark.parametrize("name", ["base.lock", "dev.lock"])
def test_every_locked_package_carries_its_hashes_and_nothing_else(name):
    for package, entry in read_lock(name).items():
        assert entry["hashes"], f"{name}: {package} has no hash"
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", digest) for digest in entry["hashes"]), package
        assert not entry["options"], (package, entry["options"])


def test_the_image_runs_the_versions_and_files_the_tests_ran(base, dev):
    # base.lock is resolved inside dev.lock (`make lock`): every package of it, at the same version with
    # the same files.
    assert {package: dev.get(package, {}).get("version") for package in base} == locked_versions(base)
    assert all(sorted(base[package]["hashes"]) == sorted(dev[package]["hashes"]) for package in base)
    # No test tool reaches production: a pin of the dev extra is in the image only as what another of its
    # packages needs (PyYAML, for drf-spectacular).
    for package in set(pins(PYPROJECT["optional-dependencies"]["dev"])) & set(base):
        needed_by = [note for note in base[package]["via"] if not note.startswith("-c ")]
        assert needed_by and set(needed_by) <= set(base), (package, needed_by)


def test_make_install_installs_the_dev_lock_with_its_hashes_only():
    makefile = (ROOT / "Makefile").read_text()
    installs = re.findall(r"^\t.*\bpip install\b.*$", makefile, re.MULTILINE)
    assert installs, "the Makefile installs no Python package"
    assert all("--require-hashes" in line and "-r requirements/dev.lock" in line for line in installs)
    # The lock is installed as it is, then checked: no resolver re-reads an extra against the index.
    assert all("--no-deps" in line for line in installs)
    assert re.search(r"^\t\$\(PY\) -m pip check$", makefile, re.MULTILINE)
    assert re.search(r"^\$\(VENV\)/\.installed: requirements/dev\.lock$", makefile, re.MULTILINE)
    assert re.search(r"^lock:", makefile, re.MULTILINE)
