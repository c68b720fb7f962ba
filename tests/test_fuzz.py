"""Fuzzed scenario input: every case is a valid scenario or field-named messages.

Hypothesis mutates the real-estate office (wrong types, out-of-range values,
deleted and unknown keys, and the product's rules broken on purpose), and
writes random text as YAML. Nothing may raise anything but ScenarioError, and
the command line must answer 0 or 2 with no traceback.
"""

from __future__ import annotations

import contextlib
import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huntsim import ScenarioError, load_scenario, simulate
from huntsim.cli.main import main

BASE = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "scenarios" / "real_estate.yaml").read_text())
BASE["duration"] = "1w"  # about 1,800 calls, so that valid mutations are also simulated (check)
MUTATIONS, TEXTS, COMMANDS = 400, 150, 60
# a message starts with where the problem is: a field path, or a quoted file name
MESSAGE = re.compile(
    r"^('.*'|[^\W\d]\w*(\[(\d+|'.*'|\".*\")\]|\.[^\W\d]\w*)*): .+", re.DOTALL)

garbage = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["-5min", "0s", "1e400h", "3 minutes", "30/h", "abc/h", "5/fortnight",
                     "999999999h", "nan", "-1", "", "∞", "1e-300s"]),
    st.lists(st.integers(-5, 5), max_size=3), st.dictionaries(st.text(max_size=4),
                                                              st.integers(), max_size=2),
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every location in a nested scenario dict."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += paths(value, (*prefix, i))
    return found


def parent_of(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def rule_breakers() -> dict[str, Any]:
    def two_groups(d):
        d["hunt_groups"].append({"pilot": "555-0999", "members": ["555-0101"]})

    def pilot_is_member(d):
        d["hunt_groups"][0]["pilot"] = "555-0103"

    def duplicate_number(d):
        d["agents"][2]["number"] = "555-0101"

    def stranger(d):
        d["hunt_groups"][0]["members"].append("555-0199")

    def unsorted_trace(d):
        d["hunt_groups"][0]["arrivals"] = {"trace": [30, 10, 20]}

    def negative_trace(d):
        d["hunt_groups"][0]["arrivals"] = {"trace": [-5, 10]}

    def empty_members(d):
        d["hunt_groups"][0]["members"] = []

    def long_warmup(d):
        d["warmup"] = "5w"  # the office runs for 4w

    def absurd_size(d):
        d["duration"] = "1000000000h"

    def bad_probability(d):
        d["agents"][0]["answer_probability"] = 1.7

    def unknown_policy(d):
        d["hunt_groups"][0]["policy"] = "round-robin"

    def huge_group(d):
        d["hunt_groups"][0]["members"] = [f"x{i}" for i in range(2000)]

    return {f.__name__: f for f in (two_groups, pilot_is_member, duplicate_number, stranger,
                                   unsorted_trace, negative_trace, empty_members, long_warmup,
                                   absurd_size, bad_probability, unknown_policy, huge_group)}


RULES = rule_breakers()


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["replace", "delete", "unknown", "rule"]))
        if action == "rule":
            rule = RULES[draw(st.sampled_from(sorted(RULES)))]
            # an earlier mutation may have removed what the rule breaks
            with contextlib.suppress(TypeError, KeyError, IndexError, AttributeError):
                rule(data)
            continue
        path = draw(st.sampled_from(paths(data)))
        parent = parent_of(data, path)
        if action == "replace":
            parent[path[-1]] = draw(garbage)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["colour", "polcy", "members2", "ring"]))] = 1
    return data


def check(data: Any) -> None:
    try:
        scenario = load_scenario(data)
    except ScenarioError as error:
        assert error.messages
        for message in error.messages:
            assert MESSAGE.match(message), message
        return
    if scenario.expected_calls() < 5_000:  # valid after all: it must also run
        simulate(scenario, seed=0)


@settings(max_examples=MUTATIONS, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_mutated_scenarios_are_valid_or_explained(data):
    check(data)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_broken_rule_is_refused(rule):
    data = copy.deepcopy(BASE)
    RULES[rule](data)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)
    assert all(MESSAGE.match(m) for m in caught.value.messages), caught.value.messages


@settings(max_examples=TEXTS, deadline=None)
@given(st.one_of(st.text(max_size=200),
                 st.sampled_from(["agents: [", "{{{", "- 1\n- 2", "duration: !!python/object:x",
                                  "\t- bad indent", "name: x\nname: y", "null", "42"])))
def test_random_text_files(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    check(path)


@settings(max_examples=COMMANDS, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(mutated())
def test_command_line_exits_0_or_2_without_traceback(tmp_path, capsys, data):
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert code in (0, 2) and "Traceback" not in err
    assert (code == 2) == bool(err.strip())


def test_unreadable_inputs(tmp_path, capsys):
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    for target in (tmp_path / "missing.yaml", tmp_path, binary):
        assert main(["validate", str(target)]) == 2
    assert "Traceback" not in capsys.readouterr().err
