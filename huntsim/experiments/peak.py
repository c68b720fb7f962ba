"""The hours that need more members than a plan's answer for the whole run.

A plan sizes the group for the whole run's calls: a size whose voicemail rate
over all calls meets the target may still miss it in the busiest hours. With
:func:`staffing_by_hour` run, the hours' own simulated answers say which hours
need more; without it, :func:`erlang_peak` takes the Erlang estimate of the
busiest hours (the same sizing as the plan's Erlang first estimate) and names
those hours only when it exceeds both Erlang's answer for the whole run's
traffic (each hour weighted by its calls) and the simulated answer, so the
plan never claims a peak need its own estimate contradicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from huntsim.analysis.expected_traffic import hour_traffic
from huntsim.experiments.estimate import erlang_members, erlang_members_mixed, erlang_targets
from huntsim.experiments.targets import Target
from huntsim.scenario.arrivals import Profile
from huntsim.scenario.calendar import WEEKDAYS
from huntsim.scenario.model import Scenario

__all__ = ["PeakNeed", "erlang_by_hour", "erlang_peak", "erlang_shift", "hours_text", "peak_of",
           "simulated_peak"]


@dataclass(frozen=True)
class PeakNeed:
    """Hours that need more members than the plan's answer for the whole run.

    Attributes
    ----------
    hours : str
        The hours, e.g. ``mon-fri 08:00-10:00``.
    members : int
        Members those hours need.
    overall : int
        The plan's answer for the whole run.
    method : str
        ``simulated`` (each hour simulated, :func:`staffing_by_hour`) or
        ``erlang`` (Erlang estimate per hour, see :func:`erlang_peak`).
    beyond : bool
        The hours need more than ``members - 1``, the largest size simulated: no
        size tried was enough for them.
    """

    hours: str
    members: int
    overall: int
    method: str
    beyond: bool = False

    def text(self) -> str:
        """E.g. ``mon 08:00-10:00 needs about 6 (Erlang estimate for those hours' ...)``."""
        if self.method == "simulated":
            need = f"more than {self.members - 1}" if self.beyond else str(self.members)
            return (f"{self.hours} needs {need} (simulated hour by hour, every member "
                    "logged in)")
        return (f"{self.hours} needs about {self.members} (Erlang estimate for those hours' "
                "traffic; simulate each hour with --by-hour)")


def hours_text(rows: pd.DataFrame) -> str:
    """Hours (``weekday``, ``hour`` columns) as spans, days with the same spans together.

    Examples
    --------
    >>> rows = pd.DataFrame({"weekday": ["mon", "mon", "tue", "tue", "sat"],
    ...                      "hour": [8, 9, 8, 9, 10]})
    >>> hours_text(rows)
    'mon-tue 08:00-10:00, sat 10:00-11:00'
    >>> hours_text(pd.DataFrame({"weekday": ["daily"] * 2, "hour": [8, 12]}))
    'hour 9 and hour 13 of the day'
    """
    spans: dict[str, list[tuple[int, int]]] = {}
    for day, hours in rows.groupby("weekday", sort=False)["hour"]:
        runs: list[tuple[int, int]] = []
        for hour in sorted(int(h) for h in hours):
            if runs and runs[-1][1] == hour:
                runs[-1] = (runs[-1][0], hour + 1)
            else:
                runs.append((hour, hour + 1))
        spans[str(day)] = runs
    if "daily" in spans:
        return " and ".join(f"hour {a + 1}" if b == a + 1 else f"hours {a + 1}-{b}"
                            for a, b in spans["daily"]) + " of the day"
    by_span: dict[tuple[tuple[int, int], ...], list[str]] = {}
    for day in sorted(spans, key=WEEKDAYS.index):
        by_span.setdefault(tuple(spans[day]), []).append(day)
    parts = []
    for runs_of, days in by_span.items():
        times = ", ".join(f"{a:02d}:00-{b:02d}:00" for a, b in runs_of)
        parts.append(f"{_days_text(days)} {times}")
    return ", ".join(parts)


def _days_text(days: Sequence[str]) -> str:
    """``mon-fri`` for consecutive days, else ``mon,wed``."""
    index = [WEEKDAYS.index(d) for d in days]
    if len(days) > 2 and index == list(range(index[0], index[0] + len(days))):
        return f"{days[0]}-{days[-1]}"
    if len(days) == 2 and index[1] == index[0] + 1:
        return f"{days[0]}-{days[1]}"
    return ",".join(days)


def erlang_by_hour(scenario: Scenario, pilot: str, targets: Sequence[Target],
                   threshold_s: float) -> tuple[pd.DataFrame, int | None]:
    """Erlang's answer hour by hour, and for the whole run's traffic.

    Returns
    -------
    table : DataFrame
        One row per open hour with pilot traffic: ``weekday, hour, rate_per_hour,
        calls`` (expected in the run), ``load_erlang`` (pilot and direct calls,
        talk and wrap-up), ``members`` (:func:`erlang_members`, missing when
        Erlang cannot size the targets).
    overall : int or None
        :func:`erlang_members_mixed` over those hours, weighted by their calls.
    """
    group = scenario.group(pilot)
    columns = ["weekday", "hour", "rate_per_hour", "calls", "load_erlang", "members"]
    if group.arrivals is None:
        return pd.DataFrame(columns=columns), None
    agents = [scenario.agent(n) for n in group.members]
    call_s = sum(a.talk_time.mean + a.wrap_up.mean for a in agents) / len(agents)
    traffic = hour_traffic(scenario, group.arrivals, group.open)
    traffic = traffic[(traffic["rate_per_hour"] > 0) & (traffic["open_s"] > 0)]
    day_s = (group.arrivals.period if isinstance(group.arrivals, Profile)
             and group.arrivals.period else None)
    direct = pd.Series(0.0, index=traffic["slot"].to_numpy())
    for agent in agents:
        if agent.direct_calls is not None:
            rates = hour_traffic(scenario, agent.direct_calls, group.open, day_s)
            per_hour = rates.set_index("slot")["rate_per_hour"].reindex(direct.index)
            direct += per_hour.fillna(0.0).to_numpy() * (agent.talk_time.mean
                                                         + agent.wrap_up.mean) / 3600.0
    loads = traffic["rate_per_hour"].to_numpy(dtype=float) / 3600.0 * call_s + direct.to_numpy()
    treatment = group.all_busy_treatment
    sized, _ = erlang_targets(scenario, pilot, targets, threshold_s)
    members = [erlang_members(float(load), call_s, sized, treatment, threshold_s)
               if sized else None for load in loads]
    table = pd.DataFrame({
        "weekday": traffic["weekday"].to_numpy(), "hour": traffic["hour"].to_numpy(dtype=int),
        "rate_per_hour": traffic["rate_per_hour"].to_numpy(dtype=float),
        "calls": traffic["expected_open"].to_numpy(dtype=float), "load_erlang": loads,
        "members": pd.array(members, dtype="Int64"),
    }, columns=columns)
    if not len(table) or table["members"].isna().any():
        return table, None
    overall = erlang_members_mixed(loads.tolist(), table["calls"].tolist(), call_s, targets,
                                   treatment, threshold_s)
    return table, overall


def erlang_shift(scenario: Scenario, pilot: str, targets: Sequence[Target],
                 threshold_s: float) -> tuple[str, int] | None:
    """The hours whose Erlang estimate is the highest, and that estimate, when it exceeds
    Erlang's answer for the whole run's traffic; ``None`` when no hour exceeds it, the
    traffic is steady, or Erlang cannot size the targets."""
    table, overall = erlang_by_hour(scenario, pilot, targets, threshold_s)
    if overall is None or not len(table):
        return None
    most = int(table["members"].max())
    if most <= overall:
        return None
    return hours_text(table[table["members"] == most]), most


def erlang_peak(scenario: Scenario, pilot: str, targets: Sequence[Target], threshold_s: float,
                recommended: int | None) -> PeakNeed | None:
    """The hours whose Erlang estimate exceeds Erlang's answer for the whole run and
    ``recommended``, the simulated answer.

    Those hours need about their Erlang estimate (see :func:`erlang_shift`); ``None``
    when no hour does or there is no recommendation.
    """
    if recommended is None:
        return None
    shift = erlang_shift(scenario, pilot, targets, threshold_s)
    return None if shift is None else peak_of(shift, recommended)


def peak_of(shift: tuple[str, int], recommended: int) -> PeakNeed | None:
    """The :class:`PeakNeed` of an :func:`erlang_shift` over a plan's answer; ``None``
    when the busiest hours' Erlang estimate does not exceed the answer."""
    hours, most = shift
    return PeakNeed(hours, most, recommended, "erlang") if most > recommended else None


def simulated_peak(by_hour: pd.DataFrame, recommended: int | None,
                   largest: int | None = None) -> PeakNeed | None:
    """The hours whose simulated need (``members_needed`` of one policy's rows of
    :func:`staffing_by_hour`) exceeds ``recommended``; ``None`` when none does.

    With ``largest`` (the largest size tried), hours that no size tried was enough
    for come first: they need more than ``largest``.
    """
    if recommended is None or not len(by_hour):
        return None
    unmet = by_hour[by_hour["members_needed"].isna()]
    if largest is not None and len(unmet):
        return PeakNeed(hours_text(unmet), largest + 1, recommended, "simulated", beyond=True)
    needed = by_hour[by_hour["members_needed"].notna()]
    if not len(needed):
        return None
    most = int(needed["members_needed"].max())
    if most <= recommended:
        return None
    busiest = needed[needed["members_needed"] == most]
    return PeakNeed(hours_text(busiest), most, recommended, "simulated")
