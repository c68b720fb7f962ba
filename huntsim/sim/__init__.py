"""One run: clock and same-instant order, streams and seeds, policies, presence, the
engine with its state records, records, running totals, ``simulate`` and ``Result``.

See ``shared/reference/architecture.md`` for the layers and the import rule.
"""
