"""The office's week in the results: hourly tables by weekday and clock hour, staffing by hour."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from huntsim import load_scenario, simulate
from huntsim.analysis.expected_traffic import hour_traffic
from huntsim.analysis.hourly import week_slot, weekly_hourly
from huntsim.analysis.metrics import outcome_rates, service_level, wait_stats
from huntsim.analysis.theory import erlang_b_members, erlang_c_members
from huntsim.experiments.by_hour import hour_scenario, staffing_by_hour
from huntsim.experiments.estimate import erlang_members
from huntsim.experiments.plan_setup import check_plan
from huntsim.experiments.replications import replicate
from huntsim.experiments.seeds import replication_seeds
from huntsim.experiments.targets import parse_target
from huntsim.scenario.calendar import WEEKDAYS

WEEKLY = {"mon-fri": {"08:00": "12/h", "10:00": "30/h", "12:00": "18/h", "17:00": "0/h"},
          "sat": {"09:00": "6/h", "12:00": "0/h"}}


def week_office(duration: str = "8w", start: str = "sun 22:00", warmup: str = "1d",
                **group: object) -> dict[str, object]:
    """A small office open Mon-Fri 08:00-16:00 and Saturday morning; traffic until 17:00."""
    return {
        "name": "week office", "duration": duration, "start": start, "warmup": warmup,
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "3min"}},
        "agents": [{"number": "101"}, {"number": "102"},
                   {"number": "103", "schedule": ["mon-fri 10:00-14:00"]}],
        "hunt_groups": [{"pilot": "100", "members": ["101", "102", "103"], "voicemail": True,
                         "open": ["mon-fri 08:00-16:00", "sat 09:00-12:00"],
                         "arrivals": {"weekly": WEEKLY}, **group}],
    }


def weekly_rate(slot: int) -> float:
    """Calls per hour in hour ``slot`` of the week, read off WEEKLY by hand."""
    day, hour = divmod(slot, 24)
    if day < 5:
        return 12.0 if 8 <= hour < 10 else 30.0 if 10 <= hour < 12 else (
            18.0 if 12 <= hour < 17 else 0.0)
    return 6.0 if day == 5 and 9 <= hour < 12 else 0.0


def is_open(slot: int) -> bool:
    day, hour = divmod(slot, 24)
    return (day < 5 and 8 <= hour < 16) or (day == 5 and 9 <= hour < 12)


def occurrences(start_h: int, warmup_h: int, duration_h: int) -> dict[int, int]:
    """How often each hour of the week occurs in the reported period, counted hour by hour."""
    counts: dict[int, int] = {}
    for k in range(warmup_h, duration_h):
        slot = (start_h + k) % 168
        counts[slot] = counts.get(slot, 0) + 1
    return counts


def test_week_slot_wraps_round_the_week():
    sunday_late = 6 * 24 + 22
    slots = week_slot(np.array([0.0, 2 * 3600.0, 3 * 3600.0 - 1]), sunday_late * 3600.0)
    assert slots.tolist() == [sunday_late, 0, 0]


def test_hour_traffic_gives_the_weekly_rate_while_open():
    scenario = load_scenario(week_office())
    group = scenario.hunt_groups[0]
    table = hour_traffic(scenario, group.arrivals, group.open).set_index("slot")
    exposure = occurrences(6 * 24 + 22, 24, 8 * 168)
    assert sorted(table.index) == sorted(exposure)
    for slot, row in table.iterrows():
        assert row["exposure_s"] == pytest.approx(3600 * exposure[slot])
        assert row["expected"] == pytest.approx(weekly_rate(slot) * exposure[slot])
        assert row["weekday"] == WEEKDAYS[slot // 24] and row["hour"] == slot % 24
        want = weekly_rate(slot) if is_open(slot) else 0.0
        assert row["rate_per_hour"] == pytest.approx(want), slot


def test_weekly_hourly_counts_match_the_weekly_rates():
    scenario = load_scenario(week_office())
    result = simulate(scenario, seed=11)
    pilot = result.calls[result.calls["kind"] == "pilot"]
    table = weekly_hourly(pilot, scenario.warmup, scenario.duration, scenario.start)
    exposure = occurrences(6 * 24 + 22, 24, 8 * 168)
    busy = {s for s in exposure if weekly_rate(s) > 0}
    slots = [WEEKDAYS.index(d) * 24 + h for d, h in zip(table["weekday"], table["hour"],
                                                          strict=True)]
    assert set(slots) == busy  # every hour with traffic had calls over eight weeks, no other
    alpha = 0.001 / len(slots)  # 99.9 % for the whole table
    of_call = week_slot(pilot["arrival_s"], scenario.start)
    for slot, row in zip(slots, table.itertuples(), strict=True):
        block = pilot[(of_call == slot) & ~pilot["after_hours"]]
        if len(block):  # the same figures as the whole-run metrics, hour by hour
            assert row.service_level_20s == pytest.approx(service_level(block, 20.0))
            assert row.voicemail_rate == pytest.approx(outcome_rates(block)["voicemail_rate"])
            waits = wait_stats(block, (0.9,))
            assert row.mean_wait_s == pytest.approx(waits["mean_wait_s"], nan_ok=True)
            assert row.p90_wait_s == pytest.approx(waits["p90_wait_s"], nan_ok=True)
        calls = row.offered + row.after_hours
        mean = weekly_rate(slot) * exposure[slot]
        low, high = stats.poisson.ppf(alpha / 2, mean), stats.poisson.ppf(1 - alpha / 2, mean)
        assert low <= calls <= high, (slot, calls, mean)
        assert row.offered_per_hour == pytest.approx(row.offered / exposure[slot])
        if is_open(slot):
            assert row.after_hours == 0 and 0 <= row.service_level_20s <= 1
        else:  # after hours: counted apart, in no rate
            assert row.offered == 0 and np.isnan(row.service_level_20s)
            assert row.after_hours_per_hour == pytest.approx(row.after_hours / exposure[slot])
    assert table["after_hours"].sum() == pilot["after_hours"].sum() > 0
    assert table["offered"].sum() == (~pilot["after_hours"]).sum()


def test_replications_of_a_calendar_office_report_each_hour_of_the_week():
    office = week_office(duration="1w", warmup="0s", start="mon 00:00")
    reps = replicate(office, replications=2, seed=4, jobs=1)
    offered = reps.hourly[reps.hourly["metric"] == "offered_per_hour"]
    # a row for every hour with traffic in both runs, after hours (16:00-17:00) included
    assert len(offered) == 5 * 9 + 3 and (offered["n"] == 2).all()
    assert list(offered.columns[:3]) == ["group", "weekday", "hour"]
    table = reps.table.set_index("metric")["mean"]
    runs = [simulate(load_scenario(office), seed=s).summary().loc["100"]
            for s in replication_seeds(4, 2)]
    assert table["after_hours"] == pytest.approx(np.mean([r["after_hours"] for r in runs]))
    assert table["voicemail_rate"] == pytest.approx(np.mean([r["voicemail_rate"] for r in runs]))


def test_hour_scenario_is_the_group_alone_always_there():
    scenario = load_scenario(week_office())
    alone = hour_scenario(scenario, "100", 0.01, [0.0, 0.001, 0.0], 3600, 7200)
    assert not alone.uses_calendar and alone.duration == 3 * 3600 and alone.warmup == 3600
    assert all(a.schedule is None for a in alone.agents)
    group = alone.hunt_groups[0]
    assert group.open is None and group.arrivals.rate == 0.01
    assert [a.direct_calls.rate if a.direct_calls else 0 for a in alone.agents] == [0, 0.001, 0]


@pytest.fixture(scope="module")
def loss_by_hour():
    office = week_office(duration="1w", start="mon 00:00", warmup="0s")
    office["hunt_groups"][0]["arrivals"] = {"weekly": {
        "mon-fri": {"08:00": "20/h", "10:00": "100/h", "12:00": "60/h", "14:00": "40/h",
                    "17:00": "0/h"}}}
    office["hunt_groups"][0]["open"] = ["mon-fri 08:00-16:00"]
    setup = check_plan(office, "100", ["voicemail_rate<=0.05"], members=range(1, 13), seed=3)
    return staffing_by_hour(setup, replications=2, length_s=5 * 3600, jobs=1)


def test_staffing_by_hour_matches_erlang_b_in_a_loss_group(loss_by_hour):
    table, warnings = loss_by_hour
    assert warnings == ()
    assert len(table) == 5 * 8 and set(table["hour"]) == set(range(8, 16))  # open hours only
    for row in table.itertuples():
        load = row.rate_per_hour * 180 / 3600
        theory = erlang_b_members(load, 0.05)
        assert row.offered_load_erlang == pytest.approx(load)
        assert row.erlang_estimate == theory
        assert abs(row.members_needed - theory) <= 1, row
        assert row.voicemail_rate <= 0.05
    by_rate = table.sort_values("rate_per_hour")
    assert by_rate["members_needed"].is_monotonic_increasing
    assert table.groupby("rate_per_hour")["members_needed"].nunique().max() == 1
    monday = table[table["weekday"] == "mon"].set_index("hour")["rate_per_hour"]
    assert monday.to_dict() == {8: 20, 9: 20, 10: 100, 11: 100, 12: 60, 13: 60, 14: 40, 15: 40}


def test_staffing_by_hour_in_a_queue_without_a_calendar():
    office = {"duration": "1d", "agent_defaults": {"talk_time": {"dist": "exponential",
                                                                  "mean": "3min"}},
              "agents": [{"number": "1"}],
              "hunt_groups": [{"pilot": "9", "members": ["1"], "when_all_busy": "queue",
                               "arrivals": {"rate": "80/h"}}]}
    setup = check_plan(office, "9", ["service_level>=0.8"], members=range(1, 12), seed=2)
    table, _ = staffing_by_hour(setup, replications=2, length_s=6 * 3600, jobs=1)
    assert list(table["weekday"].unique()) == ["daily"] and list(table["hour"]) == list(range(24))
    expected = erlang_c_members(4.0, 180, 0.8, 20)
    assert (table["erlang_estimate"] == expected).all()
    assert table["members_needed"].nunique() == 1  # one rate, one search
    assert abs(int(table["members_needed"].iloc[0]) - expected) <= 1
    assert table["service_level_20s"].iloc[0] >= 0.8


def test_erlang_members_reads_each_kind_of_target():
    level = parse_target("service_level_20s>=0.8")
    assert erlang_members(4.0, 180, [level], "voicemail") == erlang_b_members(4.0, 0.2)
    assert erlang_members(4.0, 180, [parse_target("busy_rate<=0.01")], "voicemail") == 1
    assert erlang_members(4.0, 180, [parse_target("p90_wait_s<=10")], "queue") == 5
    assert erlang_members(4.0, 180, [parse_target("p90_wait_s<=10")], "busy") is None
    wait = erlang_members(4.0, 180, [parse_target("mean_wait_s<=10")], "queue")
    assert wait is not None and wait > 4


def test_members_needed_grid_is_printed_by_weekday(capsys):
    from huntsim.cli.experiments import print_by_hour

    table = pd.DataFrame({"policy": "regular", "weekday": ["mon", "mon", "sat"],
                          "hour": [8, 9, 9], "members_needed": pd.array([2, None, 1],
                                                                          dtype="Int64")})
    print_by_hour(table)
    lines = capsys.readouterr().out.splitlines()
    assert lines[-3].split() == ["08", "09"]
    assert lines[-2].split() == ["mon", "2", "-"] and lines[-1].split() == ["sat", "1"]
