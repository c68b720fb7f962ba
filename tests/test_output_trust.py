"""Issue 19, verdicts a planner can misread: sweep output in words, no raw column names,
intervals clipped to their range, terminal tables fitted to the width."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from huntsim.analysis.catalog import METRICS, TARGET_METRICS
from huntsim.analysis.formatting import format_interval, format_value
from huntsim.cli.main import main
from huntsim.views.console import text_table

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
LOGS = SCENARIOS / "logs"

RAW_KEYS = sorted(name for name in {*METRICS, *TARGET_METRICS, "service_level_20s",
                                    "rang_out", "ks_p", "pilot_load_erlang"} if "_" in name)
"""Column names a person should never read in the terminal (those that are not words)."""

SMALL_OFFICE = """\
name: small office
duration: 1d
seed: 3
caller_patience: {dist: exponential, mean: 40s}
agent_defaults: {talk_time: 3min, answer_probability: 0.9}
agents: [{number: "1"}, {number: "2"}, {number: "3"}]
hunt_groups:
  - pilot: "9"
    policy: circular
    members: ["1", "2", "3"]
    voicemail: true
    when_all_busy: queue
    arrivals: {rate: 25/h}
"""


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "office.yaml"
    path.write_text(SMALL_OFFICE)
    return path


def _commands(office: Path, tmp_path: Path) -> dict[str, list[str]]:
    many = ["--replications", "2", "--jobs", "1", "--quiet"]
    return {
        "run": ["run", str(office)],
        "compare": ["compare", str(office), "--policies", "regular,circular", *many],
        "plan": ["plan", str(office), "--group", "9", "--target", "voicemail_rate<=5%",
                 "--members", "2..3", *many],
        "sweep": ["sweep", str(office), "--set", "traffic=1.0,1.5", "--policies",
                  "regular,circular", *many],
        "fit": ["fit", str(LOGS / "queue_log"), "--format", "asterisk-queue-log", "--out",
                str(tmp_path / "fitted.yaml"), "--replications", "2"],
    }


@pytest.mark.parametrize("command", ["run", "compare", "plan", "sweep", "fit"])
@pytest.mark.parametrize("columns", [80, 200])
def test_terminal_output_fits_the_width_and_names_no_column(command, columns, office, tmp_path,
                                                          capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(_commands(office, tmp_path)[command]) == 0
    out = capsys.readouterr().out
    longest = max(out.splitlines(), key=len)
    assert len(longest) <= columns, longest
    words = set(re.findall(r"[a-z0-9_]+", out))
    assert not words & set(RAW_KEYS), sorted(words & set(RAW_KEYS))


def test_sweep_prints_labels_with_units_a_policy_column_and_a_conclusion(office, capsys,
                                                                        monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["sweep", str(office), "--set", "traffic=1.0,2.0", "--policies",
                 "regular,circular", "--replications", "3", "--jobs", "1", "--quiet"]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if "Policy" in line)
    assert "Traffic (x arrival rates)" in header
    for head in ("Answered within 20 s (%)", "Voicemail (%)", "Mean wait to answer",
                 "Caller hung up (%)"):  # hang-ups shown: callers give up after 40 s
        assert head in header, head
    assert re.search(r"^1\.0 +Circular ", out, re.M) and re.search(r"^2\.0 +Regular ", out, re.M)
    conclusion = re.search(r"Regular keeps answered within 20 s at 80 % or more [^.]*; "
                           r"Circular [^.]*\.", out)
    assert conclusion, out
    assert "clearly best" in out


def test_sweep_report_has_the_conclusion_and_legible_figures(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_sweep import SMALL

    from huntsim.experiments.sweeps import sweep
    from huntsim.views.sweep_report import sweep_figures

    result = sweep(SMALL, {"traffic": [1.0, 2.0], "hunt_groups[0].no_answer_rings": [2, 4]},
                   policies=["regular", "circular", "uniform"], replications=2, jobs=1)
    page = result.report(tmp_path / "out").read_text()
    assert "Conclusion" in page and "keeps answered within 20 s at 80 % or more" in page
    assert "<th>Policy</th>" in page and "Voicemail (%)" in page
    for fig, _ in sweep_figures(result, "9").values():
        assert fig.get_figwidth() * 110 <= 1100  # shown unscaled in the report's column
        sizes = [t.get_fontsize() for ax in fig.axes if ax.get_visible()
                 for t in [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label]]
        assert min(sizes) >= 10


def test_a_near_zero_rate_has_no_interval_below_zero(office, capsys):
    # two replications, hang-ups of 8.5 % with a t half-width of 10.7 points: the interval
    # reaches below 0 (the seed is chosen for that; the check is of the writing, not a
    # statistical claim)
    assert main(["compare", str(office), "--policies", "regular,circular",
                 "--replications", "2", "--jobs", "1", "--quiet", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Caller hung up \(% of calls\) +8\.5 \(0\.0 to \d+\.\d\) %", out), out
    assert not re.search(r"(?<![\d.])-\d", out.split("\n\n", 1)[1]), out  # no negative end
    for cell in re.findall(r"(\d+\.\d+) ± (\d+\.\d+) %", out):
        assert float(cell[0]) - float(cell[1]) >= -0.05, cell
        assert float(cell[0]) + float(cell[1]) <= 100.05, cell


def test_intervals_are_clipped_to_what_a_figure_can_be():
    assert format_value("abandoned_rate", 0.003, 0.010) == "0.3 (0.0 to 1.3) %"
    assert format_interval("service_level_20s", 0.99, 0.96, 1.02) == "99.0 (96.0 to 100.0) %"
    assert format_interval("mean_wait_s", 2.0, -1.0, 5.0) == "2.00 (0.00 to 5.00) s"
    assert format_value("voicemail_rate", 0.042, 0.003) == "4.2 ± 0.3 %"  # inside: as before


def test_tables_fit_the_width_repeating_their_first_column():
    header = ["", *(f"Column number {i} (% of calls)" for i in range(8))]
    rows = [[f"row label {r}", *(f"{10 * r + i}.0 ± 0.1" for i in range(8))] for r in range(3)]
    for width in (40, 80, 200):
        text = text_table(header, rows, width=width)
        assert max(len(line) for line in text.splitlines()) <= width
        for r in range(3):
            for i in range(8):
                assert f"{10 * r + i}.0 ± 0.1" in text
    assert text_table(header, rows, width=80).count("row label 0") >= 2  # in blocks


def test_a_sweep_of_one_replication_draws_no_conclusion(office, capsys):
    assert main(["sweep", str(office), "--set", "traffic=1.0,1.5", "--replications", "1",
                 "--jobs", "1", "--quiet"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "at least two replications are needed for intervals" in out
    assert "run at least two replications to draw a conclusion" in out
    assert "keeps answered" not in out and "±" not in out


def test_the_outcome_share_bars_stop_at_zero():
    import numpy as np
    import pandas as pd

    from huntsim.views.plots import plot_outcome_share

    table = pd.DataFrame({"policy": ["regular", "circular"], "metric": ["abandoned_rate"] * 2,
                          "mean": [0.003, 0.02], "ci_low": [-0.007, 0.01],
                          "ci_high": [0.013, 0.03]})
    ax = plot_outcome_share(table, "abandoned")
    ends = np.concatenate([np.asarray(c.get_segments()).reshape(-1, 2)[:, 0]
                           for c in ax.collections if hasattr(c, "get_segments")])
    assert len(ends) and ends.min() >= 0


def test_a_column_too_wide_for_the_terminal_wraps_its_text():
    note = " ".join(f"word{i}" for i in range(30))
    text = text_table(["Item", "Note"], [["redials", note], ["overflow", "short"]], width=40)
    assert max(len(line) for line in text.splitlines()) <= 40
    assert "…" not in text and " ".join(text.split()).count("word29") == 1
    assert all(f"word{i}" in text for i in range(30))
