"""Tables in, tables out: the one catalog of names, formatting of values, metrics,
intervals, theory and flows. Imports only :mod:`huntsim.scenario`.

See ``docs/architecture.md`` for the layers and the import rule.
"""
