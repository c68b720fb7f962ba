"""huntsim: discrete-event simulation of telephone hunt groups.

Load an office with :func:`load_scenario`, run it with :func:`simulate`, and
read the tidy tables of the :class:`Result`.
"""

from huntsim.calendar import Calendar
from huntsim.comparison import Comparison, compare
from huntsim.errors import ScenarioError
from huntsim.planning import StaffingPlan, plan
from huntsim.replications import Replications, replicate
from huntsim.scenario import POLICIES, Agent, HuntGroup, Scenario, load_scenario
from huntsim.simulation import Result, simulate

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
    "compare",
    "load_scenario",
    "plan",
    "replicate",
    "simulate",
]

__version__ = "0.1.0"
