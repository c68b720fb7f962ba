"""huntsim roster: the findings of a new user's and an adversarial tester's trial, each a
test that failed before its fix (small offices, two or three replications)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from huntsim import ScenarioError, load_scenario, roster
from huntsim.cli.main import main
from huntsim.experiments.roster_solve import solve
from huntsim.experiments.schedule_gap import scheduled_by_hour
from huntsim.scenario.shifts import load_shifts

FAST = {"replications": 2, "hour_length_s": 2 * 3600.0, "jobs": 1, "progress": False}


def desk(open_: list[str], rate: str = "20/h", **group: object) -> dict[str, object]:
    """A small office: one group of two members, open ``open_``, ``rate`` pilot calls."""
    return {
        "name": "desk", "duration": "1w", "start": "mon 00:00", "seed": 3,
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "3min"}},
        "agents": [{"number": "101"}, {"number": "102"}],
        "hunt_groups": [{"pilot": "100", "members": ["101", "102"], "voicemail": True,
                         "when_all_busy": "queue", "open": open_,
                         "after_hours": "voicemail", "arrivals": {"rate": rate}, **group}],
    }


# --- 1: a weekend office with weekday shifts --------------------------------------------

def test_weekend_office_with_weekday_shifts_says_no_shift_covers_its_hours() -> None:
    office = desk(["sat,sun 09:00-12:00"])
    shifts = [{"name": "wd", "days": "mon-fri", "start": "09:00", "length": "8h"}]
    with pytest.raises(ScenarioError) as caught:
        roster(office, "100", ["service_level_20s>=80%"], shifts, members=range(1, 5), **FAST)
    text = str(caught.value)
    assert "needs nobody" not in text
    assert "sat-sun 09:00-12:00: no shift covers" in text


# --- 3: an office opening at 07:30 ------------------------------------------------------

def test_the_need_of_a_partly_closed_hour_holds_only_in_its_open_minutes() -> None:
    from huntsim.experiments.schedule_gap import open_minutes

    office = load_scenario(desk(["mon 07:30-12:00"]))
    opened = open_minutes(office, "100")
    assert int(opened[7 * 60:8 * 60].sum()) == 30
    shifts = load_shifts([{"name": "early", "days": "mon", "start": "07:30", "length": "270min"}])
    need = np.zeros(168, dtype=int)
    need[7:12] = 2
    solution = solve(need, shifts, opened)
    assert solution.capped == {}
    assert solution.counts.tolist() == [2]
    assert solution.scheduled[7] == 2  # logged in for the whole open half hour
    # without the calendar the hour's closed half still needs people
    assert 7 in solve(need, shifts).capped


def test_plan_by_hour_counts_scheduled_members_only_in_open_minutes() -> None:
    office = desk(["mon 07:30-12:00"])
    office["agents"] = [{"number": "101", "schedule": ["mon 07:30-12:00"]},  # type: ignore[index]
                        {"number": "102", "schedule": ["mon 07:30-12:00"]}]
    assert scheduled_by_hour(load_scenario(office), "100")[7] == 2


# --- 9: a shift with max 0 --------------------------------------------------------------

def test_a_shift_with_max_0_is_named_as_the_limit_not_as_no_shift() -> None:
    shifts = load_shifts([{"name": "e", "days": "mon", "start": "07:00", "length": "8h",
                           "max": 0},
                          {"name": "late", "days": "mon", "start": "11:00", "length": "8h"}])
    need = np.zeros(168, dtype=int)
    need[8] = 3
    assert solve(need, shifts).capped == {8: "the shifts' max allow 0 logged in, 3 needed"}


# --- 2: a share above 100 % -------------------------------------------------------------

@pytest.mark.parametrize("command", ["plan", "roster"])
@pytest.mark.parametrize("target", ["service_level_20s>=180%", "voicemail_rate<=-5%"])
def test_a_share_target_outside_0_to_100_percent_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, target: str) -> None:
    scenario = tmp_path / "desk.yaml"
    office = desk(["mon-fri 09:00-17:00"])
    office["shifts"] = [{"name": "day", "days": "mon-fri", "start": "09:00", "length": "8h"}]
    scenario.write_text(yaml.safe_dump(office))
    assert main([command, str(scenario), "--group", "100", "--target", target]) == 2
    err = capsys.readouterr().err
    assert f"--target: '{target}'" in err and "between 0 % and 100 %" in err
    assert "Traceback" not in err


# --- 4, 5, 7: a target out of reach in some hours; the intervals written and judged ------

def erlang_office() -> dict[str, object]:
    """Members answer at once, calls that find them all busy go to voicemail: 2 erlangs
    in the morning, 4 in the afternoon (3-minute calls)."""
    return {
        "name": "erlang office", "duration": "1w", "start": "mon 00:00", "seed": 7,
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "3min"}},
        "agents": [{"number": "101"}, {"number": "102"}],
        "hunt_groups": [{
            "pilot": "100", "members": ["101", "102"], "voicemail": True,
            "when_all_busy": "voicemail", "no_answer_rings": 100,
            "open": ["mon-fri 08:00-16:00"],
            "arrivals": {"weekly": {"mon-fri": {"08:00": "40/h", "12:00": "80/h",
                                                "16:00": "0/h"}}}}],
    }


SHIFTS = [{"name": "morning", "days": "mon-fri", "start": "08:00", "length": "4h"},
          {"name": "afternoon", "days": "mon-fri", "start": "12:00", "length": "4h"}]


@pytest.fixture(scope="module")
def partly_out_of_reach():  # type: ignore[no-untyped-def]
    """Staffing by hour says 11 members in the mornings (far more than enough: no call
    goes to voicemail) and no size tried (1 to 3) is enough in the afternoons."""
    import huntsim.experiments.roster as module

    def need(setup, *args, **kwargs):  # type: ignore[no-untyped-def]
        rows = [{"policy": "regular", "weekday": day, "hour": hour,
                 "members_needed": 11 if hour < 12 else None,
                 "rate_per_hour": 40.0 if hour < 12 else 80.0,
                 "reason": "" if hour < 12 else "out of reach"}
                for day in ("mon", "tue", "wed", "thu", "fri") for hour in range(8, 16)]
        table = pd.DataFrame(rows)
        table["members_needed"] = table["members_needed"].astype("Int64")
        return table, ()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "staffing_by_hour", need)
        return roster(erlang_office(), "100", ["voicemail_rate<=5%"], SHIFTS,
                      members=range(1, 4), replications=3, jobs=1, progress=False)


def test_hours_out_of_reach_are_not_repaired_and_the_answer_says_so(
        partly_out_of_reach) -> None:  # type: ignore[no-untyped-def]
    result = partly_out_of_reach
    coverage = result.coverage
    assert (coverage["required"] == coverage["needed"]).all(), result.rounds
    assert len(result.rounds) == 1
    assert result.table["count"].tolist() == [11, 3]
    text = "\n".join(result.headline())
    assert "No roster meets voicemail <= 5 % in 20 hours (mon-fri 12:00-16:00)" in text
    assert "Every hour meets" not in text


def test_met_and_certain_agree_with_the_interval_written(partly_out_of_reach) -> None:  # type: ignore[no-untyped-def]
    coverage = partly_out_of_reach.coverage
    low, high = coverage["voicemail_rate_ci_low"], coverage["voicemail_rate_ci_high"]
    assert ((low >= 0) & (high <= 1)).all()  # shares clipped to 0-1
    clearly_over = low > 0.05
    assert (coverage["met"] == ~clearly_over).all()
    assert not (coverage["certain"] & ~(high <= 0.05)).any()
    afternoon = coverage[coverage["hour"] >= 12]
    assert not afternoon["met"].any()  # 3 members for 4 erlangs: about 30 % to voicemail
    # mornings: most hours see no call to voicemail in any run, an interval of no width:
    # no certainty
    morning = coverage[coverage["hour"] < 12]
    flat = morning["voicemail_rate_ci_low"] == morning["voicemail_rate_ci_high"]
    assert flat.sum() >= 10
    assert morning["met"].all() and not morning[flat]["certain"].any()


# --- 5: hours short of their need are not "every hour meets" ----------------------------

def test_an_hour_short_of_its_need_is_said_in_the_headline() -> None:
    office = desk(["mon 09:00-11:00"], rate="40/h")
    shifts = [{"name": "one", "days": "mon", "start": "09:00", "length": "2h", "max": 1}]
    result = roster(office, "100", ["service_level_20s>=80%"], shifts, members=range(1, 5),
                    **FAST)
    text = "\n".join(result.headline())
    assert "Every hour meets" not in text
    assert "2 hours have fewer people logged in than needed (mon 09:00-11:00" in text


# --- 6: one replication -----------------------------------------------------------------

def test_one_replication_judges_no_hour_and_repairs_nothing() -> None:
    result = roster(desk(["mon 09:00-12:00"], rate="40/h"), "100",
                    ["service_level_20s>=80%"],
                    [{"name": "day", "days": "mon", "start": "09:00", "length": "3h"}],
                    members=range(1, 6), **{**FAST, "replications": 1})
    coverage = result.coverage
    assert coverage["met"].isna().all() and coverage["certain"].isna().all()
    assert coverage["service_level_20s_ci_low"].isna().all()
    assert len(result.rounds) == 1 and "no hour is judged" in result.rounds[0]
    text = "\n".join(result.headline())
    assert "(1 replication)" in text and "only within their intervals" not in text
    assert "Every hour meets" not in text


# --- 10: roster CSV errors name the row and the column ----------------------------------

@pytest.mark.parametrize(("row", "expected"), [
    ("x,mon-fri,07:30,15:30,2,12:30-12:00",
     "bad.csv: row 1: break: '12:30-12:00' does not lie inside the shift 07:30-15:30"),
    ("x,mon-fri,25:00,15:30,2,", "bad.csv: row 1: start: '25:00' is not a clock time"),
    ("x,mon-fir,07:30,15:30,2,", "bad.csv: row 1: days: 'mon-fir' are not days"),
])
def test_roster_csv_mistakes_name_the_row_and_column(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, expected: str) -> None:
    scenario = tmp_path / "desk.yaml"
    scenario.write_text(yaml.safe_dump(desk(["mon-fri 09:00-17:00"])))
    bad = tmp_path / "bad.csv"
    bad.write_text(f"shift,days,start,end,count,break\n{row}\n")
    assert main(["compare", str(scenario), "--roster", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"--roster: {expected}" in err
    assert "shifts[0]" not in err and "1410 min" not in err


# --- 11: warnings of the rostered office ------------------------------------------------

def test_warnings_of_the_rostered_office_say_so_and_do_not_repeat_the_short_hours() -> None:
    office = desk(["mon 09:00-12:00"], rate="40/h")
    shifts = [{"name": "late", "days": "mon", "start": "10:00", "length": "2h"}]
    result = roster(office, "100", ["service_level_20s>=80%"], shifts, members=range(1, 6),
                    **FAST)
    assert any("mon 09:00-10:00" in line and "no shift covers" in line
               for line in result.unmet)
    assert result.warnings, "the rostered office nobody answers at 09:00 warns"
    assert not any("none of its members is scheduled" in w for w in result.warnings)
    assert all(w.startswith("the rostered office (rostered.yaml): ") for w in result.warnings)


# --- 13, 14: shifts-file mistakes in the words of a shifts file ---------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("shifts: []\n", "shifts.yaml: shifts: the list is empty; give at least one shift"),
    ("shifts:\n", "shifts.yaml: shifts: the list is empty; give at least one shift"),
    ("", "a shifts file must be a mapping with a top-level 'shifts:' list (got NoneType)"),
    ("- {name: e, days: mon, start: '08:00', length: 8h}\n",
     "a shifts file must be a mapping with a top-level 'shifts:' list (got list)"),
    ("shifts:\n  - {name: e, days: mon, start: '08:00', length: 8}\n",
     "shifts[0].length: 8 s is not a whole number of minutes; a plain number is seconds: "
     "write 8h or 8min"),
])
def test_shift_file_mistakes_speak_of_a_shifts_file(tmp_path: Path, text: str,
                                                    expected: str) -> None:
    path = tmp_path / "shifts.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_shifts(path)
    assert expected in str(caught.value)
    assert "Tuple" not in str(caught.value) and "a scenario" not in str(caught.value)


def test_a_duration_in_hours_and_minutes_is_read() -> None:
    shift = load_shifts([{"name": "e", "days": "mon", "start": "07:30", "length": "8h",
                          "break": {"after": "4h30min", "length": "30min"}}])[0]
    assert shift.windows() == ("mon 07:30-12:00", "mon 12:30-15:30")


# --- 8: what the rostered people copy ---------------------------------------------------

def test_the_roster_says_what_its_people_copy() -> None:
    office = desk(["mon 09:00-11:00"])
    office["agent_defaults"] = {"talk_time": {"dist": "exponential", "mean": "3min"},  # type: ignore[index]
                                "answer_probability": 0.97}
    office["agents"][0]["answer_probability"] = 0.5  # type: ignore[index]
    result = roster(office, "100", ["service_level_20s>=80%"],
                    [{"name": "day", "days": "mon", "start": "09:00", "length": "2h"}],
                    members=range(1, 5), **FAST)
    assert ("Each rostered person is made like the agent defaults, on their shift's schedule; "
            "the group's own 2 members (101, 102) are replaced.") in str(result)


# --- 12: people rostered where nobody is needed ----------------------------------------

def test_hours_with_people_but_no_need_are_said() -> None:
    office = desk(["mon-wed 09:00-11:00"])
    office["hunt_groups"][0]["arrivals"] = {"weekly": {  # type: ignore[index]
        "mon,tue": {"09:00": "20/h", "11:00": "0/h"}}}
    shifts = [{"name": "day", "days": "mon-wed", "start": "09:00", "length": "2h"}]
    result = roster(office, "100", ["service_level_20s>=80%"], shifts, members=range(1, 5),
                    **FAST)
    text = "\n".join(result.headline())
    assert "2 hours have people logged in but need nobody (wed 09:00-11:00)" in text


# --- 15: cosmetics ----------------------------------------------------------------------

def test_hours_no_shift_reaches_share_one_line_and_rounds_are_named_as_counted() -> None:
    office = desk(["mon 09:00-11:00", "sat 08:00-12:00"], rate="20/h")
    shifts = [{"name": "day", "days": "mon", "start": "09:00", "length": "2h"}]
    result = roster(office, "100", ["service_level_20s>=80%"], shifts, members=range(1, 5),
                    rounds=0, **FAST)
    saturday = [line for line in result.unmet if line.startswith("sat")]
    assert saturday == ["sat 08:00-12:00: the need cannot be covered: no shift covers any "
                        "minute of these hours"]
    assert result.rounds[0].startswith("First roster: ")
    assert not any("Round" in line for line in result.lines())


def test_the_coverage_legend_sits_below_the_plot() -> None:
    from huntsim.views.roster_report import coverage_figure

    result = roster(desk(["mon 09:00-11:00"]), "100", ["service_level_20s>=80%"],
                    [{"name": "day", "days": "mon", "start": "09:00", "length": "2h"}],
                    members=range(1, 5), **FAST)
    fig = coverage_figure(result)
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    assert legend.y1 < ax.get_window_extent().y0


def test_compare_with_a_roster_of_one_shift_says_shift(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "desk.yaml"
    scenario.write_text(yaml.safe_dump({**desk(["mon 09:00-11:00"]), "duration": "1d"}))
    csv = tmp_path / "roster.csv"
    csv.write_text("shift,days,start,end,count\nday,mon,09:00,11:00,2\n")
    assert main(["compare", str(scenario), "--roster", str(csv), "--replications", "2",
                 "--quiet"]) == 0
    assert "replaced by 2 people on 1 shift." in capsys.readouterr().out


def test_the_report_of_one_replication_leaves_the_verdict_empty(tmp_path: Path) -> None:
    result = roster(desk(["mon 09:00-11:00"]), "100", ["service_level_20s>=80%"],
                    [{"name": "day", "days": "mon", "start": "09:00", "length": "2h"}],
                    members=range(1, 5), **{**FAST, "replications": 1})
    page = result.report(tmp_path / "out").read_text()
    assert "One replication gives no interval" in page
    assert "Each rostered person is made like" in page
    assert ">None<" not in page
