"""Who answers: agents, their defaults, and when they are away or not ready."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from huntsim.scenario.arrivals import Arrivals
from huntsim.scenario.calendar import Calendar
from huntsim.scenario.distributions import Constant, Distribution
from huntsim.scenario.section import Section
from huntsim.scenario.units import PhoneNumber, Probability, Rate, Seconds, Text

__all__ = ["AfterMissed", "Agent", "AgentDefaults", "Away"]


class Away(Section):
    """Unplanned absences of a logged-in member (a showing, a meeting).

    Attributes
    ----------
    rate : float
        How often absences fall due while the member is logged in (written
        ``0.3/h``; per second inside). One due during a call starts when the
        member is free; one due while logged out, not ready or already away
        is dropped.
    length : Distribution
        How long an absence lasts.
    skipped : bool
        ``True`` (presence-based routing): an away member is not rung;
        ``False``: their phone rings and nobody answers.
    """

    rate: Rate = Field(ge=0)
    length: Distribution
    skipped: bool = True


class AfterMissed(Section):
    """Automatic not-ready: after ``count`` consecutive group rings the member let
    ring out, the member is skipped for ``away`` seconds (a log-out cuts it short: the
    member is ready when they log in again).

    Attributes
    ----------
    count : int
        Consecutive missed group rings that take the member out (1 or more).
    away : float
        Seconds the member then stays not-ready (written ``10min``).
    """

    count: int = Field(ge=1, le=1_000)
    away: Seconds = Field(gt=0)


AGENT_KEY_HINTS: dict[str, str] = {
    "penalty": "a penalty is given where the agent is a member: in hunt_groups[].members, "
               "as {number: '201', penalty: 1}",
    "weight": "a member's weight is given in its hunt group: hunt_groups[].weights "
              "(policy: weighted), or a penalty in hunt_groups[].members as "
              "{number: '201', penalty: 1}",
    **{key: f"{key} is a key of each hunt group (hunt_groups[].{key})"
       for key in ("priority", "callback", "call_waiting", "call_waiting_answer",
                   "penalty_wait", "policy")},
}
"""Keys written on an agent that belong elsewhere, and where (shown with "unknown key")."""


class AgentDefaults(Section):
    """Values every agent takes unless it sets its own (and that extra members get).

    Every key of an :class:`Agent` but ``number`` and ``name``, with the same
    meaning; an agent's own value replaces the default (a ``schedule`` is
    replaced, not added to). ``plan`` makes the members it adds from these.
    """

    KEY_HINTS: ClassVar[dict[str, str]] = AGENT_KEY_HINTS

    answer_probability: Probability | None = None
    answer_delay: Distribution | None = None
    talk_time: Distribution | None = None
    wrap_up: Distribution | None = None
    direct_calls: Arrivals | None = None
    voicemail: bool | None = None
    no_answer_rings: int | None = Field(default=None, ge=1)
    schedule: Calendar | None = None
    away: Away | None = None
    after_missed: AfterMissed | None = None

    def values(self) -> dict[str, Any]:
        """The defaults that are set, as validated objects (ready for an :class:`Agent`)."""
        return {
            name: getattr(self, name)
            for name in type(self).model_fields
            if getattr(self, name) is not None
        }


class Agent(Section):
    """A person with a telephone number who may answer calls.

    Attributes
    ----------
    number : str
        The agent's own number; direct calls dial it. Kept exactly as written.
    name : str or None
        Shown in tables instead of the number.
    answer_probability : float
        Chance of picking up a ringing call at all (below 1: sometimes away).
    answer_delay : Distribution
        Time from the first ring to pick-up; longer than the time-out means no answer.
    talk_time : Distribution
        Time on the call once answered.
    wrap_up : Distribution
        Time after each call (group or direct) in which the member takes no
        call: notes, filing.
    direct_calls : Arrivals or None
        Calls dialled straight to this number.
    voicemail : bool
        Whether the agent's own number has voicemail (for direct calls).
    no_answer_rings : int
        Rings before a direct call stops ringing.
    schedule : Calendar or None
        When the member is logged in (``[mon-fri 08:00-17:00]``); ``None``:
        always. Outside it the member is absent, not busy.
    away : Away or None
        Unplanned absences while logged in; ``None``: never away.
    after_missed : AfterMissed or None
        Automatic not-ready after missed group rings; ``None``: never.
    """

    FILE_KEYS: ClassVar[tuple[str, ...]] = ("numbers", "count")
    """Keys of an agent entry that make it a block of agents (:mod:`huntsim.scenario.blocks`)."""
    KEY_HINTS: ClassVar[dict[str, str]] = AGENT_KEY_HINTS

    number: PhoneNumber = Field(min_length=1)
    name: Text | None = None
    answer_probability: Probability = 1.0
    answer_delay: Distribution = Constant(value=0.0)
    talk_time: Distribution
    wrap_up: Distribution = Constant(value=0.0)
    direct_calls: Arrivals | None = None
    voicemail: bool = False
    no_answer_rings: int = Field(default=4, ge=1, le=100)
    schedule: Calendar | None = None
    away: Away | None = None
    after_missed: AfterMissed | None = None

    @property
    def label(self) -> str:
        """The name if there is one, else the number."""
        return self.name or self.number
