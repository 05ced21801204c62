"""What a family types on the sheets, when the browser's storage is full, blocked, or shared by two tabs:
nothing typed is lost, or left behind, without the page saying so."""

from __future__ import annotations

import json
import re

import pytest

from conftest import DESKTOP, site_search

SHEETS = ["questions/", "records/"]
WARNING = "This browser is not letting this page save"


def open_sheet(page, base_url, path="questions/"):
    """Open a sheet; its script has run when the page has loaded (it fetches nothing)."""
    page.goto(base_url + path, wait_until="load")
    return page


def stored_keys(page) -> list[str]:
    """Every key of the site's in this browser (they start with so-; Material's own do not)."""
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('so-'))")


def status_says(page, words: str) -> None:
    page.wait_for_function("w => (document.querySelector('[data-so-status]').textContent || '').includes(w)", arg=words)


def status(page) -> str:
    return page.locator("[data-so-status]").text_content() or ""


def storage_box(page):
    """The box at the top of the sheet that promises what happens to what is typed."""
    return page.locator(".admonition", has_text="stays in this browser")


def clear(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Clear')")


def fill_storage(page) -> None:
    """Fill this address's storage to the last byte, as other sites sharing a github.io address can."""
    page.evaluate(
        """() => {
            let n = 0;
            for (let size = 1 << 22; size >= 1; size = Math.floor(size / 2)) {
                for (;;) {
                    // Short keys, so that what is left at the end is smaller than any key of ours.
                    try { localStorage.setItem('~' + n.toString(36), 'x'.repeat(size)); n++; }
                    catch (e) { break; }
                }
            }
        }"""
    )
    assert page.evaluate(
        "() => { try { localStorage.setItem('so-sheet:t', '1'); localStorage.removeItem('so-sheet:t'); return false; } catch (e) { return true; } }"
    ), "storage should be full"


def errors_on(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


# ---- Full storage --------------------------------------------------------------------------------


def test_full_storage_still_shows_the_notes_kept_before(base_url, page):
    open_sheet(page, base_url)
    page.fill("#f-hospital", "Riverside Children's")
    page.fill("#so-new-q", "Who reads the scans?")
    page.keyboard.press("Enter")
    fill_storage(page)

    page.reload(wait_until="load")
    assert page.input_value("#f-hospital") == "Riverside Children's", "the kept notes must show, even with storage full"
    assert page.locator(".so-q--own .so-q__text").all_text_contents() == ["Who reads the scans?"]


@pytest.mark.parametrize("path", SHEETS)
def test_full_storage_says_new_notes_will_not_be_kept(base_url, page, path):
    open_sheet(page, base_url, path)
    fill_storage(page)
    page.reload(wait_until="load")
    page.fill("#f-child", "Maya")
    assert storage_box(page).locator("p", has_text=WARNING).is_visible()


def test_full_storage_clear_removes_the_kept_notes_and_says_so(base_url, page):
    open_sheet(page, base_url)
    page.fill("#a-tx-soc", "Six rounds of chemo.")
    fill_storage(page)
    page.reload(wait_until="load")

    clear(page)
    status_says(page, "Cleared")
    assert stored_keys(page) == [], "Clear must remove the kept notes, even with storage full"
    assert "Nothing from this sheet is kept" in status(page)
    page.reload(wait_until="load")
    assert page.input_value("#a-tx-soc") == ""


def test_a_save_that_fails_while_typing_is_said_at_once(base_url, page):
    open_sheet(page, base_url)
    page.fill("#f-doctor", "Dr. Rivera")
    fill_storage(page)
    page.fill("#a-tx-soc", "Six rounds of chemo. " * 40)  # larger than the copy kept: this save fails
    assert storage_box(page).locator("p", has_text=WARNING).is_visible()
    status_says(page, WARNING)


# ---- Blocked storage -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHEETS)
def test_blocked_storage_says_in_the_box_that_notes_will_not_be_kept(base_url, blocked, path):
    open_sheet(blocked, base_url, path)
    warning = storage_box(blocked).locator("p", has_text=WARNING)
    assert warning.is_visible(), "the page promises to keep the notes: it must say when it cannot"
    assert "print or copy them first" in warning.text_content()


@pytest.mark.parametrize(
    "path, words",
    [
        ("questions/", "JavaScript is off in this browser, so nothing you type here is kept."),
        ("records/", "JavaScript is off in this browser, so nothing you type here is kept."),
        (
            "es/questions/",
            "JavaScript está apagado en este navegador, así que no se guarda nada de lo que escriba aquí.",
        ),
        ("es/records/", "JavaScript está apagado en este navegador, así que no se guarda nada de lo que escriba aquí."),
    ],
)
def test_without_javascript_the_box_says_nothing_typed_is_kept(base_url, new_tab, path, words):
    # Without JavaScript nothing is saved, so the promise beside it must say so.
    page = new_tab(java_script_enabled=False, viewport=DESKTOP)
    page.goto(base_url + path)
    # innerText holds only rendered text (Playwright's text locators skip <noscript>).
    shown = page.inner_text(".admonition.info")
    assert words in shown


def test_with_storage_allowed_the_warning_stays_hidden(base_url, page):
    open_sheet(page, base_url)
    page.fill("#f-child", "Maya")
    assert not page.locator("p", has_text=WARNING).is_visible()
    # An address of the site's own: no other site can read the notes, and the box does not say they can.
    assert not page.locator("[data-so-shared-warning]").is_visible()


def test_blocked_storage_sheet_works_with_no_errors(base_url, blocked):
    errors = errors_on(blocked)
    open_sheet(blocked, base_url)
    blocked.fill("#a-dx-sure", "Two pathologists agreed.")
    blocked.fill("#so-new-q", "Who reads the scans?")
    blocked.keyboard.press("Enter")
    assert blocked.locator(".so-q--own .so-q__text").all_text_contents() == ["Who reads the scans?"]
    for path in ["", "directory/", "records/"]:
        blocked.goto(base_url + path, wait_until="networkidle")
    assert errors == []


def test_blocked_storage_clear_does_not_claim_nothing_is_kept(base_url, blocked):
    open_sheet(blocked, base_url)
    blocked.fill("#f-child", "Maya")
    clear(blocked)
    status_says(blocked, "Cleared")
    said = status(blocked)
    assert "Nothing from this sheet is kept" not in said, "the page cannot know: notes saved before may still be there"
    assert "may still be on this device" in said
    assert blocked.input_value("#f-child") == ""


def test_blocked_storage_site_search_still_works(base_url, blocked):
    blocked.goto(base_url, wait_until="load")
    site_search(blocked, "biopsy", "a[href*='glossary/'][href*='#biopsy']")


# ---- Two tabs ------------------------------------------------------------------------------------


@pytest.fixture
def two_tabs(new_tab, base_url):
    """The same sheet open in two tabs of one browser, both opened before anything was typed."""
    first, second = new_tab(viewport=DESKTOP), new_tab(viewport=DESKTOP)
    open_sheet(first, base_url)
    open_sheet(second, base_url)
    return first.context, first, second


def answer_shows(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([s, t]) => document.querySelector(s).value === t", arg=[selector, text], timeout=15000
    )  # another tab's save arrives by an event: slow on a loaded machine


def test_two_tabs_each_keep_what_was_typed_in_them(base_url, two_tabs):
    context, first, second = two_tabs
    first.fill("#a-dx-sure", "Typed in the first tab.")
    second.fill("#a-tx-soc", "Typed in the second tab.")
    first.fill("#f-doctor", "Dr. Rivera")  # the first tab saves again, after the second

    answer_shows(first, "#a-tx-soc", "Typed in the second tab.")  # each tab shows the other's answers
    answer_shows(second, "#a-dx-sure", "Typed in the first tab.")
    later = context.new_page()
    open_sheet(later, base_url)
    assert later.input_value("#a-dx-sure") == "Typed in the first tab."
    assert later.input_value("#a-tx-soc") == "Typed in the second tab."
    assert later.input_value("#f-doctor") == "Dr. Rivera"


def test_two_tabs_each_keep_their_own_questions_and_ticks(base_url, two_tabs):
    context, first, second = two_tabs
    first.fill("#so-new-q", "Asked in the first tab?")
    first.keyboard.press("Enter")
    second.uncheck("#ask-trial-no")
    second.fill("#so-new-q", "Asked in the second tab?")
    second.keyboard.press("Enter")
    first.locator(".so-q--own textarea").first.fill("Answered in the first tab.")

    later = context.new_page()
    open_sheet(later, base_url)
    assert later.locator(".so-q--own .so-q__text").all_text_contents() == [
        "Asked in the first tab?",
        "Asked in the second tab?",
    ]
    assert later.locator(".so-q--own textarea").first.input_value() == "Answered in the first tab."
    assert not later.is_checked("#ask-trial-no")


def test_clear_in_one_tab_clears_the_other_and_keeps_nothing(base_url, two_tabs):
    context, first, second = two_tabs
    first.fill("#f-hospital", "Riverside Children's")
    answer_shows(second, "#f-hospital", "Riverside Children's")
    clear(second)
    answer_shows(first, "#f-hospital", "")
    first.fill("#f-doctor", "Dr. Rivera")  # typing on in the first tab must not bring the cleared notes back
    later = context.new_page()
    open_sheet(later, base_url)
    assert later.input_value("#f-hospital") == ""
    assert later.input_value("#f-doctor") == "Dr. Rivera"


# ---- A shared address ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHEETS)
def test_the_page_says_notes_stay_in_this_browser(base_url, page, path):
    open_sheet(page, base_url, path)
    # What is kept, where: in this browser, on this device, for this website only (issue 22).
    assert re.search(
        r"kept in this browser, on this device, in the storage it keeps for this website",
        storage_box(page).text_content(),
    )


def test_only_what_was_typed_or_changed_is_kept(base_url, page):
    """Other sites on a shared github.io address can read this storage: keep nothing that is not needed."""
    open_sheet(page, base_url)
    page.fill("#f-hospital", "Riverside Children's")
    page.uncheck("#ask-trial-no")
    kept = page.evaluate("k => localStorage.getItem(k)", sheet_key(page))
    for untouched in ["f-child", "f-date", "a-dx-sure", "ask-dx-sure"]:
        assert untouched not in kept, f"{untouched} was never touched, yet it is kept: {kept[:200]}"
    page.reload(wait_until="load")
    assert page.input_value("#f-hospital") == "Riverside Children's"
    assert not page.is_checked("#ask-trial-no")
    assert page.is_checked("#ask-dx-sure")
    # Material's own key for the light or dark choice is not ours to judge; no other key of the sheet's stays.
    assert stored_keys(page) == ["so-sheet-questions:/"], "no other key is left behind"


# ---- Nothing lost when the sheet changes (issue 22) ----------------------------------------------


def sheet_key(page, name: str = "questions") -> str:
    """The key a sheet keeps what is typed under, from the site's one place for keys (storage-keys.js)."""
    return page.evaluate("name => soStorage.key('sheet-' + name)", name)


def store(page, state, name: str = "questions", via=None) -> None:
    """Put a stored copy in place for the sheet open in `page`, as an earlier visit left it, or as
    another script of this address writes it (from the tab `via`)."""
    text = state if isinstance(state, str) else json.dumps(state)
    (via or page).evaluate("([k, v]) => localStorage.setItem(k, v)", [sheet_key(page, name), text])


def kept(page, name: str = "questions"):
    text = page.evaluate("k => localStorage.getItem(k)", sheet_key(page, name))
    return None if text is None else json.loads(text)


EARLIER = {
    "v": 1,
    "fields": {
        "a-dx-second": "Yes, at Riverside.",
        "a-dx-kind": "Ewing sarcoma",
        "a-gone-forever": "Kept too.",
        "f-hospital": "Riverside Children's",
    },
    "checks": {"ask-dx-second": False},
    "own": [],
}


def test_answers_whose_question_is_gone_are_kept_and_shown(page, fixture_url):
    """The sheet built from tests/fixtures/questions-full.yaml has taken off dx-second (under `retired`)
    and renamed dx-kind to dx-type; a-gone-forever names a question no data remembers."""
    open_sheet(page, fixture_url)
    store(page, EARLIER)
    page.reload(wait_until="load")

    earlier = page.locator("[data-so-earlier]")
    assert earlier.is_visible() and "From an earlier version of this sheet" in earlier.inner_text()
    second = earlier.locator("li", has_text="Should we get a second opinion before treatment starts?")
    assert second.locator("textarea").input_value() == "Yes, at Riverside."
    assert not second.locator("input[type=checkbox]").is_checked(), "its unticked 'Ask this' is kept as it was"
    unnamed = earlier.locator("li", has_text="A question that is no longer on this sheet")
    assert unnamed.locator("textarea").input_value() == "Kept too."
    assert page.input_value("#a-dx-type") == "Ewing sarcoma", "a renamed question's answer moves to it"

    page.fill("#f-doctor", "Dr. Rivera")  # the next save keeps all of it
    fields = kept(page)["fields"]
    assert fields["a-dx-second"] == "Yes, at Riverside." and fields["a-gone-forever"] == "Kept too."
    assert fields["a-dx-type"] == "Ewing sarcoma" and "a-dx-kind" not in fields
    assert kept(page)["checks"] == {"ask-dx-second": False}
    page.reload(wait_until="load")
    assert page.locator("[data-so-earlier] textarea").count() == 2

    page.emulate_media(media="print")  # and they print with the sheet
    text = page.locator("[data-so-earlier]").inner_text()
    assert "Should we get a second opinion before treatment starts?" in text and "Yes, at Riverside." in text
    page.emulate_media(media="screen")

    second = page.locator("[data-so-earlier] li", has_text="Should we get a second opinion")
    second.locator("textarea").fill("")  # emptying a box removes that answer
    assert "a-dx-second" not in kept(page)["fields"]
    clear(page)
    status_says(page, "Cleared")
    assert not page.locator("[data-so-earlier]").is_visible() and kept(page) is None


@pytest.mark.parametrize(
    "later",
    [
        {"v": 2, "sheet": {"a-dx-sure": "Kept by a later version."}},
        "not a state at all {",
    ],
)
def test_a_stored_copy_this_page_cannot_read_is_kept_not_overwritten(base_url, page, later):
    open_sheet(page, base_url)
    store(page, later)
    before = page.evaluate("k => localStorage.getItem(k)", sheet_key(page))
    page.reload(wait_until="load")
    warning = storage_box(page).locator("[data-so-foreign-warning]")
    assert warning.is_visible() and "cannot read" in warning.inner_text()

    page.fill("#a-dx-sure", "Typed on the older page.")
    page.fill("#so-new-q", "Who reads the scans?")
    page.keyboard.press("Enter")
    page.uncheck("#ask-trial-no")
    assert page.evaluate("k => localStorage.getItem(k)", sheet_key(page)) == before, (
        "the later copy must stay as it was"
    )

    clear(page)  # the parent may still start again: Clear removes it, and says so
    status_says(page, "Cleared")
    assert not warning.is_visible()
    page.fill("#a-dx-sure", "Now kept.")
    assert kept(page)["fields"] == {"a-dx-sure": "Now kept."}


# Stored copies another script of this address could write: wrong types, missing fields, line breaks in
# own questions, keys that are names of every object's own methods.
MALFORMED = [
    {
        "v": 1,
        "own": [{"text": "Line one\nline two", "answer": "A"}, {"text": "Line one"}, {"text": "line two", "answer": 7}],
    },
    {"fields": None, "checks": "yes", "own": {"text": "not a list"}},
    {
        "v": 1,
        "fields": {"constructor": "x", "__proto__": "y", "toString": "z", "so-new-q": "typed"},
        "checks": {"ask-dx-sure": "no", "hasOwnProperty": True},
        "own": [None, 5, {"answer": "no text"}, {"text": ""}],
    },
    {"v": 1, "fields": {"a-dx-sure": ["a", "list"], "a-tx-soc": {"nested": 1}}, "checks": {"ask-dx-sure": None}},
]


def test_malformed_state_from_the_same_address_does_not_break_the_sheet(base_url, page):
    errors = errors_on(page)
    open_sheet(page, base_url)
    for malformed in MALFORMED:
        store(page, malformed)
        page.reload(wait_until="load")
        page.fill("#a-tx-plan", "Six rounds.")
        page.fill("#so-new-q", "Who reads the scans?")
        page.keyboard.press("Enter")
        now = kept(page)  # the sheet saved what was typed, over what it could not use
        assert now["fields"]["a-tx-plan"] == "Six rounds.", malformed
        assert "Who reads the scans?" in [q["text"] for q in now["own"]], malformed
    assert errors == []


ONE_WITH_A_BREAK = [{"text": "Line one\nline two", "answer": ""}]
TWO_WITHOUT = [{"text": "Line one", "answer": ""}, {"text": "line two", "answer": ""}]


@pytest.mark.parametrize("shown, written", [(ONE_WITH_A_BREAK, TWO_WITHOUT), (TWO_WITHOUT, ONE_WITH_A_BREAK)])
def test_own_questions_with_line_breaks_from_another_page_are_taken_up_whole(base_url, new_tab, shown, written):
    """A question holding a line break (written by another script of this address) once looked the same
    as two questions: one of them was lost, or the sheet stopped with an error."""
    first = new_tab(viewport=DESKTOP)
    open_sheet(first, base_url)
    store(first, {"v": 1, "fields": {}, "checks": {}, "own": shown})
    first.reload(wait_until="load")
    errors = errors_on(first)
    second = first.context.new_page()  # another page of this address, with no sheet of its own
    second.goto(base_url, wait_until="load")
    store(first, {"v": 1, "fields": {}, "checks": {}, "own": written}, via=second)
    first.wait_for_function(
        "n => document.querySelectorAll('.so-q--own').length === n", arg=len(written), timeout=15000
    )
    first.fill("#a-dx-sure", "Typed after.")
    assert [q["text"] for q in kept(first)["own"]] == [q["text"] for q in written]
    assert errors == []


# ---- Keys of the site's own (issue 22) -----------------------------------------------------------


def serve_at(page, address: str, site) -> None:
    """Serve the built site at `address` in this tab, as GitHub Pages serves a project site
    (https://<account>.github.io/<project>/): several such sites share one address."""
    from urllib.parse import urlsplit

    folder = urlsplit(address).path

    def answer(route):
        path = urlsplit(route.request.url).path[len(folder) :]
        file = site / path
        if path == "" or path.endswith("/"):
            file = file / "index.html"
        if file.is_file():
            route.fulfill(path=str(file))
        else:
            route.fulfill(status=404, body="Not found")

    page.route(address + "**", answer)


def test_two_copies_of_the_site_on_one_address_keep_their_notes_apart(site, page):
    serve_at(page, "https://example.github.io/first/", site)
    serve_at(page, "https://example.github.io/second/", site)
    page.goto("https://example.github.io/first/questions/", wait_until="load")
    shared = storage_box(page).locator("[data-so-shared-warning]")
    assert (
        shared.is_visible() and "Other websites at this web address can read what is kept here" in shared.inner_text()
    )
    page.fill("#f-child", "Maya")
    page.goto("https://example.github.io/second/questions/", wait_until="load")
    assert page.input_value("#f-child") == "", "the other copy's notes must not show here"
    page.fill("#f-child", "Leo")
    assert sorted(stored_keys(page)) == ["so-sheet-questions:/first/", "so-sheet-questions:/second/"]
    page.goto("https://example.github.io/first/questions/", wait_until="load")
    assert page.input_value("#f-child") == "Maya", "neither copy may overwrite the other's notes"
    clear(page)
    status_says(page, "Cleared")
    assert stored_keys(page) == ["so-sheet-questions:/second/"], "Clear removes this copy's notes only"


def test_notes_kept_under_the_old_key_are_taken_over(base_url, page):
    open_sheet(page, base_url)
    page.evaluate(
        "s => localStorage.setItem('so-sheet:questions', s)",
        json.dumps(
            {
                "v": 1,
                "fields": {"f-hospital": "Riverside Children's"},
                "checks": {"ask-trial-no": False},
                "own": [{"text": "Who reads the scans?", "answer": "Dr. Lee"}],
            }
        ),
    )
    page.evaluate(
        "s => localStorage.setItem('so-sheet:records', s)", json.dumps({"v": 1, "checks": {"got-labs": True}})
    )
    page.reload(wait_until="load")
    assert page.input_value("#f-hospital") == "Riverside Children's"
    assert not page.is_checked("#ask-trial-no")
    assert page.locator(".so-q--own textarea").input_value() == "Dr. Lee"
    assert sorted(stored_keys(page)) == ["so-sheet-questions:/", "so-sheet:records"], (
        "the records checklist takes its own"
    )

    open_sheet(page, base_url, "records/")
    page.fill("#a-notes", "Called on Monday.")  # typed before the old key was taken over: both are kept
    page.evaluate(
        "s => localStorage.setItem('so-sheet:records', s)", json.dumps({"v": 1, "checks": {"asked-slides": True}})
    )
    page.reload(wait_until="load")
    assert page.is_checked("#asked-slides") and page.is_checked("#got-labs")
    assert page.input_value("#a-notes") == "Called on Monday."
    assert sorted(stored_keys(page)) == ["so-sheet-questions:/", "so-sheet-records:/"]
