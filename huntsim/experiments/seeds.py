"""Seeds of an experiment: the master seed, and one seed per replication.

Replication ``i`` gets the same seed in every experiment built on the same
master seed, whatever the policy or group size, so that experiments compare
like with like (common random numbers).
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from huntsim.scenario.model import Scenario

__all__ = ["DEFAULT_SEED", "replication_seeds", "resolve_seed", "seed_problems"]

DEFAULT_SEED = 0
"""Master seed of an experiment when neither the call nor the scenario gives one."""

def seed_problems(seed: Any) -> list[str]:
    """What is wrong with a master ``seed`` (nothing for ``None``: the default)."""
    if seed is None:
        return []
    try:
        whole = operator.index(seed)
    except TypeError:
        return [f"seed: {seed!r} is not a whole number"]
    return [] if whole >= 0 else [f"seed: {whole} must be 0 or more"]


def resolve_seed(scenario: Scenario, seed: int | None) -> int:
    """The master seed of an experiment: ``seed``, else the scenario's, else 0.

    Examples
    --------
    >>> from huntsim.scenario.model import load_scenario
    >>> office = load_scenario({"duration": "1h", "seed": 7,
    ...                         "agents": [{"number": "1", "talk_time": "1min"}]})
    >>> resolve_seed(office, None), resolve_seed(office, 3)
    (7, 3)
    """
    if seed is not None:
        return operator.index(seed)
    return scenario.seed if scenario.seed is not None else DEFAULT_SEED


def replication_seeds(seed: int, replications: int) -> list[int]:
    """The seed of each replication, derived from a master ``seed``.

    Examples
    --------
    >>> replication_seeds(1, 3) == replication_seeds(1, 3)
    True
    """
    if replications < 1:
        raise ValueError(f"replications (={replications}) must be at least 1")
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(child.generate_state(1, dtype=np.uint64)[0]) for child in children]
