"""What every figure of the benchmark is given: where to write progress, and how hard to try."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Context:
    out: Callable[[str], None]  # progress lines for the person running `make bench`
    quick: bool = False  # a smoke run: few repetitions (the table is then not to be quoted)
    database_url: str = ""  # the benchmark database (what a worker or gunicorn must be given)
    broker_url: str = ""  # the Redis broker the fan-out's worker listens on
    baseline: Path | None = None  # a checkout of the code before a change, served beside it (figure 7)
    baseline_name: str = ""  # what that code is (its commit)

    def repeat(self, full: int, quick: int = 5) -> int:
        return quick if self.quick else full
