"""The rostered office: the group's members replaced by one agent per rostered person,
each logged in on the schedule of their shift, written as a scenario file.

The file is the scenario as its author wrote it (a file or a mapping), changed only in
the group's ``members`` and the agents listed: what ``huntsim run`` reads from
``rostered.yaml`` is exactly what was simulated.

A member the group shares with other groups (``one_group_per_member: false``) leaves
the rostered group only: they stay an agent, with their schedule and direct calls, in
every other group that lists them; the rostered people answer the rostered group alone.
:func:`sizing_office` is the office the hourly need is sized for, made by the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from huntsim.errors import ScenarioError
from huntsim.experiments.plan_setup import added_members
from huntsim.scenario.agents import Agent
from huntsim.scenario.calendar import DAY, parse_clock
from huntsim.scenario.loader import read_scenario_file
from huntsim.scenario.model import Scenario, load_scenario, validate_scenario
from huntsim.scenario.shifts import Shift, load_shifts
from huntsim.scenario.units import WrittenFloat, WrittenInt

__all__ = ["Source", "apply_roster", "read_roster", "rostered_mapping", "rostered_objects",
           "rostered_scenario", "scenario_source", "scenario_yaml", "shared_members",
           "shared_note", "sizing_office", "unshared_priorities"]


Source = tuple[dict[str, Any] | None, Path | None]
"""A scenario as written (``None``: given as a Scenario object) and its file's folder."""


def scenario_source(scenario: str | Path | Mapping[str, Any] | Scenario) -> Source:
    """The scenario as its author wrote it, where there is such a text, and its folder."""
    if isinstance(scenario, str | Path):
        return dict(read_scenario_file(Path(scenario))), Path(scenario).parent
    if isinstance(scenario, Mapping):
        return dict(scenario), None
    return None, None


def _number(value: Any) -> str:
    return value.written if isinstance(value, WrittenInt | WrittenFloat) else str(value)


def _people(shifts: Sequence[Shift], counts: Iterable[int], pilot: str,
            taken: set[str]) -> list[tuple[str, str, Shift]]:
    """Number, name and shift of each rostered person: ``PILOT-r1``, ``early 1``..."""
    people = []
    k = 0
    for shift, count in zip(shifts, counts, strict=True):
        for person in range(1, int(count) + 1):
            k += 1
            while f"{pilot}-r{k}" in taken:
                k += 1
            people.append((f"{pilot}-r{k}", f"{shift.name} {person}", shift))
    return people


def shared_members(base: Scenario, pilot: str) -> dict[str, tuple[str, ...]]:
    """The group ``pilot``'s members that other groups list too, each with those groups'
    pilots (list order); empty when no member is shared."""
    shared: dict[str, tuple[str, ...]] = {}
    for number in base.group(pilot).members:
        others = tuple(g.pilot for g in base.hunt_groups
                       if g.pilot != pilot and number in g.members)
        if others:
            shared[number] = others
    return shared


def shared_note(base: Scenario, pilot: str) -> str:
    """What a roster does with the group's shared members, in words (empty: none shared):
    ``3 of its members (101, 102, 105) also answer group 100: they stay there, ...``;
    with several other groups, which members answer each
    (``... also answer other groups (group 500: 501, 503; group 520: 502): ...``), and the
    groups whose ``priority`` the roster drops (:func:`unshared_priorities`)."""
    shared = shared_members(base, pilot)
    if not shared:
        return ""
    others = list(dict.fromkeys(p for pilots in shared.values() for p in pilots))
    names = list(shared)
    if len(others) == 1:
        who = (f"{len(names)} of its members ({_first_five(names)}) also answer group "
               f"{others[0]}")
    else:
        each = "; ".join(
            f"group {other}: {_first_five([n for n in names if other in shared[n]])}"
            for other in others)
        who = f"{len(names)} of its members also answer other groups ({each})"
    text = (f"{who}: they stay there, on their own schedules, and leave group {pilot} "
            f"only; the rostered people answer group {pilot} alone")
    dropped = [base.hunt_groups[g].pilot for g in unshared_priorities(base, pilot)]
    if dropped:
        text += (f"; the priority of group{'s' if len(dropped) > 1 else ''} "
                 f"{', '.join(dropped)} is dropped: with no member shared it changes nothing")
    return text


def _first_five(names: Sequence[str]) -> str:
    return f"{', '.join(names[:5])}{', ...' if len(names) > 5 else ''}"


def unshared_priorities(base: Scenario, pilot: str) -> tuple[int, ...]:
    """The groups (indices) given a ``priority`` that shared a member with another group
    but share none once the group ``pilot`` is rostered (its rostered people answer it
    alone, and its shared members leave it): their priority then changes nothing, and the
    rostered office drops it rather than carry a setting a run would warn about."""
    def sharing(members: Sequence[tuple[str, ...]]) -> list[bool]:
        count: dict[str, int] = {}
        for listed in members:
            for number in set(listed):
                count[number] = count.get(number, 0) + 1
        return [any(count[n] > 1 for n in listed) for listed in members]

    before = sharing([g.members for g in base.hunt_groups])
    after = sharing([() if g.pilot == pilot else g.members for g in base.hunt_groups])
    return tuple(k for k, g in enumerate(base.hunt_groups)
                 if "priority" in g.model_fields_set and before[k] and not after[k])


def _without_priority(group: Any) -> Any:
    """The group as if its ``priority`` had not been given."""
    copy = group.model_copy(update={"priority": 0})
    copy.__pydantic_fields_set__.discard("priority")
    return copy


def sizing_office(base: Scenario, pilot: str) -> Scenario:
    """The office staffing by hour sizes the group ``pilot`` in, for a roster: each of the
    group's members made like a rostered person (the rule of
    :class:`~huntsim.experiments.plan_setup.AddedMembers`, keeping their number and name
    so that their random streams are those of the members they stand for), and the
    group's ``weights``, member penalties and ``penalty_wait`` dropped: one tier, rung
    alike, as in the rostered office. Staffing by hour simulates the group alone, so its
    members' other groups do not count, as they do not for the rostered people.
    """
    added = added_members(base, pilot)
    members = set(base.group(pilot).members)
    agents = tuple(Agent.model_validate({**added.template, "number": a.number,
                                         "name": a.name, "schedule": None})
                   if a.number in members else a for a in base.agents)
    groups = tuple(g.model_copy(update={"weights": None, "penalties": None,
                                        "penalty_wait": None}) if g.pilot == pilot else g
                   for g in base.hunt_groups)
    return base.replace(agents=agents, hunt_groups=groups)


def rostered_mapping(base: Scenario, written: dict[str, Any] | None, pilot: str,
                     shifts: Sequence[Shift], counts: Iterable[int]) -> dict[str, Any] | None:
    """The scenario file of the rostered office (``None``: the scenario was given as an
    object, or lists blocks of agents, and cannot be written back as its author wrote it).

    The group ``pilot``'s members are dropped from the group, and from the agents (with
    their own direct calls) unless another group lists them (see
    :func:`shared_members`: they stay, and answer only their other groups). The group
    gets one new agent per rostered person instead:
    numbered ``PILOT-r1``, ``PILOT-r2``, ... and named after their shift
    (``early 1``), made by the rule of
    :class:`~huntsim.experiments.plan_setup.AddedMembers` (from ``agent_defaults``
    when it sets a ``talk_time``, else like the group's last member) with the
    ``schedule`` of their shift. The group's ``weights`` are dropped, and so are its
    member penalties and ``penalty_wait``: the rostered people are one tier, rung
    alike (the roster's note says so).
    """
    if written is None or any(isinstance(a, Mapping) and any(k in a for k in Agent.FILE_KEYS)
                              for a in written.get("agents", ())):
        return None
    added = added_members(base, pilot)
    index = [g.pilot for g in base.hunt_groups].index(pilot)
    members = set(base.group(pilot).members) - set(shared_members(base, pilot))
    data = dict(written)
    agents = [a for a in data["agents"] if _number(a.get("number")) not in members]
    template: dict[str, Any] = {}
    if added.source != "agent_defaults" or "agent_defaults" not in data:
        last = next(a for a in written["agents"]
                if _number(a.get("number")) == base.group(pilot).members[-1])
        template = {k: v for k, v in last.items()
                    if k not in ("number", "name", "schedule", "direct_calls")}
        template["direct_calls"] = None
    taken = {a.number for a in base.agents} | {g.pilot for g in base.hunt_groups}
    people = _people(shifts, counts, pilot, taken)
    agents.extend({"number": number, "name": name, **template,
                   "schedule": list(shift.windows())} for number, name, shift in people)
    data["agents"] = agents
    groups = [dict(g) for g in data["hunt_groups"]]
    groups[index]["members"] = [number for number, _, _ in people]
    groups[index].pop("weights", None)
    groups[index].pop("penalties", None)  # one tier: every rostered person alike
    groups[index].pop("penalty_wait", None)
    for k in unshared_priorities(base, pilot):
        groups[k].pop("priority", None)  # changes nothing once no member is shared
    data["hunt_groups"] = groups
    return data


def rostered_objects(base: Scenario, pilot: str, shifts: Sequence[Shift],
                     counts: Iterable[int]) -> Scenario:
    """The rostered office made from the validated scenario (same rule as
    :func:`rostered_mapping`), for a scenario that cannot be written back."""
    added = added_members(base, pilot)
    members = set(base.group(pilot).members) - set(shared_members(base, pilot))
    taken = {a.number for a in base.agents} | {g.pilot for g in base.hunt_groups}
    people = _people(shifts, counts, pilot, taken)
    agents = [a for a in base.agents if a.number not in members]
    agents.extend(Agent.model_validate({**added.template, "number": number, "name": name,
                                        "schedule": list(shift.windows())})
                  for number, name, shift in people)
    groups = tuple(g.model_copy(update={"members": tuple(n for n, _, _ in people),
                                        "weights": None, "penalties": None,
                                        "penalty_wait": None}) if g.pilot == pilot else g
                   for g in base.hunt_groups)
    dropped = unshared_priorities(base, pilot)
    groups = tuple(_without_priority(g) if k in dropped else g for k, g in enumerate(groups))
    return base.replace(agents=tuple(agents), hunt_groups=groups)


def rostered_scenario(data: Mapping[str, Any], folder: Path | None) -> Scenario:
    """Validate a rostered office's file as ``huntsim run`` would."""
    return validate_scenario(data, base_dir=folder, advise=False)


class _Dumper(yaml.SafeDumper):
    """Writes numbers as they were written in the file, and no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _written_scalar(dumper: yaml.SafeDumper, value: WrittenInt | WrittenFloat) -> yaml.Node:
    tag = "tag:yaml.org,2002:int" if isinstance(value, WrittenInt) else \
        "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, value.written)


_Dumper.add_representer(WrittenInt, _written_scalar)
_Dumper.add_representer(WrittenFloat, _written_scalar)


def scenario_yaml(data: Mapping[str, Any], head: str = "") -> str:
    """A scenario mapping as YAML text, ``head`` (comment lines) first."""
    body = yaml.dump(dict(data), Dumper=_Dumper, sort_keys=False, width=100,
                     default_flow_style=None, allow_unicode=True)
    return head + body


def read_roster(path: str | Path) -> tuple[tuple[Shift, ...], tuple[int, ...]]:
    """The shifts and people per shift of a ``roster.csv`` written by ``huntsim roster``
    (columns ``shift, days, start, end, count`` and, when a shift has one, ``break``
    written ``12:00-12:30``).

    Raises
    ------
    ScenarioError
        Naming the file, the row and the column, for a file that is not such a roster.
    """
    name = Path(path).name
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as error:
        raise ScenarioError([f"{name}: cannot be read as a roster: {error}"]) from None
    missing = [c for c in ("shift", "days", "start", "end", "count") if c not in table.columns]
    if missing:
        raise ScenarioError([f"{name}: no column {', '.join(repr(c) for c in missing)}; a "
                             "roster has shift, days, start, end, count (and break)"])
    rules: list[dict[str, Any]] = []
    counts: list[int] = []
    problems: list[str] = []
    for i, row in enumerate(table.to_dict("records")):
        where = f"{name}: row {i + 1}"
        try:
            start, end = _clock(row, "start"), _clock(row, "end")
            shift: dict[str, Any] = {"name": row["shift"], "days": row["days"],
                                     "start": row["start"], "length": (end - start) % DAY}
            pause = str(row.get("break", "")).strip()
            if pause:
                begin, _, finish = pause.partition("-")
                after = (parse_clock(begin) - start) % DAY
                length = (parse_clock(finish, allow_24=True) - parse_clock(begin)) % DAY
                if not (after > 0 and length > 0 and after + length < shift["length"]):
                    raise ValueError(f"break: {pause!r} does not lie inside the shift "
                                     f"{row['start']}-{row['end']}; write its start, then "
                                     "its end, e.g. 12:00-12:30")
                shift["break"] = {"after": after, "length": length}
            if not str(row["count"]).strip().isdigit():
                raise ValueError(f"count: {row['count']!r} is not a whole number of people")
            count = int(row["count"])
        except ValueError as error:
            problems.append(f"{where}: {error}")
            continue
        rules.append(shift)
        counts.append(count)
    if problems:
        raise ScenarioError(problems)
    try:
        shifts = load_shifts(rules)
    except ScenarioError as error:
        raise ScenarioError([f"{name}: " + re.sub(r"^shifts\[(\d+)\]\.",
                                                  lambda m: f"row {int(m.group(1)) + 1}: ", m)
                             for m in error.messages]) from None
    return shifts, tuple(counts)


def _clock(row: Mapping[Any, Any], column: str) -> float:
    """A clock time of a roster row, seconds from midnight; errors name the column."""
    try:
        return parse_clock(str(row[column]), allow_24=column == "end")
    except ValueError as error:
        raise ValueError(f"{column}: {error}") from None


def apply_roster(source: str | Path | Mapping[str, Any] | Scenario, pilot: str,
                 shifts: Sequence[Shift], counts: Sequence[int]) -> Scenario:
    """The office with the group ``pilot`` rostered (see :func:`rostered_mapping`)."""
    base = load_scenario(source)
    written, folder = scenario_source(source)
    mapping = rostered_mapping(base, written, pilot, shifts, counts)
    if mapping is None:
        return rostered_objects(base, pilot, shifts, counts)
    return rostered_scenario(mapping, folder)
