"""Keeping every record costs little more memory than the tables it gives (issue 12)."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pandas as pd
import pytest

import huntsim
from huntsim.sim.records import CallLog
from huntsim.sim.simulation import run_model
from huntsim.sim.totals import FOLD_BLOCK, RunningTotals


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


@pytest.mark.parametrize("path", ["scenarios/real_estate.yaml",
                                  "scenarios/real_estate_overflow.yaml",
                                  "scenarios/clinic.yaml"])
def test_running_totals_summed_in_small_blocks_give_the_same_figures(path: str,
                                                                     monkeypatch) -> None:
    scenario = huntsim.load_scenario(path)
    scenario = scenario.replace(duration=min(scenario.duration, 7 * 86400.0))
    whole = huntsim.simulate(scenario, seed=4, keep="totals")
    monkeypatch.setattr(RunningTotals, "fold_at", 3)
    blocks = huntsim.simulate(scenario, seed=4, keep="totals")
    assert blocks.totals is not None and blocks.totals.calls > 100
    counts = [c for c in whole.summary().columns if not c.endswith("_s")]
    pd.testing.assert_frame_equal(whole.summary()[counts], blocks.summary()[counts])
    pd.testing.assert_frame_equal(whole.summary(), blocks.summary(), check_exact=False,
                                  rtol=1e-12)
    pd.testing.assert_frame_equal(whole.agents, blocks.agents, check_exact=False, rtol=1e-12)


def test_running_totals_keep_only_a_block_of_calls(monkeypatch) -> None:
    buffered: list[int] = []
    fold = RunningTotals.fold

    def noting_fold(self: RunningTotals) -> None:
        buffered.append(len(self))
        fold(self)

    monkeypatch.setattr(RunningTotals, "fold", noting_fold)
    result = huntsim.simulate(_erlang_b(3 * FOLD_BLOCK), seed=2, keep="totals")
    assert result.totals is not None and result.totals.calls > 2 * FOLD_BLOCK
    assert max(buffered) == FOLD_BLOCK and buffered.count(FOLD_BLOCK) >= 2
    assert len(result.totals) == 0 and len(result.totals.offer_agent) == 0


def _totals_peak(scenario: huntsim.Scenario) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        huntsim.simulate(scenario, seed=1, keep="totals")
        return int(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


def test_running_totals_of_a_long_run_with_schedules_need_no_more_memory_than_a_short_one():
    # the office's week (hours, lunches, absences): schedule changes are scheduled one at a
    # time, so three times the weeks costs no more memory (both runs fill the buffer of
    # FOLD_BLOCK calls several times)
    office = huntsim.load_scenario("scenarios/real_estate.yaml")
    week = 7 * 86400.0
    huntsim.simulate(office.replace(duration=week), seed=1, keep="totals")  # imports
    short = _totals_peak(office.replace(duration=40 * week))
    long = _totals_peak(office.replace(duration=120 * week))
    assert long < short + 2**20, f"{short / 2**20:.1f} MiB for 40 weeks, {long / 2**20:.1f} for 120"
