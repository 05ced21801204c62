"""My visit (issue 25), as a family uses it: save programs from the directory and their pages, see them on
/visit/ with the questions and the records checklist, print one packet, move it to another device in a
file, and clear it all; in English and Spanish, by keyboard, with storage blocked."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from pypdf import PdfReader

from conftest import CHECKED, DESKTOP, PAPERS, ROOT, axe_light_and_dark, axe_run, describe, serve, switch_to_dark
from secondopinions.programs import load_programs
from secondopinions.sheet import load_questions, load_records
from secondopinions.visit import render_visit

PROGRAMS = {p.id: p for p in load_programs(ROOT / "data" / "hospitals.yaml")}
# The program that lists the most records (the packet's longest cover and checklist), and two others.
MOST_RECORDS = max(PROGRAMS.values(), key=lambda p: (len(p.records), bool(p.contact.phone))).id
TWO_OTHERS = [i for i, p in PROGRAMS.items() if i != MOST_RECORDS and p.records and p.contact.phone][:2]
# The site is served at the root in these tests, so its keys hold the base path "/".
VISIT_KEY = "so-visit:/"
MAX_PAGES = 5


def flat(text: str) -> str:
    return " ".join(text.split())


def so_keys(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('so-')).sort()")


def storage_dump(page) -> dict[str, str]:
    """Every key of the site's own and what it holds (Material's light or dark choice is not ours)."""
    return page.evaluate(
        "Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith('so-')).sort()"
        ".map(k => [k, localStorage.getItem(k)]))"
    )


def status_says(page, words: str, where: str = "[data-so-visit-status]") -> None:
    page.wait_for_function(
        "([s, w]) => [...document.querySelectorAll(s)].some(e => (e.textContent || '').includes(w))", arg=[where, words]
    )


def open_page(page, base_url, path: str):
    page.goto(base_url + path, wait_until="load")
    return page


def save_button(page, program_id: str):
    return page.locator(f"[data-so-save='{program_id}']")


def save_from_directory(page, base_url, ids, lang_prefix: str = "") -> None:
    open_page(page, base_url, lang_prefix + "directory/")
    for program_id in ids:
        save_button(page, program_id).click()
        assert save_button(page, program_id).get_attribute("aria-pressed") == "true"


def fill_sheets(page, base_url, lang_prefix: str = "") -> None:
    """What a family types on the question sheet and the records checklist before a visit."""
    open_page(page, base_url, lang_prefix + "questions/")
    page.fill("#f-child", "Maya Lopez")
    page.fill("#f-date", "December 14, 2026")
    page.fill("#a-dx-sure", "Two pathologists read the slides.")
    page.fill("#so-new-q", "Can Maya keep going to school?")
    page.keyboard.press("Enter")
    open_page(page, base_url, lang_prefix + "records/")
    page.check("#asked-path-report")
    page.check("#got-path-report")
    page.fill("#a-notes", "Called pathology on Monday.")


def saved_names(page) -> list[str]:
    return [flat(t) for t in page.locator(".so-visit__program h3").all_text_contents()]


# ---- Saving programs -----------------------------------------------------------------------------


def test_two_saved_from_the_list_and_one_from_its_page_show_on_my_visit_in_both_languages(base_url, page):
    first, second = TWO_OTHERS
    open_page(page, base_url, "directory/")
    button = save_button(page, first)
    assert button.get_attribute("aria-pressed") == "false"
    assert button.evaluate("b => b.tagName") == "BUTTON"
    name = PROGRAMS[first]
    assert re.fullmatch(
        rf"Save for my visit: {re.escape(name.program)}, {re.escape(name.institution)}",
        flat(button.evaluate("b => b.textContent")),
    ), "each button names its program for a screen reader"
    button.click()
    status_says(page, f"Saved {name.program}, {name.institution} for your visit.", "[data-so-save-status]")
    see = page.locator(f"[data-program-id='{first}'] .so-save__see")
    assert see.is_visible() and see.get_attribute("href") == "/visit/"
    save_button(page, second).click()

    open_page(page, base_url, f"directory/{MOST_RECORDS}/")
    save_button(page, MOST_RECORDS).click()
    assert save_button(page, MOST_RECORDS).get_attribute("aria-pressed") == "true"
    assert so_keys(page) == [VISIT_KEY]

    expected = [PROGRAMS[i].program for i in (first, second, MOST_RECORDS)]
    open_page(page, base_url, "visit/")
    assert saved_names(page) == expected
    open_page(page, base_url, "es/visit/")
    assert page.locator("#so-visit-programs").text_content() == "Programas que guardó"
    assert saved_names(page) == expected, "the programs saved are the same in both languages"
    # Back on the directory, in Spanish, the three show as saved, and pressing again removes one.
    open_page(page, base_url, "es/directory/")
    assert save_button(page, first).get_attribute("aria-pressed") == "true"
    assert flat(save_button(page, first).evaluate("b => b.firstChild.textContent")) == "Guardar para mi visita"
    save_button(page, first).click()
    status_says(page, "Se quitó", "[data-so-save-status]")
    assert save_button(page, first).get_attribute("aria-pressed") == "false"
    open_page(page, base_url, "es/visit/")
    assert saved_names(page) == expected[1:]


def test_a_saved_program_shows_what_a_family_acts_on_and_says_what_its_page_does_not(base_url, page):
    without_cost = next(i for i, p in PROGRAMS.items() if not p.cost and p.contact.phone)
    save_from_directory(page, base_url, [without_cost])
    open_page(page, base_url, "visit/")
    p = PROGRAMS[without_cost]
    card = page.locator(".so-visit__program")
    text = flat(card.text_content())
    for seen in [p.program, p.institution, p.contact.phone, p.url, "All details on this site"]:
        assert seen in text, seen
    cost = card.locator("dt", has_text="Cost").locator("xpath=following-sibling::dd")
    assert cost.text_content() == "Not stated on its page"
    assert card.locator(f"a[href='../directory/{without_cost}/']").count() == 1
    for link, target in [
        ("Find and save programs in the directory", "../directory/"),
        ("Change them on the question sheet", "../questions/"),
        ("Change the ticks on the records checklist", "../records/"),
    ]:
        assert page.get_by_role("link", name=link).get_attribute("href") == target, (
            "each part links to where it is edited"
        )


def test_the_saved_programs_records_are_its_own_list_to_tick_in_the_checklist(base_url, page):
    save_from_directory(page, base_url, [MOST_RECORDS])
    open_page(page, base_url, "visit/")
    p = PROGRAMS[MOST_RECORDS]
    group = page.locator(".so-visit__own-records")
    assert flat(group.locator("h3").text_content()) == f"{p.program}: the records it asks for"
    assert [flat(t) for t in group.locator(".so-visit__rec-name").all_text_contents()] == list(p.records)
    # Its name says which record (Chromium puts a space before the visually hidden part).
    got_it = re.compile(rf"^Got it ?: {re.escape(p.records[0])}$")
    group.get_by_role("checkbox", name=got_it).check()
    page.reload(wait_until="load")
    assert page.locator(".so-visit__own-records").get_by_role("checkbox", name=got_it).is_checked()
    assert json.loads(page.evaluate(f"localStorage.getItem('{VISIT_KEY}')"))["ticks"] == {
        MOST_RECORDS: {p.records[0]: {"got": True}}
    }
    # The checklist's own records follow, with the ticks made on /records/ (changed there).
    general = page.locator(".so-visit__checklist .so-visit__group").last
    assert general.locator(".so-visit__rec").count() == sum(len(g["records"]) for g in load_records().groups)


def test_questions_are_the_ticked_ones_and_the_familys_own_with_what_was_typed(base_url, page):
    fill_sheets(page, base_url)
    open_page(page, base_url, "questions/")
    skipped = flat(page.locator("#q-dx-time").text_content())
    page.uncheck("#ask-dx-time")
    open_page(page, base_url, "visit/")
    questions = [flat(t) for t in page.locator(".so-visit__q-text").all_text_contents()]
    total = sum(len(g["questions"]) for g in load_questions().groups)
    assert len(questions) == total  # every question but the unticked one, and the family's own
    assert skipped not in questions
    assert questions[-1] == "Can Maya keep going to school?"
    assert "Two pathologists read the slides." in page.locator(".so-visit__questions").text_content()
    assert "Questions you unticked, left out: 1." in page.locator(".so-visit__questions").text_content()
    assert page.locator("[data-so-visit-child]").text_content() == "Maya Lopez"
    marks = page.locator(".so-visit__checklist .so-visit__rec", has_text="Pathology reports").first
    assert "✓" not in marks.text_content() and marks.locator(".so-visit__mark--on").count() == 2


# ---- The printed packet ----------------------------------------------------------------------------


PACKETS = {
    "English": (
        "",
        "Child's name",
        "What to send",
        "Your questions",
        "Your records checklist",
        "Print my visit packet",
    ),
    "Spanish": (
        "es/",
        "Nombre del niño",
        "Qué enviar",
        "Sus preguntas",
        "Su lista de expedientes",
        "Imprimir el paquete",
    ),
}


@pytest.mark.parametrize("language", PACKETS)
def test_the_packet_prints_within_five_pages_cover_first_then_questions_then_checklist(base_url, page, language):
    prefix, child_label, send_label, questions_heading, checklist_heading, button = PACKETS[language]
    save_from_directory(page, base_url, [TWO_OTHERS[0], MOST_RECORDS], prefix)
    fill_sheets(page, base_url, prefix)
    open_page(page, base_url, prefix + "visit/")
    page.select_option("#so-visit-choose", MOST_RECORDS)  # the visit is with the program listing the most records
    p = PROGRAMS[MOST_RECORDS]
    questions = [flat(t) for t in page.locator(".so-visit__q-text").all_text_contents()]
    assert len(questions) >= 25
    failures = []
    for paper in PAPERS:
        reader = PdfReader(io.BytesIO(page.pdf(format=paper)))
        pages = [flat(pg.extract_text()) for pg in reader.pages]
        text = " ".join(pages)
        if len(pages) > MAX_PAGES:
            failures.append(f"{paper}: {len(pages)} pages")
        cover = pages[0]
        for seen in [
            "Maya Lopez",
            "December 14, 2026",
            child_label,
            p.program,
            p.contact.phone,
            p.url[:40],
            send_label,
            *p.records,
        ]:
            if seen not in cover:
                failures.append(f"{paper}: the cover lacks {seen!r}")
        if questions[0] in cover:
            failures.append(f"{paper}: the questions start on the cover")
        order = [text.find(w) for w in (child_label, questions_heading, questions[0], questions[-1], checklist_heading)]
        if -1 in order or order != sorted(order):
            failures.append(f"{paper}: not cover, questions, checklist in that order: {order}")
        # Nothing is cut across a page break: each question is whole on one page.
        for q in questions:
            if not any(q in pg for pg in pages):
                failures.append(f"{paper}: cut across pages or missing: {q[:60]}")
        for n, pg in enumerate(pages, start=1):
            if not re.search(rf"(^|\s){n} / {len(pages)}($|\s)", pg):
                failures.append(f"{paper}: page {n} has no page number")
        for chrome in [
            button,
            "Second Opinions for Childhood Cancer",
            "Segundas opiniones para",
            "Not medical advice",
            "No es consejo médico",
            "The short version",
            "En pocas palabras",
            "http://127.0.0.1",
        ]:
            if chrome in text:
                failures.append(f"{paper}: {chrome!r} printed")
    assert failures == [], "\n".join(failures)


def test_the_print_button_opens_the_print_dialog(base_url, page):
    open_page(page, base_url, "visit/")
    page.evaluate("() => { window.print = () => { window.soPrinted = (window.soPrinted || 0) + 1; }; }")
    page.get_by_role("button", name="Print my visit packet").click()
    assert page.evaluate("window.soPrinted") == 1


# ---- Moving it to another device --------------------------------------------------------------------


def save_file(page, tmp_path: Path) -> Path:
    with page.expect_download() as download:
        page.locator("[data-so-visit-save]").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path


def open_file(page, path: Path, answer: str | None = None) -> list[str]:
    """Open a file with the page's button; `answer` "accept" or "dismiss" the question it asks first.
    Returns the questions asked."""
    asked: list[str] = []
    done = False

    def on_dialog(dialog):
        if done:
            return  # a later question (Clear's) is the test's own to answer
        asked.append(dialog.message)
        dialog.accept() if answer == "accept" else dialog.dismiss()

    page.on("dialog", on_dialog)
    page.evaluate("document.querySelector('[data-so-visit-status]').textContent = ''")
    with page.expect_file_chooser() as chooser:
        page.locator("[data-so-visit-open]").click()
    chooser.value.set_files(str(path))
    # The page always says what it did with the file: opened it, refused it, or changed nothing.
    page.wait_for_function("() => document.querySelector('[data-so-visit-status]').textContent !== ''")
    done = True
    return asked


def test_a_file_saved_here_and_opened_in_a_fresh_browser_profile_restores_everything(base_url, page, browser, tmp_path):
    save_from_directory(page, base_url, [TWO_OTHERS[0], MOST_RECORDS])
    fill_sheets(page, base_url)
    open_page(page, base_url, "es/questions/")
    page.fill("#a-tx-soc", "Seis ciclos de quimioterapia.")
    open_page(page, base_url, "visit/")
    page.select_option("#so-visit-choose", MOST_RECORDS)
    page.locator(".so-visit__own-records input[data-so-visit-tick='asked']").first.check()
    before = storage_dump(page)
    assert sorted(before) == sorted(
        [VISIT_KEY, "so-sheet-questions:/", "so-sheet-questions-es:/", "so-sheet-records:/"]
    )

    path = save_file(page, tmp_path)
    assert re.fullmatch(r"my-visit-\d{4}-\d\d-\d\d\.json", path.name)
    status_says(page, f"Saved the file {path.name}.")
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["format"] == "second-opinions-my-visit" and kept["version"] == 1

    fresh = browser.new_context(viewport=DESKTOP)
    try:
        other = fresh.new_page()
        open_page(other, base_url, "visit/")
        assert so_keys(other) == []
        asked = open_file(other, path, "accept")
        status_says(other, "Opened the file.")
        assert (
            len(asked) == 1
            and "replaces what this browser keeps now" in asked[0]
            and "Programs saved in the file: 2" in asked[0]
        )
        assert storage_dump(other) == before, "everything kept is back, as it was"
        assert saved_names(other) == [PROGRAMS[TWO_OTHERS[0]].program, PROGRAMS[MOST_RECORDS].program]
        assert other.input_value("#so-visit-choose") == MOST_RECORDS
        assert other.locator(".so-visit__own-records input[data-so-visit-tick='asked']").first.is_checked()
        open_page(other, base_url, "questions/")
        assert other.input_value("#f-child") == "Maya Lopez"
        assert other.locator(".so-q--own .so-q__text").all_text_contents() == ["Can Maya keep going to school?"]
        open_page(other, base_url, "es/questions/")
        assert other.input_value("#a-tx-soc") == "Seis ciclos de quimioterapia."
        open_page(other, base_url, "records/")
        assert other.is_checked("#got-path-report") and other.input_value("#a-notes") == "Called pathology on Monday."
    finally:
        fresh.close()


def test_opening_a_file_and_saying_no_changes_nothing(base_url, page, tmp_path):
    save_from_directory(page, base_url, [MOST_RECORDS])
    open_page(page, base_url, "visit/")
    path = save_file(page, tmp_path)
    save_from_directory(page, base_url, [TWO_OTHERS[0]])
    open_page(page, base_url, "visit/")
    before = storage_dump(page)
    asked = open_file(page, path, "dismiss")
    status_says(page, "Nothing was changed.")
    assert len(asked) == 1 and storage_dump(page) == before


GOOD_FILE = {
    "format": "second-opinions-my-visit",
    "version": 1,
    "programs": [{"id": "a-program", "label": "A program"}],
    "chosen": "",
    "ticks": {},
    "sheets": {},
}
REFUSED = {
    "a damaged file": (
        json.dumps(GOOD_FILE)[:-20],
        "This file could not be read. It may be damaged. Nothing was changed.",
    ),
    "a file with a damaged part": (
        json.dumps({**GOOD_FILE, "programs": [{"id": 7}]}),
        "It may be damaged. Nothing was changed.",
    ),
    "a note that is not text": (
        json.dumps({**GOOD_FILE, "sheets": {"questions": {"fields": {"f-child": ["x"]}}}}),
        "It may be damaged.",
    ),
    "a newer version's file": (json.dumps({**GOOD_FILE, "version": 2}), "comes from a newer version of this site"),
    "an older version's file": (json.dumps({**GOOD_FILE, "version": 0}), "comes from an older version of this site"),
    "another site's JSON": (
        json.dumps([{"id": "boston-childrens"}]),
        "This is not a My visit file from this site. Nothing was changed.",
    ),
    "a picture": ("\x89PNG\r\n\x1a\n\x00\x00", "This is not a My visit file from this site."),
}


@pytest.mark.parametrize("kind", REFUSED)
def test_a_damaged_older_newer_or_other_file_is_refused_and_changes_nothing(base_url, page, tmp_path, kind):
    content, said = REFUSED[kind]
    open_page(page, base_url, "visit/")
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)",
        [VISIT_KEY, json.dumps({"v": 1, "programs": [{"id": MOST_RECORDS, "label": "saved"}]})],
    )
    page.reload(wait_until="load")
    before = storage_dump(page)
    path = tmp_path / "visit.json"
    path.write_text(content, encoding="utf-8")
    asked = open_file(page, path, "accept")
    status_says(page, said)
    assert asked == [], "a refused file asks nothing"
    assert storage_dump(page) == before
    assert saved_names(page) == [PROGRAMS[MOST_RECORDS].program]


# ---- Clear ------------------------------------------------------------------------------------------


def test_clear_wipes_programs_notes_and_ticks_in_one_step_and_leaves_no_key(base_url, page):
    save_from_directory(page, base_url, [MOST_RECORDS])
    fill_sheets(page, base_url)
    page.evaluate("""() => {  // the Spanish sheets' notes, as sheet.js keeps them
        localStorage.setItem("so-sheet-questions-es:/", JSON.stringify({v: 1, fields: {"f-child": "Maya"}, checks: {}, own: []}));
        localStorage.setItem("so-sheet-records-es:/", JSON.stringify({v: 1, fields: {}, checks: {"got-labs": true}, own: []}));
    }""")
    open_page(page, base_url, "visit/")
    page.locator(".so-visit__own-records input").first.check()
    assert len(so_keys(page)) == 5
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".so-visit__actions").get_by_role("button", name="Clear").click()
    status_says(page, "Cleared. Nothing from this site is kept on this device now.")
    assert so_keys(page) == []
    assert page.locator(".so-visit__program").count() == 0
    assert page.locator("[data-so-visit-child]").text_content() == "Not filled in yet"
    open_page(page, base_url, "questions/")
    assert page.input_value("#f-child") == "" and page.locator(".so-q--own").count() == 0


def test_two_copies_of_the_site_on_one_address_keep_apart(site, tmp_path, page):
    """Two copies under /a/ and /b/ of one host: a program saved on one is not on the other, and Clear on
    one leaves the other's key."""
    root = tmp_path / "two-copies"
    root.mkdir()
    (root / "a").symlink_to(site, target_is_directory=True)
    (root / "b").symlink_to(site, target_is_directory=True)
    server = serve(root)
    try:
        host = f"http://127.0.0.1:{server.server_address[1]}/"
        open_page(page, host, f"a/directory/{MOST_RECORDS}/")
        save_button(page, MOST_RECORDS).click()
        assert so_keys(page) == ["so-visit:/a/"]
        open_page(page, host, "b/visit/")
        assert page.locator(".so-visit__program").count() == 0
        open_page(page, host, f"b/directory/{TWO_OTHERS[0]}/")
        save_button(page, TWO_OTHERS[0]).click()
        open_page(page, host, "b/visit/")
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator(".so-visit__actions").get_by_role("button", name="Clear").click()
        status_says(page, "Cleared.")
        assert so_keys(page) == ["so-visit:/a/"]
        open_page(page, host, "a/visit/")
        assert saved_names(page) == [PROGRAMS[MOST_RECORDS].program]
    finally:
        server.shutdown()


# ---- Kept, never silently dropped ------------------------------------------------------------------


def test_a_saved_program_no_longer_in_the_directory_and_notes_of_a_question_gone_are_shown(base_url, page):
    open_page(page, base_url, "visit/")
    page.evaluate(
        """k => {
        localStorage.setItem(k, JSON.stringify({v: 1, programs: [{id: "closed-program", label: "Closed Program, Old Hospital"}],
                                                ticks: {"closed-program": {"Old form": {asked: true}}}}));
        localStorage.setItem("so-sheet-questions:/", JSON.stringify({v: 1, fields: {"a-retired-question": "An answer kept."}, checks: {}, own: []}));
    }""",
        VISIT_KEY,
    )
    page.reload(wait_until="load")
    card = page.locator(".so-visit__program")
    assert "no longer in our directory" in card.text_content() and "Closed Program, Old Hospital" in card.text_content()
    assert "No longer on the program's list" in page.locator(".so-visit__own-records").text_content()
    assert "An answer kept." in page.locator(".so-visit__questions").text_content()


def test_program_text_is_shown_as_text_never_run(tmp_path):
    """Hostile data reaches the page as JSON inside a data block: it cannot end the block or run."""
    hostile = load_programs(ROOT / "tests" / "fixtures" / "hostile.yaml")
    html = render_visit(
        hostile,
        schema=json.loads((ROOT / "data" / "hospitals.schema.json").read_text()),
        questions=load_questions(),
        records=load_records(),
        lang="en",
    )
    block = re.search(r'<script type="application/json" data-so-visit-data>(.*?)</script>', html, re.S).group(1)
    assert "<" not in block, "every < in the data is escaped, so nothing can close the block"
    data = json.loads(block)
    assert {p.id for p in hostile} == set(data["programs"])


# ---- Storage blocked ---------------------------------------------------------------------------------


def test_with_storage_blocked_the_pages_say_so_and_a_file_still_shows_and_prints(base_url, blocked, tmp_path):
    errors: list[str] = []
    blocked.on("pageerror", lambda e: errors.append(str(e)))
    open_page(blocked, base_url, "directory/")
    save_button(blocked, MOST_RECORDS).click()
    status_says(blocked, "This browser is not letting this site save", "[data-so-save-status]")
    assert save_button(blocked, MOST_RECORDS).get_attribute("aria-pressed") == "false"

    open_page(blocked, base_url, "visit/")
    warning = blocked.locator("[data-so-storage-warning]")
    assert warning.is_visible() and "This browser is not letting this page save" in warning.text_content()
    pages = PdfReader(io.BytesIO(blocked.pdf(format="Letter"))).pages
    assert 2 <= len(pages) <= MAX_PAGES and "Your questions" in " ".join(p.extract_text() for p in pages)

    path = tmp_path / "visit.json"
    path.write_text(json.dumps({**GOOD_FILE, "programs": [{"id": MOST_RECORDS, "label": "x"}]}), encoding="utf-8")
    open_file(blocked, path, "accept")
    status_says(blocked, "but this browser is not letting the page keep it")
    assert saved_names(blocked) == [PROGRAMS[MOST_RECORDS].program]
    text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(blocked.pdf(format="A4"))).pages))
    assert PROGRAMS[MOST_RECORDS].program in text, "what is on screen prints"
    blocked.once("dialog", lambda dialog: dialog.accept())
    blocked.locator(".so-visit__actions").get_by_role("button", name="Clear").click()
    status_says(blocked, "may still be on this device")  # it cannot know that nothing is kept
    assert blocked.locator(".so-visit__program").count() == 0
    assert errors == []


@pytest.mark.parametrize(
    "prefix, words",
    [
        ("", "JavaScript is off in this browser, so this page cannot show what you saved."),
        ("es/", "JavaScript está apagado en este navegador, así que esta página no puede mostrar lo que guardó."),
    ],
)
def test_without_javascript_the_page_says_why_it_is_empty_and_shows_no_button_that_cannot_work(
    base_url, new_tab, prefix, words
):
    page = new_tab(java_script_enabled=False, viewport=DESKTOP)
    open_page(page, base_url, prefix + "visit/")
    assert words in page.inner_text(".admonition.info")  # innerText: Playwright's text locators skip <noscript>
    assert page.locator(".so-visit button").evaluate_all("bs => bs.filter(b => b.checkVisibility()).length") == 0
    open_page(page, base_url, prefix + "directory/")
    assert page.locator("[data-so-save]").count() == 0 and page.locator("[data-program-id]").count() == len(PROGRAMS)


# ---- Private, accessible, by keyboard ----------------------------------------------------------------


def watch_requests(page) -> list[str]:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) else None)
    return outside


@pytest.mark.parametrize("prefix", ["", "es/"])
def test_axe_finds_nothing_light_and_dark_and_no_request_leaves_the_site(base_url, new_tab, tmp_path, prefix):
    page = new_tab(**CHECKED)
    outside = watch_requests(page)
    failures = []

    # The directory and program pages get every rule, light and dark, in tests/test_browser.py; what this
    # adds there is the button, pressed and not: every rule on it, in both schemes.
    save_from_directory(page, base_url, [TWO_OTHERS[0], MOST_RECORDS], prefix)
    failures += describe(axe_run(page, include=".so-save"), f"/{prefix}directory/ buttons [light]")
    switch_to_dark(page)
    failures += describe(axe_run(page, include=".so-save"), f"/{prefix}directory/ buttons [dark]")
    page.emulate_media(color_scheme="light")
    open_page(page, base_url, prefix + "visit/")
    page.locator(".so-visit__own-records input").first.check()
    save_file(page, tmp_path)
    if prefix:  # the same templates and styles as the English page: every rule, light only
        failures += describe(axe_run(page), f"/{prefix}visit/ [light]")
    else:
        found = axe_light_and_dark(page)
        failures += [line for scheme in found for line in describe(found[scheme], f"/{prefix}visit/ [{scheme}]")]
    page.set_viewport_size(
        {"width": 320, "height": 640}
    )  # WCAG reflow, as in tests/test_browser.py, with the page full
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        failures.append(f"/{prefix}visit/ [320px] scrolls sideways: {width}px wide")
    failures += [f"request left the site: {u}" for u in outside]
    failures += [f"refused by the policy: {v}" for v in page.evaluate("window.soViolations")]
    assert failures == [], "\n".join(failures)


def focused(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ''")


def tab_to(page, selector: str, most: int = 60) -> None:
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}; ended on {focused(page)}")


def test_keyboard_alone_saves_chooses_ticks_removes_and_prints(base_url, page):
    first, second = TWO_OTHERS
    open_page(page, base_url, "directory/")
    page.focus(f"[data-program-id='{first}'] a")  # the program's first link, a few stops before its button
    tab_to(page, f"[data-so-save='{first}']", 400)
    page.keyboard.press("Enter")
    tab_to(page, f"[data-so-save='{second}']", 400)
    page.keyboard.press("Space")
    assert save_button(page, second).get_attribute("aria-pressed") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "See My visit", "the link to My visit comes next"
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "visit/")
    page.wait_for_load_state("load")

    page.evaluate("() => { window.print = () => { window.soPrinted = 1; }; }")
    tab_to(page, "[data-so-visit-print]")
    page.keyboard.press("Enter")
    assert page.evaluate("window.soPrinted") == 1
    tab_to(page, "#so-visit-choose")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#so-visit-choose") == second
    tab_to(page, f"#so-visit-remove-{first}")
    page.keyboard.press("Enter")
    status_says(page, "Removed")
    assert saved_names(page) == [PROGRAMS[second].program]
    assert page.evaluate("document.activeElement.id") == f"so-visit-remove-{second}", (
        "focus goes to the next program's Remove"
    )
    if PROGRAMS[second].records:
        tab_to(page, ".so-visit__own-records input")
        page.keyboard.press("Space")
        assert page.locator(".so-visit__own-records input").first.is_checked()
