"""Distributions of times from a log: talk time (and pick-up delay), and caller patience.

**Talk time.** Exponential, lognormal and gamma are fitted by maximum
likelihood; the one with the smallest AIC is chosen unless a Kolmogorov-Smirnov
test rejects it at 1 %, in which case the empirical distribution is used (its
percentiles). The interval of the mean is the Student-t interval of the sample
mean, which needs no family.

**Patience.** An answered caller (or one the system sent to voicemail) had not
run out of patience: their wait is a *censored* observation, and only the
abandoned callers' waits are events. Exponential, lognormal and gamma are fitted
by censored maximum likelihood (events contribute the density, censored waits
the survival function) and chosen by AIC; the interval of the mean comes from
the observed information (delta method). The Kaplan-Meier curve is kept for the
report. Fitting the abandoned waits alone would underestimate patience badly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special, stats

__all__ = ["PatienceFit", "TimeFit", "fit_patience", "fit_times", "kaplan_meier"]

FloatArray = NDArray[np.float64]
SMALLEST = 0.5
"""Times below half a second (logs keep whole seconds) are read as 0.5 s."""
EMPIRICAL_POINTS = 100


def _t_interval(x: FloatArray, confidence: float) -> tuple[float, float]:
    if len(x) < 2:
        return float("nan"), float("nan")
    half = stats.t.ppf(0.5 + confidence / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    return float(x.mean() - half), float(x.mean() + half)


def empirical_values(x: ArrayLike, points: int = EMPIRICAL_POINTS) -> list[float]:
    """At most ``points`` evenly spaced percentiles of ``x``, rounded to 0.1 s.

    Examples
    --------
    >>> empirical_values([1, 2, 3, 4], points=2)
    [1.8, 3.2]
    """
    values = np.sort(np.asarray(x, dtype=float))
    k = min(points, len(values))
    quantiles = np.quantile(values, (np.arange(k) + 0.5) / k)
    return [round(float(q), 1) for q in quantiles]


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


def _s(seconds: float) -> str:
    """Seconds as scenario text: ``'241.3s'``."""
    return f"{float(seconds):.4g}s"


def kaplan_meier(times: ArrayLike, events: ArrayLike) -> pd.DataFrame:
    """Kaplan-Meier survival with Greenwood's variance.

    Parameters
    ----------
    times : array-like
        Times of events and of censoring.
    events : array-like of bool
        True for an event, False for a censored time. At equal times events
        come first.

    Returns
    -------
    DataFrame
        ``time``, ``at_risk``, ``events``, ``survival``, ``se`` at each event time.

    Examples
    --------
    >>> kaplan_meier([1, 2, 2, 3], [True, True, False, True])["survival"].round(3).tolist()
    [0.75, 0.5, 0.0]
    """
    t = np.asarray(times, dtype=float)
    e = np.asarray(events, dtype=bool)
    order = np.lexsort((~e, t))
    t, e = t[order], e[order]
    n = len(t)
    unique = np.unique(t[e])
    rows, survival, greenwood = [], 1.0, 0.0
    for time in unique:
        at_risk = n - int(np.searchsorted(t, time, side="left"))
        d = int(np.sum(e & (t == time)))
        survival *= 1 - d / at_risk
        if at_risk > d:
            greenwood += d / (at_risk * (at_risk - d))
        rows.append({"time": time, "at_risk": at_risk, "events": d, "survival": survival,
                     "se": survival * math.sqrt(greenwood)})
    return pd.DataFrame(rows, columns=["time", "at_risk", "events", "survival", "se"])


@dataclass
class PatienceFit:
    """Caller patience fitted to censored waits.

    Attributes
    ----------
    events, censored : int
        Abandoned callers, and callers whose patience was not seen to run out.
    mean, low, high : float
        Mean patience of the chosen family and its interval.
    median, median_low, median_high : float
        Median patience of the chosen family and its interval.
    chosen : str
        The family with the smallest AIC.
    spec : dict
        As written in a scenario file.
    candidates : DataFrame
        ``family``, ``aic``, ``mean``, ``low``, ``high``, ``median``, ``median_low``,
        ``median_high``, ``sd``.
    km : DataFrame
        Kaplan-Meier curve (see :func:`kaplan_meier`).
    naive_mean : float
        Mean of the abandoned waits alone (what ignoring censoring would give).
    """

    events: int
    censored: int
    mean: float
    low: float
    high: float
    median: float
    chosen: str
    spec: dict[str, Any]
    candidates: pd.DataFrame
    km: pd.DataFrame = field(repr=False)
    naive_mean: float = float("nan")
    survival: Callable[[FloatArray], FloatArray] | None = field(default=None, repr=False)
    median_low: float = float("nan")
    median_high: float = float("nan")


def _hessian(f: Callable[[FloatArray], float], x: FloatArray) -> FloatArray:
    """Central-difference Hessian of ``f`` at ``x``."""
    k = len(x)
    h = 1e-4 * np.maximum(np.abs(x), 1.0)
    out = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            ei, ej = np.eye(k)[i] * h[i], np.eye(k)[j] * h[j]
            out[i, j] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                4 * h[i] * h[j])
    return out


_MAKERS: dict[str, Callable[[FloatArray], Any]] = {
    "lognormal": lambda p: stats.lognorm(s=math.exp(p[1]), scale=math.exp(p[0])),
    "gamma": lambda p: stats.gamma(math.exp(p[0]), scale=math.exp(p[1])),
}
"""Each family's scipy distribution from its parameters (log-scale), for the results."""


def _log_density_and_survival(family: str, p: FloatArray, events: FloatArray,
                              censored: FloatArray) -> float:
    """Censored log-likelihood, written out with :mod:`scipy.special` (fast in a loop)."""
    if family == "lognormal":
        mu, sigma = float(p[0]), math.exp(float(p[1]))
        z_e = (np.log(events) - mu) / sigma
        z_c = (np.log(censored) - mu) / sigma
        density = -np.log(events) - math.log(sigma) - 0.5 * math.log(2 * math.pi) - z_e**2 / 2
        return float(density.sum() + special.log_ndtr(-z_c).sum())
    shape, scale = math.exp(float(p[0])), math.exp(float(p[1]))
    density = ((shape - 1) * np.log(events) - events / scale - special.gammaln(shape)
               - shape * math.log(scale))
    survival = np.log(np.maximum(special.gammaincc(shape, censored / scale), 1e-300))
    return float(density.sum() + survival.sum())


def _delta_se(make: Callable[[FloatArray], Any], p: FloatArray, cov: FloatArray,
              what: str) -> float:
    """Standard error of the distribution's ``mean`` or ``median`` by the delta method."""
    step = 1e-5
    grad = np.array([(getattr(make(p + step * np.eye(2)[i]), what)()
                      - getattr(make(p - step * np.eye(2)[i]), what)()) / (2 * step)
                     for i in range(2)])
    return math.sqrt(max(float(grad @ cov @ grad), 0.0))


def fit_patience(waits: ArrayLike, abandoned: ArrayLike, confidence: float = 0.95,
                 families: tuple[str, ...] = ("exponential", "lognormal", "gamma"),
                 ) -> PatienceFit:
    """Fit caller patience by censored maximum likelihood.

    Parameters
    ----------
    waits : array-like
        Each caller's time in the queue (to the answer, to hanging up, or to
        being sent on), seconds.
    abandoned : array-like of bool
        True where the caller hung up (the event); False: censored.
    confidence : float
        Of the interval of the mean.
    families : tuple of str
        Families to try (chosen by AIC).

    Raises
    ------
    ValueError
        With no abandoned caller (patience cannot be estimated).

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> patience, wait = rng.exponential(60, 4000), rng.exponential(30, 4000)
    >>> fit = fit_patience(np.minimum(patience, wait), patience < wait,
    ...                    families=("exponential",))
    >>> 55 < fit.mean < 65
    True
    """
    t = np.maximum(np.asarray(waits, dtype=float), SMALLEST)
    e = np.asarray(abandoned, dtype=bool)
    keep = np.isfinite(t)
    t, e = t[keep], e[keep]
    d = int(e.sum())
    if d == 0:
        raise ValueError("abandoned: no caller hung up; patience cannot be estimated")
    rows = []
    survivals: dict[str, Callable[[FloatArray], FloatArray]] = {}
    exp_mean = float(t.sum()) / d
    if "exponential" in families:
        row, survivals["exponential"] = _exponential_patience(t, d, confidence)
        rows.append(row)
    logs = np.log(t)
    starts = {"lognormal": np.array([float(logs.mean()), math.log(max(logs.std(), 0.1))]),
              "gamma": np.array([0.0, math.log(exp_mean)])}
    for family in families:
        if family == "exponential" or d < 2:
            continue
        row, survivals[family] = _censored_patience(family, t, e, starts[family], confidence)
        rows.append(row)
    candidates = pd.DataFrame(rows).sort_values("aic", kind="stable").reset_index(drop=True)
    best = _identified(candidates, float(t.max()))
    chosen = str(best["family"])
    spec: dict[str, Any] = ({"dist": "exponential", "mean": _s(best["mean"])}
                            if chosen == "exponential"
                            else {"dist": chosen, "mean": _s(best["mean"]), "sd": _s(best["sd"])})
    return PatienceFit(d, len(t) - d, float(best["mean"]), float(best["low"]),
                       float(best["high"]), float(best["median"]), chosen, spec, candidates,
                       kaplan_meier(t, e), float(t[e].mean()), survivals[chosen],
                       float(best["median_low"]), float(best["median_high"]))


def _exponential_patience(t: FloatArray, d: int, confidence: float,
                          ) -> tuple[dict[str, Any], Callable[[FloatArray], FloatArray]]:
    """The exponential's censored fit (closed form, chi-squared interval) and survival."""
    total = float(t.sum())
    exp_mean = total / d
    alpha = 1 - confidence
    row: dict[str, Any] = {"family": "exponential",
                           "aic": 2 - 2 * (-d * math.log(exp_mean) - total / exp_mean),
                           "mean": exp_mean, "median": exp_mean * math.log(2),
                           "low": 2 * total / stats.chi2.ppf(1 - alpha / 2, 2 * d),
                           "high": 2 * total / stats.chi2.ppf(alpha / 2, 2 * d),
                           "sd": exp_mean}
    row["median_low"] = row["low"] * math.log(2)
    row["median_high"] = row["high"] * math.log(2)
    return row, lambda x: np.exp(-np.asarray(x) / exp_mean)


def _censored_patience(family: str, t: FloatArray, e: NDArray[np.bool_], start: FloatArray,
                       confidence: float,
                       ) -> tuple[dict[str, Any], Callable[[FloatArray], FloatArray]]:
    """A two-parameter family's censored maximum-likelihood fit (delta-method intervals)."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    make = _MAKERS[family]
    events, censored = t[e], t[~e]

    def nll(p: FloatArray) -> float:
        if np.any(np.abs(p) > 50):
            return 1e300
        value = -_log_density_and_survival(family, p, events, censored)
        return value if np.isfinite(value) else 1e300

    result = optimize.minimize(nll, start, method="Nelder-Mead",
                               options={"xatol": 1e-6, "fatol": 1e-6, "maxiter": 4000})
    p = result.x
    dist = make(p)
    mean = float(dist.mean())
    median = float(dist.median())
    bounds = {"low": math.nan, "high": math.nan, "median_low": math.nan,
              "median_high": math.nan}
    try:
        cov: FloatArray = np.asarray(np.linalg.inv(_hessian(nll, p)), dtype=np.float64)
        for name, value in (("", mean), ("median_", median)):
            se = _delta_se(make, p, cov, "median" if name else "mean")
            bounds[f"{name}low"], bounds[f"{name}high"] = value - z * se, value + z * se
    except np.linalg.LinAlgError:
        pass
    row = {"family": family, "aic": 4 + 2 * float(result.fun), "mean": mean,
           "median": median, **bounds, "sd": float(dist.std())}
    return row, dist.sf


def _identified(candidates: pd.DataFrame, longest: float) -> pd.Series:
    """The best fit by AIC among those the data identify.

    A family whose mean lies far beyond every wait seen (or whose spread is absurd) is
    not identified by these data: fall back on the exponential, which always is.
    """
    sane = candidates[(candidates["mean"] < 20 * longest)
                      & (candidates["sd"] / candidates["mean"]).between(0.01, 100)]
    fallback = candidates[candidates["family"] == "exponential"]
    best: pd.Series = (sane.iloc[0] if len(sane)
                       else (fallback if len(fallback) else candidates).iloc[0])
    return best
