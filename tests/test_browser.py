"""Every page in a real Chromium: loads cleanly, stays on its own host, runs under its policy, axe finds
nothing light and dark, keyboard focus shows and nothing scrolls sideways at 320 px; on a phone, one page of each kind."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from conftest import (
    CHECKED,
    DESKTOP,
    PAGE_KINDS,
    axe_light_and_dark,
    axe_run,
    describe,
    one_page_of_each_kind,
    pages_to_visit,
    site_search,
)

LANGUAGES = {"en": "English", "es": "Spanish"}


def all_pages(site) -> list[str]:
    return pages_to_visit(site) + ["404.html"]


def pages_in(site, language: str) -> list[str]:
    """The pages of one language ('es': those under es/); the not-found page is one page for both and
    counts as English."""
    return [p for p in all_pages(site) if p.startswith("es/") == (language == "es")]


def watch(page) -> tuple[list[str], list[str]]:
    """From now on, collect the page's console errors and the requests that leave 127.0.0.1."""
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:")
            else None
        ),
    )
    return errors, outside


TAB_STOPS = 12  # the start of a page: the skip link, the header, the first links of the navigation
NARROW = {"width": 320, "height": 640}  # WCAG reflow: 320 CSS px is a 1280 px window at 400% zoom


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_loads_cleanly_passes_axe_light_and_dark_shows_focus_and_reflows(site, base_url, new_tab, language):
    """Each page, opened once, and every check a page gets on that one visit (the phone test below is
    the only other visit):
    - it loads cleanly: no console error, no request to another host, nothing refused by its
      Content-Security-Policy, watched until the network has been quiet for half a second;
    - axe finds no violation in light mode (every rule) and then dark mode (conftest.axe_light_and_dark);
    - it does not scroll sideways at 320 CSS px wide: the page as opened, narrowed as a reader zooming
      to 400% narrows it;
    - keyboard focus is always visible: back at desktop size, Tab through the start of the page, and
      each element that takes the focus shows an outline (the same focus ring in both schemes, extra.css).
    Each failure names its page and its check."""
    page = new_tab(**CHECKED)
    errors, outside = watch(page)
    failures = []
    for path in pages_in(site, language):
        errors.clear()
        outside.clear()
        # Each page opens in light mode as on a first visit: no light or dark choice kept from the page
        # before (CHECKED forgets it).
        page.emulate_media(color_scheme="light")
        response = page.goto(base_url + path, wait_until="load")
        assert response is not None
        found = axe_light_and_dark(page)
        page.wait_for_load_state("networkidle")  # at once, unless a request is still going
        # The 404 page is served with status 200 by the test server, as GitHub Pages serves its body.
        failures += [f"/{path}: console error {e}" for e in errors]
        failures += [f"/{path}: request left the site: {u}" for u in outside]
        failures += [f"/{path}: refused by the policy: {v}" for v in page.evaluate("window.soViolations")]
        for scheme in ("light", "dark"):
            failures += describe(found[scheme], f"/{path} [{scheme}]")

        page.set_viewport_size(NARROW)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            failures.append(f"/{path}: [320px] scrolls sideways: {width}px wide")
        page.set_viewport_size(DESKTOP)

        page.evaluate("window.soFocused = []")  # only what Tab focuses counts (nothing else has taken the focus)
        for _ in range(TAB_STOPS):
            page.keyboard.press("Tab")
        focused = page.evaluate("window.soFocused")
        if len(focused) < TAB_STOPS:
            failures.append(f"/{path}: [focus] only {len(focused)} of {TAB_STOPS} Tab presses moved the focus")
        for style in focused:
            if (style["outline"] == "none" or style["width"] < 2) and style["shadow"] == "none":
                failures.append(f"/{path}: [focus] no visible focus on {style['tag']}")
    assert failures == [], "\n".join(failures)


# A dark-mode-only mistake in the site's own stylesheet: paragraph text the colour of slate's background.
DARK_ONLY_CONTRAST = '[data-md-color-scheme="slate"] .md-typeset p { color: #2e303e !important; }'
# An image shown only in dark mode, with no text alternative: only the dark pass can see it.
DARK_ONLY_IMAGE = '[data-md-color-scheme="default"] .so-dark-only { display: none; }'


def _with_css(page, css: str) -> None:
    """Serve the site's extra.css with `css` added, as if a contributor had written it there."""

    def add(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + "\n" + css + "\n")

    page.route("**/assets/extra.css", add)


def test_the_dark_pass_finds_contrast_that_fails_only_in_dark_mode(base_url, new_tab):
    page = new_tab(**CHECKED)
    _with_css(page, DARK_ONLY_CONTRAST)
    page.goto(base_url + "why/", wait_until="load")
    found = axe_light_and_dark(page)
    assert found["light"] == [], describe(found["light"])
    assert "color-contrast" in [v["id"] for v in found["dark"]]


def test_the_dark_pass_runs_every_rule_on_what_only_dark_mode_shows(base_url, new_tab):
    page = new_tab(**CHECKED)
    _with_css(page, DARK_ONLY_IMAGE)
    page.goto(base_url + "why/", wait_until="load")
    page.evaluate("""() => { const img = document.createElement("img");
                            img.src = "../assets/logo.svg"; img.className = "so-dark-only";
                            document.querySelector("article").prepend(img); }""")
    found = axe_light_and_dark(page)
    assert found["light"] == [], describe(found["light"])
    assert "image-alt" in [v["id"] for v in found["dark"]]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_violations_on_a_phone(site, base_url, new_tab, kind):
    """axe with every rule at phone size, on the largest page of each kind in each language. The same
    pages and templates pass at desktop size in light and dark on every page (above); what a phone
    changes is the layout, which each kind of page shares."""
    page = new_tab(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    failures = []
    for path in one_page_of_each_kind(site)[kind]:
        page.goto(base_url + path, wait_until="load")
        failures += describe(axe_run(page), f"/{path} [phone]")
    assert failures == [], "\n".join(failures)


def test_skip_link_is_the_first_stop_and_jumps_to_the_content(base_url, page):
    page.goto(base_url + "why/", wait_until="load")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") != ""


def test_reduced_motion_is_respected(site, base_url, page):
    page.emulate_media(reduced_motion="reduce")
    for path in ["", "directory/", "questions/"]:
        page.goto(base_url + path, wait_until="load")
        moving = page.evaluate(
            """() => [...document.querySelectorAll('*')].filter(e => {
                 const s = getComputedStyle(e);
                 const longest = v => Math.max(...v.split(',').map(parseFloat));
                 return longest(s.transitionDuration) > 0.01 || longest(s.animationDuration) > 0.01;
               }).length"""
        )
        assert moving == 0, f"/{path}: {moving} elements still animate"
        assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"


def test_site_search_finds_pages_and_programs(base_url, page):
    """Material's search, served from the site itself: a word from the glossary and a hospital name."""
    page.goto(base_url, wait_until="load")
    site_search(page, "biopsy", "a[href*='glossary/'][href*='#biopsy']")
    site_search(page, "Boston Children's", "a[href*='directory/']")


def test_site_search_finds_spanish_words_on_spanish_pages(base_url, page):
    """The search box on a Spanish page, in Spanish, finds a Spanish word on the Spanish glossary."""
    page.goto(base_url + "es/", wait_until="load")
    assert page.get_attribute("input.md-search__input", "placeholder") == "Búsqueda"
    site_search(page, "biopsia", "a[href*='es/glossary/'][href*='#biopsy']")


def test_language_switcher_leads_to_the_same_page_in_the_other_language(base_url, page):
    page.goto(base_url + "why/", wait_until="load")
    page.locator("a.md-select__link[hreflang='es']").evaluate("a => a.click()")
    page.wait_for_url(base_url + "es/why/")
    assert page.get_attribute("html", "lang") == "es"
    page.locator("a.md-select__link[hreflang='en']").evaluate("a => a.click()")
    page.wait_for_url(base_url + "why/")
