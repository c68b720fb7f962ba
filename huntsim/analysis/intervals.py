"""Confidence intervals over independent replications (Student t).

One replication is noise; every figure huntsim reports is the mean over
replications with a t-based interval. Differences between policies are paired
(replication i of each policy saw the same callers), which removes the noise
the policies share.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

__all__ = ["mean_interval", "paired_difference", "unpaired_difference"]


def _finite(values: ArrayLike) -> NDArray[np.float64]:
    x: NDArray[np.float64] = np.asarray(values, dtype=float)
    finite: NDArray[np.float64] = x[np.isfinite(x)]
    return finite


def mean_interval(
    values: ArrayLike, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Mean and its two-sided t confidence interval.

    Non-finite values (a replication with no answered call has no mean wait)
    are left out. With one value the interval is unknown (NaN).

    Returns
    -------
    (mean, low, high)

    Examples
    --------
    >>> mean, low, high = mean_interval([1.0, 2.0, 3.0])
    >>> mean, round(low, 3), round(high, 3)
    (2.0, -0.484, 4.484)
    """
    x = _finite(values)
    if len(x) == 0:
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    if len(x) < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.5 + confidence / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))
    return mean, mean - half, mean + half


def paired_difference(
    values: ArrayLike,
    baseline: ArrayLike,
    confidence: float = 0.95,
) -> tuple[float, float, float]:
    """Mean of ``values - baseline`` replication by replication, with its interval.

    A pair whose difference is not finite (no mean wait on one side, or an
    unbounded ``max_min_ratio`` on both) is left out, as :func:`mean_interval` does.
    """
    a, b = np.asarray(values, dtype=float), np.asarray(baseline, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired samples differ in length ({len(a)} vs {len(b)})")
    with np.errstate(invalid="ignore"):  # inf - inf: no difference, left out
        return mean_interval(a - b, confidence)


def unpaired_difference(
    values: ArrayLike,
    baseline: ArrayLike,
    confidence: float = 0.95,
) -> tuple[float, float, float]:
    """Difference of means as if the samples were independent (Welch interval).

    Shown beside the paired interval to make the gain of common random numbers visible.
    """
    a, b = _finite(values), _finite(baseline)
    if len(a) < 2 or len(b) < 2:
        return float(a.mean() - b.mean()) if len(a) and len(b) else math.nan, math.nan, math.nan
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    diff = float(a.mean() - b.mean())
    if va + vb == 0:
        return diff, diff, diff
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(stats.t.ppf(0.5 + confidence / 2, dof) * math.sqrt(va + vb))
    return diff, diff - half, diff + half
