"""Many runs: the runner (processes, Dask), replications, comparison, verdict, planning,
the first estimate, staffing by hour, sweeps and their grids.

See ``shared/reference/architecture.md`` for the layers and the import rule.
"""
