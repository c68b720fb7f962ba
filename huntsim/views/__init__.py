"""What people read: terminal tables, Jupyter HTML, figures, the HTML page kit, reports
(compare, plan, sweep, fit) and the scenario reference.

See ``docs/architecture.md`` for the layers and the import rule.
"""
