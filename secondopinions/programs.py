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
from typing import Any, Iterable

import jsonschema
import jsonschema_rs

from .yamldata import DataFileError, YamlDocument, field_name, read_yaml, shown

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = ROOT / "data" / "hospitals.yaml"
SCHEMA_FILE = ROOT / "data" / "hospitals.schema.json"


class ProgramDataError(DataFileError):
    """The directory data is not usable. Holds one readable line per problem."""


@dataclass(frozen=True)
class Location:
    city: str
    region: str | None  # only when a source states it
    country: str

    @property
    def place(self) -> str:
        """What the directory groups by within a country: the region, or the city when there is none."""
        return self.region or self.city


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
    sources: tuple[str, ...]  # the program's own family-facing page first
    checked: dt.date
    formats: tuple[str, ...] = ()
    who_can_ask: tuple[str, ...] = ()
    international: bool | None = None
    areas_excluded: tuple[str, ...] = ()
    eligibility: tuple[str, ...] = ()
    cancer_types: tuple[str, ...] = ()  # ICCC-3 group ids, or ("all",)
    report_to: str | None = None
    not_for_urgent: bool | None = None
    languages: tuple[str, ...] = ()  # BCP 47 codes
    interpreters: bool | None = None
    cost: str | None = None
    turnaround: str | None = None
    ages: str | None = None
    records: tuple[str, ...] = ()
    contact: Contact = field(default_factory=Contact)
    note: str | None = None

    @property
    def source(self) -> str:
        """The program's own page among the sources (schema v1 had this one address only)."""
        return self.sources[0]

    def as_dict(self) -> dict[str, Any]:
        """The record as plain JSON-ready data, with the same keys as the YAML (absent fields left out)."""
        out: dict[str, Any] = {
            "id": self.id,
            "institution": self.institution,
            "program": self.program,
            "url": self.url,
            "location": {"city": self.location.city},
        }
        if self.location.region is not None:
            out["location"]["region"] = self.location.region
        out["location"]["country"] = self.location.country
        for key in (
            "formats",
            "who_can_ask",
            "international",
            "areas_excluded",
            "eligibility",
            "cancer_types",
            "report_to",
            "not_for_urgent",
            "languages",
            "interpreters",
            "cost",
            "turnaround",
            "ages",
            "records",
        ):
            value = getattr(self, key)
            if isinstance(value, tuple):
                if value:
                    out[key] = list(value)
            elif value is not None:
                out[key] = value
        contact = {k: v for k, v in (("phone", self.contact.phone), ("email", self.contact.email)) if v}
        if contact:
            out["contact"] = contact
        if self.note is not None:
            out["note"] = self.note
        out["sources"] = list(self.sources)
        out["checked"] = self.checked.isoformat()
        return out


def load_schema(path: Path = SCHEMA_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


LABEL_KEYS = {"en": "x-labels", "es": "x-labels-es"}


def labels(schema: dict[str, Any], name: str, lang: str = "en") -> dict[str, str]:
    """Human words for coded values (country codes, formats, who can ask, kinds of cancer, who gets
    the report, languages), kept in the schema beside the codes: `x-labels` in English, `x-labels-es`
    in Spanish."""
    props = schema["$defs"]["program"]["properties"]
    spec = props["location"]["properties"]["country"] if name == "country" else props[name]
    if "x-labels" not in spec:
        spec = spec["items"]
    return spec[LABEL_KEYS[lang]]


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------

# The page's own ids (filters, headings, country and region anchors) start with these, so no
# program id can ever be the same as one of them.
RESERVED_ID_PREFIXES = ("so-", "in-")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# Fields renamed between schema versions: what a contributor copying an old entry is told.
_RENAMED = {
    "source": (
        "unknown field (did you mean 'sources'?): 'source' is now a list, 'sources'; put each page on its "
        "own line under 'sources:' as '- https://...', the program's own page first"
    ),
}

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


def _got(doc: YamlDocument, path: tuple, value: Any) -> str:
    """The value as the contributor wrote it: `yes`, not True; `5550100000`; 'quoted text'."""
    if isinstance(value, str):
        return shown(value)
    written = doc.written(path)
    if written is not None and isinstance(value, (bool, int, float)):
        return shown(written)[1:-1]
    return shown(value)


def _explain(error: jsonschema.ValidationError, doc: YamlDocument) -> tuple[tuple, str]:
    """Turn one schema error into (path of the field within the file, plain message)."""
    path = tuple(error.absolute_path)
    name = field_name(path[1:])
    v = error.validator
    if v == "required":
        missing = next(k for k in error.validator_value if k not in error.instance)
        return path + (missing,), "is required but missing"
    if v == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        key = sorted(set(error.instance) - set(allowed))[0]
        if key in _RENAMED:
            return path + (key,), _RENAMED[key]
        guess = difflib.get_close_matches(key, allowed, n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else f" (known fields: {', '.join(allowed)})"
        return path + (key,), f"unknown field{hint}"
    if error.instance is None:
        # A value left blank, or a block whose lines were moved out of it by mistake.
        return path, (
            "has no value; write it after the ': ', or if its lines follow, indent them further than this line"
        )
    got = _got(doc, path, error.instance)
    if v == "type":
        return path, f"must be {_TYPE_WORDS.get(error.validator_value, error.validator_value)} (got {got})"
    if v == "enum":
        return path, f"must be one of: {', '.join(map(str, error.validator_value))} (got {got})"
    if v == "pattern":
        last = name.rsplit(".", 1)[-1].split("[")[0]
        if last in ("url", "sources"):
            https = str(error.instance).startswith("https://")
            words = "must be a plain https:// address with no spaces or quotes" if https else "must start with https://"
        else:
            words = _PATTERN_WORDS.get(last, _PATTERN_WORDS["text"])
        return path, f"{words} (got {got})"
    if v in ("minItems", "minProperties", "minLength"):
        return path, "must not be empty"
    if v == "maxLength":
        return path, f"is too long: {len(error.instance)} characters, at most {error.validator_value}"
    if v == "uniqueItems":
        # Point at the repeat itself, so the line number leads to it.
        items = list(error.instance)
        for j, value in enumerate(items):
            if value in items[:j]:
                return path + (j,), (
                    f"lists {shown(value)} twice (first as {name}[{items.index(value)}]); list each value once"
                )
        return path, "lists the same value twice"
    return path, f"does not follow the rule '{v}' in the schema (got {got})"


def _strings(value: Any, path: tuple) -> Any:
    """Every text value inside `value`, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, path + (i,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))


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


def _follows_schema(data: Any, schema: dict[str, Any]) -> bool:
    try:
        return jsonschema_rs.validator_for(schema).is_valid(data)
    except ValueError:  # a value JSON has no form for; the full check names it
        return False


def validate(doc: YamlDocument, schema: dict[str, Any], today: dt.date) -> list[str]:
    """Every problem in the data, one line each, in file order; at most one per field."""
    data, label = doc.data, doc.label
    if data is None:
        return [f"{label}:1: the file is empty; it should be a list of programs (see data/README.md)"]
    if not isinstance(data, list):
        kind = "a single mapping" if isinstance(data, dict) else shown(data)
        return [f"{label}:1: the file must be a list of programs, each starting with '- id:' (got {kind})"]
    if not data:
        return [f"{label}:1: the list of programs is empty; add at least one (see data/README.md)"]

    problems: list[tuple[int, str]] = []
    flagged: set[tuple] = set()  # fields that already have a problem: one message each

    def add(path: tuple, message: str) -> None:
        if path in flagged:
            return
        flagged.add(path)
        line = doc.line_of(path)
        problems.append((line, doc.problem(path, message, line)))

    # Rules first that name the real cause, so the schema's more general words do not repeat them.
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            continue
        for path, text in _strings(item, (i,)):
            if "\n" in text or "\r" in text:
                add(path, f"must be on one line (it holds a line break: {shown(text)})")
        if "source" in item and "sources" not in item:
            add((i, "source"), _RENAMED["source"])
            flagged.add((i, "sources"))  # the missing 'sources' is the same mistake: one line
        cancer = item.get("cancer_types")
        if isinstance(cancer, list) and "all" in cancer and len(cancer) > 1:
            if any(c != "all" for c in cancer):
                add(
                    (i, "cancer_types"),
                    "lists 'all' together with other kinds; 'all' already means every kind, "
                    f"so write either [all] or only the kinds (got {', '.join(map(shown, cancer))})",
                )
            else:  # [all, all]: a repeat, named at the repeated item; not also "too many"
                flagged.add((i, "cancer_types"))
        pid = item.get("id")
        if isinstance(pid, str) and pid.startswith(RESERVED_ID_PREFIXES):
            add(
                (i, "id"),
                f"must not start with {' or '.join(map(repr, RESERVED_ID_PREFIXES))}, which the "
                f"directory page keeps for its own parts (got {shown(pid)})",
            )

    # jsonschema-rs says at once whether the data follows the schema (a twentieth of the time for
    # thousands of entries); the Python validator, whose errors _explain turns into plain words, runs
    # only when it does not, and has the last word: what it accepts is accepted.
    errors: Iterable[jsonschema.ValidationError] = ()
    if not _follows_schema(data, schema):
        errors = jsonschema.Draft202012Validator(_without_refs(schema, schema.get("$defs", {}))).iter_errors(data)
    for error in errors:
        if not error.absolute_path:
            problems.append((1, f"{label}:1: the file does not follow the schema ({error.validator})"))
            continue
        path, message = _explain(error, doc)
        if len(path) == 1 and error.validator == "type":
            message = "each program must be a group of fields starting with '- id:'"
        add(path, message)

    # Rules a JSON Schema cannot say: real dates, not in the future, unique ids, sorted order.
    seen: dict[str, int] = {}
    previous: str | None = None
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            continue
        checked = item.get("checked")
        if isinstance(checked, str) and _DATE.fullmatch(checked):  # other forms have their message
            try:
                date = dt.date.fromisoformat(checked)
            except ValueError:
                add((i, "checked"), f"is not a real date (got {shown(checked)})")
            else:
                if date > today:
                    add((i, "checked"), f"is in the future ({checked}); use the date you read the source")
        pid = item.get("id")
        if isinstance(pid, str):
            if pid in seen:
                add(
                    (i, "id"),
                    f"{shown(pid)} is used twice (first at line {doc.line_of((seen[pid],))}); every id must be unique",
                )
            else:
                seen[pid] = i
            if previous is not None and pid < previous:
                add((i, "id"), f"entries must be sorted by id: {shown(pid)} should come before {shown(previous)}")
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
        location=Location(loc["city"].strip(), (loc.get("region") or "").strip() or None, loc["country"]),
        formats=tuple(item.get("formats", ())),
        sources=tuple(item["sources"]),
        checked=dt.date.fromisoformat(checked),
        who_can_ask=tuple(item.get("who_can_ask", ())),
        international=item.get("international"),
        areas_excluded=tuple(s.strip() for s in item.get("areas_excluded", ())),
        eligibility=tuple(s.strip() for s in item.get("eligibility", ())),
        cancer_types=tuple(item.get("cancer_types", ())),
        report_to=item.get("report_to"),
        not_for_urgent=item.get("not_for_urgent"),
        languages=tuple(item.get("languages", ())),
        interpreters=item.get("interpreters"),
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
        doc = read_yaml(path, label=label)
    except DataFileError as exc:
        raise ProgramDataError(exc.problems) from None
    problems = validate(doc, schema or load_schema(), today or dt.date.today())
    if problems:
        raise ProgramDataError(problems)
    return [_to_program(item) for item in doc.data]
