"""The benchmark's table: ratios, targets met or missed, recorded rows, and the README's block."""

import json

import pytest

from bench.report import Figure, markdown, merge, percentile, update_readme, write


def test_a_ratio_target_is_held_against_value_over_baseline():
    met = Figure(number=1, name="list", value=11.0, unit="ms", target=1.2, baseline=10.0)
    missed = Figure(number=1, name="list", value=13.0, unit="ms", target=1.2, baseline=10.0)
    assert met.ratio == pytest.approx(1.1) and met.met
    assert not missed.met


def test_a_value_target_can_be_a_floor_and_a_recorded_row_has_none():
    throughput = Figure(
        number=4, name="t", value=600.0, unit="/s", target=500, compare="value", at_least=True
    )
    recorded = Figure(number=1, name="peer", value=30.0, unit="ms", target=None, baseline=10.0)
    assert throughput.met
    assert recorded.met is None
    table = markdown([throughput, recorded], meta={"at": "now"})
    assert "| 4 | t | 600 /s | - | - | at least 500 /s | yes |" in table
    assert "| 1 | peer | 30 ms | 10 ms () | 3.00x | - | - |" in table


def test_percentile_interpolates_between_ranks():
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile(list(map(float, range(1, 101))), 95) == pytest.approx(95.05)


def test_the_table_is_written_as_markdown_and_json_and_replaces_the_readme_block(tmp_path):
    figures = [Figure(number=5, name="matching", value=3.0, unit="ms", target=20, compare="value")]
    md, js = write(figures, meta={"at": "today"}, directory=tmp_path)
    assert json.loads(js.read_text())["figures"][0]["met"] is True
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- bench:start -->\nold table\n<!-- bench:end -->\nafter\n")
    update_readme(readme, md.read_text())
    text = readme.read_text()
    assert "old table" not in text and "| 5 | matching | 3 ms |" in text
    assert text.startswith("intro\n") and text.endswith("<!-- bench:end -->\nafter\n")


def test_a_readme_without_the_markers_is_refused(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("no markers")
    with pytest.raises(ValueError, match="markers"):
        update_readme(readme, "table")


def test_a_run_of_some_figures_keeps_the_others_of_the_last_run(tmp_path):
    old = [
        Figure(number=1, name="list", value=11.0, unit="ms", target=1.2, baseline=10.0),
        Figure(number=8, name="trail", value=90.0, unit="ms", target=200, compare="value"),
    ]
    write(old, meta={"at": "2026-11-26 05:01 UTC", "data": "old"}, directory=tmp_path)
    new = [Figure(number=8, name="trail", value=80.0, unit="ms", target=200, compare="value")]
    figures, meta = merge(new, {"at": "2026-12-05 16:30 UTC", "data": "new"}, tmp_path / "results.json")
    assert [(f.number, f.value) for f in figures] == [(1, 11.0), (8, 80.0)]
    assert figures[0].met and meta["at"] == "2026-11-26 05:01 UTC (figure 8: 2026-12-05 16:30 UTC)"
