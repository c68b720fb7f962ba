"""The metric catalog: every column users see is defined, and figures read well."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from helpers import office

import huntsim
from huntsim.analysis import catalog
from huntsim.analysis.catalog import FLOWS, KINDS, METRICS, OUTCOMES, TARGET_METRICS, label, metric
from huntsim.analysis.formatting import format_half_width, format_value, plus_minus_note
from huntsim.analysis.metrics import fairness, group_metrics, summarize


def _result() -> huntsim.Result:
    data = office(trace=[float(t) for t in range(0, 600, 20)],
                  agents={"A": {"direct_calls": {"trace": [5.0, 300.0]}}}, duration=700)
    return huntsim.simulate(huntsim.load_scenario(data), seed=1)


def _columns_of_tables() -> set[str]:
    result = _result()
    assert result.calls is not None and result.offers is not None
    columns = set(result.summary().columns) | set(result.summary(30).columns)
    columns |= set(result.agents.columns) - {"agent", "name", "group"}
    loads = fairness([1.0, 2.0])
    columns |= set(group_metrics(result.calls, result.offers, [1.0, 2.0], "PILOT", 700.0,
                                 6.0).index)
    columns |= set(loads.index)
    return columns


def test_every_column_of_the_result_tables_is_defined() -> None:
    for column in _columns_of_tables():
        defined = metric(column)
        assert defined.kind in KINDS
        assert defined.definition.endswith(".")
        assert defined.label and not defined.label[0].islower()


@pytest.mark.parametrize("name", [
    "callers", "attempts_per_caller", "callers_answered_rate", "forwarded_rate",
    "forwarded_in", "forwarded_away", "rings_per_call", "jain_index", "load_cv", "certain",
    *(f"first_attempt_{o}_rate" for o in OUTCOMES),
])
def test_columns_of_redials_forwarding_and_plans_are_defined(name: str) -> None:
    assert metric(name).name == name


def test_every_target_metric_is_defined_and_has_a_direction() -> None:
    for name in TARGET_METRICS:
        assert name in METRICS
    assert metric("voicemail_rate").higher_is_better is False
    assert metric("service_level_20s").higher_is_better is True
    assert metric("jain_index").higher_is_better is True


@pytest.mark.parametrize(("name", "expected"), [
    ("service_level_45s", "Answered within 45 s (% of calls)"),
    ("service_level_7.5s", "Answered within 7.5 s (% of calls)"),
    ("p80_wait_s", "80th percentile wait to answer (s)"),
    ("first_attempt_busy_rate", "Busy signal on the first attempt (% of callers)"),
    ("voicemail_rate", "Voicemail (% of calls)"),
    ("not_a_column", "not_a_column"),
])
def test_labels_carry_their_units(name: str, expected: str) -> None:
    assert label(name) == expected


@pytest.mark.parametrize(("typo", "meant"), [
    ("voicemail_rte", "voicemail_rate"), ("jain", "jain_index"),
    ("abandon_rate", "abandoned_rate"), ("mean_wait", "mean_wait_s"),
])
def test_unknown_names_get_a_suggestion(typo: str, meant: str) -> None:
    with pytest.raises(ValueError, match=f"did you mean .*'{meant}'"):
        metric(typo)


def test_a_name_nothing_like_a_metric_lists_the_choices() -> None:
    with pytest.raises(ValueError, match="choose from answered_rate, voicemail_rate"):
        metric("xyzzy")


@pytest.mark.parametrize(("name", "value", "half", "expected"), [
    ("voicemail_rate", 0.042, None, "4.2 %"),
    ("voicemail_rate", 0.042, 0.0031, "4.2 ± 0.3 %"),
    ("voicemail_rate", 0.042, math.nan, "4.2 %"),
    ("offered", 746.0, None, "746"),
    ("offered", 50974.43, None, "50,974"),
    ("mean_wait_s", 12.34, None, "12.3 s"),
    ("mean_wait_s", 9.66, 0.04, "9.66 ± 0.04 s"),
    ("talk_s", 850.0, None, "14:10 min:s"),
    ("talk_s", 850.0, 4.2, "14:10 min:s ± 4 s"),
    ("talk_s", 850.0, 75.0, "14:10 ± 1:15 min:s"),
    ("talk_s", 50974.43, None, "14:09:34 h:min:s"),
    ("jain_index", 0.8591, 0.0041, "0.859 ± 0.004"),
    ("offers_per_call", 1.834, None, "1.83 offers/call"),
    ("max_min_ratio", math.inf, None, "∞"),
    ("certain", True, None, "yes"),
    ("answered_rate", math.nan, 0.1, "-"),
    ("answered_rate", None, None, "-"),
])
def test_format_value(name: str, value: float | None, half: float | None,
                      expected: str) -> None:
    assert format_value(name, value, half) == expected


def test_no_figure_shows_nan_or_raw_fractions() -> None:
    summary = _result().summary()
    assert "direct calls" in summary.index
    for column in summary.columns:
        for value in summary[column]:
            text = format_value(column, value, math.nan)
            assert "nan" not in text.lower()
            assert "±" not in text
            if metric(column).kind == "rate" and not pd.isna(value):
                assert text.endswith(" %")


def test_half_width_alone_and_the_note() -> None:
    assert format_half_width("mean_wait_s", 0.25) == "± 0.25 s"
    assert format_half_width("mean_wait_s", math.inf) == ""
    assert "over 12 replications" in plus_minus_note(12)
    assert "95 %" in plus_minus_note(12)


def test_a_summary_renders_through_the_catalog() -> None:
    calls = pd.DataFrame({"call_id": [0, 1], "kind": "pilot", "group": "100",
                          "outcome": ["answered", "voicemail"], "wait_s": [3.0, math.nan],
                          "offers": [1, 2], "arrival_s": [0.0, 1.0]})
    summary = summarize(calls, 20.0, ["100"])
    assert [format_value(c, summary.loc["100", c]) for c in ("offered", "voicemail_rate")] \
        == ["2", "50.0 %"]


def test_every_shown_set_names_known_metrics() -> None:
    shown = {name: value for name, value in vars(catalog).items()
             if "_METRICS" in name and isinstance(value, tuple)}
    assert len(shown) >= 12
    for name, metrics in [*shown.items(), ("key_metrics", catalog.key_metrics(20.0))]:
        for m in metrics:
            metric(m)  # raises for a name the catalog does not know
        assert len(set(metrics)) == len(metrics), name


def test_outcomes_and_caller_ends_have_one_label_each() -> None:
    assert [catalog.outcome_label(o) for o in OUTCOMES] == [
        metric(f"{o}_rate").label for o in OUTCOMES]
    assert list(FLOWS)[3:] == list(OUTCOMES[1:])  # the unanswered ends are the outcomes


def test_the_verdict_judges_the_catalogs_key_metrics() -> None:
    from huntsim.experiments import verdict

    for threshold in (20.0, 12.5):
        assert verdict.key_metrics(threshold) == catalog.key_metrics(threshold)
    assert catalog.service_level_name(12.5) == "service_level_12.5s"
