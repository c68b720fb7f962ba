"""Test settings: figures draw off screen; hypothesis is repeatable by default."""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")

# The default profile draws the same cases on every run, so CI cannot flake on a
# newly found input. `pytest --hypothesis-profile=explore` searches afresh. No
# deadline: on a loaded 2-core machine a slow example is not a failure.
settings.register_profile("repeatable", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("explore", derandomize=False, print_blob=True, deadline=None)
settings.load_profile("repeatable")


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say plainly at the end of the run when the browser test did not run, and how to run it."""
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if "test_browser.py" in getattr(r, "nodeid", "")
               or "test_browser.py" in str(getattr(r, "longrepr", ""))]
    if skipped:
        terminalreporter.write_sep("=", "browser test skipped", yellow=True)
        terminalreporter.write_line(
            "tests/test_browser.py (the reports opened in headless Chromium) did NOT run: "
            "no Chromium or no playwright here.")
        terminalreporter.write_line(
            "To run it: sudo apt-get install -y chromium (Debian/Ubuntu; the test uses "
            "/usr/bin/chromium) and .venv/bin/pip install -e '.[test]'; do not run "
            "'playwright install'.")


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read the command's output as on a wide terminal (tables and sentences on one
    line each); the tests of fitting to the width set ``COLUMNS`` themselves."""
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture(autouse=True)
def _close_figures() -> Any:
    """Each test's pyplot figures are closed after it (they would pile up in the worker:
    matplotlib warns past 20 open figures)."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
