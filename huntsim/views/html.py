"""The one HTML page kit of huntsim's reports: page shell, style sheet, figures, tables.

Every report (:mod:`~huntsim.views.report`, :mod:`~huntsim.views.sweep_report`,
:mod:`~huntsim.views.fit_report`) is one self-contained page built here: its
style inline, its figures embedded as base64 PNG, so that it opens in a browser
with no network and no other files. The Jupyter views of
:mod:`~huntsim.views.display` use the same rules, scoped to their own ``<div>``
so that they leave the notebook's own look alone.

Matplotlib is imported only for type checking: figures are made by the callers.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from huntsim.outputs import atomic_write

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "SCOPE",
    "STYLE",
    "figure_img",
    "img",
    "items",
    "new_figure",
    "page",
    "paragraphs",
    "png",
    "save_figures",
    "scoped_style",
    "table_html",
    "warnings_section",
    "write_csv",
]

_PAGE_RULES: tuple[tuple[str, str], ...] = (
    ("body", "font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; "
             "color: #222;"),
    ("h1", "font-size: 1.6em;"),
    ("h2", "margin-top: 2em; border-bottom: 1px solid #ddd;"),
    (".headline", "font-size: 1.2em; background: #eef6f5; padding: 0.8em 1em; "
                  "border-radius: 6px;"),
    ("figure", "margin: 1em 0;"),
    ("img", "max-width: 100%;"),
    (".warnings", "background: #fff4e5; border-left: 4px solid #e9a23b; "
                  "padding: 0.6em 1em 0.6em 2em;"),
    ("details", "margin: 0.8em 0;"),
    ("summary", "cursor: pointer; color: #245;"),
    ("figcaption", "max-width: 900px;"),
)
"""Rules of a whole page only (a notebook keeps its own)."""

_TABLE_RULES: tuple[tuple[str, str], ...] = (
    ("table", "border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em;"),
    ("th, td", "border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right;"),
    ("th", "background: #f4f4f4;"),
    (".note", "color: #555; font-size: 0.9em;"),
    ("table.decision td", "text-align: center;"),
    ("table.decision small", "color: #555;"),
    ("td.better", "background: #e3f4ee;"),
    ("td.worse", "background: #fbe7e4;"),
    ("td.best", "font-weight: bold;"),
    (".same", "color: #666;"),
    ("tr:has(b) th", "background: #d9efe9;"),
)
"""Rules of tables, notes and judgements: pages and Jupyter views alike."""

SCOPE = "huntsim-view"
"""The class of the ``<div>`` that holds a Jupyter view."""


def _sheet(rules: Iterable[tuple[str, str]], scope: str | None = None) -> str:
    lines = []
    for selector, declarations in rules:
        if scope is not None:
            selector = ", ".join(f".{scope} {part.strip()}" for part in selector.split(","))
        lines.append(f"{selector} {{ {declarations} }}")
    return "\n".join(lines)


STYLE = _sheet((*_PAGE_RULES, *_TABLE_RULES))
"""The style sheet of every report page."""


def scoped_style(scope: str = SCOPE) -> str:
    """The table rules of :data:`STYLE` as a ``<style>`` element for one ``<div class=scope>``.

    Examples
    --------
    >>> scoped_style().splitlines()[1]
    '.huntsim-view table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }'
    """
    return f"<style>\n{_sheet(_TABLE_RULES, scope)}\n</style>"


def page(title: str, sections: Sequence[str]) -> str:
    """A whole HTML page: ``title`` as its title and heading, the sections, a footer note."""
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{html.escape(title)}</h1>{''.join(sections)}"
            "<p class='note'>Made by huntsim. Intervals are 95 % Student-t intervals over "
            "independent replications.</p></body></html>")


def new_figure(width: float = 7.5, height: float = 4.0) -> tuple[Figure, Axes]:
    """A figure with one Axes, outside pyplot: nothing leaks into a notebook's figures."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.add_subplot()


def png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes, cropped to what is drawn."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def _data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def img(data: bytes, caption: str) -> str:
    """A PNG as an inline ``<figure>`` with its caption (also its ``alt`` text)."""
    return (f'<figure><img alt="{html.escape(caption)}" src="{_data_uri(data)}">'
            f"<figcaption class='note'>{html.escape(caption)}</figcaption></figure>")


def figure_img(fig: Figure, alt: str, dpi: int = 100) -> str:
    """An ``<img>`` tag holding the figure as an inline PNG (no caption, no file)."""
    return f'<img alt="{html.escape(alt)}" src="{_data_uri(png(fig, dpi))}">'


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def save_figures(figures: dict[str, Figure], out: Path) -> dict[str, bytes]:
    """Write each figure as ``<name>.png`` into ``out``; the PNG bytes by name."""
    images = {}
    for name, fig in figures.items():
        data = png(fig)
        atomic_write(out / f"{name}.png", partial(_write_bytes, data=data))
        images[name] = data
    return images


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """Write a table as CSV without its index, atomically."""
    atomic_write(path, lambda p: table.to_csv(p, index=False))


def table_html(frame: pd.DataFrame, index: bool = False) -> str:
    """A DataFrame as an HTML table in the page's style (no border attribute)."""
    return frame.to_html(index=index, border=0)


def paragraphs(lines: Iterable[str]) -> str:
    """Each line of text as its own ``<p>``, escaped."""
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def items(lines: Iterable[str]) -> str:
    """Each line of text as an ``<li>``, escaped (the caller writes the list around them)."""
    return "".join(f"<li>{html.escape(line)}</li>" for line in lines)


def warnings_section(warnings: Sequence[str]) -> str:
    """The runs' warnings as an HTML section; empty when there are none."""
    if not warnings:
        return ""
    return ("<h2>Warnings</h2><p class='note'>Read the figures below with these in mind."
            f"</p><ul class='warnings'>{items(warnings)}</ul>")
