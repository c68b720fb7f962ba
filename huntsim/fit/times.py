"""Distributions of times from a log: talk time (and pick-up delay), and caller patience.

**Talk time.** Exponential, lognormal and gamma are fitted by maximum
likelihood; the one with the smallest AIC is chosen unless a Kolmogorov-Smirnov
test rejects it at 1 %, in which case the empirical distribution is used. The
interval of the mean is the Student-t interval of the sample mean, which needs
no family.

**Patience.** Fitted to censored waits in whole seconds by
:func:`huntsim.fit.patience.fit_patience` (re-exported here, with
:class:`~huntsim.fit.patience.PatienceFit` and
:func:`~huntsim.fit.patience.kaplan_meier`).

**The empirical distribution** keeps the sample mean: each of its points is the
mean of one equal-probability slice of the sorted sample (see :func:`empirical_values`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from huntsim.fit.patience import PatienceFit, fit_patience, kaplan_meier, seconds_text

__all__ = ["PatienceFit", "TimeFit", "fit_patience", "fit_times", "kaplan_meier"]

FloatArray = NDArray[np.float64]
SMALLEST = 0.5
"""Times below half a second (logs keep whole seconds) are read as 0.5 s."""
EMPIRICAL_POINTS = 100
_s = seconds_text


def _t_interval(x: FloatArray, confidence: float) -> tuple[float, float]:
    if len(x) < 2:
        return float("nan"), float("nan")
    half = stats.t.ppf(0.5 + confidence / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    return float(x.mean() - half), float(x.mean() + half)


def empirical_values(x: ArrayLike, points: int = EMPIRICAL_POINTS) -> list[float]:
    """At most ``points`` values standing for the sample ``x``, rounded to 0.1 s.

    The sorted sample is cut into ``points`` slices of equal probability, and each
    value is the mean of its slice (the empirical quantile function averaged over the
    slice, a value split between slices counting in each by its share). So the
    values' mean is the sample mean (up to the rounding), long tails included; a
    quantile at each slice's middle would cut the top tail and fall short.

    Examples
    --------
    >>> empirical_values([1, 2, 3, 4], points=2)
    [1.5, 3.5]
    >>> empirical_values([1, 1, 1, 1, 1, 1, 1, 1, 1, 91], points=4)
    [1.0, 1.0, 1.0, 37.0]
    """
    values = np.sort(np.asarray(x, dtype=float))
    n = len(values)
    k = min(points, n)
    # area under the empirical quantile function from 0 to each slice's edge
    cumulative = np.r_[0.0, np.cumsum(values)]
    edges = np.arange(k + 1) * n / k  # in sample positions
    whole = np.minimum(np.floor(edges).astype(int), n)
    part = edges - whole
    area = cumulative[whole] + part * values[np.minimum(whole, n - 1)]
    means = np.diff(area) * k / n
    return [round(float(v), 1) for v in means]


@dataclass
class TimeFit:
    """A fitted distribution of times.

    Attributes
    ----------
    n : int
        Observations.
    mean, low, high : float
        Sample mean and its interval.
    sd : float
        Standard deviation of the chosen distribution.
    chosen : str
        ``exponential``, ``lognormal``, ``gamma`` or ``empirical``.
    spec : dict
        The chosen distribution as written in a scenario file.
    candidates : DataFrame
        ``family``, ``aic``, ``ks_stat``, ``ks_p``, ``mean``, ``sd`` of each family tried.
    values : ndarray
        The observations (for the report's figures).
    """

    n: int
    mean: float
    low: float
    high: float
    sd: float
    chosen: str
    spec: dict[str, Any]
    candidates: pd.DataFrame
    values: FloatArray = field(repr=False)

    @property
    def family_mean(self) -> float:
        """The mean of the chosen distribution (what a scenario with :attr:`spec`
        simulates): the family's fitted mean, else the sample mean (empirical, constant)."""
        rows = self.candidates[self.candidates["family"] == self.chosen] \
            if "family" in self.candidates else self.candidates.iloc[0:0]
        return float(rows["mean"].iloc[0]) if len(rows) else self.mean


def _families(x: FloatArray) -> dict[str, tuple[Any, int, float, float]]:
    """Each family's frozen scipy distribution, its parameter count, mean and sd."""
    out: dict[str, tuple[Any, int, float, float]] = {}
    m = float(x.mean())
    out["exponential"] = (stats.expon(scale=m), 1, m, m)
    logs = np.log(x)
    mu, sigma = float(logs.mean()), float(logs.std())
    if sigma > 0:
        mean = math.exp(mu + sigma**2 / 2)
        out["lognormal"] = (stats.lognorm(s=sigma, scale=math.exp(mu)), 2, mean,
                            mean * math.sqrt(math.expm1(sigma**2)))
    if x.std() > 0:
        shape, _, scale = stats.gamma.fit(x, floc=0)
        out["gamma"] = (stats.gamma(shape, scale=scale), 2, shape * scale,
                        math.sqrt(shape) * scale)
    return out


def fit_times(values: ArrayLike, confidence: float = 0.95, ks_level: float = 0.01) -> TimeFit:
    """Choose a distribution for observed times (talk time, pick-up delay).

    Parameters
    ----------
    values : array-like
        Times in seconds (missing values are dropped).
    confidence : float
        Of the interval of the mean.
    ks_level : float
        A family whose KS p-value is below this is rejected (then: empirical).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> fit = fit_times(rng.lognormal(5, 0.6, 2000))
    >>> fit.chosen, round(fit.mean / 10) * 10
    ('lognormal', 180)
    """
    raw = np.asarray(values, dtype=float)
    raw = raw[np.isfinite(raw)]
    if len(raw) == 0:
        raise ValueError("values: no times to fit")
    x = np.maximum(raw, SMALLEST)
    low, high = _t_interval(raw, confidence)
    rows = []
    for family, (dist, k, mean, sd) in _families(x).items():
        aic = 2 * k - 2 * float(np.sum(dist.logpdf(x)))
        ks = stats.kstest(x, dist.cdf)
        rows.append({"family": family, "aic": aic, "ks_stat": float(ks.statistic),
                     "ks_p": float(ks.pvalue), "mean": mean, "sd": sd})
    candidates = pd.DataFrame(rows).sort_values("aic", kind="stable").reset_index(drop=True)
    best = candidates.iloc[0] if len(candidates) else None
    mean = float(raw.mean())
    if best is None or len(raw) < 5 or float(raw.std()) == 0:
        spec: dict[str, Any] = {"dist": "constant", "value": _s(mean)} if float(raw.std()) == 0 \
            else {"dist": "empirical", "values": empirical_values(raw)}
        chosen = str(spec["dist"])
        sd = float(raw.std())
    elif best["ks_p"] < ks_level:
        chosen, sd = "empirical", float(raw.std())
        spec = {"dist": "empirical", "values": empirical_values(raw)}
    else:
        chosen, sd = str(best["family"]), float(best["sd"])
        if chosen == "exponential":
            spec = {"dist": "exponential", "mean": _s(best["mean"])}
        else:
            spec = {"dist": chosen, "mean": _s(best["mean"]), "sd": _s(sd)}
    return TimeFit(len(raw), mean, low, high, sd, chosen, spec, candidates, raw)
