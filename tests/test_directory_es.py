"""Issue 14, the directory in Spanish: one set of templates renders both languages from
secondopinions/words.py and the schema's x-labels-es; every fixed word on a Spanish page is Spanish,
dates are Spanish, and free text from the data (written in English) is marked lang="en"."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import expect

from secondopinions.programs import LABEL_KEYS, labels, load_programs, load_schema
from secondopinions.render import program_description, render_directory, render_program_page
from secondopinions.words import WORDS, Words, long_date

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "directory.yaml"
TODAY = dt.date(2026, 11, 26)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_word_has_both_languages_with_the_same_placeholders():
    assert set(WORDS["es"]) == set(WORDS["en"])
    for name, english in WORDS["en"].items():
        assert placeholders(WORDS["es"][name]) == placeholders(english), name
        assert WORDS["es"][name].strip(), name


def test_a_missing_word_stops_the_render_with_its_name():
    with pytest.raises(KeyError, match="no 'es' word for 'nonexistent'"):
        Words("es").nonexistent


def test_every_coded_value_has_a_spanish_label():
    schema = load_schema()
    props = schema["$defs"]["program"]["properties"]
    specs = {"country": props["location"]["properties"]["country"]}
    for name in ("formats", "who_can_ask", "cancer_types", "report_to", "languages"):
        specs[name] = props[name] if "x-labels" in props[name] else props[name]["items"]
    for name, spec in specs.items():
        english, spanish = spec[LABEL_KEYS["en"]], spec[LABEL_KEYS["es"]]
        assert list(spanish) == list(english), name
        assert all(v.strip() for v in spanish.values()), name


class _Text(HTMLParser):
    """The page's text outside elements marked lang="en", and the text inside them."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # for each open element: is it (or an ancestor) marked English?
        self.spanish: list[str] = []
        self.english: list[str] = []
        self.attributes: list[str] = []  # words a reader meets in attributes (labels, captions)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        english = (self.stack[-1] if self.stack else False) or attrs.get("lang") == "en"
        for name in ("aria-label", "data-template"):
            if attrs.get(name) and not english:
                self.attributes.append(attrs[name])
        if tag not in self.VOID:
            self.stack.append(english)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1]:
            self.english.append(data)
        else:
            self.spanish.append(data)


def read(html: str) -> _Text:
    parser = _Text()
    parser.feed(html.split('<script type="application/ld+json">')[0])
    return parser


# English words that are also Spanish words, or names: not a sign of an untranslated label.
SAME_IN_BOTH = {"No"}


@pytest.mark.parametrize("kind", ["directory", "program page"])
def test_no_fixed_english_word_is_left_on_a_spanish_page(kind):
    programs = load_programs(FIXTURE)
    if kind == "directory":
        html = render_directory(programs, today=TODAY, lang="es", repo_url="https://github.com/example/site")
    else:
        html = render_program_page(
            max(programs, key=lambda p: len(p.as_dict())),
            today=TODAY,
            lang="es",
            repo_url="https://github.com/example/site",
        )
    text = read(html)
    shown = " ".join(text.spanish + text.attributes)
    for name, english in WORDS["en"].items():
        fixed = english.split("{")[0].strip(" :,.")  # the words before any placeholder
        if len(fixed) > 3 and fixed not in SAME_IN_BOTH:
            assert not re.search(rf"\b{re.escape(fixed)}\b", shown), (
                f"{kind}: English {name!r} ({fixed!r}) shown on the Spanish page"
            )
    for english in ("Yes", "Not stated", "programs shown"):
        assert not re.search(rf"\b{english}\b", shown), english


def test_free_text_from_the_data_is_marked_english_and_the_words_around_it_are_spanish():
    programs = load_programs()
    with_note = next(p for p in programs if p.note)
    with_cost = next(p for p in programs if p.cost)
    html = render_directory(programs, today=TODAY, lang="es")
    text = read(html)
    english = " ".join(text.english)
    assert with_note.note in english and with_cost.cost in english
    assert with_note.note not in " ".join(text.spanish)
    assert "Para tener en cuenta" in text.spanish and "Fuentes" in text.spanish
    # The same template in English marks nothing: the whole page is English.
    assert 'lang="en"' not in render_directory(programs, today=TODAY, lang="en")


def test_dates_and_the_status_line_are_in_the_page_language():
    programs = load_programs(FIXTURE)
    checked = programs[0].checked
    spanish = render_directory(programs, today=TODAY, lang="es")
    assert f">{long_date(checked, 'es')}</time>" in spanish
    assert " de " in long_date(checked, "es") and long_date(dt.date(2026, 11, 27), "es") == "27 de noviembre de 2026"
    assert f"Se muestran {len(programs)} de {len(programs)} programas." in spanish
    # directory.js writes the status line from this template as the reader filters.
    assert 'data-template="Se muestran {count} de {total} programas."' in spanish
    assert 'data-template="{count} of {total} programs shown."' in render_directory(programs, today=TODAY)


def test_the_spanish_description_and_structured_data_name_the_place_in_spanish():
    schema = load_schema()
    programs = load_programs(FIXTURE)
    p = programs[0]
    described = program_description(p, labels(schema, "country", "es"), "es")
    assert described.startswith(f"{p.program} en {p.institution}")
    assert long_date(p.checked, "es") in described
    html = render_directory(programs, today=TODAY, lang="es")
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["inLanguage"] == "es" and data["name"].startswith("Programas de segunda opinión")


def test_the_built_spanish_directory_is_in_spanish_and_links_to_the_shared_open_data(site):
    html = (site / "es" / "directory" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es"' in html
    assert '<label for="so-country">País</label>' in html and "Comparar los programas en una tabla" in html
    for p in load_programs():
        assert f'data-program-id="{p.id}"' in html
    # The open data is published once, at /data/.
    assert 'href="../../data/hospitals.json"' in html and "../data/hospitals" not in html.replace("../../data/", "")


def test_the_spanish_status_line_follows_the_filter(site, base_url, page):
    total = len(load_programs())
    page.goto(base_url + "es/directory/?search=zzzz-no-such-program", wait_until="load")
    assert page.inner_text("[role=status]") == f"Se muestran 0 de {total} programas."
    page.fill("#so-q", "")
    expect(page.locator("[role=status]")).to_have_text(f"Se muestran {total} de {total} programas.")
