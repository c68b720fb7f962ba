"""The one error a user's mistake produces: :class:`ScenarioError`.

Every message names where the problem is and the value found there, e.g.
``hunt_groups[0].members[2]: '555-0199' is not an agent``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

__all__ = ["ScenarioError", "format_path"]

# Tags of discriminated unions that pydantic puts in error locations; they
# name the form that was tried, not a key the user wrote, so they are dropped.
_UNION_TAGS = frozenset(
    {"constant", "exponential", "uniform", "lognormal", "gamma", "empirical",
     "Poisson", "Profile", "Trace"}
)


class ScenarioError(Exception):
    """A scenario that cannot be simulated, with one message per problem.

    It is not a ``ValueError`` on purpose: pydantic lets it through unchanged
    when the cross-field rules of a scenario are broken.

    Parameters
    ----------
    messages : sequence of str
        Each names a field path and the value found there.
    """

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))

    @classmethod
    def from_validation(cls, error: ValidationError, prefix: str = "") -> ScenarioError:
        """Turn pydantic's errors into field-named messages."""
        items = error.errors()
        # a list whose items failed also reports being too short: say only why the items failed
        nested = [tuple(i["loc"]) for i in items]
        items = [
            i for i in items
            if not (i["type"] == "too_short"
                    and any(len(n) > len(i["loc"]) and n[: len(i["loc"])] == tuple(i["loc"])
                            for n in nested))
        ]
        return cls([_describe(item, prefix) for item in items])


def format_path(location: Iterable[int | str], prefix: str = "") -> str:
    """Write a location the way it reads in the file: ``hunt_groups[0].members[2]``.

    Examples
    --------
    >>> format_path(("hunt_groups", 0, "members", 2))
    'hunt_groups[0].members[2]'
    """
    text = prefix
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]" if text else f"scenario[{part}]"
        elif part in _UNION_TAGS or part.startswith("function-"):
            continue
        elif not part.isidentifier():
            text = (text or "scenario") + f"[{part!r}]"
        else:
            text += f".{part}" if text else part
    return text or "scenario"


def _short_repr(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(item: Any, prefix: str) -> str:
    path = format_path(item["loc"], prefix)
    kind = item["type"]
    message = str(item["msg"]).removeprefix("Value error, ")
    if kind == "missing":
        return f"{path}: required but missing"
    if kind == "extra_forbidden":
        return f"{path}: unknown key (value {_short_repr(item['input'])})"
    shown = _short_repr(item["input"])
    if shown in message:
        return f"{path}: {message}"
    return f"{path}: {message} (got {shown})"
