"""The question sheet and the records checklist, as a parent uses them: fill in, pick, add, print, clear."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from conftest import CHECKED, DESKTOP, PAPERS, axe_light_and_dark, describe, printed

SHEETS = ["questions/", "records/"]


def flat(text: str) -> str:
    """Text with every run of spaces and line breaks made one space, so wrapped lines still match."""
    return " ".join(text.split())


def print_problems(page, what: str, items: list[str], labels, never=()) -> list[str]:
    """Print the open page on each paper (PAPERS): one line, naming the paper, for each problem: more
    than two pages, an item of the list (`items`) or a label missing from the printout, or words that
    belong only on screen (`never`) printed."""
    failures = []
    for fmt in PAPERS:
        pages, text = printed(page, fmt)
        if pages > 2:
            failures.append(f"{fmt}: {what} takes {pages} pages")
        failures += [f"{fmt}: missing from print: {item}" for item in items if item not in text]
        failures += [f"{fmt}: '{label}' did not print" for label in labels if label not in text]
        failures += [f"{fmt}: '{words}' should not print" for words in never if words in text]
    return failures


def question_texts(page) -> list[str]:
    return [flat(t) for t in page.locator(".so-q__text").all_text_contents()]


def open_sheet(page, base_url, path="questions/"):
    """Open a sheet; its script has run when the page has loaded (it fetches nothing)."""
    page.goto(base_url + path, wait_until="load")
    return page


def stored_keys(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('so-sheet:'))")


# ---- Printing ------------------------------------------------------------------------------------


# Each printing test prints the page it has open on both papers (PAPERS) and names the paper in each
# failure; a failure on Letter does not hide one on A4.


def test_every_default_question_prints_on_two_pages_at_most(base_url, page):
    open_sheet(page, base_url)
    questions = question_texts(page)
    assert 20 <= len(questions) <= 28
    failures = print_problems(page, "the question sheet", questions, ("Child's name", "Date", "Doctor", "Hospital"))
    assert failures == [], "\n".join(failures)


# Each language's records checklist: its address, a record it must list, and the labels each record prints with.
RECORDS_CHECKLISTS = {
    "English": ("records/", "Pathology reports", ("Who has it", "How to ask", "How long")),
    "Spanish": ("es/records/", "Informes de patología", ("Quién lo tiene", "Cómo pedirlo", "Cuánto tarda")),
}


@pytest.mark.parametrize("language", RECORDS_CHECKLISTS)
def test_records_checklist_prints_on_two_pages_at_most_with_every_record(base_url, page, language):
    path, a_record, labels = RECORDS_CHECKLISTS[language]
    open_sheet(page, base_url, path)
    names = [flat(t) for t in page.locator(".so-rec__name").all_text_contents()]
    assert len(names) >= 10 and a_record in names, names
    page.check("#got-slides")
    failures = print_problems(page, f"the {language} records checklist", names, labels)
    assert failures == [], "\n".join(failures)


def test_printout_has_typed_answers_and_own_question_but_not_skipped_ones(base_url, page):
    open_sheet(page, base_url)
    skipped = flat(page.locator("#q-dx-time").text_content())
    page.fill("#f-child", "Maya Lopez")
    page.fill("#f-doctor", "Dr. Rivera")
    page.fill("#a-dx-sure", "The biopsy was read by two pathologists.\nThey are sure.")
    page.uncheck("#ask-dx-time")
    page.fill("#so-new-q", "Can Maya keep going to school during treatment?")
    page.click("button:has-text('Add question')")
    page.locator(".so-q--own textarea").fill("Yes, on good days, with a note for the school.")

    assert "Maya Lopez" in page.input_value("#f-child")
    failures = []
    for fmt in PAPERS:
        pages, text = printed(page, fmt)
        if pages > 2:
            failures.append(f"{fmt}: the filled-in sheet takes {pages} pages")
        for seen in [
            "Dr. Rivera",
            "The biopsy was read by two pathologists. They are sure.",
            "Can Maya keep going to school during treatment?",
            "Yes, on good days, with a note for the school.",
        ]:
            if seen not in text:
                failures.append(f"{fmt}: '{seen}' did not print")
        if skipped in text:
            failures.append(f"{fmt}: an unticked question still printed")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("path", SHEETS)
def test_printout_leaves_out_the_site_around_the_sheet(base_url, page, path):
    open_sheet(page, base_url, path)
    _, text = printed(page, "Letter")
    host = urlparse(base_url).netloc
    assert f"Printed from {host}" in text, "the site's address should head the printed sheet"
    for chrome in [
        "Second Opinions for Childhood Cancer",  # the header and the navigation's site name
        "Directory of programs",
        "Search",
        "Table of contents",
        "Not medical advice",  # the footer
        "Print this",
        "Clear",
        "Add question",
        "Ask this",
        "The short version",
        "http",
    ]:
        assert chrome not in text, f"/{path}: '{chrome}' should not print"


# Each language's sheet: its print button's words, the address line's fallback, its add button's words.
NO_SCRIPT = [
    ("questions/", "Print this sheet", "Second Opinions for Childhood Cancer", "Add question"),
    ("es/questions/", "Imprimir esta hoja", "Segundas opiniones para el cáncer infantil", "Agregar pregunta"),
]


@pytest.mark.parametrize("path, print_label, site_name, add_label", NO_SCRIPT)
def test_without_javascript_the_whole_sheet_still_prints(base_url, new_tab, path, print_label, site_name, add_label):
    page = new_tab(java_script_enabled=False, viewport=DESKTOP)
    open_sheet(page, base_url, path)
    assert page.locator(f"button:has-text('{print_label}')").first.is_hidden(), "a button that cannot work stays hidden"
    questions = question_texts(page)
    for fmt in PAPERS:
        pages, text = printed(page, fmt)
        assert pages <= 2, f"{fmt}: {pages} pages without JavaScript"
        for q in questions:
            assert q in text, f"{fmt}: missing without JavaScript: {q}"
        assert site_name in text  # the address line's fallback
        assert add_label not in text


# ---- Keeping and clearing --------------------------------------------------------------------------


def test_notes_survive_a_reload_and_clear_wipes_them_and_the_stored_copy(base_url, page):
    open_sheet(page, base_url)
    page.fill("#f-hospital", "Riverside Children's")
    page.fill("#a-tx-soc", "Six rounds of chemo.")
    page.uncheck("#ask-trial-no")
    page.fill("#so-new-q", "Who can we call at 2 a.m.?")
    page.keyboard.press("Enter")
    assert stored_keys(page) == ["so-sheet:questions"]

    page.reload(wait_until="load")
    assert page.input_value("#f-hospital") == "Riverside Children's"
    assert page.input_value("#a-tx-soc") == "Six rounds of chemo."
    assert not page.is_checked("#ask-trial-no")
    assert page.locator(".so-q--own .so-q__text").all_text_contents() == ["Who can we call at 2 a.m.?"]

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Clear')")
    assert page.input_value("#f-hospital") == ""
    assert page.input_value("#a-tx-soc") == ""
    assert page.is_checked("#ask-trial-no")
    assert page.locator(".so-q--own").count() == 0
    assert stored_keys(page) == []
    expect_status(page, "Cleared")

    page.reload(wait_until="load")
    assert page.input_value("#f-hospital") == ""
    assert page.locator(".so-q--own").count() == 0
    assert stored_keys(page) == []


def test_clear_asks_first_and_keeps_everything_if_the_parent_says_no(base_url, page):
    open_sheet(page, base_url, "records/")
    page.check("#asked-labs")
    page.fill("#a-notes", "Called pathology on Monday.")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button:has-text('Clear')")
    assert page.is_checked("#asked-labs")
    assert page.input_value("#a-notes") == "Called pathology on Monday."
    assert stored_keys(page) == ["so-sheet:records"]


def test_each_sheet_keeps_its_own_notes(base_url, page):
    open_sheet(page, base_url, "records/")
    page.check("#got-imaging")
    open_sheet(page, base_url, "questions/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Clear')")
    open_sheet(page, base_url, "records/")
    assert page.is_checked("#got-imaging"), "clearing the question sheet must not wipe the records checklist"


def test_other_pages_keep_nothing_and_show_no_errors(base_url, page):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path in ["", "how/", "glossary/"]:
        page.goto(base_url + path, wait_until="networkidle")
        assert page.locator(".so-sheet").count() == 0
    assert errors == []
    assert stored_keys(page) == []


# ---- Keyboard ----------------------------------------------------------------------------------------


def expect_status(page, words: str) -> None:
    page.wait_for_function("w => (document.querySelector('[data-so-status]').textContent || '').includes(w)", arg=words)


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_keyboard_tab_to_ask_this_and_toggle_it_with_space(base_url, page):
    open_sheet(page, base_url)
    page.focus("#f-hospital")
    for _ in range(6):
        page.keyboard.press("Tab")
        if focused_id(page) == "ask-dx-sure":
            break
    assert focused_id(page) == "ask-dx-sure", "Tab should reach the first 'Ask this' tick box"
    page.keyboard.press("Space")
    assert not page.is_checked("#ask-dx-sure")
    assert not page.locator("#a-dx-sure").is_visible(), "a skipped question hides its answer box"
    page.keyboard.press("Space")
    assert page.is_checked("#ask-dx-sure")
    assert page.locator("#a-dx-sure").is_visible()


def test_keyboard_add_and_remove_an_own_question(base_url, page):
    open_sheet(page, base_url)
    page.focus("#so-new-q")
    page.keyboard.type("Is there a support group for siblings?")
    page.keyboard.press("Enter")
    own = page.locator(".so-q--own")
    assert own.count() == 1
    assert focused_id(page) == "so-new-q", "focus stays in the box, ready for the next question"
    assert page.input_value("#so-new-q") == ""
    expect_status(page, "Added your question")

    # The added question is a real, labelled answer box.
    page.get_by_role("textbox", name="Is there a support group for siblings?").fill("Ask the social worker.")

    remove = page.get_by_role("button", name=re.compile("Remove your question: Is there a support group"))
    remove.focus()
    page.keyboard.press("Enter")
    assert own.count() == 0
    assert focused_id(page) == "so-new-q", "after removing the last one, focus returns to the box"
    expect_status(page, "Removed")


def test_add_question_with_an_empty_box_says_what_to_do(base_url, page):
    open_sheet(page, base_url)
    page.click("button:has-text('Add question')")
    assert page.locator(".so-q--own").count() == 0
    assert focused_id(page) == "so-new-q"
    expect_status(page, "Type your question")


def test_own_question_is_shown_as_text_never_run_as_code(base_url, page):
    open_sheet(page, base_url)
    page.fill("#so-new-q", '<img src=x onerror="window.hacked=1">Is it safe?')
    page.click("button:has-text('Add question')")
    assert page.locator(".so-q--own img").count() == 0
    assert "<img" in page.locator(".so-q--own .so-q__text").text_content()
    assert page.evaluate("window.hacked === undefined")


# ---- Accessibility -------------------------------------------------------------------------------


# Each sheet in use, in each language: a skipped question, an added one with its Remove button, or a tick.
IN_USE = [
    ("questions/", "Can we get a copy of the scan reports?", "Add question"),
    ("records/", None, None),
    ("es/questions/", "¿Nos pueden dar una copia de los informes?", "Agregar pregunta"),
    ("es/records/", None, None),
]


@pytest.mark.parametrize("path, own_question, add_label", IN_USE)
def test_axe_finds_no_violations_with_the_sheet_in_use_light_and_dark(base_url, new_tab, path, own_question, add_label):
    """In light mode, then switched to dark (conftest.axe_light_and_dark), with the sheet in use."""
    page = new_tab(**CHECKED)
    open_sheet(page, base_url, path)
    if own_question:
        page.uncheck("#ask-dx-time")  # a skipped question, in its quieter style
        page.fill("#so-new-q", own_question)
        page.click(f"button:has-text('{add_label}')")  # an added question, with its Remove button
    else:
        page.check("#asked-path-report")
    found = axe_light_and_dark(page)
    failures = [line for scheme in found for line in describe(found[scheme], f"/{path} [{scheme}]")]
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("path", SHEETS)
def test_print_button_opens_the_print_dialog(base_url, page, path):
    open_sheet(page, base_url, path)
    page.evaluate("() => { window.print = () => { window.soPrinted = (window.soPrinted || 0) + 1; }; }")
    assert page.evaluate("window.soPrinted") is None
    page.get_by_role("button", name=re.compile("^Print this")).first.click()
    assert page.evaluate("window.soPrinted") == 1


# ---- The Spanish sheets (/es/questions/, /es/records/) ------------------------------------------------

ES_SHEETS = ["es/questions/", "es/records/"]


def test_spanish_question_sheet_prints_every_question_on_two_pages_at_most(base_url, page):
    open_sheet(page, base_url, "es/questions/")
    questions = question_texts(page)
    assert 20 <= len(questions) <= 28 and questions[0].startswith("¿")
    host = urlparse(base_url).netloc
    failures = print_problems(
        page,
        "the Spanish question sheet",
        questions,
        (
            "Nombre del niño",
            "Fecha",
            "Médico",
            "Hospital",
            "Palabras de esta hoja",
            "Empiece aquí",
            f"Impreso de {host}",
        ),
        never=(
            "Segundas opiniones para el cáncer infantil",
            "Buscar",
            "No es consejo médico",
            "Imprimir esta hoja",
            "Borrar",
            "Agregar pregunta",
            "Preguntar",
            "En pocas palabras",
            "http",
        ),
    )
    assert failures == [], "\n".join(failures)


def test_spanish_sheet_keeps_its_own_notes_apart_from_the_english_one(base_url, page):
    open_sheet(page, base_url, "es/questions/")
    page.fill("#f-hospital", "Hospital Infantil")
    page.uncheck("#ask-trial-no")
    page.fill("#so-new-q", "¿Puede seguir yendo a la escuela?")
    page.click("button:has-text('Agregar pregunta')")
    expect_status(page, "Se agregó su pregunta")
    assert stored_keys(page) == ["so-sheet:questions-es"]

    open_sheet(page, base_url, "questions/")
    assert page.input_value("#f-hospital") == "" and page.is_checked("#ask-trial-no")
    page.fill("#f-hospital", "Riverside Children's")
    assert sorted(stored_keys(page)) == ["so-sheet:questions", "so-sheet:questions-es"]

    open_sheet(page, base_url, "es/questions/")
    assert page.input_value("#f-hospital") == "Hospital Infantil"
    assert not page.is_checked("#ask-trial-no")
    assert page.locator(".so-q--own .so-q__text").all_text_contents() == ["¿Puede seguir yendo a la escuela?"]
    remove = page.get_by_role("button", name=re.compile("^Quitar su pregunta: ¿Puede seguir"))
    remove.click()
    expect_status(page, "Se quitó su pregunta")

    page.once(
        "dialog",
        lambda dialog: (dialog.message.startswith("¿Borrar esta hoja?") or dialog.dismiss()) and dialog.accept(),
    )
    page.click("button:has-text('Borrar')")
    expect_status(page, "Borrado")
    assert stored_keys(page) == ["so-sheet:questions"], "clearing the Spanish sheet leaves the English notes"

    open_sheet(page, base_url, "es/records/")
    page.check("#asked-labs")
    assert sorted(stored_keys(page)) == ["so-sheet:questions", "so-sheet:records-es"]


def test_spanish_add_question_with_an_empty_box_says_what_to_do_in_spanish(base_url, page):
    open_sheet(page, base_url, "es/questions/")
    page.click("button:has-text('Agregar pregunta')")
    assert page.locator(".so-q--own").count() == 0
    expect_status(page, "Primero escriba su pregunta")


@pytest.mark.parametrize("path", ES_SHEETS)
def test_spanish_print_button_opens_the_print_dialog(base_url, page, path):
    open_sheet(page, base_url, path)
    page.evaluate("() => { window.print = () => { window.soPrinted = (window.soPrinted || 0) + 1; }; }")
    page.get_by_role("button", name=re.compile("^Imprimir esta")).first.click()
    assert page.evaluate("window.soPrinted") == 1
