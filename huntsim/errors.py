"""The one error a user's mistake produces: :class:`ScenarioError`.

Every message names where the problem is and the value found there, e.g.
``hunt_groups[0].members[2]: '555-0199' is not an agent``.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

__all__ = ["ScenarioError", "did_you_mean", "format_path", "key_hint", "known_keys", "short_repr",
           "unique"]

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
    def from_validation(cls, error: ValidationError, prefix: str = "",
                        model: type[BaseModel] | None = None) -> ScenarioError:
        """Turn pydantic's errors into field-named messages, each once.

        Parameters
        ----------
        error : ValidationError
            What pydantic found.
        prefix : str
            Written before every path (e.g. the file or option the data came from).
        model : pydantic model class, optional
            The model that was validated; with it an unknown key gets a
            ``did you mean`` from the keys allowed at its place.
        """
        items = error.errors()
        # a list whose items failed also reports being too short: say only why the items failed
        nested = [tuple(i["loc"]) for i in items]
        items = [
            i for i in items
            if not (i["type"] == "too_short"
                    and any(len(n) > len(i["loc"]) and n[: len(i["loc"])] == tuple(i["loc"])
                            for n in nested))
        ]
        return cls(unique(_describe(item, prefix, model) for item in items))


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


def short_repr(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters without writing out the rest.

    Lists, tuples and mappings are written piece by piece and the writing
    stops at the limit, so a value that stands for billions of items (nested
    YAML aliases) costs no more than a short one.

    Examples
    --------
    >>> short_repr({"a": [1, 2.5, "x"]})
    "{'a': [1, 2.5, 'x']}"
    >>> nested = [[[0] * 1000] * 1000] * 1000
    >>> short_repr(nested, limit=20)
    '[[[0, 0, 0, 0, 0...'
    """
    text = ""
    for piece in _repr_pieces(value, limit + 1, set()):
        text += piece
        if len(text) > limit:
            return text[: limit - 3] + "..."
    return text


def _repr_pieces(value: Any, limit: int, open_ids: set[int]) -> Iterator[str]:
    """The text of ``repr(value)`` in pieces, lazily; a string is cut to ``limit``."""
    kind = type(value)
    if kind in (list, tuple, dict) and id(value) in open_ids:
        yield "{...}" if kind is dict else "[...]"
        return
    if kind is list or kind is tuple:
        open_ids.add(id(value))
        yield "[" if kind is list else "("
        for index, item in enumerate(value):
            if index:
                yield ", "
            yield from _repr_pieces(item, limit, open_ids)
        if kind is tuple and len(value) == 1:
            yield ","
        yield "]" if kind is list else ")"
        open_ids.discard(id(value))
    elif kind is dict:
        open_ids.add(id(value))
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            if index:
                yield ", "
            yield from _repr_pieces(key, limit, open_ids)
            yield ": "
            yield from _repr_pieces(item, limit, open_ids)
        yield "}"
        open_ids.discard(id(value))
    elif kind is str and len(value) > limit:
        yield repr(value[:limit])
    else:
        yield repr(value)


def unique(messages: Iterable[str]) -> list[str]:
    """The messages in order, each once (a mistake shared by many entries is one mistake).

    Examples
    --------
    >>> unique(["a: bad", "b: bad", "a: bad"])
    ['a: bad', 'b: bad']
    """
    return list(dict.fromkeys(messages))


def did_you_mean(key: str, known: Iterable[str]) -> str:
    """A hint for an unknown key: the closest known keys, else the keys allowed.

    Examples
    --------
    >>> did_you_mean("talktime", ["number", "talk_time", "wrap_up"])
    "did you mean 'talk_time'?"
    >>> did_you_mean("colour", ["number", "name"])
    'the keys here are: name, number'
    """
    choices = sorted(set(known))
    close = difflib.get_close_matches(key, choices, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return "the keys here are: " + ", ".join(choices)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models a field's type can hold (through unions, lists, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin is None and not isinstance(annotation, types.UnionType):
        return []
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(m for m in _models_in(arg) if m not in found)
    return found


def _chosen(part: str, model: type[BaseModel]) -> bool:
    """Whether ``part`` is the ``dist`` the file chose for ``model``."""
    dist = model.model_fields.get("dist")
    return dist is not None and dist.default == part


def _is_tag(part: str, model: type[BaseModel]) -> bool:
    """Whether ``part`` is the tag of a form (e.g. of arrivals) that pydantic tried.

    The form was guessed from the keys, so every form's keys stay candidates.
    """
    name = model.__name__.lower()
    return part.lower() in (name, f"function-{name}")


def known_keys(model: type[BaseModel], location: Sequence[int | str]) -> list[str]:
    """The keys allowed in the mapping at ``location`` inside data for ``model``.

    Besides the fields, a model may name keys that are taken before
    validation in ``FILE_KEYS`` (a class variable), e.g. an agent's ``count``.

    Examples
    --------
    >>> from huntsim.scenario.model import Scenario
    >>> known_keys(Scenario, ("hunt_groups", 0, "redial"))
    ['on', 'probability', 'delay', 'max_attempts']
    """
    keys: list[str] = []
    for candidate in _candidates(model, location):
        extra = getattr(candidate, "FILE_KEYS", ())
        keys.extend(k for k in [*candidate.model_fields, *extra] if k not in keys)
    return keys


def key_hint(model: type[BaseModel], location: Sequence[int | str]) -> str | None:
    """What an unknown key at ``location`` likely meant, from the ``KEY_HINTS`` (a class
    variable: key -> hint) of the models that may be there, e.g. a hunt group's
    ``weight`` (Asterisk's queue weight) is its ``priority``.

    Examples
    --------
    >>> from huntsim.scenario.model import Scenario
    >>> key_hint(Scenario, ("agents", 0, "penalty"))[:40]
    'a penalty is given where the agent is a '
    """
    if not location or not isinstance(location[-1], str):
        return None
    for candidate in _candidates(model, location[:-1]):
        hint = getattr(candidate, "KEY_HINTS", {}).get(location[-1])
        if hint:
            return str(hint)
    return None


def _candidates(model: type[BaseModel], location: Sequence[int | str]) -> list[type[BaseModel]]:
    """The models the mapping at ``location`` inside data for ``model`` may be."""
    candidates: list[type[BaseModel]] = [model]
    for part in location:
        if isinstance(part, int):
            continue
        chosen = [m for m in candidates if _chosen(part, m)]
        if chosen:
            candidates = chosen
            continue
        if any(_is_tag(part, m) for m in candidates):
            continue
        fields = [m.model_fields[part] for m in candidates if part in m.model_fields]
        if fields:
            candidates = [m for f in fields for m in _models_in(f.annotation)]
    return candidates


def _describe(item: Any, prefix: str, model: type[BaseModel] | None = None) -> str:
    path = format_path(item["loc"], prefix)
    kind = item["type"]
    message = str(item["msg"]).removeprefix("Value error, ")
    if kind == "missing":
        return f"{path}: required but missing"
    if kind == "extra_forbidden":
        text = f"{path}: unknown key (value {short_repr(item['input'])})"
        key = item["loc"][-1] if item["loc"] else None
        if model is not None and isinstance(key, str):
            known = known_keys(model, item["loc"][:-1])
            hint = key_hint(model, item["loc"])
            # a key known at this place belongs to another form of it (a union): no hint
            if known and key not in known:
                close = did_you_mean(key, known)
                if hint and close.startswith("did"):  # both: the hint as a sentence
                    text += f"; {close} {hint[0].upper()}{hint[1:]}"
                else:
                    text += f"; {hint or close}"
        return text
    message = _plain_words(item, model, message)
    shown = short_repr(item["input"])
    if shown in message:
        return f"{path}: {message}"
    return f"{path}: {message} (got {shown})"


def _plain_words(item: Any, model: type[BaseModel] | None, message: str) -> str:
    """pydantic's wording in the file's terms: a list (not a tuple), a mapping of keys
    (not an instance of a class), and a ``did you mean`` for a misspelt choice."""
    kind = item["type"]
    if kind in ("tuple_type", "frozen_set_type", "set_type"):
        return "Input should be a valid list"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        keys = known_keys(model, item["loc"]) if model is not None else []
        return ("Input should be a mapping of keys" +
                (f" ({', '.join(keys)})" if keys and kind == "model_type" else ""))
    if kind == "literal_error" and isinstance(item["input"], str):
        expected = re.findall(r"'([^']*)'", str(item.get("ctx", {}).get("expected", "")))
        close = difflib.get_close_matches(item["input"], expected, n=2, cutoff=0.6)
        if close:
            shown = short_repr(item["input"])
            return (f"{message} (got {shown}); did you mean "
                    + " or ".join(repr(c) for c in close) + "?")
    return message
