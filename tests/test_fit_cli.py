"""``huntsim fit`` from the command line: the sample logs, the report, and clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import huntsim
from huntsim.cli.main import main
from huntsim.views.html import STYLE

LOGS = Path(__file__).resolve().parent.parent / "scenarios" / "logs"


def test_fit_sample_queue_log_writes_scenario_and_report(tmp_path, capsys):
    out, report = tmp_path / "office.yaml", tmp_path / "report"
    code = main(["fit", str(LOGS / "queue_log"), "--format", "asterisk-queue-log",
                 "--queue", "200", "--tz", "UTC", "--out", str(out), "--report", str(report),
                 "--holdout", "2w", "--replications", "4"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert main(["validate", str(out)]) == 0
    office = huntsim.load_scenario(out)
    assert [a.number for a in office.agents] == ["201", "202", "203"]
    page = (report / "report.html").read_text()
    assert "Back-test" in page and "Fitted values" in page and "<img" in page
    assert f"<style>{STYLE}</style>" in page  # the one page kit of every report
    assert not re.search(r"""(src|href)=["']https?:""", page)  # self-contained
    for name in ("parameters.csv", "settings.csv", "traffic.csv", "backtest.csv"):
        assert (report / name).exists()
    assert "back-test on 2024-01-14 to 2024-01-28" in printed.out


def test_fit_sample_csv_with_its_column_mapping(tmp_path, capsys):
    out = tmp_path / "office.yaml"
    assert main(["fit", str(LOGS / "calls_log.csv"), "--format", "csv", "--pilot", "200",
                 "--columns", str(LOGS / "calls_log_columns.yaml"), "--out", str(out),
                 "--base", str(LOGS / "office.yaml")]) == 0
    text = out.read_text()
    assert "policy: circular (--base)" in text and "direct_calls" in text


@pytest.mark.parametrize(("args", "message"), [
    (["--queue", "sales"], "no calls of queue 'sales'"),
    (["--holdout", "5w"], "--holdout: '5w' leaves less than a week"),
    (["--holdout", "soon"], "--holdout:"),
    (["--policy", "round_robin"], "--policy: 'round_robin' is not a policy"),
    (["--no-answer-rings", "0"], "--no-answer-rings: 0 must be from 1 to 100"),
    (["--tz", "Mars/Olympus"], "--tz: 'Mars/Olympus' is not a time zone"),
])
def test_fit_errors_name_the_flag(tmp_path, capsys, args, message):
    code = main(["fit", str(LOGS / "queue_log"), "--format", "asterisk-queue-log",
                 "--out", str(tmp_path / "o.yaml"), *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "o.yaml").exists()


def test_fit_unusable_log_is_exit_2_naming_file_and_line(tmp_path, capsys):
    log = tmp_path / "queue_log"
    log.write_text("1704067200|a|q|NONE|ENTERQ\ngarbage\n")
    assert main(["fit", str(log), "--format", "asterisk-queue-log",
                 "--out", str(tmp_path / "o.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"{log}:2" in err and "unknown event 'ENTERQ'" in err
    assert main(["fit", str(tmp_path / "missing"), "--format", "asterisk-cdr-csv",
                 "--out", str(tmp_path / "o.yaml")]) == 2
    assert "no such log file" in capsys.readouterr().err


def test_fit_refuses_to_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / "o.yaml"
    out.write_text("keep me")
    assert main(["fit", str(LOGS / "Master.csv"), "--format", "asterisk-cdr-csv",
                 "--out", str(out)]) == 2
    assert out.read_text() == "keep me" and "--force" in capsys.readouterr().err
