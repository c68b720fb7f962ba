"""The grid of a what-if sweep: parameter paths, their values, and traffic.

A path is written as in the scenario file (``hunt_groups[0].no_answer_rings``,
``agents[2].schedule``, ``weekly['mon-fri']``) and is set in the scenario as
written (so ``agent_defaults`` reach every agent without its own value), or
in a loaded :class:`~huntsim.scenario.model.Scenario`. ``traffic`` multiplies every
arrival rate. Every value is checked before anything is simulated, and each
mistake is named once, with its path and value.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from pydantic import BaseModel, TypeAdapter, ValidationError

from huntsim.errors import ScenarioError
from huntsim.scenario.arrivals import Poisson, Profile, Trace, Weekly, WeeklyProfile
from huntsim.scenario.loader import read_scenario_file
from huntsim.scenario.model import Scenario, load_scenario, validate_scenario

__all__ = ["TRAFFIC", "parse_path", "sweep_points", "with_traffic"]

TRAFFIC = "traffic"
"""The grid parameter that multiplies every arrival rate."""

_TOKEN = re.compile(r"""\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[(['"])(.*?)\3\]""")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_path(path: str) -> tuple[str | int, ...]:
    """The keys and indices of a parameter path, as written in a scenario file.

    Raises
    ------
    ValueError
        If ``path`` is not a path.

    Examples
    --------
    >>> parse_path("hunt_groups[0].no_answer_rings")
    ('hunt_groups', 0, 'no_answer_rings')
    >>> parse_path("agent_defaults.direct_calls.weekly['mon-fri']['08:00']")
    ('agent_defaults', 'direct_calls', 'weekly', 'mon-fri', '08:00')
    """
    first = _NAME.match(path)
    if first is None:
        raise ValueError(f"{path!r} is not a path; write e.g. hunt_groups[0].no_answer_rings")
    parts: list[str | int] = [first.group()]
    position = first.end()
    while position < len(path):
        match = _TOKEN.match(path, position)
        if match is None:
            raise ValueError(f"{path!r} is not a path (cannot read {path[position:]!r}); "
                             "write e.g. hunt_groups[0].no_answer_rings")
        name, index, _, key = match.groups()
        parts.append(name if name is not None else int(index) if index is not None else key)
        position = match.end()
    return tuple(parts)


def _label(value: Any) -> Any:
    """A grid value as it goes into the tables: a number or text as given, ``none`` for
    null (a key swept off, e.g. ``callback=null,...``: a missing value would match no
    point when the other parameters are held at it), else JSON text."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return value
    written = getattr(value, "written", None)
    if isinstance(value, int) and isinstance(written, str) and written != str(value):
        return written  # e.g. the phone number 0101 as written, not 65
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return json.dumps(_plain(value), separators=(", ", ": "))


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        written = getattr(value, "written", None)
        return written if isinstance(written, str) and written != str(value) else int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def _repeated(values: Sequence[Any]) -> list[Any]:
    """The values given more than once (``1`` and ``1.0`` are the same value)."""
    seen: set[str] = set()
    repeated = []
    for value in values:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        key = repr(float(value)) if number else json.dumps(_plain(value), sort_keys=True)
        if key in seen and _label(value) not in repeated:
            repeated.append(_label(value))
        seen.add(key)
    return repeated


def _setting(path: str, value: Any) -> str:
    return f"{path}={_label(value)}"


# -- setting a path in the scenario as written ------------------------------------------------

def _set_written(data: Any, parts: tuple[str | int, ...], value: Any, path: str) -> None:
    node = data
    for depth, part in enumerate(parts):
        where = _where(parts[:depth]) or "the scenario"
        last = depth == len(parts) - 1
        if isinstance(part, int):
            if not isinstance(node, list):
                raise ScenarioError([f"grid: {path}: {where} is not a list"])
            if part >= len(node):
                raise ScenarioError([f"grid: {path}: {where} has {len(node)} items; "
                                     f"no [{part}] (counting from 0)"])
        else:
            if not isinstance(node, dict):
                raise ScenarioError([f"grid: {path}: {where} is not a mapping of keys"])
            if part not in node and not last:
                written = ", ".join(map(str, node)) or "none"
                close = difflib.get_close_matches(str(part), list(map(str, node)), n=1)
                hint = (f"did you mean {close[0]!r}?" if close else
                        f"only keys written in the file can be reached; to change "
                        f"{_where(parts[:depth + 1])}, give its whole value, e.g. "
                        f"--set '{_where(parts[:depth + 1])}={{...}}'")
                raise ScenarioError([
                    f"grid: {path}: {where} has no key {part!r} in the file (its keys: "
                    f"{written}); {hint}"])
        if last:
            node[part] = copy.deepcopy(value)
        else:
            node = node[part]


def _where(parts: Sequence[str | int]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _NAME.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{part!r}]"
    return text


# -- setting a path in a loaded scenario ------------------------------------------------------

def _set_model(node: Any, parts: tuple[str | int, ...], value: Any, path: str,
               depth: int = 0) -> Any:
    part = parts[depth]
    where = _where(parts[:depth]) or "the scenario"
    last = depth == len(parts) - 1
    if isinstance(node, BaseModel):
        fields = type(node).model_fields
        if not isinstance(part, str) or part not in fields:
            raise ScenarioError([f"grid: {path}: {where} has no field {part!r} "
                                 f"(fields: {', '.join(fields)})"])
        if last:
            info = fields[part]
            kind: Any = (Annotated[(info.annotation, *info.metadata)] if info.metadata
                         else info.annotation)
            try:
                new = TypeAdapter(kind).validate_python(
                    value, context={"base_dir": str(Path.cwd())})
            except ValidationError as error:
                raise ScenarioError.from_validation(error, prefix=path) from None
        else:
            new = _set_model(getattr(node, part), parts, value, path, depth + 1)
        return node.model_copy(update={part: new})
    if isinstance(node, tuple) and isinstance(part, int):
        if part >= len(node):
            raise ScenarioError([f"grid: {path}: {where} has {len(node)} items; "
                                 f"no [{part}] (counting from 0)"])
        if last:
            raise ScenarioError([f"grid: {path}: set a field of {where}[{part}], not the item"])
        items = list(node)
        items[part] = _set_model(node[part], parts, value, path, depth + 1)
        return tuple(items)
    raise ScenarioError([f"grid: {path}: {where} has no {part!r}"])


# -- traffic ----------------------------------------------------------------------------------

def _scaled(value: Any, factor: float, where: str) -> Any:
    """``value`` with every arrival rate in it multiplied by ``factor``."""
    if isinstance(value, Poisson):
        return value.model_copy(update={"rate": value.rate * factor})
    if isinstance(value, Weekly):
        return value.model_copy(update={"weekly": {
            days: {clock: rate * factor for clock, rate in rates.items()}
            for days, rates in value.weekly.items()}})
    if isinstance(value, WeeklyProfile):
        return _scaled(value.source, factor, where).profile(value.start)
    if isinstance(value, Profile):
        return value.model_copy(update={"profile": tuple(
            step.model_copy(update={"rate": step.rate * factor}) for step in value.profile)})
    if isinstance(value, Trace):
        raise ScenarioError([f"grid: {TRAFFIC}={factor:g}: {where} holds recorded arrival "
                             "times (a trace), which a factor cannot scale"])
    if isinstance(value, BaseModel):
        changes = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _scaled(old, factor, f"{where}.{name}" if where else name)
            if new is not old:
                changes[name] = new
        return value.model_copy(update=changes) if changes else value
    if isinstance(value, tuple):
        items = tuple(_scaled(v, factor, f"{where}[{i}]") for i, v in enumerate(value))
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def with_traffic(scenario: Scenario, factor: float) -> Scenario:
    """A copy of ``scenario`` with every arrival rate multiplied by ``factor``.

    Pilot and direct calls, constant rates, profiles and weekly forms alike
    (and the defaults that agents added by ``plan`` get). A trace of recorded
    arrival times cannot be scaled and is refused unless ``factor`` is 1.

    Examples
    --------
    >>> office = load_scenario({"duration": "1h", "agents": [{"number": "1",
    ...     "talk_time": "1min", "direct_calls": {"rate": "6/h"}}]})
    >>> round(with_traffic(office, 1.5).agents[0].direct_calls.rate * 3600, 9)
    9.0
    """
    if factor == 1:
        return scenario
    scaled: Scenario = _scaled(scenario, factor, "")
    return scaled.replace() if scaled is not scenario else scenario


def _check_traffic(values: Sequence[Any]) -> list[str]:
    problems = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not 0 < value < math.inf:
            problems.append(f"grid: {TRAFFIC}={value!r}: must be a factor greater than 0 "
                            "(1.2: 20 % more calls)")
    return problems


# -- the grid ---------------------------------------------------------------------------------

def sweep_points(
    scenario: Scenario | str | Path | Mapping[str, Any],
    grid: Mapping[str, Sequence[Any]],
) -> tuple[Scenario, pd.DataFrame, list[Scenario]]:
    """The base scenario, the table of grid points and the scenario of each point.

    Paths are set in the scenario as written when ``scenario`` is a file or a
    mapping (so ``agent_defaults`` reach every agent that does not set its
    own), and in the loaded model when it is a :class:`Scenario`.

    Raises
    ------
    ScenarioError
        One message per invalid path or value, each naming it (``grid: path=value: ...``).

    Examples
    --------
    >>> office = {"duration": "1h", "agents": [{"number": "1", "talk_time": "1min"}],
    ...           "hunt_groups": [{"pilot": "9", "members": ["1"],
    ...                            "arrivals": {"rate": "10/h"}}]}
    >>> base, points, scenarios = sweep_points(
    ...     office, {"hunt_groups[0].no_answer_rings": [2, 3], "traffic": [1.0, 2.0]})
    >>> print(points.to_string(index=False))
     point  hunt_groups[0].no_answer_rings  traffic
         0                               2      1.0
         1                               2      2.0
         2                               3      1.0
         3                               3      2.0
    >>> round(scenarios[3].hunt_groups[0].arrivals.rate * 3600, 9)
    20.0
    """
    base = load_scenario(scenario)
    if not grid:
        raise ScenarioError(["grid: give at least one parameter and its values"])
    builder = _Builder.of(scenario, base)
    problems, skipped = _grid_problems(grid, builder)
    # each value on its own first: a wrong value is named once, not at every point
    for path, values in grid.items():
        if path in skipped or (path not in builder.parsed
                               and (path != TRAFFIC or _check_traffic(values))):
            continue  # already named above
        for value in values:
            try:
                builder.build([(path, value)])
            except ScenarioError as error:
                problems.extend(m if m.startswith("grid: ") else
                                f"grid: {_setting(path, value)}: {m}" for m in error.messages)
    if problems:
        raise ScenarioError(list(dict.fromkeys(problems)))
    names = list(grid)
    rows, scenarios = [], []
    for number, combination in enumerate(itertools.product(*grid.values())):
        setting = list(zip(names, combination, strict=True))
        try:
            scenarios.append(builder.build(setting))
        except ScenarioError as error:
            where = ", ".join(_setting(p, v) for p, v in setting)
            raise ScenarioError([f"grid: point {where}: {m}" for m in error.messages]) from None
        rows.append({"point": number, **{p: _label(v) for p, v in setting}})
    return base, pd.DataFrame(rows), scenarios


@dataclass
class _Builder:
    """Builds the scenario of a grid point: paths set in the scenario as written (a file or a
    mapping), else in the loaded model; then the traffic factor."""

    base: Scenario
    written: Any
    base_dir: Path | None
    parsed: dict[str, tuple[str | int, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, scenario: Scenario | str | Path | Mapping[str, Any], base: Scenario) -> _Builder:
        if isinstance(scenario, str | Path):
            file = Path(scenario)
            return cls(base, copy.deepcopy(dict(read_scenario_file(file))), file.parent)
        if isinstance(scenario, Mapping):
            return cls(base, copy.deepcopy(dict(scenario)), None)
        return cls(base, None, None)

    def build(self, setting: Sequence[tuple[str, Any]]) -> Scenario:
        factor = 1.0
        if self.written is not None:
            data = copy.deepcopy(self.written)
            for path, value in setting:
                if path == TRAFFIC:
                    factor = float(value)
                else:
                    _set_written(data, self.parsed[path], value, path)
            built = self._validated(data) if data != self.written else self.base
        else:
            built = self.base
            for path, value in setting:
                if path == TRAFFIC:
                    factor = float(value)
                else:
                    built = _set_model(built, self.parsed[path], value, path)
            if built is not self.base:
                try:
                    built = built.replace()
                except ScenarioError as error:
                    moot = _moot_penalty_waits(error.messages)
                    built = built.replace(hunt_groups=tuple(
                        g.model_copy(update={"penalty_wait": None}) if i in moot else g
                        for i, g in enumerate(built.hunt_groups)))
        return with_traffic(built, factor)

    def _validated(self, data: Any) -> Scenario:
        """The point as written, validated; a ``penalty_wait`` the point leaves no penalty
        above 0 for is dropped (see :func:`_moot_penalty_waits`)."""
        try:
            built = validate_scenario(data, self.base_dir)
        except ScenarioError as error:
            for g in _moot_penalty_waits(error.messages):
                data["hunt_groups"][g].pop("penalty_wait", None)
            built = validate_scenario(data, self.base_dir)
        assert isinstance(built, Scenario)
        return built


_MOOT_WAIT = re.compile(r"hunt_groups\[(\d+)\]\.penalty_wait: .* but no member has a penalty "
                        r"above 0")


def _moot_penalty_waits(messages: Sequence[str]) -> set[int]:
    """The groups whose ``penalty_wait`` a grid point makes moot (it sets every member's
    penalty to 0, so no penalty joins later): dropped at that point, as ``plan`` drops it
    when one penalty is left, rather than stopping the sweep.

    Raises
    ------
    ScenarioError
        The point's own messages, when any is another mistake.
    """
    moot = [_MOOT_WAIT.match(m) for m in messages]
    if not all(moot):
        raise ScenarioError(list(messages))
    return {int(m.group(1)) for m in moot if m is not None}


def _grid_problems(grid: Mapping[str, Sequence[Any]], builder: _Builder,
                   ) -> tuple[list[str], set[str]]:
    """What is wrong with the grid's paths and lists of values; the paths already named.

    Each valid path is read into ``builder.parsed``.
    """
    problems: list[str] = []
    skipped: set[str] = set()  # already named: not checked value by value
    parsed = builder.parsed
    for path, values in grid.items():
        if isinstance(values, str) or not isinstance(values, Sequence) or not len(values):
            problems.append(f"grid: {path}: give a list of values to try (got {values!r})")
            skipped.add(path)
            continue
        repeated = _repeated(values)
        if repeated:
            problems.append(f"grid: {path}: {', '.join(map(str, repeated))} given more than "
                            "once; give each value once")
            skipped.add(path)
            continue
        if path == TRAFFIC:
            problems.extend(_check_traffic(values))
            continue
        try:
            parsed[path] = parse_path(path)
        except ValueError as error:
            problems.append(f"grid: {error}")
            continue
        if parsed[path][-1] == "policy":
            problems.append(f"grid: {path}: policies are compared side by side with --policies "
                            "(policies=... in Python), not swept as a path")
            del parsed[path]
            continue
        if builder.written is None and parsed[path][0] == "agent_defaults":
            problems.append(f"grid: {path}: a loaded scenario has its agent_defaults already "
                            "copied into its agents; pass the scenario file or mapping instead")
            del parsed[path]
    return problems, skipped
