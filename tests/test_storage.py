"""What a family types on the sheets, when the browser's storage is full, blocked, or shared by two tabs:
nothing typed is lost, or left behind, without the page saying so."""

from __future__ import annotations

import json
import re

import pytest

from conftest import CHROMIUM_FLAGS, DESKTOP, launch_options, site_search

SHEETS = ["questions/", "records/"]
WARNING = "This browser is not letting this page save"
STORE_IS_BLOCKED = {"profile": {"default_content_setting_values": {"cookies": 2}}}  # "Block all cookies and site data"


def open_sheet(page, base_url, path="questions/"):
    """Open a sheet; its script has run when the page has loaded (it fetches nothing)."""
    page.goto(base_url + path, wait_until="load")
    return page


def stored_keys(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('so-sheet:'))")


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


@pytest.fixture(scope="session")
def storage_blocked_browser(browser, tmp_path_factory, keeper_url):
    """A Chromium whose settings block every site's storage, as a family's strict settings can (the
    whole browser: the headless shell the other tests drive does not read a profile's settings): one
    per worker, launched when first needed. It keeps nothing for a site, so its tests can share it
    (a new tab each, beside its first tab, which keeps the renderer: see conftest.keeper_url)."""
    profile = tmp_path_factory.mktemp("storage-blocked-profile")
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text(json.dumps(STORE_IS_BLOCKED), encoding="utf-8")
    context = browser.browser_type.launch_persistent_context(
        str(profile), **launch_options(full=True), args=CHROMIUM_FLAGS, viewport=DESKTOP
    )
    context.pages[0].goto(keeper_url)
    yield context
    context.close()


@pytest.fixture
def blocked(storage_blocked_browser):
    """A new tab in the Chromium that blocks storage."""
    page = storage_blocked_browser.new_page()
    yield page
    page.close()


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
    assert re.search(r"stay in this browser", storage_box(page).text_content())


def test_only_what_was_typed_or_changed_is_kept(base_url, page):
    """Other sites on a shared github.io address can read this storage: keep nothing that is not needed."""
    open_sheet(page, base_url)
    page.fill("#f-hospital", "Riverside Children's")
    page.uncheck("#ask-trial-no")
    kept = page.evaluate("localStorage.getItem('so-sheet:questions')")
    for untouched in ["f-child", "f-date", "a-dx-sure", "ask-dx-sure"]:
        assert untouched not in kept, f"{untouched} was never touched, yet it is kept: {kept[:200]}"
    page.reload(wait_until="load")
    assert page.input_value("#f-hospital") == "Riverside Children's"
    assert not page.is_checked("#ask-trial-no")
    assert page.is_checked("#ask-dx-sure")
    # Material's own key for the light or dark choice is not ours to judge; no other key of the sheet's stays.
    assert stored_keys(page) == ["so-sheet:questions"], "no other key is left behind"
