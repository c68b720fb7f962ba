"""Arrival processes: Poisson counts, day profiles across their boundaries, traces."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_in_interval

from huntsim.scenario.arrivals import Poisson, Profile, Trace, arrival_blocks
from huntsim.sim.streams import generator


def times(arrivals, end, seed=0):
    blocks = list(arrival_blocks(arrivals, generator(seed, "test"), end))
    return np.concatenate(blocks) if blocks else np.empty(0)


def test_poisson_count_and_order():
    arrivals = Poisson(rate="120/h")
    counts = []
    for seed in range(20):
        t = times(arrivals, 36_000.0, seed)
        assert np.all(np.diff(t) >= 0) and t.min() >= 0 and t.max() < 36_000
        counts.append(len(t))
    assert_in_interval(counts, 120 * 10, "Poisson arrivals in 10 h")


def test_zero_rate_gives_no_calls():
    assert len(times(Poisson(rate="0/h"), 1e6)) == 0


def test_profile_rates_hold_in_every_segment_including_its_edges():
    # short segments and a zero-rate gap: any error at a boundary shows up
    profile = Profile(profile=[{"start": 0, "rate": "360/h"}, {"start": 100, "rate": "0/h"},
                               {"start": 150, "rate": "3600/h"}, {"start": 160, "rate": "36/h"}],
                      period=400)
    edges = [0, 100, 150, 160, 400]
    rates = [0.1, 0.0, 1.0, 0.01]
    cycles = 50
    per_segment = np.array([
        np.histogram(times(profile, 400.0 * cycles, seed) % 400, bins=edges)[0]
        for seed in range(20)
    ])
    for k, rate in enumerate(rates):
        expected = rate * (edges[k + 1] - edges[k]) * cycles
        if rate == 0:
            assert per_segment[:, k].sum() == 0
        else:
            assert_in_interval(per_segment[:, k], expected, f"calls in segment {k}")


def test_profile_without_period_holds_its_last_rate():
    profile = Profile(profile=[{"start": "1h", "rate": "60/h"}])
    t = times(profile, 7200.0)
    assert t.min() >= 3600
    assert profile.cumulative(7200.0) == pytest.approx(60.0)


def test_profile_cumulative_repeats_with_the_period():
    profile = Profile(profile=[{"start": 0, "rate": "10/h"}, {"start": "1h", "rate": "20/h"}],
                      period="2h")
    assert profile.cumulative(7200) == pytest.approx(30.0)
    assert profile.cumulative(3 * 7200 + 3600) == pytest.approx(100.0)


def test_trace_stops_at_the_end_of_the_run():
    assert times(Trace(trace=[0, 5, 10]), 10.0).tolist() == [0.0, 5.0]
