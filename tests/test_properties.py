"""Invariants that every run of every valid scenario must keep (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import scenarios, waiting_queues

from huntsim import load_scenario, simulate
from huntsim.analysis.catalog import OUTCOMES
from huntsim.sim.records import OFFER_RESULTS
from huntsim.sim.totals import FOLD_BLOCK, WAIT_RESOLUTION_S, RunningTotals

CASES = 120
EPS = 1e-6


def check_invariants(scenario, result) -> None:
    calls, offers = result.calls, result.offers
    # every call has exactly one outcome, and one row
    assert calls["call_id"].is_unique
    assert calls["outcome"].notna().all() and set(calls["outcome"].astype(str)) <= set(OUTCOMES)
    assert set(offers["result"].astype(str)) <= set(OFFER_RESULTS)
    # answered calls have an agent and a wait >= 0; so do calls called back (a member
    # talked with them: callback); others have neither
    answered = calls["outcome"] == "answered"
    talked = answered | (calls["outcome"] == "called_back")
    assert calls.loc[talked, "agent"].notna().all()
    assert (calls.loc[talked, "wait_s"] >= 0).all()
    assert calls.loc[~talked, "agent"].isna().all()
    assert calls.loc[~talked, "answer_s"].isna().all()
    if "callback_s" in calls:  # called back: when the call back began
        called = calls["outcome"] == "called_back"
        assert (calls.loc[called, "callback_s"] == calls.loc[called, "wait_s"]).all()
        assert calls.loc[~called & (calls["outcome"] != "callback_missed"),
                         "callback_s"].isna().all()
    assert (calls["end_s"] >= calls["arrival_s"] - EPS).all()
    # every offer lies inside its call's lifetime
    joined = offers.merge(calls[["call_id", "arrival_s", "end_s", "kind", "group", "dialed",
                                 "agent", "outcome"]], on="call_id", suffixes=("", "_call"))
    assert len(joined) == len(offers)
    assert (joined["start_s"] >= joined["arrival_s"] - EPS).all()
    assert (joined["end_s"] >= joined["start_s"] - EPS).all()
    assert (joined["end_s"] <= joined["end_s_call"] + EPS).all()
    # pilot calls ring only the members of the groups on their way, each at most once
    pilot = joined[joined["kind"] == "pilot"]
    on_the_way = {g.pilot: _members_on_the_way(scenario, g.pilot) for g in scenario.hunt_groups}
    assert all(str(a) in on_the_way[str(d)] for a, d in zip(pilot["agent"], pilot["dialed"],
                                                            strict=True))
    # (in rounds, with rering, once a round: a member's offers of one call never overlap)
    rering = {m for g in scenario.hunt_groups if g.rering is not None for m in g.members}
    in_rounds = pilot["agent"].astype(str).isin(rering)
    # (a member of several groups, one_group_per_member: false, once in each group a
    # forwarded call reaches)
    # (with call_waiting, once as call waiting and once as usual: a call waiting the
    # member let ring out is not their one offer of the call; it comes first)
    pilot = pilot.assign(cw=pilot["call_waiting"].astype(bool) if "call_waiting" in pilot
                         else False)
    listed = pd.Series([m for g in scenario.hunt_groups for m in g.members]).value_counts()
    once = pilot[~in_rounds].groupby(["call_id", "agent", "cw"], observed=True).size()
    groups = listed.reindex(once.index.get_level_values("agent").astype(str)).to_numpy()
    assert (once.to_numpy() <= groups).all()
    alone = pilot["agent"].astype(str).map(listed).to_numpy() == 1
    single = pilot[~in_rounds & alone]
    assert not single.duplicated(["call_id", "agent", "cw"]).any()
    twice = single[single.duplicated(["call_id", "agent"], keep=False)].sort_values(
        ["call_id", "agent", "start_s"])
    assert twice.groupby(["call_id", "agent"], observed=True)["cw"].first().all()
    rounds = pilot[in_rounds].sort_values(
        ["call_id", "agent", "start_s"])
    follows = rounds.duplicated(["call_id", "agent"])
    assert (rounds["start_s"][follows].to_numpy()
            >= rounds["end_s"].shift()[follows].to_numpy() - EPS).all()
    check_routes(scenario, calls, offers)
    # direct calls ring only their member, once
    direct = joined[joined["kind"] == "direct"]
    assert (direct["agent"].astype(str) == direct["dialed"].astype(str)).all()
    assert not direct.duplicated("call_id").any()
    # the member who answered is the one whose offer says answered
    taken = offers[offers["result"] == "answered"]
    assert len(taken) == int(answered.sum())
    by_call = taken.set_index("call_id")["agent"].astype(str)
    assert (by_call.reindex(calls.loc[answered, "call_id"]).to_numpy()
            == calls.loc[answered, "agent"].astype(str).to_numpy()).all()
    # counts add up between calls, offers and agents
    per_call = offers.groupby("call_id").size().reindex(calls["call_id"], fill_value=0)
    assert (per_call.to_numpy() == calls["offers"].to_numpy()).all()
    agents = result.agents.set_index("agent")
    # a member's calls: those answered and the call backs the caller took
    answered_calls = calls[calls["outcome"].isin(["answered", "called_back"])]
    for kind, column in (("pilot", "group_answered"), ("direct", "direct_answered")):
        counted = answered_calls[answered_calls["kind"] == kind]["agent"].astype(str)
        assert (counted.value_counts().reindex(agents.index, fill_value=0)
                == agents[column]).all()
    assert (offers["agent"].astype(str).value_counts().reindex(agents.index, fill_value=0)
            == agents["offers"]).all()
    assert not (agents["occupancy"] > 1 + EPS).any()  # missing: never logged in
    # a member is never on two calls at once (ringing, talking or wrapping up), but for
    # call waiting: its offer rings while they talk, its call is talked while another holds
    intervals = busy_spans(calls, offers)
    intervals = intervals[intervals["e"] - intervals["s"] > EPS]
    for _, block in intervals.groupby(intervals["agent"].astype(str)):
        spans = block.sort_values(["s", "e"])[["s", "e"]].to_numpy()
        # an answered offer ends where its talk starts: touching is fine, overlap is not
        assert np.all(spans[1:, 0] >= spans[:-1, 1] - EPS), spans
    check_call_waiting(scenario, calls, offers, intervals)


def busy_spans(calls: pd.DataFrame, offers: pd.DataFrame) -> pd.DataFrame:
    """Every stretch a member is busy (``what``: ring, talk or wrap), apart: a call
    waiting's ring is left out (it rings while its member talks), and a held call's
    talk is cut where it was on hold (the waiting call's talk and wrap-up)."""
    rings = offers
    if "call_waiting" in offers:
        rings = offers[~offers["call_waiting"].astype(bool)]
    talked = calls[calls["outcome"].isin(["answered", "called_back"])]
    parts = [pd.DataFrame({"agent": rings["agent"].astype(str), "s": rings["start_s"],
                           "e": rings["end_s"], "what": "ring"}),
             pd.DataFrame({"agent": talked["agent"].astype(str), "s": talked["end_s"],
                           "e": talked["end_s"] + talked["wrap_up_s"], "what": "wrap"})]
    holds = _holds(talked)
    for agent, call_id, s, e in zip(talked["agent"].astype(str), talked["call_id"],
                                    talked["answer_s"], talked["end_s"], strict=True):
        for a, b in holds.get(int(call_id), []):
            parts.append(pd.DataFrame({"agent": [agent], "s": [s], "e": [a], "what": "talk"}))
            s = b
        parts.append(pd.DataFrame({"agent": [agent], "s": [s], "e": [e], "what": "talk"}))
    return pd.concat(parts, ignore_index=True)


def _holds(talked: pd.DataFrame) -> dict[int, list[tuple[float, float]]]:
    """The holds of each held call, in order: a waiting call's talk and wrap-up."""
    holds: dict[int, list[tuple[float, float]]] = {}
    if "held_call" not in talked:
        return holds
    waiting = talked[talked["held_call"].notna()].sort_values("answer_s")
    for held, s, e, w in zip(waiting["held_call"], waiting["answer_s"], waiting["end_s"],
                             waiting["wrap_up_s"], strict=True):
        holds.setdefault(int(held), []).append((float(s), float(e + w)))
    return holds


def check_call_waiting(scenario, calls: pd.DataFrame, offers: pd.DataFrame,
                       spans: pd.DataFrame) -> None:
    """Call waiting (``hunt_groups[].call_waiting``): offered only to members of such a
    group, for a pilot call, while they talk (not ringing, wrapping up, nor with a call
    on hold or another call waiting ringing); a call answered as call waiting holds a
    call its member talks on, for its own talk and wrap-up."""
    waiting_members = {m for g in scenario.hunt_groups if g.call_waiting for m in g.members}
    if "call_waiting" not in offers:
        assert "held_call" not in calls and "hold_s" not in calls
        return
    rung = offers[offers["call_waiting"].astype(bool)]
    assert rung["agent"].astype(str).isin(waiting_members).all()
    kind = rung["call_id"].map(calls.set_index("call_id")["kind"].astype(str))
    assert (kind == "pilot").all()
    holds = _holds(calls[calls["outcome"].isin(["answered", "called_back"])])
    # (with a warm-up, the call a member talks on may have arrived before it: not listed)
    if scenario.warmup > 0:
        rung = rung.iloc[:0]
    held_by = {a: [h for c in calls.loc[calls["agent"].astype(str) == a, "call_id"]
                   for h in holds.get(int(c), [])] for a in set(rung["agent"].astype(str))}
    for agent, s, e in zip(rung["agent"].astype(str), rung["start_s"], rung["end_s"],
                           strict=True):
        mine = spans[spans["agent"].astype(str) == agent]
        talking = mine[mine["what"] == "talk"]
        # inside one talk (not ringing, not wrapping up: those are apart from talk) that
        # has time left when it starts (not at the instant the talk ends, nor in a talk of
        # no length)
        assert ((talking["s"] <= s + EPS) & (talking["e"] >= e - EPS)
                & (talking["e"] > s + EPS)).any(), (agent, s, e)
        # no call on hold, and no other call waiting ringing
        assert not any(a < e - EPS and b > s + EPS for a, b in held_by[agent]), (agent, s)
        others = rung[(rung["agent"].astype(str) == agent) & (rung["start_s"] != s)]
        assert not ((others["start_s"] < e - EPS) & (others["end_s"] > s + EPS)).any()
    if "held_call" in calls:
        waiting = calls[calls["held_call"].notna()]
        waiting = waiting[waiting["held_call"].isin(calls["call_id"])]  # (warm-up)
        held = calls.set_index("call_id").loc[waiting["held_call"].astype(int)]
        assert (held["agent"].astype(str).to_numpy()
                == waiting["agent"].astype(str).to_numpy()).all()
        assert (waiting["kind"] == "pilot").all()
        hold = calls.set_index("call_id")["hold_s"]
        for call_id, spells in holds.items():
            if call_id in hold.index:
                assert abs(hold[call_id] - sum(b - a for a, b in spells)) < 1e-5
        assert hold.drop([c for c in holds if c in hold.index]).isna().all()


def _members_on_the_way(scenario, pilot: str) -> set[str]:
    """Members of the group dialled and of every group it forwards to, in turn."""
    groups = {g.pilot: g for g in scenario.hunt_groups}
    members: set[str] = set()
    seen: set[str] = set()
    while pilot in groups and pilot not in seen:
        seen.add(pilot)
        group = groups[pilot]
        members |= set(group.members)
        pilot = group.forward.to if group.forward is not None else ""
    return members


def check_routes(scenario, calls: pd.DataFrame, offers: pd.DataFrame) -> None:
    """Redials and forwards: each caller's attempts in time order, one group at a time."""
    # attempts of one caller: numbered 1, 2, ...; each after the previous one ended
    ordered = calls.sort_values(["caller_id", "attempt"])
    same = ordered["caller_id"].to_numpy()[1:] == ordered["caller_id"].to_numpy()[:-1]
    attempt = ordered["attempt"].to_numpy()
    assert (attempt[1:][same] == attempt[:-1][same] + 1).all()
    # a caller's first attempt is in the table unless it came before the warm-up ended
    starts = np.concatenate([[True], ~same]) if len(attempt) else np.array([], dtype=bool)
    reported_from = calls["call_id"].min() if len(calls) else 0
    began_before = ordered["caller_id"].to_numpy() < reported_from
    assert (attempt[starts & ~began_before] == 1).all()
    arrival, end = ordered["arrival_s"].to_numpy(), ordered["end_s"].to_numpy()
    assert (arrival[1:][same] >= end[:-1][same] - EPS).all()
    first = calls[calls["attempt"] == 1]
    assert (first["caller_id"] == first["call_id"]).all()
    # a redial dials what the caller first dialled
    dialled = first.set_index("caller_id")["dialed"].astype(str)
    seen = calls[calls["caller_id"].isin(dialled.index)]
    assert (seen["dialed"].astype(str).to_numpy()
            == dialled.reindex(seen["caller_id"]).to_numpy()).all()
    # no redials of direct calls, none without redial settings
    assert (calls.loc[calls["kind"] == "direct", "attempt"] == 1).all()
    # a call with no forwards ends in the group it dialled; one forwarded leaves it
    pilot = calls[calls["kind"] == "pilot"]
    stayed = pilot["forwards"] == 0
    assert (pilot.loc[stayed, "group"].astype(str) == pilot.loc[stayed, "dialed"].astype(str)).all()
    # no call is in two groups at once: its offers in one group end before the next starts
    # (a member of several groups, one_group_per_member: false, is left out: which group
    # rang them is not in the tables)
    listed = [m for g in scenario.hunt_groups for m in g.members]
    group_of = {m: g.pilot for g in scenario.hunt_groups for m in g.members
                if listed.count(m) == 1}
    moved = offers[offers["call_id"].isin(pilot.loc[~stayed, "call_id"])
                   & offers["agent"].astype(str).isin(group_of)]
    for _, rings in moved.groupby("call_id"):
        rings = rings.assign(group=rings["agent"].astype(str).map(group_of))
        spans = rings.groupby("group", sort=False).agg(s=("start_s", "min"), e=("end_s", "max"))
        spans = spans.sort_values("s").to_numpy()
        assert np.all(spans[1:, 0] >= spans[:-1, 1] - EPS), spans


@settings(max_examples=CASES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(0, 2**32 - 1))
def test_invariants_hold_on_random_valid_scenarios(data, seed):
    scenario = load_scenario(data)
    check_invariants(scenario, simulate(scenario, seed=seed))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(0, 2**32 - 1), st.sampled_from([1, 2, 7, FOLD_BLOCK]))
def test_same_seed_same_tables_and_totals_agree(data, seed, fold_at):
    first, second = simulate(data, seed=seed), simulate(data, seed=seed)
    pd.testing.assert_frame_equal(first.calls, second.calls)
    pd.testing.assert_frame_equal(first.offers, second.offers)
    # running totals sum their buffer every `fold_at` calls: any block size gives the same
    RunningTotals.fold_at = fold_at
    try:
        totals = simulate(data, seed=seed, keep="totals")
    finally:
        RunningTotals.fold_at = FOLD_BLOCK
    assert_summaries_agree(first.summary(), totals.summary())
    pd.testing.assert_frame_equal(first.agents, totals.agents, check_dtype=False,
                                  check_exact=False, atol=1e-6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(waiting_queues(), st.integers(0, 2**32 - 1))
def test_call_waiting_at_coinciding_instants_keeps_every_invariant(data, seed):
    # talks of no length, log-outs as a talk ends, rounds at once: a call waiting rings
    # only inside a talk with time left, and the running totals agree with the records
    scenario = load_scenario(data)
    result = simulate(scenario, seed=seed)
    check_invariants(scenario, result)
    totals = simulate(scenario, seed=seed, keep="totals")
    pd.testing.assert_frame_equal(result.agents, totals.agents, check_dtype=False,
                                  check_exact=False, atol=1e-6)


def assert_summaries_agree(records: pd.DataFrame, totals: pd.DataFrame) -> None:
    """Every column of the summary from running totals equals the one from the call log.

    Counts, rates and means are exact (up to the rounding of sums); the wait
    quantiles come from a histogram and are promised to WAIT_RESOLUTION_S.
    """
    assert list(totals.index) == list(records.index)
    assert list(totals.columns) == list(records.columns)
    quantiles = [c for c in records.columns if c in ("p50_wait_s", "p90_wait_s")]
    assert len(quantiles) == 2
    exact = [c for c in records.columns if c not in quantiles]
    pd.testing.assert_frame_equal(records[exact], totals[exact], check_dtype=False,
                                  check_exact=False, rtol=1e-9, atol=1e-9)
    for column in quantiles:
        a, b = records[column].to_numpy(float), totals[column].to_numpy(float)
        assert (np.isnan(a) == np.isnan(b)).all(), (column, a, b)
        gap = np.abs(np.nan_to_num(a - b))
        assert (gap <= WAIT_RESOLUTION_S + 1e-9).all(), (column, a, b)
