"""How a metric's value is written for people: its unit, its decimals, its interval.

The names, labels and units come from :mod:`huntsim.analysis.catalog`; this module
writes the numbers.

Examples
--------
>>> format_value("voicemail_rate", 0.0423, 0.0031)
'4.2 ± 0.3 %'
>>> format_value("offered", 746.0)
'746'
>>> format_value("talk_s", 850.0)
'14:10 min:s'
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from huntsim.analysis.catalog import CALLS_UNIT, metric

__all__ = ["format_column", "format_difference", "format_half_width", "format_value",
           "plus_minus_note"]


def _decimals(half_width: float | None, base: int, most: int) -> int:
    """Decimals that show the half-width to one significant digit, within [base, most]."""
    if half_width is None or not math.isfinite(half_width) or half_width <= 0:
        return base
    return min(most, max(base, -math.floor(math.log10(half_width))))


def _clock(seconds: float) -> tuple[str, str]:
    """``(text, unit)`` of a time of 60 s or more: ``14:10`` ``min:s`` or ``h:min:s``."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}", "h:min:s"
    return f"{minutes}:{secs:02d}", "min:s"


def format_column(name: str, values: Sequence[float | int | bool | None],
                  ) -> tuple[str, list[str]]:
    """A table column: a header with the unit, and the values without it.

    Times share one form down the column (``s``, ``min:s`` or ``h:min:s``,
    by the largest), rates are in % and counts whole.

    Examples
    --------
    >>> format_column("talk_s", [169349.5, 45.0])
    ('Talk time (h:min:s)', ['47:02:30', '0:00:45'])
    >>> format_column("occupancy", [0.354, float("nan")])
    ('Occupancy (% of logged-in time)', ['35.4', '-'])
    >>> format_column("group_answered", [576, 12])
    ('Group calls answered', ['576', '12'])
    """
    try:
        known = metric(name)
    except ValueError:
        return name, [format_value(name, v) for v in values]
    numbers = [math.nan if v is None else float(v) for v in values]
    missing = [math.isnan(v) for v in numbers]
    if known.kind == "seconds":
        largest = max((abs(v) for v in numbers if math.isfinite(v)), default=0.0)
        style = "h:min:s" if largest >= 3600 else ("min:s" if largest >= 60 else "s")
        texts = []
        for seconds, gone in zip(numbers, missing, strict=True):
            if gone:
                texts.append("-")
                continue
            if style == "s":
                texts.append(f"{seconds:.{2 if largest < 10 else 1}f}")
                continue
            whole = round(seconds)
            hours, rest = divmod(whole, 3600)
            minutes, secs = divmod(rest, 60)
            texts.append(f"{hours}:{minutes:02d}:{secs:02d}" if style == "h:min:s"
                         else f"{minutes}:{secs:02d}")
        return f"{known.label} ({style})", texts
    texts = []
    for v in values:
        text = format_value(name, v)
        if known.kind == "rate" and text.endswith(" %"):
            text = text[:-2]
        elif known.kind == "ratio" and known.unit and text.endswith(" " + known.unit):
            text = text[:-len(known.unit) - 1]
        texts.append(text)
    share_of_calls = known.kind == "rate" and known.unit == CALLS_UNIT
    header = f"{known.label} (%)" if share_of_calls else known.title
    return header, texts


def format_half_width(name: str, half_width: float) -> str:
    """The ``± x`` part of a figure, with its unit (empty when not finite).

    Examples
    --------
    >>> format_half_width("voicemail_rate", 0.003)
    '± 0.3 %'
    >>> format_half_width("mean_wait_s", float("nan"))
    ''
    """
    if not math.isfinite(half_width):
        return ""
    text = format_value(name, 0.0, abs(half_width))
    return text[text.index("±"):]


def format_value(name: str, value: float | int | bool | None,
                 half_width: float | None = None) -> str:
    """A figure as a person reads it: rates in %, counts whole, times in s or min:s.

    Parameters
    ----------
    name : str
        The metric (see :func:`metric`); an unknown name is shown as a plain
        number with three significant digits.
    value : float
        The figure in the table's own units (fractions, seconds).
    half_width : float, optional
        Half-width of its confidence interval; ``± x`` is added only when it
        is finite.

    Returns
    -------
    str
        ``-`` for a missing value.

    Examples
    --------
    >>> format_value("answered_rate", 0.8597, 0.0021)
    '86.0 ± 0.2 %'
    >>> format_value("mean_wait_s", 9.66, 0.04)
    '9.66 ± 0.04 s'
    >>> format_value("talk_s", 50974.43)
    '14:09:34 h:min:s'
    >>> format_value("jain_index", 1.0, 5.4e-05)
    '1.0000 ± 0.0001'
    >>> format_value("offered", 3890.4, 12.3)
    '3,890 ± 12'
    >>> format_value("mean_wait_s", 12.0, float("nan"))
    '12.0 s'
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    try:
        kind: str = metric(name).kind
        unit = metric(name).unit
    except ValueError:
        kind, unit = "", ""
    value = float(value)
    half = half_width if half_width is not None and math.isfinite(half_width) else None
    if half is not None:
        half = abs(half)
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if kind == "rate":
        digits = _decimals(None if half is None else 100 * half, 1, 2)
        shown = f"{100 * value:.{digits}f}"
        return f"{shown} ± {100 * half:.{digits}f} %" if half is not None else f"{shown} %"
    if kind == "count":
        shown = f"{value:,.0f}"
        return f"{shown} ± {half:,.0f}" if half is not None else shown
    if kind == "seconds":
        if abs(value) >= 60:
            shown, clock_unit = _clock(value)
            if half is None:
                return f"{shown} {clock_unit}"
            if half >= 60:
                return f"{shown} ± {_clock(half)[0]} {clock_unit}"
            return f"{shown} {clock_unit} ± {half:.{_decimals(half, 0, 1)}f} s"
        digits = _decimals(half, 2 if abs(value) < 10 else 1, 3)
        shown = f"{value:.{digits}f}"
        return f"{shown} ± {half:.{digits}f} s" if half is not None else f"{shown} s"
    if kind == "index":
        digits = _decimals(half, 3, 4)
        shown = f"{value:.{digits}f}"
        return f"{shown} ± {half:.{digits}f}" if half is not None else shown
    if kind == "ratio":
        digits = _decimals(half, 2, 4) if abs(value) < 100 else _decimals(half, 0, 2)
        shown = f"{value:,.{digits}f}"
        suffix = f" {unit}" if unit else ""
        if half is not None:
            return f"{shown} ± {half:,.{digits}f}{suffix}"
        return f"{shown}{suffix}"
    shown = f"{value:.3g}"
    return f"{shown} ± {half:.2g}" if half is not None else shown


def format_difference(name: str, difference: float, half_width: float | None = None) -> str:
    """A difference between two figures, signed: rates in points, times in s.

    Examples
    --------
    >>> format_difference("voicemail_rate", 0.0153, 0.0021)
    '+1.5 ± 0.2 points'
    >>> format_difference("mean_wait_s", -3.612, 0.031)
    '-3.61 ± 0.03 s'
    >>> format_difference("jain_index", 0.1354, float("nan"))
    '+0.135'
    """
    if difference is None or math.isnan(difference):
        return "-"
    half = half_width if half_width is not None and math.isfinite(half_width) else None
    try:
        kind: str = metric(name).kind
    except ValueError:
        kind = ""
    sign = "+" if difference > 0 else ("-" if difference < 0 else "")
    if kind == "rate":
        digits = _decimals(None if half is None else 100 * abs(half), 1, 2)
        shown = f"{sign}{100 * abs(difference):.{digits}f}"
        plus = f" ± {100 * abs(half):.{digits}f}" if half is not None else ""
        return f"{shown}{plus} points"
    if kind == "seconds" and abs(difference) < 60:
        digits = _decimals(half, 2 if abs(difference) < 10 else 1, 3)
        plus = f" ± {abs(half):.{digits}f}" if half is not None else ""
        return f"{sign}{abs(difference):.{digits}f}{plus} s"
    text = format_value(name, abs(difference), half)
    return sign + text


def plus_minus_note(replications: int) -> str:
    """The line that says what ``±`` means.

    Examples
    --------
    >>> plus_minus_note(20)
    '± is the half-width of the 95 % confidence interval over 20 replications.'
    """
    runs = "replication" if replications == 1 else "replications"
    return (f"± is the half-width of the 95 % confidence interval over {replications} "
            f"{runs}.")
