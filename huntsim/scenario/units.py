"""Human units at the edges: ``"90s"``, ``"4min"``, ``"8h"``, ``"2d"``, ``"1w"`` and ``"30/h"``.

Inside huntsim every time is in seconds and every rate is per second. These
functions turn what an administrator writes in a scenario file into those
numbers, and back again for reports.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise
from typing import Annotated

from pydantic import BeforeValidator, Field

from huntsim.errors import short_repr

__all__ = [
    "PhoneNumber",
    "Rate",
    "Seconds",
    "Text",
    "WrittenFloat",
    "WrittenInt",
    "as_written",
    "format_duration",
    "parse_duration",
    "parse_phone_number",
    "parse_rate",
]

_SECONDS_PER_UNIT: dict[str, float] = {
    "ms": 0.001,
    "s": 1.0,
    "sec": 1.0,
    "min": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "d": 86400.0,
    "w": 604800.0,
}
_UNITS_TEXT = ", ".join(_SECONDS_PER_UNIT)
_NUMBER_WITH_UNIT = re.compile(r"^\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-z]+)\s*$")
_PART = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*([a-z]+)")
"""One part of a duration in several units, ``4h30min``: a number and its unit."""
_RATE = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*/\s*([a-z]+)\s*$")


def parse_duration(value: object) -> float:
    """Return a duration in seconds.

    Parameters
    ----------
    value : str or float
        A plain number of seconds, or a number with a unit
        (``ms``, ``s``, ``sec``, ``min``, ``h``, ``hr``, ``d`` for days, ``w`` for weeks).

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
    >>> parse_duration("2d"), parse_duration("1w")
    (172800.0, 604800.0)
    >>> parse_duration("4h30min"), parse_duration("1min 30s")
    (16200.0, 90.0)
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
            parts = _parts(text) if match is None else None
            if parts is not None:
                seconds = sum(float(n) * _SECONDS_PER_UNIT[u] for n, u in parts)
            elif match is None or match.group(2) not in _SECONDS_PER_UNIT:
                raise ValueError(
                    f"{value!r} is not a duration; write e.g. 90s, 4min, 8h or 4h30min "
                    f"(units: {_UNITS_TEXT})"
                ) from None
            else:
                seconds = float(match.group(1)) * _SECONDS_PER_UNIT[match.group(2)]
    else:
        raise ValueError(f"{_shown(value)} is not a duration; write e.g. 90s, 4min or 8h")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{value!r} is not a duration: it must be finite and not negative")
    return seconds


def _parts(text: str) -> list[tuple[str, str]] | None:
    """``4h30min`` as ``[('4', 'h'), ('30', 'min')]``: two or more numbers with known
    units, larger units first, each once; ``None`` for any other text."""
    parts, at = [], 0
    while at < len(text):
        part = _PART.match(text, at)
        if part is None or part.group(2) not in _SECONDS_PER_UNIT:
            return None
        parts.append((part.group(1), part.group(2)))
        at = part.end()
    sizes = [_SECONDS_PER_UNIT[u] for _, u in parts]
    if len(parts) < 2 or any(a <= b for a, b in pairwise(sizes)):
        return None
    return parts


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
        raise ValueError(f"{_shown(value)} is not a rate; give a unit, e.g. '30/h' or '2/min'")
    match = _RATE.match(value.strip().lower())
    if match is None or match.group(2) not in _SECONDS_PER_UNIT:
        raise ValueError(f"{value!r} is not a rate; write e.g. '30/h' or '2/min'")
    rate = float(match.group(1)) / _SECONDS_PER_UNIT[match.group(2)]
    if not math.isfinite(rate):
        raise ValueError(f"{value!r} is not a finite rate")
    return rate


class WrittenInt(int):
    """A whole number read from a scenario file that remembers how it was written.

    YAML 1.1 reads ``0101`` as the octal number 65 and ``+15550101`` as
    15550101. Where a field holds text (a phone number, a name), the text as
    written is what counts; everywhere else this is an ordinary ``int``.

    Parameters
    ----------
    value : int
        The number YAML reads.
    written : str
        The characters in the file, e.g. ``"0101"``.

    Examples
    --------
    >>> number = WrittenInt(65, "0101")
    >>> number + 1, number.written
    (66, '0101')
    """

    written: str

    def __new__(cls, value: int, written: str) -> WrittenInt:
        """Make the number ``value`` that was written ``written``."""
        number = super().__new__(cls, value)
        number.written = written
        return number

    def __reduce__(self) -> tuple[type[WrittenInt], tuple[int, str]]:
        """Pickle with the written text."""
        return type(self), (int(self), self.written)


class WrittenFloat(float):
    """A number with a fraction read from a scenario file that remembers how it was written.

    ``555.0101`` or ``1_0.5`` in a phone-number field is kept as that text;
    everywhere else this is an ordinary ``float``.

    Parameters
    ----------
    value : float
        The number YAML reads.
    written : str
        The characters in the file.
    """

    written: str

    def __new__(cls, value: float, written: str) -> WrittenFloat:
        """Make the number ``value`` that was written ``written``."""
        number = super().__new__(cls, value)
        number.written = written
        return number

    def __reduce__(self) -> tuple[type[WrittenFloat], tuple[float, str]]:
        """Pickle with the written text."""
        return type(self), (float(self), self.written)


def _shown(value: object, limit: int = 80) -> str:
    return short_repr(value, limit)


def as_written(value: object) -> object:
    """Return the text of a number as the scenario file wrote it; other values unchanged.

    Examples
    --------
    >>> as_written(WrittenInt(65, "0101")), as_written(65), as_written("x")
    ('0101', 65, 'x')
    """
    if isinstance(value, WrittenInt | WrittenFloat):
        return value.written
    return value


def parse_phone_number(value: object) -> str:
    """Return a phone number exactly as written.

    Parameters
    ----------
    value : str or int
        Text; a number read from a YAML file (kept as the file wrote it); or,
        from Python, a plain ``int`` (taken as its decimal digits).

    Returns
    -------
    str
        The number, character for character.

    Raises
    ------
    ValueError
        For a float, a bool or anything else that is not text: its digits
        may already have been changed (``555.0100`` reads as ``555.01``), so
        the message asks for the number in quotes.

    Examples
    --------
    >>> parse_phone_number(WrittenInt(65, "0101"))
    '0101'
    >>> parse_phone_number(5550101)
    '5550101'
    >>> parse_phone_number(555.0101)
    Traceback (most recent call last):
    ...
    ValueError: 555.0101 is not a phone number; write it in quotes, "555.0101"
    """
    if isinstance(value, WrittenInt | WrittenFloat):
        return value.written
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        raise ValueError(f'{value!r} is not a phone number; write it in quotes, "{value!r}"')
    raise ValueError(f"{_shown(value)} is not a phone number; write the number in quotes")


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


def _probability(value: object) -> object:
    """A probability written as a percentage is refused with the number to write instead.

    A number above 1 is refused too; from 2 to 100 it is taken for a
    percentage written without its ``%`` sign (``answer_probability: 90``).

    Examples
    --------
    >>> _probability("90%")
    Traceback (most recent call last):
    ...
    ValueError: '90%' is not a probability; write 0.9 for 90% (a number from 0 to 1)
    >>> _probability(90)
    Traceback (most recent call last):
    ...
    ValueError: 90 is not a probability; write 0.9 for 90% (a number from 0 to 1)
    """
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            percent = float(value.strip()[:-1])
        except ValueError:
            return value
        raise ValueError(f"{value!r} is not a probability; write {percent / 100:g} for "
                         f"{value.strip()} (a number from 0 to 1)")
    number = _number(value)
    if number is not None and number > 1:
        shown = as_written(value) if isinstance(value, WrittenInt | WrittenFloat) else repr(value)
        if 2 <= number <= 100:
            raise ValueError(f"{shown} is not a probability; write {number / 100:g} for "
                             f"{number:g}% (a number from 0 to 1)")
        raise ValueError(f"{shown} is not a probability; give a number from 0 to 1")
    return value


def _number(value: object) -> float | None:
    """The number ``value`` is or spells (``90``, ``"90"``), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


Seconds = Annotated[float, BeforeValidator(parse_duration)]
"""A scenario field holding a duration: plain seconds or text with a unit."""

Rate = Annotated[float, BeforeValidator(parse_rate)]
"""A scenario field holding a rate: text such as ``"30/h"``."""

Probability = Annotated[float, Field(ge=0, le=1), BeforeValidator(_probability)]
"""A scenario field holding a chance from 0 to 1 (``90%`` is refused: write ``0.9``)."""

PhoneNumber = Annotated[str, BeforeValidator(parse_phone_number)]
"""A scenario field naming a phone number: kept exactly as written, never read as a number."""

Text = Annotated[str, BeforeValidator(as_written)]
"""A scenario field holding free text (a name): a number in it is kept as written."""
