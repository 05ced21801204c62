"""The question sheet and the records checklist as data: load data/questions.yaml and
data/records.yaml, check them against their schemas, and render them to escaped HTML.

    python -m secondopinions.sheet      # check both files, one line per problem (`make check`)
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .yamldata import DataFileError, YamlDocument, field_name, read_yaml, shown

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS_FILE = ROOT / "data" / "questions.yaml"
RECORDS_FILE = ROOT / "data" / "records.yaml"


class SheetDataError(DataFileError):
    """The question sheet or records checklist data is not usable. One readable line per problem."""


@dataclass(frozen=True)
class Sheet:
    """A sheet as its data file states it: groups of items, plus the words it links and explains."""

    groups: list[dict[str, Any]]
    terms: dict[str, str]  # words -> link target (glossary.md#anchor or another page)
    words: list[dict[str, str]]
    key: str | None


_TYPE_WORDS = {"string": "text (put it in quotes if it is a number or a word like yes/no)",
               "boolean": "true or false", "array": "a list", "object": "a group of fields"}


def _message(error: jsonschema.ValidationError, doc: YamlDocument) -> tuple[tuple, str]:
    path = tuple(error.absolute_path)
    v = error.validator
    if v == "required":
        missing = next(k for k in error.validator_value if k not in error.instance)
        return path + (missing,), "is required but missing"
    if v == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        key = sorted(set(error.instance) - set(allowed))[0]
        guess = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"known fields: {', '.join(allowed)}"
        return path + (key,), f"unknown field ({hint})"
    if error.instance is None:
        return path, "has no value; write it after the ': '"
    got = shown(error.instance)
    if v == "type":
        return path, f"must be {_TYPE_WORDS.get(error.validator_value, error.validator_value)} (got {got})"
    if v == "pattern":
        if path and path[-1] == "id":
            return path, f"must be lowercase letters, digits and single hyphens (got {got})"
        if len(path) >= 2 and path[0] in ("terms", "pages"):
            return path, f"must be {'a glossary anchor such as pathology-slides' if path[0] == 'terms' else 'a page such as costs.md'} (got {got})"
        return path, f"must be plain text that does not start with a space, <, >, =, +, - or @ (got {got})"
    if v in ("minItems", "minLength"):
        return path, "must not be empty"
    if v == "maxLength":
        return path, f"is too long: {len(error.instance)} characters, at most {error.validator_value}"
    if v == "propertyNames":
        return path, f"holds a word that is not lowercase letters, digits, spaces or hyphens (got {shown(error.instance)})"
    return path, f"does not follow the rule '{v}' in the schema (got {got})"


def _where(doc: YamlDocument, path: tuple, kind: str) -> str:
    """`question 'dx-sure': field 'text'`, `word #2: field 'means'`, or `field 'key'`."""
    data = doc.data
    if len(path) >= 4 and path[0] == "groups" and path[2] == f"{kind}s":
        item = data["groups"][path[1]][path[2]][path[3]] if isinstance(path[3], int) else None
        name = shown(item["id"]) if isinstance(item, dict) and isinstance(item.get("id"), str) else f"#{path[3] + 1}"
        rest = field_name(path[4:])
        return f"{kind} {name}" + (f": field '{rest}'" if rest else "")
    if len(path) >= 2 and path[0] == "groups" and isinstance(path[1], int):
        rest = field_name(path[2:])
        return f"group #{path[1] + 1}" + (f": field '{rest}'" if rest else "")
    if len(path) >= 2 and path[0] == "words" and isinstance(path[1], int):
        rest = field_name(path[2:])
        return f"word #{path[1] + 1}" + (f": field '{rest}'" if rest else "")
    return f"field '{field_name(path)}'"


def _items(data: dict[str, Any], kind: str):
    for gi, group in enumerate(data.get("groups") or []):
        if isinstance(group, dict) and isinstance(group.get(f"{kind}s"), list):
            for ii, item in enumerate(group[f"{kind}s"]):
                if isinstance(item, dict):
                    yield ("groups", gi, f"{kind}s", ii), item


def load_sheet(path: Path | str, schema_path: Path | str, kind: str, *, label: str | None = None) -> Sheet:
    """Read and check a sheet's data file; raise SheetDataError with one line per problem.
    `kind` is what one item is called in messages and in the file: "question" or "record"."""
    path = Path(path)
    label = label or str(path)
    try:
        doc = read_yaml(path, label=label)
    except DataFileError as exc:
        raise SheetDataError(exc.problems) from None
    data = doc.data
    if not isinstance(data, dict):
        raise SheetDataError([f"{label}:1: the file must be a group of fields starting with 'groups:' (got {shown(data)})"])
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    problems: list[tuple[int, str]] = []
    flagged: set[tuple] = set()

    def add(path: tuple, message: str) -> None:
        if path not in flagged:
            flagged.add(path)
            line = doc.line_of(path)
            problems.append((line, f"{label}:{line}: {_where(doc, path, kind)}: {message}"))

    for error in jsonschema.Draft202012Validator(schema).iter_errors(data):
        add(*_message(error, doc))
    # Rules a schema cannot say: ids unique across the sheet, and every linked word used.
    seen: dict[str, tuple] = {}
    texts: list[str] = []
    for where, item in _items(data, kind):
        texts.extend(v for k, v in item.items() if k not in ("id", "name") and isinstance(v, str))
        iid = item.get("id")
        if isinstance(iid, str):
            if iid in seen:
                add(where + ("id",), f"{shown(iid)} is used twice (first at line {doc.line_of(seen[iid] + ('id',))}); every id must be unique")
            else:
                seen[iid] = where
    for section in ("terms", "pages"):
        for word in (data.get(section) or {}) if isinstance(data.get(section), dict) else {}:
            if not any(_word_pattern(word).search(t) for t in texts):
                add((section, word), f"{shown(word)} appears nowhere on the sheet, so nothing would link it")
    if problems:
        raise SheetDataError([p for _, p in sorted(problems, key=lambda p: p[0])])
    terms = {w: f"glossary.md#{a}" for w, a in (data.get("terms") or {}).items()}
    terms.update(data.get("pages") or {})
    return Sheet(groups=data["groups"], terms=terms, words=data.get("words") or [], key=data.get("key"))


def load_questions(path: Path | str = QUESTIONS_FILE, *, label: str | None = None) -> Sheet:
    return load_sheet(path, ROOT / "data" / "questions.schema.json", "question", label=label)


def load_records(path: Path | str = RECORDS_FILE, *, label: str | None = None) -> Sheet:
    return load_sheet(path, ROOT / "data" / "records.schema.json", "record", label=label)


# --------------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------------


def _word_pattern(word: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)


# Characters Markdown would read as formatting; the sheet's text goes through Markdown (so MkDocs
# checks every glossary link), and must come out as the same plain words.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]{}!])")


def _plain(text: str) -> str:
    return str(escape(_MARKDOWN_SPECIALS.sub(r"\\\1", text)))


class TermLinker:
    """Links each word of `terms` the first time it appears on a sheet, in reading order."""

    def __init__(self, terms: dict[str, str]):
        self.terms = terms
        self.used: set[str] = set()
        longest_first = sorted(terms, key=len, reverse=True)
        self.pattern = re.compile(
            "|".join(rf"(?<![\w-]){re.escape(w)}(?![\w-])" for w in longest_first) or r"(?!x)x", re.IGNORECASE
        )

    def __call__(self, text: str) -> Markup:
        out, last = [], 0
        for m in self.pattern.finditer(text):
            word = m.group(0).lower()
            if word in self.used:
                continue
            self.used.add(word)
            out.append(_plain(text[last : m.start()]))
            out.append(f"[{_plain(m.group(0))}]({self.terms[word]})")
            last = m.end()
        out.append(_plain(text[last:]))
        return Markup("".join(out))


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("secondopinions", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_ENV = _environment()


def render_questions(sheet: Sheet) -> str:
    """The question sheet's form, as Markdown-with-HTML for the page (glossary links in Markdown,
    so the strict build checks them)."""
    link = TermLinker(sheet.terms)
    has_start = any(q.get("start_here") for g in sheet.groups for q in g["questions"])
    return _ENV.get_template("question-sheet.html").render(sheet=sheet, link=link, has_start=has_start).strip() + "\n"


def render_records(sheet: Sheet) -> str:
    """The records checklist's form, the same way as render_questions."""
    link = TermLinker(sheet.terms)
    return _ENV.get_template("records-checklist.html").render(sheet=sheet, link=link).strip() + "\n"


def main() -> int:
    """Check both sheets' data files the way the build does; print one line per problem."""
    status = 0
    for load, path, kind in ((load_questions, QUESTIONS_FILE, "questions"), (load_records, RECORDS_FILE, "records")):
        label = path.relative_to(ROOT).as_posix()
        try:
            sheet = load(path, label=label)
        except SheetDataError as exc:
            print("\n".join(exc.problems), file=sys.stderr)
            status = 1
            continue
        count = sum(len(group[kind]) for group in sheet.groups)
        print(f"{path.name}: {count} {kind}, all valid")
    return status


if __name__ == "__main__":
    sys.exit(main())
