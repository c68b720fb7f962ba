"""The prose and the examples of the scenario reference (:mod:`huntsim.views.reference`).

The meaning of each key lives in its model's docstring; what is here is what a
model cannot say: an example of each key as a file writes it, the written
forms shared by many keys, and how ``plan`` adds members.
"""

from __future__ import annotations

__all__ = ["EXAMPLES", "FORMS", "OVERVIEW", "PLAN", "REGENERATE", "REGENERATE_SCHEMA",
           "TYPE_NOTES"]

REGENERATE = ".venv/bin/python -m huntsim.views.reference > docs/scenario-reference.md"
"""The command that writes ``docs/scenario-reference.md``."""
REGENERATE_SCHEMA = ".venv/bin/huntsim schema > docs/scenario.schema.json"
"""The command that writes ``docs/scenario.schema.json``."""

EXAMPLES: dict[tuple[str, str], tuple[str, ...]] = {
    # (model, key): (value as a file writes it,) or, for keys that are no
    # field of the model, (value, meaning, type)
    ("Scenario", "name"): ("real-estate office",),
    ("Scenario", "duration"): ("4w",),
    ("Scenario", "start"): ('"mon 08:00"',),
    ("Scenario", "warmup"): ("1h",),
    ("Scenario", "ring_cycle"): ("6s",),
    ("Scenario", "seed"): ("2026",),
    ("Scenario", "caller_patience"): ("{dist: lognormal, mean: 75s, sd: 40s}",),
    ("Scenario", "agent_defaults"): ("{talk_time: 4min, voicemail: true}",),
    ("Scenario", "agents"): ('[{number: "555-0101", talk_time: 4min}]',),
    ("Scenario", "hunt_groups"): ('[{pilot: "555-0100", members: ["555-0101"]}]',),
    ("Scenario", "redial"): ("{probability: 0.6, delay: {dist: exponential, mean: 5min}}",),
    ("Scenario", "one_group_per_member"): ("false",),
    ("Scenario", "shifts"): ('[{name: early, days: mon-fri, start: "08:00", length: 8h}]',),
    ("Shift", "name"): ("early",),
    ("Shift", "days"): ("mon-fri",),
    ("Shift", "start"): ('"08:00"',),
    ("Shift", "length"): ("8h",),
    ("Shift", "break"): ("{after: 4h, length: 30min}",),
    ("Shift", "cost"): ("1.2",),
    ("Shift", "min"): ("1",),
    ("Shift", "max"): ("4",),
    ("ShiftBreak", "after"): ("4h",),
    ("ShiftBreak", "length"): ("30min",),
    ("Agent", "number"): ('"555-0101"',),
    ("Agent", "name"): ("Alice Moreno",),
    ("Agent", "answer_probability"): ("0.9",),
    ("Agent", "answer_delay"): ("{dist: uniform, low: 2s, high: 14s}",),
    ("Agent", "talk_time"): ("{dist: lognormal, mean: 4min, sd: 3min}",),
    ("Agent", "wrap_up"): ("30s",),
    ("Agent", "direct_calls"): ("{rate: 2/h}",),
    ("Agent", "voicemail"): ("true",),
    ("Agent", "no_answer_rings"): ("4",),
    ("Agent", "schedule"): ('["mon-fri 08:00-11:30", "mon-fri 12:30-17:00"]',),
    ("Agent", "away"): ("{rate: 0.3/h, length: 45min}",),
    ("Agent", "after_missed"): ("{count: 2, away: 10min}",),
    ("Agent", "numbers"): (
        '"555-0101..555-0140"',
        "A block of agents with the same settings: a range ``FIRST..LAST`` (both included, "
        "written with the same layout) or a list of numbers and ranges. Instead of "
        "``number``.", "range or list of phone numbers"),
    ("Agent", "count"): (
        "40",
        "A block of ``count`` agents numbered on from ``number`` (``number: 555-0101, "
        "count: 40`` is 555-0101 to 555-0140), written like it.", "whole number, 1 to 10,000"),
    ("HuntGroup", "pilot"): ('"555-0100"',),
    ("HuntGroup", "name"): ("Sales line",),
    ("HuntGroup", "policy"): ("circular",),
    ("HuntGroup", "members"): ('["555-0101..555-0106", {number: "555-0110", penalty: 1}]',),
    ("HuntGroup", "weights"): ("[3, 1, 1]",),
    ("HuntGroup", "no_answer_rings"): ("3",),
    ("HuntGroup", "voicemail"): ("true",),
    ("HuntGroup", "when_all_busy"): ("queue",),
    ("HuntGroup", "arrivals"): ("{rate: 30/h}",),
    ("HuntGroup", "circular_anchor"): ("offered",),
    ("HuntGroup", "idle_counts_direct_calls"): ("true",),
    ("HuntGroup", "open"): ('["mon-fri 08:00-17:00", "sat 09:00-12:00"]',),
    ("HuntGroup", "after_hours"): ("voicemail",),
    ("HuntGroup", "redial"): ("{on: [busy], probability: 0.8, delay: 2min, max_attempts: 3}",),
    ("HuntGroup", "forward"): ('{when: [all_busy], to: "555-0300"}',),
    ("HuntGroup", "max_wait"): ("2min",),
    ("HuntGroup", "max_queue"): ("10",),
    ("HuntGroup", "rering"): ("5s",),
    ("HuntGroup", "stagger"): ("12s",),
    ("HuntGroup", "callback"): ("{offer_after: 60s, accept: 0.4, reached: 0.9}",),
    ("HuntGroup", "penalties"): ("[0, 0, 1]",),
    ("HuntGroup", "penalty_wait"): ("30s",),
    ("HuntGroup", "call_waiting"): ("true",),
    ("HuntGroup", "call_waiting_answer"): ("0.3",),
    ("HuntGroup", "priority"): ("1",),
    ("Redial", "on"): ("[busy, no_answer]",),
    ("Redial", "probability"): ("0.6",),
    ("Redial", "delay"): ("{dist: exponential, mean: 5min}",),
    ("Redial", "max_attempts"): ("3",),
    ("Forward", "when"): ("[all_busy, no_answer]",),
    ("Forward", "to"): ('"555-0300"',),
    ("Forward", "outside"): ("true",),
    ("Callback", "offer_after"): ("60s",),
    ("Callback", "accept"): ("0.4",),
    ("Callback", "reached"): ("0.9",),
    ("Away", "rate"): ("0.3/h",),
    ("Away", "length"): ("{dist: lognormal, mean: 45min, sd: 20min}",),
    ("Away", "skipped"): ("false",),
    ("AfterMissed", "count"): ("2",),
    ("AfterMissed", "away"): ("10min",),
    ("Constant", "dist"): ("constant",),
    ("Constant", "value"): ("30s",),
    ("Exponential", "dist"): ("exponential",),
    ("Exponential", "mean"): ("4min",),
    ("Uniform", "dist"): ("uniform",),
    ("Uniform", "low"): ("2s",),
    ("Uniform", "high"): ("14s",),
    ("Lognormal", "dist"): ("lognormal",),
    ("Lognormal", "mean"): ("4min",),
    ("Lognormal", "sd"): ("3min",),
    ("Gamma", "dist"): ("gamma",),
    ("Gamma", "mean"): ("4min",),
    ("Gamma", "sd"): ("2min",),
    ("Empirical", "dist"): ("empirical",),
    ("Empirical", "values"): ("[45s, 2min, 3.5min, 10min]",),
    ("Poisson", "rate"): ("30/h",),
    ("Profile", "profile"): ("[{start: 0h, rate: 10/h}, {start: 3h, rate: 40/h}]",),
    ("Profile", "period"): ("24h",),
    ("RateStep", "start"): ("3h",),
    ("RateStep", "rate"): ("40/h",),
    ("Trace", "trace"): ("[0, 95.5, 300]",),
    ("Weekly", "weekly"): ('{mon-fri: {"08:00": 28/h, "17:00": 0/h}, sat: {"09:00": 6/h, '
                          '"12:00": 0/h}}',),
}
"""An example of every key, as a scenario file writes the value."""

OVERVIEW = """
# Scenario file reference

<!-- Generated from the models by `{regenerate}`; do not edit by hand. -->

A scenario is a YAML file describing an office: its agents (people with a phone), its hunt
groups (pilot numbers whose calls hunt across members), the calls that arrive, and how long
to simulate. Check one with `huntsim validate FILE`; every mistake is reported once, naming
the key and the value, with a "did you mean" for a mistyped key.

Each table below lists every key of one part of the file: its type, its unit, the default
when the key is left out ("required" when it cannot be), what it means and an example.
The same descriptions are in the JSON Schema that `huntsim schema` prints, for editors:
save it (`huntsim schema > scenario.schema.json`) and put
`# yaml-language-server: $schema=scenario.schema.json` on the first line of a scenario file
(VS Code with the YAML extension, and other editors using the YAML language server) to get
completion, descriptions and checks as you type. A copy is kept in `docs/scenario.schema.json`
(`$schema=../docs/scenario.schema.json` from a file in `scenarios/`).

A minimal scenario:

```yaml
duration: 8h
agents:
  - {{numbers: "555-0101..555-0103", name: "Agent {{n}}", talk_time: 4min}}
hunt_groups:
  - {{pilot: "555-0100", members: ["555-0101..555-0103"], voicemail: true,
     arrivals: {{rate: 30/h}}}}
```
"""

FORMS = """
## Written forms

### Units

- **Durations**: `90s`, `4min`, `8h`, `2d` (days), `1w` (weeks), also `ms`, `sec`, `hr`, or
  several units together, larger first (`4h30min`); a plain number is seconds. Never negative.
- **Rates**: a number per unit of time, `30/h`, `2/min`, `5/d`. The unit is required (`30`
  alone could be per second or per hour).
- **Probabilities**: a number from 0 to 1 (`0.9`, not `90%`).
- **Phone numbers** (agents, pilots, members, forward targets): kept exactly as written,
  character for character: unquoted `0101` stays `0101` (not YAML's octal 65) and `+15550101`
  keeps its `+`. A number with a dot (`555.0101`) must be quoted.

### Blocks of agents and ranges of numbers

A block of identical agents is one entry, expanded before validation:

```yaml
agents:
  - {numbers: "555-0101..555-0140", name: "Agent {n}", talk_time: 4min}   # 40 agents
  - {number: "555-0201", count: 10, talk_time: 4min}    # 555-0201 ... 555-0210
  - {numbers: ["555-0301", "555-0305..555-0306"], talk_time: 4min}
hunt_groups:
  - {pilot: "555-0100", members: ["555-0101..555-0140", "555-0201"]}
```

A range `FIRST..LAST` counts on the last run of digits, keeping what is around it and its
zero padding (`0098..0100` is 0098, 0099, 0100); both ends must have the same layout and
the first must not be above the last. `count` counts on from `number` and must not need
more digits than `number` has. In `name`, `{n}` is the agent's place in the block (1, 2,
...) and `{number}` its number. Every other key of the entry is shared by the block, and
`agent_defaults` still apply. A member list may name ranges the same way (`weights`, if
any, then count one per member of the expanded list). A mistake in a block is reported once,
at the entry as written (`agents[2].numbers: ...`).

### Windows and the week

A **window** is the text `"DAYS HH:MM-HH:MM"`. `DAYS` is a day (`mon` ... `sun`), a range
(`mon-fri`; `sat-mon` wraps round the week's end), a list of days and ranges (`mon,wed,fri`,
`mon-wed,fri`) or `daily`. Clock times run from `00:00` to `23:59`, and `24:00` may end a
window. A window includes its start and excludes its end; one that ends before it starts
runs past midnight into the next day (`"fri 22:00-06:00"` ends Saturday 06:00), and one that
ends when it starts is refused. A list of windows is their union; a single window may be
given without the list. Quote windows and clock times in YAML. The week's clock is set by
the top-level `start` (the weekday and time at simulation time 0): opening hours
(`hunt_groups[].open`), schedules (`agents[].schedule`) and weekly arrivals follow it;
`duration`, `warmup` and the `rate`, `profile` and `trace` arrivals stay in simulation time.

### Distributions

A time that varies (talk, wrap-up, answer delay, patience, absence length, redial delay) is a
distribution: a bare duration for a constant (`wrap_up: 30s`), or a mapping with `dist`:
`{dist: exponential, mean: 4min}`, `{dist: uniform, low: 2s, high: 10s}`,
`{dist: lognormal, mean: 4min, sd: 3min}` (mean and sd of the time itself),
`{dist: gamma, mean: 4min, sd: 2min}`, `{dist: empirical, values: [45s, 2min, 10min]}`.
Each form's keys are in the tables `dist: ...` below.

### Arrivals

Calls dialled to a pilot (`hunt_groups[].arrivals`) or straight to an agent
(`agents[].direct_calls`) take one of four forms, told apart by their key:
`{rate: 30/h}` (Poisson), `{profile: [...], period: 24h}` (a rate changing in steps),
`{trace: [0, 95.5, 300]}` or `{trace: calls.csv}` (exact times), and
`{weekly: {DAYS: {"HH:MM": RATE, ...}}}` (by weekday and clock time; within a day a rate
holds from its clock time to the next entry, the last one to midnight; every day starts at
rate 0, and days not named have no calls). Each form's keys are in the tables
`arrivals: ...` below.
"""

TYPE_NOTES: dict[str, str] = {
    "Agent": "An entry may also stand for a block of agents (`numbers`, or `number` with "
             "`count`; see [Blocks](#blocks-of-agents-and-ranges-of-numbers)). `talk_time` is "
             "required here or in `agent_defaults`.",
    "Redial": "Also allowed per group, as `hunt_groups[].redial`, which replaces the top-level "
              "one for that group's callers.",
}
"""Short notes printed under a part's heading."""

PLAN = """
## How `plan` adds members

`huntsim plan SCENARIO --group PILOT --members 2..8 --target ...` simulates the group at each
size. A smaller group keeps the first members of its list (the others stay agents, with
their own direct calls). A larger group gets new agents, numbered `PILOT-x1`, `PILOT-x2`, ...
and named "Added member 1", "Added member 2", ...: they are made from `agent_defaults` when it
sets a `talk_time`, every key it sets included (so give the defaults the schedule, absences,
direct calls and pick-up chance a new hire would have), otherwise they copy the group's last
member without its direct calls. They keep that schedule; without one they are logged in at
all hours. The plan says who they are and their hours under its answer.
For a weighted group, new members get the mean of the existing weights. In a group with member
penalties they get the group's lowest penalty, so they join its first tier (the plan says so);
a smaller group keeps its first members' penalties, and drops `penalty_wait` when only one
penalty is left. `roster` replaces the members with one tier of rostered people: it drops
the penalties and `penalty_wait`, and says so.

A caller called back (`callback`) is served but not answered: `answered_rate` and the service
level (and `callers_answered_rate`) count callers answered live, `served_rate` (answered or
called back) counts those called back and reached; a call back missed is lost in both. Target
`served_rate` to count call backs as served; a plan of a group with call backs says which way
its targets count them.
"""
