"""Queueing theory for hunt groups: instant estimates beside every simulation.

Notation: ``load`` is the offered load A = arrival rate x mean talk time, in
Erlang; ``n`` is the number of members. Formulas follow Gans, Koole and
Mandelbaum (2003) and Garnett, Mandelbaum and Reiman (2002).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

__all__ = [
    "ErlangA",
    "erlang_a",
    "erlang_b",
    "erlang_b_curve",
    "erlang_b_members",
    "erlang_c",
    "erlang_c_asa",
    "erlang_c_members",
    "erlang_c_service_level",
    "ordered_hunting_loads",
]


def _check(n: int, load: float) -> None:
    if n < 0 or int(n) != n:
        raise ValueError(f"n (={n!r}) must be a whole number >= 0")
    if not load >= 0 or not math.isfinite(load):
        raise ValueError(f"load (={load!r}) must be a finite number of Erlang >= 0")


def erlang_b_curve(n: int, load: float) -> NDArray[np.float64]:
    """B(0), B(1), ..., B(n) by the stable recursion B(k) = A B(k-1) / (k + A B(k-1)).

    Examples
    --------
    >>> [round(float(b), 4) for b in erlang_b_curve(2, 1.0)]
    [1.0, 0.5, 0.2]
    """
    _check(n, load)
    blocking = np.empty(n + 1)
    blocking[0] = 1.0
    for k in range(1, n + 1):
        previous = load * blocking[k - 1]
        blocking[k] = previous / (k + previous)
    return blocking


def erlang_b(n: int, load: float) -> float:
    """Probability that a call finds all ``n`` members busy (loss system).

    Insensitive to the talk-time distribution beyond its mean (M/G/n/n).

    Examples
    --------
    >>> round(erlang_b(10, 8.0), 4)
    0.1217
    """
    return float(erlang_b_curve(n, load)[-1])


def ordered_hunting_loads(n: int, load: float) -> NDArray[np.float64]:
    """Load (Erlang) carried by each member under regular hunting, first member first.

    Member k carries A [B(k-1) - B(k)]; the loads add up to A (1 - B(n)).

    Examples
    --------
    >>> [round(float(a), 4) for a in ordered_hunting_loads(3, 0.5)]
    [0.3333, 0.1282, 0.0321]
    """
    blocking = erlang_b_curve(n, load)
    loads: NDArray[np.float64] = load * (blocking[:-1] - blocking[1:])
    return loads


def erlang_c(n: int, load: float) -> float:
    """Probability that a caller has to wait (queue, no abandonment).

    Returns 1 when ``load >= n`` (the queue grows without bound).

    Examples
    --------
    >>> round(erlang_c(14, 10.0), 5)
    0.17413
    """
    _check(n, load)
    if load >= n:
        return 1.0
    b = erlang_b(n, load)
    return n * b / (n - load * (1 - b))


def erlang_c_service_level(n: int, load: float, aht_s: float, threshold_s: float) -> float:
    """Share of callers answered within ``threshold_s``: 1 - C exp(-(n - A) t / AHT).

    Examples
    --------
    >>> round(erlang_c_service_level(14, 10.0, 180, 20), 5)
    0.88835
    """
    if load >= n:
        return 0.0
    return 1.0 - erlang_c(n, load) * math.exp(-(n - load) * threshold_s / aht_s)


def erlang_c_asa(n: int, load: float, aht_s: float) -> float:
    """Average speed of answer (mean wait over all callers), seconds.

    Examples
    --------
    >>> round(erlang_c_asa(14, 10.0, 180), 3)
    7.836
    """
    if load >= n:
        return math.inf
    return erlang_c(n, load) * aht_s / (n - load)


@dataclass(frozen=True)
class ErlangA:
    """Erlang A (M/M/n+M) figures.

    Attributes
    ----------
    p_wait : float
        Probability that a caller has to wait.
    p_abandon : float
        Probability that a caller hangs up before being answered.
    mean_wait_s : float
        Mean time in queue over all callers (answered or not), seconds.
    """

    p_wait: float
    p_abandon: float
    mean_wait_s: float


def erlang_a(n: int, arrival_rate: float, aht_s: float, patience_s: float) -> ErlangA:
    """Erlang A: a queue whose callers hang up after an exponential patience.

    Parameters
    ----------
    n : int
        Members.
    arrival_rate : float
        Calls per second.
    aht_s, patience_s : float
        Mean talk time and mean patience, seconds.

    Examples
    --------
    >>> a = erlang_a(10, 10 / 3 / 60, 180, 300)
    >>> round(a.p_wait, 4), round(a.p_abandon, 4), round(a.mean_wait_s / 60, 3)
    (0.5994, 0.1094, 0.547)
    """
    mu, theta = 1.0 / aht_s, 1.0 / patience_s
    load = arrival_rate / mu
    _check(n, load)
    if n == 0:
        return ErlangA(1.0, 1.0, patience_s)
    x, y = n * mu / theta, arrival_rate / theta
    rho = arrival_rate / (n * mu)
    log_a = (
        math.log(x) + y - x * math.log(y)
        + math.log(special.gammainc(x, y)) + special.gammaln(x)
    )
    script_a = math.exp(log_a)
    b = erlang_b(n, load)
    p_wait = script_a * b / (1 + (script_a - 1) * b)
    p_abandon_if_wait = 1 / (rho * script_a) + 1 - 1 / rho
    p_abandon = p_wait * p_abandon_if_wait
    return ErlangA(p_wait, p_abandon, p_abandon / theta)


def erlang_b_members(load: float, target: float, limit: int = 10_000) -> int:
    """Fewest members whose Erlang B blocking is at most ``target``.

    Examples
    --------
    >>> erlang_b_members(5.0, 0.05)
    9
    """
    if not 0 < target <= 1:
        raise ValueError(f"target (={target!r}) must be in (0, 1]")
    blocking = 1.0
    for k in range(0, limit + 1):
        if k:
            blocking = load * blocking / (k + load * blocking)
        if blocking <= target:
            return k
    raise ValueError(f"no group of up to {limit} members reaches blocking {target}")


def erlang_c_members(load: float, aht_s: float, service_level: float,
                     threshold_s: float, limit: int = 10_000) -> int:
    """Fewest members answering ``service_level`` of calls within ``threshold_s``.

    Examples
    --------
    >>> erlang_c_members(10.0, 180, 0.85, 20)
    14
    """
    for n in range(math.floor(load) + 1, limit + 1):
        if erlang_c_service_level(n, load, aht_s, threshold_s) >= service_level:
            return n
    raise ValueError(f"no group of up to {limit} members reaches the service level")
