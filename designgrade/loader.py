"""Read a design file into plain Python data plus the line and column of every node.

YAML is composed into a node tree by libyaml (``CSafeLoader``) and turned into data here,
which lets us keep positions, report duplicate keys that PyYAML silently drops, refuse
unknown tags (``!!python/...`` never builds objects) and bound alias expansion and depth.
"""

from __future__ import annotations

import base64
import datetime
import re
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
    """Compose ``text`` and convert it to data with positions. Text over the size limit of a
    design file is refused here too, so an editor's buffer is held to the same bound."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return _fatal(
            f"the design is larger than {MAX_BYTES // 1024} KiB, the limit for one design; "
            "a design this large is not a design a person wrote"
        )
    loaded = Loaded(positions={(): Position(1, 1)})
    control = _first_control(text)
    if control is not None:
        loaded.problems.append(LoadProblem("invalid-yaml", control[0], control[1], True))
        return loaded
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        message, position = _syntax_problem(exc, text)
        loaded.problems.append(LoadProblem("invalid-yaml", message, position, True))
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
    if converter.alias_keys:
        _place_alias_keys(loaded, converter.alias_keys, text)
    # An anchored mapping is converted once per alias: report each of its problems once.
    loaded.problems = list(dict.fromkeys(loaded.problems))
    return loaded


def load_file(path: str | Path) -> Loaded:
    """Read and load a design file; every failure becomes a problem, never an exception."""
    from .fileio import ReadError, read_limited

    try:
        raw = read_limited(path, MAX_BYTES)
    except ReadError as exc:
        return _fatal(f"cannot read the file: it is {exc.reason}" if exc.reason.startswith("a ")
                      else f"cannot read the file: {exc.reason}; check the path and permissions")
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
    encoding = _wide_encoding(raw)
    if encoding:
        return "", (f"the file is {encoding}; save it as UTF-8", Position(1, 1))
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


def _wide_encoding(raw: bytes) -> Optional[str]:
    """UTF-32 or UTF-16, told by the byte order mark or, without one, by where the zero
    bytes of ASCII text fall; None for anything else."""
    # UTF-32's little-endian BOM begins with UTF-16's: test the longer one first.
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"), (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
                      (b"\xff\xfe", "UTF-16 (little-endian)"), (b"\xfe\xff", "UTF-16 (big-endian)")):
        if raw.startswith(bom):
            return name
    head = raw[:64]
    if len(head) >= 8 and b"\x00" in head[:4]:
        if head[1:4] == b"\x00\x00\x00" and head[0]:
            return "UTF-32 (little-endian, no BOM)"
        if head[:3] == b"\x00\x00\x00" and head[3]:
            return "UTF-32 (big-endian, no BOM)"
        if head[1] == 0 and head[3] == 0 and head[0] and head[2]:
            return "UTF-16 (little-endian, no BOM)"
        if head[0] == 0 and head[2] == 0 and head[1] and head[3]:
            return "UTF-16 (big-endian, no BOM)"
    return None


# What YAML 1.1 lets a stream hold (its "printable" set); libyaml refuses anything else.
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _first_control(text: str) -> Optional[tuple[str, Position]]:
    """The first character YAML does not allow, with its line and column (libyaml names
    only a byte offset)."""
    match = _NOT_YAML.search(text)
    if match is None:
        return None
    index = match.start()
    code = ord(match.group())
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    what = "a surrogate code point" if 0xD800 <= code <= 0xDFFF else "a control character"
    return (f"the file contains {what} (U+{code:04X}) that YAML does not allow; remove it "
            "(in a double-quoted string it can be written as an escape such as \\u0007)", Position(line, column))


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, Position]:
    """libyaml's complaint, said the way a person who slipped would understand it, at the
    line where the slip is (libyaml often notices it a line or two later)."""
    problem = (exc.problem or exc.context or "not valid YAML").strip()
    context = (exc.context or "").strip()
    mark, ctx = exc.problem_mark or exc.context_mark, exc.context_mark
    position = _pos(mark)
    if _char_at(text, mark) == "\t" or "tab" in problem:
        return ("invalid YAML: a tab character here; YAML indents with spaces only: replace the tab with spaces",
                position)
    if problem == "could not find expected ':'" and ctx is not None:
        # libyaml notices a missing ':' where the next line starts; the slip is the line of the key.
        return ("invalid YAML: this line is neither 'key: value' nor indented like the lines around it; "
                "add ': ' after the key, or indent it as its neighbours (a value on its own line goes "
                "further right than its key)", _pos(ctx))
    if problem == "did not find expected key" and ctx is not None and "block mapping" in context and mark is not None:
        above = _indent_above(text, mark.line)
        if above is not None and mark.column != above[1]:
            return (f"invalid YAML: this line is indented to column {mark.column + 1}, but the line above it "
                    f"(line {above[0] + 1}) is at column {above[1] + 1}; indent it with spaces like its siblings",
                    position)
        char = _char_at(text, mark)
        if char == "-":
            return ("invalid YAML: a list item here, where this mapping expects 'key: value'; put the list under "
                    "a key of its own (key:, then the items indented below it)", position)
        if char == ":":
            return "invalid YAML: this line has no key before its ':'; write the key (an id, a field name)", position
        return "invalid YAML: a 'key: value' line was expected here; fix the line or its indentation", position
    if problem == "mapping values are not allowed in this context" and mark is not None:
        above = _indent_above(text, mark.line)
        own = _indent_above(text, mark.line + 1)
        if above is not None and own is not None and own[0] == mark.line and own[1] > above[1]:
            return (f"invalid YAML: this line is indented further (column {own[1] + 1}) than the line above it "
                    f"(column {above[1] + 1}), so it is read as the rest of that line's value; indent it like "
                    "its siblings", Position(mark.line + 1, own[1] + 1))
        return ("invalid YAML: a ': ' here is read as the start of a new key inside a value; if the value "
                "contains ': ', quote it (title: \"Fraud: cards\"), else indent this line like its siblings",
                position)
    if "expected ',' or '}'" in problem or "expected ',' or ']'" in problem:
        opened = f" that opens at line {ctx.line + 1}, column {ctx.column + 1}," if ctx is not None else ""
        bracket = "{...}" if "}" in problem else "[...]"
        return (f"invalid YAML: the {bracket}{opened} is not closed where expected; close it, and quote any item "
                "that holds ': ', '#' or a bracket", position)
    if "quoted scalar" in context and ctx is not None:
        return (f"invalid YAML: the quote that opens at line {ctx.line + 1}, column {ctx.column + 1} is not "
                "closed; close it", _pos(ctx))
    if problem.startswith("found undefined alias"):
        return (f"invalid YAML: {problem}: an alias (*name) must come after its anchor (&name)", position)
    return f"invalid YAML: {problem}; fix the syntax there", position


def _indent_above(text: str, line: int) -> Optional[tuple[int, int]]:
    """(line, column) of the nearest line above ``line`` (0-based) with content, by its indentation."""
    lines = text.split("\n", line + 1)[:line]
    for number in range(len(lines) - 1, -1, -1):
        stripped = lines[number].lstrip(" ")
        if stripped and not stripped.startswith("#"):
            return number, len(lines[number]) - len(stripped)
    return None


def _char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = text.split("\n", mark.line + 1)
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


def _fatal(message: str, position: Position = Position(1, 1)) -> Loaded:
    loaded = Loaded(positions={(): Position(1, 1)})
    loaded.problems.append(LoadProblem("invalid-yaml", message, position, True))
    return loaded


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


class BareKey(str):
    """A key written without ':' inside ``{...}``, as an unquoted comma leaves behind:
    ``{purpose: images, uploads}`` reads as ``purpose: images`` and a key ``uploads``.
    It is an ordinary str everywhere; messages use :func:`is_bare` to explain the comma."""

    __slots__ = ()


def is_bare(key: Any) -> bool:
    return isinstance(key, BareKey)


class _Converter:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.positions = loaded.positions  # where convert records positions (swapped for merge sources)
        self.count = 0
        self.alias_keys: list[tuple[int, Any, int]] = []  # (problem index, mapping node, pair index)

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
                self.positions.setdefault(path + (index,), _pos(child.start_mark))
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

    def key(self, key_node: yaml.Node, value_node: yaml.Node, flow: bool) -> str:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused("a key must be a plain value, not a list or mapping", key_node.start_mark)
        key = self.scalar(key_node)
        if not isinstance(key, str):
            # A key is shown as written: 'null' rather than 'None', 'on' rather than 'True'.
            key = key_node.value or "null"
        if (flow and isinstance(value_node, yaml.ScalarNode) and value_node.tag == "tag:yaml.org,2002:null"
                and value_node.value == "" and value_node.start_mark.line == key_node.end_mark.line
                and value_node.start_mark.column == key_node.end_mark.column):
            key = BareKey(key)  # no ':' after it: a comma split a value
        return key

    def merge_sources(self, value_node: yaml.Node, depth: int) -> list[tuple[dict[Any, Any], dict[Path_, Position]]]:
        """The mappings a ``<<`` merges, each with the positions of its own nodes."""
        nodes = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        sources = []
        for node in nodes:
            if not isinstance(node, yaml.MappingNode):
                raise _Refused("a merge key (<<) takes a mapping or a list of mappings (<<: *base or "
                               "<<: [*a, *b])", node.start_mark)
            saved, self.positions = self.positions, {}
            try:
                data = self.convert(node, (), depth + 1)
                sources.append((data, self.positions))
            finally:
                self.positions = saved
        return sources

    def mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        # Keys that came from a merge, with the positions they brought: a key written here overrides them.
        merged: dict[Any, list[Path_]] = {}
        written_after = _at(node.start_mark)  # a key written here starts after the previous value ends
        for index, (key_node, value_node) in enumerate(node.value):
            alias = _at(key_node.start_mark) < written_after  # *k: its node (and mark) is the anchor's
            written_after = max(written_after, _at(value_node.end_mark))
            if key_node.tag == _MERGE_TAG:
                # YAML 1.1 merge: keys written in this mapping win, then earlier sources over later.
                for source, positions in self.merge_sources(value_node, depth):
                    by_key: dict[Any, list[tuple[Path_, Position]]] = {}
                    for sub, position in positions.items():
                        if sub:
                            by_key.setdefault(sub[0], []).append((sub, position))
                    for key, value in source.items():
                        if key in result:
                            continue
                        result[key] = value
                        added = merged[key] = []
                        for sub, position in by_key.get(key, ()):
                            if path + sub not in self.positions:
                                self.positions[path + sub] = position
                                added.append(path + sub)
                continue
            key = self.key(key_node, value_node, bool(node.flow_style))
            position = _pos(key_node.start_mark)
            child = path + (key,)
            if key in merged:
                for sub in merged.pop(key):  # an override of a merged key, not a duplicate
                    self.positions.pop(sub, None)
            elif key in result:
                if alias:  # the events know where the alias was written
                    self.alias_keys.append((len(self.loaded.problems), node, index))
                first = self.positions.get(child)
                self.loaded.problems.append(
                    LoadProblem(
                        "duplicate-key",
                        f"'{key}' is given twice in this mapping"
                        + (f" (first at line {first.line})" if first else "")
                        + "; the later value wins, remove one",
                        position,
                        False,
                        child,
                    )
                )
            self.positions[child] = position
            result[key] = self.convert(value_node, child, depth + 1)
        return result


def _at(mark: Any) -> tuple[int, int]:
    return (mark.line, mark.column)


def _place_alias_keys(loaded: Loaded, pending: list[tuple[int, Any, int]], text: str) -> None:
    """Move each duplicate made by an alias key from the anchor's line to the alias's.

    The composed node of ``*k`` is the anchor's own node, so its mark is the anchor's; one
    pass over the parser's events (only when such a duplicate exists) finds where the
    mapping's key was written."""
    wanted: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for problem_index, node, pair_index in pending:
        key = (node.start_mark.line, node.start_mark.column)
        wanted.setdefault(key, []).append((problem_index, pair_index))
    stack: list[list[Any]] = []  # per open collection: [wanted entries or None, children seen]
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                if stack:
                    stack.pop()
                continue
            if stack and stack[-1][0] is not None:
                entries, child = stack[-1][0], stack[-1][1]
                for problem_index, pair_index in entries:
                    if child == 2 * pair_index and problem_index < len(loaded.problems):
                        old = loaded.problems[problem_index]
                        loaded.problems[problem_index] = old._replace(position=_pos(event.start_mark))
                        if loaded.positions.get(old.path) == old.position:  # findings point at the path
                            loaded.positions[old.path] = _pos(event.start_mark)
                stack[-1][1] += 1
            elif stack:
                stack[-1][1] += 1
            if isinstance(event, yaml.MappingStartEvent):
                mark = (event.start_mark.line, event.start_mark.column)
                stack.append([wanted.pop(mark, None), 0])
            elif isinstance(event, yaml.SequenceStartEvent):
                stack.append([None, 0])
    except yaml.YAMLError:
        return


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag
