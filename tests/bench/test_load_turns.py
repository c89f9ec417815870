"""Figure 7's closed loop (bench/figures/load.py): a turn in which one gunicorn worker sat out (it held none
of wrk's kept-alive connections) measures one worker, not two, and is run again."""

import pytest

from bench.figures import load


class Workers:
    """Two workers' CPU seconds, as /proc gives them: each turn adds what the script says."""

    port = 0

    def __init__(self, turns):
        self.turns, self.cpu = list(turns), {1: 0.0, 2: 0.0}

    def worker_cpu(self):
        return dict(self.cpu)

    def run(self, port, mix, seconds, think_ms):
        first, second = self.turns.pop(0)
        self.cpu[1] += first
        self.cpu[2] += second
        return {"requests_per_s": round(4 * (first + second), 1)}


@pytest.fixture
def workers(monkeypatch):
    def make(*turns):
        w = Workers(turns)
        monkeypatch.setattr(load.wrk, "run", w.run)
        return w

    return make


def test_a_turn_both_workers_served_is_kept(workers):
    result = load._closed_loop(workers((10.8, 7.0)), [], 15)
    assert result["requests_per_s"] == 71.2
    assert result["workers_cpu_s"] == [10.8, 7.0]
    assert result["discarded_lopsided"] == []


def test_a_turn_one_worker_sat_out_is_run_again_and_recorded(workers):
    result = load._closed_loop(workers((0.0, 11.1), (10.9, 10.8)), [], 15)
    assert result["requests_per_s"] == 86.8
    assert result["discarded_lopsided"] == [{"requests_per_s": 44.4, "workers_cpu_s": [0.0, 11.1]}]


def test_a_worker_that_never_serves_stops_the_figure(workers):
    with pytest.raises(RuntimeError, match="one gunicorn worker served almost nothing"):
        load._closed_loop(workers(*[(0.1, 11.0)] * (load.RETRIES + 1)), [], 15)
