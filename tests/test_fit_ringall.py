"""Fitting a ring-all queue, and the back-test that catches a bad fit (issue 20).

The log imitates a PBXware ``ringall`` queue: every member rung at once, the
rounds repeating until the queue's time-out (``max_wait``). Fitted as a
sequential policy it answers far fewer calls than the log; the back-test must
say so loudly. Fitted as what it is, it must not.
"""

from __future__ import annotations

import copy

import pytest
from scipy import stats

import huntsim
from huntsim.cli.main import main
from huntsim.fit.export import export_log
from huntsim.fit.fitting import fit

MEMBERS = [str(n) for n in range(101, 106)]
OFFICE = {
    "name": "ring-all office", "duration": "3w", "ring_cycle": "5s",
    "caller_patience": {"dist": "lognormal", "mean": "90s", "sd": "60s"},
    "agent_defaults": {"answer_probability": 0.2,
                       "answer_delay": {"dist": "uniform", "low": "3s", "high": "13s"},
                       "talk_time": {"dist": "exponential", "mean": "3min"},
                       "wrap_up": "0s"},
    "agents": [{"number": n} for n in MEMBERS],
    "hunt_groups": [{"pilot": "200", "policy": "simultaneous", "members": MEMBERS,
                     "no_answer_rings": 3, "voicemail": True, "when_all_busy": "queue",
                     "max_wait": "60s", "rering": "5s",
                     "arrivals": {"weekly": {"mon-fri": {"09:00": "12/h", "17:00": "0/h"}}}}],
}


@pytest.fixture(scope="module")
def ring_all_log(tmp_path_factory):
    result = huntsim.simulate(OFFICE, seed=7)
    return export_log(result, "asterisk-queue-log", tmp_path_factory.mktemp("ringall"))


@pytest.fixture(scope="module")
def right(ring_all_log):
    return fit(ring_all_log, holdout="1w", replications=10, seed=1)


@pytest.fixture(scope="module")
def wrong(ring_all_log):
    return fit(ring_all_log, holdout="1w", replications=10, seed=1, policy="circular")


def test_the_log_answers_most_calls_like_the_pbxware_queue(right):
    calls = right.log.calls
    assert 0.83 <= (calls["outcome"] == "answered").mean() <= 0.93


def test_ring_all_is_recognised_with_its_rounds_and_the_evidence_said(right):
    group = right.scenario.hunt_groups[0]
    assert group.policy == "simultaneous"
    assert (group.max_wait, group.rering, group.all_busy_treatment) == (60.0, 5.0, "queue")
    assert right.scenario.timeout_s(group) == 15.0
    settings = right.settings.set_index("setting")
    assert settings.loc["policy", "source"] == "read from the log (rings start together)"
    evidence = settings.loc["policy evidence", "value"]
    assert evidence.startswith("simultaneous: ")
    assert "calls rang all 5 members within 1 s" in evidence, evidence
    assert "calls rang a member more than once" in settings.loc["rering (s)", "source"]


def test_the_right_fit_raises_no_alarm(right):
    assert [bt.period for bt in right.backtests] == ["fitted", "held-out"]
    assert right.alarms() == []
    for bt in right.backtests:
        compared = bt.table.dropna(subset=["inside"])
        # 95 % intervals: about one figure in twenty outside by chance, not more
        outside = int((~compared["inside"].astype(bool)).sum())
        assert outside <= stats.binom.ppf(0.999, len(compared), 0.05), bt.outside


def test_a_wrong_policy_is_caught_loudly(wrong):
    assert wrong.scenario.hunt_groups[0].policy == "circular"
    alarms = wrong.alarms()
    assert any("answered share (pilot)" in line for line in alarms), alarms
    assert any(line.startswith("held-out period") for line in alarms), alarms


def test_the_alarm_is_loud_in_the_terminal_and_on_top_of_the_report(ring_all_log, tmp_path,
                                                                      capsys):
    code = main(["fit", str(ring_all_log), "--format", "asterisk-queue-log", "--policy",
                 "circular", "--out", str(tmp_path / "office.yaml"), "--report",
                 str(tmp_path / "report"), "--replications", "6"])
    assert code == 0
    err = capsys.readouterr().err
    assert "WARNING: THE FITTED OFFICE DOES NOT REPRODUCE THE LOG" in err
    assert "answered share (pilot) is" in err
    page = (tmp_path / "report" / "report.html").read_text()
    alarm = page.index("the fitted office does not reproduce the log")
    assert alarm < page.index("<h2>Not in the log")
    assert (tmp_path / "report" / "backtest_fitted.csv").exists()


def test_without_rounds_in_the_log_no_rering_is_fitted(tmp_path):
    office = copy.deepcopy(OFFICE)
    del office["hunt_groups"][0]["rering"]
    log = export_log(huntsim.simulate(office, seed=7), "asterisk-queue-log", tmp_path)
    fitted = fit(log, replications=0)
    group = fitted.scenario.hunt_groups[0]
    assert (group.policy, group.rering) == ("simultaneous", None)
    assert fitted.backtests == []


def test_a_sequential_guess_says_what_it_counted():
    fitted = fit("scenarios/logs/queue_log", replications=0)
    evidence = fitted.settings.set_index("setting").loc["policy evidence", "value"]
    assert evidence.startswith(f"{fitted.scenario.hunt_groups[0].policy}: ")
    assert "calls rang members one at a time" in evidence


@pytest.mark.parametrize("args, message", [
    (["--replications", "1"], "--replications: 1 must be at least 2 (or 0"),
    (["--replications", "0", "--holdout", "1w"], "--replications: 0 must be at least 2"),
])
def test_replications_are_checked(ring_all_log, tmp_path, capsys, args, message):
    code = main(["fit", str(ring_all_log), "--format", "asterisk-queue-log",
                 "--out", str(tmp_path / "office.yaml"), *args])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def _ring_all_lines(calls: int = 12) -> list[str]:
    """A PBXware-like ringall queue_log: three members rung together for 15 s, again 5 s
    later, and 101 answers 4 s into the third round."""
    lines = []
    for i in range(calls):
        t0, uid = 1704099600 + 600 * i, f"1704099600.{i}"
        lines.append(f"{t0}|{uid}|sales|NONE|ENTERQUEUE||+1555000{i:04d}|1")
        for start in (t0, t0 + 20):
            lines += [f"{start + 15}|{uid}|sales|SIP/{m}|RINGNOANSWER|15000" for m in
                      ("101", "102", "103")]
        lines.append(f"{t0 + 44}|{uid}|sales|SIP/101|CONNECT|44|{uid}9|4")
        lines.append(f"{t0 + 200}|{uid}|sales|SIP/101|COMPLETECALLER|44|156|1")
    return lines


def test_ring_all_rounds_written_by_hand_are_recognised(tmp_path):
    from huntsim.fit import inference
    from huntsim.fit.logs.reader import read_log

    path = tmp_path / "queue_log"
    path.write_text("\n".join(_ring_all_lines()) + "\n")
    log = read_log(path, "asterisk-queue-log")
    assert inference.policy_from_rings(log) == "simultaneous"  # main: "regular"
    guess = inference.policy_evidence(log)
    assert guess is not None
    assert guess.evidence == "simultaneous: 12 of 12 calls rang all 3 members within 1 s"
    assert (guess.rerung_calls, guess.rering) == (12, 5.0)
