"""From an office's own PBX logs to a scenario: read, fit, back-test; and the reverse, export.

``huntsim.fit`` is both this package and, called, :func:`huntsim.fit.fitting.fit`:
``huntsim.fit("queue_log", format="asterisk-queue-log")`` returns a :class:`Fit`.
"""

from __future__ import annotations

from huntsim.fit.export import EXPORT_FORMATS, export_cdr_csv, export_log, export_queue_log
from huntsim.fit.logs import FORMATS

__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "export_cdr_csv",
    "export_log",
    "export_queue_log",
]
