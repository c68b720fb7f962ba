"""Round trip of a line with call waiting (``ringinuse``): simulate, export, fit.

queue_log marks no call waiting: a ring to a member on a call is an ordinary ring. The
fit reads the rings that began while their member was on another call (``CONNECT`` to
``COMPLETE*``) as call waiting: out of the members' answer probability, and fitted as
``call_waiting_answer``. The fit is made with 99.9 % intervals, so a correct fitter
fails a given check about once in a thousand runs (trial-acd2 finding 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import huntsim
from huntsim.fit import waiting
from huntsim.fit.export import export_log

TRUE_ANSWER, TRUE_WAITING, TRUE_TALK = 0.95, 0.3, 240.0
TRUTH = {
    "name": "billing only", "duration": "2w", "seed": 3,
    "caller_patience": {"dist": "exponential", "mean": "3min"},
    "agent_defaults": {"answer_probability": TRUE_ANSWER,
                       "answer_delay": {"dist": "uniform", "low": "2s", "high": "8s"},
                       "talk_time": {"dist": "exponential", "mean": f"{TRUE_TALK:g}s"}},
    "agents": [{"number": n} for n in ("521", "522", "523")],
    "hunt_groups": [{
        "pilot": "520", "policy": "circular", "members": ["521", "522", "523"],
        "call_waiting": True, "call_waiting_answer": TRUE_WAITING,
        "when_all_busy": "voicemail", "voicemail": True,
        "arrivals": {"weekly": {"mon-fri": {"08:00": "30/h", "18:00": "0/h"}}},
    }],
}


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cw")
    return export_log(huntsim.simulate(TRUTH, seed=3), "asterisk-queue-log", out)


@pytest.fixture(scope="module")
def fitted(log: Path) -> huntsim.Fit:
    return huntsim.fit(log, format="asterisk-queue-log", confidence=0.999, replications=0)


def _row(fitted: huntsim.Fit, parameter: str, scope: str) -> tuple[float, float]:
    p = fitted.parameters
    row = p[(p["parameter"] == parameter) & (p["scope"] == scope)].iloc[0]
    return float(row["low"]), float(row["high"])


@pytest.mark.parametrize("member", ["521", "522", "523"])
def test_answer_probability_leaves_call_waiting_out(fitted: huntsim.Fit, member: str) -> None:
    low, high = _row(fitted, "answer probability", member)
    assert low <= TRUE_ANSWER <= high, (member, low, high)


def test_call_waiting_fitted(fitted: huntsim.Fit) -> None:
    group = fitted.scenario.hunt_groups[0]
    assert group.call_waiting
    low, high = _row(fitted, "call waiting picked up (share of rings)", "520")
    assert low <= TRUE_WAITING <= high, (low, high)
    assert low <= group.call_waiting_answer <= high


def test_no_false_rounds_and_talk_without_holds(fitted: huntsim.Fit) -> None:
    assert not [w for w in fitted.warnings if "(rounds)" in w], fitted.warnings
    low, high = _row(fitted, "mean talk time", "group")
    assert low <= TRUE_TALK <= high, (low, high)


def test_not_in_log_names_call_waiting(fitted: huntsim.Fit) -> None:
    items = fitted.not_in_log.set_index("item")
    assert int(items.loc["call waiting (rings to members on a call)", "seen"]) >= 20


def test_a_ring_all_policy_gets_no_call_waiting_and_a_warning(log: Path) -> None:
    fitted = huntsim.fit(log, format="asterisk-queue-log", policy="simultaneous",
                         replications=0)
    assert not fitted.scenario.hunt_groups[0].call_waiting
    said = [w for w in fitted.warnings if "already on a call" in w]
    assert said and "simultaneous" in said[0] and "left out of the members' answer" in said[0]


def test_too_few_call_waitings_are_said_not_fitted(log: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(waiting, "MIN_WAITING_RINGS", 10**6)
    fitted = huntsim.fit(log, format="asterisk-queue-log", replications=0)
    assert not fitted.scenario.hunt_groups[0].call_waiting
    said = [w for w in fitted.warnings if "already on a call" in w]
    assert said and "too few to fit call waiting" in said[0]
    # still out of the answer probability
    assert _row(fitted, "answer probability", "521")[0] > 0.9


def test_base_call_waiting_is_kept(log: Path) -> None:
    base = {**TRUTH, "hunt_groups": [{**TRUTH["hunt_groups"][0], "call_waiting_answer": 0.5}]}
    fitted = huntsim.fit(log, format="asterisk-queue-log", base=base, replications=0)
    group = fitted.scenario.hunt_groups[0]
    assert group.call_waiting and group.call_waiting_answer == 0.5
    assert ("call_waiting", "true, picked up 0.5", "--base") in set(
        fitted.settings.itertuples(index=False, name=None))
