"""Engine bugs the coarse-grid search of ``test_properties_office.py`` found, as
exact traces (issue 19, "Tests that reach the features")."""

from __future__ import annotations

from typing import Any

import pytest

import huntsim


def office(members: list[dict[str, Any]], trace: list[float], **group: Any) -> dict[str, Any]:
    """A Monday-08:00 office: a regular group of ``members`` and pilot calls at ``trace``."""
    return {
        "duration": "6h", "start": "mon 08:00", "ring_cycle": "6s",
        "agents": [{"talk_time": "60s", **m} for m in members],
        "hunt_groups": [{"pilot": "100", "members": [m["number"] for m in members],
                         "no_answer_rings": 2, "voicemail": True,
                         "arrivals": {"trace": trace}, **group}],
    }


@pytest.mark.parametrize("keep", ["calls", "totals"])
def test_a_log_out_ends_not_ready_time_as_it_ends_an_absence(keep: str) -> None:
    # A works 09:00-10:00 and 11:00-12:00 (t = 3600-7200, 10800-14400) and misses
    # the call at 3700 (picks up after 30 s, the time-out is 12 s): not ready for
    # 3 h. The log-out at 7200 ends it, as it ends an absence: A is ready at the
    # log-in and rung first for the call at 11000 (kept not ready until 14500, A
    # would be skipped while the absences table showed A logged out, then not
    # ready over the logged-out hour: the rows overlapped). A misses that call too:
    # not ready again until the log-out at 14400.
    scenario = office([{"number": "A", "schedule": ["mon 09:00-10:00", "mon 11:00-12:00"],
                        "answer_delay": "30s", "after_missed": {"count": 1, "away": "3h"}},
                       {"number": "B"}], [3700, 11000])
    result = huntsim.simulate(scenario, seed=1, keep=keep)
    agent = result.agents.set_index("agent").loc["A"]
    assert agent["not_ready_s"] == (7200 - 3712) + (14400 - 11012)
    if keep == "totals":
        return
    absences = result.absences[result.absences["agent"] == "A"]
    assert absences[["reason", "start_s", "end_s"]].astype(str).values.tolist() == [
        ["logged_out", "0.0", "3600.0"], ["not_ready", "3712.0", "7200.0"],
        ["logged_out", "7200.0", "10800.0"], ["not_ready", "11012.0", "14400.0"],
        ["logged_out", "14400.0", "21600.0"]]
    offers = result.offers[result.offers["call_id"] == 1]
    assert offers[["agent", "start_s", "end_s", "result"]].astype(str).values.tolist() == [
        ["A", "11000.0", "11012.0", "no_answer"], ["B", "11012.0", "11012.0", "answered"]]
