"""Fitting a scenario to a PBX log: :func:`fit` and its :class:`Fit`.

What is read from the log, and how (each with its interval):

- **pilot traffic** by weekday and clock hour, from every arrival (answered or
  not), in the ``weekly`` form (per hour of the days the log covers: a log shorter
  than a week names the weekdays it saw, and its fitted office runs over those days
  only; a longer log's runs over its whole weeks); **direct calls** per member where the log has
  them (cdr_csv, csv);
- **talk time** per member when a member has at least ``min_member_calls``
  answered calls, else for the group: exponential, lognormal, gamma or
  empirical (see :mod:`huntsim.fit.times`);
- **answer probability and pick-up delay** per member from ring events
  (queue_log), and the **ring time-out**;
- **schedules and pauses** (queue_log log-ins, log-outs and pauses);
- **wrap-up** from the gaps before a member takes a caller who was already waiting
  (queue_log of an office whose callers queue; censored maximum likelihood);
- **caller patience** by censored maximum likelihood (answered callers censored).
- **member penalties** from queue_log's ``PENALTY`` lines (:mod:`huntsim.fit.acd`; call
  backs are not in any log and not fitted).

What a log cannot tell is taken from the command line, else from ``base`` (an
existing scenario), else assumed, and every such value is listed with where it
came from: the hunt policy (``simultaneous`` is recognised from rings that
start together; otherwise a guess; either way the counts behind it are listed),
the ring cycle, voicemail and the all-busy treatment (a queue is recognised),
rounds (``max_wait`` and ``rering``, where a member is rung again for the same
call), opening hours (a CDR's are read from the hours in which calls were
answered) and, where nobody queues, wrap-up.

Redials (the same caller again soon after an unanswered call) are fitted as the
group's ``redial`` where there are enough, and the pilot's traffic then counts
first calls only; what the log cannot show (overflow, members' other queues) is
listed in :attr:`Fit.not_in_log` (:mod:`huntsim.fit.unseen`); ``all_queues`` fits every
queue of a queue_log, a member of several one agent in each group (:mod:`huntsim.fit.queues`).
The fitted office is back-tested on the period it was fitted on (and the held-out weeks),
and figures far outside their intervals are :meth:`Fit.alarms` (:mod:`huntsim.fit.backtest`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from huntsim.errors import ScenarioError
from huntsim.fit.acd import CALLBACK_READ, routing_extras
from huntsim.fit.backtest import back_test
from huntsim.fit.inference import (
    MIN_ROUGH,
    MIN_TIMEOUTS,
    PolicyGuess,
    by_first_ring,
    number_order,
    open_hours,
    policy_evidence,
    policy_from_rings,
    queue_timeout,
    queueing_from_rings,
    rough_answering,
    timeouts_seen,
    wrap_up_gaps,
)
from huntsim.fit.keys import KEY_EXITS, caller_patience, key_exit_note
from huntsim.fit.logs.common import LogData, LogError
from huntsim.fit.logs.reader import FORMATS, read_log
from huntsim.fit.members import answering, away_fit, presence_table, schedule_windows, time_out
from huntsim.fit.queues import check_all_queues, fit_queues
from huntsim.fit.result import Fit
from huntsim.fit.times import PatienceFit, TimeFit, fit_patience, fit_times
from huntsim.fit.traffic import WEEKDAYS, hourly_rates, total_rate, weekly_form
from huntsim.fit.unseen import (
    REDIAL_WINDOW_S,
    Redials,
    find_redials,
    not_in_log,
    other_queues,
    redial_fit,
)
from huntsim.fit.waiting import fit_call_waiting, waiting_rings, waiting_row, without_holds
from huntsim.fit.work import Settings as _Settings
from huntsim.fit.work import Work as _Work
from huntsim.fit.work import check_zone as _check_zone
from huntsim.fit.work import flag_duration as _duration
from huntsim.fit.work import param as _param
from huntsim.fit.work import text as _text
from huntsim.scenario.model import POLICIES, HuntGroup, Scenario, load_scenario

__all__ = ["FORMATS", "Fit", "fit"]  # Fit is defined in huntsim.fit.result


def _base_group(base: Scenario | None, pilot: str) -> HuntGroup | None:
    if base is None or not base.hunt_groups:
        return None
    for group in base.hunt_groups:
        if group.pilot == pilot:
            return group
    return base.hunt_groups[0]


@dataclass(frozen=True)
class _Routing:
    """How the fitted group rings: as chosen by :func:`_routing`."""

    cycle: Any
    rings: Any
    policy: str
    voicemail: bool
    all_busy: str
    max_wait: float | None = None
    rering: float | None = None


def _fit_log(log: LogData, source: str, base: Scenario | None, policy: str | None,
             ring_cycle: float | None, no_answer_rings: int | None,
             when_all_busy: str | None, confidence: float, min_member_calls: int,
             seed: int) -> Fit:
    log, holds = without_holds(log)  # a held call's call time holds its hold
    work = _Work(log, source, base, confidence, list(log.warnings.messages()))
    pilot_calls = log.calls[log.calls["kind"] == "pilot"]
    if not len(pilot_calls):
        raise LogError(f"{source}: no pilot calls in the period fitted")
    pilot = str(pilot_calls["queue"].iloc[0])
    group = _base_group(base, pilot)
    waiting = waiting_rings(log) if log.has_rings else None  # call waiting: ringinuse
    ring_log = waiting.ordinary(log) if waiting is not None else log
    members = _members(ring_log, group, source)
    found = find_redials(pilot_calls)
    redial = _redial(work, found, group)
    # where callers redial, the pilot's own traffic is the callers' first calls
    redials_on = redial is not None or (group is not None and group.redial is not None)
    traffic, weekly = _pilot_traffic(work, pilot_calls[~found.redial] if redials_on
                                     else pilot_calls, pilot)
    talk = _talk(work, members, min_member_calls)
    timeout = time_out(ring_log.rings) if log.has_rings else None
    answer_table = answering(ring_log.rings, members, timeout, confidence) \
        if log.has_rings else None
    routing = _routing(work, group, timeout, policy, ring_cycle, no_answer_rings,
                       when_all_busy, ring_log)
    patience = caller_patience(work, pilot_calls)  # callers who left by a key: censored
    if patience is not None:
        _param(work.params, "mean caller patience", pilot, patience.mean, patience.low,
               patience.high, "s", patience.events + patience.censored,
               f"censored ML ({patience.chosen}; {patience.events} abandoned)")
        _param(work.params, "median caller patience", pilot, patience.median,
               patience.median_low, patience.median_high, "s",
               patience.events + patience.censored, f"censored ML ({patience.chosen})")
        _param(work.params, f"mean patience counted up to {patience.horizon:.0f} s",
               pilot, patience.restricted_mean, patience.restricted_low,
               patience.restricted_high, "s", patience.events + patience.censored,
               "Kaplan-Meier area (no family)")
    rough = None if log.has_rings else _rough(work, pilot_calls, routing)
    wrap_spec = _wrap_up(log, base, work.settings, work.params, confidence)
    away: dict[str, dict[str, Any]] = {}
    agents = [_agent(work, member, talk, answer_table, rough, wrap_spec, away)
              for member in members]
    if not log.has_presence:
        work.settings.rows.append(("schedules", "always logged in (not in this log)", "assumed"))
    hunt = _hunt(work, pilot, members, group, routing, weekly, pilot_calls)
    routing_extras(work, hunt, group)  # penalties (PENALTY lines), penalty_wait, callback
    fit_call_waiting(work, waiting, routing.policy, timeout, hunt, holds, group)
    if redial is not None:
        hunt["redial"] = {k: redial[k] for k in ("on", "probability", "delay")}
    elif group is not None and group.redial is not None:
        hunt["redial"] = group.redial.model_dump(mode="json")
    mapping = _mapping(work, seed, routing, patience, agents, hunt)
    scenario = load_scenario(mapping)
    return Fit(scenario, mapping, pd.DataFrame(work.params),
               pd.DataFrame(work.settings.rows, columns=["setting", "value", "source"]),
               work.warnings, log, traffic, talk, patience, answer_table, source, away=away,
               redials=found, waiting=waiting)


def _redial(work: _Work, found: Redials, group: HuntGroup | None) -> dict[str, Any] | None:
    """The group's ``redial`` read from the log (the same caller again soon after an
    unanswered call), unless ``--base`` gives one or there are too few."""
    if group is not None and group.redial is not None:
        work.settings.rows.append(("redial", "as in --base", "--base"))
        return None
    fitted = redial_fit(found)
    if fitted is None:
        return None
    _param(work.params, "redial probability", "pilot", fitted["probability"], np.nan, np.nan,
           "", int(fitted["chances"]), f"{found.count} redials within "
           f"{REDIAL_WINDOW_S / 60:.0f} min of an unanswered call")
    _param(work.params, "mean redial delay", "pilot", fitted["delay_mean"], np.nan, np.nan,
           "s", found.count, "from the end of the call before")
    work.settings.rows.append(("redial", f"after {', '.join(fitted['on'])}, probability "
                               f"{fitted['probability']:.3g}",
                               "read from the log (the same caller again)"))
    return fitted


def _members(log: LogData, group: HuntGroup | None, source: str) -> list[str]:
    """The members, in hunt order: ``--base``'s, else the order of first rings, else by number."""
    members = sorted(log.members, key=number_order)
    if group is None and log.has_rings and policy_from_rings(log) == "regular":
        members = by_first_ring(log, members)
    if group is not None:
        members = [m for m in group.members if m in members] + \
            [m for m in members if m not in group.members]
    if not members:
        raise LogError(f"{source}: no member answered or was rung; nothing to fit members to")
    return members


def _pilot_traffic(work: _Work, pilot_calls: pd.DataFrame, pilot: str,
                   ) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """Pilot calls by weekday and clock hour, and their ``weekly`` form."""
    log, confidence = work.log, work.confidence
    traffic = hourly_rates(pilot_calls["arrival"], log.start, log.end, confidence)
    week = total_rate(traffic, confidence)
    _param(work.params, f"pilot calls per {_per(week)}", pilot, week["per_week"], week["low"],
           week["high"], f"calls/{week['per']}", int(week["calls"]))
    if not week["complete"]:
        days = round((log.end - log.start).total_seconds() / 86400)
        work.warnings.append(
            f"the log covers {days} days ({week['per']} observed; other weekdays unknown): "
            "rates are per hour of those days, totals are per one of each of them (not per "
            f"week), and the fitted office runs over the log's own {days} days only")
    busiest = traffic.sort_values("rate_per_h", ascending=False).iloc[0]
    _param(work.params,
           f"calls per hour, busiest hour ({busiest['day']} {busiest['hour']:02d}:00)",
           pilot, busiest["rate_per_h"], busiest["low"], busiest["high"], "calls/h",
           int(busiest["calls"]))
    return traffic, weekly_form(traffic)


def _per(total: dict[str, Any]) -> str:
    """``week``, or the weekdays a log shorter than a week saw (``mon-tue (other days
    unknown)``)."""
    return "week" if total["complete"] else f"{total['per']} (other days unknown)"


def _talk(work: _Work, members: list[str], min_member_calls: int) -> dict[str, TimeFit]:
    """Talk time of the group, and of each member with ``min_member_calls`` answered calls."""
    calls, confidence = work.log.calls, work.confidence
    answered = calls[(calls["outcome"] == "answered") & calls["talk_s"].notna()]
    if not len(answered):
        raise LogError(f"{work.source}: no answered call with a talk time; talk time cannot "
                       "be fitted")
    talk = {"group": fit_times(answered["talk_s"], confidence)}
    _talk_param(work, "group", talk["group"])
    for member in members:
        own = answered.loc[answered["agent"] == member, "talk_s"]
        if len(own) >= min_member_calls:
            talk[member] = fit_times(own, confidence)
            _talk_param(work, member, talk[member])
    return talk


def _talk_param(work: _Work, scope: str, fitted: TimeFit) -> None:
    """The mean talk time the fitted office simulates (the family's), with the sample's
    mean and interval beside it where they differ."""
    mean = fitted.family_mean
    source = f"fitted ({fitted.chosen})"
    if abs(mean - fitted.mean) > 0.005 * max(fitted.mean, 1.0):
        source = (f"fitted ({fitted.chosen}'s mean, as simulated; the log's sample mean is "
                  f"{fitted.mean:.4g} s, the interval is the sample mean's)")
    _param(work.params, "mean talk time", scope, mean, fitted.low, fitted.high, "s",
           fitted.n, source)


def _routing(work: _Work, group: HuntGroup | None, timeout: float | None,
             policy: str | None, ring_cycle: float | None, no_answer_rings: int | None,
             when_all_busy: str | None, ring_log: LogData) -> _Routing:
    """Ring cycle, time-out, policy, voicemail and all-busy treatment: the command line,
    else ``--base``, else the log, else assumed (each listed in the settings); the policy
    and rounds from ``ring_log``'s rings (no call waiting)."""
    settings, log, base = work.settings, work.log, work.base
    cycle = settings.pick("ring_cycle (s)", (ring_cycle, "command line"),
                          (base.ring_cycle if base else None, "--base"), default=6.0)
    from_log = max(1, round(timeout / cycle)) if timeout else None  # rings per time-out
    if ring_cycle is None and base is None and timeout and from_log \
            and abs(from_log * cycle - timeout) > 1.0:
        # no cycle given: one that makes the log's time-out whole rings, nearest 6 s
        cycle = round(timeout / from_log, 3)
        settings.rows[-1] = ("ring_cycle (s)", _text(cycle), f"read from the log (a time-out "
                             f"of {timeout:g} s is {from_log} rings of {cycle:g} s)")
    rings = settings.pick("no_answer_rings", (no_answer_rings, "command line"),
                          (group.no_answer_rings if group else None, "--base"),
                          (from_log, f"read from the log (rings ring out after {timeout:g} s)"
                           if timeout else "log"), default=3)
    if timeout and from_log and abs(from_log * cycle - timeout) > 1.0:
        work.warnings.append(f"the log's ring time-out ({timeout:g} s) is not a whole number "
                             f"of {cycle:g} s rings; the fitted office rings {rings} x "
                             f"{cycle:g} s")
    guess = policy_evidence(ring_log) if log.has_rings else None
    policy_source = ("read from the log (rings start together)" if guess is not None
                     and guess.policy == "simultaneous"
                     else "guessed from the order of rings in the log")
    hint = log.policy_hint if guess is None else None  # a CDR's Dial(A&B)
    chosen_policy = settings.pick("policy", (policy, "command line"),
                                  (group.policy if group else None, "--base"),
                                  (guess.policy if guess else None, policy_source),
                                  (hint[0] if hint else None, "read from the log (Dial lines)"),
                                  default="regular")
    if guess is not None:  # what the log shows, even where the policy was given
        settings.rows.append(("policy evidence", guess.evidence, "read from the log (rings)"))
    elif hint is not None:
        settings.rows.append(("policy evidence", hint[1], "read from the log (Dial lines)"))
    voicemail = settings.pick("pilot voicemail", (group.voicemail if group else None, "--base"),
                              default=True)
    queued = queueing_from_rings(log) if log.has_rings else None
    all_busy = settings.pick("when_all_busy", (when_all_busy, "command line"),
                             (group.all_busy_treatment if group else None, "--base"),
                             (queued, "read from the log (callers wait with no phone ringing)"),
                             default="voicemail" if voicemail else "busy")
    if all_busy == "voicemail" and not voicemail:
        raise ScenarioError(["--when-all-busy: 'voicemail' but the pilot has no voicemail in "
                             "--base; choose busy or queue"])
    max_wait, rering = _rounds(work, group, guess, all_busy)
    return _Routing(cycle, rings, chosen_policy, voicemail, all_busy, max_wait, rering)


def _rounds(work: _Work, group: HuntGroup | None, guess: PolicyGuess | None,
            all_busy: str) -> tuple[float | None, float | None]:
    """``max_wait`` and ``rering`` of a queue that rings its members in rounds: ``--base``'s,
    else read from the log where members were rung again for the same call."""
    if group is not None:
        if group.rering is not None or group.max_wait is not None:
            work.settings.rows.append(("max_wait, rering", f"{_text(group.max_wait)}, "
                                       f"{_text(group.rering)}", "--base"))
        return ((group.max_wait, group.rering) if all_busy == "queue" else (None, None))
    if guess is None or not guess.rerung_calls:
        return None, None
    rerung = f"{guess.rerung_calls} calls rang a member more than once"
    limit = queue_timeout(work.log)
    if all_busy != "queue" or limit is None or guess.rering is None:
        why = (f"but the queue's time-out could not be read from the log "
               f"({timeouts_seen(work.log)})" if limit is None
               else f"and the log shows a queue time-out of {limit[0]:g} s, but callers do "
               f"not wait in a queue in the fitted office (when_all_busy {all_busy})"
               if all_busy != "queue"
               else "but no pause between rounds could be read from the log")
        work.warnings.append(f"{rerung} (rounds), {why}: the fitted office rings each "
                             "member once per call (give --base with max_wait and rering)")
        return None, None
    seconds, at, let_go = limit
    few = let_go < MIN_TIMEOUTS
    work.settings.rows.append(("max_wait (s)", _text(seconds), (
        f"read from the log (only {let_go} call{'s' * (let_go > 1)} timed out, "
        f"{'all ' * (let_go > 1)}at {seconds:g} s: few, but exact)") if few else (
        f"read from the log ({at} of {let_go} calls let go after ringing left then)")))
    if few:
        work.warnings.append(f"the queue's time-out ({seconds:g} s) is read from only "
                             f"{let_go} call{'s' * (let_go > 1)} that timed out (at "
                             f"{seconds:g} s; {MIN_TIMEOUTS} wanted): give --base with "
                             "max_wait if it is not the queue's setting")
    work.settings.rows.append(("rering (s)", _text(guess.rering),
                               f"read from the log ({rerung}; median pause between rounds)"))
    return seconds, guess.rering


def _rough(work: _Work, pilot_calls: pd.DataFrame, routing: _Routing) -> dict[str, Any] | None:
    """Without rings in the log: one answer probability and delay for everyone, from waits."""
    rough = rough_answering(pilot_calls, int(routing.rings) * float(routing.cycle))
    answered = int((pilot_calls["outcome"] == "answered").sum())
    if rough is None:
        if answered:
            work.settings.rows.append(("answer probability and delay", "1, 0 s (members "
                                       "answer at once)", f"assumed: too few answered calls "
                                       f"within the time-out ({answered} answered)"))
            work.warnings.append("too few answered calls within the ring time-out "
                                 f"({answered} answered in all): answer probability and "
                                 "pick-up delay not fitted; the fitted office answers every "
                                 "ring at once, so its waits are too short")
        return None
    few = f"; few calls ({rough['delay'].n} < {MIN_ROUGH}): wide interval" \
        if rough["delay"].n < MIN_ROUGH else ""
    _param(work.params, "answer probability (rough)", "group", rough["p"], rough["p_low"],
           rough["p_high"], "", rough["n"], f"share answered within the time-out{few}")
    _param(work.params, "mean pick-up delay (rough)", "group", rough["delay"].mean,
           rough["delay"].low, rough["delay"].high, "s", rough["delay"].n,
           f"answered waits within the time-out{few}")
    work.settings.rows.append((
        "answer probability and delay",
        f"{rough['p']:.3g}, mean {rough['delay'].mean:.3g} s for everyone",
        f"rough: from answered waits (no rings in this log){few}"))
    if few:
        work.warnings.append(
            f"answer probability and pick-up delay are read from only {rough['delay'].n} "
            f"answered calls (fewer than {MIN_ROUGH}): rough, with wide intervals (mean "
            f"pick-up delay {rough['delay'].mean:.3g} s, {rough['delay'].low:.3g} to "
            f"{rough['delay'].high:.3g} s)")
    return rough


def _agent(work: _Work, member: str, talk: dict[str, TimeFit],
           answer_table: pd.DataFrame | None, rough: dict[str, Any] | None,
           wrap_spec: dict[str, Any] | str | None,
           away: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One member as written in the fitted scenario."""
    agent: dict[str, Any] = {"number": member}
    base_agent = _base_agent(work.base, member)
    agent["talk_time"] = talk.get(member, talk["group"]).spec
    if answer_table is not None:
        _answering(work, member, agent, answer_table)
    elif rough is not None:
        agent["answer_probability"] = round(rough["p"], 4)
        agent["answer_delay"] = rough["spec"]
    if base_agent is not None:
        agent["wrap_up"] = base_agent.wrap_up.model_dump(mode="json")
        if base_agent.after_missed is not None:
            agent["after_missed"] = base_agent.after_missed.model_dump(mode="json")
    elif wrap_spec is not None:
        agent["wrap_up"] = wrap_spec
    if work.log.has_presence:
        _presence(work, member, agent, away)
    _direct_calls(work, member, agent, base_agent)
    return agent


def _answering(work: _Work, member: str, agent: dict[str, Any],
               answer_table: pd.DataFrame) -> None:
    """The member's answer probability and pick-up delay, from the rings of the log."""
    row: dict[str, Any] = {str(k): v for k, v in
                           answer_table.set_index("agent").loc[member].items()}
    if np.isfinite(row["p"]):
        agent["answer_probability"] = round(float(row["p"]), 4)
        _param(work.params, "answer probability", member, row["p"], row["p_low"],
               row["p_high"], "", int(row["rings"]),
               "pooled (few rings)" if row["pooled"] else "Kaplan-Meier of rings")
    if isinstance(row.get("delay_spec"), dict | str):
        agent["answer_delay"] = row["delay_spec"]
        _param(work.params, "mean pick-up delay", member, row["delay_mean"],
               row["delay_low"], row["delay_high"], "s", int(row["answered"]),
               "pooled (few rings)" if row["pooled"] else "answered rings")


def _presence(work: _Work, member: str, agent: dict[str, Any],
              away: dict[str, dict[str, Any]]) -> None:
    """The member's schedule and pauses, from the log-ins, log-outs and pauses of the log."""
    log = work.log
    stretches = presence_table(log.presence, member, log.start, log.end)
    windows = schedule_windows(stretches, log.start, log.end, work.warnings, member)
    if windows:
        agent["schedule"] = windows
    pauses = away_fit(stretches, log.start, log.end, work.confidence)
    if pauses is not None:
        away[member] = pauses
        agent["away"] = {"rate": f"{pauses['rate_per_h']:.4g}/h",
                         "length": pauses["length"].spec, "skipped": True}
        _param(work.params, "pauses per logged-in hour", member, pauses["rate_per_h"],
               pauses["rate_low"], pauses["rate_high"], "1/h", pauses["count"])
        _param(work.params, "mean pause length", member, pauses["length"].mean,
               pauses["length"].low, pauses["length"].high, "s", pauses["count"],
               f"fitted ({pauses['length'].chosen})")


def _direct_calls(work: _Work, member: str, agent: dict[str, Any], base_agent: Any) -> None:
    """The member's direct calls by weekday and hour, and voicemail."""
    log, calls = work.log, work.log.calls
    direct = calls[(calls["kind"] == "direct") & (calls["dialed"] == member)]
    if len(direct):
        direct_traffic = hourly_rates(direct["arrival"], log.start, log.end, work.confidence)
        form = weekly_form(direct_traffic)
        if form:
            agent["direct_calls"] = {"weekly": form}
        d = total_rate(direct_traffic, work.confidence)
        _param(work.params, f"direct calls per {_per(d)}", member, d["per_week"], d["low"],
               d["high"], f"calls/{d['per']}", int(d["calls"]))
        agent["voicemail"] = bool((direct["outcome"] == "voicemail").any()) or (
            base_agent.voicemail if base_agent is not None else False)
    elif base_agent is not None:
        agent["voicemail"] = base_agent.voicemail


def _hunt(work: _Work, pilot: str, members: list[str], group: HuntGroup | None,
          routing: _Routing, weekly: dict[str, Any] | None, pilot_calls: pd.DataFrame,
          ) -> dict[str, Any]:
    """The hunt group as written in the fitted scenario."""
    hunt: dict[str, Any] = {"pilot": pilot, "policy": routing.policy, "members": members,
                            "no_answer_rings": int(routing.rings),
                            "voicemail": bool(routing.voicemail),
                            "when_all_busy": routing.all_busy}
    if routing.max_wait is not None:
        hunt["max_wait"] = f"{routing.max_wait:g}s"
        if routing.rering is not None:
            hunt["rering"] = f"{routing.rering:g}s"
    if weekly:
        hunt["arrivals"] = {"weekly": weekly}
    if group is not None and group.open is not None:
        hunt["open"] = list(group.open.windows)
        hunt["after_hours"] = group.after_hours_treatment
        work.settings.rows.append(("open", ", ".join(group.open.windows), "--base"))
    elif not work.log.has_presence and routing.voicemail:
        windows = open_hours(pilot_calls)
        if windows:
            hunt["open"], hunt["after_hours"] = windows, "voicemail"
            work.settings.rows.append(("open", ", ".join(windows),
                                       "read from the log (hours in which calls were answered)"))
    if routing.policy == "weighted":
        weights = list(group.weights) if group is not None and group.weights is not None \
            and len(group.weights) == len(members) else [1.0] * len(members)
        hunt["weights"] = weights
    return hunt


def _mapping(work: _Work, seed: int, routing: _Routing, patience: PatienceFit | None,
             agents: list[dict[str, Any]], hunt: dict[str, Any]) -> dict[str, Any]:
    """The fitted scenario as written to YAML."""
    log = work.log
    days = round((log.end - log.start).total_seconds() / 86400)
    # whole weeks of the log when it covers one (every weekday once per week), else the
    # log's own days: the weekdays it did not see are not simulated
    mapping: dict[str, Any] = {
        "name": f"office fitted to {work.source}",
        "start": f"{WEEKDAYS[log.start.weekday()]} 00:00",
        "duration": f"{days // 7}w" if days >= 7 else f"{max(days, 1)}d",
        "ring_cycle": f"{routing.cycle:g}s",
        "seed": seed,
    }
    if patience is not None:
        mapping["caller_patience"] = patience.spec
    mapping["agents"] = agents
    mapping["hunt_groups"] = [hunt]
    return mapping


MIN_WRAP_UPS = 10
"""Fewer wrap-ups seen than this (gaps before taking a waiting caller): wrap-up not fitted."""


def _wrap_up(log: LogData, base: Scenario | None, settings: _Settings,
             params: list[dict[str, Any]], confidence: float) -> dict[str, Any] | str | None:
    """Wrap-up for every member: ``--base`` (per member), else read from the log, else 0 s."""
    if base is not None:
        settings.rows.append(("wrap_up", "per member, from --base", "--base"))
        return None
    gaps, seen = wrap_up_gaps(log) if log.has_rings else (np.array([]), np.array([], bool))
    if int(seen.sum()) < MIN_WRAP_UPS:
        settings.rows.append(("wrap_up", "0 s", "assumed (not in the log)" if not seen.any()
                              else f"assumed: too few seen ({int(seen.sum())} < "
                              f"{MIN_WRAP_UPS})"))
        return None
    if float(np.median(gaps[seen])) < 2.0:  # within the log's whole seconds of nothing
        settings.rows.append(("wrap_up", "0 s", "read from the log (none seen)"))
        return None
    fitted = fit_patience(gaps, seen, confidence)  # the same censored likelihood
    _param(params, "mean wrap-up", "group", fitted.mean, fitted.low, fitted.high, "s",
           len(gaps), f"censored ML ({fitted.chosen}; {fitted.events} seen whole)")
    settings.rows.append(("wrap_up", f"mean {fitted.mean:.3g} s",
                          "read from the log (gaps before taking a waiting caller)"))
    return fitted.spec


def _base_agent(base: Scenario | None, number: str) -> Any:
    if base is None:
        return None
    try:
        return base.agent(number)
    except KeyError:
        return None


def fit(path: str | Path, format: str = "asterisk-queue-log", queue: str | None = None,
        pilot: str | None = None, tz: str | None = None,
        base: str | Path | Mapping[str, Any] | Scenario | None = None,
        holdout: str | float | None = None, *,
        columns: str | Path | Mapping[str, Any] | None = None, policy: str | None = None,
        ring_cycle: str | float | None = None, no_answer_rings: int | None = None,
        when_all_busy: str | None = None, confidence: float = 0.95, replications: int = 20,
        seed: int = 0, min_member_calls: int = 200, all_queues: bool = False) -> Fit:
    """Fit a scenario to a PBX log.

    Parameters
    ----------
    path : path
        The log file.
    format : str
        ``asterisk-queue-log``, ``asterisk-cdr-csv`` or ``csv``.
    queue, pilot : str, optional
        The queue (queue_log) or pilot number to fit.
    tz : str, optional
        The office's time zone (e.g. ``Europe/Berlin``); default UTC.
    base : path, mapping or Scenario, optional
        A scenario whose policy, time-out, ring cycle, voicemail, all-busy
        treatment, opening hours and wrap-up are taken as given.
    holdout : str or float, optional
        Fit on all but this last stretch of the log (``"2w"``) and back-test
        on it (``Fit.backtest``).
    columns : str, path or mapping, optional
        The column mapping of the ``csv`` format.
    policy, ring_cycle, no_answer_rings, when_all_busy : optional
        Values the log cannot tell; given here they win over ``base``.
    confidence : float
        Of every interval (default 0.95).
    replications : int
        Back-test replications, over the period fitted on and over ``holdout``
        (0: no back-test of the period fitted on).
    seed : int
        Seed of the back-test, also written into the fitted scenario.
    min_member_calls : int
        Answered calls a member needs for a talk time of their own.
    all_queues : bool
        queue_log: every queue, one group each, a member of several queues one agent
        in each group (:func:`huntsim.fit.queues.fit_queues`; not back-tested).

    Returns
    -------
    Fit

    Raises
    ------
    LogError
        For a log with nothing usable (naming the file, line and field).
    ScenarioError
        For an invalid ``base``, ``policy`` or ``holdout``.

    Examples
    --------
    >>> office = fit("scenarios/logs/queue_log", format="asterisk-queue-log")
    >>> office.scenario.hunt_groups[0].pilot
    '200'
    """
    if format not in FORMATS:
        raise LogError(f"--format: {format!r} is not a log format; choose from "
                       f"{', '.join(FORMATS)}")
    if policy is not None and policy not in POLICIES:
        raise ScenarioError([f"--policy: {policy!r} is not a policy; choose from "
                             f"{', '.join(POLICIES)}"])
    if tz is not None:
        _check_zone("--tz", tz)
    if no_answer_rings is not None and not 1 <= no_answer_rings <= 100:
        raise ScenarioError([f"--no-answer-rings: {no_answer_rings} must be from 1 to 100"])
    if not 0 < confidence < 1:
        raise ScenarioError([f"confidence: {confidence!r} must be between 0 and 1"])
    if replications < 0 or replications == 1 or (holdout is not None and replications < 2):
        raise ScenarioError([f"replications: {replications} must be at least 2"
                             + ("" if holdout is not None else
                                " (or 0: no back-test of the period fitted on)")])
    base_scenario = load_scenario(base) if base is not None else None
    if all_queues:
        check_all_queues(format, queue or pilot, holdout)
        return fit_queues(path, fit, base_scenario, tz=tz, columns=columns, policy=policy,
                          ring_cycle=ring_cycle, no_answer_rings=no_answer_rings,
                          when_all_busy=when_all_busy, confidence=confidence, seed=seed,
                          min_member_calls=min_member_calls)
    cycle = _duration("--ring-cycle", ring_cycle) if ring_cycle is not None else None
    log = read_log(path, format, queue=queue, pilot=pilot, tz=tz, columns=columns)
    source = Path(path).name
    train, test = log, None
    if holdout is not None:
        held = _duration("--holdout", holdout)
        cut = log.end - pd.Timedelta(seconds=held)
        if cut - log.start < pd.Timedelta(days=7):
            raise LogError(f"--holdout: {holdout!r} leaves less than a week to fit on (the log "
                           f"covers {(log.end - log.start).days} days)")
        train, test = log.between(log.start, cut), log.between(cut, log.end)
    fitted = _fit_log(train, source, base_scenario, policy, cycle, no_answer_rings,
                      when_all_busy, confidence, min_member_calls, seed)
    fitted.not_in_log = _not_in_log(fitted, path, format)
    if replications:
        fitted.fitted_backtest = back_test(fitted.scenario, train, replications, seed,
                                           confidence, period="fitted")
    if test is not None:
        fitted.backtest = back_test(fitted.scenario, test, replications, seed, confidence)
    return fitted


def _not_in_log(fitted: Fit, path: str | Path, format: str) -> pd.DataFrame:
    """What the fit could not see: redials (of the period fitted on), and from a
    queue_log (all of it) overflow chains and the members' calls in other queues."""
    assert fitted.redials is not None
    group = fitted.scenario.hunt_groups[0]
    queue = str(fitted.log.calls["queue"].iloc[0])
    others = other_queues(path, queue, group.members) if format == "asterisk-queue-log" \
        else None
    fitted_redial = ("redial", "read from the log (the same caller again)") in {
        (row.setting, row.source) for row in fitted.settings.itertuples(index=False)}
    redial = redial_fit(fitted.redials) if fitted_redial else None
    pilot = fitted.log.calls[fitted.log.calls["kind"] == "pilot"]
    table = not_in_log(fitted.redials, redial, others, fitted.log.format,
                      base_redial=group.redial is not None and not fitted_redial,
                      key_exits=(KEY_EXITS, *key_exit_note(fitted.log, pilot, (
                          "callback", CALLBACK_READ) in {(r.setting, r.source) for r in
                                                         fitted.settings.itertuples()})))
    row = waiting_row(fitted.waiting)
    return table if row is None else pd.concat(
        [table, pd.DataFrame([row], columns=table.columns)], ignore_index=True)
