"""Read a PBX log of any known format into one :class:`LogData`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from huntsim.fit.logs.cdr_csv import read_cdr_csv
from huntsim.fit.logs.common import LogData, LogError
from huntsim.fit.logs.csv_map import read_csv_log
from huntsim.fit.logs.queue_log import read_queue_log

FORMATS: tuple[str, ...] = ("asterisk-queue-log", "asterisk-cdr-csv", "csv")
"""The log formats :func:`huntsim.fit.read_log` reads."""

__all__ = ["FORMATS", "read_log"]


def read_log(path: str | Path, format: str, queue: str | None = None,
             pilot: str | None = None, tz: str | None = None,
             columns: str | Path | Mapping[str, Any] | None = None) -> LogData:
    """Read a log of ``format`` into the normalised tables (see :class:`LogData`).

    Parameters
    ----------
    path : path
        The log file.
    format : str
        One of :data:`FORMATS`.
    queue, pilot : str, optional
        Which queue (queue_log) or pilot number (the others) to read.
    tz : str, optional
        The office's time zone: queue_log's epoch times and UTC times in a CDR
        (``usegmtime``) or a CSV (with a UTC offset) become its wall clock.
    columns : str, path or mapping, optional
        The column mapping of the ``csv`` format.

    Raises
    ------
    LogError
        For an unknown format, a missing file, or a log with nothing usable.
    """
    if format == "asterisk-queue-log":
        return read_queue_log(path, queue=queue or pilot, tz=tz)
    if format == "asterisk-cdr-csv":
        return read_cdr_csv(path, pilot=pilot or queue, tz=tz)
    if format == "csv":
        if columns is None:
            raise LogError("--columns: the csv format needs a column mapping "
                           "(e.g. arrival=Start,answer=Answered)")
        return read_csv_log(path, columns, pilot=pilot or queue, tz=tz)
    raise LogError(f"--format: {format!r} is not a log format; choose from {', '.join(FORMATS)}")
