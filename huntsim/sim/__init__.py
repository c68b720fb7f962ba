"""One run: clock (``clock``) and same-instant order (``events``), streams and seeds,
policies, the engine (transitions) with its state records (``state``) and the
collaborators only a scenario that uses them builds (``presence``, ``ringing``,
``queueing``, ``redials``), records, running totals, ``simulate`` and ``Result``.

See ``docs/architecture.md`` for the layers and the import rule.
"""
