"""The benchmark's table: one Figure per measured number, written as Markdown and JSON."""

import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Figure:
    """One measured number beside its baseline from the same run, and the target it is held to.

    ``ratio`` is value / baseline when there is a baseline; ``target`` is compared with the ratio when
    ``compare`` is "ratio", with the value itself when it is "value" ("at most" unless ``at_least``).
    """

    number: int  # the figure (1-7)
    name: str
    value: float
    unit: str
    target: float | None  # None: recorded beside the others, held to no target (a peer, a probe)
    compare: str = "ratio"  # "ratio" or "value"
    baseline: float | None = None
    baseline_name: str = ""
    at_least: bool = False
    detail: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline

    @property
    def measured(self) -> float:
        return self.ratio if self.compare == "ratio" else self.value

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        measured = self.measured
        if measured is None:
            return False
        return measured >= self.target if self.at_least else measured <= self.target

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation between closest ranks."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lower = int(k)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (k - lower)


def summary(samples_ms: list[float]) -> dict:
    return {
        "n": len(samples_ms),
        "median_ms": round(statistics.median(samples_ms), 3),
        "p95_ms": round(percentile(samples_ms, 95), 3),
    }


def _fmt(x, unit: str = "") -> str:
    if x is None:
        return "-"
    if (isinstance(x, float) and x.is_integer()) or isinstance(x, int) or abs(x) >= 100:
        text = f"{x:,.0f}"
    else:
        text = f"{x:.2f}"
    return f"{text} {unit}".strip()


def markdown(figures: list[Figure], *, meta: dict) -> str:
    lines = [
        f"Run {meta.get('at', '')} on {meta.get('machine', '')}; data: {meta.get('data', '')}.",
        "",
        "| # | figure | value | baseline | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        if f.target is None:
            target = "-"
        else:
            target = ("at least " if f.at_least else "at most ") + (
                f"{f.target:g}x" if f.compare == "ratio" else _fmt(float(f.target), f.unit)
            )
        met = "-" if f.met is None else ("yes" if f.met else "**no**")
        baseline = f"{_fmt(f.baseline, f.unit)} ({f.baseline_name})" if f.baseline is not None else "-"
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "-"
        lines.append(
            f"| {f.number} | {f.name} | {_fmt(f.value, f.unit)} | {baseline} | {ratio} | {target} | {met} |"
        )
    return "\n".join(lines) + "\n"


def merge(figures: list[Figure], meta: dict, previous: Path) -> tuple[list[Figure], dict]:
    """The figures just run, with those of the previous results.json that were not, in figure order.

    The table's run line then names when the figures just run were measured, and the previous run."""
    if not previous.exists():
        return figures, meta
    before = json.loads(previous.read_text())
    numbers = {f.number for f in figures}
    names = {f.name for f in Figure.__dataclass_fields__.values()}
    kept = [
        Figure(**{k: v for k, v in f.items() if k in names})
        for f in before["figures"]
        if f["number"] not in numbers
    ]
    if not kept:
        return figures, meta
    rerun = ", ".join(str(n) for n in sorted(numbers))
    # (the last full run's own time and data, however many partial runs were merged into it since)
    full_at = before["meta"].get("full_at", before["meta"]["at"])
    full_data = before["meta"].get("full_data", before["meta"]["data"])
    merged = {**before["meta"], "full_at": full_at, "full_data": full_data}
    merged["at"] = f"{full_at} (figure {rerun}: {meta['at']})"
    merged["data"] = (
        full_data if meta["data"] == full_data else f"{full_data} (figure {rerun}: {meta['data']})"
    )
    return sorted(kept + figures, key=lambda f: f.number), merged


def write(figures: list[Figure], *, meta: dict, directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    md = directory / "results.md"
    js = directory / "results.json"
    md.write_text(markdown(figures, meta=meta))
    js.write_text(json.dumps({"meta": meta, "figures": [f.as_dict() for f in figures]}, indent=2) + "\n")
    return md, js


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def update_readme(path: Path, table: str) -> None:
    """Replace what lies between the README's markers with the latest table (a full run only)."""
    text = path.read_text()
    if START not in text or END not in text:
        raise ValueError(f"{path} has no {START} ... {END} markers for the benchmark table.")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{table}{END}{tail}")
