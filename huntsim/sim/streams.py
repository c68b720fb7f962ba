"""Random streams, arranged for common random numbers.

Every source of randomness gets its own :class:`numpy.random.Generator`,
seeded by ``numpy.random.SeedSequence(seed, spawn_key=...)`` where the spawn
key is made from the source's *name* rather than its position, so adding a
member or a group does not change what any other source draws.

The randomness of a call travels *with the caller*: when a call arrives it
takes the next row of its arrival stream's :class:`Tickets` - its patience,
the uniform numbers that decide whether the j-th member offered the call picks
up and after how long, and those that set its talk and wrap-up time. A member
turns a uniform number into a time with their own distribution's inverse CDF.
So when only the policy changes, the same caller meets the same luck (the
first member rung answers, or not, alike; the talk time is alike when the
members share a distribution), and differences between policies are
measured on the same callers. Each quantity has its own sub-stream, and the
j-th offer of a call its own, so that nothing shifts when a call is offered
to more or fewer members. Values are drawn in blocks, which is fast and gives
the same numbers for the same seed.

A caller who calls again (a redial) keeps their row: attempt ``k`` draws its
patience, pick-ups, talk time and redial decision from sub-streams of its own
(``k`` in the ordinal), so the k-th attempt of a caller meets the same luck
under every policy.

Times leave this module as whole microseconds (Python ints), the engine's
time resolution, so that the engine adds and compares them exactly.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np

from huntsim.scenario.distributions import Distribution
from huntsim.sim.clock import ticks_of

__all__ = ["TicketBlock", "Tickets", "generator", "seed_sequence"]

BLOCK = 512


def seed_sequence(seed: int, *names: str) -> np.random.SeedSequence:
    """The seed sequence of the source called ``names`` under ``seed``.

    Examples
    --------
    >>> a = np.random.default_rng(seed_sequence(1, "group", "100", "arrivals")).random()
    >>> b = np.random.default_rng(seed_sequence(1, "group", "100", "arrivals")).random()
    >>> a == b
    True
    """
    key = tuple(zlib.crc32(name.encode("utf-8")) for name in names)
    return np.random.SeedSequence(seed, spawn_key=key)


def generator(seed: int, *names: str) -> np.random.Generator:
    """A generator that belongs to one named source."""
    return np.random.default_rng(seed_sequence(seed, *names))


class Tickets:
    """Per-call random numbers of one arrival stream, a block of calls at a time.

    Parameters
    ----------
    seed : int
        Master seed.
    source : tuple of str
        Name of the arrival stream, e.g. ``("group", "555-0100")``.
    patience : Distribution or None
        Caller patience, drawn once per call.
    """

    def __init__(self, seed: int, source: tuple[str, ...],
                 patience: Distribution | None) -> None:
        self._seed = seed
        self._source = source
        self._patience = patience
        # each quantity's generator, and the block its next numbers belong to
        self._streams: dict[tuple[str, int], tuple[np.random.Generator, int]] = {}
        self._block: TicketBlock | None = None
        self._blocks = 0
        self._row = BLOCK

    def draw(self, quantity: str, ordinal: int, block: int) -> Any:
        """The ``BLOCK`` uniform numbers of one quantity for the callers of block ``block``.

        Block ``b`` always gets numbers ``b * BLOCK`` to ``(b + 1) * BLOCK - 1``
        of the quantity's stream, whichever blocks drew before it and in which
        order (the generator is advanced to them), so that a caller's luck never
        depends on what other callers needed.
        """
        key = (quantity, ordinal)
        cached = self._streams.get(key)
        if cached is not None and cached[1] == block:
            rng = cached[0]
        else:
            rng = generator(self._seed, *self._source, quantity, str(ordinal))
            if block:
                # one 64-bit step per number (PCG64, the default generator)
                rng.bit_generator.advance(block * BLOCK)  # type: ignore[attr-defined]
        values = rng.random(BLOCK)
        self._streams[key] = (rng, block + 1)
        return values

    def take(self) -> tuple[TicketBlock, int]:
        """The next caller's block and row."""
        row = self._row
        if row >= BLOCK:
            self._block = TicketBlock(self, self._blocks)
            self._blocks += 1
            row = 0
        self._row = row + 1
        assert self._block is not None
        return self._block, row

    def patience_block(self, block: int, attempt: int = 0) -> list[int] | None:
        """Patience of block ``block``'s callers on their ``attempt``-th call, in
        microseconds (or None: callers never hang up)."""
        if self._patience is None:
            return None
        return ticks_of(self._patience.quantile(self.draw("patience", attempt, block)))


class TicketBlock:
    """The random numbers of ``BLOCK`` consecutive callers of one stream.

    Uniform numbers are drawn the first time a quantity is needed in the
    block, and times are computed once per distinct distribution.
    """

    __slots__ = ("_answers", "_later_patience", "_lists", "_tickets", "_times", "_uniform",
                 "index", "patience")

    def __init__(self, tickets: Tickets, index: int) -> None:
        self._tickets = tickets
        self.index = index
        self.patience = tickets.patience_block(index)
        self._later_patience: dict[int, list[int] | None] = {}
        self._lists: dict[tuple[str, int], list[float]] = {}
        self._uniform: dict[tuple[str, int], Any] = {}
        self._answers: dict[int, list[float]] = {}
        self._times: dict[tuple[str, int, int], list[int]] = {}

    def patience_of(self, attempt: int) -> list[int] | None:
        """Patience (µs) of the block's callers on their ``attempt``-th call (0: the first)."""
        if attempt == 0:
            return self.patience
        if attempt not in self._later_patience:
            self._later_patience[attempt] = self._tickets.patience_block(self.index, attempt)
        return self._later_patience[attempt]

    def uniform(self, quantity: str, ordinal: int) -> list[float]:
        """Uniform numbers of one quantity (and ordinal) for the block's callers."""
        key = (quantity, ordinal)
        values = self._lists.get(key)
        if values is None:
            values = self._u(quantity, ordinal).tolist()
            self._lists[key] = values
        return values

    def times(self, quantity: str, ordinal: int, key: int,
              distribution: Distribution) -> list[int]:
        """Times (µs) of one quantity under ``distribution`` (``key`` stands for it)."""
        return self._quantiles(quantity, ordinal, key, distribution)

    def _u(self, quantity: str, ordinal: int) -> Any:
        key = (quantity, ordinal)
        u = self._uniform.get(key)
        if u is None:
            u = self._tickets.draw(quantity, ordinal, self.index)
            self._uniform[key] = u
        return u

    def answer(self, ordinal: int) -> list[float]:
        """Uniform numbers deciding whether the ``ordinal``-th member offered picks up."""
        values = self._answers.get(ordinal)
        if values is None:
            values = self._u("answer", ordinal).tolist()
            self._answers[ordinal] = values
        return values

    def delay(self, ordinal: int, key: int, distribution: Distribution) -> list[int]:
        """Answer delays (µs) of the ``ordinal``-th member offered, under ``distribution``.

        ``key`` is a number that stands for the distribution (a cheap dictionary key).
        """
        return self._quantiles("answer_delay", ordinal, key, distribution)

    def talk(self, key: int, distribution: Distribution, attempt: int = 0) -> list[int]:
        """Talk times (µs) of the block's callers, under the answerer's ``distribution``."""
        return self._quantiles("talk_time", attempt, key, distribution)

    def wrap_up(self, key: int, distribution: Distribution, attempt: int = 0) -> list[int]:
        """Wrap-up times (in microseconds) after the block's calls, under ``distribution``."""
        return self._quantiles("wrap_up", attempt, key, distribution)

    def _quantiles(self, quantity: str, ordinal: int, key: int,
                   distribution: Distribution) -> list[int]:
        """The block's uniform numbers of one quantity, as times of ``distribution`` (cached)."""
        cache_key = (quantity, ordinal, key)
        values = self._times.get(cache_key)
        if values is None:
            values = ticks_of(distribution.quantile(self._u(quantity, ordinal)))
            self._times[cache_key] = values
        return values

