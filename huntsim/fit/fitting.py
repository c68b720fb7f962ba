"""Fitting a scenario to a log (being written)."""

from __future__ import annotations

import argparse

from huntsim.errors import ScenarioError

__all__ = ["run_fit_command"]


def run_fit_command(args: argparse.Namespace) -> int:
    """Handle ``huntsim fit``."""
    raise ScenarioError(["fit: not available yet"])
