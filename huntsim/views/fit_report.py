"""The fit report: one self-contained ``report.html`` (figures inline) and its tables.

Same look as huntsim's other reports (the page kit :mod:`huntsim.views.html`): what was read,
what was assumed, every fitted value with its interval, the figures behind the
choices, and the back-test with what falls outside flagged.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from huntsim.fit.patience import AIC_MARGIN
from huntsim.fit.traffic import WEEKDAYS
from huntsim.outputs import atomic_write
from huntsim.views.html import (
    img,
    items,
    new_figure,
    page,
    png,
    warnings_section,
    write_csv,
)

if TYPE_CHECKING:
    from huntsim.fit.backtest import BackTest
    from huntsim.fit.fitting import Fit
    from huntsim.fit.times import PatienceFit

__all__ = ["p_value_text", "write_fit_report"]


_HEADERS: dict[str, str] = {
    "parameter": "Figure", "figure": "Figure", "scope": "Scope", "value": "Value",
    "low": "95 % low", "high": "95 % high", "unit": "Unit", "n": "Observations",
    "source": "Source", "setting": "Setting", "family": "Family", "aic": "AIC",
    "ks_stat": "Kolmogorov-Smirnov distance", "ks_p": "Kolmogorov-Smirnov p-value",
    "mean": "Mean", "sd": "Standard deviation", "median": "Median",
    "agent": "Member", "rings": "Rings", "answered": "Answered", "rang_out": "Rang out",
    "cut_short": "Cut short (answered elsewhere or hung up)",
    "p": "Chance of answering", "p_low": "95 % low", "p_high": "95 % high",
    "delay_mean": "Mean pick-up delay (s)", "delay_low": "95 % low (s)",
    "delay_high": "95 % high (s)", "pooled": "Pooled (few rings)",
    "observed": "Observed", "flag": "Outside the interval", "loglik": "Log-likelihood",
    "params": "Parameters",
}
"""Column names of the fit's tables as the report heads them (the CSV files keep the names)."""

_P_VALUES = ("ks_p",)


def p_value_text(p: float) -> str:
    """A p-value in words: ``< 0.001`` below one in a thousand, else three decimals.

    >>> p_value_text(7.2e-23), p_value_text(0.0423), p_value_text(float("nan"))
    ('< 0.001', '0.042', '-')
    """
    if not np.isfinite(p):
        return "-"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _heading(column: str) -> str:
    return _HEADERS.get(column, column.replace("_", " ").capitalize())


def _table(frame: pd.DataFrame) -> str:
    shown = frame.copy()
    for column in _P_VALUES:
        if column in shown:
            shown[column] = [p_value_text(float(v)) for v in shown[column]]
    shown.columns = [_heading(str(c)) for c in shown.columns]
    return shown.to_html(index=False, border=0, na_rep="-",
                         float_format=lambda v: f"{v:.4g}")


def _traffic_figure(traffic: pd.DataFrame) -> Figure:
    fig, ax = new_figure()
    grid = traffic.pivot(index="weekday", columns="hour", values="rate_per_h").to_numpy()
    cmap = matplotlib.colormaps["Blues"].with_extremes(bad="#eeeeee")  # weekdays not in the log
    image = ax.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap=cmap)
    ax.set_yticks(range(7), [d.capitalize() for d in WEEKDAYS])
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    ax.set_xlabel("clock hour")
    fig.colorbar(image, ax=ax, label="calls per hour")
    title = "Pilot calls per hour, by weekday and clock hour"
    if traffic["rate_per_h"].isna().any():
        title += " (grey: not in the log)"
    ax.set_title(title, fontsize="medium")
    return fig


def _talk_figure(fitted: Fit) -> Figure:
    from scipy import stats

    fig, ax = new_figure()
    talk = fitted.talk["group"]
    values = talk.values
    top = float(np.quantile(values, 0.99))
    ax.hist(values[values <= top], bins=50, density=True, color="#9ecae1",
            label=f"observed ({talk.n} calls)")
    x = np.linspace(0.5, top, 300)
    for family, aic, mean, sd in zip(talk.candidates["family"], talk.candidates["aic"],
                                     talk.candidates["mean"].astype(float),
                                     talk.candidates["sd"].astype(float), strict=True):
        if family == "exponential":
            pdf = stats.expon(scale=mean).pdf(x)
        elif family == "lognormal":
            s2 = np.log1p((sd / mean) ** 2)
            pdf = stats.lognorm(s=np.sqrt(s2), scale=mean / np.sqrt(1 + (sd / mean) ** 2)).pdf(x)
        else:
            pdf = stats.gamma((mean / sd) ** 2, scale=sd**2 / mean).pdf(x)
        ax.plot(x, pdf, label=f"{family} (AIC {aic:.0f})")
    ax.set_xlabel("talk time, s")
    ax.set_ylabel("density")
    ax.legend(fontsize="small")
    ax.set_title(f"Talk time: {talk.chosen} chosen", fontsize="medium")
    return fig


def _patience_figure(fitted: Fit) -> Figure:
    fig, ax = new_figure()
    patience = fitted.patience
    assert patience is not None
    km = patience.km
    ax.step(np.r_[0, km["time"]], np.r_[1, km["survival"]], where="post", color="#333333",
            label="Kaplan-Meier (answered callers censored)")
    upper = float(km["time"].max()) if len(km) else 60.0
    x = np.linspace(0, max(upper, patience.median) * 1.2, 300)
    if patience.survival is not None:
        ax.plot(x, patience.survival(np.maximum(x, 1e-9)), color="#d6604d",
                label=f"{patience.chosen} fit (mean {patience.mean:.0f} s)")
    ax.axvline(patience.longest, color="#999999", linestyle=":", label="longest wait seen")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("time waiting, s")
    ax.set_ylabel("share of callers still waiting")
    ax.legend(fontsize="small")
    ax.set_title("Caller patience", fontsize="medium")
    return fig


_ROUNDING = {"nearest": "whole seconds, each the second around the true wait",
             "floor": "whole seconds, each the true wait cut down", "none": "exact times"}


def _patience_seen(p: PatienceFit) -> str:
    """What the log identifies about patience, and how much of the mean is extrapolated."""
    tail = (" <strong>The mean is an extrapolation of the family's tail, not a measured "
            "value.</strong>" if p.extrapolated else "")
    return (f"<p>The log shows patience only up to the longest wait, {p.longest:.0f} s (the "
            f"curve below); counted up to {p.horizon:.0f} s (a wait 5 % of the callers "
            f"reached), mean patience is {p.restricted_mean:.0f} s "
            f"({p.restricted_low:.0f}-{p.restricted_high:.0f} s, no family needed). "
            f"{p.tail_s:.0f} s of the fitted mean ({p.beyond_share:.0%}) comes from the "
            f"family's curve beyond the longest wait, which no wait shows.{tail} "
            "Waits read "
            f"as {_ROUNDING.get(p.rounding, p.rounding)}; a two-parameter family replaces the "
            f"exponential only when its AIC is at least {AIC_MARGIN:g} lower.</p>")


def _backtest_figure(bt: BackTest) -> Figure:
    fig, ax = new_figure()
    table = bt.table
    rows = table[(table["figure"] == "calls") & (table["scope"] != "pilot")
                 & table["inside"].notna()]
    x = np.arange(len(rows))
    ax.bar(x, rows["mean"], color="#c6dbef", label="simulated mean")
    ax.errorbar(x, rows["mean"], yerr=[rows["mean"] - rows["low"], rows["high"] - rows["mean"]],
                fmt="none", ecolor="#3182bd", capsize=3, label="95 % prediction interval")
    colours = ["#333333" if bool(i) else "#d6604d" for i in rows["inside"]]
    ax.scatter(x, rows["observed"], color=colours, zorder=3, label="observed")
    ax.set_xticks(x, rows["scope"], rotation=45)
    ax.set_ylabel(f"calls in the {bt.period} period")
    ax.legend(fontsize="small")
    ax.set_title(f"Back-test of the {bt.period} period: calls by clock hour", fontsize="medium")
    return fig


def _alarm_section(fitted: Fit) -> str:
    """The back-test's alarms, first thing on the page; empty without any."""
    alarms = fitted.alarms()
    if not alarms:
        return ""
    return ("<div style='background:#fde0dd;border-left:6px solid #c0392b;padding:0.6em 1em;"
            "margin:1em 0'><h2 style='color:#c0392b;margin-top:0'>Warning: the fitted office "
            "does not reproduce the log</h2><p>Do not trust its what-ifs before you find out "
            "why (the policy? the time-outs? what is not in the log?). Figures far outside "
            f"their intervals:</p><ul>{items(alarms)}</ul></div>")


def write_fit_report(fitted: Fit, out: Path) -> Path:
    """Write ``report.html`` and ``parameters.csv``, ``settings.csv``, ``traffic.csv``
    (and ``backtest.csv``) into ``out``; return the report's path."""
    for name, table in (("parameters", fitted.parameters), ("settings", fitted.settings),
                        ("traffic", fitted.traffic)):
        write_csv(table, out / f"{name}.csv")
    log = fitted.log
    pilot = log.calls[log.calls["kind"] == "pilot"]
    start, end = fitted.period
    calls = (html.escape(fitted.calls_fitted()) if len(fitted.queue_logs) > 1 else
             f"{len(pilot)} pilot calls to "
             f"{html.escape(fitted.scenario.hunt_groups[0].pilot)}")
    headline = (f"<p class='headline'>{calls} from {start:%Y-%m-%d} to {end:%Y-%m-%d} "
                f"({html.escape(log.format)}), {len(fitted.scenario.agents)} members")
    for bt in fitted.backtests:
        headline += (f"; back-test of the {bt.period} period ({bt.start:%Y-%m-%d} to "
                     f"{bt.end:%Y-%m-%d}): {bt.share_inside:.0%} of the figures inside the "
                     "simulation's 95 % intervals")
    sections = [_alarm_section(fitted), headline + ".</p>"]
    if len(fitted.not_in_log):
        sections.append("<h2>Not in the log: what the fit could not see</h2><p class='note'>"
                        "Counts where the log shows them; '-' where this log cannot tell."
                        "</p>" + _table(fitted.not_in_log))
    sections += ["<h2>Not in the log: taken as given or assumed</h2>"
                "<p class='note'>A log cannot tell these; check them before trusting a "
                "what-if (command line wins over --base, --base over the log, the log over "
                "an assumption).</p>" + _table(fitted.settings),
                warnings_section(fitted.warnings),
                "<h2>Fitted values</h2><p class='note'>Each with its 95 % interval; "
                "rates from arrivals (answered or not).</p>" + _table(fitted.parameters),
                "<h2>Traffic</h2>" + img(png(_traffic_figure(fitted.traffic)),
                                          "Calls per hour by weekday and clock hour"),
                "<h2>Talk time</h2><p class='note'>Families by AIC; the chosen one must pass "
                "a Kolmogorov-Smirnov test at 1 %, else the empirical distribution is "
                "used (a p-value below 0.01 fails the test).</p>"
                + _table(fitted.talk["group"].candidates)
                + img(png(_talk_figure(fitted)), "Talk time: observed and fitted")]
    if fitted.patience is not None:
        p = fitted.patience
        sections.append(
            "<h2>Caller patience</h2>"
            f"<p>{p.events} callers hung up, {p.censored} were answered or sent on before "
            f"their patience ran out (censored). Mean patience {p.mean:.0f} s "
            f"({p.low:.0f}-{p.high:.0f} s), median {p.median:.0f} s; the abandoned "
            f"callers' own waits average {p.naive_mean:.0f} s, which is what ignoring the "
            "censoring would have given.</p>" + _patience_seen(p) + _table(p.candidates)
            + img(png(_patience_figure(fitted)), "Kaplan-Meier and fitted survival"))
    if fitted.answering is not None:
        table = fitted.answering.drop(columns=["delay_spec"], errors="ignore")
        sections.append("<h2>Members' rings</h2><p class='note'>p: chance of answering a "
                        "ring before the time-out (Kaplan-Meier; rings cut short are "
                        "censored).</p>" + _table(table))
    for bt in fitted.backtests:
        bt_table = bt.table.dropna(subset=["inside"])
        write_csv(bt_table, out / ("backtest.csv" if bt.period == "held-out"
                                   else f"backtest_{bt.period}.csv"))
        flag = np.where(bt_table["alarm"].astype(bool), "FAR OUTSIDE",
                        np.where(bt_table["inside"].astype(bool), "", "OUTSIDE"))
        sections.append(
            f"<h2>Back-test of the {bt.period} period</h2><p class='note'>The fitted office "
            f"simulated over the {bt.period} period ({bt.start:%Y-%m-%d} to "
            f"{bt.end:%Y-%m-%d}) {bt.replications} times; the interval is where the log's "
            "figure falls 95 % of the time if the fitted office is right (the replications' "
            "spread, or the log's own binomial or Poisson error where larger). Expect about "
            "one figure in twenty outside by chance; FAR OUTSIDE is beyond the family-wise "
            "interval, which chance alone rarely passes.</p>"
            + _table(bt_table.assign(flag=flag).drop(columns=["inside", "alarm"]))
            + img(png(_backtest_figure(bt)), "Observed calls by hour against the simulation"))
    sections.append("<h2>The fitted scenario</h2><pre>"
                    + html.escape(fitted.to_yaml()) + "</pre>")
    text = page(f"Fit of {fitted.source}", sections)
    return atomic_write(out / "report.html", lambda p: p.write_text(text, encoding="utf-8"))
