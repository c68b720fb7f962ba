"""The scenario reference and the JSON Schema of scenario files, made from the models.

The meaning of every key is written once, in the ``Attributes`` section of its
model's numpy docstring (:class:`~huntsim.scenario.model.Scenario`,
:class:`~huntsim.scenario.model.Agent`, :class:`~huntsim.scenario.routing.Redial`, the
distributions, the arrival forms...). From those and the pydantic fields this
module makes

* :func:`json_schema`: what a scenario file accepts, units written as text
  included, with descriptions and defaults, for editors (YAML language
  server) and ``huntsim schema``;
* :func:`markdown`: ``docs/scenario-reference.md``, every key with its type,
  unit, default, meaning and an example, how ``plan`` adds members, and the
  metric table of :mod:`huntsim.analysis.catalog`.

Regenerate the reference with::

    .venv/bin/python -m huntsim.views.reference > docs/scenario-reference.md

Examples
--------
>>> field_docs(Away)["skipped"].startswith("``True`` (presence-based routing)")
True
>>> schema = json_schema()
>>> schema["$defs"]["Agent"]["properties"]["wrap_up"]["default"]
'0s'
"""

from __future__ import annotations

import json
import re
import sys
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any

import annotated_types
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import PydanticUndefined, core_schema

from huntsim.scenario import calendar, distributions, units
from huntsim.scenario.arrivals import Poisson, Profile, RateStep, Trace, Weekly
from huntsim.scenario.calendar import Calendar
from huntsim.scenario.model import AfterMissed, Agent, AgentDefaults, Away, HuntGroup, Scenario
from huntsim.scenario.routing import Callback, Forward, Redial
from huntsim.scenario.shifts import Shift, ShiftBreak
from huntsim.views.reference_text import EXAMPLES, FORMS, OVERVIEW, PLAN, REGENERATE, TYPE_NOTES

__all__ = ["MODELS", "field_docs", "json_schema", "main", "markdown", "print_schema"]

MODELS: tuple[tuple[str, type[BaseModel]], ...] = (
    ("Top level", Scenario),
    ("agents[]", Agent),
    ("hunt_groups[]", HuntGroup),
    ("redial", Redial),
    ("hunt_groups[].forward", Forward),
    ("hunt_groups[].callback", Callback),
    ("agents[].away", Away),
    ("agents[].after_missed", AfterMissed),
    ("dist: constant", distributions.Constant),
    ("dist: exponential", distributions.Exponential),
    ("dist: uniform", distributions.Uniform),
    ("dist: lognormal", distributions.Lognormal),
    ("dist: gamma", distributions.Gamma),
    ("dist: empirical", distributions.Empirical),
    ("arrivals: rate", Poisson),
    ("arrivals: profile", Profile),
    ("profile[] steps", RateStep),
    ("arrivals: trace", Trace),
    ("arrivals: weekly", Weekly),
    ("shifts[]", Shift),
    ("shifts[].break", ShiftBreak),
)
"""Each part of a scenario file the reference documents, with its heading."""

_ENTRY = re.compile(r"^(?P<names>[A-Za-z_][\w, ]*?)\s*:\s*\S.*$")


def _summary(model: type[Any]) -> str:
    """The first paragraph of a model's docstring, on one line."""
    doc = (model.__doc__ or "").strip()
    return " ".join(doc.split("\n\n", 1)[0].split())


def field_docs(model: type[Any]) -> dict[str, str]:
    """The meaning of each attribute, from the ``Attributes`` section of the docstring.

    Parameters
    ----------
    model : class
        A class with a numpy-style docstring; ``name : type`` lines (or
        ``a, b : type`` for two names with one meaning) start the entries.

    Returns
    -------
    dict of str to str
        Each attribute's description, its lines joined.

    Examples
    --------
    >>> field_docs(AfterMissed)["away"]
    'Seconds the member then stays not-ready (written ``10min``).'
    """
    lines = (model.__doc__ or "").expandtabs().splitlines()
    docs: dict[str, str] = {}
    inside, names, base = False, list[str](), None
    for i, line in enumerate(lines):
        text = line.strip()
        if text == "Attributes" and i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"}:
            inside, base = True, len(line) - len(line.lstrip())
            continue
        if not inside or set(text) == {"-"}:
            continue
        indent = len(line) - len(line.lstrip())
        if text and indent == base:
            entry = _ENTRY.match(text)
            if entry is None:  # the next section
                break
            names = [n.strip() for n in entry.group("names").split(",")]
            for name in names:
                docs[name] = ""
        elif text:
            for name in names:
                docs[name] = f"{docs[name]} {text}".strip()
    return docs


def _meaning(model: type[BaseModel], name: str) -> str:
    if model is AgentDefaults:
        model = Agent
    return field_docs(model).get(name, "")


# -- the JSON Schema ------------------------------------------------------------------------


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)


_UNITS = "|".join(_any_case(u) for u in sorted(units._SECONDS_PER_UNIT, key=len, reverse=True))
_NUMBER = r"([0-9]*\.)?[0-9]+([eE][-+]?[0-9]+)?"
DURATION: JsonSchemaValue = {
    "type": "string",
    "pattern": rf"^\s*(\+?{_NUMBER}\s*({_UNITS})?|(([0-9]*\.)?[0-9]+\s*({_UNITS})\s*)+)\s*$",
    "description": "A duration: 90s, 4min, 8h, 4h30min, 2d, 1w (units ms, s, sec, min, h, hr, "
                   "d, w).",
}
RATE: JsonSchemaValue = {
    "type": "string", "pattern": rf"^\s*{_NUMBER}\s*/\s*({_UNITS})\s*$",
    "description": "A rate with its unit: 30/h, 2/min, 5/d.",
}
WINDOW: JsonSchemaValue = {
    "type": "string", "pattern": r"^\s*\S.*\s+[0-9]{1,2}:[0-9]{2}\s*-\s*[0-9]{1,2}:[0-9]{2}\s*$",
    "description": 'A window "DAYS HH:MM-HH:MM", e.g. "mon-fri 08:00-17:00".',
}
WEEK_TIME: JsonSchemaValue = {
    "type": "string", "pattern": r"^\s*[A-Za-z]+\s+[0-9]{1,2}:[0-9]{2}\s*$",
    "description": 'A weekday and clock time, e.g. "mon 08:00".',
}
PHONE_NUMBER: JsonSchemaValue = {"anyOf": [{"type": "string", "minLength": 1},
                                           {"type": "integer"}]}


def _written_forms() -> dict[Callable[..., Any], Callable[[JsonSchemaValue], JsonSchemaValue]]:
    """What a file may write where a validator turns text into a value."""
    return {
        units.parse_duration: lambda inner: {"anyOf": [inner, DURATION]},
        units.parse_rate: lambda inner: dict(RATE),
        units.parse_phone_number: lambda inner: dict(PHONE_NUMBER),
        units.as_written: lambda inner: {"type": ["string", "number"]},
        calendar.parse_week_time: lambda inner: dict(WEEK_TIME),
        distributions._constant_shorthand: lambda inner: {"anyOf": [inner, {
            "type": "number", "minimum": 0}, DURATION]},
        calendar._calendar_input: lambda inner: {"anyOf": [WINDOW, {
            "type": "array", "items": WINDOW}]},
        Trace._read_file: lambda inner: {"anyOf": [inner, {
            "type": "string", "description": "A CSV file of times, relative to the scenario"}]},
    }


def _function(schema: Any) -> Any:
    function = schema["function"]["function"]
    return getattr(function, "__func__", function)


class _FileSchema(GenerateJsonSchema):
    """pydantic's JSON Schema, with the text a scenario file may write for each value."""

    def function_before_schema(
            self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        """The written forms a before-validator accepts."""
        inner = super().function_before_schema(schema)
        function = _function(schema)
        for known, form in _written_forms().items():
            if function is getattr(known, "__func__", known):
                return form(inner)
        return inner

    def function_plain_schema(
            self, schema: core_schema.PlainValidatorFunctionSchema) -> JsonSchemaValue:
        """A window of a calendar (the only plain validator of a scenario)."""
        if _function(schema) is calendar._window_text:
            return dict(WINDOW)
        return super().function_plain_schema(schema)


def _default_text(info: FieldInfo) -> str | None:
    """The default as a file would write it (``None``: required or no default)."""
    value = info.default
    if info.is_required() or value is None or value is PydanticUndefined:
        return None
    kind = _kind(info)[0]
    if isinstance(value, distributions.Constant):
        return units.format_duration(value.value)
    if kind.startswith("duration") and isinstance(value, float):
        return units.format_duration(value)
    if kind.startswith("weekday"):
        return calendar.format_week_time(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _as_json(value: Any, text: str) -> Any:
    """A default as JSON: numbers and booleans as they are, times as written."""
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and text == f"{value:g}":
        return value
    return text


def _describe_property(model: type[BaseModel], key: str, prop: JsonSchemaValue) -> None:
    prop.pop("title", None)
    name = {info.alias or n: n for n, info in model.model_fields.items()}.get(key, key)
    info = model.model_fields.get(name)
    meaning = _meaning(model, name)
    if info is not None:
        unit = _kind(info)[1]
        if unit:
            meaning = f"{meaning} Unit: {_plain(unit)}."
        default = _default_text(info)
        if default is not None:
            prop["default"] = _as_json(info.default, default)
        elif "default" in prop and prop["default"] is None:
            del prop["default"]
    example = EXAMPLES.get((model.__name__, key))
    if example is not None:
        prop["examples"] = [yaml.safe_load(example[0])]
    if meaning:
        prop["description"] = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", _plain(meaning))


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file.

    Durations, rates, windows and phone numbers are accepted as written in a
    file (``4min``, ``30/h``, ``"mon-fri 08:00-17:00"``, ``555-0101``), with
    each key's description and default. Rules that span keys (members must
    be agents, a number in one group only...) are left to ``huntsim validate``.

    Examples
    --------
    >>> schema = json_schema()
    >>> schema["additionalProperties"], "agents" in schema["required"]
    (False, True)
    """
    schema = Scenario.model_json_schema(schema_generator=_FileSchema, mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    schema["title"] = "huntsim scenario"
    schema["description"] = (_summary(Scenario) + " Reference: docs/scenario-reference.md; "
                             "check a file with `huntsim validate FILE`.")
    documented = {model.__name__: model for _, model in MODELS} | {"AgentDefaults": AgentDefaults}
    for name, model in documented.items():
        definition = schema if model is Scenario else schema["$defs"].get(name)
        if definition is None:
            continue
        if model is not Scenario:
            definition["description"] = _summary(model)
        for key, prop in definition.get("properties", {}).items():
            _describe_property(model, key, prop)
    agent = schema["$defs"]["Agent"]
    agent["required"] = []
    agent["anyOf"] = [{"required": ["number"]}, {"required": ["numbers"]}]
    agent["not"] = {"required": ["number", "numbers"]}
    agent["dependentRequired"] = {"count": ["number"]}
    agent["properties"]["talk_time"]["description"] += (
        " Required, here or in agent_defaults.")
    agent["properties"]["numbers"] = {
        "description": _plain(EXAMPLES[("Agent", "numbers")][1]),
        "anyOf": [{"type": "string"}, {"type": "array", "items": PHONE_NUMBER}]}
    agent["properties"]["count"] = {
        "description": _plain(EXAMPLES[("Agent", "count")][1]),
        "type": "integer", "minimum": 1, "maximum": 10_000}
    members = schema["$defs"]["HuntGroup"]["properties"]["members"]["items"]
    members["anyOf"].append({  # a member with a penalty (see HuntGroup.penalties)
        "type": "object", "additionalProperties": False, "required": ["number"],
        "properties": {"number": {"anyOf": [{"type": "string", "minLength": 1},
                                            {"type": "integer"}]},
                       "penalty": {"type": "integer", "minimum": 0, "maximum": 1_000_000}}})
    return schema


# -- the reference --------------------------------------------------------------------------


def _plain(text: str) -> str:
    """RST markup as Markdown: ````x```` to ```x```, roles dropped."""
    text = re.sub(r":(?:class|func|mod|data|meth):`~?(?:[\w.]+\.)?(\w+)`", r"`\1`", text)
    text = text.replace("``None``", "not set").replace("``True``", "``true``")
    return text.replace("``False``", "``false``").replace("``", "`")


def _range(metadata: Sequence[Any]) -> str:
    """``1 to 100``, ``> 0``...: the bounds a field's constraints put on it."""
    low = high = ""
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            low = f"{item.ge:,}"
        elif isinstance(item, annotated_types.Gt):
            low = f"> {item.gt}"
        elif isinstance(item, annotated_types.Le):
            high = f"{item.le:,}"
        elif isinstance(item, annotated_types.Lt):
            high = f"< {item.lt}"
    if low and high and not low.startswith(">"):
        return f"{low} to {high}"
    if low:
        return low if low.startswith(">") else f"≥ {low}"
    return f"≤ {high}" if high else ""


_UNIT_TEXT = {
    "duration": "s (`30s`, `2min`)",
    "rate": "per time (`40/h`)",
    "distribution": "s (`30s`, or a [distribution](#distributions))",
}


def _kind(info: FieldInfo | Any) -> tuple[str, str]:
    """``(type, unit)`` as a person reads them, of a field or a type."""
    if isinstance(info, FieldInfo):
        annotation: Any = info.annotation
        if info.metadata:
            annotation = typing.Annotated[(annotation, *info.metadata)]
        return _kind(annotation)
    origin = typing.get_origin(info)
    args = typing.get_args(info)
    if origin is typing.Annotated:
        for meta in args[1:]:
            function = getattr(meta, "func", None)
            for known, kind in _VALIDATOR_KINDS.items():
                if function is known:
                    bounds = _range(args[1:])
                    return (f"{kind}, {bounds}" if bounds else kind), _UNIT_TEXT.get(kind, "")
        base, bounds = _kind(args[0]), _range(args[1:])
        return (f"{base[0]}, {bounds}" if bounds else base[0]), base[1]
    if origin is typing.Union or isinstance(info, types.UnionType):
        parts = [a for a in args if a is not type(None)]
        if all(_is_arrivals(a) for a in parts):
            return "[arrivals](#arrivals)", ""
        if all(_inner(a) in _DISTRIBUTIONS for a in parts):
            return "distribution", _UNIT_TEXT["distribution"]
        kinds = [_kind(a) for a in parts]
        return " or ".join(k[0] for k in kinds), next((k[1] for k in kinds if k[1]), "")
    if origin is tuple:
        inner = _kind(args[0])
        if inner[0].startswith("one of"):
            return f"list, each {inner[0]}", inner[1]
        return f"list of {inner[0]}", inner[1]
    if origin is dict:
        return "days: {clock time: rate}", _UNIT_TEXT["rate"]
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args), ""
    if isinstance(info, type) and issubclass(info, BaseModel):
        return f"[mapping](#{_anchor(info)})", ""
    return _SIMPLE.get(info, getattr(info, "__name__", str(info))), ""


_TYPE_TEXT: dict[tuple[str, str], tuple[str, str]] = {
    ("Trace", "trace"): ("list of numbers, or a CSV file name", "s"),
}
"""Types that a field validator, not the annotation, widens."""
_VALIDATOR_KINDS: dict[Any, str] = {
    units.parse_duration: "duration",
    units.parse_rate: "rate",
    units.parse_phone_number: "phone number",
    units.as_written: "text",
    calendar.parse_week_time: "weekday and clock time (`\"mon 08:00\"`)",
    distributions._constant_shorthand: "distribution",
}
_SIMPLE: dict[Any, str] = {bool: "`true` / `false`", int: "whole number", float: "number",
                           str: "text", Calendar: "[windows](#windows-and-the-week)"}
_DISTRIBUTIONS = (distributions.Constant, distributions.Exponential, distributions.Uniform,
                  distributions.Lognormal, distributions.Gamma, distributions.Empirical)


def _inner(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _is_arrivals(annotation: Any) -> bool:
    annotation = _inner(annotation)
    if typing.get_origin(annotation) is typing.Union:
        return all(_is_arrivals(a) for a in typing.get_args(annotation))
    return annotation in (Poisson, Profile, Trace, Weekly)


def _anchor(model: type[BaseModel]) -> str:
    heading = next((h for h, m in MODELS if m is model), "agent_defaults")
    return re.sub(r"[^a-z0-9 _-]", "", heading.lower()).replace(" ", "-")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rows(model: type[BaseModel]) -> list[str]:
    rows = ["| key | type | unit | default | meaning | example |", "|---|---|---|---|---|---|"]
    keys: list[tuple[str, FieldInfo | None]] = list(model.model_fields.items())
    keys += [(k, None) for k in getattr(model, "FILE_KEYS", ())]
    for name, info in keys:
        key = info.alias if info is not None and info.alias else name  # `break`, not break_
        example = EXAMPLES.get((model.__name__, key))
        if info is None:
            kind, unit, default = (example[2] if example and len(example) > 2 else ""), "", "—"
            meaning = example[1] if example else ""
        else:
            kind, unit = _TYPE_TEXT.get((model.__name__, name), _kind(info))
            default = _default_text(info) or (
                "required" if info.is_required() else "none")
            meaning = _meaning(model, name)
            default = f"`{default}`" if default not in ("required", "none") else default
        shown = f"`{key}: {example[0]}`" if example else ""
        rows.append(f"| `{key}` | {_cell(kind)} | {_cell(unit)} | {_cell(default)} | "
                    f"{_cell(_plain(meaning))} | {_cell(shown)} |")
    return rows


def _is_target(name: str) -> bool:
    """Whether ``plan --target`` takes the metric (as ``service_level_20s`` is, one of
    ``service_level_<T>s``)."""
    from huntsim.errors import ScenarioError
    from huntsim.experiments.targets import parse_target

    try:
        parse_target(f"{name}>=0")
    except (ValueError, ScenarioError):
        return False
    return True


def _metric_table() -> list[str]:
    from huntsim.analysis.catalog import METRICS

    rows = ["| name | label (unit) | definition | higher is better | `plan` target |",
            "|---|---|---|---|---|"]
    words = {True: "yes", False: "no", None: "—"}
    extra = [("service_level_<T>s", "Answered within T s (% of calls)",
              "Share of calls answered within T seconds of arrival (of all calls); "
              "`service_level_20s` is the usual one.", True),
             ("p<q>_wait_s", "q-th percentile wait to answer (s)",
              "q % of answered calls were picked up within this time (0 < q < 100).", False)]
    for m in METRICS.values():
        target = "yes" if _is_target(m.name) else ""
        rows.append(f"| `{m.name}` | {_cell(m.title)} | {_cell(m.definition)} | "
                    f"{words[m.higher_is_better]} | {target} |")
    for name, title, definition, higher in extra:
        rows.append(f"| `{name}` | {title} | {definition} | {words[higher]} | yes |")
    return rows


def markdown() -> str:
    """The scenario reference, ``docs/scenario-reference.md``, as Markdown text."""
    out = [OVERVIEW.format(regenerate=REGENERATE).strip(), "", FORMS.strip(), ""]
    for heading, model in MODELS:
        out += [f"## {heading}", "", _plain(_summary(model)), ""]
        note = TYPE_NOTES.get(model.__name__)
        if note:
            out += [note.strip(), ""]
        out += [*_rows(model), ""]
        if model is Scenario:
            defaults = ", ".join(f"`{k}`" for k in AgentDefaults.model_fields)
            out += ["## agent_defaults", "", _plain(_summary(AgentDefaults)), "",
                    f"Keys: {defaults} — each as under [agents[]](#agents), with the "
                    "same meaning, unit and default.", ""]
    out += [PLAN.strip(), "", "## Metrics", "",
            "Every figure huntsim prints or writes, from `huntsim.analysis.catalog`. Those "
            "marked as `plan` targets may be named in `plan --target`, e.g. "
            "`--target 'voicemail_rate<=0.05'`.", "",
            *_metric_table(), ""]
    return "\n".join(out)


def print_schema(markdown_text: bool = False) -> int:
    """Print the JSON Schema (or, with ``markdown_text``, the reference); return 0."""
    if markdown_text:
        sys.stdout.write(markdown())
    else:
        sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m huntsim.views.reference [--json]``: print the reference (or the schema)."""
    args = list(sys.argv[1:] if argv is None else argv)
    return print_schema(markdown_text="--json" not in args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
