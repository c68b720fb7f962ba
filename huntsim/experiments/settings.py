"""What every experiment is asked for: :class:`ExperimentSettings`, checked in one place.

``replicate``, ``compare``, ``plan`` and ``sweep`` share four settings: the
policies to run, the replications of each case, the master seed and the
service-level threshold. Each rule is written once here, and every message
names the library's parameter and the value found (``replications: 0 must be
a whole number of at least 1``); the command line rewords the parameter as
its flag (``--replications: ...``).
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from huntsim.errors import ScenarioError
from huntsim.experiments.seeds import replication_seeds, resolve_seed, seed_problems
from huntsim.scenario.model import POLICIES, Scenario

__all__ = [
    "ExperimentSettings",
    "as_policies",
    "policy_problems",
    "replication_problems",
    "settings_problems",
    "threshold_problems",
]


def as_policies(policies: str | Sequence[str] | None) -> Sequence[str] | None:
    """``policies`` as a sequence: one name given alone is a list of one."""
    return [policies] if isinstance(policies, str) else policies


def policy_problems(policies: Sequence[str] | None, name: str = "policies") -> list[str]:
    """What is wrong with ``policies`` (nothing for ``None``: the experiment's default).

    Examples
    --------
    >>> policy_problems(["regular", "fastest"])[0][:42]
    "policies[1]: 'fastest' is not a policy; ch"
    >>> policy_problems([])
    ['policies: give at least one policy']
    """
    if policies is None:
        return []
    problems = [f"{name}[{i}]: {policy!r} is not a policy; choose from {', '.join(POLICIES)}"
                for i, policy in enumerate(policies) if policy not in POLICIES]
    if not policies:
        problems.append(f"{name}: give at least one policy")
    return problems


def replication_problems(replications: Any) -> list[str]:
    """What is wrong with a number of ``replications`` (a whole number, 1 or more).

    Examples
    --------
    >>> replication_problems(0)
    ['replications: 0 must be a whole number of at least 1']
    """
    try:
        whole = None if isinstance(replications, bool) else operator.index(replications)
    except TypeError:
        whole = None
    if whole is None or whole < 1:
        return [f"replications: {replications!r} must be a whole number of at least 1"]
    return []


def threshold_problems(threshold_s: float | None) -> list[str]:
    """What is wrong with a service-level threshold (nothing for ``None``: the default)."""
    if threshold_s is None:
        return []
    if (isinstance(threshold_s, numbers.Real) and not isinstance(threshold_s, bool)
            and 0 < threshold_s < math.inf):
        return []
    return [f"threshold_s: {threshold_s!r} must be a number of seconds greater than 0"]


def settings_problems(policies: Sequence[str] | None, replications: Any, seed: Any,
                      threshold_s: float | None) -> list[str]:
    """Every mistake in the shared settings, in the order of the parameters' checks."""
    return [*policy_problems(policies), *replication_problems(replications),
            *threshold_problems(threshold_s), *seed_problems(seed)]


@dataclass(frozen=True)
class ExperimentSettings:
    """The settings every experiment shares, checked, with the seed resolved.

    Attributes
    ----------
    policies : tuple of str or None
        The policies to run, each once in the order given; ``None``: every
        group keeps its configured policy.
    replications : int
        Runs of each case; replication ``i`` has the same seed in every case.
    seed : int
        The master seed (the one given, else the scenario's, else 0).
    threshold_s : float
        Service-level threshold, seconds.

    Examples
    --------
    >>> from huntsim.scenario.model import load_scenario
    >>> office = load_scenario({"duration": "1h", "seed": 7,
    ...                         "agents": [{"number": "1", "talk_time": "1min"}]})
    >>> settings = ExperimentSettings.check(office, policies="circular", replications=2)
    >>> settings.policies, settings.seed, len(settings.seeds())
    (('circular',), 7, 2)
    >>> ExperimentSettings.check(office, replications=0, seed=-1)
    Traceback (most recent call last):
    ...
    huntsim.errors.ScenarioError: replications: 0 must be a whole number of at least 1
    seed: -1 must be 0 or more
    """

    policies: tuple[str, ...] | None
    replications: int
    seed: int
    threshold_s: float

    @classmethod
    def check(cls, scenario: Scenario, policies: str | Sequence[str] | None = None,
              replications: Any = 10, seed: Any = None, threshold_s: float = 20.0,
              ) -> ExperimentSettings:
        """The settings, once every one is right.

        Raises
        ------
        ScenarioError
            One message per mistake, each naming its parameter.
        """
        chosen = as_policies(policies)
        problems = settings_problems(chosen, replications, seed, threshold_s)
        if problems:
            raise ScenarioError(problems)
        return cls(policies=None if chosen is None else tuple(dict.fromkeys(chosen)),
                   replications=operator.index(replications),
                   seed=resolve_seed(scenario, seed), threshold_s=threshold_s)

    def seeds(self) -> list[int]:
        """The seed of each replication (:func:`~.seeds.replication_seeds`)."""
        return replication_seeds(self.seed, self.replications)
