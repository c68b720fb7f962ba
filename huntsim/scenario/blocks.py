"""Blocks of identical agents and ranges of numbers, expanded before validation.

A large office need not list every agent. One entry of ``agents`` may stand
for many agents that share every setting::

    agents:
      - {numbers: "555-0101..555-0140", name: "Agent {n}", talk_time: 4min}
      - {number: "555-0201", count: 10, talk_time: 4min}     # 555-0201 ... 555-0210
      - {numbers: ["555-0301", "555-0305"], talk_time: 4min}

and a member list may name a range: ``members: ["555-0101..555-0140", "555-0201"]``.

A range ``FIRST..LAST`` counts on the last run of digits of ``FIRST``, keeping
everything around it and its zero padding as written (``0101..0140``,
``+15550101..+15550140``, ``ext 7..ext 12``); ``FIRST`` and ``LAST`` must have
the same layout. In a name, ``{n}`` is the agent's place in its block
(1, 2, ...) and ``{number}`` its number.

The messages name the entry as written in the file (``agents[2].numbers``),
and :class:`Origins` maps a position in the expanded lists back to it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from huntsim.errors import unique
from huntsim.scenario.units import WrittenFloat, WrittenInt, as_written

__all__ = [
    "MAX_AGENTS",
    "Origins",
    "expand_agents",
    "expand_members",
    "in_file_terms",
    "meant_but_not_given",
    "members_with_penalties",
    "number_range",
    "numbers_from",
    "some_members",
    "split_penalties",
    "usable_defaults",
]

MAX_AGENTS = 10_000
"""Agents at most in a scenario, blocks expanded."""
MAX_MEMBERS = 1_000
"""Members at most in a hunt group, ranges expanded."""
MAX_PENALTY = 1_000_000
"""The largest penalty a member may have."""
RANGE = ".."
_LAYOUT = re.compile(r"^(.*?)([0-9]+)([^0-9]*)$")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_RANGE_HELP = "write FIRST..LAST with the same layout, e.g. '555-0101..555-0140'"
_NO_MEMBERS = ("a hunt group needs at least one member, an agent whose phone its calls ring; "
               "list their numbers, e.g. members: ['101', '102']")
_MEMBERS_MISSING = re.compile(r"^(hunt_groups\[\d+\]\.members): required but missing$")


def some_members(value: object) -> object:
    """An empty (or blank) member list, refused in plain words with what to write.

    Examples
    --------
    >>> some_members([])
    Traceback (most recent call last):
    ...
    ValueError: no members: a hunt group needs at least one member, an agent whose phone \
its calls ring; list their numbers, e.g. members: ['101', '102']
    """
    if value is None or (isinstance(value, list | tuple) and not value):
        raise ValueError(f"no members: {_NO_MEMBERS}")
    return value


def _split(number: str) -> tuple[str, str, str] | None:
    """``(before, digits, after)`` around the last run of digits, or ``None``."""
    match = _LAYOUT.match(number)
    return None if match is None else (match.group(1), match.group(2), match.group(3))


def _counted(before: str, digits: str, after: str, first: int, count: int) -> list[str]:
    width = len(digits)
    return [f"{before}{first + k:0{width}d}{after}" for k in range(count)]


def number_range(text: str, most: int = MAX_AGENTS) -> list[str]:
    """The numbers ``FIRST..LAST``, both included, each written like ``FIRST``.

    Parameters
    ----------
    text : str
        ``"555-0101..555-0140"``.
    most : int
        Longest range accepted (checked before any number is made).

    Raises
    ------
    ValueError
        Naming the text, for text that is not a range or a range too long.

    Examples
    --------
    >>> number_range("555-0108..555-0111")
    ['555-0108', '555-0109', '555-0110', '555-0111']
    >>> number_range("+15550101..+15550102")
    ['+15550101', '+15550102']
    >>> number_range("0101..101")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: '0101..101': 0101 and 101 differ in layout; write FIRST..LAST ...
    """
    first, sep, last = text.partition(RANGE)
    first, last = first.strip(), last.strip()
    start, end = _split(first), _split(last)
    if not sep or start is None or end is None:
        raise ValueError(f"{text!r} is not a range of numbers; {_RANGE_HELP}")
    if (start[0], start[2], len(start[1])) != (end[0], end[2], len(end[1])):
        raise ValueError(f"{text!r}: {first} and {last} differ in layout; {_RANGE_HELP}")
    low, high = int(start[1]), int(end[1])
    if high < low:
        raise ValueError(f"{text!r} runs backwards; write the lower number first")
    if high - low + 1 > most:
        raise ValueError(f"{text!r} is {high - low + 1:,} numbers, more than {most:,}")
    return _counted(*start, low, high - low + 1)


def numbers_from(first: str, count: int) -> list[str]:
    """``count`` numbers counting on from ``first``, written like it.

    Raises
    ------
    ValueError
        When ``first`` has no digits, or the count would need more digits.

    Examples
    --------
    >>> numbers_from("555-0198", 3)
    ['555-0198', '555-0199', '555-0200']
    >>> numbers_from("555-9999", 2)
    Traceback (most recent call last):
    ...
    ValueError: counting 2 numbers on from '555-9999' needs more than its 4 digits
    """
    parts = _split(first)
    if parts is None:
        raise ValueError(f"{first!r} has no digits to count on from")
    low = int(parts[1])
    if len(str(low + count - 1)) > len(parts[1]):
        raise ValueError(f"counting {count} numbers on from {first!r} needs more than its "
                         f"{len(parts[1])} digits")
    return _counted(*parts, low, count)


@dataclass
class Origins:
    """Where each entry of the expanded lists was written in the file.

    Attributes
    ----------
    agents : list of int
        ``agents[k]`` after expansion comes from ``agents[agents[k]]`` in the file.
    members : dict of int to list of int
        The same for ``hunt_groups[g].members``, by group.
    """

    agents: list[int] = field(default_factory=list)
    members: dict[int, list[int]] = field(default_factory=dict)

    def relocate(self, message: str) -> str:
        """The message with expanded positions replaced by those written in the file.

        Examples
        --------
        >>> Origins(agents=[0, 1, 1, 1]).relocate("agents[3].talk_time: bad")
        'agents[1].talk_time: bad'
        """
        def agent(match: re.Match[str]) -> str:
            k = int(match.group(1))
            return f"agents[{self.agents[k] if k < len(self.agents) else k}]"

        def member_of(g: int, m: int) -> int:
            origin = self.members.get(g, [])
            return origin[m] if m < len(origin) else m

        message = re.sub(r"(?<![\w.])agents\[(\d+)\]", agent, message)
        group = re.match(r"^hunt_groups\[(\d+)\]\.members\[", message)
        if group is not None:  # "(also members[3])" names a member of the same group
            g = int(group[1])
            message = re.sub(r"\(also members\[(\d+)\]\)",
                             lambda also: f"(also members[{member_of(g, int(also[1]))}])",
                             message)
        def member(at: re.Match[str]) -> str:
            return f"hunt_groups[{at[1]}].members[{member_of(int(at[1]), int(at[2]))}]"

        return re.sub(r"hunt_groups\[(\d+)\]\.members\[(\d+)\]", member, message)


def _whole(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _block_numbers(entry: Mapping[str, Any], where: str, room: int) -> list[str]:
    """The numbers an agent entry with ``numbers`` or ``count`` stands for."""
    if "numbers" in entry and "number" in entry:
        raise ValueError(f"{where}: give number (one agent, or the first with count) or "
                         "numbers (a range or a list), not both")
    if "numbers" in entry and "count" in entry:
        raise ValueError(f"{where}.count: {as_written(entry['count'])!r} with numbers; the "
                         "range says how many (or give number and count)")
    if "count" in entry:
        count = _whole(entry["count"])
        if count is None or not 1 <= count <= room:
            raise ValueError(f"{where}.count: {as_written(entry['count'])!r} must be a whole "
                             f"number from 1 to {room:,}")
        first = as_written(entry.get("number"))
        if not isinstance(first, str | int) or isinstance(first, bool):
            raise ValueError(f"{where}.number: {first!r} is not a phone number to count on "
                             "from; give number: \"555-0101\" with count")
        try:
            return numbers_from(str(first), count)
        except ValueError as error:
            raise ValueError(f"{where}.count: {error}") from None
    listed = entry["numbers"]
    items = [listed] if isinstance(listed, str) else listed
    if not isinstance(items, list | tuple) or not items:
        raise ValueError(f"{where}.numbers: {as_written(listed)!r} is neither a range "
                         f"('555-0101..555-0140') nor a list of numbers")
    numbers: list[str] = []
    for i, item in enumerate(items):
        path = f"{where}.numbers" if isinstance(listed, str) else f"{where}.numbers[{i}]"
        text = as_written(item)
        if isinstance(text, str) and RANGE in text:
            try:
                numbers.extend(number_range(text, room - len(numbers)))
            except ValueError as error:
                raise ValueError(f"{path}: {error}") from None
        elif isinstance(text, str | int) and not isinstance(text, bool):
            numbers.append(str(text))
        else:
            raise ValueError(f"{path}: {text!r} is not a phone number; write it in quotes")
        if len(numbers) > room:
            raise ValueError(f"{path}: more than {room:,} agents in all")
    return numbers


def _names(entry: Mapping[str, Any], numbers: Sequence[str], where: str) -> list[Any]:
    name = as_written(entry.get("name"))
    if not isinstance(name, str):
        return [name] * len(numbers)
    unknown = [p for p in _PLACEHOLDER.findall(name) if p not in ("{n}", "{number}")]
    if unknown:
        raise ValueError(f"{where}.name: {name!r} has the unknown placeholder {unknown[0]}; "
                         "use {n} (1, 2, ... within the block) or {number}")
    return [name.replace("{n}", str(k)).replace("{number}", number)
            for k, number in enumerate(numbers, start=1)]


def expand_agents(entries: Sequence[Any]) -> tuple[list[Any], list[int], list[str]]:
    """Agent entries with every block written out as single agents.

    Parameters
    ----------
    entries : sequence
        The ``agents`` list of a scenario file. Entries that are not mappings,
        or that have neither ``numbers`` nor ``count``, are kept as they are.

    Returns
    -------
    agents : list
        One entry per agent.
    origins : list of int
        For each agent, the index of the entry it came from.
    problems : list of str
        One message per broken block, naming the field and the value; a
        broken block is left out of ``agents``.

    Examples
    --------
    >>> agents, origins, problems = expand_agents(
    ...     [{"number": "7"}, {"numbers": "555-0108..555-0110", "name": "Agent {n}"}])
    >>> [(a["number"], a.get("name")) for a in agents]
    [('7', None), ('555-0108', 'Agent 1'), ('555-0109', 'Agent 2'), ('555-0110', 'Agent 3')]
    >>> origins, problems
    ([0, 1, 1, 1], [])
    """
    agents: list[Any] = []
    origins: list[int] = []
    problems: list[str] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping) or not ({"numbers", "count"} & set(entry)):
            agents.append(entry)
            origins.append(i)
            continue
        where = f"agents[{i}]"
        try:
            numbers = _block_numbers(entry, where, max(1, MAX_AGENTS - len(agents)))
            names = _names(entry, numbers, where)
        except ValueError as error:
            problems.append(str(error))
            continue
        shared = {k: v for k, v in entry.items() if k not in ("numbers", "count", "number")}
        for number, name in zip(numbers, names, strict=True):
            agent = {**shared, "number": number}
            if "name" in entry:
                agent["name"] = name
            agents.append(agent)
            origins.append(i)
    return agents, origins, problems


_MEMBER_KEY_HINTS = {
    "level": "; FreeSWITCH's tier level is penalty here",
    "tier": "; a tier is a penalty here",
    "interface": "; give the agent's own number as number",
    "membername": "; give the agent's own number as number",
    "priority": "; priority is a key of the hunt group (hunt_groups[].priority)",
}


def _member_key_hint(key: str) -> str:
    """What an unknown key of a member entry likely meant (``penality``: penalty)."""
    if key in _MEMBER_KEY_HINTS:
        return _MEMBER_KEY_HINTS[key]
    close = difflib.get_close_matches(key, ["number", "penalty"], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def split_penalties(entries: Sequence[Any]) -> tuple[list[Any], list[int]]:
    """A member list's numbers and penalties, from entries that are a number or
    ``{number, penalty}`` (penalty 0 where not given).

    Examples
    --------
    >>> split_penalties(["201", {"number": "202", "penalty": 1}])
    (['201', '202'], [0, 1])
    >>> split_penalties([{"number": "202", "penalty": -1}])
    Traceback (most recent call last):
    ...
    ValueError: members[0].penalty: -1; a penalty is a whole number 0 or more, at most \
1,000,000 (0: rung first)
    """
    numbers: list[Any] = []
    penalties: list[int] = []
    for m, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            numbers.append(entry)
            penalties.append(0)
            continue
        unknown = sorted(str(k) for k in entry if k not in ("number", "penalty"))
        if unknown or "number" not in entry:
            raise ValueError(f"members[{m}]: {dict(entry)!r}; a member is a number, or "
                             "{number: '201', penalty: 1}"
                             + (f" (unknown key {', '.join(unknown)}"
                                + "".join(_member_key_hint(k) for k in unknown) + ")"
                                if unknown else ""))
        raw = entry.get("penalty", 0)
        raw = getattr(raw, "written", raw) if not isinstance(raw, int | float) else raw
        penalty = _whole(raw)
        if penalty is None or penalty < 0 or penalty > MAX_PENALTY:
            raise ValueError(f"members[{m}].penalty: {raw}; a penalty is a whole number "
                             f"0 or more, at most {MAX_PENALTY:,} (0: rung first)")
        numbers.append(entry["number"])
        penalties.append(penalty)
    return numbers, penalties


def members_with_penalties(data: Any) -> Any:
    """A hunt group whose members written ``{number, penalty}`` are split into
    ``members`` and ``penalties`` (``None`` where every penalty is 0)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("members"), list | tuple):
        return data
    entries = data["members"]
    if not any(isinstance(entry, Mapping) for entry in entries):
        return data
    if data.get("penalties") is not None:
        raise ValueError("penalties: give each member's penalty in members as "
                         "{number, penalty}, or penalties, not both")
    numbers, penalties = split_penalties(entries)
    return {**data, "members": numbers,
            "penalties": penalties if any(p != 0 for p in penalties) else None}


def expand_members(members: Sequence[Any], where: str) -> tuple[list[Any], list[int], list[str]]:
    """A member list with each range ``FIRST..LAST`` written out.

    Examples
    --------
    >>> expand_members(["A", "555-0101..555-0102"], "hunt_groups[0].members")
    (['A', '555-0101', '555-0102'], [0, 1, 1], [])
    """
    expanded: list[Any] = []
    origins: list[int] = []
    problems: list[str] = []
    for m, member in enumerate(members):
        text = member.written if isinstance(member, WrittenInt | WrittenFloat) else member
        if not (isinstance(text, str) and RANGE in text):
            expanded.append(member)
            origins.append(m)
            continue
        try:
            numbers = number_range(text, max(1, MAX_MEMBERS - len(expanded)))
        except ValueError as error:
            problems.append(f"{where}[{m}]: {error}")
            continue
        expanded.extend(numbers)
        origins.extend([m] * len(numbers))
    return expanded, origins, problems


# agent_defaults, and messages in the terms of the file


def usable_defaults(defaults: Mapping[str, Any], model: type[BaseModel],
                    context: Any) -> dict[str, Any]:
    """The defaults to copy into every agent: known keys with valid values.

    An unknown key or a bad value is reported once, at ``agent_defaults``,
    not again for every agent that would have taken it.
    """
    known = {k: v for k, v in defaults.items() if k in model.model_fields
             and v is not None}
    try:
        model.model_validate(known, context=context)
    except ValidationError as error:
        bad = {item["loc"][0] for item in error.errors() if item["loc"]}
        known = {k: v for k, v in known.items() if k not in bad}
    return known


def meant_but_not_given(defaults: Mapping[str, Any], model: type[BaseModel],
                        usable: Mapping[str, Any]) -> set[str]:
    """Keys the defaults meant to give but could not: bad values, and mistyped keys.

    ``talk_tme: 4min`` meant ``talk_time``: agents then missing a talk time
    are not reported one by one, the default's own message says what is wrong.
    """
    fields = list(model.model_fields)
    meant = set()
    for key in defaults:
        if key in fields:
            meant.add(key)
        elif isinstance(key, str):
            meant.update(difflib.get_close_matches(key, fields, n=1, cutoff=0.6))
    return meant - set(usable)


_MISSING_IN_AGENT = re.compile(r"^agents\[(\d+)\]\.(\w+): required but missing$")


def in_file_terms(messages: list[str], context: Mapping[str, Any]) -> list[str]:
    """Messages naming the entries as written (before blocks were expanded), each once.

    An agent missing a key whose default was invalid is not reported: the
    default's own message says what is wrong. A key missing from many agents
    is one message, at the first.
    """
    origins = context.get("origins")
    bad = context.get("bad_defaults") or set()
    kept = []
    for message in messages:
        missing = _MISSING_IN_AGENT.match(message)
        if missing is not None and missing.group(2) in bad:
            continue
        kept.append(origins.relocate(message) if isinstance(origins, Origins) else message)
    kept = [_MEMBERS_MISSING.sub(rf"\1: not given: {_NO_MEMBERS}", m) for m in kept]
    return _same_mistake_once(_missing_once(unique(kept)))


_ABOUT_A_NUMBER = re.compile(r"^(?P<path>[^:']+): '(?P<value>[^']*)' (?P<rest>.+)$")


def _same_mistake_once(messages: list[str]) -> list[str]:
    """One message for the same mistake about many numbers of one entry (a block, a range).

    Examples
    --------
    >>> _same_mistake_once(["m[1]: '7' is not an agent", "m[1]: '8' is not an agent",
    ...                     "m[1]: '9' is not an agent"])
    ["m[1]: '7' is not an agent (and 2 more numbers of this entry, to '9')"]
    """
    values: dict[tuple[str, str], list[str]] = {}
    for message in messages:
        about = _ABOUT_A_NUMBER.match(message)
        if about is not None:
            values.setdefault((about["path"], about["rest"]), []).append(about["value"])
    result = []
    for message in messages:
        about = _ABOUT_A_NUMBER.match(message)
        if about is None or len(found := values[(about["path"], about["rest"])]) == 1:
            result.append(message)
        elif about["value"] == found[0]:
            more = len(found) - 1
            numbers = "number" if more == 1 else "numbers"
            result.append(f"{message} (and {more} more {numbers} of this entry, "
                          f"to {found[-1]!r})")
    return result


def _missing_once(messages: list[str]) -> list[str]:
    """``agents[i].KEY: required but missing`` for many agents as one message."""
    where: dict[str, list[str]] = {}
    for message in messages:
        missing = _MISSING_IN_AGENT.match(message)
        if missing is not None:
            where.setdefault(missing.group(2), []).append(missing.group(1))
    result = []
    for message in messages:
        missing = _MISSING_IN_AGENT.match(message)
        if missing is None or len(where[missing.group(2)]) == 1:
            result.append(message)
        elif missing.group(1) == where[missing.group(2)][0]:
            others = len(where[missing.group(2)]) - 1
            agents = "agent" if others == 1 else "agents"
            result.append(f"{message} (and in {others} more {agents}; give it in "
                          f"agent_defaults or to each agent)")
    return result
