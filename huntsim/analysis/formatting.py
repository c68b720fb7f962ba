"""How a metric's value is written for people: its unit, its decimals, its interval.

The names, labels and units come from :mod:`huntsim.analysis.catalog`; this module
writes the numbers.

Intervals are clipped to the range a figure can take (:func:`bounds`): a share
(rate, service level, occupancy) lies in [0, 1] (0 to 100 %), an index such as
Jain's in [0, 1], a time, count or other ratio is never below 0. The t interval
over replications (mean ± half-width) can reach past these limits when a figure
is near one of them with few replications (voicemail 0.3 ± 1.0 %); no true mean
lies there, so the part beyond the limit is cut off, which keeps the interval's
coverage. A clipped interval is written as its two ends, ``0.3 (0.0 to 1.3) %``,
since it is no longer symmetric; an interval inside the limits stays
``mean ± half-width``. Differences between policies are not clipped.

Examples
--------
>>> format_value("voicemail_rate", 0.0423, 0.0031)
'4.2 ± 0.3 %'
>>> format_value("offered", 746.0)
'746'
>>> format_value("talk_s", 850.0)
'14:10 min:s'
>>> format_value("abandoned_rate", 0.003, 0.010)
'0.3 (0.0 to 1.3) %'
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from huntsim.analysis.catalog import CALLS_UNIT, is_share, metric

__all__ = ["bounds", "clip_interval", "format_column", "format_difference",
           "format_half_width", "format_interval", "format_value", "plus_minus_note"]


def bounds(name: str) -> tuple[float, float]:
    """The range a metric's mean can take: ``(0, 1)`` for a share or an index,
    ``(0, inf)`` for a time, count or other ratio; ``(-inf, inf)`` for an unknown name
    (a share by its name: ``_rate``, ``service_level_``).

    Examples
    --------
    >>> bounds("voicemail_rate"), bounds("mean_wait_s"), bounds("jain_index")
    ((0.0, 1.0), (0.0, inf), (0.0, 1.0))
    """
    try:
        kind: str = metric(name).kind
    except ValueError:
        kind = "rate" if is_share(name) else ""
    if kind in ("rate", "index"):
        return 0.0, 1.0
    if kind in ("seconds", "count", "ratio"):
        return 0.0, math.inf
    return -math.inf, math.inf


def clip_interval(name: str, low: float, high: float) -> tuple[float, float]:
    """An interval ``(low, high)`` cut to the metric's :func:`bounds` (NaN stays NaN).

    Examples
    --------
    >>> clip_interval("voicemail_rate", -0.007, 0.013)
    (0.0, 0.013)
    >>> clip_interval("service_level_20s", 0.95, 1.04)
    (0.95, 1.0)
    >>> clip_interval("mean_wait_s", -2.0, 5.0)
    (0.0, 5.0)
    """
    lowest, highest = bounds(name)
    if not math.isnan(low):
        low = min(max(low, lowest), highest)
    if not math.isnan(high):
        high = max(min(high, highest), lowest)
    return low, high


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
    text = format_value(name, 0.0, abs(half_width), clip=False)
    return text[text.index("±"):]


def format_value(name: str, value: float | int | bool | None,
                 half_width: float | None = None, clip: bool = True) -> str:
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
    clip : bool
        Cut the interval to the metric's :func:`bounds`; one that reaches past
        them is written as its two ends, ``0.3 (0.0 to 1.3) %``.

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
    >>> format_value("jain_index", 0.95, 5.4e-05)
    '0.9500 ± 0.0001'
    >>> format_value("voicemail_rate", 0.003, 0.010)
    '0.3 (0.0 to 1.3) %'
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
    if half is not None and clip:
        low, high = clip_interval(name, value - half, value + half)
        if (low, high) != (value - half, value + half):
            return _range_text(kind, unit, value, low, high, half)
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


def _range_text(kind: str, unit: str, value: float, low: float, high: float,
                half: float) -> str:
    """A figure with its interval written as its two ends: ``0.3 (0.0 to 1.3) %``."""
    if kind == "rate":
        digits = _decimals(100 * half, 1, 2)
        return f"{100 * value:.{digits}f} ({100 * low:.{digits}f} to {100 * high:.{digits}f}) %"
    if kind == "count":
        return f"{value:,.0f} ({low:,.0f} to {high:,.0f})"
    if kind == "seconds":
        if max(abs(value), abs(high)) >= 60:
            clock_unit = _clock(max(abs(value), abs(high)))[1]
            texts = [_clock(v)[0] for v in (value, low, high)]
            if clock_unit == "h:min:s":
                texts = [t if t.count(":") == 2 else f"0:{int(t.split(':')[0]):02d}:"
                         f"{t.split(':')[1]}" for t in texts]
            return f"{texts[0]} ({texts[1]} to {texts[2]}) {clock_unit}"
        digits = _decimals(half, 2 if abs(value) < 10 else 1, 3)
        return f"{value:.{digits}f} ({low:.{digits}f} to {high:.{digits}f}) s"
    if kind == "index":
        digits = _decimals(half, 3, 4)
        return f"{value:.{digits}f} ({low:.{digits}f} to {high:.{digits}f})"
    if kind == "ratio":
        digits = _decimals(half, 2, 4) if abs(value) < 100 else _decimals(half, 0, 2)
        suffix = f" {unit}" if unit else ""
        return f"{value:,.{digits}f} ({low:,.{digits}f} to {high:,.{digits}f}){suffix}"
    return f"{value:.3g} ({low:.3g} to {high:.3g})"


def format_interval(name: str, mean: float, low: float, high: float) -> str:
    """A figure with its interval given by its ends, clipped to the metric's :func:`bounds`.

    ``mean ± half-width`` when the interval is symmetric and inside the bounds,
    else the two ends; just the mean when an end is missing.

    Examples
    --------
    >>> format_interval("voicemail_rate", 0.042, 0.039, 0.045)
    '4.2 ± 0.3 %'
    >>> format_interval("voicemail_rate", 0.003, -0.007, 0.013)
    '0.3 (0.0 to 1.3) %'
    >>> format_interval("mean_wait_s", 12.0, float("nan"), float("nan"))
    '12.0 s'
    """
    if any(v is None or math.isnan(v) for v in (mean, low, high)):
        return format_value(name, mean)
    half = (high - low) / 2
    if math.isclose(mean - low, high - mean, rel_tol=1e-6, abs_tol=1e-12):
        return format_value(name, mean, half)
    try:
        kind: str = metric(name).kind
        unit = metric(name).unit
    except ValueError:
        kind, unit = "", ""
    clipped_low, clipped_high = clip_interval(name, low, high)
    return _range_text(kind, unit, float(mean), clipped_low, clipped_high, half)


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
    text = format_value(name, abs(difference), half, clip=False)
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
