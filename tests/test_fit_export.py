"""Exporting a run as Asterisk logs: queue_log lines and Master.csv rows per outcome."""

from __future__ import annotations

import csv
import dataclasses

import pytest

import huntsim
from huntsim.cli.main import main
from huntsim.fit.export import cdr_csv_text, export_log, queue_log_text
from huntsim.fit.logs import read_log

# three calls: A answers the first after 4 s; the second rings A out (A is
# talking? no: A answers) ...; the third finds both busy and goes to voicemail
OFFICE = {
    "duration": "1h", "start": "wed 09:00", "ring_cycle": "5s",
    "agents": [
        {"number": "101", "talk_time": "100s", "answer_delay": "4s"},
        {"number": "102", "talk_time": "100s", "answer_probability": 0.0},
    ],
    "hunt_groups": [{"pilot": "100", "members": ["101", "102"], "no_answer_rings": 2,
                     "voicemail": True, "arrivals": {"trace": [0, 10, 20]}}],
}


def _lines(text: str) -> list[list[str]]:
    return [line.split("|") for line in text.splitlines()]


def test_queue_log_lines_follow_the_calls():
    result = huntsim.simulate(OFFICE, seed=1)
    lines = _lines(queue_log_text(result))
    t0 = int(lines[0][0])
    assert lines[0][4] == "QUEUESTART"
    events = [(int(line[0]) - t0, line[3], line[4], line[5:]) for line in lines[1:]]
    # call 0: 101 picks up after 4 s, talks 100 s
    assert (4, "PJSIP/101", "CONNECT", ["4", events[1][3][1], "4"]) == events[1]
    assert events[0][2] == "ENTERQUEUE"
    # call 1 at 10 s: 101 busy, 102 rings out after 2 rings (10 s), then voicemail
    call1 = [e for e in events if e[1] in ("PJSIP/102", "NONE") and 10 <= e[0] <= 20]
    assert (20, "PJSIP/102", "RINGNOANSWER", ["10000"]) in call1
    assert any(e[2] == "EXITWITHTIMEOUT" and e[3][-1] == "10" for e in events)
    # call 2 at 20 s: 101 busy and 102 rang out and free: rings out again
    complete = [e for e in events if e[2] in ("COMPLETECALLER", "COMPLETEAGENT")]
    assert complete == [(104, "PJSIP/101", complete[0][2], ["4", "100", "1"])]
    assert [int(line[0]) for line in lines] == sorted(int(line[0]) for line in lines)
    # the start is Wednesday 09:00 of the week of 2024-01-01
    assert t0 == 1704099600 + 2 * 86400


def test_exit_empty_when_nobody_is_free():
    office = {**OFFICE, "agents": [{"number": "101", "talk_time": "100s"}],
              "hunt_groups": [{"pilot": "100", "members": ["101"], "voicemail": True,
                               "arrivals": {"trace": [0, 10]}}]}
    events = [line[4] for line in _lines(queue_log_text(huntsim.simulate(office, seed=1)))]
    assert events.count("EXITEMPTY") == 1 and events.count("CONNECT") == 1


def test_cdr_rows_quote_names_with_commas():
    result = huntsim.simulate(OFFICE, seed=1)
    rows = list(csv.reader(cdr_csv_text(result).splitlines()))
    assert len(rows) == 3 and all(len(row) == 18 for row in rows)
    first = next(row for row in rows if row[16].endswith(".0"))
    assert [row[11] for row in rows] == sorted(row[11] for row in rows)  # written as they end
    assert first[2] == "100" and first[6].startswith("PJSIP/101-")
    assert first[7] == "Queue" and first[14] == "ANSWERED"
    assert first[9] == "2024-01-03 09:00:00" and first[10] == "2024-01-03 09:00:04"
    assert (first[12], first[13]) == ("104", "100")
    assert first[4] == f'"Caller, No. 0" <{first[1]}>'
    assert sorted(row[7] for row in rows) == ["Queue", "VoiceMail", "VoiceMail"]


def test_run_export_writes_into_out(tmp_path, capsys):
    path = tmp_path / "office.yaml"
    import yaml

    path.write_text(yaml.safe_dump(OFFICE))
    assert main(["run", str(path), "--seed", "1", "--out", str(tmp_path / "o"),
                 "--export", "asterisk-queue-log"]) == 0
    assert (tmp_path / "o" / "queue_log").read_text().count("ENTERQUEUE") == 3
    assert main(["run", str(path), "--export", "asterisk-cdr-csv"]) == 2
    assert "--export: needs --out" in capsys.readouterr().err


def test_totals_cannot_be_exported():
    result = dataclasses.replace(huntsim.simulate(OFFICE, seed=1), calls=None, offers=None)
    with pytest.raises(ValueError, match="keep='totals'"):
        queue_log_text(result)


# --- what Asterisk writes (apps/app_queue.c), and what the readers make of it (issue 20) ---

RING_ALL = {
    "duration": "8h", "start": "mon 09:00", "ring_cycle": "6s",
    "caller_patience": {"dist": "exponential", "mean": "20s"},
    "agent_defaults": {"answer_probability": 0.6, "talk_time": "2min",
                       "answer_delay": {"dist": "uniform", "low": "2s", "high": "14s"}},
    "agents": [{"number": n} for n in ("401", "402", "403")],
    "hunt_groups": [{"pilot": "400", "policy": "simultaneous", "members": ["401", "402", "403"],
                     "no_answer_rings": 3, "voicemail": True, "when_all_busy": "queue",
                     "arrivals": {"rate": "30/h"}}],
}

FORWARD_OUT = {
    "duration": "1w", "start": "mon 09:00", "ring_cycle": "6s",
    "caller_patience": {"dist": "exponential", "mean": "2min"},
    "agents": [{"number": "201", "talk_time": "4min", "answer_probability": 0.8},
               {"number": "202", "talk_time": "4min", "answer_probability": 0.8}],
    "hunt_groups": [{"pilot": "200", "members": ["201", "202"], "no_answer_rings": 3,
                     "when_all_busy": "queue", "max_wait": "40s", "max_queue": 2,
                     "forward": {"when": ["all_busy", "no_answer", "queue_timeout"],
                                 "to": "+15559876543", "outside": True},
                     "arrivals": {"rate": "12/h"}}],
}


def _by_call(text: str) -> dict[str, list[list[str]]]:
    calls: dict[str, list[list[str]]] = {}
    for line in _lines(text)[1:]:
        if line[1] != "NONE":
            calls.setdefault(line[1], []).append(line)
    return calls


def test_enterqueue_is_url_callerid_position_and_is_read_back(tmp_path):
    result = huntsim.simulate(RING_ALL, seed=2)
    text = queue_log_text(result)
    enters = [line for line in _lines(text) if line[4] == "ENTERQUEUE"]
    assert enters and all(len(line) == 8 for line in enters)  # 5 fields + url|callerid|position
    assert {line[5] for line in enters} == {""}  # no url
    assert all(line[6] and int(line[7]) >= 1 for line in enters)
    assert max(int(line[7]) for line in enters) >= 2  # callers wait behind others
    path = tmp_path / "queue_log"
    path.write_text(text)
    log = read_log(path, format="asterisk-queue-log")
    assert len(log.calls) == len(enters)
    assert sorted(log.calls["caller"]) == sorted(line[6] for line in enters)


def test_ringcanceled_only_where_the_caller_left_while_phones_rang():
    result = huntsim.simulate(RING_ALL, seed=2)
    offers = result.offers
    assert (offers["result"] == "answered_elsewhere").sum() > 20  # ring-all: phones stopped
    calls = _by_call(queue_log_text(result))
    cancelled = {uid for uid, lines in calls.items() if any(x[4] == "RINGCANCELED" for x in lines)}
    ended = {uid: lines[-1][4] for uid, lines in calls.items()}
    assert cancelled, "no caller hung up while the phones rang"
    # Asterisk's hangupcalls logs nothing for the phones another member's answer stopped
    assert all(ended[uid] == "ABANDON" for uid in cancelled)
    hung_up = int((offers["result"] == "caller_hung_up").sum())
    assert sum(x[4] == "RINGCANCELED" for lines in calls.values() for x in lines) == hung_up


@pytest.mark.parametrize("fmt", ["asterisk-queue-log", "asterisk-cdr-csv", "csv"])
def test_calls_forwarded_out_of_the_office_are_read_back(tmp_path, fmt):
    result = huntsim.simulate(FORWARD_OUT, seed=5)
    truth = result.calls["outcome"].value_counts()
    assert truth["forwarded"] > 100
    path = export_log(result, fmt, tmp_path)
    kw = {"columns": tmp_path / "calls_log_columns.yaml"} if fmt == "csv" else {}
    log = read_log(path, format=fmt, pilot=None if fmt == "asterisk-queue-log" else "200",
                   **kw)
    got = log.calls["outcome"].value_counts()
    assert len(log.calls) == len(result.calls)  # none lost
    assert got["abandoned"] == truth["abandoned"]  # none turned into hang-ups
    assert got["answered"] == truth["answered"]
    if fmt == "asterisk-queue-log":  # the queue lets them go; the Dial() after is not logged
        assert got["voicemail"] == truth["forwarded"]
    else:
        assert got["forwarded"] == truth["forwarded"]
        assert any("forwarded out of the office" in m for m in log.warnings.messages())
        left = log.calls.loc[log.calls["outcome"] == "forwarded", "leave_s"]
        assert left.between(0, 40 + 18 + 1).all()  # at most max_wait (+ a ring round)
    fit = huntsim.fit(path, format=fmt, pilot=None if fmt == "asterisk-queue-log" else "200",
                      **kw)
    if fmt != "asterisk-queue-log":
        assert any("forwarded out of the office" in w for w in fit.warnings)


def test_ring_all_reader_adds_back_the_phones_an_answer_stopped(tmp_path):
    # Asterisk (ringall): 12 calls; one round each rang out on both phones, the next
    # 102 answered after 5 s: nothing is logged for 101, whose phone rang too
    lines = ["1704099600|NONE|NONE|NONE|QUEUESTART|"]
    for i in range(12):
        t = 1704099700 + 600 * i
        uid = f"{t}.{i}"
        lines += [f"{t}|{uid}|q|NONE|ENTERQUEUE||+1555000{i:04d}|1",
                  f"{t + 15}|{uid}|q|SIP/101|RINGNOANSWER|15000",
                  f"{t + 15}|{uid}|q|SIP/102|RINGNOANSWER|15000",
                  f"{t + 20}|{uid}|q|SIP/102|CONNECT|20|{t + 15}.9|5",
                  f"{t + 80}|{uid}|q|SIP/102|COMPLETECALLER|20|60|1"]
    path = tmp_path / "queue_log"
    path.write_text("\n".join(lines) + "\n")
    log = read_log(path, format="asterisk-queue-log")
    stopped = log.rings[(log.rings["agent"] == "101") & (log.rings["result"] == "cancelled")]
    assert len(stopped) == 12 and (stopped["ring_s"] == 5).all()
    assert any("ring-all" in m for m in log.warnings.messages())


def test_ring_all_answer_probabilities_hold_without_the_stopped_phones(tmp_path):
    office = {**RING_ALL, "duration": "3d", "caller_patience": None,
              "agent_defaults": {**RING_ALL["agent_defaults"], "answer_probability": 0.5},
              "hunt_groups": [{**RING_ALL["hunt_groups"][0], "arrivals": {"rate": "12/h"}}]}
    del office["caller_patience"]
    result = huntsim.simulate(office, seed=4)
    path = export_log(result, "asterisk-queue-log", tmp_path)
    fit = huntsim.fit(path, format="asterisk-queue-log", confidence=0.999)
    rows = fit.parameters[fit.parameters["parameter"] == "answer probability"]
    truth = 0.5 * 1.0  # every pick-up delay (2-14 s) within the 18 s time-out
    assert len(rows) == 3
    for row in rows.itertuples():
        assert row.low <= truth <= row.high, (row.scope, row.value, row.low, row.high)


@pytest.mark.parametrize("skipped", [True, False])
def test_an_away_member_still_rung_is_not_paused(skipped):
    # Asterisk does not ring a paused member: an absence during which the phone still
    # rings (away without skipped) is rings that ring out, never a PAUSE
    office = {**OFFICE, "duration": "8h", "agent_defaults": {
        "away": {"rate": "2/h", "length": "5min", "skipped": skipped}},
        "hunt_groups": [{**OFFICE["hunt_groups"][0], "arrivals": {"rate": "10/h"}}]}
    result = huntsim.simulate(office, seed=3)
    assert (result.absences["reason"] == "away").sum() > 5
    events = [line[4] for line in _lines(queue_log_text(result))]
    assert ("PAUSE" in events) == skipped
