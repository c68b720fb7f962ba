"""Tables for the terminal: labels with units from the metric catalog, aligned text.

Every figure goes through :mod:`huntsim.analysis.catalog`, so a rate prints as
``4.2 %``, a count as ``746``, a time as ``12.3 s`` or ``14:10 min:s``, and
``±`` is the half-width of a 95 % interval, said once under the table.
"""

from __future__ import annotations

import math
import shutil
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from huntsim.analysis.catalog import (
    AGENT_METRICS,
    AGENT_METRICS_WHEN_USED,
    CALLBACK_METRICS,
    CALLER_METRICS,
    METRICS,
    PLAN_METRICS,
    SUMMARY_METRICS_WHEN_USED,
    is_share,
    label,
    metric,
    policy_label,
    service_level_name,
    uses_callbacks,
)
from huntsim.analysis.formatting import format_column, format_interval, format_value

if TYPE_CHECKING:
    import pandas as pd

    from huntsim.experiments.planning import StaffingPlan
    from huntsim.experiments.sweeps import Sweep

__all__ = ["agents_text", "fit_text", "intervals_text", "staffing_curve_text",
           "summary_text", "sweep_table", "sweep_text", "terminal_width", "text_table"]

HEADER_WIDTH = 14
"""Header cells wider than this (and than their column) wrap onto more lines."""



def terminal_width() -> int:
    """The width of the terminal in characters (``COLUMNS`` when set; 80 when unknown)."""
    return shutil.get_terminal_size((80, 24)).columns


def _layout(header: Sequence[str], rows: Sequence[Sequence[str]], wrap: int,
            limits: Mapping[int, int] | None = None) -> list[str]:
    """The table's lines: headers wrapped at ``wrap`` (or their column); the cells and
    header of column ``i`` wrapped at ``limits[i]`` when given (such columns are
    aligned left, as the first column always is)."""
    limits = limits or {}

    def split(text: str, i: int) -> list[str]:
        limit = limits.get(i)
        if limit is None or len(text) <= limit:
            return [text]
        return textwrap.wrap(text, limit, break_long_words=False) or [""]

    cells = [[split(cell, i) for i, cell in enumerate(row)] for row in rows]
    widths = [max([len(line) for row in cells for line in row[i]] + [1])
              for i in range(len(header))]
    left = {0, *limits}
    heads = []
    for i, head in enumerate(header):
        if i in limits:
            lines = split(head, i)
        elif i == 0:
            lines = [head]
        else:
            column = max(widths[i], min(len(head), wrap))
            lines = textwrap.wrap(head, column, break_long_words=False) or [""]
        widths[i] = max(widths[i], *(len(line) for line in lines))
        heads.append(lines)

    def joined(texts: Sequence[str]) -> str:
        return "  ".join(text.ljust(widths[i]) if i in left else text.rjust(widths[i])
                         for i, text in enumerate(texts)).rstrip()

    depth = max(len(lines) for lines in heads)
    out = [joined([lines[line - (depth - len(lines))] if line >= depth - len(lines) else ""
                   for lines in heads]) for line in range(depth)]
    for row in cells:
        for line in range(max(len(c) for c in row)):
            out.append(joined([c[line] if line < len(c) else "" for c in row]))
    return out


def _longest(lines: Sequence[str]) -> int:
    return max((len(line) for line in lines), default=0)


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]],
               wrap: int = HEADER_WIDTH, width: int | None = None, keys: int = 1) -> str:
    """Rows of text as an aligned table: first column left, the others right.

    Header cells longer than their column and than ``wrap`` wrap onto more lines.
    The table is fitted to ``width`` characters (default: the terminal's,
    ``COLUMNS`` when set): headers wrap down to their columns' width, then long
    labels of the first column wrap, then the columns are printed in blocks,
    one under the other, each repeating the first ``keys`` columns. No line is
    longer than ``width``: a column that alone is too wide wraps its cells (a word
    wider than the whole width is cut, ending in ``…``).

    Examples
    --------
    >>> print(text_table(["", "a"], [["x", "1"], ["yy", "10"]]))
         a
    x    1
    yy  10
    >>> print(text_table(["", "first", "second"], [["x", "1", "2"]], width=12))
       first
    x      1
    <BLANKLINE>
       second
    x       2
    """
    width = terminal_width() if width is None else max(width, 10)
    lines = _layout(header, rows, wrap, None)
    if _longest(lines) <= width:
        return "\n".join(lines)
    longest_label = max([len(r[0]) for r in rows] + [len(header[0]), 1])
    for head_wrap in dict.fromkeys([min(wrap, HEADER_WIDTH), 10, 1]):
        lines = _layout(header, rows, head_wrap, None)
        if _longest(lines) <= width:
            return "\n".join(lines)
        rest = _longest(_layout(["", *header[1:]], [["", *r[1:]] for r in rows], head_wrap))
        room = width - rest + 1  # what the first column may take
        if room >= min(16, longest_label):
            return "\n".join(_layout(header, rows, head_wrap, {0: room}))
    label_width = min(longest_label, max(16, width * 2 // 5))

    def block(chosen: Sequence[int]) -> list[str]:
        heads, cells = [header[i] for i in chosen], [[r[i] for i in chosen] for r in rows]
        limits = {0: label_width} if keys == 1 else {}
        lines = _layout(heads, cells, 10, limits)
        if _longest(lines) > width and len(chosen) == keys + 1:  # one wide column: wrap it
            room = width - 2 - _longest(_layout(heads[:keys], [c[:keys] for c in cells], 10,
                                                limits))
            if room >= 10:
                lines = _layout(heads, cells, 10, {**limits, keys: room})
        return lines

    if len(header) <= keys + 1:
        return "\n".join(_cut(block(range(len(header))), width))
    blocks: list[list[int]] = [[]]
    for column in range(keys, len(header)):
        if blocks[-1] and _longest(block([*range(keys), *blocks[-1], column])) > width:
            blocks.append([])
        blocks[-1].append(column)
    return "\n\n".join("\n".join(_cut(block([*range(keys), *chosen]), width))
                       for chosen in blocks)


def _cut(lines: Sequence[str], width: int) -> list[str]:
    return [line if len(line) <= width else line[:width - 1] + "…" for line in lines]


def fit_text(text: str, width: int | None = None) -> str:
    """Prose fitted to ``width`` (default the terminal's): longer lines wrap at spaces,
    continuing under their first word, indented like the line. Lines that fit are kept.

    Examples
    --------
    >>> print(fit_text("  one two three four", width=12))
      one two
        three
        four
    """
    width = terminal_width() if width is None else max(width, 10)
    out = []
    for line in text.splitlines():
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[:len(line) - len(line.lstrip())]
        out.extend(textwrap.wrap(line.strip(), width, initial_indent=indent,
                                 subsequent_indent=indent + "  ", break_long_words=True,
                                 break_on_hyphens=False))
    return "\n".join(out)


def _all_zero(values: Sequence[float]) -> bool:
    return all(math.isnan(v) or v == 0 for v in values)


def summary_text(summary: pd.DataFrame, names: Mapping[str, str] | None = None) -> str:
    """A summary table (scopes as rows, metrics as columns) turned for reading.

    Metrics become rows, labelled with their units; scopes become columns,
    headed by ``names`` (e.g. ``Main line (555-0100)``). Forwarding rows are
    left out when nothing was forwarded, the caller rows when nobody
    redialled (they would repeat the call rows), and the call back rows
    (``served_rate`` included) when no caller was called back.
    """
    names = names or {}
    scopes = list(summary.index)
    redials = "attempts_per_caller" in summary and not all(
        math.isnan(v) or v <= 1 for v in summary["attempts_per_caller"].astype(float))
    callbacks = uses_callbacks(
        lambda m: float(summary[m].astype(float).max()) if m in summary else None)
    rows = []
    for column in summary.columns:
        values = [float(v) for v in summary[column]]
        if column in SUMMARY_METRICS_WHEN_USED and _all_zero(values):
            continue
        if column in CALLBACK_METRICS and not callbacks:
            continue
        if not redials and (column in CALLER_METRICS or column.startswith("first_attempt_")):
            continue
        texts = [format_value(column, v) for v in values]
        unit = metric(column).unit if column in METRICS else ""
        if column in METRICS and metric(column).kind == "ratio" and unit:
            texts = [t.removesuffix(" " + unit) for t in texts]
        rows.append([label(column), *texts])
    header = ["", *(names.get(str(s), str(s)) for s in scopes)]
    return text_table(header, rows, wrap=24)


def agents_text(agents: pd.DataFrame) -> str:
    """The agent table: one row per agent, headers with units, values without."""
    columns = [c for c in AGENT_METRICS if c in agents.columns
               and not (c in AGENT_METRICS_WHEN_USED
                        and _all_zero([float(v) for v in agents[c]]))]
    first = [str(v) for v in agents["name"]] if "name" in agents else []
    numbers = [str(v) for v in agents["agent"]]
    header = ["Agent"]
    cells: list[list[str]] = []
    for column in columns:
        head, texts = format_column(column, agents[column].tolist())
        header.append(head)
        cells.append(texts)
    rows = []
    for i, number in enumerate(numbers):
        who = f"{first[i]} ({number})" if first and first[i] != number else number
        rows.append([who, *(texts[i] for texts in cells)])
    return text_table(header, rows)


def _half(low: float, high: float) -> float | None:
    return (high - low) / 2 if not (math.isnan(low) or math.isnan(high)) else None


def intervals_text(table: pd.DataFrame, by: str, metrics: Sequence[str],
                   columns: Sequence[object] | None = None,
                   names: Mapping[object, str] | None = None) -> str:
    """Means with ``± half-width`` from an interval table: metrics as rows.

    Parameters
    ----------
    table : DataFrame
        ``<by>, metric, mean, ci_low, ci_high`` (e.g. :attr:`Comparison.table`
        of one group).
    by : str
        The column whose values become the table's columns, e.g. ``policy``.
    metrics : sequence of str
        The rows, in order; those missing from ``table`` are left out.
    columns : sequence, optional
        The values of ``by`` to show, in order (default: as they appear).
    names : mapping, optional
        Column headings for values of ``by``.
    """
    columns = list(columns) if columns is not None else list(dict.fromkeys(table[by]))
    names = names or {}
    cells = {(row[by], row["metric"]): format_interval(
        str(row["metric"]), float(row["mean"]), float(row["ci_low"]), float(row["ci_high"]))
        for _, row in table.iterrows()}
    present = set(table["metric"])
    rows = [[label(m), *(cells.get((c, m), "-") for c in columns)]
            for m in metrics if m in present]
    return text_table(["", *(names.get(c, str(c)) for c in columns)], rows, wrap=24)


def staffing_curve_text(staffing: StaffingPlan, policy: str) -> str:
    """One policy's staffing curve: per group size, each target metric and key figure.

    With sizes above the group's list, ``Added`` says how many members each size
    adds (who they are: :meth:`StaffingPlan.added_line`). Where callers are called
    back, the call back figures (:data:`CALLBACK_METRICS`) follow. The last columns say
    whether the size meets every target (``yes``: its
    whole 95 % interval does; ``mean only``: its mean does, the interval
    straddles a target) and give the Erlang figure for that size.
    """
    level = service_level_name(staffing.threshold_s)
    wanted = [t.metric for t in staffing.targets]
    rows_of = staffing.curve[staffing.curve["policy"] == policy]
    means = rows_of.groupby("metric")["mean"].max()
    callbacks = CALLBACK_METRICS if uses_callbacks(means.get) else ()
    shown = list(dict.fromkeys([*wanted, level, *PLAN_METRICS, *callbacks]))
    present = set(rows_of["metric"])
    shown = [m for m in shown if m in present]
    erlang_table = staffing.erlang
    model = staffing.estimate.model if staffing.estimate is not None else "Erlang B"
    erlang_column = ("erlang_b_blocking" if model == "Erlang B"
                     else "erlang_c_" + service_level_name(staffing.threshold_s))
    added = staffing.added
    listed = added.listed if added is not None and staffing.sizes[-1] > added.listed else None
    header = ["Members", *(["Added"] if listed is not None else []),
              *(label(m) for m in shown), "Meets targets"]
    erlang: dict[int, float] = {}
    if erlang_column in erlang_table.columns:
        erlang = dict(zip(erlang_table["members"].astype(int),
                          erlang_table[erlang_column].to_numpy(dtype=float), strict=True))
        header.append(label(erlang_column))
    rows = []
    for size in staffing.sizes:
        block = rows_of[rows_of["members"] == size]
        if not len(block):
            continue
        figures = {str(m): (float(mean), float(low), float(high)) for m, mean, low, high in
                   zip(block["metric"], block["mean"], block["ci_low"], block["ci_high"],
                       strict=True)}
        cells = [format_value(m, figures[m][0], _half(figures[m][1], figures[m][2]))
                 for m in shown]
        nan = (math.nan, math.nan, math.nan)
        by_mean = all(t.met(figures.get(t.metric, nan)[0]) for t in staffing.targets)
        whole = all(t.met(figures.get(t.metric, nan)[1]) and t.met(figures.get(t.metric, nan)[2])
                    for t in staffing.targets)
        meets = "yes" if by_mean and whole else ("mean only" if by_mean else "no")
        row = [str(size), *([f"+{size - listed}" if size > listed else "-"]
                            if listed is not None else []), *cells, meets]
        if erlang:
            row.append(format_value(erlang_column, erlang.get(size, math.nan)))
        rows.append(row)
    return text_table(header, rows)


def sweep_table(result: Sweep, group: str) -> tuple[list[str], list[list[str]]]:
    """A sweep's figures as text: one row per grid point and policy, the swept parameters
    and the policy first, then each of :meth:`Sweep.shown_metrics` headed by its label
    and unit (values without the unit; intervals clipped to the metric's range)."""
    from huntsim.experiments.sweep_conclusion import parameter_label, parameter_value

    metrics = result.shown_metrics(group)
    table = result.table[result.table["group"] == group]
    cells = {(int(point), str(policy), str(name)): (float(m), float(lo), float(hi))
             for point, policy, name, m, lo, hi in zip(
                 table["point"], table["policy"], table["metric"], table["mean"],
                 table["ci_low"], table["ci_high"], strict=True)}
    heads = []
    columns = []
    nan = (math.nan, math.nan, math.nan)
    keys = [(int(point), policy) for point in result.points["point"]
            for policy in result.policies]
    for name in metrics:
        texts = [format_interval(name, *cells.get((point, policy, name), nan))
                 for point, policy in keys]
        known = metric(name)
        if known.kind == "seconds":  # s, min:s or h:min:s by the value: the unit stays
            heads.append(known.label)
            columns.append(texts)
            continue
        head, _ = format_column(name, [])
        suffix = " %" if is_share(name) else f" {known.unit}" if known.unit else ""
        heads.append(head)
        columns.append([t.removesuffix(suffix) if suffix else t for t in texts])
    values = {p: dict(zip(result.points["point"], result.points[p], strict=True))
              for p in result.parameters}
    header = [*(parameter_label(p) for p in result.parameters), "Policy", *heads]
    rows = [[*(parameter_value(values[p][point]) for p in result.parameters),
             policy_label(policy),
             *(column[i] for column in columns)]
            for i, (point, policy) in enumerate(keys)]
    return header, rows


def sweep_text(result: Sweep, group: str, width: int | None = None) -> str:
    """:func:`sweep_table` as a terminal table, fitted to ``width``."""
    header, rows = sweep_table(result, group)
    return text_table(header, rows, wrap=30, width=width, keys=len(result.parameters) + 1)
