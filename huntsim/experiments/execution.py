"""How an experiment's runs execute: :class:`Execution` (jobs, scheduler, progress, store).

``replicate``, ``compare``, ``plan`` and ``sweep`` take the same four keywords
and hand them, unchanged, to :func:`~huntsim.experiments.runner.run_tasks`; an
:class:`Execution` carries them as one value, so that none of the four repeats
the plumbing. None of them changes what is computed: the same tasks give the
same tables on every backend, in any order of completion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from huntsim.experiments.measure import Measurement
from huntsim.experiments.runner import CheckpointStore

__all__ = ["Execution"]


@dataclass(frozen=True)
class Execution:
    """Where and how an experiment's runs execute; see :func:`~.runner.run_tasks`.

    Attributes
    ----------
    jobs : int, optional
        Local worker processes; default all cores, 1 runs in this process.
    scheduler : str, optional
        ``"tcp://host:port"`` of a Dask scheduler, or ``"local"``.
    progress : bool, optional
        Show a progress bar on stderr; default only when stderr is a terminal.
    store : CheckpointStore, optional
        Save each run's measurement as it finishes; skip runs already saved.

    Examples
    --------
    >>> Execution(jobs=1).keywords()
    {'jobs': 1, 'scheduler': None, 'progress': None, 'store': None}
    """

    jobs: int | None = None
    scheduler: str | None = None
    progress: bool | None = None
    store: CheckpointStore[Measurement] | None = None

    def keywords(self) -> dict[str, Any]:
        """The four settings as the keyword arguments of the experiment functions."""
        return {"jobs": self.jobs, "scheduler": self.scheduler, "progress": self.progress,
                "store": self.store}
