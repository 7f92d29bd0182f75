"""Read a design file into plain Python data plus the line and column of every node.

YAML is composed into a node tree by libyaml (``CSafeLoader``) and turned into data here,
which lets us keep positions, report duplicate keys that PyYAML silently drops, refuse
unknown tags (``!!python/...`` never builds objects) and bound alias expansion and depth.
"""

from __future__ import annotations

import base64
import datetime
from pathlib import Path
from typing import Any, NamedTuple, Optional

import yaml

MAX_BYTES = 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_scalars = yaml.constructor.SafeConstructor()

# The tags a design may carry; anything else (e.g. !!python/object) is refused.
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:binary",
}
_MERGE_TAG = "tag:yaml.org,2002:merge"

Path_ = tuple[Any, ...]


class Position(NamedTuple):
    line: int
    column: int


class LoadProblem(NamedTuple):
    """Something wrong with the file itself, found before validation."""

    rule: str  # invalid-yaml or duplicate-key
    message: str
    position: Position
    fatal: bool
    path: Path_ = ()


class Loaded:
    """A loaded file: its data, the position of every node, and what was wrong with it."""

    __slots__ = ("data", "positions", "problems")

    def __init__(self, data: Any = None, positions: Optional[dict[Path_, Position]] = None,
                 problems: Optional[list[LoadProblem]] = None) -> None:
        self.data = data
        self.positions: dict[Path_, Position] = positions if positions is not None else {}
        self.problems: list[LoadProblem] = problems if problems is not None else []

    @property
    def fatal(self) -> bool:
        return any(p.fatal for p in self.problems)

    def position(self, path: Path_, order: tuple[str, ...] = ()) -> Position:
        """The position of ``path``, else of its nearest ancestor that exists.

        When even the top-level key is absent, the nearest top-level key in ``order``
        (the format's key order, the preceding one first) stands in, else 1:1.
        """
        path = tuple(path)
        while len(path) > 1:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        if path in self.positions:
            return self.positions[path]
        if path and path[0] in order:
            index = order.index(path[0])
            for key in list(reversed(order[:index])) + list(order[index + 1:]):
                if (key,) in self.positions:
                    return self.positions[(key,)]
        return self.positions.get((), Position(1, 1))


class _Refused(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.position = _pos(mark)


def _pos(mark: Any) -> Position:
    if mark is None:
        return Position(1, 1)
    return Position(mark.line + 1, mark.column + 1)


def load_text(text: str) -> Loaded:
    """Compose ``text`` and convert it to data with positions."""
    loaded = Loaded(positions={(): Position(1, 1)})
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "not valid YAML").strip()
        loaded.problems.append(
            LoadProblem("invalid-yaml", f"invalid YAML: {problem}; fix the syntax there", _pos(mark), True)
        )
        return loaded
    except yaml.YAMLError as exc:
        loaded.problems.append(
            LoadProblem("invalid-yaml", f"invalid YAML: {_one_line(exc)}", Position(1, 1), True)
        )
        return loaded
    if root is None:
        return loaded
    loaded.positions[()] = _pos(root.start_mark)
    converter = _Converter(loaded)
    try:
        loaded.data = converter.convert(root, (), 0)
    except _Refused as exc:
        loaded.data = None
        loaded.problems.append(LoadProblem("invalid-yaml", exc.message, exc.position, True))
    return loaded


def load_file(path: str | Path) -> Loaded:
    """Read and load a design file; every failure becomes a problem, never an exception."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return _fatal(f"cannot read the file: {exc.strerror or exc}; check the path and permissions")
    if len(raw) > MAX_BYTES:
        return _fatal(
            f"the file is larger than {MAX_BYTES // 1024} KiB, the limit for one design; "
            "a design this large is not a design a person wrote"
        )
    text, problem = decode(raw)
    if problem:
        return _fatal(problem[0], problem[1])
    return load_text(text)


def decode(raw: bytes) -> tuple[str, tuple[str, Position] | None]:
    """UTF-8 (with or without BOM); anything else is refused with the first bad byte's position."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", ("the file is UTF-16; save it as UTF-8", Position(1, 1))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return "", (
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            Position(line, column),
        )
    if "\x00" in text:
        index = text.index("\x00")
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        return "", ("the file contains a NUL byte; is it a binary file?", Position(line, column))
    return text, None


def _fatal(message: str, position: Position = Position(1, 1)) -> Loaded:
    loaded = Loaded(positions={(): Position(1, 1)})
    loaded.problems.append(LoadProblem("invalid-yaml", message, position, True))
    return loaded


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


class _Converter:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.count = 0

    def convert(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Refused(
                f"the document expands to more than {MAX_NODES:,} values (an alias bomb?); "
                "remove the repeated aliases",
                node.start_mark,
            )
        if depth > MAX_DEPTH:
            raise _Refused(
                f"the document nests deeper than {MAX_DEPTH} levels; a design needs a handful",
                node.start_mark,
            )
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            self.check_tag(node, "tag:yaml.org,2002:seq")
            items = []
            for index, child in enumerate(node.value):
                self.loaded.positions.setdefault(path + (index,), _pos(child.start_mark))
                items.append(self.convert(child, path + (index,), depth + 1))
            return items
        self.check_tag(node, "tag:yaml.org,2002:map")
        return self.mapping(node, path, depth)

    def check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            raise _Refused(
                f"the tag {_short_tag(node.tag)} is not allowed in a design; remove it", node.start_mark
            )

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise _Refused(
                f"the tag {_short_tag(node.tag)} is not allowed in a design; remove it", node.start_mark
            )
        try:
            value = _scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise _Refused(f"cannot read this value: {_one_line(exc)}", node.start_mark) from None
        if isinstance(value, bytes):
            return base64.b64encode(value).decode("ascii")
        if isinstance(value, (datetime.date, datetime.datetime)):
            return node.value  # dates stay text; the format has no date fields
        return value

    def mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged = self.convert(value_node, path, depth + 1)
                sources = merged if isinstance(merged, list) else [merged]
                for source in sources:
                    if not isinstance(source, dict):
                        raise _Refused("a merge key (<<) needs a mapping", value_node.start_mark)
                    for key, value in source.items():
                        result.setdefault(key, value)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused("a key must be a plain value, not a list or mapping", key_node.start_mark)
            key = self.scalar(key_node)
            if not isinstance(key, str):
                key = str(key) if not isinstance(key, bool) else str(key).lower()
            position = _pos(key_node.start_mark)
            child = path + (key,)
            if key in result:
                self.loaded.problems.append(
                    LoadProblem(
                        "duplicate-key",
                        f"'{key}' is given twice in this mapping (first at line "
                        f"{self.loaded.positions[child].line}); the later value wins, remove one",
                        position,
                        False,
                        child,
                    )
                )
            self.loaded.positions[child] = position
            result[key] = self.convert(value_node, child, depth + 1)
        return result


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag
