"""The base of every part of a scenario file: strict, frozen, numbers kept as written."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Section"]


class Section(BaseModel):
    """One part of a scenario (an agent, a hunt group, a forward...).

    Unknown keys are refused, a validated part never changes, and a number given
    where text is expected (a phone number written ``201``) is kept as written.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)
