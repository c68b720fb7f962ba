"""huntsim.analysis.theory against the published figures of docs/validation.md."""

from __future__ import annotations

import pytest

from huntsim.analysis import theory


@pytest.mark.parametrize(("n", "load", "blocking"), [
    (10, 8.0, 0.1217), (3, 0.5, 0.012658), (5, 2.0, 0.036697), (10, 4.46, 0.00999),
])
def test_erlang_b(n, load, blocking):
    assert theory.erlang_b(n, load) == pytest.approx(blocking, abs=5e-5 if n == 10 else 5e-7)


def test_erlang_b_one_percent_table():
    assert theory.erlang_b(20, 12.03) == pytest.approx(0.01, abs=2e-4)


@pytest.mark.parametrize(("n", "load", "loads"), [
    (3, 0.5, [0.3333, 0.1282, 0.0321]),
    (5, 2.0, [0.6667, 0.5333, 0.3789, 0.2306, 0.1171]),
    (10, 8.0, [0.889, 0.867, 0.840, 0.807, 0.765, 0.714, 0.653, 0.581, 0.499, 0.412]),
])
def test_ordered_hunting_loads(n, load, loads):
    carried = theory.ordered_hunting_loads(n, load)
    assert carried == pytest.approx(loads, abs=6e-4)
    assert carried.sum() == pytest.approx(load * (1 - theory.erlang_b(n, load)))


def test_erlang_c_reference_figures():
    assert theory.erlang_c(14, 10.0) == pytest.approx(0.17413, abs=1e-5)
    assert theory.erlang_c_service_level(14, 10.0, 180, 20) == pytest.approx(0.88835, abs=1e-5)
    assert theory.erlang_c_asa(14, 10.0, 180) == pytest.approx(7.836, abs=1e-3)


def test_staffing_from_the_reference():
    assert theory.erlang_b_members(5.0, 0.05) == 9
    assert theory.erlang_b_members(3.0, 0.01) == 8
    assert theory.erlang_b_members(4.46, 0.01) == 10
    assert theory.erlang_c_members(10.0, 180, 0.85, 20) == 14
    assert theory.erlang_c_service_level(13, 10.0, 180, 20) == pytest.approx(0.796, abs=1e-3)
    # 100 calls per 30 min, AHT 3 min, 80 % within 20 s
    assert theory.erlang_c_members(100 / 1800 * 180, 180, 0.80, 20) == 14


@pytest.mark.parametrize(("n", "p_wait", "p_abandon", "wait_min"), [
    (10, 0.5994, 0.1094, 0.547), (14, 0.1453, 0.0140, 0.0699),
])
def test_erlang_a_reference_figures(n, p_wait, p_abandon, wait_min):
    result = theory.erlang_a(n, 10 / 3 / 60, 180, 300)
    assert result.p_wait == pytest.approx(p_wait, abs=1e-4)
    assert result.p_abandon == pytest.approx(p_abandon, abs=1e-4)
    assert result.mean_wait_s / 60 == pytest.approx(wait_min, abs=1e-3)


def test_overloaded_queue():
    assert theory.erlang_c(5, 6.0) == 1.0
    assert theory.erlang_c_service_level(5, 6.0, 180, 20) == 0.0


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_bad_load_is_refused(bad):
    with pytest.raises(ValueError, match="load"):
        theory.erlang_b(3, bad)
