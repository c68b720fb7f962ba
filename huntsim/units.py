"""Human units at the edges: ``"90s"``, ``"4min"``, ``"8h"`` and ``"30/h"``.

Inside huntsim every time is in seconds and every rate is per second. These
functions turn what an administrator writes in a scenario file into those
numbers, and back again for reports.
"""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import BeforeValidator

__all__ = ["Rate", "Seconds", "format_duration", "parse_duration", "parse_rate"]

_SECONDS_PER_UNIT: dict[str, float] = {
    "ms": 0.001,
    "s": 1.0,
    "sec": 1.0,
    "min": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "d": 86400.0,
}
_UNITS_TEXT = ", ".join(_SECONDS_PER_UNIT)
_NUMBER_WITH_UNIT = re.compile(r"^\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-z]+)\s*$")
_RATE = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*/\s*([a-z]+)\s*$")


def parse_duration(value: object) -> float:
    """Return a duration in seconds.

    Parameters
    ----------
    value : str or float
        A plain number of seconds, or a number with a unit
        (``ms``, ``s``, ``sec``, ``min``, ``h``, ``hr``, ``d``).

    Returns
    -------
    float
        Seconds; never negative, never infinite.

    Raises
    ------
    ValueError
        If the text is not a duration.

    Examples
    --------
    >>> parse_duration("4min")
    240.0
    >>> parse_duration(90)
    90.0
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration; write e.g. 90s, 4min or 8h")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        try:
            seconds = float(text)
        except ValueError:
            match = _NUMBER_WITH_UNIT.match(text)
            if match is None or match.group(2) not in _SECONDS_PER_UNIT:
                raise ValueError(
                    f"{value!r} is not a duration; write e.g. 90s, 4min or 8h "
                    f"(units: {_UNITS_TEXT})"
                ) from None
            seconds = float(match.group(1)) * _SECONDS_PER_UNIT[match.group(2)]
    else:
        raise ValueError(f"{value!r} is not a duration; write e.g. 90s, 4min or 8h")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{value!r} is not a duration: it must be finite and not negative")
    return seconds


def parse_rate(value: object) -> float:
    """Return a rate in events per second.

    Parameters
    ----------
    value : str
        A number per unit of time, e.g. ``"30/h"``, ``"2/min"`` or ``"0.1/s"``.
        A bare number is refused, because ``30`` could mean per second or per hour.

    Returns
    -------
    float
        Events per second, finite and not negative.

    Raises
    ------
    ValueError
        If the text is not a rate.

    Examples
    --------
    >>> parse_rate("30/h")
    0.008333333333333333
    """
    if not isinstance(value, str):
        raise ValueError(
            f"{value!r} is not a rate; give a unit, e.g. '30/h' or '2/min'"
        )
    match = _RATE.match(value.strip().lower())
    if match is None or match.group(2) not in _SECONDS_PER_UNIT:
        raise ValueError(f"{value!r} is not a rate; write e.g. '30/h' or '2/min'")
    rate = float(match.group(1)) / _SECONDS_PER_UNIT[match.group(2)]
    if not math.isfinite(rate):
        raise ValueError(f"{value!r} is not a finite rate")
    return rate


def format_duration(seconds: float) -> str:
    """Write seconds the way a person would read them.

    Examples
    --------
    >>> format_duration(5400)
    '1.5h'
    >>> format_duration(42)
    '42s'
    """
    if seconds >= 3600:
        return f"{seconds / 3600:g}h"
    if seconds >= 60:
        return f"{seconds / 60:g}min"
    return f"{seconds:g}s"


Seconds = Annotated[float, BeforeValidator(parse_duration)]
"""A scenario field holding a duration: plain seconds or text with a unit."""

Rate = Annotated[float, BeforeValidator(parse_rate)]
"""A scenario field holding a rate: text such as ``"30/h"``."""
