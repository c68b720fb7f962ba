"""Invariants of whole offices: presence, calendar and routing together (hypothesis).

The scenarios come from :func:`strategies.offices`: every key of the scenario file, on
coarse time grids so that events coincide. Every run, with ``keep="calls"`` and
``keep="totals"``, must keep:

* one outcome per call, and no call lost (every arrival of a trace is in the table;
  answered + called back + lost = arrivals);
* no offer to a member logged out, away (skipped), not ready (group calls) or busy;
* a pilot call after hours exactly when its group is closed as it arrives;
* nobody past their patience, nor past the group's ``max_wait`` (README, "Timing rules");
* no member offered a call (or calling back) while one of a lower penalty could have been
  rung (or called back);
* members in several groups: never on two calls at once, and never offered a call
  of a group while a caller of a smaller priority waits whom they could serve;
* busy time while logged in within logged-in time, occupancy in [0, 1];
* running totals equal to the figures from the records;
* tables that count the same calls agree (summary, agents, hour by hour).

``pytest -m slow tests/test_properties_office.py`` searches much longer.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import offices, scenarios, shared_queues
from test_properties import assert_summaries_agree, busy_spans, check_invariants

from huntsim import load_scenario, simulate
from huntsim.analysis.catalog import OUTCOMES
from huntsim.experiments.measure import RunTask, measure
from huntsim.scenario.arrivals import Trace
from huntsim.scenario.distributions import Constant, Distribution, Empirical, Uniform
from huntsim.scenario.model import Scenario

CASES = 80
SLOW_CASES = 2000
EPS = 1e-6
SEEDS = st.integers(0, 2**16)
FAST = settings(max_examples=CASES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=SLOW_CASES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ------------------------------------------------------------------ the checks
def longest(distribution: Distribution | None) -> float:
    """The longest time a distribution can draw (inf when unbounded or not set)."""
    if isinstance(distribution, Constant):
        return float(distribution.value)
    if isinstance(distribution, Uniform):
        return float(distribution.high)
    if isinstance(distribution, Empirical):
        return float(max(distribution.values))
    return math.inf


def check_no_call_lost(scenario: Scenario, calls: pd.DataFrame) -> None:
    """Every arrival of a trace after the warm-up is a first attempt in the table."""
    first = calls[(calls["attempt"] == 1)]
    dialed = first["dialed"].astype(str).value_counts()
    sources = [(g.pilot, g.arrivals) for g in scenario.hunt_groups] + [
        (a.number, a.direct_calls) for a in scenario.agents]
    for number, arrivals in sources:
        if isinstance(arrivals, Trace):
            times = np.asarray(arrivals.trace, dtype=float)
            expected = int(((times >= scenario.warmup) & (times < scenario.duration)).sum())
            assert dialed.get(number, 0) == expected, (number, expected, dialed)


def check_presence(scenario: Scenario, calls: pd.DataFrame, offers: pd.DataFrame,
                   absences: pd.DataFrame) -> None:
    """No offer rings a member who is logged out, away (skipped), not ready (group
    calls) or busy, or runs into such an absence; nobody picks up while absent.

    An absence ``[a, b)`` starts before anything else at ``a`` (README, "Timing
    rules"): an offer may start at ``b`` but not at ``a``; one ringing at ``a``
    ends there (a log-out) or before (an absence waits for the member to be free).
    """
    kind = offers["call_id"].map(calls.set_index("call_id")["kind"].astype(str))
    skipped = {a.number: a.away is None or a.away.skipped for a in scenario.agents}
    for agent, rows in offers.groupby(offers["agent"].astype(str), observed=True):
        own = absences[absences["agent"].astype(str) == agent]
        starts, ends = own["start_s"].to_numpy(), own["end_s"].to_numpy()
        check_absences_apart(own, skipped[agent])
        for reason, a, b in zip(own["reason"].astype(str), starts, ends, strict=True):
            if b - a <= EPS:
                continue
            s, e = rows["start_s"].to_numpy(), rows["end_s"].to_numpy()
            inside = ((s >= a - EPS) & (s < b - EPS)) | ((s < a - EPS) & (e > a + EPS))
            picked = (rows["result"].astype(str) == "answered").to_numpy()
            if reason == "away" and not skipped[agent]:
                # rung, but nobody answers
                assert not (inside & picked).any(), (agent, reason, a, b, rows[inside])
                continue
            if reason == "not_ready":  # a member who is only not ready takes direct calls
                inside &= (kind.loc[rows.index] == "pilot").to_numpy()
            assert not inside.any(), (agent, reason, a, b, rows[inside])
            # nobody picks up at the instant they leave: the absence comes first
            at_start = picked & (np.abs(e - a) <= EPS)
            assert not at_start.any(), (agent, reason, a, rows[at_start])


def check_absences_apart(own: pd.DataFrame, skipped: bool) -> None:
    """A member's absences never overlap (a log-out ends an absence and not-ready
    time), except not-ready time after rings missed while away unskipped."""
    own = own.sort_values(["start_s", "end_s"])
    starts, ends = own["start_s"].to_numpy(), own["end_s"].to_numpy()
    reasons = own["reason"].astype(str).to_numpy()
    for i in range(1, len(own)):
        j = int(np.argmax(ends[:i]))  # the row before that ends last
        if starts[i] >= ends[j] - EPS:
            continue
        both = {reasons[i], reasons[j]}
        assert both == {"away", "not_ready"} and not skipped, own.iloc[[j, i]]


def check_calendar(scenario: Scenario, calls: pd.DataFrame) -> None:
    """A pilot call is after hours exactly when the group it dialled is closed as it
    arrives (a window includes its start, excludes its end), and then rings nobody
    there: with no forward it rings nobody at all."""
    groups = {g.pilot: g for g in scenario.hunt_groups}
    pilot = calls[calls["kind"] == "pilot"]
    for dialed, arrival, after_hours, forwards, offers in zip(
            pilot["dialed"].astype(str), pilot["arrival_s"], pilot["after_hours"],
            pilot["forwards"], pilot["offers"], strict=True):
        hours = groups[dialed].open
        closed = hours is not None and not hours.is_open_at(scenario.start, arrival)
        assert bool(after_hours) == closed, (dialed, arrival, after_hours)
        if closed and forwards == 0:
            assert offers == 0, (dialed, arrival, offers)


def check_waits(scenario: Scenario, calls: pd.DataFrame, offers: pd.DataFrame) -> None:
    """Nobody waits past their patience or the ``max_wait`` of a group they are in."""
    patience = longest(scenario.caller_patience)
    # a caller who took a call back (callback) left the line then, and waits on
    # without patience or max_wait: only in a group that offers call backs
    took = calls["outcome"].isin(["called_back", "callback_missed"])
    offering = {g.pilot for g in scenario.hunt_groups if g.callback is not None}
    assert calls.loc[took, "group"].astype(str).isin(offering).all()
    every_call, calls = calls, calls[~took]  # (their rings were on the line: checked)
    arrival = calls["arrival_s"].to_numpy()
    answered = (calls["outcome"] == "answered").to_numpy()
    # waiting ends at the pick-up, or at the end of an unanswered call
    left = np.where(answered, calls["answer_s"].to_numpy(), calls["end_s"].to_numpy())
    assert (left - arrival <= patience + EPS).all(), calls[left - arrival > patience + EPS]
    if isinstance(scenario.caller_patience, Constant) and len(calls):
        gone = (calls["outcome"] == "abandoned").to_numpy()
        assert np.allclose(left[gone] - arrival[gone], patience, atol=EPS), calls[gone]
    ends = offers["call_id"].map(every_call.set_index("call_id")["arrival_s"])
    assert (offers["end_s"] - ends <= patience + EPS).all()
    limits = {g.pilot: g.max_wait for g in scenario.hunt_groups if g.max_wait is not None}
    if not limits:
        return
    pilot = calls[(calls["kind"] == "pilot")]
    # a call that never left the group it dialled reached it when it arrived
    stayed = pilot[(pilot["forwards"] == 0) & ~pilot["after_hours"].astype(bool)]
    limit = stayed["group"].astype(str).map(limits).to_numpy(dtype=float)
    wait = np.where(stayed["outcome"] == "answered", stayed["answer_s"], stayed["end_s"]) \
        - stayed["arrival_s"].to_numpy()
    over = wait > np.nan_to_num(limit, nan=np.inf) + EPS
    assert not over.any(), stayed[over]
    # in any group: its rings for a call last at most max_wait from the first (members
    # of several groups left out: which group rang them is not in the tables)
    listed = [m for g in scenario.hunt_groups for m in g.members]
    group_of = {m: g.pilot for g in scenario.hunt_groups for m in g.members
                if listed.count(m) == 1}
    rung = offers[offers["call_id"].isin(pilot["call_id"])
                  & offers["agent"].astype(str).isin(group_of)]
    rung = rung.assign(group=rung["agent"].astype(str).map(group_of))
    spans = rung.groupby(["call_id", "group"]).agg(s=("start_s", "min"), e=("end_s", "max"))
    spans = spans.reset_index()
    limit = spans["group"].map(limits).to_numpy(dtype=float)
    over = (spans["e"] - spans["s"]).to_numpy() > np.nan_to_num(limit, nan=np.inf) + EPS
    assert not over.any(), spans[over]


def check_penalties(scenario: Scenario, calls: pd.DataFrame, offers: pd.DataFrame,
                    absences: pd.DataFrame) -> None:
    """No member is offered a group call while a member of a lower penalty in the group
    could have been rung for it: free (no busy stretch nor absence touching that
    instant) and not yet offered the call; with ``penalty_wait``, the k-th lowest
    penalty rings only once the caller has waited k waits in the group (calls that
    were not forwarded, whose stay in the group starts at arrival). The same for the
    member who calls back a caller who took a call back (``called_back``), where a
    lower-penalty member free holds them back even if offered the call before."""
    groups = [g for g in scenario.hunt_groups if g.penalties is not None and any(g.penalties)]
    if not groups:
        return
    spans = busy_spans(calls, offers)
    blocked = pd.concat([spans, pd.DataFrame({"agent": absences["agent"].astype(str),
                                              "s": absences["start_s"],
                                              "e": absences["end_s"]})])
    by_agent = {a: (rows["s"].to_numpy(), rows["e"].to_numpy())
                for a, rows in blocked.groupby("agent")}
    pilot = calls[calls["kind"].astype(str) == "pilot"].set_index("call_id")
    offers = offers[offers["call_id"].isin(pilot.index)]  # not direct calls
    # a call back not reached keeps an unnamed member busy for the ring time-out
    unreached = pilot[(pilot["outcome"] == "callback_missed").to_numpy()]
    if "callback_s" in unreached:
        unreached = unreached[unreached["callback_s"].notna().to_numpy()]
        timeouts = {g.pilot: scenario.timeout_s(g) for g in scenario.hunt_groups}
        called = (unreached["arrival_s"] + unreached["callback_s"]).to_numpy()
        calling = (called, called + unreached["group"].astype(str).map(timeouts).to_numpy())
    else:
        calling = (np.empty(0), np.empty(0))
    for group in groups:
        assert group.penalties is not None
        penalty = dict(zip(group.members, group.penalties, strict=True))
        levels = sorted(set(group.penalties))
        mine = offers[offers["agent"].astype(str).isin(penalty)]
        # a member of several groups: only the calls known to be this group's (not
        # forwarded), the others may be of their other groups
        listed = [m for g in scenario.hunt_groups for m in g.members]
        shared = [m for m in penalty if listed.count(m) > 1]
        if shared:
            here = pilot.index[(pilot["group"].astype(str) == group.pilot).to_numpy()
                               & (pilot["forwards"] == 0).to_numpy()]
            mine = mine[~mine["agent"].astype(str).isin(shared).to_numpy()
                        | mine["call_id"].isin(here).to_numpy()]
        # call backs: the member who called back, when, and nobody exempt (a member
        # offered the call before may call back: a lower penalty of them holds back)
        backs = pilot[(pilot["outcome"] == "called_back").to_numpy()
                      & (pilot["group"].astype(str) == group.pilot).to_numpy()]
        backs = backs[backs["agent"].astype(str).isin(penalty).to_numpy()]
        called_back = [(call_id, np.array([t]), np.array([str(agent)]), True)
                       for call_id, agent, t in zip(backs.index, backs["agent"],
                                                    backs["answer_s"], strict=True)]
        rung = [(call_id, rows["start_s"].to_numpy(), rows["agent"].astype(str).to_numpy(),
                 False) for call_id, rows in mine.groupby("call_id")]
        for call_id, starts, agents, back in rung + called_back:
            for agent, t in zip(agents, starts, strict=True):
                if group.penalty_wait is not None and pilot.at[call_id, "forwards"] == 0:
                    waited = t - pilot.at[call_id, "arrival_s"]
                    need = levels.index(penalty[agent]) * group.penalty_wait
                    assert waited >= need - EPS, (call_id, agent, t, waited, need)
                if t >= scenario.duration - EPS:
                    continue  # (absences past the end of the run are not in the table)
                if ((calling[0] <= t + EPS) & (calling[1] >= t - EPS)).any():
                    continue  # (someone was calling back a caller who was not reached)
                for other, p in penalty.items():
                    if p >= penalty[agent] or (
                            not back and (agents[starts <= t + EPS] == other).any()):
                        continue
                    s, e = by_agent.get(other, (np.empty(0), np.empty(0)))
                    busy = ((s <= t + EPS) & (e >= t - EPS)).any()
                    assert busy, (call_id, agent, t, "while", other, "could be rung")


def check_shared_members(scenario: Scenario, calls: pd.DataFrame,
                         offers: pd.DataFrame) -> None:
    """Members in several groups: none is offered or answers two calls at once, across
    groups (every busy stretch of a member apart); and a member is never offered a
    pilot call of a group while a caller of one of their groups with a smaller
    priority waits whom they could serve.

    Checkable from the tables for callers who stayed in the group they dialled (no
    forward), neither ringing at that instant nor called back, offered as usual (a
    call waiting rings a member who is on a call), in groups without
    penalties or ``rering`` (who can be rung is then: not offered the call yet), and
    not staggered.
    """
    spans = busy_spans(calls, offers)
    spans = spans[spans["e"] - spans["s"] > EPS]
    for agent, rows in spans.groupby("agent"):
        ordered = rows.sort_values(["s", "e"])[["s", "e"]].to_numpy()
        assert np.all(ordered[1:, 0] >= ordered[:-1, 1] - EPS), (agent, ordered)
    groups_of: dict[str, list[Any]] = {}
    for group in scenario.hunt_groups:
        for number in group.members:
            groups_of.setdefault(number, []).append(group)
    shared = {n: gs for n, gs in groups_of.items() if len(gs) > 1}
    if not shared:
        return
    pilot = calls[(calls["kind"].astype(str) == "pilot") & (calls["forwards"] == 0)
                  & ~calls["outcome"].isin(["called_back", "callback_missed"])]
    served = pilot["answer_s"].fillna(np.inf).to_numpy()
    started = dict(zip(pilot["call_id"], pilot["arrival_s"], strict=True))
    by_group = {g: pilot[(pilot["group"].astype(str) == g).to_numpy()]
                for g in {str(p) for p in pilot["group"]}}
    offers_of = {c: rows for c, rows in offers.groupby("call_id")}
    priority = {g.pilot: g.priority for g in scenario.hunt_groups}
    for agent, groups in shared.items():
        mine = offers[(offers["agent"].astype(str) == agent)
                      & offers["call_id"].isin(started)]
        if "call_waiting" in mine:  # a call waiting rings a member on a call, not free
            mine = mine[~mine["call_waiting"].astype(bool)]
        for call_id, t in zip(mine["call_id"], mine["start_s"], strict=True):
            group = str(pilot.loc[pilot["call_id"] == call_id, "group"].iloc[0])
            for higher in groups:
                # (a staggered ring that rang out queues its caller without looking for
                # a member who freed up while it rang: such a member may stay free)
                if (priority[higher.pilot] >= priority[group] or higher.rering is not None
                        or higher.policy == "staggered"
                        or (higher.penalties is not None and any(higher.penalties))
                        or higher.all_busy_treatment != "queue"):
                    continue
                waiting = by_group.get(higher.pilot)
                if waiting is None:
                    continue
                end = np.minimum(waiting["end_s"].to_numpy(),
                                 served[pilot.index.get_indexer(waiting.index)])
                candidates = waiting[(waiting["arrival_s"].to_numpy() < t - EPS)
                                     & (end > t + EPS)]
                for other in candidates["call_id"]:
                    rung = offers_of.get(other)
                    if rung is not None:
                        before = rung["start_s"].to_numpy() <= t + EPS
                        if ((before & (rung["end_s"].to_numpy() >= t - EPS)).any()
                                or (before & (rung["agent"].astype(str) == agent)).any()):
                            continue  # ringing then, or offered to this member already
                    raise AssertionError(
                        (agent, "offered", call_id, "of", group, "at", t, "while", other,
                         "of", higher.pilot, "(smaller priority) waited"))


def _measure(s: np.ndarray, e: np.ndarray, a: float, b: float) -> float:
    return float(np.clip(np.minimum(e, b) - np.maximum(s, a), 0, None).sum())


def check_occupancy(scenario: Scenario, result: Any) -> None:
    """Occupancy in [0, 1]; with no warm-up (every call in the tables) busy time
    while logged in, worked out from the records, is what occupancy says."""
    agents = result.agents.set_index("agent")
    occupancy = agents["occupancy"].dropna()
    assert ((occupancy >= -EPS) & (occupancy <= 1 + EPS)).all(), agents
    assert (agents["logged_in_s"] >= -EPS).all()
    assert (agents["logged_in_s"] <= result.window_s + EPS).all()
    assert (agents["occupancy"].isna() == (agents["logged_in_s"] <= 0)).all()
    if result.calls is None or scenario.warmup > 0:
        return
    spans = busy_spans(result.calls, result.offers)
    out = result.absences[result.absences["reason"].astype(str) == "logged_out"]
    window = (0.0, scenario.duration)
    for agent in agents.index:
        mine = spans[spans["agent"] == agent]
        s, e = mine["s"].to_numpy(), mine["e"].to_numpy()
        busy = _measure(s, e, *window)
        away = out[out["agent"].astype(str) == agent]
        busy_out = sum(_measure(s, e, max(a, window[0]), min(b, window[1]))
                       for a, b in zip(away["start_s"], away["end_s"], strict=True))
        row = agents.loc[agent]
        assert math.isclose(row["busy_s"], busy, abs_tol=1e-6), (agent, row, busy)
        logged_in = row["logged_in_s"]
        assert busy - busy_out <= logged_in + EPS, (agent, busy, busy_out, logged_in)
        if logged_in > 0:
            assert math.isclose(row["occupancy"] * logged_in, busy - busy_out,
                                abs_tol=1e-6), (agent, row, busy, busy_out)


def check_tables_agree(scenario: Scenario, result: Any, seed: int) -> None:
    """The summary, the agents table and the hour-by-hour table count the same calls."""
    calls = result.calls
    summary = result.summary()
    pilot = calls[calls["kind"] == "pilot"]
    # 'all pilot calls' leaves out only the calls that found every group they reached
    # closed (bit h of closed_hops: the h-th group reached was closed)
    closed = pd.Series([bool(a) and int(h) == (1 << (int(f) + 1)) - 1 for a, h, f in zip(
        pilot["after_hours"], pilot["closed_hops"], pilot["forwards"], strict=True)],
        index=pilot.index, dtype=bool)
    if len(scenario.hunt_groups) > 1:
        row = summary.loc["all pilot calls"]
        assert row["offered"] == int((~closed).sum())
        assert row["after_hours"] == int(closed.sum())
    if (calls["kind"] == "direct").any():
        assert summary.loc["direct calls", "offered"] == int((calls["kind"] == "direct").sum())
    # the members' answers are the answered and called-back calls, by group
    agents = result.agents.set_index("agent")
    answered = pilot[pilot["outcome"].isin(["answered", "called_back"])]
    in_groups: dict[str, int] = {}
    for group in scenario.hunt_groups:
        for number in group.members:
            in_groups[number] = in_groups.get(number, 0) + 1
    for group in scenario.hunt_groups:
        mine = answered[answered["group"].astype(str) == group.pilot]
        # who answers a group's call is one of its members
        assert mine["agent"].astype(str).isin(group.members).all(), (group.pilot, mine)
        if all(in_groups[n] == 1 for n in group.members):  # (a shared member's count is
            taken = len(mine)                              # of all their groups)
            assert int(agents.loc[list(group.members), "group_answered"].sum()) == taken
    members = list(in_groups)
    assert int(agents.loc[members, "group_answered"].sum()) == len(answered)
    # and the experiments' per-group figures add up hour by hour
    measured = measure(RunTask("run", scenario, seed))
    metrics = pd.DataFrame(measured.metrics)
    hourly = pd.DataFrame(measured.hourly)
    for group in scenario.hunt_groups:
        mine = metrics[metrics["group"] == group.pilot].set_index("metric")["value"]
        hours = hourly[hourly["group"] == group.pilot]
        assert mine["offered"] == summary.loc[group.pilot, "offered"]
        if scenario.uses_calendar:  # (by hour of the day the table has rates only)
            assert hours["offered"].sum() == mine["offered"], (group.pilot, hours, mine)
            assert hours["after_hours"].sum() == mine["after_hours"], (group.pilot, hours)


def check_callers_conserved(*summaries: pd.DataFrame) -> None:
    """Answered + called back + lost (every other outcome) = arrivals: the outcome
    rates of each row with calls add up to one, in both keep modes (callback)."""
    for summary in summaries:
        rates = summary[[f"{o}_rate" for o in OUTCOMES]]
        offered = summary["offered"] > 0
        assert np.allclose(rates[offered].sum(axis=1), 1.0), rates[offered]


def shared_on_a_forward(scenario: Scenario) -> bool:
    """Whether a call forwarded to another group may ring a member of several groups."""
    pilots = {g.pilot for g in scenario.hunt_groups}
    listed = [m for g in scenario.hunt_groups for m in g.members]
    return (any(listed.count(m) > 1 for m in listed)
            and any(g.forward is not None and g.forward.to in pilots
                    for g in scenario.hunt_groups))


def check_office(data: dict[str, Any], seed: int) -> None:
    """Every invariant, on one run of each kind."""
    scenario = load_scenario(data)
    result = simulate(scenario, seed=seed)
    check_invariants(scenario, result)
    check_no_call_lost(scenario, result.calls)
    check_presence(scenario, result.calls, result.offers, result.absences)
    check_calendar(scenario, result.calls)
    check_waits(scenario, result.calls, result.offers)
    # who was busy when: the calls of the warm-up too (the same run, all reported)
    whole = result if scenario.warmup == 0 else simulate(scenario.replace(warmup=0), seed=seed)
    check_penalties(scenario, whole.calls, whole.offers, whole.absences)
    check_shared_members(scenario, whole.calls, whole.offers)
    check_occupancy(scenario, result)
    totals = simulate(scenario, seed=seed, keep="totals")
    check_occupancy(scenario, totals)
    records_summary, totals_summary = result.summary(), totals.summary()
    if shared_on_a_forward(scenario):
        # the call log counts a forwarded call's offers in each group by member: one of
        # two groups on the way is a guess (the running totals know)
        records_summary = records_summary.drop(columns="offers_per_call")
        totals_summary = totals_summary.drop(columns="offers_per_call")
    assert_summaries_agree(records_summary, totals_summary)
    check_callers_conserved(result.summary(), totals.summary())
    pd.testing.assert_frame_equal(result.agents, totals.agents, check_dtype=False,
                                  check_exact=False, atol=1e-6)


# ------------------------------------------------------------------ the searches
@FAST
@given(offices(max_hours=4), SEEDS)
def test_offices_keep_every_invariant(data: dict[str, Any], seed: int) -> None:
    check_office(data, seed)


@FAST
@given(scenarios(), SEEDS)
def test_no_higher_penalty_rings_while_a_lower_one_could(data: dict[str, Any],
                                                         seed: int) -> None:
    # offices() scenarios are checked too (check_office); these have busier groups
    scenario = load_scenario(data)
    result = simulate(scenario, seed=seed)
    check_penalties(scenario, result.calls, result.offers, result.absences)


@FAST
@given(st.one_of(offices(max_hours=2, shared=True), shared_queues()), SEEDS)
def test_members_in_several_groups_serve_the_smallest_priority(data: dict[str, Any],
                                                              seed: int) -> None:
    scenario = load_scenario(data)
    result = simulate(scenario, seed=seed)
    check_invariants(scenario, result)
    check_shared_members(scenario, result.calls, result.offers)


@settings(FAST, max_examples=50)
@given(offices(max_hours=4), SEEDS)
def test_tables_that_count_the_same_calls_agree(data: dict[str, Any], seed: int) -> None:
    # forwards between groups included: each group's hour tables count its visits
    scenario = load_scenario(data)
    check_tables_agree(scenario, simulate(scenario, seed=seed), seed)


@pytest.mark.slow
@SLOW
@given(offices(), SEEDS)
def test_offices_keep_every_invariant_long_search(data: dict[str, Any], seed: int) -> None:
    check_office(data, seed)
