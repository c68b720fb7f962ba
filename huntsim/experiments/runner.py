"""Running many independent simulations: serially, on local processes, or on Dask.

Experiments (replications, policy comparisons, staffing sweeps) are lists of
independent tasks, each a scenario and a seed. :func:`run_tasks` runs them on
the chosen backend and returns the results in task order, so the outcome is
the same whichever backend ran it and in whatever order tasks finished.
With a :class:`CheckpointStore`, each finished task is saved as it completes
and a resumed run skips what is already done.

At scale the cost is in moving things, not in simulating, so: what all tasks
share (the ``context``, e.g. the distinct scenarios) goes to each worker once
(a process pool's initializer, a Dask broadcast), and tasks travel in batches
whose size shrinks as the work runs out (guided scheduling: few messages
early, an even finish late).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from tqdm import tqdm

from huntsim.outputs import OutputError, atomic_write

__all__ = ["CheckpointStore", "Keyed", "default_jobs", "run_tasks"]

T = TypeVar("T", bound="Keyed")
R = TypeVar("R")

MAX_BATCH = 8
"""Most tasks sent to a worker in one message."""
_CONTEXT: Any = None
"""In a pool's worker process: the context of the experiment it serves."""


class Keyed(Protocol):
    """A task: anything with a unique, file-name-safe ``key``."""

    @property
    def key(self) -> str: ...  # pragma: no cover


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class CheckpointStore(Generic[R]):
    """One file per finished task in ``directory``, written atomically.

    Parameters
    ----------
    directory : path
        Where task results go (created if missing).
    fingerprint : mapping
        What the experiment is (scenario, seeds, settings). A store made for
        another experiment is refused, so a resume never mixes two runs.
    """

    def __init__(self, directory: str | Path, fingerprint: dict[str, Any]) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(
            json.dumps(fingerprint, sort_keys=True, default=str).encode()
        ).hexdigest()
        marker = self.directory / "experiment.sha256"
        if marker.exists() and marker.read_text().strip() != digest:
            raise OutputError(
                f"directory: {str(self.directory)!r} holds tasks of a different experiment "
                "(other scenario, seed or settings); start a new output directory"
            )
        if not marker.exists():
            atomic_write(marker, lambda p: p.write_text(digest + "\n"))

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.pickle"

    def get(self, key: str) -> R | None:
        """The saved result of task ``key``, if it finished before and can be read.

        A file this version cannot read (written by an earlier huntsim whose classes
        have moved, or truncated) counts as not saved: the task runs again.
        """
        path = self._path(key)
        if not path.exists():
            return None
        try:
            with path.open("rb") as handle:
                result: R = pickle.load(handle)
        except (pickle.UnpicklingError, ImportError, AttributeError, EOFError, TypeError):
            # saved by another version of huntsim (its classes moved or changed) or cut
            # short: run the task again; same seed, same result
            return None
        return result

    def put(self, key: str, value: R) -> None:
        """Save the result of task ``key``."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write(self._path(key), lambda p: p.write_bytes(data))


def run_tasks(
    work: Callable[..., R],
    tasks: Sequence[T],
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    store: CheckpointStore[R] | None = None,
    describe: Callable[[R], int] | None = None,
    context: Any = None,
) -> list[R]:
    """Run ``work(task)`` (or ``work(task, context)``) for every task; results in task order.

    Parameters
    ----------
    work : callable
        A module-level function (it is sent to other processes).
    tasks : sequence
        Objects with a unique ``key``.
    jobs : int, optional
        Local worker processes; default all cores, 1 runs in this process.
    scheduler : str, optional
        ``"tcp://host:port"`` of a Dask scheduler, or ``"local"`` to start a
        ``LocalCluster`` with ``jobs`` workers. Needs the ``dask`` extra.
    progress : bool, optional
        Show a progress bar on stderr; default only when stderr is a terminal.
    store : CheckpointStore, optional
        Save each result as it finishes; skip tasks already saved.
    describe : callable, optional
        Calls simulated by a result, for the calls-per-second figure of the bar.
    context : object, optional
        What every task needs (e.g. the experiment's scenarios), sent to each
        worker once; ``work`` is then called as ``work(task, context)``.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Task:
    ...     key: str
    ...     n: int
    >>> def scaled(task, factor):
    ...     return task.n * factor
    >>> run_tasks(scaled, [Task("a", 2), Task("b", 3)], jobs=1, context=10)
    [20, 30]
    """
    keys = [task.key for task in tasks]
    if len(set(keys)) != len(keys):
        raise ValueError("task keys must be unique")
    results: dict[int, R] = {}
    pending: list[int] = []
    for i, task in enumerate(tasks):
        saved = store.get(task.key) if store is not None else None
        if saved is not None:
            results[i] = saved
        else:
            pending.append(i)
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=len(tasks), initial=len(results), disable=not show, file=sys.stderr,
               unit="run", dynamic_ncols=True, leave=True)
    started, calls = time.perf_counter(), 0

    def finished(i: int, value: R) -> None:
        nonlocal calls
        results[i] = value
        if store is not None:
            store.put(tasks[i].key, value)
        if describe is not None:
            calls += describe(value)
            rate = calls / max(time.perf_counter() - started, 1e-9)
            bar.set_postfix_str(f"{rate:,.0f} calls/s", refresh=False)
        bar.update(1)

    try:
        workers = jobs if jobs is not None else default_jobs()
        call = _Work(work, context is not None)
        if scheduler is not None:
            _run_dask(call, tasks, pending, scheduler, workers, finished, context)
        elif workers <= 1 or len(pending) <= 1:
            for i in pending:
                finished(i, call.one(tasks[i], context))
        else:
            _run_processes(call, tasks, pending, workers, finished, context)
    finally:
        bar.close()
    return [results[i] for i in range(len(tasks))]


class _Work(Generic[R]):
    """``work`` applied to a batch of tasks, in a worker, with or without the context."""

    def __init__(self, work: Callable[..., R], with_context: bool) -> None:
        self.work = work
        self.with_context = with_context

    def one(self, task: Any, context: Any) -> R:
        return self.work(task, context) if self.with_context else self.work(task)

    def batch(self, tasks: Sequence[Any], context: Any = None) -> list[R]:
        """Run a batch in a worker; ``context`` defaults to the pool worker's own."""
        shared = _CONTEXT if context is None else context
        return [self.one(task, shared) for task in tasks]


def _install_context(context: Any) -> None:
    """Pool initializer: keep the experiment's context in this worker process, and
    end the worker if its parent ends (killed, say) rather than wait forever."""
    global _CONTEXT
    _CONTEXT = context
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _batches(pending: Sequence[int], workers: int) -> Iterator[list[int]]:
    """``pending`` in batches of about a quarter of each worker's remaining share.

    Examples
    --------
    >>> [len(b) for b in _batches(range(40), 2)]
    [5, 5, 4, 4, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]
    """
    position = 0
    while position < len(pending):
        remaining = len(pending) - position
        size = max(1, min(MAX_BATCH, math.ceil(remaining / (4 * max(workers, 1)))))
        yield list(pending[position:position + size])
        position += size


def _run_processes(call: _Work[R], tasks: Sequence[T], pending: list[int],
                   workers: int, finished: Callable[[int, R], None], context: Any) -> None:
    # keep a bounded number of batches in flight, so results stream back and
    # are saved as they finish rather than all at the end
    pool = ProcessPoolExecutor(max_workers=min(workers, len(pending)),
                               initializer=_install_context, initargs=(context,))
    try:
        queue = _batches(pending, workers)
        running: dict[Future[list[R]], list[int]] = {}

        def submit_next() -> None:
            batch = next(queue, None)
            if batch is not None:
                running[pool.submit(call.batch, [tasks[i] for i in batch])] = batch

        for _ in range(2 * workers):
            submit_next()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                batch = running.pop(future)
                for i, value in zip(batch, future.result(), strict=True):
                    finished(i, value)
                submit_next()
    except BaseException:  # Ctrl-C, say: what finished is saved; stop at once
        pool.shutdown(wait=False, cancel_futures=True)
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()  # (rather than finish the runs in hand, then exit)
        raise
    pool.shutdown()


@contextmanager
def _dask_client(scheduler: str, workers: int) -> Iterator[Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - depends on the install
        raise OutputError(
            "scheduler: a Dask scheduler needs Dask: pip install 'huntsim[dask]'"
        ) from None
    if scheduler == "local":
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
    else:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, ValueError, TypeError) as error:
            raise OutputError(f"scheduler: cannot reach {scheduler!r}: {error} (give 'local' "
                              "or an address such as tcp://HOST:8786)") from None
        with client:
            yield client


def _run_dask(call: _Work[R], tasks: Sequence[T], pending: list[int], scheduler: str,
              workers: int, finished: Callable[[int, R], None], context: Any) -> None:
    from distributed import as_completed

    with _dask_client(scheduler, workers) as client:
        # the context once to every worker (a worker that joins later fetches it)
        # (a key of its own: two experiments' contexts are never taken for one another)
        shared = (client.scatter([context], broadcast=True, hash=False)[0]
                  if call.with_context else None)
        workers = sum(client.nthreads().values()) or workers
        futures = {
            client.submit(call.batch, [tasks[i] for i in batch], shared, pure=False): batch
            for batch in _batches(pending, workers)
        }
        for future in as_completed(futures):
            for i, value in zip(futures[future], future.result(), strict=True):
                finished(i, value)
