"""Safe YAML parsing that keeps line numbers.

`parse(text)` composes the document with PyYAML's SafeLoader (data only: no Python tags)
and turns the node tree into `Y` values that remember the 1-based line they start on,
so validation messages can point at the real line. Duplicate mapping keys, which PyYAML
silently collapses, are reported instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


class YamlProblem(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Y:
    """A parsed YAML value with its position.

    kind "map": value is dict[key, Y], key_lines maps each key to the line of the key.
    kind "seq": value is list[Y].
    kind "scalar": value is the constructed Python value (str, int, float, bool, None...),
    raw is the text as written and `plain` tells whether it was unquoted.
    """

    kind: str
    value: Any
    line: int
    raw: str = ""
    plain: bool = True
    tag: str = ""
    key_lines: dict[Any, int] = field(default_factory=dict)

    def python(self) -> Any:
        """The plain Python value (for error messages and scalars)."""
        if self.kind == "map":
            return {k: v.python() for k, v in self.value.items()}
        if self.kind == "seq":
            return [v.python() for v in self.value]
        return self.value


# libyaml's safe loader when available (same nodes and marks, several times faster).
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def parse(text: str) -> Y | None:
    """Parse one YAML document. Returns None for an empty document.

    Raises YamlProblem (with a 1-based line when known) for syntax errors, unknown tags
    and duplicate keys.
    """
    try:
        root = yaml.compose(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "invalid YAML"
        if exc.context:
            message = f"{exc.context}; {message}" if exc.problem else exc.context
            ctx = exc.context_mark
            if ctx is not None and mark is not None and ctx.line != mark.line:
                message += f" (the construct started on line {ctx.line + 1})"
        raise YamlProblem(mark.line + 1 if mark else None, f"YAML syntax error: {message}") from None
    except yaml.YAMLError as exc:  # e.g. ReaderError for control characters
        line = None
        position = getattr(exc, "position", None)
        if isinstance(position, int):
            line = text.count("\n", 0, position) + 1
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable YAML"
        raise YamlProblem(line, f"YAML error: {first}") from None
    if root is None:
        return None
    return _convert(root, SafeConstructor(), set())


def _convert(node: Node, constructor: SafeConstructor, active: set[int]) -> Y:
    if id(node) in active:
        raise YamlProblem(_line(node), "recursive YAML alias")
    if isinstance(node, ScalarNode):
        try:
            value = constructor.construct_object(node, deep=True)
        except ConstructorError as exc:
            mark = exc.problem_mark or node.start_mark
            raise YamlProblem(mark.line + 1, f"unsupported YAML value: {exc.problem}") from None
        return Y("scalar", value, _line(node), raw=node.value, plain=node.style in (None, ""), tag=node.tag)
    active.add(id(node))
    try:
        if isinstance(node, SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise YamlProblem(_line(node), f"unsupported YAML tag {node.tag!r}")
            return Y("seq", [_convert(child, constructor, active) for child in node.value], _line(node), tag=node.tag)
        if isinstance(node, MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                raise YamlProblem(_line(node), f"unsupported YAML tag {node.tag!r}")
            items: dict[Any, Y] = {}
            key_lines: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise YamlProblem(_line(key_node), "YAML merge keys (<<) are not supported here")
                if not isinstance(key_node, ScalarNode):
                    raise YamlProblem(_line(key_node), "mapping keys must be plain scalars")
                key = _convert(key_node, constructor, active).value
                try:
                    hash(key)
                except TypeError:
                    raise YamlProblem(_line(key_node), "mapping keys must be plain scalars") from None
                if key in items:
                    raise YamlProblem(
                        _line(key_node), f"duplicate key {key_node.value!r} (first on line {key_lines[key]})"
                    )
                key_lines[key] = _line(key_node)
                items[key] = _convert(value_node, constructor, active)
            return Y("map", items, _line(node), tag=node.tag, key_lines=key_lines)
        raise YamlProblem(_line(node), "unsupported YAML node")  # pragma: no cover
    finally:
        active.discard(id(node))
