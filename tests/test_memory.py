"""Keeping every record costs little more memory than the tables it gives (issue 12)."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pandas as pd

import huntsim
from huntsim.records import CallLog
from huntsim.simulation import run_model


def _erlang_b(calls: int, warmup: str = "0s") -> huntsim.Scenario:
    rate_per_s = 8.0 / 180.0
    return huntsim.load_scenario({
        "duration": f"{calls / rate_per_s:.0f}s", "warmup": warmup,
        "agents": [{"number": f"{100 + i}", "talk_time": "180s", "wrap_up": "10s"}
                   for i in range(10)],
        "hunt_groups": [{"pilot": "1", "members": [f"{100 + i}" for i in range(10)],
                         "voicemail": True, "arrivals": {"rate": f"{rate_per_s * 3600}/h"}}],
    })


def test_taking_the_tables_gives_the_same_tables_and_empties_the_log() -> None:
    scenario = _erlang_b(3000)
    agents = [a.number for a in scenario.agents]
    log = CallLog(agents, ["1"])
    run_model(scenario, 7, log)
    calls, offers = log.calls_frame(), log.offers_frame()
    taken_calls, taken_offers = log.take_tables()
    pd.testing.assert_frame_equal(taken_calls, calls)
    pd.testing.assert_frame_equal(taken_offers, offers)
    assert len(calls) > 2000 and len(offers) > 1000
    assert log.nbytes() == 0


def test_a_warm_up_leaves_out_the_same_calls_as_before() -> None:
    result = huntsim.simulate(_erlang_b(3000, warmup="2h"), seed=3)
    assert result.calls["arrival_s"].min() >= 7200
    assert result.calls.index.equals(pd.RangeIndex(len(result.calls)))
    assert set(result.offers["call_id"]) <= set(result.calls["call_id"])
    assert np.all(np.diff(result.calls["call_id"].to_numpy()) > 0)


def test_a_run_keeping_every_record_peaks_below_one_and_a_half_times_its_tables() -> None:
    scenario = _erlang_b(100_000)
    huntsim.simulate(_erlang_b(100), seed=1)  # imports every module a run needs
    gc.collect()
    tracemalloc.start()
    try:
        result = huntsim.simulate(scenario, seed=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    tables = sum(int(t.memory_usage(deep=True).sum())
                 for t in (result.calls, result.offers, result.agents))
    assert len(result.calls) > 90_000
    assert peak <= 1.5 * tables, f"peak {peak / 2**20:.1f} MiB, tables {tables / 2**20:.1f} MiB"
