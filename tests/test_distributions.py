"""Each distribution's ``quantile()`` against the inverse CDF (``ppf``) of scipy.stats.

The engine turns every uniform number of a caller into a time with ``quantile``
(huntsim/sim/streams.py), so that is the function to check: at many points,
including both ends, and over the whole range of parameters the scenario
validation accepts (sd from a millionth to 1000 times the mean).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from huntsim.scenario.distributions import (
    Constant,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Uniform,
)

EDGES = [0.0, 5e-324, 1e-300, 1e-12, 1e-6, 1e-3, 0.01, 0.1, 0.25, 1 / 3, 0.5, 2 / 3, 0.75,
         0.9, 0.99, 0.999, 1 - 1e-6, 1 - 1e-12, 1 - 2**-53]
"""Points where inverse CDFs go wrong: 0, subnormal and tiny u, the middle, and the
largest u below 1 that numpy's ``Generator.random`` can return."""
U = np.concatenate([EDGES, np.random.default_rng(0).random(500)])


def lognormal(mean: float, sd: float) -> stats.rv_continuous:
    sigma2 = math.log1p((sd / mean) ** 2)
    return stats.lognorm(s=math.sqrt(sigma2), scale=math.exp(math.log(mean) - sigma2 / 2))


def gamma(mean: float, sd: float) -> stats.rv_continuous:
    return stats.gamma(a=(mean / sd) ** 2, scale=sd**2 / mean)


def point_masses(values: tuple[float, ...]) -> stats.rv_discrete:
    """Equal probability on each listed value (repeats add up)."""
    support, counts = np.unique(values, return_counts=True)
    return stats.rv_discrete(values=(support, counts / counts.sum()))


CONTINUOUS = [
    (Exponential(mean=0.5), stats.expon(scale=0.5)),
    (Exponential(mean=180), stats.expon(scale=180)),
    (Exponential(mean=1e5), stats.expon(scale=1e5)),
    (Uniform(low=0, high=10), stats.uniform(loc=0, scale=10)),
    (Uniform(low=2, high=14), stats.uniform(loc=2, scale=12)),
    (Uniform(low=20, high=60), stats.uniform(loc=20, scale=40)),
    (Lognormal(mean=240, sd=180), lognormal(240, 180)),
    (Lognormal(mean=75, sd=40), lognormal(75, 40)),
    (Lognormal(mean=100, sd=1e-4), lognormal(100, 1e-4)),  # sd a millionth of the mean
    (Lognormal(mean=100, sd=1e5), lognormal(100, 1e5)),  # sd 1000 times the mean
    (Gamma(mean=240, sd=180), gamma(240, 180)),
    (Gamma(mean=30, sd=30), gamma(30, 30)),  # shape 1: exponential
    (Gamma(mean=10, sd=1e-5), gamma(10, 1e-5)),  # shape 1e12
    (Gamma(mean=10, sd=1e4), gamma(10, 1e4)),  # shape 1e-6
]

DISCRETE = [
    (Constant(value=0), point_masses((0.0,))),
    (Constant(value=30), point_masses((30.0,))),
    (Empirical(values=(30.0,)), point_masses((30.0,))),
    (Empirical(values=(1.0, 2.5, 7.0)), point_masses((1.0, 2.5, 7.0))),
    (Empirical(values=(60.0, 5.0, 30.0, 5.0)), point_masses((60.0, 5.0, 30.0, 5.0))),
    (Empirical(values=(0.0, 0.0, 100.0)), point_masses((0.0, 0.0, 100.0))),
]

ALL = CONTINUOUS + DISCRETE


def ids(case: tuple[object, object]) -> str:
    return repr(case[0])


@pytest.mark.parametrize(("dist", "reference"), CONTINUOUS, ids=[ids(c) for c in CONTINUOUS])
def test_continuous_quantile_is_scipys_ppf(dist, reference):
    np.testing.assert_allclose(dist.quantile(U), reference.ppf(U), rtol=1e-9, atol=0)


@pytest.mark.parametrize(("dist", "reference"), DISCRETE, ids=[ids(c) for c in DISCRETE])
def test_discrete_quantile_is_scipys_ppf(dist, reference):
    # scipy puts ppf(0) of a discrete law one below its support; a time of a
    # scenario never goes below the smallest listed value
    inside = U[U > 0]
    np.testing.assert_array_equal(dist.quantile(inside), reference.ppf(inside))
    assert dist.quantile(0.0) == reference.support()[0]


@pytest.mark.parametrize(("dist", "reference"), ALL, ids=[ids(c) for c in ALL])
def test_quantile_is_finite_nondecreasing_and_keeps_the_shape(dist, reference):
    u = np.sort(U)
    times = dist.quantile(u)
    assert np.isfinite(times).all() and (times >= 0).all()
    assert (np.diff(times) >= 0).all()  # the same u gives larger times under larger laws
    assert dist.quantile(np.zeros((2, 3))).shape == (2, 3)
    assert np.shape(dist.quantile(0.5)) == ()


@pytest.mark.parametrize(("dist", "reference"), ALL, ids=[ids(c) for c in ALL])
def test_mean_is_scipys(dist, reference):
    assert dist.mean == pytest.approx(reference.mean(), rel=1e-9)


@pytest.mark.parametrize(
    ("dist", "reference"),
    [c for c in CONTINUOUS if isinstance(c[0], Lognormal | Gamma)],
    ids=[ids(c) for c in CONTINUOUS if isinstance(c[0], Lognormal | Gamma)],
)
def test_mean_and_sd_are_those_of_the_time_itself(dist, reference):
    assert reference.mean() == pytest.approx(dist.mean, rel=1e-9)
    # scipy's lognormal variance takes exp(s**2) - 1 and loses digits as sd/mean -> 0
    assert reference.std() == pytest.approx(dist.sd, rel=1e-4)


def test_uniform_without_width_is_its_bound():
    # scipy has no uniform of width 0 (its ppf is NaN): the time is the bound
    assert Uniform(low=5, high=5).quantile(U).tolist() == [5.0] * len(U)


def test_uniform_numbers_become_times_with_the_requested_mean_and_sd():
    # what the engine does with a caller's uniform numbers, end to end
    times = Lognormal(mean=240, sd=180).quantile(np.random.default_rng(0).random(200_000))
    assert times.mean() == pytest.approx(240, rel=0.01)
    assert times.std() == pytest.approx(180, rel=0.03)
