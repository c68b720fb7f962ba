"""The model's clock: time resolution and the conversion of seconds to ticks.

Every time the engine handles is a whole number of microseconds (a *tick*),
kept as a Python int, so that sums such as ``arrival + ring + ring`` and
comparisons such as "pick-up delay <= time-out" are exact. Seconds appear
only at the edges (scenario files in, tables out), where a tick is turned
back into the float nearest to its decimal value.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["MAX_TICKS", "TICKS_PER_SECOND", "seconds", "ticks", "ticks_of"]

TICKS_PER_SECOND = 1_000_000
"""Ticks in a second: the model's time resolution is one microsecond."""

MAX_TICKS = 1 << 62
"""Longer times (far beyond any simulated run) are held at this many ticks."""


def ticks(time_s: float) -> int:
    """``time_s`` seconds as whole ticks (rounded to the microsecond).

    Examples
    --------
    >>> ticks(0.7) * 3 == ticks(2.1)
    True
    >>> ticks(13.8) - ticks(0.5)
    13300000
    """
    return min(round(time_s * TICKS_PER_SECOND), MAX_TICKS)


def ticks_of(times_s: NDArray[np.float64]) -> list[int]:
    """An array of times in seconds as a list of whole ticks."""
    scaled = np.minimum(np.rint(times_s * TICKS_PER_SECOND), MAX_TICKS)
    values: list[int] = scaled.astype(np.int64).tolist()
    return values


def seconds(time_ticks: int) -> float:
    """Ticks as seconds: the float nearest to the exact decimal value.

    Examples
    --------
    >>> seconds(13_800_000)
    13.8
    """
    return time_ticks / TICKS_PER_SECOND
