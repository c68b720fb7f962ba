"""Random streams: one independent generator per source of randomness.

Every source (an arrival stream, a member's answer decisions, a member's talk
times, ...) gets its own :class:`numpy.random.Generator`, seeded by
``numpy.random.SeedSequence(seed, spawn_key=...)`` where the spawn key is made
from the source's *name* rather than its position. Two runs that differ only
in policy therefore see the same callers and the same member behaviour
(common random numbers), and adding a member does not change what the others
draw. Values are drawn in blocks, which is much faster than one at a time and
gives exactly the same sequence for the same seed.
"""

from __future__ import annotations

import zlib

import numpy as np

from huntsim.distributions import Constant, Distribution

__all__ = ["Draws", "generator", "seed_sequence"]

_BLOCK = 256


def seed_sequence(seed: int, *names: str) -> np.random.SeedSequence:
    """The seed sequence of the source called ``names`` under ``seed``.

    Examples
    --------
    >>> a = np.random.default_rng(seed_sequence(1, "agent", "101", "talk")).random()
    >>> b = np.random.default_rng(seed_sequence(1, "agent", "101", "talk")).random()
    >>> a == b
    True
    """
    key = tuple(zlib.crc32(name.encode("utf-8")) for name in names)
    return np.random.SeedSequence(seed, spawn_key=key)


def generator(seed: int, *names: str) -> np.random.Generator:
    """A generator that belongs to one named source."""
    return np.random.default_rng(seed_sequence(seed, *names))


class Draws:
    """Values of one distribution from one generator, served one by one.

    Calling the object returns the next value as a Python float. Values are
    drawn ``block`` at a time; a constant distribution never touches the
    generator.

    Parameters
    ----------
    distribution : Distribution or None
        What to draw; ``None`` draws uniform numbers on [0, 1).
    rng : numpy.random.Generator
        The generator of this source alone.
    """

    __slots__ = ("_block", "_distribution", "_index", "_rng", "_values")

    def __init__(
        self, distribution: Distribution | None, rng: np.random.Generator, block: int = _BLOCK
    ) -> None:
        self._distribution = distribution
        self._rng = rng
        self._block = block
        self._values: list[float] = []
        self._index = 0

    @property
    def constant(self) -> float | None:
        """The value, if the distribution is a constant."""
        if isinstance(self._distribution, Constant):
            return self._distribution.value
        return None

    def __call__(self) -> float:
        """The next value."""
        index = self._index
        values = self._values
        if index >= len(values):
            if self._distribution is None:
                values = self._rng.random(self._block).tolist()
            else:
                values = self._distribution.sample(self._rng, self._block).tolist()
            self._values = values
            index = 0
        self._index = index + 1
        return values[index]
