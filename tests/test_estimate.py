"""The Erlang first estimate: peak hour, handle time with wrap-up, direct-call load."""

from __future__ import annotations

import pytest

from huntsim import load_scenario
from huntsim.analysis.theory import erlang_b
from huntsim.experiments.estimate import first_estimate
from huntsim.experiments.targets import parse_target

VOICEMAIL = [parse_target("voicemail_rate<=5%")]


def _office(direct: str | None = None, answer_probability: float = 1.0,
            weekly: bool = True) -> dict:
    agent = {"talk_time": "4min", "wrap_up": "1min", "answer_probability": answer_probability}
    if direct is not None:
        agent["direct_calls"] = {"rate": direct}
    arrivals = ({"weekly": {"mon-fri": {"08:00": "12/h", "12:00": "30/h", "13:00": "12/h",
                                        "17:00": "0/h"}}}
                if weekly else {"rate": "30/h"})
    group = {"pilot": "100", "members": ["1", "2", "3"], "voicemail": True,
             "arrivals": arrivals}
    office = {"duration": "1w", "agent_defaults": agent,
              "agents": [{"number": n} for n in ("1", "2", "3")], "hunt_groups": [group]}
    if weekly:
        office["start"] = "mon 00:00"
        group["open"] = ["mon-fri 08:00-17:00"]
    return office


def _fewest(load: float, most: float = 0.05) -> int:
    return next(n for n in range(1, 100) if erlang_b(n, load) <= most)


def test_the_peak_hour_and_wrap_up_set_the_load():
    estimate = first_estimate(load_scenario(_office()), "100", VOICEMAIL, [3, 4], 20.0)
    assert estimate.peak == "mon 12:00-13:00"
    assert estimate.pilot_rate_per_hour == pytest.approx(30.0)
    assert estimate.handle_s == pytest.approx(300.0)  # 4 min talk + 1 min wrap-up
    assert estimate.pilot_load_erlang == pytest.approx(30 / 3600 * 300)
    assert estimate.members == _fewest(2.5)
    assert estimate.model == "Erlang B"
    assert "peak hour (mon 12:00-13:00)" in estimate.describe()


def test_direct_calls_add_their_load_on_members():
    estimate = first_estimate(load_scenario(_office(direct="2/h")), "100", VOICEMAIL, [3],
                              20.0)
    assert estimate.direct_load_erlang == pytest.approx(3 * 2 / 3600 * 300)
    assert estimate.members == _fewest(2.5 + 0.5)
    assert estimate.table["offered_load_erlang"].iloc[0] == pytest.approx(3.0)
    assert "Erlang of direct calls to members" in estimate.describe()


def test_steady_traffic_is_named_so():
    estimate = first_estimate(load_scenario(_office(weekly=False)), "100", VOICEMAIL, [3], 20.0)
    assert estimate.peak == "steady traffic"
    assert estimate.pilot_rate_per_hour == pytest.approx(30.0)


def test_the_gap_names_the_reasons_from_the_scenario():
    estimate = first_estimate(load_scenario(_office(answer_probability=0.8)), "100", VOICEMAIL,
                              [3], 20.0)
    assert any("pick up only 80 %" in reason for reason in estimate.reasons)
    assert estimate.members is not None
    more = estimate.gap(estimate.members + 2, "circular")
    assert more.startswith(f"Circular: the simulation needs {estimate.members + 2} members, "
                           "2 more than the estimate, because members pick up only 80 %")
    fewer = estimate.gap(estimate.members - 1, "regular")
    assert "1 fewer than the estimate" in fewer and "busiest hour" in fewer
    assert "agrees" in estimate.gap(estimate.members, "uniform")


def test_a_plan_that_found_no_size_is_told_what_to_try():
    estimate = first_estimate(load_scenario(_office()), "100", VOICEMAIL, [1, 2], 20.0)
    assert estimate.members is not None and estimate.members > 2
    assert f"the estimate says {estimate.members} members, so try sizes up to at least that" \
        in estimate.gap(None, "regular")
    wider = first_estimate(load_scenario(_office()), "100", VOICEMAIL, [1, 20], 20.0)
    assert "though the estimate says" in wider.gap(None, "regular")


def test_a_group_fed_only_by_forwards_says_so_not_no_traffic():
    # issue 19: plan --group of a group that only receives forwarded calls said its peak
    # hour had "no traffic" and gave Erlang figures for a load of 0
    from pathlib import Path

    office = load_scenario(Path(__file__).resolve().parent.parent / "scenarios"
                           / "real_estate_overflow.yaml")
    estimate = first_estimate(office, "555-0110", [parse_target("voicemail_rate<=0.1")],
                              [1, 2, 3], 20.0)
    assert estimate.forwarded_from == ("555-0100",)
    assert "forwarded from '555-0100'" in estimate.describe()
    assert "no traffic" not in estimate.describe()
    assert "forwarded from '555-0100'" in estimate.gap(2, "staggered")
    assert estimate.table["erlang_b_blocking"].isna().all()
