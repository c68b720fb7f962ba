"""The ``huntsim`` command: one module per command family, plus what they share.

See ``docs/architecture.md`` for the layers and the import rule.
"""
