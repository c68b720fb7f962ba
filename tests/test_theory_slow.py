"""Longer statistical checks (marked slow; `make test` runs them, plain `pytest` does not)."""

from __future__ import annotations

import pytest
from helpers import assert_in_interval, loss_system

from huntsim import simulate
from huntsim.analysis.theory import erlang_b

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("members", "load"), [(10, 4.46), (20, 12.03)])
def test_the_one_percent_line_of_the_erlang_b_table(members, load):
    # The classic table's 1 % points sit exactly on the line, so a plan there
    # flips between sizes with noise; the blocking itself must still match,
    # one member either side included.
    for n in (members - 1, members, members + 1):
        blocked = [
            float((simulate(loss_system(n, load, "circular", hours=600), seed=s).calls["outcome"]
                   == "voicemail").mean())
            for s in range(16)
        ]
        assert_in_interval(blocked, erlang_b(n, load), f"B({n}, {load})")
