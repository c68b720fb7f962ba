"""Caller patience from censored waits kept in whole seconds.

An answered caller (or one the system sent on) had not run out of patience: their
wait is a *censored* observation, and only the abandoned callers' waits are events.
Fitting the abandoned waits alone would underestimate patience badly.

**Whole seconds.** PBX logs keep whole seconds. Asterisk writes a wait as
``time(NULL) - qe->start`` (``apps/app_queue.c``): the difference of two clock
readings each cut to the second, so a recorded ``w`` means a true wait in
``(w - 1, w + 1)``, spread as a triangle centred on ``w``; huntsim's own export
rounds to the nearest second. Both are centred on ``w``, so by default
(``rounding="nearest"``, chosen whenever every wait is a whole number) an abandoned
wait recorded as 37 s is read as patience in ``[36.5, 37.5)`` (an interval-censored
event; ``[0, 0.5)`` for 0 s), and an answered wait of 37 s as patience beyond
37 s (the middle of the answer's own second). ``rounding="floor"`` reads
``[37, 38)`` and beyond 37.5 s (logs that cut each wait down); ``"none"`` takes the
times as exact.

**Choosing a family.** Exponential, lognormal and gamma are fitted by censored
maximum likelihood. The exponential (one parameter) is kept unless a two-parameter
family's AIC is lower by at least :data:`AIC_MARGIN` (10: "essentially no support"
left for the other model, Burnham and Anderson); a small AIC gap is noise, and a
heavy-tailed family chosen on one would extrapolate a mean far beyond every wait
seen. A family whose mean lies beyond 20 times the longest wait, or whose spread is
absurd, is never chosen.

**What the data identify.** Waits end when callers are answered, so the log shows
patience only up to the longest wait: the Kaplan-Meier curve up to there, and its
area, the *restricted mean*: mean patience counted up to a horizon, the wait that
at least 5 % of the callers (and at least 10) reached, so that the curve's end rests
on more than one or two callers (up to the longest wait itself the interval falls
short: 83 % instead of 95 % in simulations). The mean is the area under the
family's survival curve; the part of it beyond the longest wait, :attr:`PatienceFit.tail_s`
(:attr:`PatienceFit.beyond_share` of the mean), is patience no wait in the log shows: the
family's assumption. It matters when it is both a material part of the mean (over
:data:`EXTRAPOLATED_SHARE`, a quarter) and larger than the mean's interval is wide: a tail
half as heavy, or half as heavy again (as consistent with the log, which has no wait
there), would then move the mean by more than half the interval's width, past its nearer
end, so the interval does not pin the mean. Then, and only then, the fit says so in
:attr:`PatienceFit.notes` (:attr:`PatienceFit.extrapolated`). A tail smaller than the
interval's width is within what the interval already allows (the shipped support desk:
a third of a 258 s mean, 85 s, beyond a 285 s longest wait, with an interval 120 s wide).

**Intervals.** The exponential's interval of the mean is the likelihood-ratio
interval; the two-parameter families' come from the observed information (delta
method on the log of the mean, so they stay positive). The restricted mean's interval
treats the time lost before the horizon as a weighted sum of Poisson event counts and
takes its gamma interval (:func:`restricted_mean_interval`): the normal (Greenwood)
interval shrinks to nothing when few callers hang up before the horizon (a 0.03 s wide
interval at 22 s missed the truth), the gamma one stays honest down to no event at all.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import integrate, optimize, special, stats

__all__ = ["AIC_MARGIN", "EXTRAPOLATED_SHARE", "ROUNDINGS", "PatienceFit", "fit_patience",
           "kaplan_meier", "restricted_mean", "restricted_mean_interval", "seconds_text"]

FloatArray = NDArray[np.float64]
AIC_MARGIN = 10.0
"""A two-parameter family replaces the exponential only when its AIC is this much lower."""
EXTRAPOLATED_SHARE = 0.25
"""The mean is an extrapolation when more than this share of it comes from beyond the
longest wait seen, and that part is larger than the mean's interval is wide."""
ROUNDINGS = ("auto", "nearest", "floor", "none")
"""How the waits were rounded (see the module's notes); ``auto``: ``nearest`` when every
wait is a whole number of seconds, else ``none``."""
_TINY = 1e-3
"""An exact time of 0 s is read as 1 ms (a density at 0 can be infinite)."""
AT_RISK_SHARE, AT_RISK_LEAST = 0.05, 10
"""The restricted mean's horizon: the wait this share of the callers (and at least this
many) reached."""
_MOST_BEYOND = 20.0
"""A family whose mean exceeds this many longest waits is not identified by the data."""


def seconds_text(seconds: float) -> str:
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


def restricted_mean(km: pd.DataFrame, until: float) -> tuple[float, float]:
    """Area under a Kaplan-Meier curve from 0 to ``until``, and its standard error.

    The mean patience counted up to ``until`` (what the log identifies without a
    family); the variance is the usual Greenwood-type sum
    ``sum A_j**2 d_j / (n_j (n_j - d_j))``, ``A_j`` the area from event time ``j`` to
    ``until``.

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 3, 4], [True, False, True, False])
    >>> round(restricted_mean(km, 4.0)[0], 3)
    2.875
    """
    rows = km[km["time"] <= until]
    times = np.r_[0.0, rows["time"].to_numpy(float), until]
    survival = np.r_[1.0, rows["survival"].to_numpy(float)]
    pieces = survival * np.diff(times)
    area = float(pieces.sum())
    beyond = np.cumsum(pieces[::-1])[::-1][1:]  # area from each event time to ``until``
    at_risk, d = rows["at_risk"].to_numpy(float), rows["events"].to_numpy(float)
    ok = at_risk > d
    variance = float(np.sum(beyond[ok] ** 2 * d[ok] / (at_risk[ok] * (at_risk[ok] - d[ok]))))
    return area, math.sqrt(variance)


def restricted_mean_interval(times: ArrayLike, events: ArrayLike, until: float,
                             confidence: float = 0.95) -> tuple[float, float, float]:
    """The restricted mean (see :func:`restricted_mean`) and an interval that keeps its
    coverage when few callers hang up before ``until``.

    The restricted mean is ``until`` less the *time lost* before it,
    ``L = sum (until - t_j) * (jump of 1 - S at t_j)``: a weighted sum of the event
    counts ``d_j``, each roughly Poisson. Its normal interval, ``L`` plus or minus
    ``z`` Greenwood standard errors, is far too narrow when events are few (with none,
    zero width), so ``L`` gets the *gamma interval* for a weighted sum of Poisson counts
    (Fay and Feuer 1997, the interval of directly standardized rates): a gamma with
    ``L``'s mean and Greenwood variance ``v`` for the lower bound,
    ``v / (2 L) * chi2(alpha / 2, 2 L**2 / v)`` (0 with no event), and for the upper
    one the same with one more event of the largest weight ``w``,
    ``(v + w**2) / (2 (L + w)) * chi2(1 - alpha / 2, 2 (L + w)**2 / (v + w**2))``.
    ``w`` is the largest Greenwood weight ``A(t) / sqrt(n(t) (n(t) - 1))`` an event at
    any wait ``t`` before ``until`` would have had (``A(t)`` the area under the curve
    from ``t`` to ``until``, ``n(t)`` the callers still waiting). With equal weights
    it is Garwood's exact Poisson interval (with no event, the upper bound is
    ``w`` times 3.69 events, not 0); with many events it tends to the normal one. The
    restricted mean's interval is ``until`` less that of ``L``, within ``[0, until]``.

    Parameters
    ----------
    times, events : array-like
        As for :func:`kaplan_meier`.
    until : float
        The horizon.
    confidence : float
        Of the interval.

    Returns
    -------
    tuple of float
        The restricted mean, and its interval's low and high ends.

    Examples
    --------
    >>> area, low, high = restricted_mean_interval(np.full(100, 20.0), np.zeros(100), 20.0)
    >>> area, high, round(low, 2)
    (20.0, 20.0, 19.26)
    """
    t = np.asarray(times, dtype=float)
    e = np.asarray(events, dtype=bool)
    km = kaplan_meier(t, e)
    area, se = restricted_mean(km, until)
    lost, v = max(until - area, 0.0), se**2
    # the largest weight: at 0 and just after each wait, where fewer callers remain
    ends = np.unique(np.r_[0.0, t[t < until]])
    waiting = len(t) - np.searchsorted(np.sort(t), ends, side="right")
    waiting[0] = len(t)
    curve_t, curve_s = km["time"].to_numpy(float), km["survival"].to_numpy(float)
    grid = np.r_[ends, until]
    survival = np.r_[1.0, curve_s][np.searchsorted(curve_t, grid[:-1], side="right")]
    beyond = np.cumsum((survival * np.diff(grid))[::-1])[::-1]  # area from each end on
    ok = waiting > 1
    weight = float(np.max(beyond[ok] / np.sqrt(waiting[ok] * (waiting[ok] - 1.0)),
                          initial=0.0))
    alpha = 1.0 - confidence
    low_lost = (v / (2 * lost) * stats.chi2.ppf(alpha / 2, 2 * lost**2 / v)
                if lost > 0 and v > 0 else lost)
    if weight > 0:
        shape = 2 * (lost + weight) ** 2 / (v + weight**2)
        high_lost = (v + weight**2) / (2 * (lost + weight)) * stats.chi2.ppf(1 - alpha / 2,
                                                                             shape)
    else:
        high_lost = lost
    return area, float(max(until - high_lost, 0.0)), float(min(until - low_lost, until))


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
        The exponential, unless another family is clearly better (:data:`AIC_MARGIN`).
    spec : dict
        As written in a scenario file.
    candidates : DataFrame
        ``family``, ``aic``, ``mean``, ``low``, ``high``, ``median``, ``median_low``,
        ``median_high``, ``sd``, ``aic_vs_exponential``.
    km : DataFrame
        Kaplan-Meier curve (see :func:`kaplan_meier`) of the recorded waits.
    naive_mean : float
        Mean of the abandoned waits alone (what ignoring censoring would give).
    longest : float
        The longest wait in the data: the patience curve is seen up to here.
    horizon : float
        The wait that :data:`AT_RISK_SHARE` of the callers (and at least
        :data:`AT_RISK_LEAST`) reached.
    restricted_mean, restricted_low, restricted_high : float
        Mean patience counted up to ``horizon`` (area under the Kaplan-Meier
        curve) and its interval: what the data identify without a family.
    beyond_share : float
        Share of ``mean`` that lies beyond ``longest`` (the chosen family's tail).
    rounding : str
        How the waits were read (``nearest``, ``floor`` or ``none``).
    notes : list of str
        Warnings about the fit (a mean that is an extrapolation).
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
    longest: float = float("nan")
    horizon: float = float("nan")
    restricted_mean: float = float("nan")
    restricted_low: float = float("nan")
    restricted_high: float = float("nan")
    beyond_share: float = float("nan")
    rounding: str = "none"
    notes: list[str] = field(default_factory=list)

    @property
    def tail_s(self) -> float:
        """Seconds of the mean that come from beyond the longest wait (the area under the
        family's survival curve there): patience no wait in the log shows."""
        return float(self.beyond_share * self.mean)

    @property
    def extrapolated(self) -> bool:
        """Whether the mean rests on the family's tail: more than
        :data:`EXTRAPOLATED_SHARE` of it comes from beyond the longest wait, and that
        part (:attr:`tail_s`) is larger than the mean's interval is wide (a tail half as
        heavy or half again would move the mean past its interval)."""
        return bool(self.beyond_share > EXTRAPOLATED_SHARE
                    and self.tail_s > self.high - self.low)


@dataclass(frozen=True)
class _Waits:
    """The waits as the likelihood reads them: each abandoned caller's patience ran out
    in ``[lo, hi)`` (exactly at ``lo`` when ``exact``); the others' lasted beyond
    ``beyond``."""

    lo: FloatArray
    hi: FloatArray
    beyond: FloatArray
    exact: bool


def _read_waits(t: FloatArray, e: NDArray[np.bool_], rounding: str) -> _Waits:
    if rounding == "none":
        ev = np.maximum(t[e], _TINY)
        return _Waits(ev, ev, t[~e], True)
    if rounding == "nearest":
        return _Waits(np.maximum(t[e] - 0.5, 0.0), t[e] + 0.5, t[~e], False)
    return _Waits(t[e], t[e] + 1.0, t[~e] + 0.5, False)


def _log_parts(family: str, p: FloatArray, x: FloatArray,
               ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """log density, log cdf and log survival of ``family`` (log-scale parameters ``p``)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if family == "exponential":
            m = math.exp(float(p[0]))
            return (-math.log(m) - x / m, np.log(-np.expm1(-x / m)), -x / m)
        if family == "lognormal":
            mu, sigma = float(p[0]), math.exp(float(p[1]))
            logx = np.log(x)
            z = (logx - mu) / sigma
            return (-logx - math.log(sigma) - 0.5 * math.log(2 * math.pi) - z**2 / 2,
                    special.log_ndtr(z), special.log_ndtr(-z))
        shape, scale = math.exp(float(p[0])), math.exp(float(p[1]))
        y = x / scale
        density = ((shape - 1) * np.log(x) - y - special.gammaln(shape)
                   - shape * math.log(scale))
        return (density, np.log(np.maximum(special.gammainc(shape, y), 1e-300)),
                np.log(np.maximum(special.gammaincc(shape, y), 1e-300)))


def _log_likelihood(family: str, p: FloatArray, waits: _Waits) -> float:
    """Censored (and interval-censored) log-likelihood."""
    beyond = float(_log_parts(family, p, waits.beyond)[2].sum())
    if waits.exact:
        return float(_log_parts(family, p, waits.lo)[0].sum()) + beyond
    _, cdf_lo, sf_lo = _log_parts(family, p, waits.lo)
    _, cdf_hi, sf_hi = _log_parts(family, p, waits.hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        upper = sf_lo + np.log1p(-np.exp(sf_hi - sf_lo))  # log(S(lo) - S(hi)), tail-safe
        lower = cdf_hi + np.log1p(-np.exp(cdf_lo - cdf_hi))  # log(F(hi) - F(lo))
    events = np.where(sf_lo < math.log(0.5), upper, lower)
    return float(events.sum()) + beyond


_MAKERS: dict[str, Callable[[FloatArray], Any]] = {
    "exponential": lambda p: stats.expon(scale=math.exp(p[0])),
    "lognormal": lambda p: stats.lognorm(s=math.exp(p[1]), scale=math.exp(p[0])),
    "gamma": lambda p: stats.gamma(math.exp(p[0]), scale=math.exp(p[1])),
}
"""Each family's scipy distribution from its log-scale parameters."""


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


def _log_se(make: Callable[[FloatArray], Any], p: FloatArray, cov: FloatArray,
            what: str) -> float:
    """Standard error of the log of the distribution's ``mean`` or ``median`` (delta method)."""
    step = 1e-5
    grad = np.array([(math.log(getattr(make(p + step * np.eye(2)[i]), what)())
                      - math.log(getattr(make(p - step * np.eye(2)[i]), what)())) / (2 * step)
                     for i in range(2)])
    return math.sqrt(max(float(grad @ cov @ grad), 0.0))


def _exponential(waits: _Waits, guess: float, confidence: float) -> dict[str, Any]:
    """The exponential's fit, with the likelihood-ratio interval of its mean."""

    def nll(log_m: float) -> float:
        return -_log_likelihood("exponential", np.array([log_m]), waits)

    centre = math.log(guess)
    best = optimize.minimize_scalar(nll, bounds=(centre - 5, centre + 5), method="bounded",
                                    options={"xatol": 1e-7})
    log_m, top = float(best.x), float(best.fun)
    limit = stats.chi2.ppf(confidence, 1) / 2

    def edge(direction: float) -> float:
        step = 0.5
        while nll(log_m + direction * step) - top < limit and step < 20:
            step *= 2
        far = log_m + direction * step
        if nll(far) - top < limit:  # the likelihood stays flat: no bound on this side
            return math.exp(far)
        return math.exp(optimize.brentq(lambda v: nll(v) - top - limit, *sorted((log_m, far))))

    m = math.exp(log_m)
    low, high = edge(-1.0), edge(1.0)
    return {"family": "exponential", "aic": 2 + 2 * top, "mean": m, "low": low, "high": high,
            "median": m * math.log(2), "median_low": low * math.log(2),
            "median_high": high * math.log(2), "sd": m, "params": np.array([log_m])}


def _two_parameter(family: str, waits: _Waits, start: FloatArray,
                   confidence: float) -> dict[str, Any]:
    """A two-parameter family's censored fit (delta-method intervals on the log scale)."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    make = _MAKERS[family]

    def nll(p: FloatArray) -> float:
        if np.any(np.abs(p) > 50):
            return 1e300
        value = -_log_likelihood(family, p, waits)
        return value if np.isfinite(value) else 1e300

    result = optimize.minimize(nll, start, method="Nelder-Mead",
                               options={"xatol": 1e-6, "fatol": 1e-6, "maxiter": 4000})
    p = result.x
    dist = make(p)
    with np.errstate(all="ignore"):  # a fit with an absurd spread has an infinite mean
        mean, median, sd = float(dist.mean()), float(dist.median()), float(dist.std())
        row: dict[str, Any] = {"family": family, "aic": 4 + 2 * float(result.fun),
                               "mean": mean, "low": math.nan, "high": math.nan,
                               "median": median, "median_low": math.nan,
                               "median_high": math.nan, "sd": sd, "params": p}
        try:
            cov: FloatArray = np.asarray(np.linalg.inv(_hessian(nll, p)), dtype=np.float64)
            for name, value in (("", mean), ("median_", median)):
                se = _log_se(make, p, cov, "median" if name else "mean")
                row[f"{name}low"], row[f"{name}high"] = value * math.exp(-z * se), \
                    value * math.exp(z * se)
        except (np.linalg.LinAlgError, ValueError, OverflowError):
            pass
    return row


def _choose(candidates: pd.DataFrame, longest: float, margin: float) -> pd.Series:
    """The exponential unless a family identified by the data is clearly better by AIC."""
    identified = candidates[(candidates["mean"] < _MOST_BEYOND * longest)
                            & (candidates["sd"] / candidates["mean"]).between(0.01, 100)]
    simplest = candidates[candidates["family"] == "exponential"]
    if not len(simplest):
        best: pd.Series = (identified if len(identified) else candidates).iloc[0]
        return best
    clear = identified[identified["aic"] <= float(simplest["aic"].iloc[0]) - margin]
    best = (clear if len(clear) else simplest).iloc[0]
    return best


def _beyond_share(family: str, p: FloatArray, mean: float, longest: float) -> float:
    """Share of the mean that lies beyond ``longest`` (the integral of the survival)."""
    if family == "exponential":
        return math.exp(-longest / mean)
    seen = integrate.quad(_MAKERS[family](p).sf, 0.0, longest, limit=200)[0]
    return float(min(max(1.0 - seen / mean, 0.0), 1.0))


def _rounding(t: FloatArray, rounding: str) -> str:
    if rounding not in ROUNDINGS:
        raise ValueError(f"rounding: {rounding!r} is not one of {', '.join(ROUNDINGS)}")
    if rounding != "auto":
        return rounding
    return "nearest" if bool(np.all(t == np.round(t))) else "none"


def fit_patience(waits: ArrayLike, abandoned: ArrayLike, confidence: float = 0.95,
                 families: tuple[str, ...] = ("exponential", "lognormal", "gamma"),
                 rounding: str = "auto", aic_margin: float = AIC_MARGIN) -> PatienceFit:
    """Fit caller patience by censored maximum likelihood.

    Parameters
    ----------
    waits : array-like
        Each caller's time in the queue (to the answer, to hanging up, or to
        being sent on), seconds.
    abandoned : array-like of bool
        True where the caller hung up (the event); False: censored.
    confidence : float
        Of the intervals.
    families : tuple of str
        Families to try.
    rounding : str
        ``auto``, ``nearest``, ``floor`` or ``none``: how the log rounded the
        waits (see the module's notes).
    aic_margin : float
        How much lower a two-parameter family's AIC must be to replace the exponential.

    Raises
    ------
    ValueError
        With no abandoned caller (patience cannot be estimated), or an unknown ``rounding``.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> patience, wait = rng.exponential(60, 4000), rng.exponential(30, 4000)
    >>> fit = fit_patience(np.minimum(patience, wait), patience < wait)
    >>> fit.chosen, 55 < fit.mean < 65
    ('exponential', True)
    """
    t = np.maximum(np.asarray(waits, dtype=float), 0.0)
    e = np.asarray(abandoned, dtype=bool)
    keep = np.isfinite(t)
    t, e = t[keep], e[keep]
    d = int(e.sum())
    if d == 0:
        raise ValueError("abandoned: no caller hung up; patience cannot be estimated")
    how = _rounding(t, rounding)
    read = _read_waits(t, e, how)
    guess = max(float(t.sum()) / d, _TINY)
    rows = [_exponential(read, guess, confidence)] if "exponential" in families else []
    logs = np.log(np.maximum(t, 0.5))
    starts = {"lognormal": np.array([float(logs.mean()), math.log(max(logs.std(), 0.1))]),
              "gamma": np.array([0.0, math.log(guess)])}
    rows += [_two_parameter(family, read, starts[family], confidence)
             for family in families if family in starts and d >= 2]
    candidates = pd.DataFrame(rows).sort_values("aic", kind="stable").reset_index(drop=True)
    exp_aic = candidates.loc[candidates["family"] == "exponential", "aic"]
    candidates["aic_vs_exponential"] = (candidates["aic"] - float(exp_aic.iloc[0])
                                        if len(exp_aic) else math.nan)
    longest = float(t.max())
    best = _choose(candidates, max(longest, _TINY), aic_margin)
    chosen = str(best["family"])
    params = np.asarray(best["params"], dtype=float)
    spec: dict[str, Any] = {"dist": chosen, "mean": seconds_text(best["mean"])}
    if chosen != "exponential":
        spec["sd"] = seconds_text(best["sd"])
    km = kaplan_meier(t, e)
    reached = min(len(t), max(AT_RISK_LEAST, math.ceil(AT_RISK_SHARE * len(t))))
    horizon = float(np.sort(t)[-reached])
    area, area_low, area_high = restricted_mean_interval(t, e, horizon, confidence)
    share = _beyond_share(chosen, params, float(best["mean"]), longest)
    fitted = PatienceFit(
        d, len(t) - d, float(best["mean"]), float(best["low"]), float(best["high"]),
        float(best["median"]), chosen, spec, candidates.drop(columns=["params"]), km,
        float(t[e].mean()), _MAKERS[chosen](params).sf, float(best["median_low"]),
        float(best["median_high"]), longest, horizon, area, area_low, area_high, share, how)
    if fitted.extrapolated:
        seen = (f" (mean patience counted up to {horizon:.0f} s: {area:.0f} s, "
                f"{fitted.restricted_low:.0f}-{fitted.restricted_high:.0f} s)"
                if horizon > 0 else "")
        fitted.notes.append(
            f"caller patience: the fitted mean ({fitted.mean:.0f} s, {chosen}; "
            f"{fitted.low:.0f}-{fitted.high:.0f} s) is an extrapolation of the family's "
            f"tail: {fitted.tail_s:.0f} s of it ({share:.0%}) comes from patience beyond "
            f"the longest wait in the log ({longest:.0f} s), which no wait shows, more than "
            f"the interval is wide ({fitted.high - fitted.low:.0f} s), so a tail half as "
            f"heavy or half again would move the mean past its interval; the log itself "
            f"shows patience only up to {longest:.0f} s{seen}")
    return fitted
