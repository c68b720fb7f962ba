"""Distributions of times: talk time, answer delay, wrap-up, caller patience.

Every distribution validates its parameters when it is built, has a readable
``repr``, exposes ``mean`` (seconds) and turns uniform numbers into times with
``quantile(u)``, the inverse CDF (the smallest time whose CDF reaches ``u``;
``tests/test_distributions.py`` checks each against :mod:`scipy.stats`). The
engine uses ``quantile`` only: a caller's uniform number becomes the talk time of
whichever member answers, which keeps policy comparisons paired (common random
numbers). In a scenario file a distribution is written as a mapping with a
``dist`` key, or as a bare duration for a constant::

    talk_time: {dist: lognormal, mean: 4min, sd: 3min}
    wrap_up: 30s
"""

from __future__ import annotations

import difflib
import math
from typing import Annotated, Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from huntsim.scenario.units import Seconds

__all__ = [
    "Constant",
    "Distribution",
    "Empirical",
    "Exponential",
    "Gamma",
    "Lognormal",
    "Uniform",
]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={value!r}" for name, value in self.__dict__.items() if name != "dist"
        )
        return f"{type(self).__name__}({fields})"

    __str__ = __repr__


class Constant(_Base):
    """Always the same time.

    Attributes
    ----------
    dist : str
        ``constant``; or write the time alone (``wrap_up: 30s``).
    value : float
        The time, in seconds inside (written ``30s``).

    Examples
    --------
    >>> Constant(value=30).quantile([0.1, 0.9])
    array([30., 30.])
    """

    dist: Literal["constant"] = "constant"
    value: Seconds

    @property
    def mean(self) -> float:
        """Mean time in seconds."""
        return self.value

    def quantile(self, u: ArrayLike) -> FloatArray:
        """Inverse CDF at ``u`` (always the value)."""
        return np.full(np.shape(u), self.value)


class Exponential(_Base):
    """Exponential times with the given mean (memoryless talk times, patience).

    Attributes
    ----------
    dist : str
        ``exponential``.
    mean : float
        The mean time (greater than 0).
    """

    dist: Literal["exponential"] = "exponential"
    mean: Seconds = Field(gt=0)

    def quantile(self, u: ArrayLike) -> FloatArray:
        """Inverse CDF at ``u``."""
        result: FloatArray = -self.mean * np.log1p(-np.asarray(u, dtype=float))
        return result


class Uniform(_Base):
    """Times spread evenly between ``low`` and ``high``.

    Attributes
    ----------
    dist : str
        ``uniform``.
    low : float
        The shortest time.
    high : float
        The longest time (not below ``low``).
    """

    dist: Literal["uniform"] = "uniform"
    low: Seconds
    high: Seconds

    @model_validator(mode="after")
    def _low_not_above_high(self) -> Uniform:
        if self.low > self.high:
            raise ValueError(f"low (={self.low}) must not exceed high (={self.high})")
        return self

    @property
    def mean(self) -> float:
        """Mean time in seconds."""
        return (self.low + self.high) / 2

    def quantile(self, u: ArrayLike) -> FloatArray:
        """Inverse CDF at ``u``."""
        return self.low + np.asarray(u, dtype=float) * (self.high - self.low)


class _MeanAndSd(_Base):
    mean: Seconds = Field(gt=0)
    sd: Seconds = Field(gt=0)

    @model_validator(mode="after")
    def _spread_in_reason(self) -> _MeanAndSd:
        # beyond this the shape parameters overflow and times become NaN or infinite
        if not 1e-6 <= self.sd / self.mean <= 1e3:
            raise ValueError(
                f"sd (={self.sd:g} s) must be between a millionth and 1000 times "
                f"the mean (={self.mean:g} s)"
            )
        return self


class Lognormal(_MeanAndSd):
    """Lognormal times given by the mean and standard deviation of the time itself.

    Talk times in call centres are close to lognormal (Brown et al., 2005).

    Attributes
    ----------
    dist : str
        ``lognormal``.
    mean : float
        The mean of the time itself (not of its logarithm).
    sd : float
        The standard deviation of the time itself, between a millionth and
        1000 times the mean.
    """

    dist: Literal["lognormal"] = "lognormal"

    def _log_parameters(self) -> tuple[float, float]:
        sigma2 = math.log1p((self.sd / self.mean) ** 2)
        return math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2)

    def quantile(self, u: ArrayLike) -> FloatArray:
        """Inverse CDF at ``u``."""
        mu, sigma = self._log_parameters()
        from scipy import special  # here, not at the top: validating a scenario needs no scipy

        result: FloatArray = np.exp(mu + sigma * special.ndtri(np.asarray(u, dtype=float)))
        return result


class Gamma(_MeanAndSd):
    """Gamma times given by their mean and standard deviation.

    Attributes
    ----------
    dist : str
        ``gamma``.
    mean : float
        The mean time.
    sd : float
        The standard deviation, between a millionth and 1000 times the mean.
    """

    dist: Literal["gamma"] = "gamma"

    def quantile(self, u: ArrayLike) -> FloatArray:
        """Inverse CDF at ``u``."""
        shape = (self.mean / self.sd) ** 2
        from scipy import special

        result: FloatArray = special.gammaincinv(shape, np.asarray(u, dtype=float))
        return result * (self.sd**2 / self.mean)


class Empirical(_Base):
    """Times drawn with equal probability from observed values.

    Attributes
    ----------
    dist : str
        ``empirical``.
    values : list of float
        The observed times (at least one); each is drawn with probability 1/n.
    """

    dist: Literal["empirical"] = "empirical"
    values: tuple[Seconds, ...] = Field(min_length=1)

    @property
    def mean(self) -> float:
        """Mean time in seconds."""
        return float(np.mean(self.values))

    def quantile(self, u: ArrayLike) -> FloatArray:
        """Inverse CDF at ``u``: each value with probability 1/n, smallest first.

        Sorting makes the same ``u`` give a long time under every member's
        values alike (as for the other distributions); ``u = 0`` gives the
        smallest value.

        Examples
        --------
        >>> Empirical(values=(60, 5, 30)).quantile([0.0, 0.2, 0.5, 0.9])
        array([ 5.,  5., 30., 60.])
        """
        ordered = np.sort(np.asarray(self.values, dtype=float))
        n = len(ordered)
        index = np.clip(np.ceil(np.asarray(u, dtype=float) * n).astype(int) - 1, 0, n - 1)
        result: FloatArray = ordered[index]
        return result


DISTRIBUTIONS: tuple[str, ...] = (
    "constant", "exponential", "uniform", "lognormal", "gamma", "empirical")


def _constant_shorthand(value: object) -> object:
    """Let ``30s`` stand for ``{dist: constant, value: 30s}``; read ``dist`` whatever its case.

    A ``dist`` that names no distribution gets the closest names.

    Examples
    --------
    >>> _constant_shorthand({"dist": "Exponential", "mean": 60})
    {'dist': 'exponential', 'mean': 60}
    >>> _constant_shorthand({"dist": "exponentail", "mean": 60})
    Traceback (most recent call last):
    ...
    ValueError: dist 'exponentail' names no distribution; did you mean 'exponential'?
    """
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return {"dist": "constant", "value": value}
    if isinstance(value, dict) and isinstance(value.get("dist"), str):
        name = value["dist"].strip().lower()
        if name not in DISTRIBUTIONS:
            close = difflib.get_close_matches(name, DISTRIBUTIONS, n=2, cutoff=0.6)
            hint = ("did you mean " + " or ".join(repr(c) for c in close) + "?" if close
                    else "choose from " + ", ".join(DISTRIBUTIONS))
            raise ValueError(f"dist {value['dist']!r} names no distribution; {hint}")
        return {**value, "dist": name}
    return value


Distribution = Annotated[
    Constant | Exponential | Uniform | Lognormal | Gamma | Empirical,
    Field(discriminator="dist"),
    BeforeValidator(_constant_shorthand),
]
"""Any of the distributions above, as written in a scenario file."""
