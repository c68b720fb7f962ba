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
    from huntsim.calendar import Calendar
    from huntsim.comparison import Comparison, compare
    from huntsim.errors import ScenarioError
    from huntsim.fit import fit
    from huntsim.planning import StaffingPlan, plan
    from huntsim.replications import Replications, replicate
    from huntsim.scenario import POLICIES, Agent, HuntGroup, Scenario, load_scenario
    from huntsim.simulation import Result, simulate
    from huntsim.sweeps import Sweep, sweep

__all__ = [
    "POLICIES",
    "Agent",
    "Calendar",
    "Comparison",
    "HuntGroup",
    "Replications",
    "Result",
    "Scenario",
    "ScenarioError",
    "StaffingPlan",
    "Sweep",
    "compare",
    "fit",
    "load_scenario",
    "plan",
    "replicate",
    "simulate",
    "sweep",
]

_WHERE = {
    "Calendar": "huntsim.calendar",
    "Comparison": "huntsim.comparison",
    "compare": "huntsim.comparison",
    "ScenarioError": "huntsim.errors",
    "fit": "huntsim.fit",
    "StaffingPlan": "huntsim.planning",
    "plan": "huntsim.planning",
    "Replications": "huntsim.replications",
    "replicate": "huntsim.replications",
    "POLICIES": "huntsim.scenario",
    "Agent": "huntsim.scenario",
    "HuntGroup": "huntsim.scenario",
    "Scenario": "huntsim.scenario",
    "load_scenario": "huntsim.scenario",
    "Result": "huntsim.simulation",
    "simulate": "huntsim.simulation",
    "Sweep": "huntsim.sweeps",
    "sweep": "huntsim.sweeps",
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
