"""A feature a scenario does not use costs nothing: the engine builds presence,
ring styles, queues and redials only for a scenario that uses them."""

from __future__ import annotations

from pathlib import Path

import pytest

import huntsim
from huntsim.sim.engine import Engine
from huntsim.sim.records import CallLog
from huntsim.sim.ringing import SimultaneousRing, StaggeredRing

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def _engine(scenario: huntsim.Scenario) -> Engine:
    log = CallLog([a.number for a in scenario.agents], [g.pilot for g in scenario.hunt_groups])
    return Engine(scenario, 1, log)


def test_a_plain_run_builds_no_collaborator() -> None:
    engine = _engine(huntsim.load_scenario(SCENARIOS / "erlang_b.yaml"))
    assert engine.presence is None and engine.misses is None
    assert engine.queues is None and engine.redials is None
    assert all(group.ring_style is None for group in engine.groups)


def test_a_scenario_builds_what_it_uses() -> None:
    engine = _engine(huntsim.load_scenario(SCENARIOS / "real_estate_overflow.yaml"))
    assert engine.presence is not None and engine.queues is not None
    assert engine.redials is not None
    assert [type(g.ring_style) for g in engine.groups] == [type(None), StaggeredRing]


@pytest.mark.parametrize(("policy", "style"), [("simultaneous", SimultaneousRing),
                                              ("staggered", StaggeredRing)])
def test_a_group_that_rings_several_at_once_gets_its_ring_style(policy: str,
                                                                style: type) -> None:
    scenario = huntsim.load_scenario(SCENARIOS / "erlang_b.yaml").with_policy(policy)
    engine = _engine(scenario)
    assert all(isinstance(group.ring_style, style) for group in engine.groups)
