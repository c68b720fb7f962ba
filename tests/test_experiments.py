"""Replications, policy comparison (paired on common random numbers) and capacity plans."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import loss_system
from pandas.testing import assert_frame_equal

from huntsim import POLICIES, ScenarioError, compare, load_scenario, plan, replicate, sweep
from huntsim.analysis.catalog import METRICS
from huntsim.analysis.hourly import hourly
from huntsim.analysis.intervals import mean_interval, paired_difference, unpaired_difference
from huntsim.analysis.metrics import fairness
from huntsim.analysis.theory import erlang_b_members, erlang_c_members
from huntsim.experiments.execution import Execution
from huntsim.experiments.plan_setup import resize_group
from huntsim.experiments.seeds import replication_seeds
from huntsim.experiments.settings import ExperimentSettings
from huntsim.experiments.targets import KNOWN_METRICS, parse_target

REAL_ESTATE = "scenarios/real_estate.yaml"


def test_replication_seeds_are_distinct_and_repeatable():
    seeds = replication_seeds(7, 50)
    assert len(set(seeds)) == 50 and seeds == replication_seeds(7, 50)
    assert seeds[:5] == replication_seeds(7, 5)


def test_replicate_intervals_hold_the_mean_of_the_raw_runs():
    reps = replicate(REAL_ESTATE, replications=4, seed=3, jobs=1)
    raw = reps.raw[reps.raw["metric"] == "answered_rate"]["value"]
    row = reps.table[reps.table["metric"] == "answered_rate"].iloc[0]
    assert row["mean"] == pytest.approx(raw.mean())
    assert row["ci_low"] < row["mean"] < row["ci_high"] and row["n"] == 4


def test_compare_twice_gives_identical_tables():
    first = compare(REAL_ESTATE, ["regular", "circular"], replications=3, seed=5, jobs=1)
    second = compare(REAL_ESTATE, ["regular", "circular"], replications=3, seed=5, jobs=1)
    assert_frame_equal(first.table, second.table)
    assert_frame_equal(first.differences, second.differences)


def test_same_policy_twice_differs_by_exactly_nothing():
    same = compare(REAL_ESTATE, ["circular", "circular"], replications=3, seed=5, jobs=1)
    assert same.policies == ("circular",)
    rows = compare(REAL_ESTATE, ["circular", "regular"], replications=3, seed=5, jobs=1).raw
    circular = rows[rows["policy"] == "circular"].reset_index(drop=True)
    alone = same.raw.reset_index(drop=True)
    assert_frame_equal(circular, alone)


def test_paired_interval_is_narrower_than_unpaired_on_the_real_estate_office():
    comparison = compare(REAL_ESTATE, ["regular", "circular", "uniform"], replications=10,
                         seed=11, jobs=1)
    rows = comparison.differences[comparison.differences["metric"].isin(
        ["service_level_20s", "mean_wait_s", "voicemail_rate"])]
    paired = rows["ci_high"] - rows["ci_low"]
    unpaired = rows["unpaired_ci_high"] - rows["unpaired_ci_low"]
    assert (paired < unpaired).all(), rows


def test_regular_hunting_skews_load_and_the_verdict_says_so():
    comparison = compare(REAL_ESTATE, ["regular", "circular"], replications=6, seed=2, jobs=1)
    jain = comparison.table[comparison.table["metric"] == "jain_index"].set_index("policy")
    assert jain.loc["regular", "ci_high"] < jain.loc["circular", "ci_low"]
    verdict = comparison.verdict()
    assert verdict.baseline == "circular"  # the office's configured policy, not the first
    assert verdict.judgement("regular", "jain_index") == "worse"
    assert "fairness of member load" in verdict.lines()[1]
    assert comparison.differences["baseline"].eq("circular").all()
    shares = comparison.members[(comparison.members["metric"] == "load_share")
                                & (comparison.members["policy"] == "regular")]
    first, last = shares.iloc[0], shares.iloc[-1]
    assert first["ci_low"] > last["ci_high"]  # the first member carries more than the last


def test_interval_helpers():
    mean, low, high = mean_interval([1.0, 2.0, 3.0, np.nan])
    assert (mean, round(low, 3), round(high, 3)) == (2.0, -0.484, 4.484)
    assert np.isnan(mean_interval([1.0])[1])
    a = np.array([1.0, 2.0, 3.0, 4.0])
    diff, plow, phigh = paired_difference(a + 0.5, a)
    assert (diff, plow, phigh) == (0.5, 0.5, 0.5)
    _, ulow, uhigh = unpaired_difference(a + 0.5, a)
    assert ulow < 0 < uhigh
    # a pair without a finite difference (a member idle in both: max/min ratio inf) is
    # left out, without numpy's "invalid value" warning (before: a RuntimeWarning)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ratio = paired_difference([np.inf, 3.0, 2.0], [np.inf, 1.0, 1.0])
    assert (ratio[0], round(ratio[1], 2)) == (1.5, -4.85)


def test_fairness_extremes():
    even = fairness([2.0, 2.0, 2.0, 2.0])
    assert (even["jain_index"], even["max_min_ratio"], even["load_cv"]) == (1.0, 1.0, 0.0)
    assert fairness([1.0, 0.0, 0.0, 0.0])["jain_index"] == pytest.approx(0.25)


NINE_HOUR_DAY = {
    "duration": "45h", "agent_defaults": {"talk_time": "4min", "answer_probability": 0.8},
    "agents": [{"number": str(n)} for n in range(101, 107)],
    "hunt_groups": [{"pilot": "100", "policy": "circular", "voicemail": True,
                     "members": [str(n) for n in range(101, 107)],
                     "arrivals": {"period": "9h", "profile": [
                         {"start": "0h", "rate": "10/h"}, {"start": "1h", "rate": "28/h"},
                         {"start": "4h", "rate": "16/h"}, {"start": "5h", "rate": "24/h"},
                         {"start": "8h", "rate": "12/h"}]}}],
}


def test_hourly_rates_follow_the_profile():
    scenario = load_scenario(NINE_HOUR_DAY)
    from huntsim import simulate

    rates = []
    for seed in range(6):
        result = simulate(scenario, seed=seed)
        pilot = result.calls[result.calls["kind"] == "pilot"]
        rates.append(hourly(pilot, 0, scenario.duration, 9 * 3600)["offered_per_hour"])
    mean = np.mean(rates, axis=0)
    expected = [10, 28, 28, 28, 16, 24, 24, 24, 12]
    assert mean == pytest.approx(expected, rel=0.15)


def test_replications_without_a_calendar_keep_the_hours_of_the_day():
    reps = replicate(NINE_HOUR_DAY, replications=2, seed=1, jobs=1)
    assert "weekday" not in reps.hourly.columns and "after_hours" not in set(reps.table["metric"])
    offered = reps.hourly[reps.hourly["metric"] == "offered_per_hour"]
    assert list(offered["hour"]) == list(range(9))


@pytest.mark.parametrize("text", ["voicemail<=0.1", "voicemail_rate=0.1", "answered_rate>=x",
                                  "service_level_.s>=0.5", "service_level_0s>=0.5"])
def test_bad_targets(text):
    with pytest.raises(ScenarioError, match=r"^target: ") as caught:
        parse_target(text)
    assert len(caught.value.messages) == 1 and "--" not in str(caught.value)


@pytest.mark.parametrize(("text", "metric", "value"), [
    ("voicemail_rate<=5%", "voicemail_rate", 0.05),
    ("voicemail_rate <= 5 %", "voicemail_rate", 0.05),
    ("voicemail_rate<=0.05", "voicemail_rate", 0.05),
    ("service_level_20s>=80%", "service_level_20s", 0.8),
    ("mean_wait_s<=10s", "mean_wait_s", 10.0),
    ("p90_wait_s<=1.5min", "p90_wait_s", 90.0),
    ("mean_wait_s<=12", "mean_wait_s", 12.0),
    ("first_attempt_busy_rate<=2%", "first_attempt_busy_rate", 0.02),
    ("callers_answered_rate>=95%", "callers_answered_rate", 0.95),
])
def test_targets_take_percent_and_time_units(text, metric, value):
    target = parse_target(text)
    assert (target.metric, target.value) == (metric, pytest.approx(value))


def test_every_target_metric_is_in_the_catalog():
    assert set(KNOWN_METRICS) <= set(METRICS)


def test_service_level_targets_have_one_spelling():
    assert parse_target("service_level_20.0s>=0.8").metric == "service_level_20s"
    assert parse_target("service_level>=0.8").metric == "service_level"


def test_library_errors_name_parameters_not_flags():
    # before: plan(...) said "--target: ..." and "--group: ..."
    with pytest.raises(ScenarioError) as caught:
        plan(REAL_ESTATE, "555-0999", ["voicemail_rate<=0.1", "wait<5"], members=[0, 3],
             policies=["regular", "fastest"], seed=-1, threshold_s=0)
    assert caught.value.messages == [
        "group: '555-0999' is not a pilot or a group's name (groups: '555-0100' (Main line))",
        "targets[1]: 'wait' is not a metric; did you mean 'mean_wait_s' or 'p50_wait_s' or "
        "'p90_wait_s'?",
        "threshold_s: 0 must be a number of seconds greater than 0",
        "members[0]: a group needs at least 1 member (got 0)",
        f"policies[1]: 'fastest' is not a policy; choose from {', '.join(POLICIES)}",
        "seed: -1 must be 0 or more",
    ]
    with pytest.raises(ScenarioError) as caught:
        plan(REAL_ESTATE, "555-0100", ["service_level_20s>=0.8", "service_level_30s>=0.5"])
    assert caught.value.messages == [
        "targets: service levels within 20 s and 30 s; a plan uses one service-level "
        "threshold at a time"]
    with pytest.raises(ScenarioError) as caught:
        compare(REAL_ESTATE, ["regular", "fastest"])
    assert caught.value.messages == [
        f"policies[1]: 'fastest' is not a policy; choose from {', '.join(POLICIES)}"]
    with pytest.raises(ScenarioError, match=r"^size: a group needs at least 1 member"):
        resize_group(load_scenario(REAL_ESTATE), "555-0100", 0)


@pytest.mark.parametrize("run", [
    lambda **k: replicate(REAL_ESTATE, **k),
    lambda **k: compare(REAL_ESTATE, ["regular"], **k),
    lambda **k: plan(REAL_ESTATE, "555-0100", ["voicemail_rate<=0.1"], members=[2], **k),
    lambda **k: sweep(REAL_ESTATE, {"traffic": [1.0]}, **k),
], ids=["replicate", "compare", "plan", "sweep"])
def test_every_experiment_checks_its_settings_the_same_way(run):
    # one contract (ExperimentSettings): the same mistakes, the same messages, nothing run
    with pytest.raises(ScenarioError) as caught:
        run(replications=0, seed=-1, threshold_s=0, jobs=1)
    assert sorted(caught.value.messages) == [
        "replications: 0 must be a whole number of at least 1",
        "seed: -1 must be 0 or more",
        "threshold_s: 0 must be a number of seconds greater than 0",
    ]
    # a threshold written as in a scenario file is a mistake named, not a TypeError
    with pytest.raises(ScenarioError) as caught:
        run(replications=2, threshold_s="20s", jobs=1)
    assert caught.value.messages == [
        "threshold_s: '20s' must be a number of seconds greater than 0"]


def test_settings_and_execution_are_one_value_each():
    office = load_scenario(REAL_ESTATE)
    settings = ExperimentSettings.check(office, "circular", replications=np.int64(3), seed=5)
    assert settings == ExperimentSettings(("circular",), 3, 5, 20.0)
    assert settings.seeds() == replication_seeds(5, 3)
    with pytest.raises(ScenarioError, match=r"^policies\[1\]: 'fastest' is not a policy"):
        ExperimentSettings.check(office, ["regular", "fastest"])
    assert Execution(jobs=2).keywords() == {"jobs": 2, "scheduler": None, "progress": None,
                                           "store": None}


def test_plan_threshold_sets_the_service_level_metric():
    staffing = plan(REAL_ESTATE, "555-0100", ["service_level>=0.5"], members=[4],
                    replications=2, jobs=1, threshold_s=30)
    assert staffing.threshold_s == 30
    assert str(staffing.targets[0]) == "service_level_30s >= 0.5"
    assert staffing.targets[0].text() == "answered within 30 s >= 50 %"
    assert "service_level_30s" in set(staffing.curve["metric"])
    assert "erlang_c_service_level_30s" in staffing.erlang.columns


def test_experiments_use_the_scenario_seed_unless_given():
    office = loss_system(3, 2.0, hours=20)
    office["seed"] = 11
    assert compare(office, ["regular"], replications=2, jobs=1).seed == 11
    assert compare(office, ["regular"], replications=2, seed=4, jobs=1).seed == 4
    assert plan(office, "999", ["voicemail_rate<=0.5"], members=[3], replications=2,
                jobs=1).seed == 11
    assert replicate(office, replications=2, jobs=1).seed == 11
    del office["seed"]
    assert compare(office, ["regular"], replications=2, jobs=1).seed == 0


def test_resize_adds_members_from_defaults_and_drops_from_the_end():
    scenario = load_scenario(REAL_ESTATE)
    bigger = resize_group(scenario, "555-0100", 8)
    group = bigger.group("555-0100")
    assert len(group.members) == 8 and group.members[:6] == scenario.group("555-0100").members
    extra = bigger.agent(group.members[-1])
    assert extra.talk_time == scenario.agent_defaults.talk_time
    smaller = resize_group(scenario, "555-0100", 2)
    assert smaller.group("555-0100").members == ("555-0101", "555-0102")
    with pytest.raises(ScenarioError, match=r"^pilot: '555-0999' is not a pilot"):
        resize_group(scenario, "555-0999", 3)


@pytest.mark.parametrize(("load", "target"), [(5.0, 0.05), (3.0, 0.01)])
def test_plan_matches_erlang_b_in_the_loss_configuration(load, target):
    expected = erlang_b_members(load, target)
    staffing = plan(loss_system(expected, load, "circular", hours=300), "999",
                    [f"voicemail_rate<={target}"], members=range(expected - 2, expected + 3),
                    replications=6, seed=1, jobs=1)
    row = staffing.recommendation.iloc[0]
    assert row["members"] == expected
    assert staffing.erlang.set_index("members").loc[expected, "erlang_b_blocking"] <= target


def test_plan_matches_erlang_c_in_queue_mode():
    expected = erlang_c_members(10.0, 180, 0.85, 20)
    staffing = plan(loss_system(expected, 10.0, "uniform", hours=150, queue=True), "999",
                    ["service_level_20s>=0.85"], members=range(expected - 2, expected + 2),
                    replications=6, seed=1, jobs=1)
    assert staffing.recommendation.iloc[0]["members"] == expected


def test_plan_says_plainly_when_no_size_is_enough():
    staffing = plan(REAL_ESTATE, "555-0100", ["voicemail_rate<=0.0001"], members=[2, 3],
                    replications=2, jobs=1)
    row = staffing.recommendation.iloc[0]
    assert pd.isna(row["members"]) and "no size from 2 to 3 members" in row["note"]


def test_plan_takes_the_group_by_its_name_too():
    # issue 19: "plan --group takes the group's name too"
    by_pilot = plan(REAL_ESTATE, "555-0100", ["voicemail_rate<=0.3"], members=[2, 3],
                    replications=2, seed=4, jobs=1)
    by_name = plan(REAL_ESTATE, "main LINE", ["voicemail_rate<=0.3"], members=[2, 3],
                   replications=2, seed=4, jobs=1)
    assert by_name.group == "555-0100"
    pd.testing.assert_frame_equal(by_name.curve, by_pilot.curve)


def test_a_plan_of_one_replication_says_it_has_no_interval():
    # issue 19: with one replication, say that at least two are needed for intervals
    staffing = plan(REAL_ESTATE, "555-0100", ["voicemail_rate<=0.3"], members=[3],
                    replications=1, seed=4, jobs=1)
    assert any("at least two replications" in w for w in staffing.warnings)
