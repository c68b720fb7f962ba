"""Log readers on hand-written lines in each documented layout, edge cases included."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huntsim.fit.logs import LogError, read_log
from huntsim.fit.logs.common import member_number

# 2024-01-01 is a Monday; 1704067200 is its midnight UTC
MON = 1704067200


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text if name == "Master.csv" else textwrap.dedent(text).lstrip("\n"))
    return path


def _queue_log(tmp_path, body):
    return read_log(_write(tmp_path, "queue_log", body), "asterisk-queue-log", queue="sales")


def test_queue_log_answered_call_with_rings(tmp_path):
    t = MON + 9 * 3600
    log = _queue_log(tmp_path, f"""
        {t}|NONE|NONE|NONE|QUEUESTART|
        {t}|c1|sales|NONE|ENTERQUEUE||+15551234|1
        {t + 18}|c1|sales|PJSIP/101-0000000a|RINGNOANSWER|18000
        {t + 22}|c1|sales|PJSIP/102|CONNECT|22|c1.2|4
        {t + 142}|c1|sales|PJSIP/102|COMPLETEAGENT|22|120|1
    """)
    call = log.calls.iloc[0]
    assert (call.outcome, call.agent, call.wait_s, call.talk_s, call.rings) == \
        ("answered", "102", 22.0, 120.0, 2)
    assert call.caller == "+15551234" and call.arrival == pd.Timestamp("2024-01-01 09:00")
    rings = log.rings.set_index("agent")
    assert rings.loc["101", "ring_s"] == 18.0 and rings.loc["101", "result"] == "no_answer"
    assert rings.loc["102", "ring_s"] == 4.0 and rings.loc["102", "result"] == "answered"
    assert not log.warnings.counts


def test_queue_log_exits_abandons_and_cancelled_rings(tmp_path):
    t = MON + 10 * 3600
    log = _queue_log(tmp_path, f"""
        {t}|a|sales|NONE|ENTERQUEUE||1
        {t + 7}|a|sales|PJSIP/101|RINGCANCELED|7250
        {t + 7}|a|sales|NONE|ABANDON|1|1|7
        {t + 60}|b|sales|NONE|ENTERQUEUE||2
        {t + 60}|b|sales|NONE|EXITEMPTY|1|1|0
        {t + 100}|c|sales|NONE|ENTERQUEUE||3
        {t + 118}|c|sales|PJSIP/101|RINGNOANSWER|18000
        {t + 118}|c|sales|NONE|EXITWITHTIMEOUT|1|1|18
        {t + 200}|d|sales|NONE|ENTERQUEUE||4
        {t + 205}|d|sales|NONE|EXITWITHKEY|1|1|1|5
        {t + 300}|e|sales|NONE|ENTERQUEUE||5
        {t + 302}|e|sales|Local/101@from-queue/n|CONNECT|2|e.1|2
        {t + 400}|e|sales|Local/101@from-queue/n|BLINDTRANSFER|300|default|2|98|1
    """)
    calls = log.calls.set_index("call_id")
    assert calls["outcome"].to_dict() == {"a": "abandoned", "b": "voicemail", "c": "voicemail",
                                          "d": "abandoned", "e": "answered"}
    assert calls["leave_s"].dropna().to_dict() == {"a": 7.0, "b": 0.0, "c": 18.0, "d": 5.0}
    assert (calls.loc["e", "agent"], calls.loc["e", "talk_s"]) == ("101", 98.0)
    assert log.rings["result"].tolist() == ["cancelled", "no_answer", "answered"]
    assert log.rings["ring_s"].tolist() == [7.25, 18.0, 2.0]


def test_queue_log_call_across_midnight_keeps_its_arrival_day(tmp_path):
    t = MON + 86400 - 10  # Monday 23:59:50
    log = _queue_log(tmp_path, f"""
        {t}|m|sales|NONE|ENTERQUEUE||1
        {t + 5}|m|sales|PJSIP/101|CONNECT|5|x|5
        {t + 305}|m|sales|PJSIP/101|COMPLETECALLER|5|300|1
    """)
    call = log.calls.iloc[0]
    assert call.arrival.day_name() == "Monday" and call.talk_s == 300.0
    assert (log.start, log.end) == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02"))


def test_queue_log_bad_lines_are_counted_not_fatal(tmp_path):
    t = MON + 9 * 3600
    log = _queue_log(tmp_path, f"""
        {t}|a|sales|NONE|ENTERQUEUE||1
        {t + 3}|a|sales|PJSIP/101|CONNECT|3|x|3
        {t + 50}|a|sales|PJSIP/101|COMPLETECALLER|3|47|1
        {t + 60}|b|support|NONE|ENTERQUEUE||2
        {t + 61}|b|support|NONE|ABANDON|1|1|1
        {t + 70}|c|sales|NONE|SOMETHINGNEW|x
        {t + 40}|d|sales|NONE|ENTERQUEUE||3
        {t + 45}|d|sales|NONE|ABANDON|1|1|5
        {t + 80}|e|sal
        garbage|e|sales|NONE|ENTERQUEUE||4
        {t + 90}|f|sales|NONE|ENTERQUEUE||5
    """)
    assert log.calls["call_id"].tolist() == ["a", "d"]
    counts = log.warnings.counts
    assert counts["unknown event 'SOMETHINGNEW'"] == 1
    assert counts["clock went backwards"] == 2  # both lines of call d are before 'c'
    assert counts["truncated line (fewer than 5 fields)"] == 1
    assert counts["unreadable time"] == 1
    assert counts["line of another queue (left out)"] == 2
    assert counts["call without an end (log cut off?)"] == 1
    messages = "\n".join(log.warnings.messages())
    assert "queue_log:6" in messages and "queue_log:9" in messages


def test_queue_log_with_nothing_usable_is_a_clear_error(tmp_path):
    path = _write(tmp_path, "queue_log", "nonsense\n1704067200|x|other|NONE|ENTERQUEUE||1\n")
    with pytest.raises(LogError, match=r"no calls of queue 'sales'.*'other' \(1 calls\)"):
        read_log(path, "asterisk-queue-log", queue="sales")
    with pytest.raises(LogError, match=r"queue_log.*no call enters a queue.*queue_log:1"):
        read_log(_write(tmp_path, "queue_log", "nonsense\n"), "asterisk-queue-log")


def test_queue_log_presence_and_time_zone(tmp_path):
    t = MON + 7 * 3600  # 07:00 UTC is 08:00 in Berlin
    path = _write(tmp_path, "queue_log", f"""
        {t}|NONE|sales|PJSIP/101|ADDMEMBER|
        {t + 600}|NONE|sales|PJSIP/101|PAUSE|Lunch
        {t + 900}|NONE|NONE|PJSIP/101|UNPAUSEALL|
        {t + 1000}|a|sales|NONE|ENTERQUEUE||1
        {t + 1001}|a|sales|NONE|ABANDON|1|1|1
    """)
    log = read_log(path, "asterisk-queue-log", tz="Europe/Berlin")
    assert log.presence["event"].tolist() == ["login", "pause", "unpause"]
    assert log.presence["reason"].tolist() == ["", "Lunch", ""]
    assert log.presence["time"].iloc[0] == pd.Timestamp("2024-01-01 08:00")


def _cdr(src, dst, clid, dstchannel, app, data, start, answer, end, duration, billsec,
         disposition, *tail):
    """One Master.csv line as cdr_csv writes it (numbers unquoted, the rest quoted)."""
    fields = ["", src, dst, "from-pstn", clid, f"PJSIP/trunk-{src}", dstchannel, app, data,
              start, answer, end, duration, billsec, disposition, *tail]
    return ",".join(str(f) if isinstance(f, int) else '"' + f.replace('"', '""') + '"'
                    for f in fields)


DAY2 = "2024-01-02 09:"
CDR = "\n".join([
    _cdr("5551234", "600", '"Smith, John" <5551234>', "PJSIP/101-00000001", "Queue",
         "600,,,,18", "2024-01-01 23:58:00", "2024-01-01 23:58:12", "2024-01-02 00:03:12",
         312, 300, "ANSWERED", "DOCUMENTATION", "1704153480.1", ""),
    _cdr("5551235", "600", '"Doe" <5551235>', "PJSIP/102-00000002", "Queue", "600",
         DAY2 + "00:00", "", DAY2 + "02:10", 130, 120, "ANSWERED", "DOCUMENTATION", "2", ""),
    _cdr("5551236", "600", "", "", "VoiceMail", "600@default", DAY2 + "10:00", DAY2 + "10:20",
         DAY2 + "10:20", 20, 0, "ANSWERED", "DOCUMENTATION", "3", ""),
    _cdr("5551237", "600", "", "", "Queue", "600", DAY2 + "20:00", "", DAY2 + "20:35", 35, 0,
         "NO ANSWER", "DOCUMENTATION", "4", ""),
    _cdr("5551238", "600", "", "", "Busy", "", DAY2 + "30:00", "", DAY2 + "30:00", 0, 0,
         "BUSY", "DOCUMENTATION", "5", ""),
    _cdr("5551239", "101", "", "PJSIP/101-00000006", "Dial", "PJSIP/101,20", DAY2 + "40:00",
         DAY2 + "40:03", DAY2 + "41:03", 63, 60, "ANSWERED", "DOCUMENTATION", "6", ""),
    _cdr("5551240", "700", "", "", "Dial", "", DAY2 + "50:00", "", DAY2 + "50:30", 30, 0,
         "NO ANSWER", "DOCUMENTATION", "7", ""),
    # truncated: the line stops after the duration
    _cdr("5551241", "600", "", "", "Hangup", "", DAY2 + "55:00", "", DAY2 + "55:54", 54, 0,
         "NO ANSWER").rsplit(",", 2)[0],
    _cdr("5551242", "600", "", "", "Hangup", "", DAY2 + "56:00", "", DAY2 + "56:54", 54, 0,
         "NO ANSWER", "DOCUMENTATION"),
]) + "\n"


def test_cdr_csv_layout_and_edge_cases(tmp_path):
    log = read_log(_write(tmp_path, "Master.csv", CDR), "asterisk-cdr-csv", pilot="600")
    calls = log.calls.set_index("caller")
    # quoted commas in the caller's name do not shift the columns
    first = calls.loc["5551234"]
    assert (first.outcome, first.agent, first.wait_s, first.talk_s) == \
        ("answered", "101", 12.0, 300.0)
    # a call across midnight belongs to the day it arrived
    assert first.arrival == pd.Timestamp("2024-01-01 23:58:00")
    # ANSWERED without an answer time: end - billsec
    assert calls.loc["5551235", "wait_s"] == 10.0
    assert calls["outcome"].to_dict() == {
        "5551234": "answered", "5551235": "answered", "5551236": "voicemail",
        "5551237": "abandoned", "5551238": "busy", "5551239": "answered",
        "5551242": "no_answer"}
    assert calls.loc["5551237", "leave_s"] == 35.0
    assert calls.loc["5551239", "kind"] == "direct"
    counts = log.warnings.counts
    assert counts["truncated line (fewer than 16 fields)"] == 1
    assert counts["call to another number (left out)"] == 1
    assert counts["answered call without an answer time (end - billsec used)"] == 1
    assert "Master.csv:8" in "".join(log.warnings.messages())


def test_cdr_csv_clock_backwards_and_nothing_usable(tmp_path):
    lines = CDR.splitlines()
    log = read_log(_write(tmp_path, "Master.csv", "\n".join([lines[2], lines[1]])),
                   "asterisk-cdr-csv", pilot="600")
    # cdr_csv writes lines at each leg's (and call's) end: out of order is normal, not warned
    assert "clock went backwards" not in log.warnings.counts
    assert len(log.calls) == 2
    with pytest.raises(LogError, match="no calls to the pilot '999'"):
        read_log(_write(tmp_path, "Master.csv", CDR), "asterisk-cdr-csv", pilot="999")
    with pytest.raises(LogError, match=r"Master.csv: no call could be read.*Master.csv:1"):
        read_log(_write(tmp_path, "Master.csv", '"a","b"\n'), "asterisk-cdr-csv")


CSV = '''
    Id,Start,Answered,Ended,To,Agent,Result,From
    1,2024-01-01 08:00:00,2024-01-01 08:00:09,2024-01-01 08:04:09,600,Ann,ANSWERED,"Smith, J"
    2,2024-01-01 08:10:00,,2024-01-01 08:10:40,600,,Missed,x
    3,2024-01-01 08:20:00,,2024-01-01 08:20:05,600,,VM,x
    4,not a time,,,600,,ANSWERED,x
    5,2024-01-01 08:30:00,,,600,,weird,x
    6,2024-01-01 08:40:00,,,600,,ANSWERED,x,one field too many
'''


def test_csv_with_a_column_mapping(tmp_path):
    path = _write(tmp_path, "calls.csv", CSV)
    mapping = _write(tmp_path, "map.yaml", """
        columns: {arrival: Start, answer: Answered, end: Ended, dialed: To, agent: Agent,
                  outcome: Result, call_id: Id, caller: From}
        outcomes: {Missed: abandoned}
    """)
    log = read_log(path, "csv", pilot="600", columns=mapping)
    calls = log.calls.set_index("call_id")
    assert calls["outcome"].to_dict() == {"1": "answered", "2": "abandoned", "3": "voicemail"}
    assert (calls.loc["1", "wait_s"], calls.loc["1", "talk_s"]) == (9.0, 240.0)
    assert calls.loc["1", "caller"] == "Smith, J" and calls.loc["2", "leave_s"] == 40.0
    assert log.warnings.counts["unreadable arrival time"] == 1
    assert log.warnings.counts["unknown outcome 'weird' (left out)"] == 1
    assert log.warnings.counts["line with the wrong number of fields (left out)"] == 1
    assert "calls.csv:7" in "".join(log.warnings.messages())


def test_csv_mapping_from_flags_without_outcomes(tmp_path):
    path = _write(tmp_path, "calls.csv", CSV)
    log = read_log(path, "csv", columns="arrival=Start,answer=Answered,end=Ended,agent=Agent")
    assert log.calls["outcome"].tolist() == ["answered", "abandoned", "abandoned", "abandoned"]
    assert math.isnan(log.calls["talk_s"].iloc[1])
    with pytest.raises(LogError, match="--columns: 'start' is not a field"):
        read_log(path, "csv", columns="start=Start")
    with pytest.raises(LogError, match="no column 'Begin'"):
        read_log(path, "csv", columns="arrival=Begin")
    with pytest.raises(LogError, match="needs a column mapping"):
        read_log(path, "csv")


@pytest.mark.parametrize(("channel", "number"), [
    ("PJSIP/555-0101-0000001f", "555-0101"), ("SIP/8007", "8007"),
    ("Local/101@from-queue/n", "101"), ("Local/102@from-queue-00000001;1", "102"),
    ("Agent/3001", "3001"),
])
def test_member_numbers_from_channels(channel, number):
    assert member_number(channel) == number


SAMPLES = {"asterisk-queue-log": "queue_log", "asterisk-cdr-csv": "Master.csv",
           "csv": "calls_log.csv"}
LOGS = Path(__file__).resolve().parent.parent / "scenarios" / "logs"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fmt=st.sampled_from(sorted(SAMPLES)), data=st.data())
def test_damaged_logs_read_or_fail_clearly(tmp_path, fmt, data):
    """Lines dropped, cut short, swapped or garbled: a LogData or a LogError, nothing else."""
    lines = (LOGS / SAMPLES[fmt]).read_text().splitlines()[:120]
    head, body = (lines[:1], lines[1:]) if fmt == "csv" else ([], lines)
    for _ in range(data.draw(st.integers(0, 12))):
        if not body:
            break
        i = data.draw(st.integers(0, len(body) - 1))
        action = data.draw(st.sampled_from(["drop", "cut", "swap", "garble"]))
        if action == "drop":
            del body[i]
        elif action == "cut":
            body[i] = body[i][: data.draw(st.integers(0, len(body[i])))]
        elif action == "swap":
            j = data.draw(st.integers(0, len(body) - 1))
            body[i], body[j] = body[j], body[i]
        else:
            body[i] = body[i].replace(data.draw(st.sampled_from(list("|,:-0 \""))),
                                      data.draw(st.sampled_from(["", "x", "|", ",", '"'])))
    path = tmp_path / SAMPLES[fmt]
    path.write_text("\n".join(head + body) + "\n")
    try:
        log = read_log(path, fmt, columns=LOGS / "calls_log_columns.yaml")
    except LogError as error:
        assert str(path) in str(error)
    else:
        assert len(log.calls) and set(log.calls["outcome"]) <= {
            "answered", "voicemail", "busy", "no_answer", "abandoned"}
