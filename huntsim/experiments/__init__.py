"""Many runs: the runner (processes, Dask), replications, comparison, verdict, planning,
the first estimate, staffing by hour, sweeps and their grids.

The contract every experiment shares: :mod:`~huntsim.experiments.settings`
(``ExperimentSettings``: policies, replications, seed, threshold, checked in one
place) and :mod:`~huntsim.experiments.execution` (``Execution``: jobs, scheduler,
progress, store). A run: :mod:`~huntsim.experiments.seeds` gives its seed,
:mod:`~huntsim.experiments.measure` measures it, :mod:`~huntsim.experiments.gather`
runs many and gathers them into tables with intervals.

See ``docs/architecture.md`` for the layers and the import rule.
"""
