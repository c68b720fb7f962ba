"""The estimators behind the fit, on data with a known answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import huntsim
from huntsim.fit.export import export_log
from huntsim.fit.members import answering, presence_table, schedule_windows
from huntsim.fit.times import fit_patience, fit_times
from huntsim.fit.traffic import hourly_rates, weekly_form


@pytest.mark.parametrize(("draw", "family"), [
    (lambda rng: rng.exponential(120, 3000), "exponential"),
    (lambda rng: rng.lognormal(5, 0.7, 3000), "lognormal"),
    (lambda rng: rng.gamma(4, 30, 3000), "gamma"),
    # two kinds of call (quick questions and long bookings): no family fits, KS rejects
    (lambda rng: np.r_[rng.normal(30, 3, 1500), rng.normal(600, 30, 1500)], "empirical"),
])
def test_talk_time_family_by_aic_with_ks_check(draw, family):
    values = draw(np.random.default_rng(5))
    fit = fit_times(values)
    assert fit.chosen == family
    assert fit.low <= values.mean() <= fit.high
    if family == "empirical":
        assert len(fit.spec["values"]) == 100
        assert huntsim.load_scenario({"duration": "1h", "agents": [
            {"number": "1", "talk_time": fit.spec}]}).agents[0].talk_time.mean == \
            pytest.approx(values.mean(), rel=0.05)


def test_patience_uses_the_censored_callers():
    rng = np.random.default_rng(8)
    patience, service = rng.exponential(120, 5000), rng.exponential(40, 5000)
    waits, abandoned = np.minimum(patience, service), patience < service
    fit = fit_patience(waits, abandoned, confidence=0.999)
    assert fit.low <= 120 <= fit.high
    assert fit.naive_mean < 50  # the abandons alone: about 30 s, four times too short
    km = fit.km
    at_60 = km.loc[km["time"] <= 60, "survival"].iloc[-1]
    assert abs(at_60 - np.exp(-60 / 120)) < 4 * km.loc[km["time"] <= 60, "se"].iloc[-1]
    with pytest.raises(ValueError, match="no caller hung up"):
        fit_patience([1.0, 2.0], [False, False])


def test_answer_probability_counts_cut_short_rings_as_censored():
    # member A: picks up 80 % of rings within the 18 s time-out, at 5 s; half of the
    # rings are cut short at 2 s (before A could answer): they tell nothing either way
    rows = ([("c", "A", 5.0, "answered")] * 400 + [("c", "A", 18.0, "no_answer")] * 100
            + [("c", "A", 2.0, "cancelled")] * 500)
    rings = pd.DataFrame(rows, columns=["call_id", "agent", "ring_s", "result"])
    rings["end"] = pd.Timestamp("2024-01-01")
    table = answering(rings, ["A", "B"], timeout=18.0, min_rings=20).set_index("agent")
    assert table.loc["A", "p"] == pytest.approx(0.8)
    assert table.loc["A", "p_low"] < 0.8 < table.loc["A", "p_high"]
    assert bool(table.loc["B", "pooled"]) and table.loc["B", "p"] == pytest.approx(0.8)


def test_presence_before_the_first_event_and_schedule_windows():
    start, end = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-15")  # two Mondays ...
    events = []
    for day in range(14):
        date = start + pd.Timedelta(days=day)
        if date.weekday() < 5:  # logged in 09:00-17:00 on weekdays, lunch 12:00-13:00
            events += [("A", date + pd.Timedelta(hours=9), "login", ""),
                       ("A", date + pd.Timedelta(hours=12), "logout", ""),
                       ("A", date + pd.Timedelta(hours=13), "login", ""),
                       ("A", date + pd.Timedelta(hours=17), "logout", "")]
    presence = pd.DataFrame(events, columns=["agent", "time", "event", "reason"])
    stretches = presence_table(presence, "A", start, end)
    assert stretches.iloc[0]["start"] == start  # first event a log-in: logged out before
    windows = schedule_windows(stretches, start, end)
    assert huntsim.Calendar(windows) == huntsim.Calendar(["mon-fri 09:00-12:00",
                                                          "mon-fri 13:00-17:00"])
    first_out = presence[presence["event"] == "logout"].iloc[:1]
    assert presence_table(first_out, "A", start, end).iloc[0]["start"] == first_out.iloc[0, 1]


def test_weekly_form_from_hourly_rates():
    times = pd.Series(pd.to_datetime(["2024-01-01 09:15"] * 4 + ["2024-01-02 10:30"] * 2))
    table = hourly_rates(times, pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-15"))
    assert weekly_form(table) == {"mon": {"09:00": "2/h", "10:00": "0/h"},
                                  "tue": {"10:00": "1/h", "11:00": "0/h"}}
    row = table[(table["day"] == "mon") & (table["hour"] == 9)].iloc[0]
    assert row["low"] == pytest.approx(stats.chi2.ppf(0.025, 8) / 4)


def test_simultaneous_ring_is_read_from_the_log(tmp_path):
    # Asterisk logs nothing for the phones an answer stopped, so the evidence is the calls
    # nobody answered: every member's RINGNOANSWER at the same instant (hence pick-ups < 1)
    office = {"duration": "1w", "agents": [{"number": n, "talk_time": "2min",
                                             "answer_probability": 0.6,
                                             "answer_delay": {"dist": "uniform", "low": "1s",
                                                              "high": "9s"}}
                                            for n in ("1", "2", "3")],
              "hunt_groups": [{"pilot": "9", "policy": "simultaneous", "members": ["1", "2", "3"],
                               "voicemail": True, "arrivals": {"rate": "6/h"}}]}
    path = export_log(huntsim.simulate(office, seed=2), "asterisk-queue-log", tmp_path)
    fit = huntsim.fit(path, format="asterisk-queue-log")
    settings = fit.settings.set_index("setting")
    assert settings.loc["policy", "value"] == "simultaneous"
    assert settings.loc["policy", "source"].startswith("read from the log")
