"""Every metric a user sees, defined once: name, label, unit, meaning, direction.

The command line, the reports, ``plan`` targets and the scenario reference
all read this table, so that a figure has the same name, label and unit
wherever it appears. It imports nothing heavier than the standard library, so
that it can sit below both the engine and the analysis.

Names follow the tables of :class:`huntsim.Result`, :class:`huntsim.Comparison`
and :class:`huntsim.StaffingPlan`: rates (shares of calls) end in ``_rate``,
times in ``_s``. A few names carry a parameter: ``service_level_20s``
(answered within 20 s), ``p95_wait_s`` (a percentile of the wait),
``first_attempt_busy_rate`` (an outcome of a caller's first attempt) and
``erlang_c_service_level_20s``; :func:`metric` understands them all. How the
values are written (units, decimals, intervals) is :mod:`huntsim.analysis.formatting`.

Examples
--------
>>> label("voicemail_rate")
'Voicemail (% of calls)'
>>> metric("service_level_30s").label
'Answered within 30 s'
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "AGENT_METRICS",
    "AGENT_METRICS_WHEN_USED",
    "CALLBACK_METRICS",
    "CALLER_METRICS",
    "CALLS_UNIT",
    "COMPARISON_METRICS",
    "FLOWS",
    "JOURNEY_METRICS",
    "KINDS",
    "METRICS",
    "OUTCOMES",
    "PLAN_METRICS",
    "REPORT_METRICS",
    "RUN_HEADLINE_METRICS",
    "RUN_METRICS",
    "SUMMARY_METRICS_WHEN_USED",
    "SWEEP_METRICS",
    "SWEEP_METRICS_WHEN_USED",
    "SWEEP_TABLE_METRICS",
    "TARGET_METRICS",
    "Kind",
    "Metric",
    "in_words",
    "is_share",
    "key_metrics",
    "label",
    "metric",
    "outcome_label",
    "policy_label",
    "service_level_name",
    "suggest",
    "uses_callbacks",
]

Kind = Literal["rate", "count", "seconds", "index", "ratio"]
KINDS: tuple[str, ...] = ("rate", "count", "seconds", "index", "ratio")
"""What a metric's number is: a share (shown in %), a count, a time in seconds,
an index without unit (e.g. Jain's), or another ratio (with its own unit)."""

_POLICY_LABELS: dict[str, str] = {
    "regular": "Regular", "circular": "Circular", "simultaneous": "Simultaneous",
    "uniform": "Uniform", "weighted": "Weighted", "staggered": "Staggered",
    "fewest_calls": "Fewest calls", "least_talk_time": "Least talk time", "random": "Random",
}


def policy_label(policy: str) -> str:
    """How a hunt policy is named to people: the one label of each policy.

    >>> policy_label("staggered"), policy_label("round_robin")
    ('Staggered', 'Round robin')
    """
    return _POLICY_LABELS.get(policy, policy.replace("_", " ").capitalize())


_OUTCOME_WORDS: dict[str, tuple[str, str, bool | None]] = {
    # outcome: (label, what happened, higher is better)
    "answered": ("Answered", "a member picked up", True),
    "voicemail": ("Voicemail", "the call reached the voicemail of the pilot or member", False),
    "busy": ("Busy signal", "the caller heard a busy signal", False),
    "no_answer": ("Not answered", "the call rang out with nobody picking up and no voicemail",
                  False),
    "abandoned": ("Caller hung up", "the caller hung up while waiting (ringing or queued)",
                  False),
    "forwarded": ("Forwarded", "the group passed the call on (forward): to another group "
                  "(in that group's row) or out of the office (in 'all pilot calls': the call "
                  "left the office)", None),
    "called_back": ("Called back", "the caller took a call back in the queue and answered it "
                    "(a member talked with them)", True),
    "callback_missed": ("Call back missed", "the caller took a call back but did not answer "
                        "it, or was not called back by the end of the run", False),
}

OUTCOMES: tuple[str, ...] = tuple(_OUTCOME_WORDS)
"""How a call can end, in the order tables list them."""


def outcome_label(outcome: str) -> str:
    """How an outcome is named to people: the label of its ``<outcome>_rate``.

    >>> outcome_label("no_answer"), outcome_label("abandoned")
    ('Not answered', 'Caller hung up')
    """
    return _OUTCOME_WORDS[outcome][0]


FLOWS: dict[str, str] = {
    "answered_first_try": "answered at the first try, in the group dialled",
    "answered_after_redial": "answered after calling again",
    "answered_elsewhere": "answered by a group the call was forwarded to",
    "voicemail": "left at voicemail",
    "busy": "heard busy",
    "no_answer": "rang out unanswered",
    "abandoned": "hung up waiting",
    "forwarded": "forwarded out of the office",
    "called_back": "called back from the queue",
    "callback_missed": "missed the call back",
}
"""Each end of a caller's journey, with its label: the three ways of being
answered, then the other :data:`OUTCOMES` of the caller's last attempt."""


@dataclass(frozen=True)
class Metric:
    """One metric: what it is called, how it is shown and what it means.

    Attributes
    ----------
    name : str
        The column name in tables, e.g. ``voicemail_rate``.
    label : str
        Plain words without the unit, e.g. ``Voicemail``.
    unit : str
        The unit it is shown in, e.g. ``% of calls``, ``s``, ``calls/h``;
        empty for counts and indices.
    definition : str
        One sentence saying what is measured.
    higher_is_better : bool or None
        The direction a planner wants it to move; ``None`` when neither.
    kind : str
        One of :data:`KINDS`; it decides how :func:`format_value` shows it.
    """

    name: str
    label: str
    unit: str
    definition: str
    higher_is_better: bool | None
    kind: Kind

    @property
    def title(self) -> str:
        """The label with its unit, e.g. ``Voicemail (% of calls)``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    def better(self, difference: float) -> bool | None:
        """Whether a change of ``difference`` is an improvement (``None``: no direction)."""
        if self.higher_is_better is None or difference == 0 or math.isnan(difference):
            return None
        return (difference > 0) == self.higher_is_better


def _m(name: str, label: str, unit: str, definition: str, higher: bool | None,
       kind: Kind) -> Metric:
    return Metric(name, label, unit, definition, higher, kind)


CALLS_UNIT = "% of calls"
"""The unit of a share of calls (most rates)."""
_CALLERS = "% of callers"

_TABLE: list[Metric] = [
    # volume of calls
    _m("offered", "Calls offered", "",
       "Calls that reached the scope in the reported period (after-hours calls left out).",
       None, "count"),
    _m("offered_per_hour", "Calls per open hour", "calls/h",
       "Calls offered per hour the group was open in the reported period (every hour for "
       "a group without open hours; in an hour-by-hour table, per hour of that hour).",
       None, "ratio"),
    _m("rate_per_hour", "Calls per open hour", "calls/h",
       "Pilot calls per hour in the hour of the week, as the scenario expects them.",
       None, "ratio"),
    _m("after_hours", "After-hours calls", "",
       "Pilot calls that reached the group outside its opening hours (dialled, or "
       "forwarded to it); they rang nobody there (its after-hours treatment, or forwarded "
       "on) and are left out of its other figures but calls forwarded to another group.",
       None, "count"),
    _m("after_hours_per_hour", "After-hours calls per hour", "calls/h",
       "After-hours calls per hour of the hour of the week.", None, "ratio"),
    _m("callers", "Callers", "",
       "Distinct callers: a caller who redials counts once, however many attempts.",
       None, "count"),
    _m("attempts_per_caller", "Attempts per caller", "calls/caller",
       "Calls (first attempts and redials) per distinct caller.", False, "ratio"),
    _m("callers_answered_rate", "Callers answered", _CALLERS,
       "Share of distinct callers answered on some attempt, redials included.", True, "rate"),
    _m("forwarded_in", "Calls forwarded in", "",
       "Calls that arrived in this group by forwarding from another group while it was "
       "open (part of its calls offered; one that found it closed is in its after-hours "
       "calls).", None, "count"),
    _m("forwarded_away", "Calls forwarded to another group", "",
       "Calls first dialled to this group that were forwarded to, and ended in, another "
       "group, those forwarded after hours included (they are also in its after-hours "
       "calls).", None, "count"),
    # waits
    _m("mean_wait_s", "Mean wait to answer", "s",
       "Mean time from arrival to pick-up, over answered calls.", False, "seconds"),
    # hunting
    _m("offers_per_call", "Phones rung per call", "offers/call",
       "Ring offers made per call (a simultaneous ring of n members counts n); a group "
       "counts those made in it, a forwarded call's offers elsewhere left out.",
       False, "ratio"),
    _m("rings_per_call", "Rings per call", "rings/call",
       "Ringing time per call in ring cycles, summed over the phones rung (a member's "
       "phone ringing twice and then answering counts 2); a group counts its own "
       "members' rings.", False, "ratio"),
    # fairness of member load
    _m("jain_index", "Fairness of member load (Jain's index)", "",
       "Jain's index of the members' group-call talk load against each one's fair share "
       "(the talk of each call the group answered, a call back the caller took included, "
       "split evenly among the members logged in when it was answered): "
       "1 when every member carries their fair share, a part-timer who takes her turns "
       "included; down to 1/n when one of n always-present members carries it all.",
       True, "index"),
    _m("load_cv", "Spread of member load (coefficient of variation)", "",
       "Spread of the members' group-call talk load, each over their fair share "
       "(weighted by the shares); 0 when every member carries their fair share.",
       False, "index"),
    _m("max_min_ratio", "Busiest over least busy member load", "",
       "Group-call talk load over fair share of the busiest member, over that of the "
       "least busy (infinite when a member with a share carries none).", False, "ratio"),
    _m("load_share", "Share of the group's talk time", "% of talk time",
       "The member's part of the group's total group-call talk time.", None, "rate"),
    _m("expected_share", "Fair share of the group's talk time", "% of talk time",
       "The member's fair share given presence: the talk of each call the group "
       "answered, split evenly among the members logged in when it was answered (1/n "
       "each without schedules).",
       None, "rate"),
    # per agent
    _m("position", "Position in the list", "",
       "The member's place in the group's member list, 1 first.", None, "count"),
    _m("group_answered", "Group calls answered", "",
       "Calls through the pilot that the member answered, call backs the member made "
       "included (agents table: through every group the member answers; compare's "
       "per-group member rows: that group's only).",
       None, "count"),
    _m("direct_answered", "Direct calls answered", "",
       "Calls dialled straight to the member that the member answered.", None, "count"),
    _m("offers", "Times rung", "",
       "Ring offers the member received (group and direct calls).", None, "count"),
    _m("offers_missed", "Rings let ring out", "",
       "Offers the member let ring to the time-out (not those stopped by a pick-up "
       "elsewhere or by the caller), call waitings apart.", False, "count"),
    _m("call_waiting_missed", "Call waitings let ring", "",
       "Group calls offered to the member as call waiting while on another call "
       "(hunt_groups[].call_waiting) that they did not pick up; not in rings let ring "
       "out, and not misses for after_missed.", False, "count"),
    _m("talk_s", "Talk time", "s", "Time on answered calls inside the reported period.",
       None, "seconds"),
    _m("busy_s", "Busy time", "s", "Talk, wrap-up and ringing time inside the reported period.",
       None, "seconds"),
    _m("logged_in_s", "Logged-in time", "s",
       "Time inside the member's schedule in the reported period.", None, "seconds"),
    _m("away_s", "Time away", "s", "Time away from the phone (e.g. showings).",
       None, "seconds"),
    _m("not_ready_s", "Time not ready", "s", "Time not ready after missed rings.",
       None, "seconds"),
    _m("load_erlang", "Talk load", "Erlang",
       "Talk time over the reported period: the carried load (1 Erlang = always talking).",
       None, "ratio"),
    _m("group_load_erlang", "Group-call talk load", "Erlang",
       "Talk time on calls through the pilot over the reported period.", None, "ratio"),
    _m("occupancy", "Occupancy", "% of logged-in time",
       "Busy time (talk, wrap-up and ringing) while logged in over logged-in time, between "
       "0 and 1: the part of a call that runs past the end of the member's schedule is "
       "busy time, but not logged-in time.", None, "rate"),
    # planning
    _m("members", "Members", "", "Members in the hunt group.", None, "count"),
    _m("members_needed", "Members needed", "",
       "Fewest members whose mean figures meet every target (missing: no size tried is "
       "enough).", False, "count"),
    _m("erlang_estimate", "Erlang estimate of members", "",
       "Fewest members that meet the targets by Erlang B or C, the textbook first estimate.",
       None, "count"),
    _m("certain", "Certain", "",
       "Whether the whole 95 % interval, not only the mean, meets every target at that size "
       "(no: add replications).", None, "index"),
    _m("offered_load_erlang", "Offered load", "Erlang",
       "Calls per second times the mean time a call keeps a member busy.", None, "ratio"),
    _m("pilot_load_erlang", "Pilot-call load", "Erlang",
       "The peak hour's pilot calls per second times the handle time (talk and wrap-up).",
       None, "ratio"),
    _m("direct_load_erlang", "Direct-call load on members", "Erlang",
       "Load the members' own direct calls put on them, which the pilot's callers "
       "find busy.", None, "ratio"),
    _m("shared_load_erlang", "Other groups' load on shared members", "Erlang",
       "Load other groups' calls put on the members this group shares with them (each "
       "group's load spread evenly over its members), in the same hour.", None, "ratio"),
    _m("handle_s", "Handle time (talk and wrap-up)", "s",
       "Mean time a call keeps a member busy: talk and wrap-up.", None, "seconds"),
    _m("erlang_b_blocking", "Erlang B: all members busy", CALLS_UNIT,
       "Erlang B's share of calls finding every member busy.", False, "rate"),
]

METRICS: dict[str, Metric] = {m.name: m for m in _TABLE}
"""The fixed metrics by name. Parametric names are made by :func:`metric`."""

for _outcome, (_label, _what, _higher) in _OUTCOME_WORDS.items():
    METRICS[f"{_outcome}_rate"] = Metric(
        f"{_outcome}_rate", _label, CALLS_UNIT, f"Share of calls where {_what}.", _higher, "rate")
for _q in (50, 90, 95):
    METRICS[f"p{_q}_wait_s"] = Metric(
        f"p{_q}_wait_s", "Median wait to answer" if _q == 50
        else f"{_q}th percentile wait to answer", "s",
        f"{_q} % of answered calls were picked up within this time.", False, "seconds")
METRICS["served_rate"] = Metric(
    "served_rate", "Answered or called back", CALLS_UNIT,
    "Share of calls a member talked with: answered, or called back from the queue and "
    "reached (answered_rate + called_back_rate); every other outcome is lost, a call back "
    "missed included.", True, "rate")
METRICS["service_level_20s"] = Metric(
    "service_level_20s", "Answered within 20 s", CALLS_UNIT,
    "Share of calls answered within 20 s of arrival (of all calls, not only the answered).",
    True, "rate")
for _outcome, (_label, _what, _higher) in _OUTCOME_WORDS.items():
    _name = f"first_attempt_{_outcome}_rate"
    METRICS[_name] = Metric(
        _name, f"{_label} on the first attempt", _CALLERS,
        f"Share of callers whose first attempt ended so ({_what}).", _higher, "rate")

TARGET_METRICS: tuple[str, ...] = (
    *(f"{o}_rate" for o in OUTCOMES), "served_rate", "mean_wait_s", "p50_wait_s", "p90_wait_s",
    "p95_wait_s", "offers_per_call", "rings_per_call", "jain_index", "max_min_ratio",
    "load_cv", "callers_answered_rate", "attempts_per_caller",
    *(f"first_attempt_{o}_rate" for o in OUTCOMES),
)
"""Per-group figures of every run that a ``plan`` target may name, besides
``service_level_<T>s``."""

def service_level_name(threshold_s: float) -> str:
    """The name of the service level at ``threshold_s`` seconds.

    >>> service_level_name(20.0), service_level_name(12.5)
    ('service_level_20s', 'service_level_12.5s')
    """
    return f"service_level_{threshold_s:g}s"


# ------------------------------------------------------- what each view shows

def key_metrics(threshold_s: float) -> tuple[str, ...]:
    """The metrics a verdict judges and its decision table shows, in column order:
    the service level at ``threshold_s``, then voicemail, hang-ups, mean wait and
    fairness of member load."""
    return (service_level_name(threshold_s), "voicemail_rate", "abandoned_rate",
            "mean_wait_s", "jain_index")


CALLBACK_METRICS: tuple[str, ...] = ("served_rate", "called_back_rate", "callback_missed_rate")
"""Figures about call backs (``hunt_groups[].callback``): shown in summaries, comparisons,
plans and sweeps only where some scope has a call back (taken or missed). A called-back
caller is served but not answered: ``answered_rate`` and the service level count
callers answered live, ``served_rate`` adds those called back."""


def uses_callbacks(value: Callable[[str], float | None]) -> bool:
    """Whether a table has call backs: ``value(name)`` gives the largest value of a
    metric in it (NaN or 0 when absent).

    >>> uses_callbacks({"called_back_rate": 0.0}.get), uses_callbacks(
    ...     {"callback_missed_rate": 0.02}.get)
    (False, True)
    """
    for name in ("called_back_rate", "callback_missed_rate"):
        got = value(name)
        if got is not None and not math.isnan(float(got)) and float(got) > 0:
            return True
    return False


RUN_METRICS: tuple[str, ...] = ("offered", "answered_rate", "voicemail_rate", "abandoned_rate",
                                "service_level_20s", "mean_wait_s", "p90_wait_s", "after_hours")
"""A run's summary per scope (hunt group, direct calls) in Jupyter."""

RUN_HEADLINE_METRICS: tuple[str, ...] = ("answered_rate", "voicemail_rate", "abandoned_rate",
                                         "mean_wait_s")
"""The figures of each scope in the few lines of a run's ``repr``."""

AGENT_METRICS: tuple[str, ...] = ("group_answered", "direct_answered", "offers",
                                  "offers_missed", "call_waiting_missed", "talk_s", "away_s",
                                  "not_ready_s", "logged_in_s", "occupancy")
"""The columns of the agent table in the terminal, in order."""

AGENT_METRICS_WHEN_USED: tuple[str, ...] = ("direct_answered", "call_waiting_missed", "away_s",
                                            "not_ready_s")
"""Columns of :data:`AGENT_METRICS` left out when they are zero for every agent."""

CALLER_METRICS: tuple[str, ...] = ("callers", "attempts_per_caller", "callers_answered_rate")
"""Figures about callers rather than calls; left out of a run's summary when nobody
redialled (they would repeat the call figures), with ``first_attempt_<outcome>_rate``."""

SUMMARY_METRICS_WHEN_USED: tuple[str, ...] = ("forwarded_rate", "forwarded_in",
                                              "forwarded_away", "after_hours",
                                              "called_back_rate", "callback_missed_rate")
"""Rows of a run's summary left out when they are zero in every scope (``served_rate``
with the call back rows: see :data:`CALLBACK_METRICS`)."""

COMPARISON_METRICS: tuple[str, ...] = (
    "answered_rate", "voicemail_rate", "abandoned_rate", "mean_wait_s", "p90_wait_s",
    "jain_index", "callers_answered_rate", "forwarded_rate", *CALLBACK_METRICS)
"""The figures per policy that ``huntsim compare`` prints, after the service level
(forwards, callers and call backs only where used)."""

REPORT_METRICS: tuple[str, ...] = (
    "offered", "answered_rate", "voicemail_rate", "busy_rate", "no_answer_rate",
    "abandoned_rate", "mean_wait_s", "p50_wait_s", "p90_wait_s", "p95_wait_s",
    "offers_per_call", "rings_per_call", "jain_index", "max_min_ratio", "load_cv",
    *CALLBACK_METRICS,
)
"""The comparison report's table of all figures, after the service level (and
``after_hours`` where the office has opening hours; call backs only where used)."""

JOURNEY_METRICS: tuple[str, ...] = (
    "callers", "attempts_per_caller", "first_attempt_answered_rate", "callers_answered_rate",
    "forwarded_rate", "forwarded_away", "forwarded_in")
"""Where the callers of a group ended, per policy (redials and forwards), in column order."""

PLAN_METRICS: tuple[str, ...] = ("voicemail_rate", "abandoned_rate", "mean_wait_s")
"""A staffing curve's figures besides the targets and the service level."""

SWEEP_METRICS: tuple[str, ...] = ("answered_rate", "voicemail_rate", "mean_wait_s")
"""A sweep's figures against each swept parameter, besides the service level."""

SWEEP_TABLE_METRICS: tuple[str, ...] = ("voicemail_rate", "mean_wait_s")
"""A sweep's tables of means (report and terminal), besides the service level."""

SWEEP_METRICS_WHEN_USED: tuple[str, ...] = ("abandoned_rate", "forwarded_rate")
"""A sweep's figures (tables and plots) shown only where some point has them: hang-ups
and forwards."""


_LEVEL = re.compile(r"^(erlang_c_)?service_level_(\d+(?:\.\d+)?)s$")
_PERCENTILE = re.compile(r"^p(\d{1,2}(?:\.\d+)?)_wait_s$")


def _seconds_text(threshold: str) -> str:
    value = float(threshold)
    return f"{value:g}"


def _ordinal(number: str) -> str:
    """``'1'`` -> ``'1st'``, ``'22'`` -> ``'22nd'``, ``'12.5'`` -> ``'12.5th'``.

    Examples
    --------
    >>> [_ordinal(n) for n in ("1", "2", "3", "11", "12", "21", "80", "99.5")]
    ['1st', '2nd', '3rd', '11th', '12th', '21st', '80th', '99.5th']
    """
    if "." in number or number[-2:] in ("11", "12", "13"):
        return f"{number}th"
    return number + {"1": "st", "2": "nd", "3": "rd"}.get(number[-1], "th")


def metric(name: str) -> Metric:
    """The metric called ``name``, parametric names included.

    Parameters
    ----------
    name : str
        A column name such as ``voicemail_rate``, ``service_level_30s``,
        ``p80_wait_s``, ``first_attempt_busy_rate`` or
        ``erlang_c_service_level_20s``.

    Raises
    ------
    ValueError
        For an unknown name, with the closest known names as a suggestion.

    Examples
    --------
    >>> metric("first_attempt_busy_rate").title
    'Busy signal on the first attempt (% of callers)'
    >>> metric("voicemail_rte")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: 'voicemail_rte' is not a metric; did you mean 'voicemail_rate' or ...?
    """
    if name in METRICS:
        return METRICS[name]
    level = _LEVEL.match(name)
    if level is not None:
        seconds = _seconds_text(level.group(2))
        if level.group(1):
            return Metric(name, f"Erlang C: answered within {seconds} s", CALLS_UNIT,
                          f"Erlang C's share of calls answered within {seconds} s "
                          "(members always answer, nobody hangs up).", True, "rate")
        return Metric(name, f"Answered within {seconds} s", CALLS_UNIT,
                      f"Share of calls answered within {seconds} s of arrival (of all "
                      "calls, not only the answered).", True, "rate")
    percentile = _PERCENTILE.match(name)
    if percentile is not None and 0 < float(percentile.group(1)) < 100:
        q = f"{float(percentile.group(1)):g}"
        return Metric(name, f"{_ordinal(q)} percentile wait to answer", "s",
                      f"{q} % of answered calls were picked up within this time.",
                      False, "seconds")
    raise ValueError(f"{name!r} is not a metric; {suggest(name)}")


_IN_WORDS: dict[str, str] = {
    "voicemail_rate": "voicemail",
    "abandoned_rate": "hang-ups",
    "mean_wait_s": "mean wait",
    "jain_index": "fairness of member load",
    "busy_rate": "busy signals",
    "callers_answered_rate": "callers answered in the end",
}


def in_words(name: str) -> str:
    """How a sentence names a metric (``worse on voicemail and hang-ups``).

    A few metrics have a short form; the others are their label, lower case.

    Examples
    --------
    >>> in_words("abandoned_rate"), in_words("service_level_20s")
    ('hang-ups', 'answered within 20 s')
    """
    if name in _IN_WORDS:
        return _IN_WORDS[name]
    text = metric(name).label
    return text[0].lower() + text[1:]


def suggest(name: str, choices: list[str] | None = None) -> str:
    """A ``did you mean ...`` hint for an unknown metric name, or the names to choose from.

    Parameters
    ----------
    name : str
        The unknown name.
    choices : list of str, optional
        The names allowed here; default every metric of :data:`METRICS` and
        ``service_level_<T>s``.

    Examples
    --------
    >>> suggest("jain")
    "did you mean 'jain_index'?"
    >>> suggest("voicemail_rte")
    "did you mean 'voicemail_rate' or 'first_attempt_voicemail_rate'?"
    """
    known = choices if choices is not None else [*METRICS, "service_level_<T>s"]
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if len(name) >= 3:
        close += [k for k in known if name in k and k not in close]
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close[:3]) + "?"
    shown = known if choices is not None else [*TARGET_METRICS, "service_level_<T>s"]
    return "choose from " + ", ".join(shown)


def is_share(name: str) -> bool:
    """Whether a metric is a share of something, shown in % (an unknown name: by its
    ending, ``_rate``, or ``service_level_``).

    Examples
    --------
    >>> is_share("occupancy"), is_share("mean_wait_s"), is_share("my_rate")
    (True, False, True)
    """
    try:
        return metric(name).kind == "rate"
    except ValueError:
        return name.endswith("_rate") or name.startswith("service_level")


def label(name: str) -> str:
    """The metric's label with its unit, e.g. ``Voicemail (% of calls)``.

    An unknown name is returned as it is, so that a table with an extra
    column still prints.

    Examples
    --------
    >>> label("mean_wait_s")
    'Mean wait to answer (s)'
    >>> label("service_level_20s")
    'Answered within 20 s (% of calls)'
    """
    try:
        return metric(name).title
    except ValueError:
        return name


