"""Read YAML safely and keep the line and column of every value.

Content files are written by people, so the loader is strict where PyYAML is
forgiving: anchors and aliases, explicit tags and duplicate keys are refused,
and every scalar stays a string (``NO``, ``01234`` and ``12:30`` are never
turned into a boolean or a number behind the author's back). The typed models
convert strings to dates, numbers and booleans only where a field asks for one.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from .errors import HandoutError, Location, Problem
from .files import MAX_YAML_BYTES, InputRefused, read_input
from .template_values import MAX_TEXT, too_long
from .yaml_mistakes import explain

#: Content files larger than this are refused (a handout is a few KiB).
MAX_FILE_BYTES = MAX_YAML_BYTES

Key = tuple[str | int, ...]
#: what a YAML file holds once loaded: text (every scalar), None (an empty value), lists and
#: mappings of text keys
YamlData = Union[str, None, list["YamlData"], dict[str, "YamlData"]]  # noqa: UP007 - 3.10


@dataclass
class Document:
    """A loaded YAML file: plain data (dicts, lists, strings) plus where each value stands."""

    path: Path
    data: YamlData
    locations: dict[Key, tuple[int, int]] = field(default_factory=dict)
    #: block style of each scalar ('|', '>', quotes or ''): maps template lines to file lines
    styles: dict[Key, str] = field(default_factory=dict)
    #: where each mapping key itself is written (for "unknown key" errors)
    key_locations: dict[Key, tuple[int, int]] = field(default_factory=dict)
    #: the file's lines, to point at a word inside a block of text
    lines: list[str] = field(default_factory=list)

    def locate(self, key: Key) -> Location:
        """The location of the value at ``key``, or of its nearest parent that exists."""
        k = tuple(key)
        while k and k not in self.locations:
            k = k[:-1]
        line, col = self.locations.get(k, (1, 1))
        return Location(self.path, line, col)

    def locate_key(self, key: Key) -> Location:
        """The location of the key itself (falls back to :meth:`locate`)."""
        if tuple(key) in self.key_locations:
            line, col = self.key_locations[tuple(key)]
            return Location(self.path, line, col)
        return self.locate(key)

    def column_of(self, line: int, needle: str) -> int | None:
        """The 1-based column of ``needle`` on ``line``, if it is there."""
        if 1 <= line <= len(self.lines):
            found = self.lines[line - 1].find(needle)
            if found >= 0:
                return found + 1
        return None

    def text_line(self, key: Key, template_line: int) -> int:
        """The file line of line ``template_line`` (1-based) of the string at ``key``."""
        line, _ = self.locations.get(tuple(key), (1, 1))
        offset = 1 if self.styles.get(tuple(key)) in ("|", ">") else 0
        return line + offset + template_line - 1


#: Deeper nesting is refused: PyYAML composes recursively (900 levels end in RecursionError),
#: and a handout needs five or six.
MAX_DEPTH = 100


class _StrictComposer(Composer):
    """A composer that refuses aliases, anchors, tags and deep nesting (the parser below it
    is PyYAML's Python one, or libyaml's)."""

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Refused(
                    event.start_mark,
                    f"YAML lists or mappings nested more than {MAX_DEPTH} levels deep",
                )
            return self._compose_checked(parent, index, event)
        finally:
            self.depth -= 1

    def _compose_checked(self, parent, index, event):
        if isinstance(event, AliasEvent):
            raise _Refused(
                event.start_mark, "YAML aliases (*name) are not allowed in content files"
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(
                event.start_mark, "YAML anchors (&name) are not allowed in content files"
            )
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and not (isinstance(event, ScalarEvent) and event.implicit[0]):
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            raise _Refused(
                event.start_mark, f"YAML tags ({shown}) are not allowed in content files"
            )
        return super().compose_node(parent, index)


class _StrictLoader(_StrictComposer, yaml.SafeLoader):
    """PyYAML's SafeLoader (all Python) with the strict composer: its error messages are the
    ones :mod:`~handoutpress.yaml_mistakes` explains."""


_CParser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)  # None: no libyaml


if _CParser is not None:

    class _FastStrictLoader(_StrictComposer, _CParser, Resolver):
        """libyaml's parser (C: about 20 times faster than PyYAML's own on a handout) under
        the same strict composer and resolver: the same nodes, with the same marks."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            Resolver.__init__(self)


def _fast_node(text: str) -> Node | None:
    """The file's node tree read by :class:`_FastStrictLoader`, or None when libyaml is
    missing or finds anything wrong (or nothing at all): the file is then read again by
    :class:`_StrictLoader`, whose messages are the ones users see."""
    if _CParser is None:
        return None
    try:
        node: Node | None = _FastStrictLoader(text).get_single_node()
    except Exception:  # noqa: BLE001 - read again by PyYAML's parser for the message
        return None
    return node


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def _loc(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _convert(node: Node, key: Key, doc: Document, problems: list[Problem]) -> YamlData:
    doc.locations[key] = _loc(node)
    if isinstance(node, ScalarNode):
        doc.styles[key] = node.style or ""
        # Everything stays text; an empty plain scalar (``key:``) is None.
        if node.style in (None, "") and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        if (
            node.style == '"'
            and not _printable(node.value)
            and (bad := _UNPRINTABLE.search(node.value))  # "\0", "\ud800"
        ):
            line, col = _loc(node)
            problems.append(Problem(Location(doc.path, line, col), _dotted(key), _escaped(bad)))
        if len(node.value) > MAX_TEXT:  # (a brand's name of 200 kB took a minute to measure)
            line, col = _loc(node)
            problems.append(
                Problem(Location(doc.path, line, col), _dotted(key), too_long(node.value))
            )
        return node.value
    if isinstance(node, SequenceNode):
        return [_convert(item, (*key, i), doc, problems) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        out: dict[str, YamlData] = {}
        first_line: dict[str, int] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, ScalarNode):
                line, col = _loc(knode)
                problems.append(
                    Problem(Location(doc.path, line, col), _dotted(key), "keys must be plain text")
                )
                continue
            name = knode.value
            if name in out or name in first_line:
                line, col = _loc(knode)
                problems.append(
                    Problem(
                        Location(doc.path, line, col),
                        _dotted(key + (name,)),
                        f"duplicate key (first given on line {first_line[name]})",
                    )
                )
                continue
            first_line[name] = knode.start_mark.line + 1
            doc.key_locations[key + (name,)] = _loc(knode)
            out[name] = _convert(vnode, key + (name,), doc, problems)
        return out
    raise AssertionError(f"unexpected YAML node {node!r}")  # pragma: no cover


def _dotted(key: Key) -> str:
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


dotted = _dotted


#: what PyYAML's reader refuses (yaml.reader.Reader.NON_PRINTABLE), found first to say so plainly
_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _printable(text: str) -> bool:
    """True when :data:`_UNPRINTABLE` finds nothing in ``text``, told from the set of its
    characters: the pattern (most of Unicode in one class, 3 ms to compile; PyYAML's too,
    deferred by :mod:`handoutpress.startup`) is compiled only for a text it refuses."""
    for ch in set(text):
        if not (
            " " <= ch <= "~"
            or ch in "\t\n\r\x85"
            or "\xa0" <= ch <= "\ud7ff"
            or "\ue000" <= ch <= "\ufffd"
            or ch >= "\U00010000"
        ):
            return False
    return True


_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x0B: "vertical tab",
                  0x0C: "form feed", 0x1B: "ESC", 0x7F: "DEL"}  # fmt: skip


def _unprintable(char: str) -> str:
    code = ord(char)
    name = _CONTROL_NAMES.get(code, "a control character")
    return (
        f"YAML: control character U+{code:04X} ({name}) is not allowed in content files; "
        "delete it (it is often pasted in from another program)"
    )


def _escaped(found: re.Match[str]) -> str:
    """What to say of a character refused by :data:`_UNPRINTABLE` that a double-quoted
    string's escape made (``"\\0"``, ``"\\ud800"``)."""
    code = ord(found.group())
    name = "half of a surrogate pair" if 0xD800 <= code <= 0xDFFF else None
    name = name or _CONTROL_NAMES.get(code, "a control character")
    return (
        f"YAML: the escape for U+{code:04X} ({name}) makes a character not allowed here; delete it"
    )


def load_yaml(path: Path) -> Document:
    """Load one YAML file strictly. Raises :class:`HandoutError` listing every problem."""
    try:  # a FIFO, /dev/zero or a folder is refused before anything is read
        raw = read_input(path, MAX_FILE_BYTES)
    except InputRefused as exc:
        raise HandoutError([Problem(Location(path), "", str(exc))]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise HandoutError(
            [Problem(Location(path, bad_line), "", "file is not UTF-8 text (save it as UTF-8)")]
        ) from None
    bad = [] if _printable(text) else list(itertools.islice(_UNPRINTABLE.finditer(text), 20))
    if bad:  # PyYAML's ReaderError, with a line and a plain name for each
        unprintable = []
        for found in bad:
            at = found.start()
            where = Location(path, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at))
            unprintable.append(Problem(where, "", _unprintable(found.group())))
        raise HandoutError(unprintable)
    node = _fast_node(text)
    if node is None:
        node = _slow_node(path, text)
    doc = Document(path=path, data=None, lines=text.splitlines())
    problems: list[Problem] = []
    doc.data = _convert(node, (), doc, problems)
    if problems:
        raise HandoutError(problems)
    return doc


def _slow_node(path: Path, text: str) -> Node:
    """The file's node tree read by PyYAML's own parser, or the HandoutError saying what is
    wrong with it and where."""
    loader = _StrictLoader(text)
    loader.name = str(path)
    try:
        node = loader.get_single_node()
    except _Refused as exc:
        where = Location(path, exc.mark.line + 1, exc.mark.column + 1)
        raise HandoutError([Problem(where, "", exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mistake = explain(exc, text.splitlines())
        if mistake is not None:  # an unclosed quote, a colon in text: what to do, where
            where = Location(path, mistake.line, mistake.col)
            raise HandoutError([Problem(where, "", mistake.message)]) from None
        mark = exc.problem_mark or exc.context_mark
        line: int | None = mark.line + 1 if mark else None
        col: int | None = mark.column + 1 if mark else None
        what = exc.problem or "invalid YAML"
        ctx = exc.context_mark
        if exc.context and ctx is not None and mark is not None and ctx.line != mark.line:
            what += f" ({exc.context.removeprefix('while ')} that starts on line {ctx.line + 1})"
        if "\t" in text and "tab" in str(what).lower():
            what += " (use spaces, not tabs, to indent)"
        elif "found character '\\t'" in str(what):
            what = "tab character: use spaces, not tabs, to indent"
        raise HandoutError([Problem(Location(path, line, col), "", f"YAML: {what}")]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        raise HandoutError([Problem(Location(path), "", f"YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise HandoutError([Problem(Location(path, 1, 1), "", "file is empty")])
    return node
