"""A real Dask cluster: ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1.

The processes are started as on separate hosts (each its own command line),
``compare`` runs on them through ``--scheduler tcp://...``, and its tables
must equal a serial run's, also when a worker dies in the middle of the run;
a sweep on the cluster must equal the serial sweep.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from pandas.testing import assert_frame_equal

from huntsim import compare, sweep
from huntsim.cli.main import main
from huntsim.experiments.measure import Measurement
from huntsim.experiments.runner import CheckpointStore

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
DASK = Path(sys.executable).with_name("dask")
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def _start(arguments: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as handle:
        return subprocess.Popen([str(DASK), *arguments], stdout=handle, stderr=subprocess.STDOUT,
                                cwd=ROOT, start_new_session=True)


def _wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, timeout=f"{START_TIMEOUT_S}s") as client:
        client.wait_for_workers(count, timeout=START_TIMEOUT_S)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not DASK.exists():
        pytest.skip(f"no dask command next to {sys.executable}")
    logs = tmp_path_factory.mktemp("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _start(["scheduler", "--host", "127.0.0.1", "--port", str(port),
                        "--no-dashboard", "--no-show"], logs / "scheduler.log")
    running = Cluster(address, scheduler)
    try:
        for i in range(2):  # separate processes, as on separate hosts; no nanny, so a kill is final
            running.workers.append(_start(
                ["worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                 "--name", f"worker-{i}", "--death-timeout", str(START_TIMEOUT_S)],
                logs / f"worker-{i}.log"))
        _wait_for_workers(address, 2)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = yaml.safe_load((ROOT / "scenarios" / "real_estate.yaml").read_text())
    data["duration"] = "1w"
    path = tmp_path_factory.mktemp("office") / "office.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


POLICIES = ["regular", "uniform"]
REPLICATIONS, SEED = 4, 9


def command(scenario: Path, *extra: str) -> str:
    """What ``huntsim compare`` prints (its tables), run in this process."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["compare", str(scenario), "--policies", ",".join(POLICIES),
                     "--replications", str(REPLICATIONS), "--seed", str(SEED), "--quiet",
                     *extra]) == 0
    return printed.getvalue()


def test_compare_command_on_a_real_cluster_prints_the_serial_tables(cluster, office):
    on_cluster = command(office, "--scheduler", cluster.address)
    assert on_cluster == command(office, "--jobs", "1")
    assert "regular" in on_cluster.lower() and "uniform" in on_cluster.lower()


def test_sweep_on_a_real_cluster_equals_the_serial_sweep(cluster, office):
    grid = {"hunt_groups[0].no_answer_rings": [2, 4], "traffic": [1.0, 1.5]}
    options = {"policies": POLICIES, "replications": 2, "seed": SEED, "progress": False}
    serial = sweep(office, grid, jobs=1, **options)
    on_cluster = sweep(office, grid, scheduler=cluster.address, **options)
    assert_frame_equal(serial.table, on_cluster.table)
    assert_frame_equal(serial.raw, on_cluster.raw)


def test_a_worker_killed_mid_run_changes_nothing(cluster, office, tmp_path):
    serial = compare(office, POLICIES, replications=REPLICATIONS, seed=SEED, jobs=1)
    runs = tmp_path / "runs"
    store: CheckpointStore[Measurement] = CheckpointStore(runs, {"test": "kill"})
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(compare, office, POLICIES, replications=REPLICATIONS, seed=SEED,
                              scheduler=cluster.address, store=store)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not list(runs.glob("*.pickle")):
            assert not running.done(), running.result()
            assert time.monotonic() < deadline, "no run finished on the cluster in time"
            time.sleep(0.005)
        victim = cluster.workers[0]
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
        survived = running.result(timeout=120)
    assert len(list(runs.glob("*.pickle"))) == len(POLICIES) * REPLICATIONS
    for table in ("raw", "table", "differences", "members", "hourly", "waits"):
        assert_frame_equal(getattr(serial, table), getattr(survived, table), obj=table)
