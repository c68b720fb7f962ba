"""Readers of PBX logs, one module per format, all into one :class:`LogData`.

:func:`read_log` (in :mod:`~huntsim.fit.logs.reader`) picks the reader by format. The
names load on first use (PEP 562), so this face imports nothing when it runs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huntsim.fit.logs.cdr_csv import read_cdr_csv
    from huntsim.fit.logs.common import LogData, LogError, LogWarnings
    from huntsim.fit.logs.csv_map import read_csv_log
    from huntsim.fit.logs.queue_log import read_queue_log
    from huntsim.fit.logs.reader import FORMATS, read_log

__all__ = [
    "FORMATS",
    "LogData",
    "LogError",
    "LogWarnings",
    "read_cdr_csv",
    "read_csv_log",
    "read_log",
    "read_queue_log",
]

_WHERE = {
    "FORMATS": "huntsim.fit.logs.reader",
    "read_log": "huntsim.fit.logs.reader",
    "LogData": "huntsim.fit.logs.common",
    "LogError": "huntsim.fit.logs.common",
    "LogWarnings": "huntsim.fit.logs.common",
    "read_cdr_csv": "huntsim.fit.logs.cdr_csv",
    "read_csv_log": "huntsim.fit.logs.csv_map",
    "read_queue_log": "huntsim.fit.logs.queue_log",
}


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use (PEP 562)."""
    if name not in _WHERE:
        raise AttributeError(f"module 'huntsim.fit.logs' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
