"""Test settings: figures draw off screen; hypothesis is repeatable by default."""

from __future__ import annotations

import os

from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")

# The default profile draws the same cases on every run, so CI cannot flake on a
# newly found input. `pytest --hypothesis-profile=explore` searches afresh.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile("repeatable")
