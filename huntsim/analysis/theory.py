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
    "ExtendedErlangB",
    "Retrial",
    "erlang_a",
    "erlang_b",
    "erlang_b_curve",
    "erlang_b_members",
    "erlang_c",
    "erlang_c_asa",
    "erlang_c_members",
    "erlang_c_service_level",
    "extended_erlang_b",
    "ordered_hunting_loads",
    "retrial_queue",
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


@dataclass(frozen=True)
class ExtendedErlangB:
    """Blocking with callers who try again (see :func:`extended_erlang_b`)."""

    blocking: float
    """Share of attempts (fresh and repeated) that find every member busy."""
    offered_load: float
    """Load of all attempts, in Erlang: the fresh load plus the recalls."""
    attempts_per_call: float
    """Attempts per fresh call (1 when nobody is blocked)."""


def extended_erlang_b(n: int, load: float, recall: float, tol: float = 1e-12,
                      max_iterations: int = 100_000) -> ExtendedErlangB:
    """Extended Erlang B: a share ``recall`` of blocked attempts is tried again.

    Iterates A(k+1) = A0 + R A(k) B(n, A(k)) from A(0) = A0 until it settles;
    the blocking is B(n, A*). A planning approximation (Jewell; Cohen's fixed
    point for R = 1): it ignores that repeated attempts come in bursts after a
    busy spell, so it underestimates blocking unless callers wait long before
    trying again. :func:`retrial_queue` is exact for exponential delays.

    Parameters
    ----------
    n : int
        Members.
    load : float
        Fresh offered load A0, Erlang.
    recall : float
        Share R of blocked attempts that are tried again (0 to 1).

    Examples
    --------
    >>> round(erlang_b(4, 3.0), 4)
    0.2061
    >>> e = extended_erlang_b(4, 3.0, 1.0)
    >>> round(e.blocking, 4), round(e.offered_load, 3)
    (0.3952, 4.96)
    """
    _check(n, load)
    if not 0 <= recall <= 1:
        raise ValueError(f"recall (={recall!r}) must be between 0 and 1")
    if recall == 1 and load >= n:
        raise ValueError(f"load (={load!r}) must be below n (={n}) when every blocked "
                         "caller tries again: otherwise the attempts grow without bound")
    offered = load
    for _ in range(max_iterations):
        blocking = erlang_b(n, offered)
        following = load + recall * offered * blocking
        if abs(following - offered) <= tol * max(1.0, offered):
            offered = following
            break
        offered = following
    else:
        raise ValueError(f"Extended Erlang B did not settle for n={n}, load={load}, "
                         f"recall={recall}")
    blocking = erlang_b(n, offered)
    return ExtendedErlangB(blocking, offered, offered / load if load else 1.0)


@dataclass(frozen=True)
class Retrial:
    """The exact M/M/c/c retrial queue (see :func:`retrial_queue`)."""

    first_blocked: float
    """Share of fresh calls that find every member busy."""
    retries_per_call: float
    """Mean repeated attempts per fresh call."""
    mean_waiting: float
    """Mean number of callers waiting to try again."""
    truncation: int
    """Waiting callers at most, in the truncated chain that was solved."""


def retrial_queue(n: int, arrival_rate: float, aht_s: float, mean_delay_s: float,
                  tol: float = 1e-9, max_waiting: int = 20_000) -> Retrial:
    """The M/M/c/c retrial queue, solved exactly as a truncated Markov chain.

    Fresh calls arrive at ``arrival_rate``; a call that finds all ``n``
    members busy waits an exponential time of mean ``mean_delay_s`` (each
    waiting caller retries at rate nu = 1 / ``mean_delay_s``, the classical
    retrial rate) and tries again, as often as needed; talk times are
    exponential. The state is (busy members i, waiting callers j); j is
    truncated at a level doubled until the answer changes by less than
    ``tol``, and πQ = 0 is solved with sparse linear algebra. The share of
    fresh calls blocked is Σ_j π(n, j) (arrivals see time averages), the
    retries per fresh call nu E[j] / λ.

    Parameters
    ----------
    n : int
        Members.
    arrival_rate : float
        Fresh calls per second.
    aht_s : float
        Mean talk time, seconds.
    mean_delay_s : float
        Mean time before a blocked caller tries again, seconds.

    Examples
    --------
    Four members at 3 Erlang, callers retrying after a talk time on average:

    >>> r = retrial_queue(4, 3 / 180, 180, 180)
    >>> round(r.first_blocked, 4), round(r.retries_per_call, 3)
    (0.4298, 1.209)

    Erlang B says 0.2061; retrying almost at once (nu → ∞) tends to Erlang C's
    probability of waiting:

    >>> round(retrial_queue(4, 3 / 180, 180, 0.05).first_blocked, 3), round(erlang_c(4, 3.0), 3)
    (0.509, 0.509)
    """
    if not (mean_delay_s > 0 and math.isfinite(mean_delay_s)):
        raise ValueError(f"mean_delay_s (={mean_delay_s!r}) must be a finite number of "
                         "seconds greater than 0")
    load = arrival_rate * aht_s
    _check(n, load)
    if arrival_rate == 0:
        return Retrial(first_blocked=0.0, retries_per_call=0.0, mean_waiting=0.0,
                       truncation=0)
    if n == 0 or load >= n:
        raise ValueError(f"load (={load:g} Erlang) must be below n (={n}): otherwise the "
                         "callers waiting to try again grow without bound")
    previous: Retrial | None = None
    level = 64
    while level <= max_waiting:
        result = _retrial_chain(n, arrival_rate, 1.0 / aht_s, 1.0 / mean_delay_s, level)
        if previous is not None and abs(result.first_blocked - previous.first_blocked) < tol \
                and abs(result.mean_waiting - previous.mean_waiting) < tol * max(
                    1.0, result.mean_waiting):
            return result
        previous = result
        level *= 2
    raise ValueError(f"the retrial chain needs more than {max_waiting} waiting callers; "
                     "the load is too close to n")


def _retrial_chain(n: int, lam: float, mu: float, nu: float, levels: int) -> Retrial:
    """Solve the chain with at most ``levels`` waiting callers."""
    from scipy import sparse
    from scipy.sparse import linalg

    width = n + 1
    size = width * (levels + 1)
    rows: list[int] = []
    cols: list[int] = []
    rates: list[float] = []

    def add(i: int, j: int, i2: int, j2: int, rate: float) -> None:
        rows.append(j * width + i)
        cols.append(j2 * width + i2)
        rates.append(rate)

    for j in range(levels + 1):
        for i in range(width):
            if i < n:
                add(i, j, i + 1, j, lam)
                if j > 0:
                    add(i, j, i + 1, j - 1, j * nu)
            elif j < levels:
                add(i, j, i, j + 1, lam)
            if i > 0:
                add(i, j, i - 1, j, i * mu)
    q = sparse.coo_matrix((rates, (rows, cols)), shape=(size, size)).tocsr()
    q = q - sparse.diags(np.asarray(q.sum(axis=1)).ravel())
    # pi Q = 0 with sum(pi) = 1: replace one balance equation by the normalisation
    a = sparse.vstack([q.T.tocsr()[: size - 1], sparse.csr_matrix(np.ones((1, size)))])
    b = np.zeros(size)
    b[size - 1] = 1.0
    pi = np.clip(linalg.spsolve(a.tocsc(), b), 0.0, None)
    pi /= pi.sum()
    grid = pi.reshape(levels + 1, width)
    waiting = np.arange(levels + 1)
    mean_waiting = float((grid.sum(axis=1) * waiting).sum())
    return Retrial(
        first_blocked=float(grid[:, n].sum()),
        retries_per_call=nu * mean_waiting / lam,
        mean_waiting=mean_waiting,
        truncation=levels,
    )
