"""'Not in the log': redials, overflow between queues and members' other queues (issue 20)."""

from __future__ import annotations

import copy

import pytest
from scipy import stats

import huntsim
from huntsim.fit.export import export_log
from huntsim.fit.fitting import fit
from huntsim.fit.unseen import other_queues

REDIAL_PROBABILITY = 0.5
REDIALS = {
    "name": "redial office", "duration": "2w", "ring_cycle": "6s",
    "caller_patience": {"dist": "exponential", "mean": "40s"},
    "agent_defaults": {"answer_probability": 0.8, "answer_delay": "4s",
                       "talk_time": {"dist": "exponential", "mean": "4min"}},
    "agents": [{"number": "101"}, {"number": "102"}],
    "hunt_groups": [{"pilot": "200", "members": ["101", "102"], "voicemail": True,
                     "when_all_busy": "queue",
                     "redial": {"on": ["abandoned", "voicemail"],
                                "probability": REDIAL_PROBABILITY,
                                "delay": {"dist": "exponential", "mean": "3min"}},
                     "arrivals": {"weekly": {"mon-fri": {"09:00": "20/h", "17:00": "0/h"}}}}],
}
FIRST_CALLS_PER_WEEK = 20 * 8 * 5


@pytest.fixture(scope="module")
def redial_run(tmp_path_factory):
    result = huntsim.simulate(REDIALS, seed=2)
    log = export_log(result, "asterisk-queue-log", tmp_path_factory.mktemp("redials"))
    return result, fit(log, replications=0)


def test_redials_are_counted_and_fitted(redial_run):
    result, fitted = redial_run
    true_redials = int((result.calls["attempt"] > 1).sum())
    row = fitted.not_in_log.set_index("item").loc["redials"]
    assert abs(int(row["seen"]) - true_redials) <= 0.02 * true_redials, row
    redial = fitted.scenario.hunt_groups[0].redial
    assert redial is not None and set(redial.on) == {"abandoned", "voicemail"}
    chances = int(fitted.parameters.set_index("parameter").loc["redial probability", "n"])
    half = stats.norm.ppf(0.9995) * (REDIAL_PROBABILITY * (1 - REDIAL_PROBABILITY)
                                     / chances) ** 0.5
    assert abs(redial.probability - REDIAL_PROBABILITY) <= half
    assert 120 <= redial.delay.mean <= 240  # 3 min, from whole-second log times
    # the pilot's traffic is the first calls only (redials come from the redial setting)
    week = fitted.parameters.set_index("parameter").loc["pilot calls per week"]
    assert week["low"] <= FIRST_CALLS_PER_WEEK <= week["high"]


def test_the_terminal_lists_what_is_not_in_the_log(redial_run, tmp_path, capsys):
    from huntsim.cli.main import main

    log = export_log(redial_run[0], "asterisk-queue-log", tmp_path)
    assert main(["fit", str(log), "--format", "asterisk-queue-log", "--replications", "0",
                 "--out", str(tmp_path / "office.yaml")]) == 0
    out = capsys.readouterr().out
    assert "Not in the log (the fit could not see these):" in out
    assert "overflow to other queues" in out and "redials" in out


OVERFLOW = {
    "name": "overflow office", "duration": "1w", "ring_cycle": "6s",
    "agent_defaults": {"answer_probability": 0.9, "answer_delay": "3s",
                       "talk_time": {"dist": "exponential", "mean": "5min"}},
    "agents": [{"number": "101"}, {"number": "102"}, {"number": "301"}],
    "hunt_groups": [
        {"pilot": "200", "members": ["101", "102"], "voicemail": True, "when_all_busy": "queue",
         "max_wait": "30s", "forward": {"when": ["queue_timeout"], "to": "300"},
         "arrivals": {"weekly": {"mon-fri": {"09:00": "25/h", "17:00": "0/h"}}}},
        {"pilot": "300", "members": ["301"], "voicemail": True},
    ],
}


def test_overflow_chains_are_counted_both_ways(tmp_path):
    result = huntsim.simulate(OVERFLOW, seed=4)
    calls = result.calls
    passed_on = int(((calls["dialed"].astype(str) == "200") & (calls["forwards"] > 0)).sum())
    assert passed_on > 20
    log = export_log(result, "asterisk-queue-log", tmp_path)
    out_of = fit(log, queue="200", replications=0).not_in_log.set_index("item")
    assert int(out_of.loc["overflow to other queues", "seen"]) == passed_on
    assert f"{passed_on} to 300" in out_of.loc["overflow to other queues", "note"]
    into = fit(log, queue="300", replications=0).not_in_log.set_index("item")
    assert int(into.loc["overflow from other queues", "seen"]) == passed_on


def test_members_answering_other_queues_are_counted(tmp_path):
    lines = ["1704099600|1.1|sales|NONE|ENTERQUEUE||+15550001",
             "1704099605|1.1|sales|PJSIP/101|CONNECT|5|1.2|5",
             "1704099700|1.1|sales|PJSIP/101|COMPLETECALLER|5|95|1",
             "1704099800|2.1|support|NONE|ENTERQUEUE||+15550002",
             "1704099803|2.1|support|PJSIP/101|CONNECT|3|2.2|3",
             "1704099900|2.1|support|PJSIP/101|COMPLETEAGENT|3|97|1"]
    path = tmp_path / "queue_log"
    path.write_text("\n".join(lines) + "\n")
    seen = other_queues(path, "sales", ["101"])
    assert seen is not None and seen["answered_elsewhere"] == {"101": 1}


def test_a_cdr_says_it_cannot_tell(tmp_path):
    office = copy.deepcopy(REDIALS)
    del office["hunt_groups"][0]["redial"]
    log = export_log(huntsim.simulate(office, seed=1), "asterisk-cdr-csv", tmp_path)
    table = fit(log, format="asterisk-cdr-csv", replications=0).not_in_log.set_index("item")
    assert table.loc["overflow to other queues", "seen"] == "-"
    assert table.loc["members' calls from other queues", "seen"] == "-"


def test_a_base_redial_is_kept_and_traffic_counts_first_calls(redial_run, tmp_path):
    result, _ = redial_run
    log = export_log(result, "asterisk-queue-log", tmp_path)
    base = copy.deepcopy(REDIALS)
    base["hunt_groups"][0]["redial"]["probability"] = 0.3
    fitted = fit(log, base=base, replications=0)
    assert fitted.scenario.hunt_groups[0].redial.probability == 0.3
    week = fitted.parameters.set_index("parameter").loc["pilot calls per week"]
    assert week["low"] <= FIRST_CALLS_PER_WEEK <= week["high"]
    assert "too few to fit" not in fitted.not_in_log.set_index("item").loc["redials", "note"]
