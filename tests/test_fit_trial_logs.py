"""What a first trial of ``huntsim fit`` on public PBX logs found, on fixtures in their
likeness (tests/fixtures/logs/README.md): a queue_log export in a PBX's own layout,
cdr_csv with ``newcdrcolumns`` (linkedid, Local channels, ``Dial(A&B@peer)``), a ring-all
queue in rounds with one time-out."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from huntsim.cli.main import main
from huntsim.fit.backtest import _compare
from huntsim.fit.fitting import fit
from huntsim.fit.logs import LogError, read_log
from huntsim.scenario.units import parse_duration

LOGS = Path(__file__).resolve().parent / "fixtures" / "logs"
CDR = LOGS / "linkedid_Master.csv"
ROUNDS = LOGS / "rounds_queue_log"


@pytest.fixture(scope="module")
def cdr_fit():
    return fit(CDR, format="asterisk-cdr-csv", replications=4)


@pytest.fixture(scope="module")
def rounds_fit():
    return fit(ROUNDS, replications=4)


def _setting(fitted, name: str) -> tuple[str, str]:
    rows = fitted.settings.set_index("setting")
    row = rows.loc[name]
    return str(row["value"]), str(row["source"])


def test_queue_log_export_in_another_layout_is_refused_naming_the_columns(tmp_path, capsys):
    with pytest.raises(LogError, match=r"thirdlane_queue_log.csv:1: .*found columns uid, "
                       r"date_time, callid, queue_name, type, event, param1.*expected.*time, "
                       r"callid, queuename, agent, event"):
        read_log(LOGS / "thirdlane_queue_log.csv", "asterisk-queue-log")
    code = main(["fit", str(LOGS / "thirdlane_queue_log.csv"), "--format",
                 "asterisk-queue-log", "--out", str(tmp_path / "o.yaml")])
    err = capsys.readouterr().err
    assert code == 2
    assert "date_time" in err and "queuename" in err and "Traceback" not in err


def test_cdr_legs_of_one_linkedid_are_one_call():
    log = read_log(CDR, "asterisk-cdr-csv")
    calls = log.calls
    assert set(calls["kind"]) == {"pilot"}  # no Local/...;2 leg as a 'direct' call
    assert len(calls) == 5
    answered = calls[calls["outcome"] == "answered"]
    assert sorted(answered["talk_s"]) == [30.0, 40.0, 56.0, 56.0]
    first = calls.set_index("call_id").loc["1769234400.10"]
    assert (first["agent"], first["wait_s"], first["talk_s"]) == ("301", 6.0, 40.0)


def test_cdr_order_pilot_trunk_and_simultaneous_dial():
    log = read_log(CDR, "asterisk-cdr-csv")
    said = "\n".join(log.warnings.messages())
    # lines written when each call ends are not a clock going backwards
    assert "clock went backwards" not in log.warnings.counts
    # no Queue() line: the message says what was used
    assert "no Queue() line" in said and "Dial()" in said and "into a queue" not in said
    assert "trunk 'peerpbx'" in said and "not a person" in said
    assert log.policy_hint is not None and log.policy_hint[0] == "simultaneous"
    assert "5 of 5 calls" in log.policy_hint[1]


def test_cdr_fit_is_simultaneous_and_fits_few_answered_calls_loudly(cdr_fit):
    value, source = _setting(cdr_fit, "policy")
    assert value == "simultaneous" and "Dial" in source
    params = cdr_fit.parameters.set_index("parameter")
    assert "answer probability (rough)" in params.index  # 4 answered calls: fitted anyway
    row = params.loc["mean pick-up delay (rough)"]
    assert row["n"] == 4 and "few calls (4 < 20)" in row["source"]
    assert any("only 4 answered calls" in w and "wide intervals" in w
               for w in cdr_fit.warnings)
    office = cdr_fit.scenario
    assert all(a.answer_delay is not None for a in office.agents)


def test_answering_not_fitted_from_one_call_is_listed_and_warned(tmp_path):
    lines = CDR.read_text().splitlines()
    one = [line for line in lines if "1769234400.10" in line or "1769245200.22" in line]
    (tmp_path / "Master.csv").write_text("\n".join(one) + "\n")
    fitted = fit(tmp_path / "Master.csv", format="asterisk-cdr-csv", replications=2)
    value, source = _setting(fitted, "answer probability and delay")
    assert "at once" in value and "too few answered calls" in source
    assert any("(1 answered in all)" in w and "not fitted" in w for w in fitted.warnings)


def test_ring_cycle_time_out_and_wrap_up_say_what_was_seen(rounds_fit):
    value, source = _setting(rounds_fit, "ring_cycle (s)")
    assert value == "5" and "a time-out of 10 s is 2 rings of 5 s" in source
    value, source = _setting(rounds_fit, "max_wait (s)")
    assert value == "300" and "only 1 call timed out, at 300 s" in source
    assert any("read from only 1 call" in w for w in rounds_fit.warnings)
    value, source = _setting(rounds_fit, "wrap_up")
    assert value == "0 s" and "too few seen (2 < 10)" in source


def test_time_outs_that_disagree_are_named(tmp_path):
    text = ROUNDS.read_text().replace("|EXITWITHTIMEOUT|1|1|300", "|EXITWITHTIMEOUT|1|1|240")
    lines = text.splitlines()
    # a second call let go, at 300 s: two time-outs that disagree
    enter = next(i for i, line in enumerate(lines) if "|EXITWITHTIMEOUT|" in line)
    callid = lines[enter].split("|")[1]
    extra = [line.replace(callid, callid + "9") for line in lines if f"|{callid}|" in line]
    extra[-1] = extra[-1].replace("|1|1|240", "|1|1|300")
    (tmp_path / "queue_log").write_text("\n".join(lines + extra) + "\n")
    fitted = fit(tmp_path / "queue_log", replications=2)
    said = "\n".join(fitted.warnings)
    assert "2 calls timed out of the queue, at 240, 300 s; 5 needed unless all agree" in said
    assert "max_wait (s)" not in set(fitted.settings["setting"])


def test_talk_time_shown_is_the_simulated_familys_mean(rounds_fit):
    talk = rounds_fit.talk["group"]
    assert talk.chosen in ("lognormal", "gamma")
    row = rounds_fit.parameters.set_index(["parameter", "scope"]).loc[
        ("mean talk time", "group")]
    assert row["value"] == pytest.approx(talk.family_mean)
    assert row["value"] != pytest.approx(talk.mean, abs=0.05)
    assert f"sample mean is {talk.mean:.4g} s" in row["source"]
    simulated = rounds_fit.mapping["agents"][0]["talk_time"]["mean"]  # what the office runs
    assert parse_duration(simulated) == pytest.approx(talk.family_mean, abs=0.1)


def test_back_test_intervals_are_clipped_to_the_possible_range():
    rng = np.random.default_rng(3)
    observed = {("answered share", "pilot"): 0.95, ("mean wait to answer (s)", "pilot"): 2.0,
                ("calls", "pilot"): 1.0}
    runs = [{("answered share", "pilot"): float(min(1.0, 0.9 + 0.1 * rng.random())),
             ("mean wait to answer (s)", "pilot"): float(rng.choice([0.0, 30.0])),
             ("calls", "pilot"): float(rng.choice([0.0, 3.0]))} for _ in range(20)]
    rows = {r["figure"]: r for r in _compare(observed, runs, {}, 0.95)}
    for figure, row in rows.items():
        assert row["low"] >= 0.0, figure
        assert math.isfinite(row["high"])
    assert rows["answered share"]["high"] <= 1.0
    assert rows["mean wait to answer (s)"]["low"] == 0.0
    assert rows["calls"]["low"] == 0.0


def test_the_scenario_written_reads(cdr_fit, tmp_path):
    assert yaml.safe_load(yaml.safe_dump(cdr_fit.mapping))["hunt_groups"][0]["policy"] == \
        "simultaneous"
