"""Load the directory data, check it against its schema and rules, and return typed records.

Everything here is plain Python so any site generator (MkDocs today, something else later) can call it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = ROOT / "data" / "hospitals.yaml"
SCHEMA_FILE = ROOT / "data" / "hospitals.schema.json"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ProgramDataError(Exception):
    """The directory data is not usable. Holds one readable line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Location:
    city: str
    region: str
    country: str


@dataclass(frozen=True)
class Contact:
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Program:
    """One second-opinion program, exactly as the data file states it."""

    id: str
    institution: str
    program: str
    url: str
    location: Location
    source: str
    checked: dt.date
    formats: tuple[str, ...] = ()
    who_can_ask: tuple[str, ...] = ()
    international: bool | None = None
    areas_excluded: tuple[str, ...] = ()
    cost: str | None = None
    turnaround: str | None = None
    ages: str | None = None
    records: tuple[str, ...] = ()
    contact: Contact = field(default_factory=Contact)
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The record as plain JSON-ready data, with the same keys as the YAML (absent fields left out)."""
        out: dict[str, Any] = {
            "id": self.id,
            "institution": self.institution,
            "program": self.program,
            "url": self.url,
            "location": {
                "city": self.location.city,
                "region": self.location.region,
                "country": self.location.country,
            },
        }
        if self.formats:
            out["formats"] = list(self.formats)
        if self.who_can_ask:
            out["who_can_ask"] = list(self.who_can_ask)
        if self.international is not None:
            out["international"] = self.international
        for key in ("areas_excluded", "records"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        for key in ("cost", "turnaround", "ages"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        contact = {k: v for k, v in (("phone", self.contact.phone), ("email", self.contact.email)) if v}
        if contact:
            out["contact"] = contact
        if self.note is not None:
            out["note"] = self.note
        out["source"] = self.source
        out["checked"] = self.checked.isoformat()
        return out


def load_schema(path: Path = SCHEMA_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def labels(schema: dict[str, Any], name: str) -> dict[str, str]:
    """Human words for coded values (country codes, formats, who can ask), kept in the schema."""
    props = schema["$defs"]["program"]["properties"]
    if name == "country":
        return props["location"]["properties"]["country"]["x-labels"]
    return props[name]["items"]["x-labels"]


# --------------------------------------------------------------------------------------------------
# Reading YAML with line numbers
# --------------------------------------------------------------------------------------------------


class _Lines:
    """Line numbers of each entry and each field, taken from the YAML node tree when first asked
    for (only bad data needs them, so good data pays nothing)."""

    def __init__(self, root: yaml.Node | None):
        self._root = root
        self._entries: list[int] | None = None
        self._fields: list[dict[str, int]] = []

    @property
    def entries(self) -> list[int]:
        if self._entries is None:
            self._entries = []
            if isinstance(self._root, yaml.SequenceNode):
                for item in self._root.value:
                    self._entries.append(item.start_mark.line + 1)
                    self._fields.append(self._map(item, ""))
        return self._entries

    def _map(self, node: yaml.Node, prefix: str) -> dict[str, int]:
        found: dict[str, int] = {}
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = f"{prefix}{key.value}"
                found[name] = key.start_mark.line + 1
                found.update(self._map(value, name + "."))
        elif isinstance(node, yaml.SequenceNode):
            base = prefix[:-1]
            for i, item in enumerate(node.value):
                found[f"{base}[{i}]"] = item.start_mark.line + 1
                found.update(self._map(item, f"{base}[{i}]."))
        return found

    def of(self, index: int, name: str | None = None) -> int:
        if index >= len(self.entries):
            return 1
        if name:
            # The field itself, or the nearest enclosing field that has a line.
            while name:
                if name in self._fields[index]:
                    return self._fields[index][name]
                parent = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", name)
                name = "" if parent == name else parent
        return self.entries[index]


def _read_yaml(text: str, label: str) -> tuple[Any, _Lines]:
    """Parse with PyYAML's safe loader (YAML 1.1, as mkdocs-macros reads YAML), keeping the node tree
    for line numbers. libyaml's C version when present: the same rules, ten times faster."""
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "could not be read"
        raise ProgramDataError([f"{label}:{line}: YAML syntax error: {what}"]) from None
    except yaml.YAMLError as exc:
        raise ProgramDataError([f"{label}:1: YAML syntax error: {exc}"]) from None
    except ValueError as exc:  # e.g. a date like 2026-13-45 that matches YAML's date form
        raise ProgramDataError([f"{label}:1: a value could not be read: {exc}"]) from None
    finally:
        loader.dispose()
    return data, _Lines(node)


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------


def _json_ready(value: Any) -> Any:
    """Dates from YAML become ISO strings so the schema checks them like any other text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    return value


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= limit else text[: limit - 1] + "…'"


_TYPE_WORDS = {
    "string": "text (put it in quotes if it is a number or a word like yes/no)",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of fields",
}


# What a field's `pattern` in the schema asks for, in words, by field name.
_PATTERN_WORDS = {
    "id": "must be lowercase letters, digits and single hyphens",
    "checked": "must be a date written YYYY-MM-DD",
    "phone": "must be a phone number in quotes, digits with spaces or hyphens",
    "email": "must be an email address",
    "text": "must not start with a space or with =, +, - or @",
}


def _explain(error: jsonschema.ValidationError) -> tuple[str | None, str]:
    """Turn one schema error into (field path, plain message)."""
    path = [p for p in error.absolute_path][1:]  # drop the entry index
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    v = error.validator
    if v == "required":
        missing = error.message.split("'")[1]
        full = f"{name}.{missing}" if name else missing
        return full, "is required but missing"
    if v == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        allowed = list(error.schema.get("properties", {}))
        key = extra[0]
        full = f"{name}.{key}" if name else key
        guess = difflib.get_close_matches(key, allowed, n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else f" (known fields: {', '.join(allowed)})"
        return full, f"unknown field{hint}"
    if v == "type":
        return name, f"must be {_TYPE_WORDS.get(error.validator_value, error.validator_value)} (got {_shown(error.instance)})"
    if v == "enum":
        return name, f"must be one of: {', '.join(error.validator_value)} (got {_shown(error.instance)})"
    if v == "pattern":
        last = name.rsplit(".", 1)[-1].split("[")[0]
        if last in ("url", "source"):
            https = str(error.instance).startswith("https://")
            words = "must be a plain https:// address with no spaces or quotes" if https else "must start with https://"
        else:
            words = _PATTERN_WORDS.get(last, _PATTERN_WORDS["text"])
        return name, f"{words} (got {_shown(error.instance)})"
    if v in ("minItems", "minProperties", "minLength"):
        return name, "must not be empty"
    if v == "maxLength":
        return name, f"is too long (at most {error.validator_value} characters)"
    if v == "uniqueItems":
        return name, f"lists the same value twice (got {_shown(error.instance)})"
    return name, error.message


def _without_refs(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with each local `$ref` replaced by what it points to. Same rules; validating
    thousands of entries takes half the time without resolving references one by one."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            target = _without_refs(defs[ref.rsplit("/", 1)[-1]], defs)
            return {**target, **{k: _without_refs(v, defs) for k, v in node.items() if k != "$ref"}}
        return {k: _without_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_without_refs(v, defs) for v in node]
    return node


def validate(data: Any, lines: _Lines, label: str, schema: dict[str, Any], today: dt.date) -> list[str]:
    """Every problem in the data, one line each, in file order."""
    if data is None:
        return [f"{label}:1: the file is empty; it should be a list of programs (see data/README.md)"]
    if not isinstance(data, list):
        kind = {dict: "a single mapping", str: "text"}.get(type(data), type(data).__name__)
        return [f"{label}:1: the file must be a list of programs, each starting with '- id:' (got {kind})"]

    problems: list[tuple[int, str]] = []

    def entry_name(i: int) -> str:
        item = data[i]
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return f"entry '{item['id']}'"
        return f"entry #{i + 1}"

    def add(i: int, fieldname: str | None, message: str) -> None:
        line = lines.of(i, fieldname)
        where = f"{label}:{line}: {entry_name(i)}"
        problems.append((line, f"{where}: field '{fieldname}': {message}" if fieldname else f"{where}: {message}"))

    validator = jsonschema.Draft202012Validator(_without_refs(schema, schema.get("$defs", {})))
    for error in validator.iter_errors(_json_ready(data)):
        index = error.absolute_path[0] if error.absolute_path else None
        if index is None:
            problems.append((1, f"{label}:1: {error.message}"))
            continue
        fieldname, message = _explain(error)
        if fieldname == "":
            fieldname = None
            if error.validator == "type":
                message = "each program must be a group of fields starting with '- id:'"
        add(index, fieldname, message)

    # Rules a JSON Schema cannot say: real dates, not in the future, unique ids, sorted order.
    seen: dict[str, int] = {}
    previous: str | None = None
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            continue
        checked = item.get("checked")
        if isinstance(checked, dt.date):
            if checked > today:
                add(i, "checked", f"is in the future ({checked.isoformat()}); use the date you read the source")
        elif isinstance(checked, str) and len(checked) == 10:
            try:
                dt.date.fromisoformat(checked)
            except ValueError:
                add(i, "checked", f"is not a real date (got '{checked}')")
        pid = item.get("id")
        if isinstance(pid, str):
            if pid in seen:
                add(i, "id", f"'{pid}' is used twice (first at line {lines.of(seen[pid])}); every id must be unique")
            else:
                seen[pid] = i
            if previous is not None and pid < previous:
                add(i, "id", f"entries must be sorted by id: '{pid}' should come before '{previous}'")
            previous = pid
    problems.sort(key=lambda p: p[0])
    return [p[1] for p in problems]


def _to_program(item: dict[str, Any]) -> Program:
    loc = item["location"]
    contact = item.get("contact") or {}
    checked = item["checked"]
    return Program(
        id=item["id"],
        institution=item["institution"].strip(),
        program=item["program"].strip(),
        url=item["url"],
        location=Location(loc["city"].strip(), loc["region"].strip(), loc["country"]),
        formats=tuple(item.get("formats", ())),
        source=item["source"],
        checked=checked if isinstance(checked, dt.date) else dt.date.fromisoformat(checked),
        who_can_ask=tuple(item.get("who_can_ask", ())),
        international=item.get("international"),
        areas_excluded=tuple(s.strip() for s in item.get("areas_excluded", ())),
        cost=item.get("cost", "").strip() or None,
        turnaround=item.get("turnaround", "").strip() or None,
        ages=item.get("ages", "").strip() or None,
        records=tuple(s.strip() for s in item.get("records", ())),
        contact=Contact(phone=contact.get("phone"), email=contact.get("email")),
        note=item.get("note", "").strip() or None,
    )


def load_programs(
    path: Path | str = DATA_FILE,
    *,
    schema: dict[str, Any] | None = None,
    today: dt.date | None = None,
    label: str | None = None,
) -> list[Program]:
    """Read, check and return the programs, or raise ProgramDataError with one line per problem."""
    path = Path(path)
    if label is None:
        try:
            label = str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            label = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProgramDataError([f"{label}: file not found"]) from None
    except UnicodeDecodeError as exc:
        raise ProgramDataError([f"{label}:1: the file is not UTF-8 text ({exc.reason})"]) from None
    data, lines = _read_yaml(text, label)
    problems = validate(data, lines, label, schema or load_schema(), today or dt.date.today())
    if problems:
        raise ProgramDataError(problems)
    return [_to_program(item) for item in data]
