"""The result of :func:`huntsim.fit.fit`: a fitted scenario with what supports each value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from huntsim.fit.backtest import BackTest
from huntsim.fit.logs.common import LogData
from huntsim.fit.times import PatienceFit, TimeFit
from huntsim.fit.unseen import Redials
from huntsim.fit.waiting import WaitingRings
from huntsim.outputs import atomic_write, prepare_directory
from huntsim.scenario.model import Scenario

__all__ = ["Fit"]


@dataclass
class Fit:
    """A scenario fitted to a log, with what supports each value.

    Attributes
    ----------
    scenario : Scenario
        The fitted office, ready for :func:`huntsim.simulate`.
    mapping : dict
        The same as written to YAML (:meth:`to_yaml`).
    parameters : DataFrame
        ``parameter``, ``scope``, ``value``, ``low``, ``high``, ``unit``,
        ``n`` (observations) and ``source`` of each fitted value.
    settings : DataFrame
        ``setting``, ``value``, ``source`` of what the log could not tell
        (``command line``, ``--base``, ``read from the log``, ``assumed``).
    warnings : list of str
        What was skipped in the log, and doubts about the fit.
    log : LogData
        The part of the log the fit used.
    traffic : DataFrame
        Calls per hour by weekday and clock hour, with intervals.
    talk : dict of TimeFit
        Talk-time fits: ``"group"`` and each member fitted on their own.
    patience : PatienceFit or None
    answering : DataFrame or None
        Per member ring statistics (queue_log only).
    backtest : BackTest or None
        With ``holdout``: observed against simulated figures of the held-out weeks.
    fitted_backtest : BackTest or None
        Observed against simulated figures of the period fitted on (``None`` with
        ``replications=0``).
    not_in_log : DataFrame
        What the log does not show or the fit could not use (``item``, ``seen``,
        ``note``): redials, overflow to other queues, members' other queues, call waiting.
    redials : Redials or None
        The same caller again soon after an unanswered call.
    waiting : WaitingRings or None
        Which rings rang a member already on a call (call waiting; queue_log only).
    queue_logs : dict of LogData
        With ``all_queues``: the part of the log fitted for each queue, busiest first
        (:attr:`log` is the busiest queue's); empty otherwise.
    """

    scenario: Scenario
    mapping: dict[str, Any]
    parameters: pd.DataFrame
    settings: pd.DataFrame
    warnings: list[str]
    log: LogData
    traffic: pd.DataFrame
    talk: dict[str, TimeFit]
    patience: PatienceFit | None
    answering: pd.DataFrame | None
    source: str = ""
    backtest: BackTest | None = None
    away: dict[str, dict[str, Any]] = field(default_factory=dict)
    fitted_backtest: BackTest | None = None
    not_in_log: pd.DataFrame = field(default_factory=pd.DataFrame)
    redials: Redials | None = None
    waiting: WaitingRings | None = None
    queue_logs: dict[str, LogData] = field(default_factory=dict)

    @property
    def period(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The period fitted: the log's, or from the first to the last day of any queue
        fitted (``all_queues``)."""
        logs = list(self.queue_logs.values()) or [self.log]
        return min(log.start for log in logs), max(log.end for log in logs)

    def calls_fitted(self) -> str:
        """How many calls the fit read, in words: ``"6092 calls"``, or with ``all_queues``
        ``"7592 calls in 3 queues (510: 4433, 500: 2000, 520: 1159)"`` (a call passed on
        from one queue to another counts in each queue, once in the total)."""
        if len(self.queue_logs) < 2:
            return f"{len(self.log.calls)} calls"
        ids = [log.calls["call_id"].astype(str) for log in self.queue_logs.values()]
        total = len(set().union(*map(set, ids)))
        each = ", ".join(f"{q}: {len(log.calls)}" for q, log in self.queue_logs.items())
        both = sum(map(len, ids)) - total
        again = f"; {both} entered more than one queue" if both else ""
        return f"{total} calls in {len(self.queue_logs)} queues ({each}{again})"

    @property
    def backtests(self) -> list[BackTest]:
        """The back-tests made: the period fitted on, then the held-out weeks."""
        return [bt for bt in (self.fitted_backtest, self.backtest) if bt is not None]

    def alarms(self) -> list[str]:
        """Figures of the log that the fitted office misses by far more than chance
        (outside their family-wise interval; see :mod:`huntsim.fit.backtest`)."""
        return [line for bt in self.backtests for line in bt.alarm_lines()]

    def to_yaml(self) -> str:
        """The fitted scenario as YAML text (``huntsim validate`` accepts it)."""
        start, end = self.period
        head = (f"# Fitted by huntsim from {self.source} ({self.log.format}, "
                f"{self.calls_fitted()}, {start:%Y-%m-%d} to {end:%Y-%m-%d}).\n"
                "# Values not in the log (see the fit report's settings):\n"
                + "".join(f"#   {s}: {v} ({src})\n" for s, v, src in
                          self.settings.itertuples(index=False)))
        return head + yaml.dump(self.mapping, Dumper=_PlainDumper, sort_keys=False, width=100,
                                default_flow_style=None, allow_unicode=True)

    def write(self, path: str | Path) -> Path:
        """Write :meth:`to_yaml` to ``path``."""
        text = self.to_yaml()
        return atomic_write(Path(path), lambda p: p.write_text(text, encoding="utf-8"))

    def report(self, out_dir: str | Path, force: bool = True) -> Path:
        """Write ``report.html`` (self-contained) and the tables into ``out_dir``."""
        from huntsim.views.fit_report import write_fit_report

        written: Path = write_fit_report(self, prepare_directory(out_dir, force))
        return written


class _PlainDumper(yaml.SafeDumper):
    """The safe dumper, writing a value shared by several members out each time (no anchors)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True
