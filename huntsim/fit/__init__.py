"""From an office's own PBX logs to a scenario: read, fit, back-test; and the reverse, export.

``huntsim.fit`` is both this package and, called, :func:`huntsim.fit.fitting.fit`::

    office = huntsim.fit("queue_log", format="asterisk-queue-log", holdout="2w")
    office.scenario          # a Scenario, ready for huntsim.simulate
    office.write("office.yaml")
    office.report("fit-report/")

Modules: :mod:`~huntsim.fit.logs` (one reader per format into one calls table),
:mod:`~huntsim.fit.traffic`, :mod:`~huntsim.fit.times` (talk time, patience),
:mod:`~huntsim.fit.members` (rings, schedules, pauses), :mod:`~huntsim.fit.fitting`
(the scenario), :mod:`~huntsim.fit.backtest`, :mod:`~huntsim.views.fit_report` (the report),
:mod:`~huntsim.fit.export` (a run as Asterisk logs) and :mod:`~huntsim.cli.fit`.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huntsim.fit.backtest import BackTest
    from huntsim.fit.export import EXPORT_FORMATS, export_cdr_csv, export_log, export_queue_log
    from huntsim.fit.fitting import Fit, fit
    from huntsim.fit.logs.common import LogData, LogError
    from huntsim.fit.logs.reader import FORMATS, read_log

__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "BackTest",
    "Fit",
    "LogData",
    "LogError",
    "export_cdr_csv",
    "export_log",
    "export_queue_log",
    "fit",
    "read_log",
]

_WHERE = {
    "BackTest": "huntsim.fit.backtest",
    "EXPORT_FORMATS": "huntsim.fit.export",
    "export_cdr_csv": "huntsim.fit.export",
    "export_log": "huntsim.fit.export",
    "export_queue_log": "huntsim.fit.export",
    "Fit": "huntsim.fit.fitting",
    "fit": "huntsim.fit.fitting",
    "FORMATS": "huntsim.fit.logs.reader",
    "LogData": "huntsim.fit.logs.common",
    "LogError": "huntsim.fit.logs.common",
    "read_log": "huntsim.fit.logs.reader",
}


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use (PEP 562): the command starts fast."""
    if name not in _WHERE:
        raise AttributeError(f"module 'huntsim.fit' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


class _CallablePackage(types.ModuleType):
    """Lets ``huntsim.fit(...)`` call :func:`fit` while ``huntsim.fit.*`` stays a package."""

    def __call__(self, *args: Any, **kwargs: Any) -> Fit:
        from huntsim.fit.fitting import fit as fit_log

        return fit_log(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
