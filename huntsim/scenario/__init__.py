"""The validated office: units, distributions, arrivals, calendar, blocks of agents,
routing settings, the model and its loading. The lowest layer: it imports nothing above it.

See ``docs/architecture.md`` for the layers and the import rule.
"""
