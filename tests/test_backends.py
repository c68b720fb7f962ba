"""The same experiment gives the same tables serially, on processes and on Dask."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from pandas.testing import assert_frame_equal

from huntsim import compare, load_scenario, simulate
from huntsim.experiments.measure import RunTask, measure
from huntsim.experiments.runner import _batches, run_tasks

REAL_ESTATE = "scenarios/real_estate.yaml"
OFFICE_WEEK = load_scenario(REAL_ESTATE).replace(duration=7 * 86400.0)
POLICIES = ["regular", "uniform"]


@pytest.fixture(scope="module")
def serial():
    return compare(OFFICE_WEEK, POLICIES, replications=3, seed=4, jobs=1)


def test_local_processes_match_the_serial_run(serial):
    parallel = compare(OFFICE_WEEK, POLICIES, replications=3, seed=4, jobs=2)
    assert_frame_equal(serial.raw, parallel.raw)
    assert_frame_equal(serial.table, parallel.table)


def test_dask_local_cluster_matches_the_serial_run(serial):
    pytest.importorskip("distributed")
    on_dask = compare(OFFICE_WEEK, POLICIES, replications=3, seed=4, jobs=1,
                      scheduler="local")
    assert_frame_equal(serial.raw, on_dask.raw)
    assert_frame_equal(serial.members, on_dask.members)


def test_progress_bar_goes_to_stderr_when_asked(capsys):
    tasks = [RunTask(f"rep-{i}", OFFICE_WEEK, i) for i in range(2)]
    run_tasks(measure, tasks, jobs=1, progress=True, describe=lambda m: m.calls)
    captured = capsys.readouterr()
    assert "2/2" in captured.err and "calls/s" in captured.err and captured.out == ""


def test_no_progress_bar_when_quiet(capsys):
    tasks = [RunTask("only", OFFICE_WEEK, 1)]
    run_tasks(measure, tasks, jobs=1, progress=False)
    assert capsys.readouterr().err == ""


def test_totals_match_the_full_records():
    full = simulate(REAL_ESTATE, seed=8)
    totals = simulate(REAL_ESTATE, seed=8, keep="totals")
    assert totals.calls is None and totals.offers is None
    exact = ["offered", "offers_per_call", "answered_rate", "voicemail_rate", "abandoned_rate",
             "mean_wait_s", "service_level_20s"]
    assert_frame_equal(full.summary()[exact], totals.summary()[exact], check_exact=False)
    for q in ("p50_wait_s", "p90_wait_s"):
        gap = (full.summary()[q] - totals.summary()[q]).abs()
        assert (gap <= 0.25).all(), gap  # histogram bins of 0.1 s
    assert_frame_equal(full.agents, totals.agents, check_exact=False, check_dtype=False)


@dataclass(frozen=True)
class Numbered:
    key: str
    n: int


def offset_by(task: Numbered, context: dict[str, int]) -> tuple[int, int]:
    return task.n + context["offset"], os.getpid()


def test_tasks_in_batches_keep_their_order_and_share_the_context():
    tasks = [Numbered(f"t{i}", i) for i in range(37)]  # batches of uneven sizes
    serial = run_tasks(offset_by, tasks, jobs=1, context={"offset": 100})
    parallel = run_tasks(offset_by, tasks, jobs=2, context={"offset": 100})
    assert [v for v, _ in serial] == [v for v, _ in parallel] == list(range(100, 137))
    assert {pid for _, pid in serial} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in parallel}
    assert [len(b) for b in _batches(range(37), 2)][-1] == 1  # an even finish
    assert sorted(i for b in _batches(range(37), 3) for i in b) == list(range(37))
