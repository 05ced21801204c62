"""The question sheet and the records checklist as data: load data/questions.yaml and
data/records.yaml, check them against their schemas, and render them to escaped HTML.

Each text has its Spanish beside it (`text` and `text_es`, `heading` and `heading_es`, `terms` and
`terms_es`...). A file with no Spanish is valid (the Spanish page then shows the English texts); once
a file has any Spanish, every text needs it. `load_questions(lang="es")` gives the Spanish sheet.

An id is a published contract: it keys the notes a family saved in their browser. Every id the
sheets have published is listed in data/published-ids.yaml, and a check given that list refuses an id
that disappears unless the data says what became of it (`renamed_from` on the item that replaces it,
or an entry under `retired`).

    python -m secondopinions.sheet [DATA_DIR]   # check both files, one line per problem (`make check`)
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .words import LANGUAGES  # the site's languages, one list for the sheets and the directory
from .yamldata import MAX_PROBLEMS, DataFileError, TooManyProblems, YamlDocument, at_most, field_name, read_yaml, shown

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS_FILE = ROOT / "data" / "questions.yaml"
RECORDS_FILE = ROOT / "data" / "records.yaml"
PUBLISHED_FILE = ROOT / "data" / "published-ids.yaml"
# A sheet's file as a whole (today's are 10 to 15 KB); how many items each list may hold is in its schema.
MAX_FILE_BYTES = 256 * 1024
# Ids the page makes for itself (own questions: q-own-1, a-own-1...; the checklist's notes: a-notes):
# an item with one of these would take over their saved notes.
RESERVED_IDS = re.compile(r"own|own-.*|notes")


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
    retired: list[dict[str, Any]] = field(default_factory=list)  # items taken off, with their last words


@dataclass(frozen=True)
class PublishedIds:
    """Every id the sheets have published (data/published-ids.yaml), by kind, each with its line."""

    label: str
    ids: dict[str, dict[str, int]]  # "question" -> {id: line}


def read_published(path: Path | str = PUBLISHED_FILE, *, label: str | None = None) -> PublishedIds:
    """Read the list of published ids, or raise SheetDataError with one line per problem."""
    path = Path(path)
    if label is None:
        label = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    try:
        doc = read_yaml(path, label=label, max_bytes=MAX_FILE_BYTES)
    except DataFileError as exc:
        raise SheetDataError(exc.problems) from None
    data = doc.data if isinstance(doc.data, dict) else None
    problems = (
        [] if data is not None else [f"{label}:1: must be fields 'questions:' and 'records:', each a list of ids"]
    )
    ids: dict[str, dict[str, int]] = {}
    for key, kind in (("questions", "question"), ("records", "record")):
        found = (data or {}).get(key)
        if data is not None and not (isinstance(found, list) and all(isinstance(i, str) for i in found)):
            problems.append(doc.problem((key,), "must be a list of ids, one a line ('- dx-sure')"))
            continue
        ids[kind] = {}
        for i, iid in enumerate(found or []):
            if iid in ids[kind]:
                problems.append(
                    doc.problem(
                        (key, i), f"lists {shown(iid)} twice (first at line {ids[kind][iid]}); list each id once"
                    )
                )
            ids[kind].setdefault(iid, doc.line_of((key, i)))
    if data is not None and set(data) - {"questions", "records"}:
        extra = sorted(set(data) - {"questions", "records"})[0]
        problems.append(doc.problem((extra,), "unknown field (known fields: questions, records)"))
    if problems:
        raise SheetDataError(problems)
    return PublishedIds(label, ids)


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
    if v in ("maxItems", "maxProperties"):
        return (
            path,
            f"lists {len(error.instance):,} {'items' if v == 'maxItems' else 'words'}, at most {error.validator_value:,}",
        )
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
    if len(path) >= 2 and path[0] == "retired" and isinstance(path[1], int):
        item = data["retired"][path[1]]
        name = shown(item["id"]) if isinstance(item, dict) and isinstance(item.get("id"), str) else f"#{path[1] + 1}"
        rest = field_name(path[2:])
        return f"retired {kind} {name}" + (f": field '{rest}'" if rest else "")
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
    path: Path | str,
    schema_path: Path | str,
    kind: str,
    *,
    label: str | None = None,
    lang: str = "en",
    published: PublishedIds | None = None,
    docs: Path | None = None,
) -> Sheet:
    """Read and check a sheet's data file; raise SheetDataError with one line per problem.
    `kind` is what one item is called in messages and in the file: "question" or "record".
    `lang` "es" gives the Spanish texts in the English fields' places (English when the file has none).
    `published`: the ids the site has published (read_published); each must still be in the file, or
    be said to be renamed or retired, and every id in the file must be listed there.
    `docs`: the site's pages (docs/); each linked word must lead to a page and an anchor it has."""
    path = Path(path)
    label = label or str(path)
    try:
        doc = read_yaml(path, label=label, max_bytes=MAX_FILE_BYTES)
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
            if len(problems) > MAX_PROBLEMS:
                raise TooManyProblems

    try:
        spanish = _sheet_problems(doc, schema, kind, published, add, problems)
        if docs is not None:
            _check_links(doc, docs, add)
    except TooManyProblems:
        raise SheetDataError(
            at_most([p for _, p in sorted(problems, key=lambda p: p[0])], label, stopped=True)
        ) from None
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
    return Sheet(
        groups=data["groups"],
        terms=terms,
        words=data.get("words") or [],
        key=data.get("key"),
        lang=lang,
        retired=data.get("retired") or [],
    )


def _sheet_problems(
    doc: YamlDocument, schema: dict[str, Any], kind: str, published: PublishedIds | None, add, problems: list
) -> bool:
    """Every problem of a sheet's data, each given to `add`; whether the file has Spanish."""
    data = doc.data
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
            if RESERVED_IDS.fullmatch(iid):
                add(
                    where + ("id",),
                    f"{shown(iid)} is an id the page makes for itself (a family's own questions are "
                    "own-1, own-2...; the notes box is notes), so it would take over their notes; choose another",
                )
    _check_ids(doc, kind, seen, published, add, problems)
    spanish = _has_spanish(data)
    missing = _text_places(data, kind) if spanish else []
    for path, name in missing:
        add(path + (name + SPANISH,), f"is missing: the file has Spanish, so '{name}' needs its Spanish beside it")
    # Spanish words are checked against the Spanish texts once those are all there (one problem, one line),
    # and only while their number is within its limit (each word is looked for in every text).
    sections = (("terms", texts), ("pages", texts)) + (
        (("terms_es", texts_es), ("pages_es", texts_es)) if not missing else ()
    )
    for section, among in sections:
        words = data.get(section) if isinstance(data.get(section), dict) else {}
        if len(words) > schema["properties"][section].get("maxProperties", len(words)):
            continue
        for word in words:
            if not any(_word_pattern(word).search(t) for t in among):
                add((section, word), f"{shown(word)} appears nowhere on the sheet, so nothing would link it")
    return spanish


_ANCHORS: dict[tuple[str, int], set[str]] = {}
_PAGE_ID = re.compile(r'\sid="([^"]+)"')


def page_anchors(page: Path) -> set[str]:
    """The ids a page of docs/ has once built (its headings' own, and those given with { #id }), read
    as MkDocs reads it: Python-Markdown with the site's extensions (mkdocs.yml)."""
    import markdown

    key = (str(page), page.stat().st_mtime_ns)
    if key not in _ANCHORS:
        text = page.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text.split("\n---\n", 1)[-1]  # the front matter
        html = markdown.markdown(
            text, extensions=["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc"]
        )
        _ANCHORS[key] = set(_PAGE_ID.findall(html))
    return _ANCHORS[key]


def _check_links(doc: YamlDocument, docs: Path, add) -> None:
    """Each linked word leads to a page of docs/ that exists, and to an anchor that page has: the
    build would stop on a broken link too, but naming the page, not this file and line."""
    data = doc.data
    for section in ("terms", "terms_es", "pages", "pages_es"):
        words = data.get(section)
        for word, target in words.items() if isinstance(words, dict) else ():
            if not isinstance(target, str):
                continue
            name, _, anchor = (f"glossary.md#{target}" if section.startswith("terms") else target).partition("#")
            page = docs / name
            spanish = docs / name.replace(".md", ".es.md")
            if section.endswith(SPANISH) and spanish.is_file():
                page = spanish
            where = page.relative_to(docs.parent).as_posix() if page.is_relative_to(docs.parent) else str(page)
            if not page.is_file():
                add((section, word), f"links to {shown(target)}, but there is no page {where}; check the name")
            elif anchor and anchor not in page_anchors(page):
                near = difflib.get_close_matches(anchor, sorted(page_anchors(page)), n=1)
                hint = f" (did you mean {shown(near[0])}?)" if near else ""
                add((section, word), f"links to {shown(anchor)} on {where}, which has no such heading{hint}")


def _check_ids(
    doc: YamlDocument, kind: str, current: dict[str, tuple], published: PublishedIds | None, add, problems
) -> None:
    """Ids are a published contract: what `renamed_from` and `retired` say became of an old id must
    not clash with the sheet or with each other; with `published`, every published id is still on
    the sheet or accounted for, and every id on the sheet is listed as published."""
    data = doc.data
    gone: dict[str, tuple] = {}  # old id -> where the file says what became of it

    def account(old: Any, where: tuple, what: str) -> None:
        if not isinstance(old, str):
            return
        if old in current:
            add(
                where,
                f"{shown(old)} is still a {kind} on the sheet (line {doc.line_of(current[old] + ('id',))}), so it cannot be {what}",
            )
        elif old in gone:
            add(
                where,
                f"{shown(old)} is already accounted for at line {doc.line_of(gone[old])}; an old id goes one place",
            )
        else:
            gone[old] = where

    for where, item in _items(data, kind):
        renamed = item.get("renamed_from")
        for j, old in enumerate(renamed if isinstance(renamed, list) else []):
            account(old, where + ("renamed_from", j), "renamed")
    retired = data.get("retired")
    for i, entry in enumerate(retired if isinstance(retired, list) else []):
        if isinstance(entry, dict):
            account(entry.get("id"), ("retired", i, "id"), "retired")
    if published is None:
        return
    listed = published.ids.get(kind, {})
    for iid, where in current.items():
        if iid not in listed:
            add(
                where + ("id",),
                f"is new: add {shown(iid)} to {published.label} under '{kind}s:' "
                "(an id stays listed there for good, since families' notes are kept under it)",
            )
    for old, where in gone.items():
        if old not in listed:
            add(where, f"{shown(old)} was never published (it is not in {published.label}); check its spelling")
    for iid, line in listed.items():
        if iid not in current and iid not in gone:
            # After the data file's own lines: the fix is made there, but this file says where the id was listed.
            problems.append(
                (
                    10**9 + line,
                    (
                        f"{published.label}:{line}: {kind} {shown(iid)}: is no longer in {doc.label}, and a family may have "
                        f"notes under it. Put it back, add 'renamed_from: [{iid}]' to the {kind} that replaces it, or list "
                        f"it under 'retired:' with its last words"
                    ),
                )
            )


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
        found += lacking(group, ("groups", gi), ("heading", "note"))
    for where, item in _items(data, kind):
        found += lacking(item, where, ITEM_TEXTS[kind])
    for ri, entry in enumerate(data.get("retired") or [] if isinstance(data.get("retired"), list) else []):
        found += lacking(entry, ("retired", ri), ITEM_TEXTS[kind][:1])
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


def load_questions(
    path: Path | str = QUESTIONS_FILE,
    *,
    label: str | None = None,
    lang: str = "en",
    published: PublishedIds | None = None,
    docs: Path | None = None,
) -> Sheet:
    return load_sheet(
        path,
        ROOT / "data" / "questions.schema.json",
        "question",
        label=label,
        lang=lang,
        published=published,
        docs=docs,
    )


def load_records(
    path: Path | str = RECORDS_FILE,
    *,
    label: str | None = None,
    lang: str = "en",
    published: PublishedIds | None = None,
    docs: Path | None = None,
) -> Sheet:
    return load_sheet(
        path, ROOT / "data" / "records.schema.json", "record", label=label, lang=lang, published=published, docs=docs
    )


# --------------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------------


def _word_pattern(word: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)


# Characters Markdown would read as formatting; the sheet's text goes through Markdown (so MkDocs
# checks every glossary link), and must come out as the same plain words. `#` too: a heading's closing
# hashes would be dropped ("Learning C#" would read "Learning C").
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]!#])")


def _element_text(value: str) -> Markup:
    """Data text as an element's text: escaped, with { and } written as character references, so an
    attribute list at its end ("{: hidden }", "{: #so-new-q }") stays text: Markdown's attr_list applies
    one to the element around it, even in the form's raw HTML."""
    return Markup(str(escape(value)).replace("{", "&#123;").replace("}", "&#125;"))


def _plain(text: str) -> str:
    """Data text in Markdown (a heading, a linked sentence): its Markdown characters escaped too."""
    return str(_element_text(_MARKDOWN_SPECIALS.sub(r"\\\1", text)))


def _every_value_as_text(value: Any) -> Any:
    """The sheets' templates show every value that is not already HTML (Markup) as element text."""
    return _element_text(value) if isinstance(value, str) and not isinstance(value, Markup) else value


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


def script_words(labels: dict[str, str]) -> dict[str, str]:
    """What sheet.js says itself (LABELS' say_ words), by the names it uses."""
    return {name.removeprefix("say_"): words for name, words in labels.items() if name.startswith("say_")}


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("secondopinions", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_every_value_as_text,
    )
    env.filters["script_words"] = script_words
    env.filters["markdown_text"] = lambda text: Markup(_plain(text))  # a heading written in Markdown (## ...)
    return env


_ENV = _environment()

# The forms' fixed words, per page language. Those starting say_ are what docs/assets/sheet.js says
# itself: the page carries them (script_words), as the directory's page carries directory.js's.
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
        "say_remove": "Remove",
        "say_removeHint": " your question: ",
        "say_typeFirst": "Type your question in the box first.",
        "say_added": "Added your question: ",
        "say_removed": "Removed your question.",
        "say_confirmClear": "Clear this sheet? This wipes everything you typed and ticked here, and the copy kept on this device.",
        "say_cleared": "Cleared. Nothing from this sheet is kept on this device now. The site's offline copy never holds notes.",
        "say_clearedPageOnly": (
            "Cleared this page. This browser is not letting the page reach its saved copy, so notes "
            "saved here before may still be on this device."
        ),
        "earlier_sheet": "From an earlier version of this sheet",
        "earlier_checklist": "From an earlier version of this checklist",
        "earlier_intro": (
            "These are no longer on the page, but you typed or ticked them here before, so they are "
            "kept. To remove an answer, empty its box."
        ),
        "earlier_question": "A question that is no longer on this sheet",
        "earlier_record": "A record that is no longer on this checklist",
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
        "say_remove": "Quitar",
        "say_removeHint": " su pregunta: ",
        "say_typeFirst": "Primero escriba su pregunta en el cuadro.",
        "say_added": "Se agregó su pregunta: ",
        "say_removed": "Se quitó su pregunta.",
        "say_confirmClear": "¿Borrar esta hoja? Esto quita todo lo que escribió y marcó aquí, y la copia guardada en este dispositivo.",
        "say_cleared": (
            "Borrado. Ya no queda nada de esta hoja en este dispositivo. La copia del sitio para usar sin "
            "conexión nunca guarda notas."
        ),
        "say_clearedPageOnly": (
            "Se borró esta página. Este navegador no deja que la página llegue a su copia guardada, así "
            "que las notas guardadas antes tal vez sigan en este dispositivo."
        ),
        "earlier_sheet": "De una versión anterior de esta hoja",
        "earlier_checklist": "De una versión anterior de esta lista",
        "earlier_intro": (
            "Esto ya no está en la página, pero usted lo escribió o marcó aquí antes, así que se "
            "guarda. Para quitar una respuesta, vacíe su cuadro."
        ),
        "earlier_question": "Una pregunta que ya no está en esta hoja",
        "earlier_record": "Un expediente que ya no está en esta lista",
    },
}


def storage_name(kind: str, lang: str) -> str:
    """The form's data-so-sheet name, which keys what a family typed (sheet.js keeps it under
    soStorage.key("sheet-<name>"), so-sheet-<name>:<site path>): each language keeps its own notes,
    and the English names never change."""
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


def main(argv: list[str] | None = None) -> int:
    """Check both sheets' data files the way the build does, against the published ids; print one
    line per problem. `argv`: another data folder (default data/)."""
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0]) if argv else ROOT / "data"
    docs = folder.parent / "docs" if (folder.parent / "docs").is_dir() else None
    names = {
        path: path.relative_to(ROOT).as_posix() if not argv else str(path)
        for path in (folder / "questions.yaml", folder / "records.yaml", folder / "published-ids.yaml")
    }
    try:
        published = read_published(folder / "published-ids.yaml", label=names[folder / "published-ids.yaml"])
    except SheetDataError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 1
    status = 0
    for load, path, kind in (
        (load_questions, folder / "questions.yaml", "questions"),
        (load_records, folder / "records.yaml", "records"),
    ):
        label = names[path]
        try:
            sheet = load(path, label=label, lang="es", published=published, docs=docs)
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
