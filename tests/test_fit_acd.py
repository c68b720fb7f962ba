"""The fit and the export speak the ACD keys: penalties, members of several queues, call backs.

The queue_log fixtures are written as Asterisk writes them (``apps/app_queue.c``):

- ``PENALTY``: ``ast_queue_log(q->name, "NONE", interface, "PENALTY", "%d", penalty)``
  in ``set_member_penalty_help_members`` (app_queue.c line 8181 at asterisk/asterisk
  f0c1c1a7b7): callid ``NONE``, the agent field the member's interface.
- ``ADDMEMBER``: ``ast_queue_log(..., "ADDMEMBER", "%s", paused ? "PAUSED" : "")``
  (line 8673): the penalty a member joins with is not logged.
- ``EXITWITHKEY``: ``"%s|%d|%d|%ld", qe.digits, qe.pos, qe.opos, waited`` (line 9200).
- ``CONNECT|holdtime|uniqueid|ringtime``, ``COMPLETECALLER|holdtime|calltime|origposition``.
"""

from __future__ import annotations

import pytest

import huntsim
from huntsim.cli.main import main
from huntsim.fit.export import export_log, queue_log_text
from huntsim.fit.logs import read_log
from huntsim.scenario.model import Scenario

T0 = 1704099600  # Monday 2024-01-01 09:00 UTC
SHARED = "one_group_per_member"
NO_SHARED_KEY = pytest.mark.skipif(
    SHARED not in Scenario.model_fields,
    reason="the scenario's top-level one_group_per_member (issue 22, branch acd-shared) is "
           "not on this branch: a member in several groups is refused")


def _call(t: int, n: int, queue: str, agent: str, hold: int = 3, talk: int = 120) -> list[str]:
    """One answered call as app_queue.c logs it (ENTERQUEUE, CONNECT, COMPLETECALLER)."""
    uid = f"{t}.{n}"
    return [f"{t}|{uid}|{queue}|NONE|ENTERQUEUE||+1555{n:07d}|1",
            f"{t + hold}|{uid}|{queue}|{agent}|CONNECT|{hold}|{t + hold}.{n}9|{hold}",
            f"{t + hold + talk}|{uid}|{queue}|{agent}|COMPLETECALLER|{hold}|{talk}|1"]


def _write(tmp_path, lines: list[str]):
    path = tmp_path / "queue_log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _penalty_log(tmp_path, change_at: int | None = None):
    """Queue ``sales``: 201 and 202; 202's penalty set to 2 at the start (and back to
    0 at ``change_at``); 20 calls, one every 10 minutes, alternately answered."""
    lines = [f"{T0}|NONE|NONE|NONE|QUEUESTART|",
             f"{T0}|NONE|sales|PJSIP/202|PENALTY|2"]
    if change_at is not None:
        lines.append(f"{T0 + change_at}|NONE|sales|PJSIP/202|PENALTY|0")
    for n in range(20):
        lines += _call(T0 + 60 + 600 * n, n, "sales", f"PJSIP/20{1 + n % 2}")
    return _write(tmp_path, sorted(lines, key=lambda line: int(line.split("|")[0])))


def _members(fitted) -> list:
    return fitted.mapping["hunt_groups"][0]["members"]


def test_penalty_lines_are_read_per_member(tmp_path):
    log = read_log(_penalty_log(tmp_path), "asterisk-queue-log")
    assert log.penalties is not None
    assert log.penalties[["agent", "penalty"]].values.tolist() == [["202", 2]]
    assert not [r for r in log.warnings.counts if "unknown event" in r]


def test_fit_writes_the_penalty_most_calls_came_under(tmp_path):
    # 202's penalty is 2 until 9:00 + 2h (12 of 20 calls), then 0
    fitted = huntsim.fit(_penalty_log(tmp_path, change_at=7000), replications=0)
    assert _members(fitted) == [{"number": "201", "penalty": 0},
                                {"number": "202", "penalty": 2}]
    assert fitted.scenario.hunt_groups[0].penalties == (0, 2)
    source = fitted.settings.set_index("setting").loc["penalties", "source"]
    assert "PENALTY" in source and "most" in source
    assert any("202's penalty changed" in w and "penalty 0: 8" in w and "penalty 2: 12" in w
               for w in fitted.warnings)


def test_penalty_after_most_calls_is_not_the_fitted_one(tmp_path):
    # set to 2 only after 16 of 20 calls: before the first PENALTY line, Asterisk's 0
    lines = [f"{T0}|NONE|NONE|NONE|QUEUESTART|"]
    for n in range(20):
        lines += _call(T0 + 60 + 600 * n, n, "sales", f"PJSIP/20{1 + n % 2}")
    lines.append(f"{T0 + 60 + 600 * 16 - 30}|NONE|sales|PJSIP/202|PENALTY|2")
    path = _write(tmp_path, sorted(lines, key=lambda line: int(line.split("|")[0])))
    fitted = huntsim.fit(path, replications=0)
    assert _members(fitted) == ["201", "202"]  # every penalty 0: written plainly
    assert fitted.settings.set_index("setting").loc["penalties", "value"] == "201: 0, 202: 0"


def test_staggered_policy_drops_the_penalties_with_a_warning(tmp_path):
    fitted = huntsim.fit(_penalty_log(tmp_path), policy="staggered", replications=0)
    assert _members(fitted) == ["201", "202"]
    assert any("penalties read but not written" in w and "202: 2" in w
               for w in fitted.warnings)


def test_penalty_under_the_interface_goes_to_the_member_name(tmp_path):
    # ADDMEMBER and PENALTY under the interface, rings under the member name
    # (log_membername_as_agent off): one member, Bob, with penalty 1
    lines = [f"{T0}|NONE|NONE|NONE|QUEUESTART|",
             f"{T0 + 1}|NONE|sales|SIP/1001|ADDMEMBER|",
             f"{T0 + 1}|NONE|sales|SIP/1002|ADDMEMBER|",
             f"{T0 + 2}|NONE|sales|SIP/1002|PENALTY|1"]
    for n in range(12):
        lines += _call(T0 + 60 + 600 * n, n, "sales", "Alice" if n % 3 else "Bob")
    path = _write(tmp_path, sorted(lines, key=lambda line: int(line.split("|")[0])))
    log = read_log(path, "asterisk-queue-log")
    assert set(log.penalties["agent"]) <= set(log.members)
    fitted = huntsim.fit(path, replications=0)
    penalty = {m["number"]: m["penalty"] for m in _members(fitted)}
    assert penalty["Bob"] == 1 and penalty["Alice"] == 0


PENALTY_OFFICE = {
    "duration": "1d", "start": "mon 08:00",
    "caller_patience": {"dist": "exponential", "mean": "3min"},
    "agents": [{"number": n, "talk_time": "3min"} for n in ("201", "202", "203")],
    "hunt_groups": [{
        "pilot": "200", "when_all_busy": "queue",
        "members": ["201", {"number": "202", "penalty": 1}, {"number": "203", "penalty": 2}],
        "arrivals": {"rate": "30/h"},
        "callback": {"offer_after": "60s", "accept": 0.5, "reached": 0.8}}],
}


def test_export_writes_penalty_lines_as_asterisk_does():
    lines = queue_log_text(huntsim.simulate(PENALTY_OFFICE, seed=3)).splitlines()
    t0 = lines[0].split("|")[0]
    assert lines[1:3] == [f"{t0}|NONE|200|PJSIP/202|PENALTY|1",
                          f"{t0}|NONE|200|PJSIP/203|PENALTY|2"]
    assert not any("PENALTY|0" in line for line in lines)


def test_penalties_round_trip_through_export_and_fit(tmp_path):
    result = huntsim.simulate(PENALTY_OFFICE, seed=3)
    fitted = huntsim.fit(export_log(result, "asterisk-queue-log", tmp_path), replications=0)
    assert _members(fitted) == [{"number": "201", "penalty": 0},
                                {"number": "202", "penalty": 1},
                                {"number": "203", "penalty": 2}]


def _tiered(policy: str) -> dict:
    """Two members of penalty 0, two of penalty 1, busy enough (30 calls/h of 3 min) that
    a ringall queue often has one free member of the lowest penalty to ring."""
    return {"duration": "1d", "start": "mon 08:00",
            "caller_patience": {"dist": "exponential", "mean": "3min"},
            "agents": [{"number": n, "talk_time": "3min", "answer_probability": 0.7,
                        "answer_delay": "5s"} for n in ("201", "202", "203", "204")],
            "hunt_groups": [{"pilot": "200", "policy": policy, "when_all_busy": "queue",
                             "members": ["201", "202", {"number": "203", "penalty": 1},
                                         {"number": "204", "penalty": 1}],
                             "arrivals": {"rate": "30/h"}}]}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ringall_with_penalties_is_still_read_as_ringall(tmp_path, seed):
    # with penalties Asterisk's ringall rings only the free members of the lowest penalty
    # (often one); a one-at-a-time hunt never starts two rings together
    fits = {}
    for policy in ("simultaneous", "regular"):
        (tmp_path / policy).mkdir()
        path = export_log(huntsim.simulate(_tiered(policy), seed=seed), "asterisk-queue-log",
                          tmp_path / policy)
        fits[policy] = huntsim.fit(path, replications=0)
    assert fits["simultaneous"].mapping["hunt_groups"][0]["policy"] == "simultaneous"
    assert fits["regular"].mapping["hunt_groups"][0]["policy"] != "simultaneous"


def test_a_call_back_is_exported_as_a_key_press_and_read_back_as_abandoned(tmp_path):
    result = huntsim.simulate(PENALTY_OFFICE, seed=3)
    calls = result.calls[result.calls["kind"] == "pilot"]
    took = calls[calls["outcome"].isin(["called_back", "callback_missed"])]
    assert len(took) >= 5  # the check below has something to check
    text = queue_log_text(result)
    keyed = [line.split("|") for line in text.splitlines() if "|EXITWITHKEY|" in line]
    assert len(keyed) == len(took)
    assert {tuple(f[5:6] + f[8:]) for f in keyed} == {("1", "60")}  # key 1, after offer_after
    log = read_log(export_log(result, "asterisk-queue-log", tmp_path), "asterisk-queue-log")
    assert len(log.calls) == len(calls)
    outcomes = log.calls["outcome"].value_counts()
    assert outcomes["abandoned"] == int((calls["outcome"] == "abandoned").sum()) + len(took)
    assert outcomes["answered"] == int((calls["outcome"] == "answered").sum())
    assert (log.calls["leave_s"] == 60).sum() >= len(took)


@pytest.mark.parametrize("format", ["asterisk-cdr-csv", "csv"])
def test_a_call_back_reads_back_as_abandoned_in_every_format(tmp_path, format):
    result = huntsim.simulate(PENALTY_OFFICE, seed=3)
    calls = result.calls[result.calls["kind"] == "pilot"]
    took = int(calls["outcome"].isin(["called_back", "callback_missed"]).sum())
    path = export_log(result, format, tmp_path)
    columns = tmp_path / "calls_log_columns.yaml" if format == "csv" else None
    log = read_log(path, format, pilot="200", columns=columns)
    pilot = log.calls[log.calls["kind"] == "pilot"]
    assert len(pilot) == len(calls)
    outcomes = pilot["outcome"].value_counts()
    assert outcomes["abandoned"] == int((calls["outcome"] == "abandoned").sum()) + took
    assert outcomes["answered"] == int((calls["outcome"] == "answered").sum())
    # they left the queue after offer_after (60 s), not when called back
    assert (pilot["leave_s"].round() == 60).sum() >= took


def test_fit_reads_a_timed_call_back_offer_and_keeps_the_base_one(tmp_path):
    # the export writes every call back taken as a key press at offer_after: a timed offer,
    # read back with its offer_after and accept (reached is not in the log: assumed 1)
    result = huntsim.simulate(PENALTY_OFFICE, seed=3)
    path = export_log(result, "asterisk-queue-log", tmp_path)
    plain = huntsim.fit(path, replications=0)
    row = plain.settings.set_index("setting").loc["callback"]
    assert row["source"].startswith("read from the log") and "reached assumed" in row["source"]
    callback = plain.mapping["hunt_groups"][0]["callback"]
    assert callback["offer_after"] == "60s" and callback["reached"] == 1.0
    share = plain.parameters.set_index("parameter").loc["call back taken (share offered)"]
    assert share["low"] <= 0.5 <= share["high"]
    based = huntsim.fit(path, base=PENALTY_OFFICE, replications=0)
    assert based.scenario.hunt_groups[0].callback == result.scenario.hunt_groups[0].callback


def _two_queue_log(tmp_path, shared: bool = True):
    """Queues ``sales`` (201, 202) and ``support`` (301, and 201 when ``shared``)."""
    lines = [f"{T0}|NONE|NONE|NONE|QUEUESTART|"]
    for n in range(24):
        lines += _call(T0 + 60 + 300 * n, n, "sales", f"PJSIP/20{1 + n % 2}")
    support = ["PJSIP/301", "PJSIP/201" if shared else "PJSIP/301"]
    for n in range(12):
        lines += _call(T0 + 200 + 600 * n, 100 + n, "support", support[n % 2])
    return _write(tmp_path, sorted(lines, key=lambda line: int(line.split("|")[0])))


def test_a_member_of_two_queues_is_one_agent_in_each_group(tmp_path):
    from huntsim.fit.queues import joined_mapping

    path = _two_queue_log(tmp_path)
    fits = [huntsim.fit(path, queue=q, replications=0) for q in ("sales", "support")]
    mapping, notes = joined_mapping(fits, ["sales", "support"])
    assert [a["number"] for a in mapping["agents"]] == ["201", "202", "301"]
    assert [(g["pilot"], g["members"]) for g in mapping["hunt_groups"]] == [
        ("sales", ["201", "202"]), ("support", ["201", "301"])]
    assert mapping[SHARED] is False
    assert any("member 201 is in queues sales, support" in n and "queue sales" in n
               for n in notes)


def test_disjoint_queues_need_no_shared_key(tmp_path):
    fitted = huntsim.fit(_two_queue_log(tmp_path, shared=False), all_queues=True)
    assert SHARED not in fitted.mapping
    assert [g.pilot for g in fitted.scenario.hunt_groups] == ["sales", "support"]
    assert [g.members for g in fitted.scenario.hunt_groups] == [("201", "202"), ("301",)]
    assert fitted.backtests == []


def test_all_queues_header_counts_the_calls_of_every_queue(tmp_path, capsys):
    """trial-acd2 4: the header counted only the busiest queue's calls."""
    path = _two_queue_log(tmp_path, shared=False)
    out = tmp_path / "office.yaml"
    assert main(["fit", str(path), "--format", "asterisk-queue-log", "--all-queues",
                 "--out", str(out), "--force"]) == 0
    said = "36 calls in 2 queues (sales: 24, support: 12)"
    assert f"queue_log: {said} from " in capsys.readouterr().out
    assert said in out.read_text(encoding="utf-8").splitlines()[0]
    one = huntsim.fit(path, queue="sales", replications=0)
    assert one.calls_fitted() == "24 calls"


def test_a_queue_that_cannot_be_fitted_is_left_out_and_said(tmp_path):
    path = _two_queue_log(tmp_path, shared=False)
    with path.open("a", encoding="utf-8") as log:  # a third queue whose callers all hung up
        for n in range(3):
            t = T0 + 90000 + 600 * n
            log.write(f"{t}|{t}.{n}|night|NONE|ENTERQUEUE||+15550000{n}|1\n"
                      f"{t + 20}|{t}.{n}|night|NONE|ABANDON|1|1|20\n")
    fitted = huntsim.fit(path, all_queues=True)
    assert [g.pilot for g in fitted.scenario.hunt_groups] == ["sales", "support"]
    assert fitted.warnings[0].startswith("queue night left out: ")


@NO_SHARED_KEY
def test_all_queues_fit_of_a_shared_member_loads(tmp_path):
    fitted = huntsim.fit(_two_queue_log(tmp_path), all_queues=True)
    assert getattr(fitted.scenario, SHARED) is False
    assert [g.members for g in fitted.scenario.hunt_groups] == [("201", "202"), ("201", "301")]
    assert [a.number for a in fitted.scenario.agents] == ["201", "202", "301"]
    assert huntsim.simulate(fitted.scenario, seed=1).calls is not None


@NO_SHARED_KEY
def test_shared_members_round_trip_through_export_and_fit(tmp_path):
    office = {
        "duration": "1d", "start": "mon 08:00", SHARED: False,
        "agents": [{"number": n, "talk_time": "3min"} for n in ("201", "202", "301")],
        "hunt_groups": [
            {"pilot": "200", "when_all_busy": "queue", "arrivals": {"rate": "20/h"},
             "members": ["201", {"number": "202", "penalty": 1}]},
            {"pilot": "300", "when_all_busy": "queue", "arrivals": {"rate": "10/h"},
             "members": ["301", "201"]}],
    }
    result = huntsim.simulate(office, seed=5)
    text = queue_log_text(result)
    # a shared member's calls are logged in the queue of each call
    assert any("|300|PJSIP/201|CONNECT|" in line for line in text.splitlines())
    fitted = huntsim.fit(export_log(result, "asterisk-queue-log", tmp_path), all_queues=True)
    assert getattr(fitted.scenario, SHARED) is False
    groups = {g.pilot: dict(zip(g.members, g.penalties or [0] * len(g.members), strict=True))
              for g in fitted.scenario.hunt_groups}
    assert groups == {"200": {"201": 0, "202": 1}, "300": {"201": 0, "301": 0}}
    assert sorted(a.number for a in fitted.scenario.agents) == ["201", "202", "301"]
    # queue weight is not in the log: --base's priorities are kept
    office["hunt_groups"][1]["priority"] = 1
    based = huntsim.fit(tmp_path / "queue_log", all_queues=True, base=office)
    assert [g.priority for g in based.scenario.hunt_groups] == [0, 1]


def test_queue_weight_is_listed_as_not_in_the_log(tmp_path):
    fitted = huntsim.fit(_two_queue_log(tmp_path), queue="sales", replications=0)
    table = fitted.not_in_log.set_index("item")
    note = table.loc["queue weight (priorities between queues)", "note"]
    assert "weight" in note and "priority" in note
    assert table.loc["members' calls from other queues", "seen"] == "6"


def test_all_queues_refuses_other_formats_and_a_queue(tmp_path, capsys):
    path = _two_queue_log(tmp_path, shared=False)
    out = tmp_path / "office.yaml"
    assert main(["fit", str(path), "--format", "csv", "--all-queues", "--out", str(out)]) == 2
    assert "--all-queues" in capsys.readouterr().err
    with pytest.raises(huntsim.ScenarioError, match=r"--all-queues.*--holdout"):
        huntsim.fit(path, all_queues=True, holdout="1w")
    assert main(["fit", str(path), "--format", "asterisk-queue-log", "--all-queues",
                 "--out", str(out)]) == 0
    assert "support" in out.read_text(encoding="utf-8")
