"""Planning targets: ``metric<=value`` texts, parsed and checked against the catalog."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

from huntsim.analysis.catalog import TARGET_METRICS, in_words, service_level_name, suggest
from huntsim.analysis.catalog import metric as catalog_metric
from huntsim.errors import ScenarioError
from huntsim.scenario.units import parse_duration

__all__ = ["DEFAULT_THRESHOLD_S", "KNOWN_METRICS", "Target", "metric_label", "parse_target",
           "threshold_of"]

DEFAULT_THRESHOLD_S = 20.0
"""Service-level threshold of a plan whose targets and arguments name none, seconds."""


_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt,
}


_TARGET = re.compile(
    r"^\s*([a-z_0-9.]+)\s*(<=|>=|<|>)\s*([-+]?[0-9]*\.?[0-9]+)\s*(%|[a-z]+)?\s*$")


_LEVEL = re.compile(r"^service_level(?:_([0-9]+(?:\.[0-9]*)?|\.[0-9]+)s)?$")


KNOWN_METRICS = TARGET_METRICS
"""The metrics a target may name, besides ``service_level`` and ``service_level_<T>s``."""


@dataclass(frozen=True)
class Target:
    """A requirement such as ``voicemail_rate <= 0.05``.

    ``metric`` ``service_level`` (no threshold of its own) stands for the
    service level at the plan's threshold; :func:`plan` replaces it with e.g.
    ``service_level_20s``.
    """

    metric: str
    operator: str
    value: float

    def met(self, observed: float) -> bool:
        """Whether an observed value meets the target (NaN never does)."""
        return not math.isnan(observed) and _COMPARISONS[self.operator](observed, self.value)

    def __str__(self) -> str:
        return f"{self.metric} {self.operator} {self.value:g}"

    def text(self) -> str:
        """The target in words and units, for sentences: ``voicemail <= 5 %``,
        ``mean wait <= 10 s`` (``str()`` gives the metric's name).

        Examples
        --------
        >>> parse_target("voicemail_rate<=0.05").text()
        'voicemail <= 5 %'
        >>> parse_target("service_level_20s>=0.8").text()
        'answered within 20 s >= 80 %'
        """
        name = "service level" if self.metric == "service_level" else in_words(self.metric)
        return f"{name} {self.operator} {_target_value(self.metric, self.value)}"

    def label_text(self) -> str:
        """The target as people read it: the catalog's label, e.g. ``Voicemail <= 5 %``.

        Examples
        --------
        >>> parse_target("mean_wait_s<=4s").label_text()
        'Mean wait to answer <= 4 s'
        """
        value = _target_value(self.metric, self.value)
        return f"{metric_label(self.metric)} {self.operator} {value}"


def metric_label(metric_name: str) -> str:
    """The catalog's label of a metric (``service_level`` alone: its name)."""
    try:
        return catalog_metric(metric_name).label
    except ValueError:
        return metric_name


def _kind(metric_name: str) -> str:
    return "rate" if metric_name == "service_level" else catalog_metric(metric_name).kind


def _target_value(metric_name: str, value: float) -> str:
    kind = _kind(metric_name)
    if kind == "rate":
        return f"{100 * value:.10g} %"
    if kind == "seconds":
        return f"{value:.10g} s"
    return f"{value:g}"


def parse_target(text: str, name: str = "target") -> Target:
    """Read a target such as ``'voicemail_rate<=5%'`` or ``'mean_wait_s<=10s'``.

    Rates are written as fractions (``0.05``) or in % (``5%``), times in
    seconds or with a unit (``10s``, ``2min``); ``service_level`` alone is the
    service level within the plan's threshold.

    Parameters
    ----------
    text : str
        The target.
    name : str
        What to call it in an error message, e.g. ``targets[1]``.

    Raises
    ------
    ScenarioError
        ``<name>: ...``, saying what is wrong with the target; an unknown
        metric gets a "did you mean" from :mod:`huntsim.analysis.catalog`.

    Examples
    --------
    >>> str(parse_target("Service_Level_20.0s >= .8"))
    'service_level_20s >= 0.8'
    >>> parse_target("voicemail_rate<=5%")
    Target(metric='voicemail_rate', operator='<=', value=0.05)
    >>> parse_target("mean_wait_s <= 2min").value
    120.0
    """
    match = _TARGET.match(text.lower())
    if match is None:
        raise ScenarioError([f"{name}: {text!r} is not a target; write e.g. "
                             "'voicemail_rate<=5%', 'mean_wait_s<=10s' or "
                             "'service_level_20s>=80%'"])
    metric_name, op, number, unit = match.groups()
    level = _LEVEL.match(metric_name)
    if metric_name not in KNOWN_METRICS and not level:
        choices = [*KNOWN_METRICS, "service_level", "service_level_<T>s"]
        raise ScenarioError([f"{name}: {metric_name!r} is not a metric; "
                             f"{suggest(metric_name, choices)}"])
    if level and level.group(1) is not None:
        threshold = float(level.group(1))
        if not threshold > 0:
            raise ScenarioError([f"{name}: {metric_name!r}: a service-level threshold must be "
                                 "longer than 0 s"])
        metric_name = service_level_name(threshold)  # one spelling: service_level_20s
    value = _target_number(name, text, metric_name, float(number), unit)
    return Target(metric_name, op, value)


def _target_number(name: str, text: str, metric_name: str, number: float,
                   unit: str | None) -> float:
    """The target's value in the metric's own units (fractions, seconds)."""
    kind = _kind(metric_name)
    if kind == "rate":
        if unit == "%":
            if not 0 <= number <= 100:
                raise ScenarioError([f"{name}: {text!r}: {metric_name} is a share of calls, "
                                     f"between 0 % and 100 %, not {number:g} %"])
            return number / 100
        if unit is not None:
            raise ScenarioError([f"{name}: {text!r}: {metric_name} is a share of calls; "
                                 f"write it in % or as a fraction, not in {unit!r}"])
        if not 0 <= number <= 1:
            raise ScenarioError([f"{name}: {text!r}: {metric_name} is a share between 0 and 1; "
                                 f"write {number:g}% or {number / 100:g}"])
        return number
    if kind == "seconds":
        if unit is None or unit == "%":
            if unit == "%":
                raise ScenarioError([f"{name}: {text!r}: {metric_name} is a time; write it "
                                     "in s, min or h, not in %"])
            return number
        try:
            return parse_duration(f"{number:g}{unit}")
        except ValueError:
            raise ScenarioError([f"{name}: {text!r}: {unit!r} is not a unit of time; write "
                                 "e.g. 10s or 2min"]) from None
    if unit is not None:
        raise ScenarioError([f"{name}: {text!r}: {metric_name} has no unit; write a plain "
                             "number"])
    return number


def threshold_of(metric: str) -> float | None:
    """The threshold a service-level metric names (``None``: none, or not a service level)."""
    level = _LEVEL.match(metric)
    return float(level.group(1)) if level and level.group(1) is not None else None
