"""Reading a scenario file's YAML as its author meant it.

Phone numbers keep the text they were written as, keys are never booleans,
dates stay text, and every problem with the file itself (missing, a directory,
not YAML, not a mapping) is a :class:`~huntsim.errors.ScenarioError` naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.constructor import ConstructorError

from huntsim.errors import ScenarioError
from huntsim.scenario.units import WrittenFloat, WrittenInt

__all__ = ["MAX_ALIAS_EXPANSION", "AliasExpansionError", "ScenarioLoader", "read_scenario_file"]

MAX_ALIAS_EXPANSION = 100_000
"""Aliases (``*name``) may repeat at most this many values in all: a file of
nested aliases would otherwise stand for billions of values."""

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"


class AliasExpansionError(yaml.YAMLError):
    """Aliases repeating more than :data:`MAX_ALIAS_EXPANSION` values, or a value holding itself."""


def _expanded_size(root: yaml.Node) -> tuple[int, int]:
    """How many values the document holds once every alias is written out, and how many it writes.

    Each node is sized once (aliases share nodes), so the work is bounded by
    the file's size, not by what its aliases stand for.

    Raises
    ------
    AliasExpansionError
        If a value holds itself (an anchor used inside its own value).
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            open_nodes.discard(key)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise AliasExpansionError("a value holds itself through an alias")
        open_nodes.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                raise AliasExpansionError("a value holds itself through an alias")
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)], len(sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


class ScenarioLoader(yaml.SafeLoader):
    """The safe YAML loader, reading a scenario file as its author meant it.

    Numbers remember the text they were written as (:class:`WrittenInt`,
    :class:`WrittenFloat`), so that phone numbers such as ``0101`` or
    ``+15550101`` keep every character. Keys are never booleans (``on:`` is
    the key ``on``). Date-like text (``2024-01-15``) stays
    text: no scenario field holds a date. A scalar that cannot be read (``!!int
    abc``) is a YAML error with its line and column, not a crash.
    """

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {  # type: ignore[misc]
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_document(self, node: yaml.Node) -> Any:
        """Build the document, once its aliases are known to repeat few values.

        Raises
        ------
        AliasExpansionError
            If the aliases repeat more than :data:`MAX_ALIAS_EXPANSION` values.
        """
        expanded, written = _expanded_size(node)
        if expanded - written > MAX_ALIAS_EXPANSION:
            raise AliasExpansionError(
                f"its aliases (*name) repeat about {expanded - written:.2g} values; at most "
                f"{MAX_ALIAS_EXPANSION:,} may be repeated: write the values out instead")
        return super().construct_document(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Build one node; a value its tag cannot hold becomes a :class:`ConstructorError`."""
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            raise ConstructorError(
                None, None, f"{node.value!r} is not a valid {tag} ({error})", node.start_mark
            ) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping whose keys YAML 1.1 would read as booleans keep their text.

        ``redial: {on: [busy]}`` has the key ``on``, not ``True``: no key of
        a scenario is a boolean.
        """
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag == _BOOL:
                key.tag = _STR
        return super().construct_mapping(node, deep=deep)

    def construct_written_int(self, node: yaml.ScalarNode) -> WrittenInt:
        """An ``int`` that remembers its text."""
        return WrittenInt(self.construct_yaml_int(node), str(node.value))

    def construct_written_float(self, node: yaml.ScalarNode) -> WrittenFloat:
        """A ``float`` that remembers its text."""
        return WrittenFloat(self.construct_yaml_float(node), str(node.value))


ScenarioLoader.add_constructor("tag:yaml.org,2002:int", ScenarioLoader.construct_written_int)
ScenarioLoader.add_constructor("tag:yaml.org,2002:float", ScenarioLoader.construct_written_float)


def read_scenario_file(path: Path,
                       shape: str = "a scenario must be a mapping of keys") -> Mapping[str, Any]:
    """The mapping a scenario file holds, read with :class:`ScenarioLoader`; ``shape``
    says what a file that holds no mapping should hold.

    Raises
    ------
    ScenarioError
        Naming the file: missing, a directory, unreadable, not valid YAML
        (with line and column), or not a mapping of keys.
    """
    if not path.exists():
        raise ScenarioError([f"{str(path)!r}: no such scenario file"])
    if path.is_dir():
        raise ScenarioError([f"{str(path)!r}: is a directory, not a scenario file"])
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=ScenarioLoader)
    except AliasExpansionError as error:
        raise ScenarioError([f"{str(path)!r}: cannot be read: {error}"]) from None
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ScenarioError([f"{str(path)!r}: not valid YAML{at}: {problem}"]) from None
    except RecursionError:
        raise ScenarioError([f"{str(path)!r}: not valid YAML: nested too deeply"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError([f"{str(path)!r}: cannot be read: {error}"]) from None
    if not isinstance(data, Mapping):
        raise ScenarioError(
            [f"{str(path)!r}: {shape} (got {type(data).__name__})"]
        )
    return data
