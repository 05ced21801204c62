"""Right for a child (issue 21): what a parent must meet first is where they meet it, on screen and on
paper. The Start page says treatment comes first and starts its next steps with the child's team; the
fever line is on the Start page and on the printed question sheet; the records checklist explains its
words on paper; the Spanish directory's words agree with what they describe."""

from __future__ import annotations

import re

import markdown
import pytest

from conftest import PAPERS, fixture_site, printed
from secondopinions.sheet import SheetDataError, load_questions, load_records, render_questions, render_records
from secondopinions.words import WORDS


def as_page(rendered: str) -> str:
    return markdown.markdown(rendered, extensions=["md_in_html", "attr_list"])


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# Each language's Start page: the urgency box's title, the next-steps heading, the first and the
# directory step, and words of the fever box.
START = {
    "": (
        "Do not put off treatment to wait for a second opinion",
        "What can I do next?",
        "Talk with your child's team first.",
        "Find a program.",
        ("rectal", "°C", "day or night"),
    ),
    "es/": (
        "No retrase el tratamiento para esperar una segunda opinión",
        "¿Qué puedo hacer ahora?",
        "Primero, hable con el equipo de su hijo.",
        "Busque un programa.",
        ("recto", "°C", "de día o de noche"),
    ),
}


@pytest.mark.parametrize("prefix", START, ids=["English", "Spanish"])
def test_the_start_page_puts_treatment_first_then_the_childs_team_then_the_directory(site, prefix):
    urgent, next_heading, first_step, directory_step, fever_words = START[prefix]
    text = text_of((site / prefix / "index.html").read_text(encoding="utf-8"))
    main = text[text.index(urgent) :]  # the urgency box, before anything a parent is asked to do
    assert main.index(urgent) < main.index(next_heading), "the urgency box comes before the next steps"
    steps = main[main.index(next_heading) :]
    assert steps.index(first_step) < steps.index(directory_step), "talking with the team comes before the directory"
    fever = steps[steps.index(directory_step) :]
    assert all(word in fever for word in fever_words), "the fever box sits with the next steps"


def test_the_question_sheet_prints_its_fever_line_in_after_today_in_both_languages():
    for lang, heading, words in (
        ("en", "After today", "never in the bottom"),
        ("es", "Después de hoy", "nunca en el recto"),
    ):
        sheet = load_questions(lang=lang)
        [group] = [g for g in sheet.groups if g["heading"] == heading]
        assert words in group["note"]
        html = as_page(render_questions(sheet, lang))
        after = html[html.index(f'<h2 dir="auto">{heading}</h2>') :]  # a heading from the data: isolated
        note = re.search(r'<p class="so-sheet__note">(.*?)</p>', after, re.S)
        assert note and words in note.group(1) and after.index(note.group(0)) < after.index("</section>")


def test_a_group_note_without_its_spanish_is_one_line_naming_the_field(tmp_path):
    path = tmp_path / "questions.yaml"
    path.write_text(
        'groups:\n  - heading: "After today"\n    heading_es: "Después de hoy"\n'
        '    note: "Fever is an emergency."\n    questions:\n'
        '      - id: after-next\n        text: "What happens next?"\n        text_es: "¿Qué pasa ahora?"\n',
        encoding="utf-8",
    )
    with pytest.raises(SheetDataError) as caught:
        load_questions(path, label="questions.yaml")
    assert caught.value.problems == [
        "questions.yaml:2: group #1: field 'note_es': is missing: the file has Spanish, so 'note' needs its Spanish beside it"
    ]


def test_the_records_checklist_explains_its_words_and_its_boxes_in_both_languages():
    for lang, heading, term in (
        ("en", "Words on this sheet", "Flow cytometry"),
        ("es", "Palabras de esta hoja", "Citometría de flujo"),
    ):
        sheet = load_records(lang=lang)
        html = as_page(render_records(sheet, lang))
        assert f"<h2>{heading}</h2>" in html and f'<dt dir="auto">{term}</dt>' in html
        assert sheet.key and '<p class="so-sheet__key" dir="auto">' in html
        # Each word it explains is a word the sheet uses.
        sheet_text = text_of(html[: html.index(f"<h2>{heading}</h2>")]).lower()
        for word in sheet.words:
            first = re.split(r" \(", word["term"])[0].lower()
            assert first in sheet_text, f"{word['term']} is explained but never used"


def test_the_records_checklist_asks_for_leukemia_records_and_says_why_scans_are_sent():
    text = " ".join(r[k] for g in load_records().groups for r in g["records"] for k in ("what", "how_to_ask"))
    assert "bone marrow slides" in text and "flow cytometry" in text and "cytogenetic" in text
    assert "MIBG" in text and "repeat scans" in text


SHEETS_ON_PAPER = {
    "questions/": ("Fever during cancer treatment is an emergency", "Words on this sheet"),
    "es/questions/": ("La fiebre durante el tratamiento del cáncer es una emergencia", "Palabras de esta hoja"),
    "records/": ("Words on this sheet", "Flow cytometry"),
    "es/records/": ("Palabras de esta hoja", "Citometría de flujo"),
}


@pytest.mark.parametrize("path", SHEETS_ON_PAPER)
def test_the_fever_line_and_the_words_print_on_two_pages(base_url, page, path):
    page.goto(base_url + path, wait_until="load")
    failures = []
    for fmt in PAPERS:
        pages, text = printed(page, fmt)
        if pages > 2:
            failures.append(f"{fmt}: {pages} pages")
        failures += [f"{fmt}: '{seen}' did not print" for seen in SHEETS_ON_PAPER[path] if seen not in text]
    assert failures == [], "\n".join(failures)


def test_the_spanish_directory_words_agree_with_what_they_describe():
    es = WORDS["es"]
    # "Se muestran 1 de 12 programas" does not agree; the line reads right for 0, 1 or many.
    assert not es["shown"].format(count=1, total=12).startswith("Se muestran 1")
    assert es["shown"].format(count=1, total=12) == "Programas que se muestran: 1 de 12."
    # An outdated fact the reader may find is hypothetical: subjunctive.
    for name in ("fix_question", "fix_link"):
        assert "que ya no sea correcto" in es[name], name
    # "revisado el" agreed with nothing; "Datos revisados" agrees with the facts.
    assert "Datos revisados el {date}." in es["page_description"] and "páginas, revisado" not in es["page_description"]


def test_the_about_page_links_the_correction_form_when_the_site_knows_its_repository(tmp_path_factory, site):
    built = fixture_site(tmp_path_factory)
    for prefix in ("", "es/"):
        html = (built / prefix / "about" / "index.html").read_text(encoding="utf-8")
        assert re.search(
            r'<a href="https://github\.com/example/second-opinions/issues/new\?template=outdated-program\.yml"'
            r'(?: lang="en")?>Report outdated program information</a>',
            html,
        ), prefix
        # The local build has no repository address, so it names the form without a link that would break.
        local = (site / prefix / "about" / "index.html").read_text(encoding="utf-8")
        assert "issues/new" not in local and "Report outdated program information" in local


def test_the_fever_line_prints_even_when_every_question_of_its_group_is_unticked(base_url, page):
    page.goto(base_url + "questions/", wait_until="load")
    for qid in ("after-report", "after-next", "after-contact"):
        page.uncheck(f"#ask-{qid}")
    for fmt in PAPERS:
        pages, text = printed(page, fmt)
        assert pages <= 2, f"{fmt}: {pages} pages"
        assert "Fever during cancer treatment is an emergency" in text, fmt
        assert "What happens next, and when?" not in text, fmt
