"""The verdict of a comparison: baseline, judgements from paired intervals, wording."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from helpers import office

from huntsim import load_scenario
from huntsim.experiments.comparison import Comparison
from huntsim.experiments.verdict import (
    BETTER,
    NEGLIGIBLE_DIFFERENCE,
    NO_DIFFERENCE,
    WORSE,
    conclude,
    key_metrics,
)

REPLICATIONS = 8
BASE = {"service_level_20s": 0.80, "voicemail_rate": 0.10, "abandoned_rate": 0.02,
        "mean_wait_s": 9.0, "jain_index": 0.9, "offered": 400.0}

Shift = Callable[[str, int], float]


def _comparison(policies: tuple[str, ...], shifts: dict[str, dict[str, float]],
                configured: str = "circular", offered: float = 400.0) -> Comparison:
    """A comparison whose runs share replication noise; ``shifts`` move a policy's metric."""
    scenario = load_scenario(office(policy=configured))
    noise = np.random.default_rng(7).normal(0.0, 1.0, REPLICATIONS)
    rows = []
    for policy in policies:
        for name, value in {**BASE, "offered": offered}.items():
            for i in range(REPLICATIONS):
                common = 0.0 if name == "offered" else 0.01 * value * noise[i]
                rows.append((policy, i, "PILOT", name,
                             value + common + shifts.get(policy, {}).get(name, 0.0)
                             + 1e-4 * value * ((i * 7 + len(policy)) % 3 - 1)))
    raw = pd.DataFrame(rows, columns=["policy", "replication", "group", "metric", "value"])
    empty = pd.DataFrame()
    return Comparison(scenario, policies, policies[0], REPLICATIONS, 1, 20.0,
                      table=empty, differences=empty, members=empty, waits=empty,
                      hourly=empty, raw=raw)


def test_the_baseline_is_the_configured_policy_not_the_first() -> None:
    verdict = conclude(_comparison(("regular", "circular"), {}, configured="circular"))
    assert verdict.baseline == "circular"
    assert verdict.baseline_reason == "configured"
    assert verdict.lines()[0].startswith("Baseline: Circular (the group's configured policy)")


def test_without_the_configured_policy_the_first_is_the_baseline() -> None:
    verdict = conclude(_comparison(("uniform", "regular"), {}, configured="circular"))
    assert verdict.baseline == "uniform"
    assert "configured policy was not run" in verdict.lines()[0]


def test_ties_are_no_significant_difference_and_claim_no_winner() -> None:
    verdict = conclude(_comparison(("circular", "regular", "uniform"), {}))
    judged = verdict.table[verdict.table["policy"] != "circular"]
    assert set(judged["judgement"]) == {NO_DIFFERENCE}
    assert not verdict.table["best"].any()
    assert verdict.recommended is None
    text = " ".join(verdict.lines())
    assert "no significant difference on any key metric" in text
    assert "most" not in text
    assert "keep Circular" in text


def test_one_policy_has_nothing_to_compare() -> None:
    verdict = conclude(_comparison(("regular",), {}, configured="regular"))
    assert verdict.lines() == ["Only Regular was simulated: there is nothing to compare it "
                               "with."]
    assert verdict.recommended is None


def test_no_calls_has_nothing_to_compare() -> None:
    verdict = conclude(_comparison(("circular", "regular"), {}, offered=0.0))
    assert verdict.lines() == ["No pilot calls reached PILOT: there is nothing to compare."]


def test_a_policy_better_on_one_metric_and_worse_on_none_is_recommended() -> None:
    verdict = conclude(_comparison(("circular", "uniform"),
                                   {"uniform": {"mean_wait_s": -1.5}}))
    assert verdict.judgement("uniform", "mean_wait_s") == BETTER
    assert verdict.recommended == "uniform"
    assert verdict.lines()[-1].startswith("Recommendation: Uniform, better than Circular on "
                                          "mean wait")


def test_direction_comes_from_the_catalog() -> None:
    worse = {"voicemail_rate": 0.02, "jain_index": -0.1, "service_level_20s": -0.05}
    verdict = conclude(_comparison(("circular", "regular"), {"regular": worse}))
    assert {verdict.judgement("regular", m) for m in worse} == {WORSE}
    assert verdict.recommended is None


def test_trade_offs_are_named_and_the_configured_policy_kept() -> None:
    shifts = {"simultaneous": {"service_level_20s": 0.06, "voicemail_rate": 0.015}}
    verdict = conclude(_comparison(("regular", "circular", "simultaneous"), shifts))
    assert verdict.recommended is None
    assert len(verdict.trade_offs) == 1
    trade = verdict.trade_offs[0]
    assert trade.startswith("Trade-off: Simultaneous is better than Circular on answered "
                            "within 20 s, but worse on voicemail (+1.5")
    assert "points" in trade


def test_the_best_policy_must_beat_every_other() -> None:
    shifts = {"simultaneous": {"mean_wait_s": -3.0}, "uniform": {"mean_wait_s": -2.9}}
    verdict = conclude(_comparison(("circular", "simultaneous", "uniform"), shifts))
    best = verdict.table[verdict.table["best"]]
    assert best[["policy", "metric"]].values.tolist() == [["simultaneous", "mean_wait_s"]]


def test_the_table_has_every_policy_and_key_metric() -> None:
    verdict = conclude(_comparison(("circular", "regular"), {}))
    assert len(verdict.table) == 2 * len(key_metrics(20.0))
    assert verdict.table["label"].str.contains(r"\(").any()


def test_an_unknown_group_is_refused() -> None:
    with pytest.raises(ValueError, match=r"group \(='555'\) is not a pilot"):
        conclude(_comparison(("circular",), {}), group="555")


def test_a_negligible_significant_difference_makes_no_trade_off() -> None:
    shifts = {"uniform": {"mean_wait_s": 0.02, "jain_index": 0.002}}
    verdict = conclude(_comparison(("circular", "uniform"), shifts))
    # significant but tiny: judged negligible (issue 19; was "worse" with a flag beside it)
    assert verdict.judgement("uniform", "mean_wait_s") == NEGLIGIBLE_DIFFERENCE
    rows = verdict.table.set_index(["policy", "metric"])
    assert rows.loc[("uniform", "mean_wait_s"), "negligible"]  # ...but tiny
    assert verdict.trade_offs == () and verdict.recommended is None
    # said once: "a negligible difference in mean wait (+0.02 ...)", not "(..., negligible)"
    # again inside (trial-acd2 8)
    assert "a negligible difference in" in verdict.lines()[1]
    assert verdict.lines()[1].count("negligible") == 1
    assert "no policy is significantly better" in verdict.lines()[-1]
    # no star for a best by a negligible amount, in the table or its views
    assert not rows.loc[("uniform", "jain_index"), "best"]
    assert not verdict.table["best"].any()


def test_the_forest_plot_greys_a_negligible_difference() -> None:
    from huntsim.views.plots import plot_differences

    diffs = pd.DataFrame({"policy": ["circular", "uniform"], "baseline": "regular",
                          "metric": "voicemail_rate", "mean": [0.0005, 0.02],
                          "ci_low": [0.0002, 0.01], "ci_high": [0.0008, 0.03]})
    ax = plot_differences(diffs, "voicemail_rate")
    colours = [line.get_color() for line in ax.get_lines()[:4:2]]
    assert colours == ["#7f7f7f", "#c0392b"]  # negligible grey, a real loss red


def test_one_replication_draws_no_verdict():
    # issue 19: with one replication there is no interval, so no policy is judged
    from huntsim import compare

    comparison = compare("scenarios/front_desk_simultaneous.yaml", ["regular", "simultaneous"],
                         replications=1, seed=1, jobs=1)
    verdict = comparison.verdict()
    assert verdict.recommended is None and verdict.trade_offs == ()
    assert "at least two replications" in (verdict.note or "")
    judged = verdict.table.loc[verdict.table["policy"] != verdict.baseline, "judgement"]
    assert set(judged) == {"no interval (one replication)"}
    assert "at least two replications" in comparison.headline()
