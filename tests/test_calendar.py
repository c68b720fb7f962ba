"""The office's week in a scenario: windows, calendars, start, weekly arrivals (issue 9)."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import numpy as np
import pytest
from helpers import office
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from huntsim import Calendar, ScenarioError, load_scenario
from huntsim.scenario.arrivals import Poisson, Weekly, WeeklyProfile, arrival_blocks
from huntsim.scenario.calendar import (
    DAY,
    WEEK,
    WEEKDAYS,
    format_week_time,
    parse_days,
    parse_week_time,
    parse_window,
)
from huntsim.scenario.model import Agent
from huntsim.scenario.units import parse_duration
from huntsim.sim.streams import generator

H = 3600.0


def at(text: str) -> float:
    """Week time of ``"tue 08:30"``."""
    return parse_week_time(text)


def messages(data) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)
    return caught.value.messages


# ------------------------------------------------------------------ windows


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ("mon", (0,)),
        ("sun", (6,)),
        ("mon-fri", (0, 1, 2, 3, 4)),
        ("sat-mon", (0, 5, 6)),  # a range may wrap round the week's end
        ("fri-fri", (4,)),
        ("mon,wed,fri", (0, 2, 4)),
        ("mon-tue,thu,sat-sun", (0, 1, 3, 5, 6)),
        ("daily", (0, 1, 2, 3, 4, 5, 6)),
        ("Mon - Fri", (0, 1, 2, 3, 4)),
        ("mon, wed", (0, 2)),
    ],
)
def test_days(days, expected):
    assert parse_days(days) == expected


def test_a_window_on_one_day_includes_its_start_and_excludes_its_end():
    calendar = Calendar(["wed 08:00-17:00"])
    assert calendar.intervals == ((2 * DAY + 8 * H, 2 * DAY + 17 * H),)
    assert calendar.contains(at("wed 08:00"))
    assert calendar.contains(at("wed 16:59") + 59.999)
    assert not calendar.contains(at("wed 17:00"))
    assert not calendar.contains(at("wed 07:59"))
    assert not calendar.contains(at("thu 09:00"))
    assert calendar.hours_open_per_week == 9.0


def test_ranges_lists_and_daily():
    assert Calendar(["mon-fri 08:00-17:00"]).hours_open_per_week == 45.0
    assert Calendar(["mon,wed,fri 09:00-12:00"]).hours_open_per_week == 9.0
    assert Calendar(["daily 00:00-24:00"]).always_open
    assert Calendar(["sat-mon 10:00-11:00"]).intervals == (
        (10 * H, 11 * H), (5 * DAY + 10 * H, 5 * DAY + 11 * H),
        (6 * DAY + 10 * H, 6 * DAY + 11 * H))


def test_a_window_that_ends_before_it_starts_runs_past_midnight():
    calendar = Calendar(["fri 22:00-06:00"])
    assert calendar.intervals == ((4 * DAY + 22 * H, 5 * DAY + 6 * H),)
    assert calendar.contains(at("fri 23:00")) and calendar.contains(at("sat 05:59"))
    assert not calendar.contains(at("sat 06:00")) and not calendar.contains(at("fri 06:00"))
    assert calendar.hours_open_per_week == 8.0


def test_a_window_across_the_weeks_end_wraps_to_monday():
    calendar = Calendar(["sun 22:00-06:00"])
    assert calendar.intervals == ((0.0, 6 * H), (6 * DAY + 22 * H, WEEK))
    assert calendar.contains(at("sun 22:00")) and calendar.contains(at("mon 00:00"))
    assert calendar.contains(at("mon 05:59")) and not calendar.contains(at("mon 06:00"))
    assert calendar.contains(WEEK + at("mon 03:00"))  # any week
    assert calendar.hours_open_per_week == 8.0
    # one stretch: no change at the week's end
    assert calendar.edges() == (6 * H, 6 * DAY + 22 * H)


def test_24_00_ends_a_day():
    calendar = Calendar(["tue 20:00-24:00"])
    assert calendar.intervals == ((DAY + 20 * H, 2 * DAY),)
    assert Calendar(["sun 20:00-24:00"]).intervals == ((6 * DAY + 20 * H, WEEK),)


def test_a_list_of_windows_is_their_union():
    calendar = Calendar([
        "mon-fri 08:00-12:00", "mon-fri 13:00-17:00",  # lunch closed
        "mon 11:00-14:00",  # overlaps both on Monday: Monday is 08:00-17:00
        "tue 12:00-13:00",  # touches both on Tuesday: one stretch
    ])
    assert calendar.intervals[:2] == ((8 * H, 17 * H), (DAY + 8 * H, DAY + 17 * H))
    assert calendar.hours_open_per_week == 9 + 9 + 8 * 3
    assert not calendar.contains(at("wed 12:30")) and calendar.contains(at("tue 12:30"))


def test_touching_windows_across_midnight_merge():
    calendar = Calendar(["daily 18:00-24:00", "daily 00:00-06:00"])
    assert len(calendar.edges()) == 14
    assert calendar.hours_open_per_week == 84.0
    assert Calendar(["sun 12:00-11:59"]).contains(0.0)  # Monday 00:00, across the week's end


def test_an_empty_list_is_never_open():
    calendar = Calendar([])
    assert not calendar.contains(0.0) and calendar.hours_open_per_week == 0.0
    assert calendar.transitions(0.0, 3 * WEEK) == (False, [])


BAD_WINDOWS = [
    "fri 25:00-06:00", "mon 08:60-09:00", "mon 08:00-24:01", "mon 24:00-08:00",
    "fryday 08:00-17:00", "mon-fry 08:00-17:00", "mon-tue-wed 08:00-09:00", "mon 8-17",
    "08:00-17:00", "mon", "mon 08:00", "weekdays 08:00-17:00", "", "mon 08:00-17:00 extra",
]


@pytest.mark.parametrize("text", BAD_WINDOWS)
def test_a_bad_window_names_its_text(text):
    expected = f'{text!r} is not a window (DAYS HH:MM-HH:MM, e.g. "mon-fri 08:00-17:00")'
    with pytest.raises(ValueError) as caught:
        parse_window(text)
    assert str(caught.value) == expected


@pytest.mark.parametrize("text", ["mon 08:00-08:00", "daily 00:00-00:00", "sun 24:00-24:00"])
def test_an_empty_window_is_an_error(text):
    with pytest.raises(ValueError, match=r"empty window|is not a window"):
        Calendar([text])


def test_the_issue_message_for_a_bad_window_in_a_scenario():
    data = office(open=["mon-fri 08:00-17:00", "fri 25:00-06:00"])
    assert messages(data) == [
        "hunt_groups[0].open[1]: 'fri 25:00-06:00' is not a window "
        '(DAYS HH:MM-HH:MM, e.g. "mon-fri 08:00-17:00")'
    ]


def test_bad_and_empty_windows_in_a_schedule_are_named():
    data = office(agents={"B": {"schedule": ["mon 08:00-08:00", "mon-fry 08:00-17:00"]}})
    found = messages(data)
    assert found[0].startswith("agents[1].schedule[0]: 'mon 08:00-08:00' is an empty window")
    assert found[1].startswith("agents[1].schedule[1]: 'mon-fry 08:00-17:00' is not a window")


# ------------------------------------------------------------ transitions


CALENDARS = [
    ["mon-fri 08:00-17:00"],
    ["mon-fri 08:00-12:00", "mon-fri 13:00-17:00", "sat 09:00-12:00"],
    ["fri 22:00-06:00"],
    ["sun 22:00-06:00"],
    ["daily 18:00-24:00", "daily 00:00-06:00"],
    ["sat-mon 23:00-01:00"],
    ["daily 00:00-24:00"],
    [],
]
STARTS = ["mon 00:00", "mon 08:00", "wed 12:30", "fri 23:00", "sun 22:00", "sun 23:59"]


@pytest.mark.parametrize("windows", CALENDARS)
@pytest.mark.parametrize("start", STARTS)
def test_transitions_over_several_weeks_agree_with_the_state_minute_by_minute(windows, start):
    calendar = Calendar(windows)
    start_s = at(start)
    end = 3 * WEEK + 5 * H
    is_open, flips = calendar.transitions(start_s, end)
    assert flips == sorted(flips) and all(0 < f <= end for f in flips)
    assert all(f % 60 == 0 for f in flips)  # windows are whole minutes, so are starts
    # state at every minute (and just before each) from the flips alone
    minutes = np.arange(0.0, end + 1, 60.0)
    from_flips = is_open ^ (np.searchsorted(flips, minutes, side="right") % 2 == 1)
    direct = np.array([calendar.contains(start_s + t) for t in minutes])
    assert np.array_equal(from_flips, direct)
    # every flip is a real change of state
    for f in flips:
        assert calendar.contains(start_s + f) != calendar.contains(start_s + f - 30)
    # the same flips every week
    weekly = [f for f in flips if f <= WEEK]
    assert [f for f in flips if WEEK < f <= 2 * WEEK] == [f + WEEK for f in weekly]


def test_transitions_with_a_start_on_an_edge_do_not_flip_at_zero():
    calendar = Calendar(["mon-fri 08:00-17:00"])
    assert calendar.transitions(at("mon 08:00"), DAY) == (True, [9 * H, DAY])
    assert calendar.transitions(at("mon 17:00"), DAY) == (False, [15 * H, DAY])
    assert calendar.transitions(at("fri 17:00"), 3 * DAY - 1) == (False, [63 * H])


def test_an_always_open_calendar_never_flips():
    assert Calendar(["daily 00:00-24:00"]).transitions(at("thu 10:00"), 10 * WEEK) == (True, [])
    assert Calendar(["sun 00:00-24:00", "mon-sat 00:00-24:00"]).always_open


def test_open_seconds_over_weeks():
    calendar = Calendar(["mon-fri 08:00-17:00"])
    assert calendar.open_seconds(at("mon 08:00"), 4 * WEEK) == 4 * 45 * H
    assert calendar.open_seconds(at("mon 12:00"), 2 * H) == 2 * H
    assert calendar.open_seconds(at("mon 16:00"), 2 * H) == H


@st.composite
def windows(draw: st.DrawFn) -> tuple[str, tuple[int, ...], int, int]:
    days = sorted(draw(st.sets(st.integers(0, 6), min_size=1, max_size=7)))
    start = draw(st.integers(0, 24 * 60 - 1))
    end = draw(st.integers(1, 24 * 60).filter(lambda e: e != start))
    text = (",".join(WEEKDAYS[d] for d in days)
            + f" {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}")
    return text, tuple(days), start, end


def naive_contains(window: tuple[str, tuple[int, ...], int, int], week_minute: int) -> bool:
    _, days, start, end = window
    for day in days:
        begin = day * 1440 + start
        length = (end - start) % 1440 or 1440
        if (week_minute - begin) % (7 * 1440) < length:
            return True
    return False


@given(st.lists(windows(), max_size=4), st.integers(0, 7 * 1440 - 1))
def test_random_windows_agree_with_a_naive_reading(drawn, start_minute):
    calendar = Calendar([w[0] for w in drawn])
    is_open, flips = calendar.transitions(start_minute * 60.0, 2 * WEEK)
    state = is_open
    k = 0
    for minute in range(0, 2 * 7 * 1440, 7):  # a sample of minutes over two weeks
        while k < len(flips) and flips[k] <= minute * 60:
            state, k = not state, k + 1
        week_minute = (start_minute + minute) % (7 * 1440)
        expected = any(naive_contains(w, week_minute) for w in drawn)
        assert calendar.contains(week_minute * 60.0) == expected
        assert state == expected


# ------------------------------------------------------------ start, units


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("mon 00:00", 0.0), ("mon 08:00", 8 * H), ("Wed 12:30", 2 * DAY + 12.5 * H),
     ("sun 23:59", WEEK - 60)],
)
def test_start_reads_a_weekday_and_clock_time(text, seconds):
    assert parse_week_time(text) == seconds
    assert format_week_time(seconds) == text.lower()


def test_start_defaults_to_monday_midnight_and_is_kept_readable():
    assert load_scenario(office()).start == 0.0
    scenario = load_scenario({**office(), "start": "thu 09:15"})
    assert scenario.start == 3 * DAY + 9.25 * H
    assert scenario.start_text == "thu 09:15"


@pytest.mark.parametrize("bad", ["monday 08:00", "mon 24:00", "08:00", "mon", "daily 08:00", 5.5e6])
def test_a_bad_start_is_named(bad):
    found = messages({**office(), "start": bad})
    assert len(found) == 1 and found[0].startswith(f"start: {bad!r} is not a week")


@pytest.mark.parametrize(("text", "seconds"), [("2d", 2 * DAY), ("1w", WEEK), ("1.5w", 1.5 * WEEK)])
def test_durations_in_days_and_weeks(text, seconds):
    assert parse_duration(text) == seconds
    assert load_scenario({**office(), "duration": text}).duration == seconds


# ------------------------------------------------- hunt groups and agents


def test_open_and_after_hours_default_to_the_pilot_voicemail():
    with_vm = load_scenario(office(voicemail=True, open=["mon-fri 08:00-17:00"])).hunt_groups[0]
    without = load_scenario(office(voicemail=False, open=["mon-fri 08:00-17:00"])).hunt_groups[0]
    assert with_vm.open == Calendar(["mon-fri 08:00-17:00"])
    assert (with_vm.after_hours, with_vm.after_hours_treatment) == (None, "voicemail")
    assert without.after_hours_treatment == "busy"
    chosen = load_scenario(office(open=["daily 09:00-17:00"], after_hours="busy")).hunt_groups[0]
    assert chosen.after_hours_treatment == "busy"
    always = load_scenario(office()).hunt_groups[0]
    assert always.open is None and not load_scenario(office()).uses_calendar


def test_a_single_window_may_be_written_without_a_list():
    group = load_scenario(office(open="mon-fri 08:00-17:00")).hunt_groups[0]
    assert group.open is not None and group.open.windows == ("mon-fri 08:00-17:00",)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"after_hours": "busy"},
         "hunt_groups[0].after_hours: 'busy' but the group has no open hours"),
        ({"open": ["daily 08:00-17:00"], "after_hours": "voicemail", "voicemail": False},
         "hunt_groups[0].after_hours: 'voicemail' but the pilot 'PILOT' has no voicemail"),
        ({"open": ["daily 08:00-17:00"], "after_hours": "queue"},
         "hunt_groups[0].after_hours: Input should be 'voicemail' or 'busy'"),
        ({"open": "always"}, "hunt_groups[0].open[0]: 'always' is not a window"),
        ({"open": {"mon": "08:00-17:00"}}, "hunt_groups[0].open: Input should be a valid list"),
    ],
)
def test_bad_group_calendar_options(change, expected):
    data = office()
    data["hunt_groups"][0].update(change)
    found = messages(data)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_agent_calendar_options_and_defaults():
    scenario = load_scenario({
        "duration": "1w",
        "agent_defaults": {
            "talk_time": "3min",
            "schedule": ["mon-fri 08:00-12:00", "mon-fri 13:00-17:00"],
            "away": {"rate": "1/h", "length": {"dist": "exponential", "mean": "20min"}},
            "after_missed": {"count": 2, "away": "10min"},
        },
        "agents": [
            {"number": "1"},
            {"number": "2", "schedule": ["sat 09:00-12:00"],
             "away": {"rate": "0.5/h", "length": "1h", "skipped": False}},
        ],
    })
    first, second = scenario.agents
    assert first.schedule == Calendar(["mon-fri 08:00-12:00", "mon-fri 13:00-17:00"])
    assert first.away is not None and first.away.rate == pytest.approx(1 / 3600)
    assert first.away.length.mean == 1200.0 and first.away.skipped
    assert first.after_missed is not None
    assert (first.after_missed.count, first.after_missed.away) == (2, 600.0)
    assert second.schedule is not None and second.schedule.hours_open_per_week == 3.0
    assert second.away is not None and not second.away.skipped and second.away.length.mean == H
    assert second.after_missed == first.after_missed
    assert scenario.uses_calendar
    plain = load_scenario(office()).agents[0]
    assert (plain.schedule, plain.away, plain.after_missed) == (None, None, None)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"away": {"rate": 2, "length": "5min"}}, "agents[0].away.rate: 2 is not a rate"),
        ({"away": {"rate": "1/h"}}, "agents[0].away.length: required but missing"),
        ({"away": {"rate": "1/h", "length": "5min", "often": True}},
         "agents[0].away.often: unknown key"),
        ({"after_missed": {"count": 0, "away": "10min"}}, "agents[0].after_missed.count"),
        ({"after_missed": {"count": 2, "away": "0s"}}, "agents[0].after_missed.away"),
        ({"after_missed": {"count": 2}}, "agents[0].after_missed.away: required but missing"),
        ({"schedule": ["mon-fri 9-5"]}, "agents[0].schedule[0]: 'mon-fri 9-5' is not a window"),
    ],
)
def test_bad_agent_options_are_named(change, expected):
    data = office(agents={"A": change})
    found = messages(data)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_a_calendar_travels_through_python_pickles_and_dumps():
    agent = Agent.model_validate({"number": "7", "talk_time": 60,
                                  "schedule": Calendar(["daily 09:00-17:00"])})
    assert agent.schedule == Calendar(["daily 09:00-17:00"])
    assert agent.model_dump(mode="json")["schedule"] == ["daily 09:00-17:00"]
    assert Agent.model_validate(agent.model_dump()).schedule == agent.schedule
    assert pickle.loads(pickle.dumps(agent)) == agent
    assert repr(agent.schedule) == "Calendar(['daily 09:00-17:00'])"


# ------------------------------------------------------------ weekly arrivals


ISSUE_WEEKLY = {
    "mon-fri": {"08:00": "10/h", "09:00": "28/h", "12:00": "16/h", "13:00": "24/h",
                "16:00": "12/h", "17:00": "0/h"},
    "sat": {"09:00": "6/h", "12:00": "0/h"},
}


def issue_rate_per_hour(week_s: float) -> float:
    """The issue's weekly rates, read off by hand."""
    day, clock = divmod(week_s % WEEK, DAY)
    hour = clock / H
    if day < 5:
        for start, end, rate in [(8, 9, 10), (9, 12, 28), (12, 13, 16), (13, 16, 24), (16, 17, 12)]:
            if start <= hour < end:
                return rate
    if day == 5 and 9 <= hour < 12:
        return 6
    return 0


def weekly_office(start: str = "mon 00:00", weeks: float = 1) -> dict:
    data = office(duration=weeks * WEEK)
    data["start"] = start
    data["hunt_groups"][0]["arrivals"] = {"weekly": copy.deepcopy(ISSUE_WEEKLY)}
    return data


@pytest.mark.parametrize("start", STARTS)
def test_the_profile_holds_each_given_rate_at_its_clock_times(start):
    arrivals = load_scenario(weekly_office(start)).hunt_groups[0].arrivals
    assert isinstance(arrivals, WeeklyProfile)
    assert arrivals.period == WEEK and arrivals.start == at(start)
    start_s = at(start)
    for minute in range(0, 7 * 1440, 10):
        t = minute * 60.0
        week_s = start_s + t
        assert arrivals.rate_at(t) * H == pytest.approx(issue_rate_per_hour(week_s), abs=1e-9)
        assert arrivals.rate_at(t + WEEK) == arrivals.rate_at(t)
    # at the very clock times, and just before them
    monday = (WEEK - start_s) % WEEK  # simulation time of the next Monday 00:00
    for clock, rate in [(8, 10), (9, 28), (12, 16), (13, 24), (16, 12), (17, 0)]:
        assert arrivals.rate_at(monday + clock * H) * H == pytest.approx(rate)
    assert arrivals.rate_at(monday + 8 * H - 1e-3) == 0.0  # a day starts at rate 0
    assert arrivals.rate_at(monday + 5 * DAY + 11.99 * H) * H == pytest.approx(6)
    assert arrivals.rate_at(monday + 6 * DAY + 10 * H) == 0.0  # Sunday not named


def test_the_last_rate_of_a_day_holds_to_midnight_and_the_next_day_starts_at_zero():
    week = Weekly(weekly={"tue": {"20:00": "30/h"}, "wed": {"01:00": "6/h"}})
    assert week.rate_at(at("tue 23:59")) * H == pytest.approx(30)
    assert week.rate_at(at("wed 00:00")) == 0.0
    assert week.rate_at(at("wed 00:59")) == 0.0
    assert week.rate_at(at("wed 23:59")) * H == pytest.approx(6)
    assert week.rate_at(at("thu 00:00")) == 0.0
    assert Weekly(weekly={"sun": {"00:00": "1/h"}}).rate_at(at("mon 00:00")) == 0.0


def test_expected_calls_follow_the_weekly_rates():
    per_week = 5 * (10 + 28 * 3 + 16 + 24 * 3 + 12) + 6 * 3
    scenario = load_scenario(weekly_office("wed 10:00", weeks=4))
    assert scenario.expected_calls() == pytest.approx(4 * per_week)
    arrivals = scenario.hunt_groups[0].arrivals
    assert arrivals.mean_rate(WEEK) * WEEK == pytest.approx(per_week)


def test_the_expected_calls_limit_applies_to_weekly_arrivals():
    data = weekly_office(weeks=4)
    data["hunt_groups"][0]["arrivals"] = {"weekly": {"daily": {"00:00": "1000000/h"}}}
    found = messages(data)
    assert len(found) == 1 and found[0].startswith("duration: ")
    assert "calls, more than huntsim simulates in one run" in found[0]


def test_direct_calls_may_be_weekly_and_follow_start():
    data = weekly_office("tue 08:00")
    data["agents"][0]["direct_calls"] = {"weekly": {"mon-fri": {"08:00": "2/h", "10:00": "0/h"}}}
    direct = load_scenario(data).agents[0].direct_calls
    assert isinstance(direct, WeeklyProfile)
    assert direct.rate_at(0) * H == pytest.approx(2) and direct.rate_at(2 * H) == 0.0
    assert direct.rate_at(DAY + H) * H == pytest.approx(2)


def test_weekly_direct_calls_in_agent_defaults_reach_every_agent():
    data = weekly_office("mon 08:00")
    data["agent_defaults"] = {"direct_calls": {"weekly": {"daily": {"08:00": "1/h"}}}}
    scenario = load_scenario(data)
    assert all(isinstance(a.direct_calls, WeeklyProfile) for a in scenario.agents)
    assert all(a.direct_calls.rate_at(0) * H == pytest.approx(1) for a in scenario.agents)


def test_replacing_start_shifts_the_profile_again():
    scenario = load_scenario(weekly_office("mon 00:00"))
    moved = scenario.replace(start="mon 09:00")
    arrivals = moved.hunt_groups[0].arrivals
    assert arrivals.start == 9 * H and arrivals.rate_at(0) * H == pytest.approx(28)
    assert scenario.hunt_groups[0].arrivals.rate_at(9 * H) * H == pytest.approx(28)


def test_other_arrival_forms_are_unchanged():
    scenario = load_scenario(office(arrivals={"rate": "30/h"}, duration=3600,
                                    open="daily 08:00-09:00"))
    assert scenario.hunt_groups[0].arrivals == Poisson(rate="30/h")


@pytest.mark.parametrize(
    ("weekly", "expected"),
    [
        ({**ISSUE_WEEKLY, "fri": {"09:00": "1/h"}},
         "hunt_groups[0].arrivals.weekly: fri is named twice, in 'mon-fri' and 'fri'"),
        ({"fryday": {"09:00": "1/h"}}, "hunt_groups[0].arrivals.weekly: 'fryday' are not days"),
        ({"sun": {"25:00": "1/h"}},
         "hunt_groups[0].arrivals.weekly.sun: '25:00' is not a clock time"),
        ({"sun": {"24:00": "1/h"}},
         "hunt_groups[0].arrivals.weekly.sun: '24:00' is not a clock time"),
        ({"sun": {"09:00": "1/h", "9:00": "2/h"}},
         "hunt_groups[0].arrivals.weekly.sun: '09:00' and '9:00' are the same clock time"),
        ({"mon-fri": {"09:00": "1/x"}},
         "hunt_groups[0].arrivals.weekly['mon-fri']['09:00']: '1/x' is not a rate"),
        ({"sun": {"09:00": 3}}, "hunt_groups[0].arrivals.weekly.sun['09:00']: 3 is not a rate"),
        ({}, "hunt_groups[0].arrivals.weekly: Dictionary should have at least 1 item"),
    ],
)
def test_bad_weekly_arrivals_are_named(weekly, expected):
    data = office()
    data["hunt_groups"][0]["arrivals"] = {"weekly": weekly}
    found = messages(data)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_a_weekly_form_takes_no_other_keys():
    data = office()
    data["hunt_groups"][0]["arrivals"] = {"weekly": ISSUE_WEEKLY, "period": "1w"}
    assert messages(data) == ["hunt_groups[0].arrivals.period: unknown key (value '1w')"]


@pytest.mark.parametrize("start", ["mon 00:00", "wed 13:30"])
def test_weekly_arrival_counts_per_hour_match_the_rates(start):
    """Counts in each hour of the week over many weeks, against Poisson intervals.

    Each hour's count over ``weeks`` weeks is Poisson with mean rate x weeks. The
    168 hours are checked together at 99.9 %: each against its central Poisson
    interval at level 1 - 0.001/168 (Bonferroni), so a correct draw fails one run
    in a thousand whatever the seed. Hours with no traffic must have no call.
    """
    weeks = 300
    arrivals = load_scenario(weekly_office(start, weeks)).hunt_groups[0].arrivals
    blocks = list(arrival_blocks(arrivals, generator(2024, "weekly test"), weeks * WEEK))
    times = np.concatenate(blocks)
    assert np.all(np.diff(times) >= 0) and times[0] >= 0 and times[-1] < weeks * WEEK
    week_hour = ((at(start) + times) % WEEK // H).astype(int)
    counts = np.bincount(week_hour, minlength=168)
    level = 1 - 0.001 / 168
    for hour in range(168):
        expected = issue_rate_per_hour(hour * H + 1) * weeks
        if expected == 0:
            assert counts[hour] == 0, f"{format_week_time(hour * H)}: calls where none are due"
            continue
        low, high = stats.poisson.interval(level, expected)
        assert low <= counts[hour] <= high, (
            f"{format_week_time(hour * H)}: {counts[hour]} calls in {weeks} weeks, "
            f"expected {expected:g} (99.9 % family interval [{low:g}, {high:g}] per hour)"
        )


# ----------------------------------------------------------------- YAML

ISSUE_YAML = """\
name: clinic
duration: 4w
start: mon 08:00
agents:
  - number: 0101
    talk_time: 3min
    schedule: [mon-fri 08:00-12:00, mon-fri 13:00-17:00]
  - number: "0102"
    talk_time: 3min
    schedule: [sat 9:00-12:00]
hunt_groups:
  - pilot: +15550100
    members: [0101, "0102"]
    voicemail: true
    open: [mon-fri 08:00-17:00, sat 09:00-12:00]
    arrivals:
      weekly:
        mon-fri: {08:00: 10/h, 09:00: 28/h, 12:00: 16/h, 13:00: 24/h, 16:00: 12/h, 17:00: 0/h}
        sat: {09:00: 6/h, 12:00: 0/h}
"""


def test_the_issue_example_reads_from_yaml_with_unquoted_clock_times(tmp_path: Path):
    # YAML 1.1 reads an unquoted 12:00 as the number 720 (base 60); it must stay 12:00
    path = tmp_path / "clinic.yaml"
    path.write_text(ISSUE_YAML)
    scenario = load_scenario(path)
    quoted = ISSUE_YAML.replace(
        "mon-fri: {08:00: 10/h, 09:00: 28/h, 12:00: 16/h, 13:00: 24/h, 16:00: 12/h, 17:00: 0/h}",
        'mon-fri: {"08:00": 10/h, "09:00": 28/h, "12:00": 16/h, "13:00": 24/h, '
        '"16:00": 12/h, "17:00": 0/h}',
    ).replace('sat: {09:00: 6/h, 12:00: 0/h}', 'sat: {"09:00": 6/h, "12:00": 0/h}')
    assert quoted != ISSUE_YAML
    (tmp_path / "quoted.yaml").write_text(quoted)
    assert load_scenario(tmp_path / "quoted.yaml") == scenario
    group = scenario.hunt_groups[0]
    assert scenario.start == 8 * H and scenario.duration == 4 * WEEK
    assert group.pilot == "+15550100" and group.members == ("0101", "0102")
    assert group.open == Calendar(["mon-fri 08:00-17:00", "sat 09:00-12:00"])
    assert scenario.agents[1].schedule == Calendar(["sat 09:00-12:00"])
    assert scenario.agents[1].schedule.windows == ("sat 9:00-12:00",)
    assert group.arrivals.source == Weekly(weekly=ISSUE_WEEKLY)
    for minute in range(0, 7 * 1440, 30):
        t = minute * 60.0
        assert group.arrivals.rate_at(t) * H == pytest.approx(issue_rate_per_hour(8 * H + t))
    assert scenario.expected_calls() == pytest.approx(4 * (5 * 194 + 18))


def test_unquoted_sexagesimal_clock_keys_read_as_written(tmp_path: Path):
    path = tmp_path / "late.yaml"
    path.write_text(ISSUE_YAML.replace(
        "sat: {09:00: 6/h, 12:00: 0/h}", "sat: {9:00: 6/h, 9:30: 12/h, 12:00: 0/h}"))
    arrivals = load_scenario(path).hunt_groups[0].arrivals
    assert arrivals.source.weekly["sat"] == {"9:00": 6 / H, "9:30": 12 / H, "12:00": 0.0}
    assert arrivals.rate_at(5 * DAY + 1.75 * H) * H == pytest.approx(12)  # sat 09:45
