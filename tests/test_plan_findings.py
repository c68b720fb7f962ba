"""What a new user's trial found wrong in ``huntsim plan`` and one-replication ``compare``:
one story for the peak hours, targets Erlang cannot size, out-of-reach targets in the answer,
warnings that the plan's own sizes give, and the words the plan uses."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from helpers import mean_interval

from huntsim import compare, load_scenario, plan, simulate
from huntsim.cli.experiments import compare_text, print_by_hour
from huntsim.experiments.ceiling import ceilings
from huntsim.experiments.estimate import first_estimate
from huntsim.experiments.peak import erlang_peak
from huntsim.experiments.seeds import replication_seeds
from huntsim.experiments.targets import parse_target
from huntsim.views.report import write_comparison, write_plan


def peaked_office() -> dict[str, object]:
    """Nine quiet hours (20 calls/h, 1 Erlang) and one busy hour (60/h, 3 Erlang) a day."""
    return {
        "name": "peaked office", "duration": "100h",
        "agent_defaults": {"talk_time": {"dist": "exponential", "mean": "3min"}},
        "agents": [{"number": "1"}, {"number": "2"}],
        "hunt_groups": [{"pilot": "100", "members": ["1", "2"], "voicemail": True,
                         "arrivals": {"profile": [{"start": "0h", "rate": "20/h"},
                                                  {"start": "9h", "rate": "60/h"}],
                                      "period": "10h"}}],
    }


def front_desk(**defaults: object) -> dict[str, object]:
    """A front desk like the trial's: pick-up delay 2-10 s, patience, after-hours forward."""
    return {
        "name": "front desk", "duration": "40h", "start": "mon 00:00", "ring_cycle": "6s",
        "caller_patience": {"dist": "exponential", "mean": "60s"},
        "agent_defaults": {"answer_probability": 0.9, "talk_time": "3min", "wrap_up": "30s",
                           "answer_delay": {"dist": "uniform", "low": "2s", "high": "10s"},
                           **defaults},
        "agents": [{"number": "1"}, {"number": "2"}, {"number": "3"}, {"number": "9"}],
        "hunt_groups": [
            {"pilot": "100", "members": ["1", "2", "3"], "voicemail": True,
             "no_answer_rings": 4, "open": ["mon-fri 08:00-18:00"],
             "forward": {"when": ["after_hours"], "to": "400"},
             "arrivals": {"rate": "30/h"}},
            {"pilot": "400", "members": ["9"], "voicemail": True},
        ],
    }


# finding 4: the peak-hour need and the Erlang first estimate tell one story


@pytest.mark.parametrize("answer", [5, 6])
def test_the_peak_need_is_the_busiest_hours_erlang_estimate(answer):
    scenario = load_scenario(peaked_office())
    target = [parse_target("voicemail_rate<=5%")]
    peak = erlang_peak(scenario, "100", target, 20.0, recommended=answer)
    estimate = first_estimate(scenario, "100", target, [5], 20.0)
    # B(7, 3) = 2.2 % <= 5 % < B(6, 3): the busy hour needs 7 whatever the simulated answer
    assert estimate.members == 7
    assert peak is not None and peak.members == estimate.members
    assert "needs about 7" in peak.text()


def test_no_peak_need_is_claimed_that_the_answer_already_covers():
    scenario = load_scenario(peaked_office())
    target = [parse_target("voicemail_rate<=5%")]
    assert erlang_peak(scenario, "100", target, 20.0, recommended=7) is None


# finding 5: targets Erlang cannot size, and the pick-up delay's floor under waits


def test_erlang_says_which_targets_it_cannot_size():
    scenario = load_scenario(front_desk())
    targets = [parse_target("mean_wait_s<=4s"), parse_target("abandoned_rate<=3%")]
    estimate = first_estimate(scenario, "100", targets, [3, 4], 20.0)
    assert estimate.members is None  # not "1 members": Erlang B has no waits nor hang-ups
    text = estimate.describe()
    assert "first estimate: none" in text and "1 members" not in text
    assert "Erlang cannot size Mean wait to answer <= 4 s" in text
    assert "Caller hung up <= 3 %: Erlang has no callers hanging up" in text
    # a target it can size is still sized, the other named
    both = first_estimate(scenario, "100", [parse_target("voicemail_rate<=5%"), targets[1]],
                          [3], 20.0)
    assert both.members is not None and "Erlang cannot size Caller hung up" in both.describe()


def test_one_member_is_singular():
    office = peaked_office()
    office["hunt_groups"][0]["arrivals"] = {"rate": "1/h"}
    estimate = first_estimate(load_scenario(office), "100",
                              [parse_target("voicemail_rate<=50%")], [1], 20.0)
    assert estimate.members == 1
    assert "first estimate: 1 member," in estimate.describe()
    assert "(1 member)" in estimate.gap(1, "regular")


def test_the_pick_up_delay_puts_a_short_mean_wait_out_of_reach():
    office = front_desk()
    office["agent_defaults"]["talk_time"] = "5s"  # members almost never busy
    office["hunt_groups"][0]["arrivals"] = {"rate": "6/h"}
    office["duration"] = "200h"
    scenario = load_scenario(office)
    (ceiling,) = ceilings(scenario, "100", [parse_target("mean_wait_s<=4s")], 6)
    assert ceiling.needed is None and "answer_delay" in ceiling.text()
    # uniform 2-10 s, tilted by who is still holding (exponential 60 s): about 5.9 s
    assert 5.8 < ceiling.best < 6.0
    waits = [simulate(scenario, seed=s).summary().loc["100", "mean_wait_s"]
             for s in replication_seeds(3, 4)]
    _, high = mean_interval(waits)
    assert high >= ceiling.best  # the engine never beats the floor


# finding 7: out-of-reach targets reach the answer; the ceiling with patience


def test_an_after_hours_forward_keeps_the_ceiling_and_the_answer_explains_it():
    office = front_desk(answer_probability=0.5)
    del office["caller_patience"]
    staffing = plan(office, "100", ["voicemail_rate<=1%"], members=[1, 2], replications=2,
                    seed=1, jobs=1)
    answer = staffing.answer()
    # 0.5 ** 6 < 1 % <= 0.5 ** 2: out of reach at 2 members, it takes 7
    assert "Voicemail <= 1 % is out of reach with up to 2 members" in answer
    assert "it takes at least 7 members" in answer
    assert any("pick-up chance alone needs at least 7 members" in line
               for line in staffing.estimate_lines())


def test_with_patience_the_voicemail_floor_counts_callers_who_outlast_the_rings():
    office = front_desk(answer_probability=0.5)
    office["agent_defaults"].update({"talk_time": "5s", "answer_delay": "1s"})
    office["hunt_groups"][0]["arrivals"] = {"rate": "4/h"}
    office["hunt_groups"][0].pop("open")
    office["hunt_groups"][0].pop("forward")
    office["duration"] = "600h"
    scenario = load_scenario(office)
    (ceiling,) = ceilings(scenario, "100", [parse_target("voicemail_rate<=1%")], 3)
    # three rings of 24 s out, callers holding 72 s with chance exp(-72/60); at 4 members
    # 0.5 ** 4 * exp(-96/60) = 1.26 %, at 5 under 1 %
    assert ceiling.best == pytest.approx(0.5 ** 3 * 0.3012, rel=0.02)
    assert ceiling.needed == 5 and "caller still there" in ceiling.text()
    rates = [simulate(scenario, seed=s).summary().loc["100", "voicemail_rate"]
             for s in replication_seeds(5, 4)]
    low, high = mean_interval(rates)
    assert high >= ceiling.best and low <= ceiling.best * 1.15  # members nearly always free


# finding 9: the plan's own sizes do not blame the file


def test_warnings_from_sizes_the_plan_made_do_not_blame_the_file():
    office = front_desk()
    office["agents"][2]["schedule"] = ["mon-fri 08:00-18:00"]
    office["agent_defaults"]["schedule"] = ["mon-fri 08:00-13:00"]
    staffing = plan(office, "100", ["voicemail_rate<=5%"], members=[2, 3], replications=2,
                    seed=1, jobs=1)
    text = "\n".join(staffing.warnings)
    assert "agent 3 got no calls" not in text  # the plan left him out at 2
    gaps = [w for w in staffing.warnings
            if "none of its members is scheduled" in w and "hunt_groups[0]" in w]
    assert gaps and all(w.startswith("at 2 members (a size the plan tried") for w in gaps)


# finding 10: the reasons fit the group's treatment


def test_a_queueing_group_is_not_said_to_send_callers_to_voicemail():
    office = front_desk()
    office["hunt_groups"][0]["when_all_busy"] = "queue"
    estimate = first_estimate(load_scenario(office), "100",
                              [parse_target("service_level_20s>=80%")], [3], 20.0)
    pick_up = estimate.reasons[0]
    assert "waits grow and more hang up" in pick_up and "voicemail" not in pick_up


# finding 11: added members' own direct calls


def test_the_erlang_table_counts_added_members_direct_calls():
    office = front_desk(direct_calls={"rate": "2/h"})
    estimate = first_estimate(load_scenario(office), "100", [parse_target("voicemail_rate<=5%")],
                              [2, 3, 4, 5], 20.0)
    direct = estimate.table["direct_load_erlang"].tolist()
    each = 2 / 3600 * 210  # 2 calls/h of 3:30 min:s
    assert direct == pytest.approx([2 * each, 3 * each, 4 * each, 5 * each])
    assert estimate.table["offered_load_erlang"].is_monotonic_increasing


# finding 13: the catalog's words, one mark for "no size tried is enough"


def test_plan_headlines_use_the_catalog_labels(tmp_path):
    staffing = plan(front_desk(), "100", ["mean_wait_s<=4s", "abandoned_rate<=3%"],
                    members=[2, 3], replications=2, seed=1, jobs=1)
    note = staffing.recommendation["note"].iloc[0]
    assert "Mean wait to answer <= 4 s and Caller hung up <= 3 %" in note
    assert "mean_wait_s" not in note and "abandoned_rate" not in note
    write_plan(staffing, tmp_path)
    saved = pd.read_csv(tmp_path / "recommendation.csv")["note"].iloc[0]
    assert "mean_wait_s" not in saved


def test_the_console_grid_marks_unmet_hours_as_the_report_does(capsys):
    table = pd.DataFrame({"policy": "regular", "weekday": ["mon", "mon"], "hour": [8, 9],
                          "members_needed": pd.array([2, None], dtype="Int64")})
    print_by_hour(table, largest=5)
    out = capsys.readouterr().out
    assert "'>5': no size tried is enough" in out
    assert out.splitlines()[-1].split() == ["mon", "2", ">5"]


# finding 6: one replication judges nothing, in the report as on the terminal


def test_one_replication_compare_report_judges_nothing(tmp_path):
    office = copy.deepcopy(peaked_office())
    office["duration"] = "10h"
    comparison = compare(office, ["regular", "circular"], replications=1, seed=1, jobs=1)
    printed = compare_text(comparison, "100")
    assert "no policy is judged" in printed and "± is the half-width" not in printed
    write_comparison(comparison, tmp_path, "100")
    report = (tmp_path / "report.html").read_text()
    assert "no significant difference" not in report
    assert "± is the half-width" not in report
    assert "not judged (one replication)" in report
    assert "run at least two replications" in report


def test_no_out_of_reach_bound_when_members_are_rung_again():
    """The bounds assume each member is rung once per call; re-ring rounds break that."""
    from huntsim.experiments.ceiling import ceilings
    from huntsim.experiments.targets import parse_target
    from huntsim.scenario.model import load_scenario

    def office(**group: object) -> object:
        return load_scenario({
            "duration": "8h",
            "agents": [{"number": "1", "talk_time": "3min", "answer_probability": 0.5}],
            "hunt_groups": [{"pilot": "100", "members": ["1"], "voicemail": True,
                             "when_all_busy": "queue", "max_wait": "5min", **group}]})

    target = [parse_target("voicemail_rate<=1%")]
    assert ceilings(office(), "100", target, 5)  # rung once: out of reach at 5
    assert ceilings(office(rering="5s"), "100", target, 5) == ()
