"""Terminal tables: labels with units, values as people read them, rows that matter."""

from __future__ import annotations

import math

import pandas as pd
from helpers import office

from huntsim import load_scenario, simulate
from huntsim.views.console import agents_text, intervals_text, summary_text, text_table


def _summary(**extra: list[float]) -> pd.DataFrame:
    columns = {"offered": [746.0], "voicemail_rate": [0.042], "mean_wait_s": [12.34],
               "after_hours": [0.0], "forwarded_rate": [0.0], "forwarded_in": [0.0],
               "callers": [746.0], "attempts_per_caller": [1.0],
               "callers_answered_rate": [0.9], "first_attempt_busy_rate": [0.01], **extra}
    return pd.DataFrame(columns, index=pd.Index(["100"], name="scope"))


def test_summary_rows_are_labelled_with_units_and_read_as_people_read_them():
    text = summary_text(_summary(), {"100": "Main line (100)"})
    lines = text.splitlines()
    assert lines[0].strip() == "Main line (100)"
    assert any(line.startswith("Calls offered") and line.endswith("746") for line in lines)
    assert any(line.startswith("Voicemail (% of calls)") and line.endswith("4.2 %")
               for line in lines)
    assert any(line.startswith("Mean wait to answer (s)") and line.endswith("12.3 s")
               for line in lines)


def test_rows_about_nothing_are_left_out():
    text = summary_text(_summary())
    for hidden in ("After-hours", "Forwarded", "Callers", "first attempt"):
        assert hidden not in text
    redials = summary_text(_summary(attempts_per_caller=[1.3], forwarded_rate=[0.02]))
    assert "Callers answered (% of callers)" in redials
    assert "Busy signal on the first attempt (% of callers)" in redials
    assert "Forwarded (% of calls)" in redials


def test_the_agent_table_has_units_in_headers_and_none_in_cells():
    result = simulate(load_scenario(office(trace=[0.0, 10.0, 4000.0], talk=90)), seed=1)
    text = agents_text(result.agents)
    assert "(min:s)" in text or "(s)" in text
    assert "%" in text.splitlines()[0] + text.splitlines()[1] + text.splitlines()[2]
    body = "\n".join(line for line in text.splitlines() if line.startswith(("A", "B", "C ")))
    assert " s" not in body and "%" not in body and ".000" not in body


def test_intervals_say_plus_minus_only_when_there_is_an_interval():
    table = pd.DataFrame({"policy": ["a", "b"], "metric": "voicemail_rate",
                          "mean": [0.05, 0.07], "ci_low": [0.04, math.nan],
                          "ci_high": [0.06, math.nan]})
    text = intervals_text(table, "policy", ["voicemail_rate", "mean_wait_s"])
    assert "5.0 ± 1.0 %" in text and "7.0 %" in text
    assert "nan" not in text.lower() and "Mean wait" not in text


def test_long_headers_wrap_and_columns_align():
    text = text_table(["", "Answered within 20 s (% of calls)"], [["x", "1.0 %"]], wrap=12)
    lines = text.splitlines()
    assert len(lines) > 2 and all(len(line) <= len("x") + 2 + 12 for line in lines)
    assert lines[-1].endswith("1.0 %")
