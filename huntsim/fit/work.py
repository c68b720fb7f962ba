"""What a fit collects as it goes (:class:`Work`): fitted values, settings and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from huntsim.errors import ScenarioError
from huntsim.fit.logs.common import LogData
from huntsim.scenario.model import Scenario
from huntsim.scenario.units import parse_duration

__all__ = ["Settings", "Work", "check_zone", "flag_duration", "param", "text"]


class Settings:
    """Values the log cannot tell: the command line, else the base, else the log, else assumed."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def pick(self, name: str, *choices: tuple[Any, str], default: Any) -> Any:
        """The first choice given (value, source), else ``default`` (assumed)."""
        for value, source in choices:
            if value is not None:
                self.rows.append((name, text(value), source))
                return value
        self.rows.append((name, text(default), "assumed"))
        return default


def text(value: Any) -> str:
    """A setting's value as shown in the report."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def param(rows: list[dict[str, Any]], parameter: str, scope: str, value: float,
           low: float, high: float, unit: str, n: int, source: str = "fitted") -> None:
    """Add one fitted value with its interval and support to ``rows``."""
    rows.append({"parameter": parameter, "scope": scope, "value": value, "low": low,
                 "high": high, "unit": unit, "n": n, "source": source})


@dataclass
class Work:
    """What a fit collects as it goes: each fitted value with its support, the settings the
    log could not tell and where they came from, and the warnings."""

    log: LogData
    source: str
    base: Scenario | None
    confidence: float
    warnings: list[str]
    params: list[dict[str, Any]] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)


def check_zone(flag: str, zone: str) -> None:
    """Refuse a time zone that the system does not know, naming the flag."""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(zone)
    except (ValueError, KeyError, OSError):
        raise ScenarioError([f"{flag}: {zone!r} is not a time zone; write e.g. "
                             "Europe/Berlin or UTC"]) from None


def flag_duration(flag: str, value: str | float) -> float:
    """``value`` in seconds; refuses a non-duration or one not above 0, naming ``flag``."""
    try:
        seconds = parse_duration(value)
    except ValueError as error:
        raise ScenarioError([f"{flag}: {error}"]) from None
    if seconds <= 0:
        raise ScenarioError([f"{flag}: {value!r} must be longer than 0 s"])
    return seconds
