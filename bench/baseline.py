"""The code before a change, checked out beside this one so that one `make bench` run serves both.

``bench_run --baseline REV`` takes a git revision (a commit, a tag) of this repository or the path of
another checkout. A revision is checked out once with ``git worktree add --detach`` under the
system's temporary folder (``mash-bench-baseline/<commit>``: outside this checkout, whose tests walk
its files), reusing this checkout's built assets. It runs on this venv (the code before a change must
not need a package this one lacks) and on the same database as this code migrated it: a change that
drops or renames a column the code before reads cannot be compared this way.
"""

import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
WORKTREES = Path(tempfile.gettempdir()) / "mash-bench-baseline"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


def checkout(revision: str) -> tuple[Path, str]:
    """The checkout of ``revision`` (made if missing) and the name to show for it."""
    path = Path(revision)
    if path.is_dir() and (path / "manage.py").exists():
        return path.resolve(), str(path)
    try:
        commit = _git("rev-parse", "--verify", f"{revision}^{{commit}}")
    except subprocess.CalledProcessError as exc:
        message = f"--baseline {revision}: neither a checkout nor a commit of this repository."
        raise RuntimeError(message) from exc
    tree = WORKTREES / commit[:12]
    if not (tree / "manage.py").exists():
        WORKTREES.mkdir(parents=True, exist_ok=True)
        _git("worktree", "prune")
        _git("worktree", "add", "--detach", "--force", str(tree), commit)
    build = tree / "static" / "build"
    if not build.exists():
        build.symlink_to(ROOT / "static" / "build")
    return tree, f"{commit[:7]} ({_git('log', '-1', '--format=%s', commit)[:60]})"
