"""My visit (/visit/, /es/visit/): the page's HTML and the data its script needs (docs/assets/visit.js),
and the words the "Save for my visit" button (docs/assets/visit-save.js) says on the directory and each
program's page.

The page works offline: what it shows of each program, question and record is written into it at build
time as one JSON block (escaped by `tojson`); what the family saved, typed and ticked comes from their
browser. Free text from the data is English; the script marks it lang="en" on a Spanish page."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .programs import Program, labels
from .render import free_text, tel_href, who_can_ask_text
from .sheet import Sheet, storage_name
from .words import WORDS, Words

# The words the button says on the directory and program pages (render_save_words). The visit page's
# script gets every save_ and visit_ word and FACT_WORDS in its data block (_script_words).
SAVE_WORDS = ("save_button", "save_saved", "save_removed", "save_blocked", "save_see")
# The program facts the page shows, under the directory's own names for them.
FACT_WORDS = ("fact_who", "fact_how", "not_for_urgent", "phone", "email", "fact_cost", "records", "note")


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("secondopinions", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_ENV = _environment()
_SAVE_WORDS_BLOCK = _ENV.from_string('<script type="application/json" data-so-visit-words>{{ words|tojson }}</script>')


def _script_words(lang: str) -> dict[str, str]:
    """Every word visit.js says on the visit page, in `lang`."""
    words = WORDS[lang]
    names = [n for n in words if n.startswith(("visit_", "save_"))] + list(FACT_WORDS)
    return {n: words[n] for n in names}


def visit_programs(programs: list[Program], schema: dict[str, Any], lang: str) -> dict[str, dict[str, Any]]:
    """Each program by id, as the visit page shows it: what a family acts on (how to ask, phone, its
    own page, the records it asks for, cost), coded values in the page's words. A field the data
    leaves out is left out here too, and the page says "Not stated on its page"."""
    t = Words(lang)
    askers = labels(schema, "who_can_ask", lang)
    formats = labels(schema, "formats", lang)
    countries = labels(schema, "country", lang)
    out: dict[str, dict[str, Any]] = {}
    for p in programs:
        entry: dict[str, Any] = {
            "program": p.program,
            "institution": p.institution,
            "place": ", ".join(x for x in (p.location.city, p.location.region, countries.get(p.location.country)) if x),
            "url": p.url,
            "records": list(p.records),
        }
        if p.who_can_ask:
            entry["who_can_ask"] = who_can_ask_text(p, t, askers)
        if p.formats:
            entry["formats"] = [formats[f] for f in p.formats]
        if p.not_for_urgent:
            entry["not_for_urgent"] = True
        if p.contact.phone:
            entry["phone"] = p.contact.phone
            entry["tel"] = tel_href(p.contact.phone, p.location.country)
        if p.contact.email:
            entry["email"] = p.contact.email
        # Free text in the page's language where the data has it (`cost_es`...); `*_en`: English on a
        # page in another language, which the script marks lang="en".
        for name in ("cost", "note"):
            text = free_text(p, name, lang)
            if text.value:
                entry[name], entry[f"{name}_en"] = text.value, text.english
        out[p.id] = entry
    return out


def visit_questions(sheet: Sheet) -> list[dict[str, Any]]:
    """The question sheet's groups, each question's id and words, in the sheet's order."""
    return [
        {"heading": g["heading"], "questions": [{"id": q["id"], "text": q["text"]} for q in g["questions"]]}
        for g in sheet.groups
    ]


def visit_records(sheet: Sheet) -> list[dict[str, str]]:
    """The records checklist's records in its order: id, name and who has it."""
    return [
        {"id": r["id"], "name": r["name"], "who_has_it": r["who_has_it"]} for g in sheet.groups for r in g["records"]
    ]


def visit_data(
    programs: list[Program], schema: dict[str, Any], questions: Sheet, records: Sheet, lang: str
) -> dict[str, Any]:
    """Everything the visit page's script needs besides what the browser keeps."""
    return {
        "lang": lang,
        # The names under which the sheets keep what a family typed on this page's language's sheets.
        "sheets": {"questions": storage_name("questions", lang), "records": storage_name("records", lang)},
        "words": _script_words(lang),
        "programs": visit_programs(programs, schema, lang),
        "questions": visit_questions(questions),
        "records": visit_records(records),
    }


def render_visit(
    programs: list[Program], *, schema: dict[str, Any], questions: Sheet, records: Sheet, lang: str = "en"
) -> str:
    """The visit page's HTML: its buttons, status line, the parts the script fills in, and its data."""
    return (
        _ENV.get_template("visit.html")
        .render(t=Words(lang), data=visit_data(programs, schema, questions, records, lang))
        .strip()
    )


def render_save_words(lang: str) -> str:
    """The words of the "Save for my visit" button as a JSON block its script reads (visit-save.js). The
    directory and each program's page carry it; without it the script adds no button."""
    return _SAVE_WORDS_BLOCK.render(words={n: WORDS[lang][n] for n in SAVE_WORDS})
