"""Read a contributor's YAML data file safely, keeping line numbers so every problem names its line.

PyYAML's safe YAML 1.1 (as mkdocs-macros reads it) minus what surprises people or hangs a build:
dates stay text, and anchors and aliases, tags, repeated keys, deep nesting and invisible or control
characters are refused. Every problem is one plain line: `file:line: entry 'id': field 'x': words`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

__all__ = [
    "DataFileError",
    "YamlDocument",
    "read_yaml",
    "parse_yaml",
    "problem_line",
    "field_name",
    "shown",
    "character_problem",
    "DataPath",
    "MAX_DEPTH",
]

# Our files nest four levels at most; twenty leaves room and stops a hostile file long before
# any recursion limit.
MAX_DEPTH = 20

DataPath = tuple  # a place in the data: keys and list positions, e.g. (3, "location", "city")

_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
# What a value may be: text, a number, true/false or nothing. Anything else (`!!binary`, `!!set`...)
# would reach the pages as a Python object.
_SCALAR_TAGS = {_STR} | {f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null")}


class DataFileError(Exception):
    """A data file is not usable. Holds one readable line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: same rules, ten times faster


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader without YAML 1.1's implicit dates: `2026-01-01` stays the text it looks like,
    so the check and the build see the same value and we parse dates ourselves."""

    # `=` (YAML 1.1's "value" key) would need a constructor the safe loader lacks: it is text too.
    yaml_implicit_resolvers = {
        first: [
            (tag, regexp)
            for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value")
        ]
        for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
    }


# --------------------------------------------------------------------------------------------------
# Showing values safely
# --------------------------------------------------------------------------------------------------

_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters YAML's reader refuses before parsing (the YAML 1.1 printable set, inverted).
_UNREADABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Control, format (zero-width, direction), and line/paragraph separator characters; a line break is
# judged by each field's own rules.
_HIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)


def _tag(node: yaml.Node) -> str:
    return _visible(node.tag.replace("tag:yaml.org,2002:", "!!"))


def _escape(ch: str) -> str:
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def _visible(text: str) -> str:
    """Text with every character a terminal or log could act on, or hide, written as an escape."""
    return "".join(ch if ch == " " or ch.isprintable() and not _HIDDEN.match(ch) else _escape(ch) for ch in text)


def shown(value: Any, limit: int = 60) -> str:
    """A value as a message shows it: quoted text with hidden characters made visible, cut to
    `limit` characters; true/false, numbers and empty values in plain words."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    text = _visible(str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def character_problem(text: str) -> str | None:
    """Plain words for the first character a value must not hold (control, zero-width or text
    direction characters), or None. Line breaks are left to each field's own rules."""
    match = _HIDDEN.search(text)
    if match:
        ch = match.group()
        code = _escape(ch)
        if ch in _BIDI:
            return f"holds an invisible character that changes the direction of text ({code}); delete it"
        if unicodedata.category(ch) == "Cc":
            return f"holds a control character ({code}); delete it"
        return f"holds an invisible character ({code}); delete it"
    return None


def field_name(path: DataPath) -> str:
    """('location', 'city') -> 'location.city'; ('records', 2) -> 'records[2]'."""
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{_visible(str(part))}" if name else _visible(str(part))
    return name


def problem_line(label: str, line: int, message: str, *, entry: str | None = None, field: str | None = None) -> str:
    """`label:line: entry <entry>: field '<field>': message`, leaving out the parts not given.
    `entry` is already in words: "'alpha'" (an id, quoted) or "#2" (a position)."""
    out = f"{label}:{line}: "
    if entry is not None:
        out += f"entry {entry}: "
    if field:
        out += f"field '{field}': "
    return out + message


# --------------------------------------------------------------------------------------------------
# The document: data plus the node tree for line numbers
# --------------------------------------------------------------------------------------------------


@dataclass
class YamlDocument:
    """What a data file holds (plain lists, dicts, text, numbers, true/false, None), with the
    YAML node tree and source lines kept so problems can name their line."""

    data: Any
    root: yaml.Node | None
    label: str
    source_lines: list[str]
    entry_key: str = "id"

    def node_at(self, path: DataPath) -> tuple[yaml.Node | None, yaml.Node | None, bool]:
        """(key node, value node, found) at `path`; when the path is missing, the deepest pair
        that exists on the way and found=False."""
        key: yaml.Node | None = None
        node = self.root
        for part in path:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
                if pair is None:
                    return key, node, False
                key, node = pair
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                key, node = None, node.value[part]
            else:
                return key, node, False
        return key, node, True

    def line_of(self, path: DataPath) -> int:
        """The line of the field at `path` (its key), or of the nearest enclosing field when it is missing."""
        key, node, _ = self.node_at(path)
        found = key or node
        return found.start_mark.line + 1 if found is not None else 1

    def written(self, path: DataPath) -> str | None:
        """The value at `path` as the contributor wrote it (for `yes` or `12:30`, which YAML 1.1
        reads as true and as 750), or None when it is not a single value."""
        _, node, found = self.node_at(path)
        return node.value if found and isinstance(node, yaml.ScalarNode) else None

    def entry_words(self, index: int) -> str:
        """How a message names the entry at `index` of a top-level list: its id, or its position."""
        _, node, _ = self.node_at((index,))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == self.entry_key and isinstance(v, yaml.ScalarNode) and v.tag == _STR and v.value:
                    return shown(v.value)
        return f"#{index + 1}"

    def problem(self, path: DataPath, message: str, line: int | None = None) -> str:
        """One problem line for the field at `path`: entry named when the file is a list."""
        line = line or self.line_of(path)
        if isinstance(self.root, yaml.SequenceNode) and path and isinstance(path[0], int):
            return problem_line(self.label, line, message, entry=self.entry_words(path[0]), field=field_name(path[1:]))
        return problem_line(self.label, line, message, field=field_name(path))

    def source_line(self, line: int) -> str:
        return self.source_lines[line - 1] if 0 < line <= len(self.source_lines) else ""


def read_yaml(path: Path | str, *, label: str | None = None, entry_key: str = "id") -> YamlDocument:
    """Read a UTF-8 YAML file into a YamlDocument, or raise DataFileError with one line per problem.
    `label` names the file in messages (default: the path as given); `entry_key` names entries."""
    path = Path(path)
    label = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError([f"{label}: file not found"]) from None
    except IsADirectoryError:
        raise DataFileError([f"{label}: is a folder, not a data file"]) from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise DataFileError([f"{label}:{line}: the file is not UTF-8 text; save it as UTF-8"]) from None
    except OSError as exc:
        raise DataFileError([f"{label}: cannot be read ({exc.strerror or 'unknown reason'})"]) from None
    return parse_yaml(text, label=label, entry_key=entry_key)


def parse_yaml(text: str, *, label: str, entry_key: str = "id") -> YamlDocument:
    """Parse YAML text (see read_yaml). Nothing is built until the node tree has passed every check,
    so aliases never expand and deep nesting never recurses."""
    lines = text.splitlines()
    doc = YamlDocument(None, None, label, lines, entry_key)
    bad = _UNREADABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise DataFileError(
            [
                problem_line(
                    label, line, f"holds a control character ({_escape(bad.group())}) that YAML cannot read; delete it"
                )
            ]
        )
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise DataFileError([_syntax_problem(exc, doc)]) from None
        except yaml.YAMLError as exc:
            raise DataFileError(
                [problem_line(label, 1, f"YAML cannot read this file ({_visible(str(exc).splitlines()[0])})")]
            ) from None
        except RecursionError:  # the pure-Python parser, on brackets nested thousands deep
            raise DataFileError(
                [problem_line(label, 1, f"is nested too deeply (more than {MAX_DEPTH} levels); check the brackets")]
            ) from None
        doc.root = root
        problems = list(_tree_problems(doc))
        if problems:
            raise DataFileError(problems)
        doc.data = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    return doc


# --------------------------------------------------------------------------------------------------
# Checks on the node tree, before anything is built from it
# --------------------------------------------------------------------------------------------------


def _tree_problems(doc: YamlDocument) -> Iterator[str]:
    """Aliases, tags, repeated or non-text keys, deep nesting, hidden characters, and list items
    swallowed by the item above. Walks without recursion and visits each node once."""
    if doc.root is None:
        return
    seen: set[int] = set()
    alias_reported = False
    stack: list[tuple[yaml.Node, DataPath, int, yaml.Node | None]] = [(doc.root, (), 0, None)]
    while stack:
        node, path, depth, key = stack.pop()
        line = (key or node).start_mark.line + 1
        if id(node) in seen:
            # The composer hands back the very same node for an alias: refuse it before anything
            # expands it (a few hundred bytes of nested aliases expand to billions of values).
            if not alias_reported:
                line, name = _first_alias(doc)
                yield doc.problem(
                    path, f"repeats another value with a YAML alias ({name}); write the value out in full", line
                )
                alias_reported = True
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            yield doc.problem(
                path[:2],
                f"is nested too deeply (more than {MAX_DEPTH} levels); check the brackets and indentation",
                line,
            )
            return
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                yield doc.problem(path, f"uses a YAML tag ({_tag(node)}); write the value as plain text", line)
                continue
            words = character_problem(node.value)
            if words:
                yield doc.problem(path, words, line)
            elif not node.style and node.end_mark.line > node.start_mark.line:  # plain text: libyaml '', PyYAML None
                merged = _swallowed_item(doc, node)
                if merged:
                    yield doc.problem(
                        path,
                        (
                            f"the line {shown(doc.source_line(merged).strip(), 40)} was read as part of this text, "
                            "not as a new list item; check its indentation: each '- ' should line up with the one above"
                        ),
                        merged,
                    )
            continue
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                yield doc.problem(path, f"uses a YAML tag ({_tag(node)}); write it as a plain list", line)
                continue
            for i, item in reversed(list(enumerate(node.value))):
                stack.append((item, path + (i,), depth + 1, None))
            continue
        if node.tag != _MAP:
            yield doc.problem(path, f"uses a YAML tag ({_tag(node)}); write it as plain fields", line)
            continue
        first: dict[str, int] = {}
        children = []
        for k, v in node.value:
            kline = k.start_mark.line + 1
            if not isinstance(k, yaml.ScalarNode) or k.tag != _STR:
                what = k.value if isinstance(k, yaml.ScalarNode) else "a list or group"
                words = "a YAML merge (<<)" if k.tag == "tag:yaml.org,2002:merge" else shown(what)
                yield doc.problem(
                    path,
                    f"has a field name YAML does not read as a word ({words}); put the name in quotes or rename it",
                    kline,
                )
                continue
            words = character_problem(k.value) or ("holds a line break" if "\n" in k.value else None)
            if words:
                yield doc.problem(path, f"a field name {words}", kline)
                continue
            if k.value in first:
                yield doc.problem(path + (k.value,), f"appears twice (first at line {first[k.value]}); keep one", kline)
                continue
            first[k.value] = kline
            children.append((v, path + (k.value,), depth + 1, k))
        stack.extend(reversed(children))


def _first_alias(doc: YamlDocument) -> tuple[int, str]:
    """Where the first alias is written, and its name. The node tree only knows where its anchor
    is, so read the events again: only a file that is refused pays for this."""
    for event in yaml.parse("\n".join(doc.source_lines), Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1, "*" + _visible(event.anchor)
    return 1, "*"


def _swallowed_item(doc: YamlDocument, node: yaml.ScalarNode) -> int | None:
    """The line of a '- ' that a plain text value ran on into (an item indented too far), if any."""
    for index in range(node.start_mark.line + 1, node.end_mark.line + 1):
        stripped = doc.source_line(index + 1).lstrip()
        if stripped == "-" or stripped.startswith("- "):
            return index + 1
    return None


# What libyaml and PyYAML report, in the words a contributor needs: (start of the problem, use the
# line of the context mark instead of the problem mark, plain words).
_SYNTAX_WORDS = [
    (
        "mapping values are not allowed",
        False,
        "a ': ' here cannot start a field. Check the indentation of this line and the one above it, "
        "and put text that holds ': ' in quotes",
    ),
    (
        "could not find expected ':'",
        True,
        "this line has no ': ' after a field name, or it belongs to the text above it. Check its "
        "indentation, and put text that runs over several lines in quotes",
    ),
    ("did not find expected key", False, "this line is not indented like the fields around it; check its indentation"),
    (
        "did not find expected '-' indicator",
        False,
        "this line is not indented like the list items around it; check its indentation",
    ),
    ("expected <block end>", False, "this line is not indented like the lines around it; check its indentation"),
    ("found a tab character", False, "this line is indented with a tab; indent with spaces only"),
    (
        "found character that cannot start any token",
        False,
        "this line has a character YAML cannot start a value with (a tab, @ or `). Indent with "
        "spaces, and put text that starts with @ or ` in quotes",
    ),
    ("found unexpected end of stream", True, "a quote or bracket opened here is never closed"),
    (
        "found unknown escape character",
        False,
        "a backslash in double quotes starts an unknown escape; write \\\\ for a backslash, or use single quotes",
    ),
    (
        "exceeded maximum nesting depth",
        False,
        f"is nested too deeply (more than {MAX_DEPTH} levels); check the brackets",
    ),
    ("but found another document", False, "a second document starts here ('---'); a data file holds one list"),
]


def _syntax_problem(exc: yaml.MarkedYAMLError, doc: YamlDocument) -> str:
    problem = exc.problem or exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    words = None
    for start, use_context, text in _SYNTAX_WORDS:
        if start in problem:
            words = text
            if use_context and exc.context_mark is not None:
                mark = exc.context_mark
            break
    if words is None:
        if exc.context and "flow" in exc.context and exc.context_mark is not None:
            words, mark = "a bracket opened here is not closed, or a comma is missing between values", exc.context_mark
        else:
            plain = _visible(problem) if "<" not in problem else "this line does not follow YAML's rules"
            words = f"{plain}; check the indentation and quotes"
    line = mark.line + 1 if mark else 1
    source = doc.source_line(line).rstrip()  # leading spaces kept: they are often the mistake
    if "\t" in source[: len(source) - len(source.lstrip())]:  # whatever YAML called it
        words = "this line is indented with a tab; indent with spaces only"
    if source:
        words += f" (the line reads: {shown(source, 70)})"
    return problem_line(doc.label, line, f"YAML cannot read this line: {words}", entry=_entry_above(doc, line))


def _entry_above(doc: YamlDocument, line: int) -> str | None:
    """The entry a line that YAML cannot read is in, from the nearest `- id: ...` at or above it."""
    start = re.compile(rf"-\s+{re.escape(doc.entry_key)}\s*:\s*(?P<value>[^#]*?)\s*(?:#.*)?")
    for text in reversed(doc.source_lines[:line]):
        found = start.fullmatch(text.rstrip())
        if found:
            value = found["value"]
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            return shown(value) if value else None
    return None
