"""The textbook first estimate of a group's size, and why a simulation may differ.

Erlang B (calls finding every member busy go to voicemail or a busy signal)
or Erlang C (they queue) sizes a group from its offered load. The estimate
here takes the load of the **peak hour** of the group's arrivals (its weekly
or daily profile, inside opening hours), a **handle time** of talk plus
wrap-up, and adds the **direct-call load on members**: the calls dialled
straight to members in that hour, which keep them busy for the group, and the
**other groups' load on shared members**: where members also answer other groups
(``one_group_per_member: false``), each other group's calls in that hour, spread
evenly over its members, on the members this group shares with it. It still
assumes members who are always at their phone and answer at once, and callers
who never hang up; :meth:`ErlangEstimate.reasons` names what in the scenario
breaks those assumptions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from huntsim.analysis.catalog import policy_label, service_level_name
from huntsim.analysis.expected_traffic import hour_traffic
from huntsim.analysis.formatting import format_value
from huntsim.analysis.theory import erlang_b, erlang_c_asa, erlang_c_service_level
from huntsim.experiments.plan_setup import added_members
from huntsim.experiments.targets import DEFAULT_THRESHOLD_S, Target
from huntsim.scenario.model import Agent, forward_map

if TYPE_CHECKING:
    from huntsim.scenario.model import Scenario

__all__ = ["ErlangEstimate", "erlang_members", "erlang_members_mixed", "erlang_targets",
           "first_estimate"]


@dataclass(frozen=True)
class ErlangEstimate:
    """Erlang's answer for a group's peak hour, with what it leaves out.

    Attributes
    ----------
    group : str
        The pilot.
    peak : str
        The hour the estimate sizes, e.g. ``mon 10:00-11:00``, ``hour 3 of the
        day``, or ``steady traffic`` for a constant rate.
    pilot_rate_per_hour : float
        Pilot calls per hour in the peak hour.
    talk_s, wrap_up_s : float
        Mean talk and wrap-up time over the members, seconds.
    pilot_load_erlang : float
        Pilot calls per second times the handle time (talk and wrap-up).
    direct_load_erlang : float
        Load of the listed members' own direct calls in the same hour.
    model : str
        ``Erlang B`` or ``Erlang C`` (the group queues callers).
    members : int or None
        The fewest members that meet the targets Erlang can judge; ``None``
        when it can judge none.
    table : DataFrame
        Per size: ``members, offered_load_erlang, pilot_load_erlang,
        direct_load_erlang, shared_load_erlang, erlang_b_blocking,
        erlang_c_service_level_<T>s``;
        ``direct_load_erlang`` is that of the size's members: the first of the
        list, then added members with their own direct calls when they have any
        (see :func:`huntsim.experiments.plan_setup.resize_group`).
    reasons : tuple of str
        What in the scenario the estimate leaves out.
    forwarded_from : tuple of str
        The pilots that forward calls to this group when it has no arrivals of its
        own: Erlang cannot foresee that traffic, so there is no estimate.
    unsized : tuple of str
        The targets Erlang cannot size, each with why (see :func:`erlang_targets`);
        ``members`` meets the others.
    shared_load_erlang : float
        Load of other groups' calls on the listed members this group shares with them,
        in the same hour: each other group's pilot load spread evenly over its members
        (``0`` when no member answers another group). The table's
        ``shared_load_erlang`` is that of each size's listed members (added members
        answer this group only).
    shared_from : tuple of str
        Each other group whose calls make up ``shared_load_erlang``, in words: its
        load on the shared members and whom its members serve first.
    """

    group: str
    peak: str
    pilot_rate_per_hour: float
    talk_s: float
    wrap_up_s: float
    pilot_load_erlang: float
    direct_load_erlang: float
    model: str
    members: int | None
    table: pd.DataFrame = field(repr=False)
    reasons: tuple[str, ...] = ()
    forwarded_from: tuple[str, ...] = ()
    unsized: tuple[str, ...] = ()
    shared_load_erlang: float = 0.0
    shared_from: tuple[str, ...] = ()

    @property
    def handle_s(self) -> float:
        """Mean time a call keeps a member busy: talk and wrap-up, seconds."""
        return self.talk_s + self.wrap_up_s

    @property
    def load_erlang(self) -> float:
        """Pilot, direct-call and other groups' load together."""
        return self.pilot_load_erlang + self.direct_load_erlang + self.shared_load_erlang

    def describe(self) -> str:
        """The estimate in one sentence, labelled as what it is.

        Examples
        --------
        >>> import pandas as pd
        >>> e = ErlangEstimate("100", "mon 10:00-11:00", 30.0, 240.0, 30.0, 2.25, 0.5,
        ...                    "Erlang B", 6, pd.DataFrame())
        >>> print(e.describe())  # doctest: +NORMALIZE_WHITESPACE
        Erlang B first estimate: 6 members, for the peak hour (mon 10:00-11:00): 30 pilot
        calls/h x handle time 4:30 min:s (talk 4:00 min:s + wrap-up 30.0 s) = 2.25 Erlang, plus
        0.50 Erlang of direct calls to members = 2.75 Erlang.
        """
        if self.forwarded_from:
            return (f"{self.model} first estimate: none. Group {self.group} has no calls of its "
                    f"own, only those forwarded from {_pilots(self.forwarded_from)}, which "
                    "Erlang cannot foresee; the simulation alone answers.")
        cannot = "; nor ".join(self.unsized)
        if self.members is None:
            size = "none" if cannot else "no size (the targets are not ones Erlang can judge)"
        else:
            size = _members(self.members) + (" for the other targets" if cannot else "")
        after = f" Erlang cannot size {cannot}." if cannot else ""
        direct = (f", plus {self.direct_load_erlang:.2f} Erlang of direct calls to members"
                  if self.direct_load_erlang > 0 else "")
        if self.shared_load_erlang > 0:
            direct += (f", plus {self.shared_load_erlang:.2f} Erlang of other groups' calls on "
                       f"the members shared with them ({'; '.join(self.shared_from)})")
        if direct:
            direct += f" = {self.load_erlang:.2f} Erlang"
        wrap = (f" + wrap-up {format_value('talk_s', self.wrap_up_s)}" if self.wrap_up_s > 0
                else ", no wrap-up")
        return (f"{self.model} first estimate: {size}, for the peak hour ({self.peak}): "
                f"{self.pilot_rate_per_hour:.3g} pilot calls/h x handle time "
                f"{format_value('handle_s', self.handle_s)} (talk "
                f"{format_value('talk_s', self.talk_s)}{wrap}) = "
                f"{self.pilot_load_erlang:.2f} Erlang{direct}.{after}")

    def gap(self, simulated: int | None, policy: str) -> str:
        """How far the simulation's answer for ``policy`` is from the estimate, and why."""
        who = policy_label(policy)
        if self.forwarded_from:
            return (f"{who}: the group gets only calls forwarded from "
                    f"{_pilots(self.forwarded_from)}; the simulation alone answers.")
        if self.members is None:
            return f"{who}: Erlang cannot size these targets; the simulation alone answers."
        if simulated is None:
            tried = int(self.table["members"].max()) if len(self.table) else 0
            if self.members > tried:
                return (f"{who}: no size tried meets the targets; the estimate says "
                        f"{_members(self.members)}, so try sizes up to at least that.")
            return (f"{who}: no size tried meets the targets, though the estimate says "
                    f"{_members(self.members)} would, because " + "; ".join(self.reasons) + ".")
        difference = simulated - self.members
        if difference == 0:
            return (f"{who}: the simulation agrees with the estimate "
                    f"({_members(simulated)}).")
        more = "more" if difference > 0 else "fewer"
        why = self.reasons if difference > 0 else (
            "the targets hold on average over the whole period, while the estimate sizes "
            "its busiest hour",)
        return (f"{who}: the simulation needs {_members(simulated)}, {abs(difference)} {more} "
                f"than the estimate, because " + "; ".join(why) + ".")


def _members(n: int) -> str:
    """``1 member``, ``5 members``."""
    return f"{n} member" if n == 1 else f"{n} members"


def _pilots(pilots: Sequence[str]) -> str:
    return " and ".join(repr(p) for p in pilots)


def _forwarded_from(scenario: Scenario, pilot: str) -> tuple[str, ...]:
    """The pilots forwarding to ``pilot``, when it has no arrivals of its own."""
    if scenario.group(pilot).arrivals is not None:
        return ()
    return tuple(source for source, target in forward_map(scenario.hunt_groups).items()
                 if target == pilot)


def _peak(scenario: Scenario, pilot: str) -> tuple[str, float, float | None]:
    """``(label, pilot calls per hour, slot)`` of the group's busiest open hour."""
    group = scenario.group(pilot)
    if group.arrivals is None:
        return "no traffic", 0.0, None
    traffic = hour_traffic(scenario, group.arrivals, group.open)
    traffic = traffic[traffic["open_s"] > 0]
    if not len(traffic) or not float(traffic["rate_per_hour"].max()) > 0:
        return "no traffic", 0.0, None
    rates = traffic["rate_per_hour"].to_numpy(dtype=float)
    i = int(rates.argmax())
    rate, slot = float(rates[i]), float(traffic["slot"].to_numpy()[i])
    if float(rates.min()) >= rate * (1 - 1e-9):
        return "steady traffic", rate, slot
    hour, weekday = int(traffic["hour"].to_numpy()[i]), str(traffic["weekday"].to_numpy()[i])
    if weekday == "daily":
        return f"hour {hour + 1} of the day", rate, slot
    return f"{weekday} {hour:02d}:00-{hour + 1:02d}:00", rate, slot


def _direct_loads(scenario: Scenario, pilot: str, slot: float | None,
                  ) -> tuple[list[float], float]:
    """Erlang of each listed member's direct calls in the hour ``slot``, and of an added
    member's (see :func:`huntsim.experiments.plan_setup.resize_group`)."""
    group = scenario.group(pilot)
    template = Agent.model_validate({**added_members(scenario, pilot).template,
                                     "number": "added"})
    agents = [scenario.agent(number) for number in group.members]
    if slot is None:
        return [0.0] * len(agents), 0.0
    period = getattr(group.arrivals, "period", None)
    day_s = float(period) if period else None

    def load(agent: Agent) -> float:
        if agent.direct_calls is None:
            return 0.0
        traffic = hour_traffic(scenario, agent.direct_calls, group.open, day_s)
        rates = dict(zip(traffic["slot"].to_numpy(dtype=float),
                         traffic["rate_per_hour"].to_numpy(dtype=float), strict=True))
        return float(rates.get(slot, 0.0)) / 3600.0 * (agent.talk_time.mean
                                                        + agent.wrap_up.mean)

    return [load(agent) for agent in agents], load(template)


def _shared_loads(scenario: Scenario, pilot: str, slot: float | None,
                  ) -> tuple[list[float], tuple[str, ...]]:
    """Erlang of other groups' calls on each listed member in the hour ``slot`` (each other
    group's pilot load spread evenly over its members), and each such group in words."""
    group = scenario.group(pilot)
    per_member = [0.0] * len(group.members)
    if slot is None:
        return per_member, ()
    period = getattr(group.arrivals, "period", None)
    day_s = float(period) if period else None
    said = []
    for other in scenario.hunt_groups:
        shared = [i for i, number in enumerate(group.members) if number in other.members]
        if other.pilot == pilot or other.arrivals is None or not shared:
            continue
        traffic = hour_traffic(scenario, other.arrivals, other.open, day_s)
        rates = dict(zip(traffic["slot"].to_numpy(dtype=float),
                         traffic["rate_per_hour"].to_numpy(dtype=float), strict=True))
        agents = [scenario.agent(n) for n in other.members]
        handle = sum(a.talk_time.mean + a.wrap_up.mean for a in agents) / len(agents)
        each = float(rates.get(slot, 0.0)) / 3600.0 * handle / len(other.members)
        if each <= 0:
            continue
        for i in shared:
            per_member[i] += each
        order = ("served first: priority" if other.priority < group.priority else
                 "served after this group's callers: priority" if other.priority >
                 group.priority else "served in turn with this group's callers: both priority")
        name = other.pilot if other.label == other.pilot else f"{other.pilot} ({other.label})"
        said.append(f"group {name}: {each * len(shared):.2f} Erlang on {len(shared)} shared "
                    f"member{'s' if len(shared) != 1 else ''}, {order} {other.priority}"
                    + (f" vs {group.priority}" if other.priority != group.priority else ""))
    return per_member, tuple(said)


def _direct_at(listed: Sequence[float], added: float, n: int) -> float:
    """The direct-call load on a group of ``n`` members: the first ``n`` listed, then added."""
    return float(sum(listed[:n])) + added * max(0, n - len(listed))


def _reasons(scenario: Scenario, pilot: str) -> tuple[str, ...]:
    """What in the scenario an Erlang estimate leaves out, in plain words."""
    group = scenario.group(pilot)
    agents = [scenario.agent(n) for n in group.members]
    reasons = []
    answering = sorted({a.answer_probability for a in agents})
    if answering and answering[0] < 1:
        shown = (f"{100 * answering[0]:.0f} %" if len(answering) == 1
                 else f"{100 * answering[0]:.0f}-{100 * answering[-1]:.0f} %")
        if group.all_busy_treatment == "queue":
            then = (": waits grow and more hang up" if scenario.caller_patience is not None
                    else ": waits grow")
        else:
            then = " and more reach " + ("voicemail" if group.voicemail else "no answer")
        reasons.append(f"members pick up only {shown} of rings, so callers wait through ring "
                       f"time-outs{then}")
    delay = sum(a.answer_delay.mean for a in agents) / len(agents)
    if delay > 0:
        reasons.append(f"each answered call first rings for {delay:.0f} s on average "
                       "(answer_delay), time the member is busy but not talking and a wait "
                       "no number of members removes")
    if any(a.away is not None for a in agents) or any(a.schedule is not None for a in agents):
        reasons.append("members are away or logged out part of the time (schedules, breaks, "
                       "absences), so fewer are at their phones than are in the list")
    if scenario.caller_patience is not None:
        reasons.append("callers hang up when they wait too long (caller_patience), even "
                       "while a free member's phone rings")
    if group.penalty_wait is not None:
        reasons.append("members of higher penalties join only after penalty_wait, so "
                       "callers wait while they are free")
    if group.callback is not None:
        reasons.append("callers who take a call back are not answered live (they count in "
                       "served_rate, not in answered_rate or the service level), and a call "
                       "back not reached holds a member for a ring time-out")
    others = [g for g in scenario.hunt_groups if g.pilot != pilot and g.arrivals is not None
              and any(n in g.members for n in group.members)]
    if others:
        first = [g.pilot for g in others if g.priority < group.priority]
        reasons.append(
            f"members also answer group{'s' if len(others) > 1 else ''} "
            f"{', '.join(g.pilot for g in others)}; the estimate adds that load on them as if "
            "all were one pool" + (f", but the calls of {', '.join(first)} (smaller priority) "
                                   "take free members ahead of this group's callers, who "
                                   "wait the longer" if first else "")
            + ", and a size above the list adds members who answer this group only")
    if not reasons:
        reasons.append("calls arrive in bursts and hunting is not the ideal pooled server "
                       "of the textbook")
    return tuple(reasons)


def first_estimate(scenario: Scenario, pilot: str, targets: Sequence[Target],
                   sizes: Sequence[int], threshold_s: float) -> ErlangEstimate:
    """The Erlang estimate of how many members ``pilot`` needs to meet ``targets``.

    Parameters
    ----------
    scenario : Scenario
        The office.
    pilot : str
        The group's pilot.
    targets : sequence of Target
        Targets on outcome rates, the service level and the mean wait are
        judged (see :func:`erlang_members`); others are not.
    sizes : sequence of int
        Group sizes for the per-size table.
    threshold_s : float
        Service-level threshold, seconds.
    """

    group = scenario.group(pilot)
    members = [scenario.agent(n) for n in group.members]
    talk = sum(a.talk_time.mean for a in members) / len(members)
    wrap = sum(a.wrap_up.mean for a in members) / len(members)
    handle = talk + wrap
    peak, rate, slot = _peak(scenario, pilot)
    pilot_load = rate / 3600.0 * handle
    listed, added = _direct_loads(scenario, pilot, slot)
    direct_load = _direct_at(listed, added, len(listed))
    shared, shared_from = _shared_loads(scenario, pilot, slot)  # also keeps members busy
    treatment = group.all_busy_treatment
    sized, unsized = erlang_targets(scenario, pilot, targets, threshold_s)
    needed = None
    if rate > 0 and sized:
        needed = next((n for n in range(1, 1_001) if _meets(
            n, pilot_load + _direct_at(listed, added, n) + _direct_at(shared, 0.0, n),
            handle, sized, treatment,
            threshold_s)), None)
    forwarded_from = _forwarded_from(scenario, pilot)
    unknown = math.nan if forwarded_from else None  # no load of its own to size from
    direct = [_direct_at(listed, added, n) for n in sizes]
    on_shared = [_direct_at(shared, 0.0, n) for n in sizes]
    loads = [pilot_load + d + o for d, o in zip(direct, on_shared, strict=True)]
    table = pd.DataFrame({
        "members": list(sizes),
        "offered_load_erlang": loads,
        "pilot_load_erlang": pilot_load,
        "direct_load_erlang": direct,
        "shared_load_erlang": on_shared,
        "erlang_b_blocking": [erlang_b(n, a) if unknown is None else unknown
                              for n, a in zip(sizes, loads, strict=True)],
        "erlang_c_" + service_level_name(threshold_s): [
            erlang_c_service_level(n, a, handle, threshold_s)
            if handle > 0 and unknown is None else math.nan
            for n, a in zip(sizes, loads, strict=True)
        ],
    })
    return ErlangEstimate(
        group=pilot, peak=peak, pilot_rate_per_hour=rate, talk_s=talk, wrap_up_s=wrap,
        pilot_load_erlang=pilot_load, direct_load_erlang=direct_load,
        model="Erlang C" if treatment == "queue" else "Erlang B", members=needed,
        table=table, reasons=_reasons(scenario, pilot), forwarded_from=forwarded_from,
        unsized=unsized, shared_load_erlang=sum(shared), shared_from=shared_from)


def erlang_targets(scenario: Scenario, pilot: str, targets: Sequence[Target],
                   threshold_s: float = DEFAULT_THRESHOLD_S,
                   ) -> tuple[list[Target], tuple[str, ...]]:
    """The targets Erlang B or C can size for group ``pilot``, and the others with why.

    Erlang B has no waiting and neither model has callers hanging up: a target on
    the hang-up share with caller patience, or one whose metric the model does not
    give (the mean wait without a queue), is left to the simulation.

    Returns
    -------
    sized : list of Target
        The targets :func:`erlang_members` judges.
    unsized : tuple of str
        The others, e.g. ``Caller hung up <= 3 %: Erlang has no callers hanging up``.
    """
    group = scenario.group(pilot)
    treatment = group.all_busy_treatment
    model = "Erlang C" if treatment == "queue" else "Erlang B"
    sized, unsized = [], []
    for target in targets:
        if target.metric == "abandoned_rate" and scenario.caller_patience is not None:
            unsized.append(f"{target.label_text()}: Erlang has no callers hanging up")
        elif _theory(target.metric, 1, 1.0, 1.0, threshold_s, treatment) is None:
            why = ("Erlang B has no waiting" if target.metric.endswith("wait_s")
                   and treatment != "queue" else f"{model} does not give it")
            unsized.append(f"{target.label_text()}: {why}")
        else:
            sized.append(target)
    return sized, tuple(unsized)


def _theory(metric: str, n: int, load: float, call_s: float, threshold_s: float,
            treatment: str) -> float | None:
    """The Erlang figure of ``metric`` for ``n`` members, or ``None`` if it gives none.

    ``treatment`` is what happens to a call finding every member busy: with
    ``queue``, Erlang C (no abandonment); otherwise Erlang B (blocked calls go
    to ``voicemail`` or ``busy``, the others are answered at once).
    """
    if treatment == "queue":
        stable = load < n
        if metric.startswith("service_level"):
            return erlang_c_service_level(n, load, call_s, threshold_s)
        if metric == "mean_wait_s":
            return erlang_c_asa(n, load, call_s)
        if metric in ("answered_rate", "served_rate"):
            return 1.0 if stable else 0.0
        if metric in ("voicemail_rate", "busy_rate", "no_answer_rate", "abandoned_rate"):
            return 0.0 if stable else 1.0
        return None
    blocking = erlang_b(n, load)
    if metric in ("answered_rate", "served_rate") or metric.startswith("service_level"):
        return 1.0 - blocking
    if metric in ("voicemail_rate", "busy_rate"):
        return blocking if metric.startswith(treatment) else 0.0
    if metric in ("no_answer_rate", "abandoned_rate"):
        return 0.0
    return None


def _meets(n: int, load: float, call_s: float, targets: Sequence[Target], treatment: str,
           threshold_s: float) -> bool:
    """Whether ``n`` members meet every target by Erlang at ``load``."""
    values = [_theory(t.metric, n, load, call_s, threshold_s, treatment) for t in targets]
    return all(v is not None and t.met(v) for t, v in zip(targets, values, strict=True))


def erlang_members(load: float, call_s: float, targets: Sequence[Target], treatment: str,
                   threshold_s: float = DEFAULT_THRESHOLD_S, limit: int = 1_000) -> int | None:
    """The fewest members that meet every target by Erlang B or C.

    Parameters
    ----------
    load : float
        Offered load, Erlang (calls per second x ``call_s``).
    call_s : float
        Mean time a call keeps a member busy (talk and wrap-up), seconds.
    targets : sequence of Target
        Targets on outcome rates, the service level and the mean wait are
        estimated; the others are left to the simulation.
    treatment : str
        The group's ``when_all_busy`` treatment: ``queue`` (Erlang C, no
        abandonment) or ``voicemail`` / ``busy`` (Erlang B).
    threshold_s : float
        The service-level threshold, seconds.
    limit : int
        The largest group considered.

    Returns
    -------
    int or None
        ``None`` when no target can be estimated (in a queue: the fewest
        members that keep it stable) or no group up to ``limit`` meets them.

    Examples
    --------
    >>> from huntsim.experiments.targets import parse_target
    >>> erlang_members(5.0, 180.0, [parse_target("voicemail_rate<=0.05")], "voicemail")
    9
    >>> erlang_members(10.0, 180.0, [parse_target("service_level_20s>=0.85")], "queue")
    14
    """
    known = [t for t in targets
             if _theory(t.metric, 1, load, call_s, threshold_s, treatment) is not None]
    if not known:
        return math.floor(load) + 1 if treatment == "queue" else None
    if load <= 0:
        return 1
    for n in range(1, limit + 1):
        values = [_theory(t.metric, n, load, call_s, threshold_s, treatment) for t in known]
        if all(v is not None and t.met(v) for t, v in zip(known, values, strict=True)):
            return n
    return None


def erlang_members_mixed(loads: Sequence[float], weights: Sequence[float], call_s: float,
                         targets: Sequence[Target], treatment: str,
                         threshold_s: float = DEFAULT_THRESHOLD_S,
                         limit: int = 1_000) -> int | None:
    """The fewest members that meet every target on average over hours of different load.

    Each hour's Erlang figure (see :func:`erlang_members`) is weighted by its
    calls (``weights``), as a whole run's metrics weigh its calls: the size a
    simulation of the whole run is expected to find, by Erlang.

    Examples
    --------
    >>> from huntsim.experiments.targets import parse_target
    >>> target = [parse_target("voicemail_rate<=0.05")]
    >>> erlang_members_mixed([5.0], [1.0], 180.0, target, "voicemail")
    9
    >>> erlang_members_mixed([1.0, 5.0], [1.0, 5.0], 180.0, target, "voicemail")
    9
    >>> erlang_members_mixed([1.0, 5.0], [9.0, 1.0], 180.0, target, "voicemail")
    5
    """
    known = [t for t in targets
             if _theory(t.metric, 1, 1.0, call_s, threshold_s, treatment) is not None]
    total = float(sum(weights))
    if not known or not total > 0:
        return None
    for n in range(1, limit + 1):
        if all(t.met(sum(w * (_theory(t.metric, n, a, call_s, threshold_s, treatment)
                              or 0.0) for a, w in zip(loads, weights, strict=True)) / total)
               for t in known):
            return n
    return None
