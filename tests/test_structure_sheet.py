"""The question sheet and records checklist as data: the files load and fail like the directory's,
the pages keep the ids a family's saved notes are keyed by, words are linked once and never run as
HTML, and what the editor will add (start here, a key, words explained) renders and still prints on
two pages."""

from __future__ import annotations

import json
import re
from html import unescape

import jsonschema
import markdown
import pytest
import yaml

from conftest import PAPERS, ROOT, printed
from secondopinions.sheet import (
    SheetDataError,
    load_questions,
    load_records,
    render_questions,
    render_records,
)

FULL = ROOT / "tests" / "fixtures" / "questions-full.yaml"


def as_page(rendered: str) -> str:
    """The macro's output as MkDocs turns it into HTML (the extensions that matter here)."""
    return markdown.markdown(rendered, extensions=["md_in_html", "attr_list"])


def questions_of(sheet) -> list[dict]:
    return [q for g in sheet.groups for q in g["questions"]]


def records_of(sheet) -> list[dict]:
    return [r for g in sheet.groups for r in g["records"]]


# ---- The data files -------------------------------------------------------------------------------


def test_the_real_files_are_valid_and_point_editors_at_their_schemas():
    assert len(questions_of(load_questions())) >= 20
    assert len(records_of(load_records())) >= 10
    for name in ("questions", "records"):
        first = (ROOT / "data" / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={name}.schema.json"


@pytest.mark.parametrize("name", ["questions", "records"])
def test_every_schema_field_has_title_description_and_a_valid_example(name):
    schema = json.loads((ROOT / "data" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)

    def walk(where, spec):
        assert spec.get("title") and spec.get("description") and spec.get("examples"), where
        for example in spec["examples"]:
            jsonschema.Draft202012Validator({"$defs": schema["$defs"], **spec}).validate(example)
        for sub, subspec in spec.get("properties", {}).items():
            walk(f"{where}.{sub}", subspec)
        items = spec.get("items", {})
        for sub, subspec in items.get("properties", {}).items():
            walk(f"{where}[].{sub}", subspec)

    for key, spec in schema["properties"].items():
        walk(key, spec)
    for key, spec in schema["$defs"].items():
        walk(key, spec)


def problems(tmp_path, text: str, load=load_questions) -> list[str]:
    path = tmp_path / "questions.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SheetDataError) as caught:
        load(path, label="data/questions.yaml")
    return caught.value.problems


GOOD = """\
terms:
  diagnosis: diagnosis
groups:
  - heading: About the diagnosis
    questions:
      - id: dx-sure
        text: How sure are you of the diagnosis?
"""


def test_a_bad_field_is_one_line_naming_file_line_question_and_field(tmp_path):
    text = GOOD.replace("        text: How sure", "        text: '  How sure").replace("diagnosis?", "diagnosis?'")
    assert problems(tmp_path, text) == [
        "data/questions.yaml:7: question 'dx-sure': field 'text': must be plain text that does not start "
        "with a space, <, >, =, +, - or @ (got '  How sure are you of the diagnosis?')"
    ]


def test_a_misspelt_field_gets_a_suggestion_and_a_missing_one_is_named(tmp_path):
    text = GOOD.replace("        text:", "        txt:")
    assert problems(tmp_path, text) == [
        "data/questions.yaml:6: question 'dx-sure': field 'text': is required but missing",
        "data/questions.yaml:7: question 'dx-sure': field 'txt': unknown field (did you mean 'text'?)",
    ]


def test_an_id_used_twice_is_refused(tmp_path):
    text = GOOD + "      - id: dx-sure\n        text: Which tests is it based on?\n"
    assert problems(tmp_path, text) == [
        "data/questions.yaml:8: question 'dx-sure': field 'id': 'dx-sure' is used twice (first at line 6); "
        "every id must be unique"
    ]


def test_a_linked_word_the_sheet_never_uses_is_refused(tmp_path):
    text = GOOD.replace("  diagnosis: diagnosis\n", "  diagnosis: diagnosis\n  biopsy: biopsy\n")
    assert problems(tmp_path, text) == [
        "data/questions.yaml:3: field 'terms.biopsy': 'biopsy' appears nowhere on the sheet, so nothing would link it"
    ]


def test_start_here_must_be_true_or_false_and_yaml_mistakes_name_their_line(tmp_path):
    text = GOOD + "        start_here: yes please\n"
    assert problems(tmp_path, text) == [
        "data/questions.yaml:8: question 'dx-sure': field 'start_here': must be true or false (got 'yes please')"
    ]
    [line] = problems(tmp_path, GOOD + "      - id: dx-type\n       text: bad indent\n")
    assert line.startswith("data/questions.yaml:9: ")


def test_a_record_is_named_by_its_id(tmp_path):
    text = (ROOT / "data" / "records.yaml").read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("        how_long: "))
    lines = problems(tmp_path, text.replace(first, "        how_long: ''", 1), load=load_records)
    number = text.splitlines().index(first) + 1
    assert lines == [f"data/questions.yaml:{number}: record 'path-report': field 'how_long': must not be empty"]


# ---- Rendering ------------------------------------------------------------------------------------


def test_each_glossary_word_is_linked_once_the_first_time_it_appears():
    html = as_page(render_records(load_records()))
    assert html.count('href="glossary.md#pathology"') == 1
    assert html.count('href="glossary.md#patient-portal"') == 1
    # "pathology slides" is its own entry; the longer phrase wins where both could match.
    assert '<a href="glossary.md#pathology-slides">pathology slides</a>' in html
    assert '<a href="costs.md">costs page</a>' in html
    assert html.index('href="glossary.md#pathology"') < html.index('href="glossary.md#pathology-slides"')


def test_text_is_shown_as_written_never_run_as_html_or_markdown(tmp_path):
    hostile = '<img src=x onerror="alert(1)"> *not bold* [a link](javascript:alert(1)) `code` & {: .x}'
    path = tmp_path / "q.yaml"
    path.write_text(
        GOOD.replace(
            "How sure are you of the diagnosis?", f"'About the diagnosis: {hostile.replace(chr(39), chr(39) * 2)}'"
        ),
        encoding="utf-8",
    )
    html = as_page(render_questions(load_questions(path)))
    assert "<img" not in html and "<em>" not in html and "<code>" not in html
    assert 'href="javascript' not in html
    assert '<a href="glossary.md#diagnosis">diagnosis</a>' in html
    text = re.sub(r"<[^>]+>", "", re.search(r'<p class="so-q__text" id="q-dx-sure">(.*?)</p>', html, re.S).group(1))
    assert unescape(text) == f"About the diagnosis: {hostile}"


def test_ids_and_hooks_that_saved_notes_and_sheet_js_rely_on_are_kept():
    html = as_page(render_questions(load_questions()))
    for number, q in enumerate(questions_of(load_questions()), start=1):
        assert f'<p class="so-q__text" id="q-{q["id"]}">' in html
        assert f'<textarea aria-labelledby="q-{q["id"]}" id="a-{q["id"]}"' in html
        assert (
            f'<input type="checkbox" id="ask-{q["id"]}" checked><label for="ask-{q["id"]}">Ask this'
            f'<span class="so-sr-only">: question {number}</span>' in html
        )
    for hook in (
        'data-so-sheet="questions"',
        "data-so-host",
        "data-so-print",
        "data-so-clear",
        "data-so-status",
        "data-so-own-list",
        "data-so-add",
        'id="so-new-q"',
        'id="f-child"',
        'id="f-hospital"',
    ):
        assert hook in html, hook
    html = as_page(render_records(load_records()))
    for r in records_of(load_records()):
        assert f'id="rec-{r["id"]}"' in html and f'id="asked-{r["id"]}"' in html and f'id="got-{r["id"]}"' in html
    assert 'data-so-sheet="records"' in html and 'id="a-notes"' in html


def test_the_real_sheet_marks_five_questions_to_start_with_and_asks_what_happens_next():
    # Parents short on time (issue 10): five "Start here" questions, a key for the boxes, short
    # meanings of the medical words, and a line for what happens next.
    sheet = load_questions()
    html = as_page(render_questions(sheet))
    starts = [q["id"] for q in questions_of(sheet) if q.get("start_here")]
    assert len(starts) == 5 and "after-next" in starts and "dx-time" in starts
    assert html.count('<p class="so-q__start"') == 5
    assert '<p class="so-q__text" id="q-after-next">What happens next, and when?</p>' in html
    assert f'<p class="so-sheet__key">{sheet.key}</p>' in html
    assert "<h2>Words on this sheet</h2>" in html and len(sheet.words) >= 5


def test_start_here_key_and_words_render_when_the_editor_adds_them():
    sheet = load_questions(FULL)
    html = as_page(render_questions(sheet))
    starts = [q["id"] for q in questions_of(sheet) if q.get("start_here")]
    assert len(starts) == 5
    for qid in starts:
        assert re.search(
            rf'<div class="so-q so-q--start">\s*<p class="so-q__start" id="start-{qid}">Start here</p>', html
        )
    assert html.count('<p class="so-q__start"') == 5
    assert "marks a few good questions to ask first." in html  # the legend line
    assert f'<p class="so-sheet__key">{sheet.key}</p>' in html
    assert "<h2>Words on this sheet</h2>" in html
    assert len(re.findall(r"<div>\s*<dt>[^<]+</dt>\s*<dd>[^<]+</dd>\s*</div>", html)) == len(sheet.words) == 6
    assert 'id="q-after-next"' in html


def test_the_pages_keep_their_prose_and_call_one_macro_each():
    for name, macro in (("questions", "question_sheet"), ("records", "records_checklist")):
        text = (ROOT / "docs" / f"{name}.md").read_text(encoding="utf-8")
        assert "<form" not in text and "so-q" not in text and "so-rec" not in text
        assert text.count("{{") == 1 and f"{{{{ {macro}() }}}}" in text
        meta = yaml.safe_load(text.split("---")[1])
        assert meta["render_macros"] is True and "The short version" in text


def test_the_built_sheets_link_the_glossary(site):
    html = (site / "questions" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../glossary/#diagnosis">diagnosis</a>' in html
    html = (site / "records" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../costs/">costs page</a>' in html


# ---- Printing everything the editor will add ------------------------------------------------------


@pytest.fixture(scope="module")
def full_url(fixture_url):
    """The site built with tests/fixtures/questions-full.yaml (conftest.fixture_url): a key, five
    "Start here" marks, six words explained and one more question."""
    return fixture_url


def test_the_full_sheet_still_prints_on_two_pages(full_url, page):
    """On Letter and on A4, each failure naming its paper."""
    page.goto(full_url + "questions/", wait_until="load")
    failures = []
    for fmt in PAPERS:
        pages, text = printed(page, fmt)
        if pages > 2:
            failures.append(f"{fmt}: {pages} pages")
        failures += [
            f"{fmt}: '{seen}' did not print"
            for seen in (
                "What happens next, and when?",
                "Words on this sheet",
                "Start here",
                "Tick a box when you have asked",
                "Shared care Two hospitals work together",
            )
            if seen not in text
        ]
    assert failures == [], "\n".join(failures)


def test_axe_finds_no_violations_on_the_full_sheet_light_and_dark(full_url, new_tab):
    """In light mode, then switched to dark (conftest.axe_light_and_dark)."""
    from conftest import CHECKED, axe_light_and_dark, describe

    page = new_tab(**CHECKED)
    page.goto(full_url + "questions/", wait_until="load")
    found = axe_light_and_dark(page)
    failures = [line for scheme in found for line in describe(found[scheme], f"[{scheme}]")]
    assert failures == [], "\n".join(failures)


# ---- Spanish beside English (issue 14) -------------------------------------------------------------

GOOD_ES = """\
terms:
  diagnosis: diagnosis
terms_es:
  diagnóstico: diagnosis
groups:
  - heading: About the diagnosis
    heading_es: Sobre el diagnóstico
    questions:
      - id: dx-sure
        text: How sure are you of the diagnosis?
        text_es: ¿Qué tan seguros están del diagnóstico?
"""


def test_the_real_files_have_spanish_for_every_text():
    for load, items in ((load_questions, questions_of), (load_records, records_of)):
        english, spanish = load(), load(lang="es")
        assert english.lang == "en" and spanish.lang == "es"
        assert [i["id"] for i in items(english)] == [i["id"] for i in items(spanish)]
        for en, es in zip(items(english), items(spanish)):
            for field in ("text", "name", "what", "who_has_it", "how_to_ask", "how_long"):
                if field in en:
                    assert es[field] and es[field] != en[field], (en["id"], field)
        assert [g["heading"] for g in english.groups] != [g["heading"] for g in spanish.groups]
    assert load_questions(lang="es").key.startswith("En papel")


def test_a_file_with_spanish_loads_in_both_languages(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(GOOD_ES, encoding="utf-8")
    html = as_page(render_questions(load_questions(path, lang="es"), "es"))
    assert '<a href="glossary.md#diagnosis">diagnóstico</a>' in html
    assert "<h2>Sobre el diagnóstico</h2>" in html and 'data-so-sheet="questions-es"' in html
    assert ">Preguntar<span" in html and "How sure" not in html
    html = as_page(render_questions(load_questions(path)))
    assert 'data-so-sheet="questions"' in html and "¿Qué" not in html


def test_once_any_spanish_is_there_every_text_needs_it_one_line_each(tmp_path):
    text = GOOD_ES.replace("        text_es: ¿Qué tan seguros están del diagnóstico?\n", "")
    assert problems(tmp_path, text) == [
        "data/questions.yaml:9: question 'dx-sure': field 'text_es': is missing: the file has Spanish, "
        "so 'text' needs its Spanish beside it"
    ]
    text = GOOD_ES.replace("terms_es:\n  diagnóstico: diagnosis\n", "").replace(
        "    heading_es: Sobre el diagnóstico\n", ""
    )
    assert problems(tmp_path, text) == [
        "data/questions.yaml:1: field 'terms_es': is missing: the file has Spanish, so 'terms' needs its Spanish beside it",
        "data/questions.yaml:4: group #1: field 'heading_es': is missing: the file has Spanish, so 'heading' needs its Spanish beside it",
    ]


def test_a_spanish_linked_word_must_appear_in_the_spanish_text(tmp_path):
    text = GOOD_ES.replace("  diagnóstico: diagnosis\n", "  diagnóstico: diagnosis\n  biopsia: biopsy\n")
    assert problems(tmp_path, text) == [
        "data/questions.yaml:5: field 'terms_es.biopsia': 'biopsia' appears nowhere on the sheet, so nothing would link it"
    ]


def test_a_file_without_spanish_still_loads_and_the_spanish_page_falls_back_to_english(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(GOOD, encoding="utf-8")
    sheet = load_questions(path, lang="es")
    assert sheet.lang == "en" and questions_of(sheet)[0]["text"] == "How sure are you of the diagnosis?"


def test_the_built_spanish_sheets_link_the_spanish_glossary_and_keep_their_own_notes(site):
    html = (site / "es" / "questions" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../glossary/#diagnosis">diagnóstico</a>' in html
    assert 'data-so-sheet="questions-es"' in html
    html = (site / "es" / "records" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../costs/">página de costos</a>' in html and 'data-so-sheet="records-es"' in html
    # sheet.js keys what is typed by that attribute: so-sheet:questions-es, never the English key.
    script = (site / "assets" / "sheet.js").read_text(encoding="utf-8")
    assert 'const KEY = "so-sheet:" + root.getAttribute("data-so-sheet");' in script


@pytest.mark.parametrize("lang, clear, add", [("en", "Clear", "Add question"), ("es", "Borrar", "Agregar pregunta")])
def test_every_fixed_word_of_the_form_is_a_word_in_the_pages_language(lang, clear, add):
    html = render_questions(load_questions(lang=lang), lang) + render_records(load_records(lang=lang), lang)
    assert f"data-so-clear>{clear}</button>" in html and f"data-so-add>{add}</button>" in html
    assert "built-in" not in html and "<bound method" not in html  # a label name that is also a dict method
