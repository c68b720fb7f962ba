"""The shipped support desk (``scenarios/support_desk.yaml``, issue 22): a Priority line
(400) and a General line (410) served by the same eight people, General at priority 1,
two seniors at penalty 1 on General with ``penalty_wait: 1min``, call backs on General.

The file validates and runs without a warning, and what the README says of its run holds
over replications of the file as shipped (two weeks each), paired by seed at the 99.9 %
level: Priority callers wait less than General ones, and the priority itself shortens the
Priority line's wait and costs the General line hang-ups (against a copy where both lines
have priority 0); the seniors answer a General caller only after a minute's wait; every
caller of each line has exactly one outcome.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
from helpers import mean_interval

from huntsim import Result, Scenario, load_scenario, simulate
from huntsim.analysis.catalog import OUTCOMES
from huntsim.cli.main import main
from huntsim.scenario.advice import scenario_advice

PATH = Path(__file__).resolve().parents[1] / "scenarios" / "support_desk.yaml"
PRIORITY, GENERAL = "400", "410"
SENIORS = ("411", "412")
REPLICATIONS = 20
WEEKDAY_CALLS = {PRIORITY: 112, GENERAL: 272}
"""Expected calls a weekday from the file's weekly rates (08:00 to 18:00, five steps of 2 h)."""


@functools.cache
def desk(equal_priorities: bool = False) -> Scenario:
    """The file as shipped, or a copy whose General line has priority 0 like Priority."""
    scenario = load_scenario(PATH)
    if not equal_priorities:
        return scenario
    priority, general = scenario.hunt_groups
    return scenario.model_copy(update={
        "hunt_groups": (priority, general.model_copy(update={"priority": 0}))})


@functools.cache
def runs(equal_priorities: bool = False) -> tuple[Result, ...]:
    """Seeds 0 to REPLICATIONS - 1: replication i meets the same callers in both variants."""
    return tuple(simulate(desk(equal_priorities), seed=seed) for seed in range(REPLICATIONS))


def figure(results: tuple[Result, ...], group: str, metric: str) -> np.ndarray:
    return np.array([float(r.summary().loc[group, metric]) for r in results])


def assert_positive(differences: np.ndarray, what: str) -> None:
    low, high = mean_interval(differences)
    assert low > 0, f"{what}: 99.9% interval [{low:.3f}, {high:.3f}] does not exclude 0"


def test_the_file_uses_what_it_shows():
    scenario = desk()
    priority, general = scenario.hunt_groups
    assert (priority.pilot, general.pilot) == (PRIORITY, GENERAL)
    assert not scenario.one_group_per_member
    assert set(priority.members) == set(general.members)  # one team
    assert (priority.priority, general.priority) == (0, 1)
    assert general.penalties is not None and general.penalty_wait == 60
    assert {m for m, p in zip(general.members, general.penalties, strict=True) if p} == set(
        SENIORS)
    assert general.callback is not None and priority.callback is None


@pytest.mark.parametrize("command", ["validate", "run"])
def test_the_file_validates_and_runs_without_a_warning(capsys, command):
    assert scenario_advice(desk()) == ()
    assert main([command, str(PATH)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    if command == "run":  # the call back rows are shown (callers were called back)
        assert "Answered or called back (% of calls)" in out and "Called back" in out


def test_a_run_has_no_warning():
    assert all(r.warnings == () for r in runs())


def test_priority_callers_wait_less_than_general_ones():
    shipped = runs()
    assert_positive(figure(shipped, GENERAL, "mean_wait_s") - figure(shipped, PRIORITY,
                                                                     "mean_wait_s"),
                    "General minus Priority mean wait to answer")
    assert_positive(figure(shipped, PRIORITY, "service_level_20s")
                    - figure(shipped, GENERAL, "service_level_20s"),
                    "Priority minus General answered within 20 s")


def test_the_priority_shortens_the_priority_lines_wait_at_the_general_lines_cost():
    shipped, equal = runs(), runs(equal_priorities=True)
    for group in (PRIORITY, GENERAL):  # the same callers in both variants
        assert (figure(shipped, group, "offered") == figure(equal, group, "offered")).all()
    assert_positive(figure(equal, PRIORITY, "mean_wait_s")
                    - figure(shipped, PRIORITY, "mean_wait_s"),
                    "Priority line's mean wait, equal priorities minus shipped")
    assert_positive(figure(equal, PRIORITY, "abandoned_rate")
                    - figure(shipped, PRIORITY, "abandoned_rate"),
                    "Priority line's hang-ups, equal priorities minus shipped")
    # the General line pays: callers passed over hang up or take a call back
    assert_positive(figure(shipped, GENERAL, "abandoned_rate")
                    - figure(equal, GENERAL, "abandoned_rate"),
                    "General line's hang-ups, shipped minus equal priorities")
    assert_positive(figure(equal, GENERAL, "served_rate")
                    - figure(shipped, GENERAL, "served_rate"),
                    "General line's answered or called back, equal priorities minus shipped")


def test_seniors_answer_general_callers_only_after_a_minute():
    general_waits, priority_waits = [], []
    for result in runs():
        calls = result.calls
        seniors = calls[calls["agent"].isin(SENIORS)]
        general_waits.append(seniors.loc[seniors["group"] == GENERAL, "wait_s"].to_numpy())
        priority_waits.append(seniors.loc[seniors["group"] == PRIORITY, "wait_s"].to_numpy())
    general, priority = np.concatenate(general_waits), np.concatenate(priority_waits)
    assert len(general) > 0 and len(priority) > 0
    assert general.min() >= 60.0  # rung only once the caller has waited penalty_wait
    assert priority.min() < 60.0  # on Priority they ring with everyone


def test_callers_are_conserved_per_group():
    offered: dict[str, list[int]] = {PRIORITY: [], GENERAL: []}
    called_back = 0
    for result in runs():
        calls, summary = result.calls, result.summary()
        assert calls["call_id"].is_unique
        assert set(calls["group"].astype(str)) == {PRIORITY, GENERAL}
        for group in (PRIORITY, GENERAL):
            mine = calls[calls["group"].astype(str) == group]
            counts = mine["outcome"].astype(str).value_counts()
            assert set(counts.index) <= set(OUTCOMES)
            row = summary.loc[group]
            assert int(counts.sum()) == len(mine) == int(row["offered"])
            assert int(row["after_hours"]) == 0
            # answered + called back + call back missed + hung up + the rest = calls
            assert sum(float(row[f"{o}_rate"]) for o in OUTCOMES) == pytest.approx(1.0)
            assert float(row["served_rate"]) == pytest.approx(
                float(row["answered_rate"]) + float(row["called_back_rate"]))
            offered[group].append(len(mine))
        priority = calls[calls["group"].astype(str) == PRIORITY]
        assert not priority["outcome"].isin(["called_back", "callback_missed"]).any()
        backs = calls[calls["outcome"].isin(["called_back", "callback_missed"])]
        assert (backs["callback_s"].dropna() >= 90.0 - 1e-9).all()  # offered after 90 s
        called_back += int((calls["outcome"] == "called_back").sum())
    assert called_back > 0
    # no caller lost or made up: the calls of each line match its arrival rates (10 weekdays)
    for group, counts in offered.items():
        low, high = mean_interval(counts)
        assert low <= 10 * WEEKDAY_CALLS[group] <= high, (group, low, high)
