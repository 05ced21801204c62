"""The question sheet and the records checklist as data: load data/questions.yaml and
data/records.yaml, check them against their schemas, and render them to escaped HTML.

Each text has its Spanish beside it (`text` and `text_es`, `heading` and `heading_es`, `terms` and
`terms_es`...). A file with no Spanish is valid (the Spanish page then shows the English texts); once
a file has any Spanish, every text needs it. `load_questions(lang="es")` gives the Spanish sheet.

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

from .words import LANGUAGES  # the site's languages, one list for the sheets and the directory
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
    lang: str = "en"  # the language of the texts: "es" only when the file has Spanish


SPANISH = "_es"
# The text fields each kind of item has; each may have its Spanish twin, named with SPANISH added.
ITEM_TEXTS = {"question": ("text",), "record": ("name", "what", "who_has_it", "how_to_ask", "how_long")}


_TYPE_WORDS = {
    "string": "text (put it in quotes if it is a number or a word like yes/no)",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of fields",
}


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
            return (
                path,
                f"must be {'a glossary anchor such as pathology-slides' if path[0] == 'terms' else 'a page such as costs.md'} (got {got})",
            )
        return path, f"must be plain text that does not start with a space, <, >, =, +, - or @ (got {got})"
    if v in ("minItems", "minLength"):
        return path, "must not be empty"
    if v == "maxLength":
        return path, f"is too long: {len(error.instance)} characters, at most {error.validator_value}"
    if v == "propertyNames":
        return (
            path,
            f"holds a word that is not lowercase letters, digits, spaces or hyphens (got {shown(error.instance)})",
        )
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


def load_sheet(
    path: Path | str, schema_path: Path | str, kind: str, *, label: str | None = None, lang: str = "en"
) -> Sheet:
    """Read and check a sheet's data file; raise SheetDataError with one line per problem.
    `kind` is what one item is called in messages and in the file: "question" or "record".
    `lang` "es" gives the Spanish texts in the English fields' places (English when the file has none)."""
    path = Path(path)
    label = label or str(path)
    try:
        doc = read_yaml(path, label=label)
    except DataFileError as exc:
        raise SheetDataError(exc.problems) from None
    data = doc.data
    if not isinstance(data, dict):
        raise SheetDataError(
            [f"{label}:1: the file must be a group of fields starting with 'groups:' (got {shown(data)})"]
        )
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
    # Rules a schema cannot say: ids unique across the sheet, every linked word used, and once the
    # file has any Spanish, every text has its Spanish.
    seen: dict[str, tuple] = {}
    texts: list[str] = []
    texts_es: list[str] = []
    for where, item in _items(data, kind):
        for k, v in item.items():
            if k not in ("id", "name", "name" + SPANISH) and isinstance(v, str):
                (texts_es if k.endswith(SPANISH) else texts).append(v)
        iid = item.get("id")
        if isinstance(iid, str):
            if iid in seen:
                add(
                    where + ("id",),
                    f"{shown(iid)} is used twice (first at line {doc.line_of(seen[iid] + ('id',))}); every id must be unique",
                )
            else:
                seen[iid] = where
    spanish = _has_spanish(data)
    missing = _text_places(data, kind) if spanish else []
    for path, field in missing:
        add(path + (field + SPANISH,), f"is missing: the file has Spanish, so '{field}' needs its Spanish beside it")
    # Spanish words are checked against the Spanish texts once those are all there (one problem, one line).
    sections = (("terms", texts), ("pages", texts)) + (
        (("terms_es", texts_es), ("pages_es", texts_es)) if not missing else ()
    )
    for section, among in sections:
        for word in (data.get(section) or {}) if isinstance(data.get(section), dict) else {}:
            if not any(_word_pattern(word).search(t) for t in among):
                add((section, word), f"{shown(word)} appears nowhere on the sheet, so nothing would link it")
    if problems:
        raise SheetDataError([p for _, p in sorted(problems, key=lambda p: p[0])])
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES} (got {lang!r})")
    if lang == "es" and spanish:
        data = _in_spanish(data)
    else:
        lang = "en"
    terms = {w: f"glossary.md#{a}" for w, a in (data.get("terms") or {}).items()}
    terms.update(data.get("pages") or {})
    return Sheet(groups=data["groups"], terms=terms, words=data.get("words") or [], key=data.get("key"), lang=lang)


def _has_spanish(node: Any) -> bool:
    if isinstance(node, dict):
        return any((isinstance(k, str) and k.endswith(SPANISH)) or _has_spanish(v) for k, v in node.items())
    if isinstance(node, list):
        return any(_has_spanish(v) for v in node)
    return False


def _text_places(data: dict[str, Any], kind: str):
    """(path of the holder, field) for every English text, linked-word list or key without its Spanish twin."""

    def lacking(holder: Any, path: tuple, fields) -> list:
        if not isinstance(holder, dict):
            return []
        return [(path, f) for f in fields if f in holder and f + SPANISH not in holder]

    found = lacking(data, (), ("key", "terms", "pages"))
    for wi, word in enumerate(data.get("words") or [] if isinstance(data.get("words"), list) else []):
        found += lacking(word, ("words", wi), ("term", "means"))
    for gi, group in enumerate(data.get("groups") or [] if isinstance(data.get("groups"), list) else []):
        found += lacking(group, ("groups", gi), ("heading",))
    for where, item in _items(data, kind):
        found += lacking(item, where, ITEM_TEXTS[kind])
    return found


def _in_spanish(data: dict[str, Any]) -> dict[str, Any]:
    """The data with each Spanish value in its English field's place (a checked file, so every one is there)."""
    if isinstance(data, dict):
        out = {k: _in_spanish(v) for k, v in data.items() if not k.endswith(SPANISH)}
        out.update({k[: -len(SPANISH)]: _in_spanish(v) for k, v in data.items() if k.endswith(SPANISH)})
        return out
    if isinstance(data, list):
        return [_in_spanish(v) for v in data]
    return data


def load_questions(path: Path | str = QUESTIONS_FILE, *, label: str | None = None, lang: str = "en") -> Sheet:
    return load_sheet(path, ROOT / "data" / "questions.schema.json", "question", label=label, lang=lang)


def load_records(path: Path | str = RECORDS_FILE, *, label: str | None = None, lang: str = "en") -> Sheet:
    return load_sheet(path, ROOT / "data" / "records.schema.json", "record", label=label, lang=lang)


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

# The forms' fixed words, per page language (the Spanish from the writer's directory-ui.es.yaml,
# `sheets:`). docs/assets/sheet.js holds the words it says itself, the same way.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "printed_from": "Printed from",
        "site_name": "Second Opinions for Childhood Cancer",
        "print_sheet": "Print this sheet",
        "print_checklist": "Print this checklist",
        "clear_button": "Clear",
        "words": "Words on this sheet",
        "start_here": "Start here",
        "start_legend": "marks a few good questions to ask first.",
        "about_visit": "About this visit",
        "about_request": "About this request",
        "child": "Child's name",
        "date": "Date",
        "doctor": "Doctor",
        "hospital": "Hospital",
        "send_to": "Send records to",
        "ask_this": "Ask this",
        "question_n": ": question {n}",
        "own": "Your own questions",
        "add_legend": "Add a question of your own",
        "your_question": "Your question",
        "add": "Add question",
        "asked": "Asked for it",
        "got": "Got it",
        "who_has_it": "Who has it",
        "how_to_ask": "How to ask",
        "how_long": "How long",
        "notes": "Notes",
        "notes_question": "Who did you talk to, and when? Phone numbers, tracking numbers, anything still to do.",
    },
    "es": {
        "printed_from": "Impreso de",
        "site_name": "Segundas opiniones para el cáncer infantil",
        "print_sheet": "Imprimir esta hoja",
        "print_checklist": "Imprimir esta lista",
        "clear_button": "Borrar",
        "words": "Palabras de esta hoja",
        "start_here": "Empiece aquí",
        "start_legend": "marca unas buenas preguntas para hacer primero.",
        "about_visit": "Sobre esta consulta",
        "about_request": "Sobre esta solicitud",
        "child": "Nombre del niño",
        "date": "Fecha",
        "doctor": "Médico",
        "hospital": "Hospital",
        "send_to": "Enviar los expedientes a",
        "ask_this": "Preguntar",
        "question_n": ": pregunta {n}",
        "own": "Sus propias preguntas",
        "add_legend": "Agregue una pregunta suya",
        "your_question": "Su pregunta",
        "add": "Agregar pregunta",
        "asked": "Lo pedí",
        "got": "Lo tengo",
        "who_has_it": "Quién lo tiene",
        "how_to_ask": "Cómo pedirlo",
        "how_long": "Cuánto tarda",
        "notes": "Notas",
        "notes_question": "¿Con quién habló, y cuándo? Números de teléfono, números de rastreo, lo que falta por hacer.",
    },
}


def storage_name(kind: str, lang: str) -> str:
    """The form's data-so-sheet name, which keys what a family typed (so-sheet:<name>): each language
    keeps its own notes, and the English names never change."""
    return kind if lang == "en" else f"{kind}-{lang}"


def render_questions(sheet: Sheet, lang: str = "en") -> str:
    """The question sheet's form, as Markdown-with-HTML for the page (glossary links in Markdown,
    so the strict build checks them). `lang` is the page's language: its labels and storage key."""
    link = TermLinker(sheet.terms)
    has_start = any(q.get("start_here") for g in sheet.groups for q in g["questions"])
    return (
        _ENV.get_template("question-sheet.html")
        .render(sheet=sheet, link=link, has_start=has_start, t=LABELS[lang], name=storage_name("questions", lang))
        .strip()
        + "\n"
    )


def render_records(sheet: Sheet, lang: str = "en") -> str:
    """The records checklist's form, the same way as render_questions."""
    link = TermLinker(sheet.terms)
    return (
        _ENV.get_template("records-checklist.html")
        .render(sheet=sheet, link=link, t=LABELS[lang], name=storage_name("records", lang))
        .strip()
        + "\n"
    )


def main() -> int:
    """Check both sheets' data files the way the build does; print one line per problem."""
    status = 0
    for load, path, kind in ((load_questions, QUESTIONS_FILE, "questions"), (load_records, RECORDS_FILE, "records")):
        label = path.relative_to(ROOT).as_posix()
        try:
            sheet = load(path, label=label, lang="es")
        except SheetDataError as exc:
            print("\n".join(exc.problems), file=sys.stderr)
            status = 1
            continue
        count = sum(len(group[kind]) for group in sheet.groups)
        spanish = ", with Spanish" if sheet.lang == "es" else ""
        print(f"{path.name}: {count} {kind}{spanish}, all valid")
    return status


if __name__ == "__main__":
    sys.exit(main())
