"""The Python views word a run as the command line does (issue 22 trial, finding 14):
groups headed ``VIP (100)``, ``All pilot calls``, an office's own name after "of",
and validate's line naming call waiting and priorities, durations in words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from huntsim import load_scenario, simulate
from huntsim.cli.main import main, run_text


def two_groups(name: str = "my help desk", second_name: str | None = None) -> dict[str, Any]:
    """VIP (100, named) and 200 (named or not) sharing member 101, for two hours."""
    agents = [{"number": n, "talk_time": "2min"} for n in ("101", "102", "201")]
    second: dict[str, Any] = {"pilot": "200", "members": ["101", "201"], "priority": 1,
                              "when_all_busy": "queue", "arrivals": {"rate": "20/h"}}
    if second_name:
        second["name"] = second_name
    return {"name": name, "duration": "2h", "warmup": "20min", "one_group_per_member": False,
            "agents": agents,
            "hunt_groups": [{"pilot": "100", "name": "VIP", "members": ["101", "102"],
                             "when_all_busy": "queue", "arrivals": {"rate": "10/h"}},
                            second]}


@pytest.fixture(scope="module")
def run():
    return simulate(two_groups(), seed=1)


def test_the_repr_says_the_office_as_named_and_heads_rows_as_the_command_line(run):
    text = repr(run)
    assert text.startswith("Result: 1 hour 40 minutes of my help desk (seed 1), 3 agents")
    assert "of the my" not in text and "pilot all pilot calls" not in text
    rows = [line.split(":")[0].strip() for line in text.splitlines()[1:]]
    assert rows == ["VIP (100)", "pilot 200", "All pilot calls"]
    assert "VIP (100)" in run_text(run, run.summary())


def test_the_jupyter_table_heads_columns_as_the_command_line_and_summary_keys_stay(run):
    html = run._repr_html_()
    heads = re.findall(r"<th>([^<]*)</th>", html)
    assert heads[1:4] == ["VIP (100)", "200", "All pilot calls"]
    assert run.summary().index.tolist() == ["100", "200", "all pilot calls"]  # keys unchanged


def test_a_name_that_reads_as_an_office_gets_the():
    result = simulate(two_groups(name="support office"), seed=1)
    assert repr(result).startswith("Result: 1 hour 40 minutes of the support office (seed 1)")


def test_validate_names_call_waiting_and_priorities_with_durations_in_words(tmp_path: Path,
                                                                            capsys):
    data = two_groups(second_name="Standard")
    data["agents"].append({"number": "202", "talk_time": "2min"})
    data["hunt_groups"][0].update(call_waiting=True, call_waiting_answer=0.5)
    data["hunt_groups"][1].update(
        members=["101", "201", {"number": "202", "penalty": 1}], penalty_wait="5min",
        max_wait="20min", callback={"offer_after": "90s", "accept": 0.4, "reached": 0.9})
    load_scenario(data)
    path = tmp_path / "desk.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert ("VIP (Regular, 2 members, call waiting (picked up 50 %), priority 0), Standard "
            "(Regular, 3 members in 2 penalty tiers (each next tier after 5 minutes), call "
            "backs offered after 1 minute 30 seconds, priority 1)") in out


def test_a_comparison_says_the_office_as_named():
    from huntsim import compare

    comparison = compare(two_groups(), policies=["regular", "circular"], replications=2,
                         seed=1, jobs=1, progress=False)
    assert " of my help desk (seed 1)" in repr(comparison)
    assert " on my help desk, pilot " in comparison._repr_html_()
