"""huntsim: discrete-event simulation of telephone hunt groups.

Load an office with :func:`load_scenario`, run it with :func:`simulate`, and
read the tidy tables of the :class:`Result`.

The public names load on first use (PEP 562), so that ``import huntsim`` and
the ``huntsim`` command start quickly; ``huntsim.simulate`` and
``from huntsim import simulate`` work as usual.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huntsim.errors import ScenarioError
    from huntsim.experiments.comparison import Comparison, compare
    from huntsim.experiments.planning import StaffingPlan, plan
    from huntsim.experiments.replications import Replications, replicate
    from huntsim.experiments.roster import Roster, roster
    from huntsim.experiments.sweeps import Sweep, sweep
    from huntsim.fit import fit
    from huntsim.scenario.calendar import Calendar
    from huntsim.scenario.model import POLICIES, Agent, HuntGroup, Scenario, load_scenario
    from huntsim.sim.simulation import Result, simulate

__all__ = [
    "POLICIES",
    "Agent",
    "Calendar",
    "Comparison",
    "HuntGroup",
    "Replications",
    "Result",
    "Roster",
    "Scenario",
    "ScenarioError",
    "StaffingPlan",
    "Sweep",
    "compare",
    "fit",
    "load_scenario",
    "plan",
    "replicate",
    "roster",
    "simulate",
    "sweep",
]

_WHERE = {
    "Calendar": "huntsim.scenario.calendar",
    "Comparison": "huntsim.experiments.comparison",
    "compare": "huntsim.experiments.comparison",
    "ScenarioError": "huntsim.errors",
    "fit": "huntsim.fit",
    "StaffingPlan": "huntsim.experiments.planning",
    "plan": "huntsim.experiments.planning",
    "Replications": "huntsim.experiments.replications",
    "replicate": "huntsim.experiments.replications",
    "Roster": "huntsim.experiments.roster",
    "roster": "huntsim.experiments.roster",
    "POLICIES": "huntsim.scenario.model",
    "Agent": "huntsim.scenario.model",
    "HuntGroup": "huntsim.scenario.model",
    "Scenario": "huntsim.scenario.model",
    "load_scenario": "huntsim.scenario.model",
    "Result": "huntsim.sim.simulation",
    "simulate": "huntsim.sim.simulation",
    "Sweep": "huntsim.experiments.sweeps",
    "sweep": "huntsim.experiments.sweeps",
}


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use (PEP 562)."""
    if name == "__version__":
        from importlib.metadata import version

        return version("huntsim")
    if name not in _WHERE:
        raise AttributeError(f"module 'huntsim' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
