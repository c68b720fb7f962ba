"""The command line: exit codes, messages without tracebacks, written tables."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pandas as pd
import pytest
import yaml
from helpers import office

from huntsim.cli.main import main

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "office.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_scenarios_are_valid(path, capsys):
    assert main(["validate", str(path)]) == 0
    assert "valid" in capsys.readouterr().out


def test_invalid_scenario_exits_2_with_field_named_messages(tmp_path, capsys):
    data = office()
    data["hunt_groups"][0]["members"].append("555-0199")
    assert main(["validate", str(write(tmp_path, data))]) == 2
    err = capsys.readouterr().err
    assert "hunt_groups[0].members[3]: '555-0199' is not an agent" in err
    assert "Traceback" not in err


def test_missing_file_and_bad_arguments_exit_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "none.yaml")]) == 2
    assert main(["run", str(SCENARIOS / "erlang_b.yaml"), "--policy", "fastest"]) == 2
    assert main(["run", str(SCENARIOS / "erlang_b.yaml"), "--seed", "-1"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_run_writes_tables_and_summary(tmp_path, capsys):
    scenario = write(tmp_path, office(trace=[0, 10, 20, 500]))
    out = tmp_path / "out"
    assert main(["run", str(scenario), "--seed", "5", "--policy", "circular",
                 "--out", str(out)]) == 0
    for name in ("calls", "offers", "agents"):
        parquet = pd.read_parquet(out / f"{name}.parquet")
        csv = pd.read_csv(out / f"{name}.csv")
        assert len(parquet) == len(csv) > 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 5 and summary["policy"] == "circular"
    assert summary["summary"]["PILOT"]["offered"] == 4
    assert "Answered (% of calls)" in capsys.readouterr().out
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_existing_results_are_not_overwritten_without_force(tmp_path, capsys):
    scenario = write(tmp_path, office())
    out = tmp_path / "out"
    assert main(["run", str(scenario), "--out", str(out)]) == 0
    before = (out / "calls.csv").read_bytes()
    assert main(["run", str(scenario), "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (out / "calls.csv").read_bytes() == before
    assert main(["run", str(scenario), "--out", str(out), "--force"]) == 0


@pytest.fixture
def umask():
    """Set the process's umask for one test, then put it back."""
    previous = os.umask(0o022)
    os.umask(previous)

    def set_to(mask: int) -> None:
        os.umask(mask)

    yield set_to
    os.umask(previous)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_written_files_honour_the_umask(tmp_path, umask, mask):
    # before, every file came out 0600 (a temporary file renamed): colleagues on a
    # shared drive could not open the report
    umask(mask)
    out = tmp_path / "out"
    assert main(["run", str(write(tmp_path, office())), "--out", str(out)]) == 0
    assert main(["compare", str(SCENARIOS / "front_desk_simultaneous.yaml"), "--policies",
                 "regular", "--replications", "2", "--jobs", "1", "--quiet",
                 "--out", str(out / "compare")]) == 0
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 10 and (out / "compare" / "report.html") in files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path


FRONT_DESK = str(SCENARIOS / "front_desk_simultaneous.yaml")  # its own seed is 3
SMALL = ["--replications", "2", "--jobs", "1", "--quiet"]
PLAN = ["plan", FRONT_DESK, "--group", "400", "--members", "2,3", *SMALL]


@pytest.mark.parametrize("argv", [
    ["compare", FRONT_DESK, "--policies", "regular,circular", *SMALL],
    [*PLAN, "--target", "voicemail_rate<=0.3"],
])
def test_compare_and_plan_use_the_scenario_seed_unless_told(tmp_path, argv):
    def figures(*seed: str) -> pd.DataFrame:
        out = tmp_path / ("seed" + "-".join(seed))
        assert main([*argv, *seed, "--out", str(out)]) == 0
        return pd.read_csv(out / "replications.csv")

    own = figures()
    pd.testing.assert_frame_equal(own, figures("--seed", "3"))
    assert not own.equals(figures("--seed", "0"))  # before: no --seed meant seed 0


@pytest.mark.parametrize("argv", [
    ["compare", FRONT_DESK, "--group", "999", *SMALL],
    [*PLAN, "--group", "999", "--target", "voicemail_rate<=0.3"],
    [*PLAN, "--target", "voicemail<=0.3"],
    [*PLAN, "--target", "service_level_20s>=0.8", "--threshold", "30s"],
    [*PLAN, "--target", "service_level_20s>=0.8", "--target", "service_level_30s>=0.5"],
    [*PLAN, "--target", "voicemail_rate<=0.3", "--hour-length", "2h"],
])
def test_a_mistake_creates_no_output_directory(tmp_path, capsys, argv):
    out = tmp_path / "out"
    assert main([*argv, "--out", str(out)]) == 2
    assert "error: --" in capsys.readouterr().err
    assert not out.exists()  # before: it was made, and the corrected run needed --force


def test_the_corrected_command_needs_no_force(tmp_path):
    out = tmp_path / "out"
    target = ["--target", "voicemail_rate<=0.3"]
    assert main([*PLAN, *target, "--group", "999", "--out", str(out)]) == 2
    assert main([*PLAN, *target, "--out", str(out)]) == 0
    assert (out / "report.html").exists()
    assert main(["compare", FRONT_DESK, "--group", "999", *SMALL, "--out", str(out / "c")]) == 2
    assert main(["compare", FRONT_DESK, *SMALL, "--out", str(out / "c")]) == 0


def test_plan_threshold_sets_the_service_level_it_reports(tmp_path, capsys):
    out = tmp_path / "out"
    assert main([*PLAN, "--target", "service_level>=0.5", "--threshold", "30s",
                 "--out", str(out)]) == 0
    metrics = set(pd.read_csv(out / "staffing_curve.csv")["metric"])
    assert "service_level_30s" in metrics and "service_level_20s" not in metrics
    assert "erlang_c_service_level_30s" in pd.read_csv(out / "erlang_estimate.csv").columns
    assert "Answered within 30 s >= 50 %" in capsys.readouterr().out
    # with targets of other metrics too (before, --threshold changed nothing)
    assert main([*PLAN, "--target", "voicemail_rate<=0.3", "--threshold", "45s",
                 "--out", str(tmp_path / "other")]) == 0
    assert "service_level_45s" in set(pd.read_csv(tmp_path / "other" / "staffing_curve.csv")
                                      ["metric"])


def test_plan_threshold_that_disagrees_with_a_target_is_refused(capsys):
    assert main([*PLAN, "--target", "service_level_20s>=0.8", "--threshold", "30s"]) == 2
    assert capsys.readouterr().err == (
        "error: --target: 'service_level_20s' measures service within 20 s, not within the "
        "plan's threshold of 30 s; write 'service_level' or 'service_level_30s'\n")


def test_cli_messages_name_flags_one_per_mistake(capsys):
    assert main([*PLAN, "--group", "999", "--target", "wait<5", "--target",
                 "voicemail_rate<=0.1"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "error: --group: '999' is not a pilot (pilots: '400')",
        "error: --target: 'wait' is not a metric; did you mean 'mean_wait_s' or 'p50_wait_s' "
        "or 'p90_wait_s'?",
    ]


@pytest.mark.parametrize(("target", "message"), [
    ("voicemial_rate<=5%", "'voicemial_rate' is not a metric; did you mean 'voicemail_rate'"),
    ("voicemail_rate<=5", "voicemail_rate is a share between 0 and 1; write 5% or 0.05"),
    ("mean_wait_s<=5%", "mean_wait_s is a time; write it in s, min or h, not in %"),
    ("jain_index>=90%", "jain_index has no unit; write a plain number"),
    ("mean_wait_s<=3parsecs", "'parsecs' is not a unit of time"),
])
def test_targets_with_wrong_units_or_names_exit_2_naming_the_flag(target, message, capsys):
    assert main([*PLAN, "--target", target]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --target: ") and message in err
    assert err.count("error:") == 1 and "Traceback" not in err


def test_plan_reads_targets_in_percent_and_seconds_and_prints_the_curve(tmp_path, capsys):
    assert main([*PLAN, "--target", "voicemail_rate<=5%", "--target", "mean_wait_s<=10s",
                 "--members", "1..3"]) == 0
    out = capsys.readouterr().out
    assert "Voicemail <= 5 % and Mean wait to answer <= 10 s" in out
    assert "Staffing curve" in out and "Meets targets" in out
    assert "± is the half-width of the 95 % confidence interval over 2 replications" in out
    assert "first estimate:" in out and "peak hour" in out


def test_hour_length_needs_by_hour(capsys):
    assert main([*PLAN, "--target", "voicemail_rate<=0.3", "--hour-length", "2h"]) == 2
    assert capsys.readouterr().err == "error: --hour-length: only used with --by-hour\n"
    assert main([*PLAN, "--target", "voicemail_rate<=0.3", "--by-hour", "--hour-length",
                 "0s"]) == 2
    assert "--hour-length: '0s' must be longer than 0 s" in capsys.readouterr().err


def test_run_of_an_office_week_writes_absences_and_counts_after_hours(tmp_path, capsys):
    scenario = {
        "duration": "1d", "start": "mon 08:00",
        "agents": [{"number": "A", "talk_time": "1min", "schedule": ["mon 09:00-10:00"]},
                   {"number": "B", "talk_time": "1min"}],
        "hunt_groups": [{"pilot": "100", "members": ["A", "B"], "voicemail": True,
                         "open": ["mon 08:30-17:00"], "arrivals": {"trace": [0, 3600, 5000]}}],
    }
    path = tmp_path / "week.yaml"
    path.write_text(yaml.safe_dump(scenario))
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 0
    assert "2 calls reported (and 1 after hours, rung to nobody)" in capsys.readouterr().out
    absences = pd.read_csv(out / "absences.csv")
    assert absences[["agent", "reason", "start_s", "end_s"]].values.tolist() == [
        ["A", "logged_out", 0.0, 3600.0], ["A", "logged_out", 7200.0, 86400.0]]
    assert pd.read_csv(out / "calls.csv")["after_hours"].tolist() == [True, False, False]


def test_version_prints_the_installed_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"huntsim {version('huntsim')}"


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["validate", "REAL_ESTATE"]])
def test_start_up_loads_no_heavy_module(argv):
    """`huntsim --help` and `validate` stay quick: no numerical library is imported."""
    import subprocess
    import sys

    argv = [str(SCENARIOS / "real_estate.yaml") if a == "REAL_ESTATE" else a for a in argv]
    code = ("import sys\nfrom huntsim.cli.main import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            "heavy = ('scipy', 'pandas', 'matplotlib', 'simpy', 'dask')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_run_prints_labels_with_units_and_whole_counts(tmp_path, capsys):
    assert main(["run", str(write(tmp_path, office(trace=[0.0, 5.0, 400.0]))),
                 "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "Calls offered" in out and "Mean wait to answer (s)" in out
    assert " %" in out
    assert ".000" not in out and "nan" not in out.lower()


def test_compare_prints_the_verdict_against_the_configured_policy(capsys):
    assert main(["compare", FRONT_DESK, *SMALL, "--policies", "regular,simultaneous"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Baseline: Simultaneous (the group's configured policy).")
    assert "Regular vs Simultaneous:" in out and "Recommendation:" in out
    assert "Answered within 20 s (% of calls)" in out
    assert "± is the half-width of the 95 % confidence interval over 2 replications" in out
    assert "nan" not in out.lower()


def test_plan_sizes_for_the_caller_figures(capsys):
    assert main([*PLAN, "--target", "callers_answered_rate>=60%", "--target",
                 "first_attempt_busy_rate<=1%"]) == 0
    out = capsys.readouterr().out
    assert "Callers" in out and "callers)" in out  # the curve's wrapped header
    assert "Callers answered >= 60 % and Busy signal on the first attempt <= 1 %" in out
    assert "not measured per run" not in out


def test_a_reversed_members_range_is_named_so(capsys):
    # issue 19: "--members 20..2 says the range is reversed"
    assert main(["plan", str(SCENARIOS / "real_estate.yaml"), "--group", "555-0100",
                 "--target", "voicemail_rate<=5%", "--members", "20..2"]) == 2
    err = capsys.readouterr().err
    assert "argument --members: '20..2' is reversed; write the smaller size first (2..20)" in err
    assert "--members: --members" not in err


def test_a_penalty_wait_below_the_time_resolution_exits_2_not_a_traceback(tmp_path, capsys):
    data = office(trace=[0, 1], when_all_busy="queue", penalty_wait=1e-7)
    data["hunt_groups"][0]["members"][1] = {"number": "B", "penalty": 1}
    assert main(["run", str(write(tmp_path, data))]) == 2
    err = capsys.readouterr().err
    assert "hunt_groups[0].penalty_wait: 1e-07 s is shorter than" in err
    assert "Traceback" not in err
