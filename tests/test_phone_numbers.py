"""Phone numbers are kept exactly as written in a scenario file, or refused.

YAML 1.1 reads ``0101`` as the octal number 65, ``+15550101`` as 15550101,
``1_000`` as 1000 and ``2024-01-15`` as a date. A number in a hunt group is
text, so huntsim keeps what the file says, character for character.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import office

import huntsim
from huntsim import ScenarioError, load_scenario
from huntsim.cli.main import main

# what a person may write, unquoted or quoted, for a number in a YAML file
WRITTEN = ['"0101"', "0101", "+15550101", "5550101", "1_000", "0x1F", "555.0101", "0o17",
           "0b11", "12:30", "1.5e+3", "2024-01-15", "'+15550101'", "-0101"]


def as_text(written: str) -> str:
    """The text a quoted or unquoted YAML scalar stands for."""
    return written[1:-1] if written[0] in "'\"" else written


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "office.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def office_with_member(number: str) -> str:
    return (
        "duration: 1h\n"
        "agents:\n"
        f"  - number: {number}\n"
        "    talk_time: 60s\n"
        "  - {number: B, talk_time: 60s}\n"
        "hunt_groups:\n"
        f"  - pilot: P\n"
        f"    members: [{number}, B]\n"
        "    arrivals: {trace: [0, 10]}\n"
    )


def office_with_pilot(pilot: str) -> str:
    return (
        "duration: 1h\n"
        "agents: [{number: A, talk_time: 60s}]\n"
        f"hunt_groups: [{{pilot: {pilot}, members: [A], arrivals: {{trace: [0]}}}}]\n"
    )


@pytest.mark.parametrize("written", WRITTEN)
def test_agent_numbers_and_members_are_kept_as_written(tmp_path, written):
    scenario = load_scenario(write(tmp_path, office_with_member(written)))
    assert scenario.agents[0].number == as_text(written)
    assert scenario.hunt_groups[0].members == (as_text(written), "B")
    assert type(scenario.agents[0].number) is str


@pytest.mark.parametrize("written", WRITTEN)
def test_pilots_are_kept_as_written(tmp_path, written):
    scenario = load_scenario(write(tmp_path, office_with_pilot(written)))
    assert scenario.hunt_groups[0].pilot == as_text(written)
    assert type(scenario.hunt_groups[0].pilot) is str


def test_the_four_forms_of_issue_8_read_as_written(tmp_path, capsys):
    path = write(tmp_path, (
        "duration: 1h\n"
        "agents:\n"
        "  - {number: \"0101\", talk_time: 60s}\n"
        "  - {number: +15550101, talk_time: 60s}\n"
        "  - {number: 5550101, talk_time: 60s}\n"
        "  - {number: 0102, talk_time: 60s}\n"
        "hunt_groups:\n"
        "  - pilot: 0100\n"
        "    members: [\"0101\", +15550101, 5550101, 0102]\n"
        "    arrivals: {trace: [0, 1, 2, 3]}\n"
    ))
    scenario = load_scenario(path)
    numbers = ("0101", "+15550101", "5550101", "0102")
    assert tuple(a.number for a in scenario.agents) == numbers
    assert scenario.hunt_groups[0].members == numbers
    assert scenario.hunt_groups[0].pilot == "0100"
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().err == ""
    result = huntsim.simulate(scenario, seed=1)
    assert result.scenario.hunt_groups[0].pilot == "0100"


def test_quoted_and_unquoted_forms_of_one_number_are_the_same_number(tmp_path, capsys):
    # before, 0101 read as 65, and these were two different agents
    path = write(tmp_path, (
        "duration: 1h\n"
        "agents: [{number: \"0101\", talk_time: 60s}, {number: 0101, talk_time: 60s}]\n"
    ))
    expected = "agents[1].number: '0101' is already the number of agents[0]"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.messages == [expected]
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_other_numbers_still_read_as_numbers(tmp_path):
    path = write(tmp_path, (
        "duration: 3600\n"
        "warmup: 1_0\n"
        "ring_cycle: 6.5\n"
        "seed: 0x10\n"
        "agent_defaults: {answer_probability: 0.5, no_answer_rings: 3}\n"
        "agents:\n"
        "  - number: 0101\n"
        "    talk_time: {dist: lognormal, mean: 240, sd: 1.5e+2}\n"
        "    answer_delay: 2\n"
        "    answer_probability: 1\n"
        "    voicemail: 1\n"
        "    direct_calls: {trace: [0, 1.5, 30]}\n"
        "  - {number: 0102, talk_time: 60, wrap_up: {dist: uniform, low: 0, high: 10.5}}\n"
        "hunt_groups:\n"
        "  - pilot: 0100\n"
        "    policy: weighted\n"
        "    weights: [2, 0.5]\n"
        "    no_answer_rings: 4\n"
        "    members: [0101, 0102]\n"
        "    arrivals: {profile: [{start: 0, rate: 30/h}, {start: 1800, rate: 60/h}]}\n"
    ))
    scenario = load_scenario(path)
    first, second = scenario.agents
    assert (scenario.duration, scenario.warmup, scenario.ring_cycle) == (3600.0, 10.0, 6.5)
    assert scenario.seed == 16 and type(scenario.seed) is int
    assert (first.answer_probability, second.answer_probability) == (1.0, 0.5)
    assert (first.no_answer_rings, first.voicemail) == (3, True)
    assert type(first.no_answer_rings) is int and type(first.answer_probability) is float
    assert repr(first.talk_time) == "Lognormal(mean=240.0, sd=150.0)"
    assert first.direct_calls is not None and first.direct_calls.trace == (0.0, 1.5, 30.0)
    group = scenario.hunt_groups[0]
    assert group.weights == (2.0, 0.5) and group.no_answer_rings == 4
    assert all(type(w) is float for w in group.weights)
    assert huntsim.simulate(scenario, seed=1).scenario.seed == 16


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        ("number", 555.0101,
         'agents[0].number: 555.0101 is not a phone number; write it in quotes, "555.0101"'),
        ("number", True, "agents[0].number: True is not a phone number; write the number in "
                         "quotes"),
        ("number", None, "agents[0].number: None is not a phone number; write the number in "
                         "quotes"),
        ("pilot", 1.5, 'hunt_groups[0].pilot: 1.5 is not a phone number; write it in quotes, '
                       '"1.5"'),
        ("member", 2.0, 'hunt_groups[0].members[1]: 2.0 is not a phone number; write it in '
                        'quotes, "2.0"'),
        ("member", ["A"], "hunt_groups[0].members[1]: ['A'] is not a phone number"),
    ],
)
def test_a_mapping_with_a_number_that_is_not_text_is_refused(where, value, expected):
    data = office()
    if where == "number":
        data["agents"][0]["number"] = value
    elif where == "pilot":
        data["hunt_groups"][0]["pilot"] = value
    else:
        data["hunt_groups"][0]["members"][1] = value
    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)
    assert [m for m in caught.value.messages if expected in m], caught.value.messages
    assert len([m for m in caught.value.messages if "phone number" in m]) == 1


def test_a_mapping_may_give_a_whole_number_as_an_int():
    data = office(members=1)
    data["agents"][0]["number"] = 5550101
    data["hunt_groups"][0]["members"] = [5550101]
    data["hunt_groups"][0]["pilot"] = 100
    scenario = load_scenario(data)
    assert scenario.agents[0].number == "5550101"
    assert scenario.hunt_groups[0].members == ("5550101",)
    assert scenario.hunt_groups[0].pilot == "100"


def test_yes_in_a_file_is_not_a_number(tmp_path, capsys):
    path = write(tmp_path, "duration: 1h\nagents: [{number: yes, talk_time: 60s}]\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "agents[0].number: True is not a phone number; write the number in quotes" in err
    assert "Traceback" not in err


def test_names_are_kept_as_written(tmp_path):
    path = write(tmp_path, (
        "name: 0101\n"
        "duration: 1h\n"
        "agents: [{number: A, name: 0700, talk_time: 60s}]\n"
        "hunt_groups: [{pilot: P, name: +4420, members: [A]}]\n"
    ))
    scenario = load_scenario(path)
    assert scenario.name == "0101"
    assert scenario.agents[0].name == "0700"
    assert scenario.hunt_groups[0].name == "+4420"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("duration: 1h\nagents: [{number: 5555-13-45, talk_time: 60s}]\n", None),
        ("duration: !!int abc\nagents: [{number: A, talk_time: 60s}]\n",
         "not valid YAML at line 1, column 11"),
        ("duration: !!float abc\nagents: [{number: A, talk_time: 60s}]\n",
         "not valid YAML at line 1, column 11"),
        ("duration: 1h\nvoicemail: !!bool maybe\n", "not valid YAML at line 2, column 12"),
        ("duration: !!timestamp 2024-13-45\n", "not valid YAML at line 1, column 11"),
    ],
)
def test_odd_scalars_give_messages_not_tracebacks(tmp_path, capsys, content, expected):
    path = write(tmp_path, content)
    if expected is None:  # a date-like number is text, kept as written
        assert load_scenario(path).agents[0].number == "5555-13-45"
        return
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert expected in caught.value.messages[0], caught.value.messages
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
