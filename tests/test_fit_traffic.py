"""Traffic rates from logs shorter than a week, whole-week fitted durations, and the
interval of the total (counted over seeded replications against a binomial bound)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import huntsim
from huntsim.fit.export import export_log
from huntsim.fit.traffic import days_text, hourly_rates, total_rate


def _office(duration: str) -> dict:
    return {"duration": duration, "start": "mon 00:00",
            "agents": [{"number": n, "talk_time": "2min"} for n in ("1", "2")],
            "hunt_groups": [{"pilot": "9", "members": ["1", "2"], "voicemail": True,
                             "arrivals": {"weekly": {"daily": {"09:00": "5/h",
                                                               "17:00": "0/h"}}}}]}


def _fit(tmp_path, duration: str) -> huntsim.Fit:
    path = export_log(huntsim.simulate(_office(duration), seed=3), "asterisk-queue-log",
                      tmp_path)
    return huntsim.fit(path, format="asterisk-queue-log")


def test_a_two_day_log_is_not_a_week(tmp_path):
    fitted = _fit(tmp_path, "2d")
    names = fitted.parameters["parameter"].tolist()
    assert not any("per week" in name for name in names), names
    total = fitted.parameters.set_index("parameter").loc[
        "pilot calls per mon-tue (other days unknown)"]
    assert total["unit"] == "calls/mon-tue"
    assert 0 <= total["low"] <= total["value"] <= total["high"]
    assert any("mon-tue observed; other weekdays unknown" in w for w in fitted.warnings)
    # rates per hour of the days seen; the other weekdays have none (not 0)
    traffic = fitted.traffic
    unseen = traffic[~traffic["day"].isin(["mon", "tue"])]
    assert (unseen["hours"] == 0).all() and unseen["rate_per_h"].isna().all()
    # the fitted office runs over the days the log saw, not a week
    assert fitted.mapping["duration"] == "2d" and fitted.mapping["start"] == "mon 00:00"
    assert set(fitted.mapping["hunt_groups"][0]["arrivals"]["weekly"]) == {"mon", "tue"}


def test_fitted_duration_is_whole_weeks(tmp_path):
    fitted = _fit(tmp_path, "10d")  # every weekday seen, three of them twice
    assert fitted.mapping["duration"] == "1w"
    assert "pilot calls per week" in fitted.parameters["parameter"].tolist()
    assert not any("weekdays unknown" in w for w in fitted.warnings)


def test_days_text():
    assert days_text([0, 1]) == "mon-tue"
    assert days_text([4, 5, 6, 0]) == "mon, fri-sun"
    assert days_text([2]) == "wed"
    assert days_text(range(7)) == "week"


@pytest.mark.parametrize(("days", "per"), [(10, "week"), (3, "mon-wed")])
def test_total_rate_interval_covers_the_truth(days, per):
    # a log of 10 days has two Mondays to Wednesdays and one of each other day: each hour's
    # rate has its own exposure; the interval of their sum covers the true total at 95 %
    start = pd.Timestamp("2024-01-01")
    hours = pd.date_range(start, start + pd.Timedelta(days=days), freq="h", inclusive="left")
    truth_per_h = np.where((hours.hour >= 9) & (hours.hour < 17), 0.5, 0.02)
    seen_week = pd.Series(truth_per_h, index=hours.day_of_week * 24 + hours.hour)
    truth = float(seen_week.groupby(level=0).first().sum())
    replications, covered = 400, 0
    for seed in range(replications):
        rng = np.random.default_rng(seed)
        counts = rng.poisson(truth_per_h)
        times = pd.Series(np.repeat(hours, counts) + pd.Timedelta(minutes=30))
        week = total_rate(hourly_rates(times, start, start + pd.Timedelta(days=days)))
        assert week["per"] == per and week["complete"] == (per == "week")
        assert 0 <= week["low"] <= week["high"]
        covered += week["low"] <= truth <= week["high"]
    assert covered >= stats.binom.ppf(0.001, replications, 0.95), covered
    assert covered <= stats.binom.ppf(0.999, replications, 0.95), covered


def test_no_calls_gives_an_interval_from_zero():
    start = pd.Timestamp("2024-01-01")
    week = total_rate(hourly_rates(pd.Series(pd.to_datetime([])), start,
                                   start + pd.Timedelta(days=14)))
    assert week["per_week"] == 0 and week["low"] == 0
    assert week["high"] == pytest.approx(-np.log(0.025) / 2)  # 0 calls in 2 of each hour
    few = total_rate(hourly_rates(pd.Series(pd.to_datetime(["2024-01-01 09:00"])), start,
                                  start + pd.Timedelta(days=1)))
    assert few["low"] >= 0 and few["per"] == "mon"
