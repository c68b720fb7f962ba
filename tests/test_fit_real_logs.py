"""Readers on logs in the likeness of real offices' (tests/fixtures/logs/, see its README).

Each test names the difference from huntsim's own exports that it covers: member
interfaces against member names, Issabel's lone UNPAUSEs, pauses open at log-off,
part-timers, realtime queue_log layouts, FreePBX/Issabel CDRs, files in other layouts
and generic CSVs without a pilot.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huntsim.cli.main import main
from huntsim.fit.logs import LogError, read_log
from huntsim.fit.logs.queue_members import JOINED
from huntsim.fit.members import presence_table, schedule_windows

LOGS = Path(__file__).resolve().parent / "fixtures" / "logs"


@pytest.fixture(scope="module")
def issabel():
    return read_log(LOGS / "issabel_queue_log", "asterisk-queue-log", tz="America/Bogota")


def _fit(tmp_path, capsys, *args: str) -> tuple[int, str, str, dict | None]:
    out = tmp_path / "office.yaml"
    code = main(["fit", *args, "--out", str(out), "--force"])
    printed = capsys.readouterr()
    office = yaml.safe_load(out.read_text()) if code == 0 else None
    return code, printed.out, printed.err, office


def test_interfaces_and_member_names_are_one_member(issabel):
    assert set(issabel.members) == {"Sathish", "Maria Lopez", "Ana"}
    assert set(issabel.presence["agent"]) == {"Sathish", "Maria Lopez", "Ana"}
    said = "\n".join(issabel.warnings.messages())
    assert issabel.warnings.counts[JOINED] == 3
    assert "SIP/1001 is 'Sathish'" in said and "SIP/1003 is 'Ana'" in said


def test_interfaces_join_by_time_one_to_one(tmp_path):
    """Both stay logged in all day: the interface added first is the name ringing first
    (paired in order, though the other pairing has the same total gap)."""
    t = 1704099600  # Monday 2024-01-01 09:00 UTC
    lines = [f"{t - 3600}|MANAGER|q|SIP/1001|ADDMEMBER|",
             f"{t - 1800}|MANAGER|q|SIP/1002|ADDMEMBER|"]
    for i in range(6):  # Bob from 08:40, Carl from 09:10, both inside both log-ins
        c = t - 1200 + 600 * i
        who = "Bob" if i % 2 == 0 else "Carl"
        lines += [f"{c}|c{i}|q|NONE|ENTERQUEUE||555|1", f"{c + 3}|c{i}|q|{who}|CONNECT|3|x|3",
                  f"{c + 60}|c{i}|q|{who}|COMPLETECALLER|3|57|1"]
    lines += [f"{t + 28800}|MANAGER|q|SIP/1001|REMOVEMEMBER|",
              f"{t + 28800}|MANAGER|q|SIP/1002|REMOVEMEMBER|"]
    path = tmp_path / "queue_log"
    path.write_text("\n".join(lines) + "\n")
    log = read_log(path, "asterisk-queue-log")
    firsts = log.presence.groupby("agent")["time"].min()
    assert firsts["Bob"] == pd.Timestamp("2024-01-01 08:00")
    assert firsts["Carl"] == pd.Timestamp("2024-01-01 08:30")
    assert set(log.members) == {"Bob", "Carl"}


def test_lone_unpause_is_no_pause_and_a_pause_ends_at_log_off(issabel):
    for member, length in (("Sathish", 2700.0), ("Maria Lopez", 1800.0)):
        stretches = presence_table(issabel.presence, member, issabel.start, issabel.end)
        paused = stretches[stretches["state"] == "paused"]
        lengths = (paused["end"] - paused["start"]).dt.total_seconds()
        assert len(paused) == 15 and set(lengths) == {length}, member
    maria = issabel.presence[issabel.presence["agent"] == "Maria Lopez"]
    logoffs = set(maria.loc[maria["event"] == "logout", "time"])
    stretches = presence_table(issabel.presence, "Maria Lopez", issabel.start, issabel.end)
    assert set(stretches.loc[stretches["state"] == "paused", "end"]) <= logoffs


def test_fit_of_the_issabel_office_from_the_command_line(tmp_path, capsys):
    code, _, err, office = _fit(tmp_path, capsys, str(LOGS / "issabel_queue_log"),
                                "--format", "asterisk-queue-log", "--tz", "America/Bogota")
    assert code == 0, err
    agents = {a["number"]: a for a in office["agents"]}
    assert set(agents) == {"Sathish", "Maria Lopez", "Ana"}
    assert agents["Sathish"]["schedule"] == [f"{d} 08:00-17:00"
                                             for d in ("mon", "tue", "wed", "thu", "fri")]
    # the part-timer (3 mornings in 3 weeks) is not logged in round the clock
    assert agents["Ana"]["schedule"] == ["tue 10:00-12:00"]
    assert "Ana was logged in on no fixed days" in err
    for name in ("Sathish", "Maria Lopez"):
        assert float(agents[name]["away"]["rate"].removesuffix("/h")) < 0.2
    assert agents["Maria Lopez"]["away"]["length"] == {"dist": "constant", "value": "1800s"}
    assert "joined to member names" in err and "unreadable time" not in err  # NUL bytes


def test_a_part_timer_on_no_fixed_days_gets_a_schedule():
    start, end = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-29")  # four weeks
    days = [1, 9, 17, 25]  # Tue, Wed, Thu, Fri of different weeks
    events = [("A", start, "logout", "")]
    for day in days:
        date = start + pd.Timedelta(days=day)
        events += [("A", date + pd.Timedelta(hours=13), "login", ""),
                   ("A", date + pd.Timedelta(hours=17), "logout", "")]
    presence = pd.DataFrame(events, columns=["agent", "time", "event", "reason"])
    notes: list[str] = []
    windows = schedule_windows(presence_table(presence, "A", start, end), start, end, notes, "A")
    assert windows == ["tue 13:00-17:00"]  # 4 h a week, as logged in on average
    assert notes and "A was logged in on no fixed days (4.0 h a week" in notes[0]


@pytest.mark.parametrize("name", ["freepbx_queue_log_realtime.tsv",
                                  "queue_log_adaptive_realtime.csv"])
def test_realtime_queue_log_exports(name):
    log = read_log(LOGS / name, "asterisk-queue-log", tz="America/New_York")
    calls = log.calls.set_index("caller")
    # local date-times stay the office's clock in --tz
    assert calls["arrival"].dt.hour.tolist() == [9, 10, 11, 14]
    assert calls["outcome"].to_dict() == {"2125550101": "answered", "2125550102": "abandoned",
                                          "2125550103": "voicemail", "2125550104": "answered"}
    assert calls.loc["2125550101", "talk_s"] == 120.0  # ATTENDEDTRANSFER LINK: calltime
    assert calls.loc["2125550102", "leave_s"] == 25.0  # EXITWITHKEY
    assert calls.loc["2125550103", "leave_s"] == 40.0  # WITHDRAW
    assert not [r for r in log.warnings.counts if "unknown event" in r or "backwards" in r]
    assert set(log.members) == {"201", "202"}
    stretches = presence_table(log.presence, "201", log.start, log.end)
    paused = stretches[stretches["state"] == "paused"]
    assert (paused["start"].tolist(), paused["end"].tolist()) == (
        [pd.Timestamp("2024-05-06 12:00")], [pd.Timestamp("2024-05-06 12:30")])


def test_rotated_files_nul_bytes_and_a_time_out_of_range():
    log = read_log(LOGS / "rotated_queue_log", "asterisk-queue-log")
    assert log.calls["outcome"].tolist() == ["answered", "abandoned", "answered"]
    assert log.calls["talk_s"].dropna().tolist() == [200.0, 100.0]
    counts = log.warnings.counts
    assert counts["time out of range (before 1990 or after 2100)"] == 1
    assert counts["NUL bytes dropped (an unclean shutdown?)"] == 1
    assert counts["unreadable time"] == 0


def test_issabel_cdr_hang_ups_after_the_pbx_answered_and_legs_without_uniqueid():
    log = read_log(LOGS / "issabel_Master.csv", "asterisk-cdr-csv", tz="America/Bogota")
    pilot = log.calls[log.calls["kind"] == "pilot"]
    assert len(pilot) == 24  # one call per caller, not one per leg
    assert pilot["outcome"].value_counts().to_dict() == {"answered": 16, "abandoned": 8}
    assert set(pilot.loc[pilot["outcome"] == "abandoned", "leave_s"]) == {40.0}
    assert set(pilot["agent"].dropna()) == {"1002"}
    assert pilot.loc[pilot["outcome"] == "answered", "wait_s"].eq(20.0).all()
    direct = log.calls[log.calls["kind"] == "direct"]
    assert direct["dialed"].tolist() == ["1001"]


def test_cdr_in_gmt_is_read_in_the_office_zone():
    local = read_log(LOGS / "usegmtime_Master.csv", "asterisk-cdr-csv", tz="America/New_York")
    assert local.calls["arrival"].dt.strftime("%H:%M").tolist() == [
        "09:00", "10:30", "14:15", "16:45"]
    utc = read_log(LOGS / "usegmtime_Master.csv", "asterisk-cdr-csv")
    assert utc.calls["arrival"].dt.strftime("%H:%M").tolist()[0] == "13:00"


@pytest.mark.parametrize("name", ["cdr_custom_Master.csv", "database_export_cdr.csv",
                                  "freeswitch_Master.csv"])
def test_cdr_in_another_layout_is_refused(tmp_path, capsys, name):
    code, _, err, _ = _fit(tmp_path, capsys, str(LOGS / name), "--format", "asterisk-cdr-csv")
    assert code == 2
    assert "not in cdr_csv's Master.csv layout" in err
    assert "accountcode, src, dst, dcontext, clid, channel, dstchannel" in err
    assert "Traceback" not in err


def test_csv_negative_talk_is_refused_naming_row_and_column(tmp_path, capsys):
    code, _, err, _ = _fit(tmp_path, capsys, str(LOGS / "cloud_pbx_calls.csv"), "--format",
                           "csv", "--columns", str(LOGS / "cloud_pbx_swapped_columns.yaml"))
    assert code == 2
    assert "cloud_pbx_calls.csv:2: column 'Answered' (end) gives a negative talk time" in err


def test_csv_negative_wait_is_refused(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(textwrap.dedent("""\
        Start,Wait,To,Agent
        2024-01-01 09:00:00,12,600,101
        2024-01-01 09:10:00,-3,600,101
    """))
    with pytest.raises(Exception, match=r"calls.csv:3: column 'Wait' \(wait\) gives a negative"):
        read_log(path, "csv", columns="arrival=Start,wait=Wait,dialed=To,agent=Agent")


def test_csv_without_pilot_guesses_it_and_keeps_direct_calls_apart():
    log = read_log(LOGS / "cloud_pbx_calls.csv", "csv",
                   columns=LOGS / "cloud_pbx_columns.yaml")
    assert log.calls["kind"].value_counts().to_dict() == {"pilot": 18, "direct": 6}
    assert set(log.calls.loc[log.calls["kind"] == "pilot", "dialed"]) == {"8000"}
    assert any("pilot not given" in r for r in log.warnings.counts)


def test_csv_times_with_a_utc_offset_are_read_in_the_office_zone(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("Start,Answered,Ended,Agent\n"
                    "2024-01-01T14:00:00+00:00,2024-01-01T14:00:10+00:00,"
                    "2024-01-01T14:02:10+00:00,101\n"
                    "2024-01-01T15:00:00Z,,2024-01-01T15:00:30Z,\n")
    log = read_log(path, "csv", columns="arrival=Start,answer=Answered,end=Ended,agent=Agent",
                   tz="America/New_York")
    assert log.calls["arrival"].dt.strftime("%H:%M").tolist() == ["09:00", "10:00"]
    assert (log.calls["wait_s"].iloc[0], log.calls["talk_s"].iloc[0]) == (10.0, 120.0)


def test_cdr_cancel_is_a_hang_up(tmp_path):
    path = tmp_path / "Master.csv"
    path.write_text('"","5551234","600","from-pstn","","PJSIP/trunk-0000000a","","Queue",'
                    '"600","2024-01-01 09:00:00",,"2024-01-01 09:00:12",12,0,"CANCEL",'
                    '"DOCUMENTATION"\n')
    log = read_log(path, "asterisk-cdr-csv", pilot="600")
    assert (log.calls["outcome"].tolist(), log.calls["leave_s"].tolist()) == (
        ["abandoned"], [12.0])


def test_added_paused_then_unpaused_at_once_is_no_pause(tmp_path):
    t = 1704099600
    path = tmp_path / "queue_log"
    path.write_text("\n".join([
        f"{t}|MANAGER|q|SIP/1001|ADDMEMBER|PAUSED",
        f"{t}|NONE|q|SIP/1001|UNPAUSE|Auto-Unpause",
        f"{t + 600}|NONE|q|SIP/1001|PAUSE|Lunch",
        f"{t + 900}|NONE|q|SIP/1001|UNPAUSE|",
        f"{t + 1000}|a|q|NONE|ENTERQUEUE||1|1",
        f"{t + 1003}|a|q|SIP/1001|CONNECT|3|x|3",
        f"{t + 1100}|a|q|SIP/1001|COMPLETEAGENT|3|97|1",
        f"{t + 3000}|MANAGER|q|SIP/1001|REMOVEMEMBER|",
        f"{t + 3600}|MANAGER|q|SIP/1001|ADDMEMBER|PAUSED",  # added paused: a real pause
        f"{t + 7200}|NONE|q|SIP/1001|UNPAUSE|"]) + "\n")
    log = read_log(path, "asterisk-queue-log")
    stretches = presence_table(log.presence, "1001", log.start, log.end)
    paused = stretches[stretches["state"] == "paused"]
    assert (paused["end"] - paused["start"]).dt.total_seconds().tolist() == [300.0, 3600.0]
    assert paused["reason"].tolist() == ["Lunch", "added paused"]


DAMAGED = {"issabel_queue_log": "asterisk-queue-log",
           "freepbx_queue_log_realtime.tsv": "asterisk-queue-log",
           "queue_log_adaptive_realtime.csv": "asterisk-queue-log",
           "issabel_Master.csv": "asterisk-cdr-csv", "usegmtime_Master.csv": "asterisk-cdr-csv"}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(sorted(DAMAGED)), data=st.data())
def test_damaged_real_logs_read_or_fail_clearly(tmp_path, name, data):
    """Lines dropped, cut short, swapped or garbled (the header kept): a LogData or a
    LogError naming the file, never a traceback."""
    lines = (LOGS / name).read_text().splitlines()[:150]
    head, body = (lines[:1], lines[1:]) if "realtime" in name else ([], lines)
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
            body[i] = body[i].replace(data.draw(st.sampled_from(list("|,:-0 \"\t.S"))),
                                      data.draw(st.sampled_from(["", "x", "|", ",", "\t",
                                                                 "99999", "\x00"])))
    path = tmp_path / name
    path.write_text("\n".join(head + body) + "\n")
    try:
        log = read_log(path, DAMAGED[name], tz="America/Bogota")
    except LogError as error:
        assert str(path) in str(error)
    else:
        assert len(log.calls) and set(log.calls["outcome"]) <= {
            "answered", "voicemail", "busy", "no_answer", "abandoned"}
        for member in log.members:
            stretches = presence_table(log.presence, member, log.start, log.end)
            assert (stretches["end"] >= stretches["start"]).all()


def test_a_member_only_ever_removed_is_left_out(tmp_path):
    """Removed at a restart and never back: not a member present round the clock."""
    t = 1704099600
    path = tmp_path / "queue_log"
    path.write_text("\n".join([
        f"{t}|NONE|NONE|NONE|QUEUESTART|",
        f"{t}|CLI|q|SIP/1009|REMOVEMEMBER|",
        f"{t + 60}|CLI|q|SIP/1001|ADDMEMBER|",
        f"{t + 1000}|a|q|NONE|ENTERQUEUE||1|1",
        f"{t + 1003}|a|q|SIP/1001|CONNECT|3|x|3",
        f"{t + 1100}|a|q|SIP/1001|COMPLETEAGENT|3|97|1"]) + "\n")
    log = read_log(path, "asterisk-queue-log")
    assert log.members == ["1001"]
    assert "SIP/1009" in "".join(log.warnings.messages())
