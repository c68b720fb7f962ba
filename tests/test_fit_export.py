"""Exporting a run as Asterisk logs: queue_log lines and Master.csv rows per outcome."""

from __future__ import annotations

import csv
import dataclasses

import pytest

import huntsim
from huntsim.cli.main import main
from huntsim.fit.export import cdr_csv_text, queue_log_text

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
