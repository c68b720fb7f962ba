"""Readers of PBX logs, one module per format, all into one :class:`LogData`."""

from __future__ import annotations

FORMATS: tuple[str, ...] = ("asterisk-queue-log", "asterisk-cdr-csv", "csv")
"""The log formats :func:`huntsim.fit.read_log` reads."""

__all__ = ["FORMATS"]
