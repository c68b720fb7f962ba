"""Callers who leave a queue by a key, and members busy in other queues, in the fit.

- ``EXITWITHKEY`` (``app_queue.c``: ``"%s|%d|%d|%ld", qe.digits, qe.pos, qe.opos,
  waited``): the caller pressed a key that leads out of the queue (a call back, another
  IVR option). They had not hung up: caller patience reads them as censored, they are
  counted in "Not in the log", and a call back a member may have made then is not read
  as wrap-up.
- A member of several queues: the gaps in which they served another queue are not
  wrap-up (the next ring in any queue of the log ends a wrap-up).

Round trips (simulate a known office, export its queue_log, fit it back) check the
fitted values against the truth with the fit's own 95 % intervals over several seeds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import huntsim
from huntsim.fit.export import export_log
from huntsim.fit.inference import wrap_up_gaps
from huntsim.fit.keys import KEY_EXITS
from huntsim.fit.logs import read_log

FIXTURES = Path(__file__).parent / "fixtures" / "logs"
ROOT = Path(__file__).resolve().parents[1]
T0 = 1704099600  # Monday 2024-01-01 09:00 UTC


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "queue_log"
    lines = sorted(lines, key=lambda line: int(line.split("|")[0]))
    path.write_text("\n".join([f"{T0 - 60}|NONE|NONE|NONE|QUEUESTART|", *lines]) + "\n",
                    encoding="utf-8")
    return path


def _answered(t: int, uid: str, queue: str, agent: str, hold: int, talk: int,
              ring: int = 5) -> list[str]:
    """A call entering at ``t``, answered after ``hold`` s (the last ``ring`` s ringing)."""
    return [f"{t}|{uid}|{queue}|NONE|ENTERQUEUE||+1555{abs(hash(uid)) % 10**7:07d}|1",
            f"{t + hold}|{uid}|{queue}|{agent}|CONNECT|{hold}|{t + hold}.9|{ring}",
            f"{t + hold + talk}|{uid}|{queue}|{agent}|COMPLETECALLER|{hold}|{talk}|1"]


def _shared_member_log(tmp_path: Path, blocks: int = 24) -> Path:
    """Queues ``sales`` (201, 202) and ``support`` (201). Each hour: 201 ends a sales call
    at +105 s while a sales caller waits (202 is busy), is rung for a support caller at
    +115 s (a wrap-up of 10 s), talks till +420 and takes the waiting sales caller at
    +430 s (10 s again)."""
    lines = []
    for k in range(blocks):
        t = T0 + 3600 * k
        lines += _answered(t, f"{t}.1", "sales", "PJSIP/201", 5, 100)
        lines += _answered(t + 1, f"{t}.2", "sales", "PJSIP/202", 4, 600)
        lines += _answered(t + 60, f"{t}.3", "sales", "PJSIP/201", 375, 60)
        lines += _answered(t + 100, f"{t}.4", "support", "PJSIP/201", 20, 300)
    return _write(tmp_path, lines)


def test_a_ring_in_another_queue_ends_the_wrap_up(tmp_path):
    path = _shared_member_log(tmp_path)
    log = read_log(path, "asterisk-queue-log", queue="sales")
    assert log.other_rings is not None
    assert set(log.other_rings["queue"]) == {"support"}
    gaps, seen = wrap_up_gaps(log)
    # before: 201's next sales ring, 325 s later (the support call read as wrap-up)
    assert seen.sum() == 24 and set(gaps[seen]) == {10.0}
    fitted = huntsim.fit(path, queue="sales", replications=0)
    rows = fitted.parameters[fitted.parameters["parameter"] == "mean wrap-up"]
    assert rows["value"].tolist() == pytest.approx([10.0], rel=0.05)


def test_all_queues_fit_reads_the_same_wrap_up(tmp_path):
    fitted = huntsim.fit(_shared_member_log(tmp_path), all_queues=True)
    rows = fitted.parameters[fitted.parameters["parameter"] == "mean wrap-up"]
    assert rows["value"].tolist() == pytest.approx([10.0], rel=0.05)


def _keyed_log(tmp_path: Path, calls: int = 40) -> Path:
    """Queue ``help``, 101 and 102: a caller every 5 min; of each four, one is answered
    after 20 s, one presses 1 after 45 s (EXITWITHKEY), two hang up after 30 + 2n s."""
    lines = []
    for n in range(calls):
        t, uid = T0 + 300 * n, f"{T0 + 300 * n}.{n}"
        if n % 4 == 0:
            lines += _answered(t, uid, "help", f"PJSIP/10{1 + n % 2}", 20, 120)
            continue
        lines.append(f"{t}|{uid}|help|NONE|ENTERQUEUE||+1555{n:07d}|1")
        if n % 4 == 1:
            lines.append(f"{t + 45}|{uid}|help|NONE|EXITWITHKEY|1|1|1|45")
        else:
            lines.append(f"{t + 30 + 2 * n}|{uid}|help|NONE|ABANDON|1|1|{30 + 2 * n}")
    return _write(tmp_path, lines)


def test_callers_who_left_by_a_key_are_censored_and_counted(tmp_path):
    path = _keyed_log(tmp_path)
    log = read_log(path, "asterisk-queue-log")
    assert len(log.key_exits) == 10 and set(log.key_exits["queue"]) == {"help"}
    # the calls table keeps them as abandoned (the back-test's shares)
    assert (log.calls["outcome"] == "abandoned").sum() == 30
    fitted = huntsim.fit(path, replications=0)
    assert fitted.patience.events == 20  # the hang-ups only
    assert fitted.patience.censored == 20  # 10 answered, 10 who left by a key
    table = fitted.not_in_log.set_index("item")
    assert table.loc[KEY_EXITS, "seen"] == "10"
    note = table.loc[KEY_EXITS, "note"]
    assert "EXITWITHKEY" in note and "call-back" in note and "censored" in note
    # too few (10 < 20) to read an offer from
    assert "has no call back" in note and "callback" not in fitted.mapping["hunt_groups"][0]


def test_a_timed_offer_is_fitted_as_the_groups_callback(tmp_path):
    # 80 callers: 20 left by a key at 45 s; still queued then, 36 who hung up later
    fitted = huntsim.fit(_keyed_log(tmp_path, calls=80), replications=0)
    assert fitted.mapping["hunt_groups"][0]["callback"] == {
        "offer_after": "45s", "accept": round(20 / 56, 4), "reached": 1.0}
    row = fitted.settings.set_index("setting").loc["callback"]
    assert row["source"].startswith("read from the log") and "reached assumed" in row["source"]
    share = fitted.parameters.set_index("parameter").loc["call back taken (share offered)"]
    assert share["n"] == 56 and share["low"] < 20 / 56 < share["high"]
    note = fitted.not_in_log.set_index("item").loc[KEY_EXITS, "note"]
    assert "20 left after 45 s in the queue, 36% of the 56 callers" in note
    assert "fitted as the group's callback" in note
    # --base's callback wins
    base = fitted.mapping | {"hunt_groups": [fitted.mapping["hunt_groups"][0] | {
        "callback": {"offer_after": "50s", "accept": 0.2, "reached": 0.7}}]}
    based = huntsim.fit(tmp_path / "queue_log", base=base, replications=0)
    assert based.mapping["hunt_groups"][0]["callback"]["reached"] == 0.7


def test_the_realtime_fixtures_key_exit_is_read():
    log = read_log(FIXTURES / "freepbx_queue_log_realtime.tsv", "asterisk-queue-log",
                   tz="America/New_York")
    assert log.key_exits["call_id"].tolist() == ["1715004000.5"]
    assert str(log.key_exits["left"].iloc[0]) == "2024-05-06 10:00:25"
    assert log.calls.set_index("call_id").loc["1715004000.5", "outcome"] == "abandoned"


@pytest.mark.parametrize("format", ["asterisk-cdr-csv", "csv"])
def test_other_formats_say_they_cannot_show_key_exits(tmp_path, format):
    result = huntsim.simulate(CALLBACK_DESK, seed=1)
    path = export_log(result, format, tmp_path)
    columns = tmp_path / "calls_log_columns.yaml" if format == "csv" else None
    fitted = huntsim.fit(path, format=format, pilot="200", columns=columns,
                         replications=0)
    row = fitted.not_in_log.set_index("item").loc[KEY_EXITS]
    assert row["seen"] == "-" and "hung up" in row["note"]


CALLBACK_DESK = {
    "duration": "2d", "start": "mon 08:00",
    "caller_patience": {"dist": "exponential", "mean": "3min"},
    "agents": [{"number": n, "talk_time": {"dist": "exponential", "mean": "4min"},
                "wrap_up": {"dist": "exponential", "mean": "30s"}}
               for n in ("201", "202", "203")],
    "hunt_groups": [{
        "pilot": "200", "when_all_busy": "queue", "members": ["201", "202", "203"],
        "arrivals": {"rate": "40/h"},
        "callback": {"offer_after": "60s", "accept": 0.5, "reached": 0.8}}],
}
"""An office of its own with call backs (the trial's: patience fitted 102 s, truth 180 s)."""


def _covered(rows, truth: float) -> list[bool]:
    return [bool(low <= truth <= high) for low, high in zip(rows["low"], rows["high"],
                                                            strict=True)]


def test_call_backs_do_not_bias_patience_nor_wrap_up(tmp_path):
    """Patience: the truth (180 s) inside the fit's 95 % interval for every seed (before:
    call backs read as hang-ups, about 100 s). Wrap-up: the estimates' average within
    15 % of the truth (30 s; before: 90-150 s, the unseen call backs read as wrap-up); the
    estimator reads some 6 % high in this office even without call backs (a member rung
    out for a caller is not rung for them again, idle while they wait)."""
    wraps, outside = [], []
    for seed in (1, 2, 3, 4):
        result = huntsim.simulate(CALLBACK_DESK, seed=seed)
        assert result.calls["outcome"].isin(["called_back", "callback_missed"]).sum() >= 20
        out = tmp_path / str(seed)
        out.mkdir()
        fitted = huntsim.fit(export_log(result, "asterisk-queue-log", out), replications=0)
        p = fitted.parameters
        patience = p[p["parameter"] == "mean caller patience"]
        outside += [f"seed {seed}: {r.value:.0f} s ({r.low:.0f}-{r.high:.0f})" for r, ok in
                    zip(patience.itertuples(), _covered(patience, 180.0), strict=True)
                    if not ok]
        wraps += p.loc[p["parameter"] == "mean wrap-up", "value"].tolist()
    assert not outside, outside
    assert len(wraps) == 4 and np.mean(wraps) == pytest.approx(30.0, rel=0.15)


SUPPORT_SEEDS = (1, 2, 3, 4)


def test_support_desk_round_trips_with_all_queues(tmp_path):
    """The shipped support desk (eight members in two queues, General's call backs),
    exported and fitted back with ``all_queues``: the truth (wrap-up 60 s, patience 240 s,
    call back taken by 40 %) inside the fit's 95 % intervals for every seed (before:
    wrap-up 155 s, patience 171 s, both far outside; no call back), and the wrap-up
    estimates' average within 10 %."""
    office = huntsim.load_scenario(ROOT / "scenarios" / "support_desk.yaml")
    outside, wraps = [], []
    for seed in SUPPORT_SEEDS:
        out = tmp_path / str(seed)
        out.mkdir()
        fitted = huntsim.fit(export_log(huntsim.simulate(office, seed=seed),
                                        "asterisk-queue-log", out), all_queues=True)
        p = fitted.parameters
        wrap = p[p["parameter"] == "mean wrap-up"]
        patience = p[(p["parameter"] == "mean caller patience") & (p["scope"] == "410")]
        wraps += wrap["value"].tolist()
        outside += [f"seed {seed}: wrap-up {r.value:.0f} s ({r.low:.0f}-{r.high:.0f})"
                    for r, ok in zip(wrap.itertuples(), _covered(wrap, 60.0), strict=True)
                    if not ok]
        outside += [f"seed {seed}: patience {r.value:.0f} s ({r.low:.0f}-{r.high:.0f})"
                    for r, ok in zip(patience.itertuples(), _covered(patience, 240.0),
                                     strict=True) if not ok]
        keyed = fitted.not_in_log.set_index("item").loc[KEY_EXITS]
        assert int(keyed["seen"]) > 0 and keyed["note"].startswith("queue 410 (")
        # General's call back offer (90 s, accept 0.4) read back; Priority has none
        groups = {g["pilot"]: g for g in fitted.mapping["hunt_groups"]}
        assert "callback" not in groups["400"]
        assert groups["410"]["callback"]["offer_after"] == "90s"
        taken = p[p["parameter"] == "call back taken (share offered)"]
        outside += [f"seed {seed}: accept {r.value:.2f} ({r.low:.2f}-{r.high:.2f})"
                    for r, ok in zip(taken.itertuples(), _covered(taken, 0.4), strict=True)
                    if not ok]
    # 4 figures a seed, each inside its 95 % interval unless unlucky: at most one outside
    assert len(outside) <= 1, outside
    assert np.mean(wraps) == pytest.approx(60.0, rel=0.10)


def test_a_ring_all_queue_adds_no_stopped_ring_for_a_member_busy_elsewhere(tmp_path):
    """Ring-all ``sales`` (201, 202, 203) rings everyone, then 201 answers the second round;
    203 is on a ``support`` call then in every other call: their phone did not ring, so no
    cut-short ring is added for them there (before: one in every call)."""
    lines = []
    for n in range(12):
        t, uid = T0 + 600 * n, f"{T0 + 600 * n}.{n}"
        lines.append(f"{t}|{uid}|sales|NONE|ENTERQUEUE||+1555{n:07d}|1")
        lines += [f"{t + 15}|{uid}|sales|PJSIP/{m}|RINGNOANSWER|15000" for m in (201, 202, 203)]
        lines += [f"{t + 25}|{uid}|sales|PJSIP/201|CONNECT|25|{t + 25}.9|5",
                  f"{t + 85}|{uid}|sales|PJSIP/201|COMPLETECALLER|25|60|1"]
        if n % 2:
            lines += _answered(t + 16, f"{t}.s{n}", "support", "PJSIP/203", 2, 180, ring=2)
    log = read_log(_write(tmp_path, lines), "asterisk-queue-log", queue="sales")
    cut = log.rings[log.rings["result"] == "cancelled"]["agent"].value_counts()
    assert cut.to_dict() == {"202": 12, "203": 6}


def test_the_back_test_sees_a_call_back_as_the_log_does():
    """A simulated caller who took a call back left the queue: abandoned, as in every log."""
    from huntsim.fit.backtest import simulated_calls

    result = huntsim.simulate(CALLBACK_DESK, seed=1)
    truth = result.calls[result.calls["kind"] == "pilot"]["outcome"].value_counts()
    seen = simulated_calls(result, pd.Timestamp("2024-01-01"), False)["outcome"]
    assert not seen.isin(["called_back", "callback_missed"]).any()
    assert (seen == "abandoned").sum() == truth["abandoned"] + truth["called_back"] + \
        truth["callback_missed"]
