"""Round trip of every shipped scenario through every export format (issue 20).

Each scenario in ``scenarios/`` is simulated (over a shorter period where the
file's own is long: see ``DURATION``), exported as ``queue_log``, ``Master.csv``
and the generic csv, and fitted again with 99.9 % intervals. The true values
must lie in the fitted intervals:

- **traffic**: the pilot's calls per week (or per the weekdays seen), against the
  expected first calls of the arrival stream in the hours the log covers (the
  open hours only for ``queue_log``: calls after hours never enter the queue);
- **answer probability** (``queue_log`` only, the one format with rings): the
  member's ``answer_probability`` times the chance that the pick-up delay falls
  within the ring time-out; the CDR and csv fits must not claim one;
- **talk time**: each member's mean (or, pooled, the mean over the answered calls);
- **patience**, where the scenario has one and callers hung up: the mean patience
  counted up to the longest wait seen (what the log identifies), and the mean
  itself unless the fit warns that it is an extrapolation.

The full grid is slow (``-m slow``); one case runs by default.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import huntsim
from huntsim.analysis.expected_traffic import _expected_by
from huntsim.fit.export import export_log, origin_epoch

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
FORMATS = ("asterisk-queue-log", "asterisk-cdr-csv", "csv")
HOUR, WEEK = 3600.0, 7 * 86400.0
DURATION = {"call_centre_queue": 8 * HOUR, "erlang_b": 8 * HOUR, "clinic": 2 * WEEK,
            "real_estate": 2 * WEEK, "real_estate_overflow": 2 * WEEK}
"""Shorter runs than the files' own (kept modest); the others run as written."""
SEED = 7
CONFIDENCE = 0.999


@functools.cache
def _office(name: str) -> huntsim.Scenario:
    scenario = huntsim.load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    # every call of the run is in the log (no warm-up)
    return scenario.model_copy(update={"duration": DURATION.get(name, scenario.duration),
                                       "warmup": 0.0})


@functools.cache
def _run(name: str) -> huntsim.Result:
    return huntsim.simulate(_office(name), seed=SEED)


def _fit(name: str, fmt: str, out: Path) -> Any:
    result = _run(name)
    pilot = result.scenario.hunt_groups[0].pilot
    path = export_log(result, fmt, out)
    where = {"queue": pilot} if fmt == "asterisk-queue-log" else {"pilot": pilot}
    if fmt == "csv":
        where["columns"] = out / "calls_log_columns.yaml"
    return huntsim.fit(path, format=fmt, confidence=CONFIDENCE, seed=1, **where)


def _share_within(dist: Any, limit: float) -> float:
    """P(dist <= limit), from the distribution's quantiles."""
    if dist is None:
        return 1.0
    u = (np.arange(20_000) + 0.5) / 20_000
    return float(np.mean(np.asarray(dist.quantile(u), dtype=float) <= limit))


def _restricted_mean(dist: Any, horizon: float) -> float:
    u = (np.arange(200_000) + 0.5) / 200_000
    return float(np.mean(np.minimum(np.asarray(dist.quantile(u), dtype=float), horizon)))


def _rung_while_away(result: huntsim.Result, member: str) -> float:
    """The share of the member's rings that came while away but still rung (an
    absence without ``skipped``: the phone rings, nobody answers). Asterisk has no
    such state (a paused member is not rung): the log shows rings let ring out."""
    away = result.scenario.agent(member).away
    if away is None or away.skipped or result.absences is None:
        return 0.0
    offers = result.offers[result.offers["agent"].astype(str) == member]
    gone = result.absences[(result.absences["agent"].astype(str) == member)
                           & (result.absences["reason"] == "away")]
    starts = offers["start_s"].to_numpy(dtype=float)
    inside = np.zeros(len(starts), dtype=bool)
    for a, b in zip(gone["start_s"], gone["end_s"], strict=True):
        inside |= (starts >= a) & (starts < b)
    return float(inside.mean()) if len(starts) else 0.0


def _true_traffic(result: huntsim.Result, fit: Any, fmt: str) -> float:
    """Expected first calls of the pilot per hour of the week the log shows, summed over the
    hours of the week (each divided by the days of its weekday the log covers)."""
    scenario = result.scenario
    group = scenario.hunt_groups[0]
    hours = math.ceil(scenario.duration / 3600)
    edges = np.minimum(np.arange(hours + 1) * 3600.0, scenario.duration)
    expected = np.diff(_expected_by(group.arrivals, edges))
    if fmt == "asterisk-queue-log" and group.open is not None:  # after hours: not in the queue
        opened = np.array([group.open.open_seconds(scenario.start, t) for t in edges])
        expected = expected * np.diff(opened) / np.maximum(np.diff(edges), 1e-9)
    epoch0 = origin_epoch(result)
    local = pd.to_datetime(epoch0 + edges[:-1], unit="s")
    days = pd.date_range(fit.log.start, fit.log.end, freq="D", inclusive="left")
    per_weekday = pd.Series(days.day_of_week).value_counts()
    seen = set(fit.log.calls.loc[fit.log.calls["kind"] == "pilot", "arrival"].dt.day_of_week)
    slot = pd.DataFrame({"weekday": local.day_of_week, "hour": local.hour, "expected": expected})
    slot = slot[slot["weekday"].isin(seen)]
    return float((slot["expected"] / slot["weekday"].map(per_weekday)).sum())


def _checks(name: str, fmt: str, fit: Any) -> tuple[list[str], list[str]]:
    """(misses, notes): each true value outside its interval, and what the fit could not show."""
    result = _run(name)
    scenario = result.scenario
    group = scenario.hunt_groups[0]
    params = fit.parameters
    misses: list[str] = []
    notes: list[str] = []

    def check(parameter: str, scope: str, truth: float) -> None:
        rows = params[(params["parameter"] == parameter) & (params["scope"] == scope)]
        if not len(rows):
            notes.append(f"{parameter} ({scope}) not fitted")
            return
        row = rows.iloc[0]
        if not row["low"] <= truth <= row["high"]:
            misses.append(f"{parameter} ({scope}): truth {truth:.4g} outside "
                          f"[{row['low']:.4g}, {row['high']:.4g}] (fitted {row['value']:.4g})")

    traffic = params[params["parameter"].str.startswith("pilot calls per")
                     & (params["scope"] == group.pilot)]
    assert len(traffic) == 1, params
    check(str(traffic["parameter"].iloc[0]), group.pilot, _true_traffic(result, fit, fmt))

    calls = result.calls
    answered = calls[(calls["kind"] == "pilot") & (calls["outcome"] == "answered")
                     & (calls["dialed"].astype(str) == group.pilot)]
    if fmt == "asterisk-queue-log":  # a call answered in the queue it overflowed to is there
        answered = answered[answered["agent"].astype(str).isin(group.members)]
    talk_rows = params[params["parameter"] == "mean talk time"]
    for scope in talk_rows["scope"]:
        if scope == "group":
            counts = answered["agent"].astype(str).value_counts()
            truth = sum(n * scenario.agent(a).talk_time.mean for a, n in counts.items()) \
                / counts.sum()
        else:
            truth = scenario.agent(str(scope)).talk_time.mean
        check("mean talk time", str(scope), truth)
    if not len(talk_rows):
        notes.append("talk time not fitted")

    if fmt == "asterisk-queue-log":
        timeout = scenario.timeout_s(group)
        for member in group.members:
            agent = scenario.agent(member)
            truth = agent.answer_probability * _share_within(agent.answer_delay, timeout)
            check("answer probability", member, truth * (1 - _rung_while_away(result, member)))
    else:
        assert "answer probability" not in set(params["parameter"]), \
            f"{fmt} has no rings, yet the fit gives answer probabilities"
        notes.append("answer probability: not in a log without rings (the fit says so)")

    patience = scenario.caller_patience
    if patience is None:
        notes.append("no caller patience in the scenario")
    elif fit.patience is None:
        assert any("patience" in w for w in fit.warnings), fit.warnings
        notes.append("patience: too few hang-ups (the fit says so)")
    else:
        horizon = float(fit.patience.horizon)
        check(f"mean patience counted up to {horizon:.0f} s", group.pilot,
              _restricted_mean(patience, horizon))
        if any("extrapolation" in w for w in fit.warnings):
            notes.append("mean patience: an extrapolation (the fit warns)")
        else:
            check("mean caller patience", group.pilot, patience.mean)
    return misses, notes


KNOWN_MISSES: dict[tuple[str, str], str] = {}
"""Cases that miss for a reason outside export and readers (seed 7); strict, so a fix shows."""

GRID = [pytest.param(name, fmt, marks=[pytest.mark.slow] + (
    [pytest.mark.xfail(reason=KNOWN_MISSES[(name, fmt)], strict=True)]
    if (name, fmt) in KNOWN_MISSES else [])) for name in SCENARIOS for fmt in FORMATS]


@pytest.mark.parametrize(("name", "fmt"), GRID)
def test_every_scenario_round_trips_through_every_format(name, fmt, tmp_path):
    fit = _fit(name, fmt, tmp_path)
    misses, _ = _checks(name, fmt, fit)
    assert not misses, f"{name} via {fmt}: " + "; ".join(misses)


def test_front_desk_round_trips_through_queue_log(tmp_path):
    """The fast case: a ring-all front desk through queue_log (no RINGCANCELED for
    phones another member's answer stopped: the answer probabilities must still hold)."""
    fit = _fit("front_desk_simultaneous", "asterisk-queue-log", tmp_path)
    misses, _ = _checks("front_desk_simultaneous", "asterisk-queue-log", fit)
    assert not misses, "; ".join(misses)


def grid_table() -> str:
    """Every case's misses and notes (``python tests/test_fit_roundtrip_all.py``)."""
    import tempfile

    lines = []
    for name in SCENARIOS:
        for fmt in FORMATS:
            with tempfile.TemporaryDirectory() as out:
                try:
                    misses, notes = _checks(name, fmt, _fit(name, fmt, Path(out)))
                except Exception as error:  # a table of every case
                    misses, notes = [f"error: {error!r}"], []
            lines.append(f"{name} / {fmt}: {'ok' if not misses else 'MISS'}")
            lines += [f"    miss: {m}" for m in misses] + [f"    note: {n}" for n in notes]
    return "\n".join(lines)


if __name__ == "__main__":
    print(grid_table())
