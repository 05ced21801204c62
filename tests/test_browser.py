"""Every page in a real Chromium: loads cleanly, stays on its own host, and axe finds nothing, light and dark."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import AXE_OPTIONS, pages_to_visit

def all_pages(site) -> list[str]:
    return pages_to_visit(site) + ["404.html"]


@pytest.fixture(scope="module")
def axe():
    return Axe()


def visit(page, url: str) -> tuple[list[str], list[str]]:
    """Open `url`; return (console errors, requests that left 127.0.0.1)."""
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:") else None)
    response = page.goto(url, wait_until="networkidle")
    assert response is not None
    return errors, outside


def test_every_page_loads_without_errors_or_outside_requests(site, base_url, page):
    for path in all_pages(site):
        errors, outside = visit(page, base_url + path)
        # The 404 page is served with status 200 by the test server, as GitHub Pages serves its body.
        assert errors == [], f"/{path}: console errors {errors}"
        assert outside == [], f"/{path}: requests left the site: {outside}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(site, base_url, browser, axe, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    failures = []
    for path in all_pages(site):
        page.goto(base_url + path, wait_until="load")
        shown = page.get_attribute("body", "data-md-color-scheme")
        assert shown == {"light": "default", "dark": "slate"}[scheme], f"/{path} did not switch to {scheme}"
        results = axe.run(page, options=AXE_OPTIONS)
        for v in results.response["violations"]:
            targets = [n["target"] for n in v["nodes"]][:3]
            failures.append(f"/{path} [{scheme}] {v['id']}: {v['help']} {targets}")
    context.close()
    assert failures == [], "\n".join(failures)


def test_axe_finds_no_violations_on_a_phone(site, base_url, browser, axe):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    failures = []
    for path in all_pages(site):
        page.goto(base_url + path, wait_until="load")
        for v in axe.run(page, options=AXE_OPTIONS).response["violations"]:
            failures.append(f"/{path} [phone] {v['id']}: {v['help']}")
    context.close()
    assert failures == [], "\n".join(failures)


def test_no_page_scrolls_sideways_at_320_pixels(site, base_url, browser):
    """WCAG reflow: 320 CSS px is a 1280 px window at 400% zoom."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    too_wide = []
    for path in all_pages(site):
        page.goto(base_url + path, wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide.append(f"/{path}: {width}px")
    context.close()
    assert too_wide == []


def test_keyboard_focus_is_always_visible(site, base_url, page):
    """Tab through the start of every page: each focused element shows an outline."""
    invisible = []
    for path in all_pages(site):
        page.goto(base_url + path, wait_until="load")
        for _ in range(12):
            page.keyboard.press("Tab")
            style = page.evaluate(
                """() => { const e = document.activeElement; if (!e || e === document.body) return null;
                   const s = getComputedStyle(e);
                   return {tag: e.tagName + '.' + e.className, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                           shadow: s.boxShadow}; }"""
            )
            if style and (style["outline"] == "none" or style["width"] < 2) and style["shadow"] == "none":
                invisible.append(f"/{path}: {style['tag']}")
    assert invisible == []


def test_skip_link_is_the_first_stop_and_jumps_to_the_content(base_url, page):
    page.goto(base_url + "why/", wait_until="networkidle")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") != ""


def test_reduced_motion_is_respected(site, base_url, browser):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    for path in ["", "directory/", "questions/"]:
        page.goto(base_url + path, wait_until="networkidle")
        moving = page.evaluate(
            """() => [...document.querySelectorAll('*')].filter(e => {
                 const s = getComputedStyle(e);
                 const longest = v => Math.max(...v.split(',').map(parseFloat));
                 return longest(s.transitionDuration) > 0.01 || longest(s.animationDuration) > 0.01;
               }).length"""
        )
        assert moving == 0, f"/{path}: {moving} elements still animate"
        assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    context.close()


def test_site_search_finds_pages_and_programs(base_url, page):
    """Material's search, served from the site itself: a word from the glossary and a hospital name."""
    page.goto(base_url, wait_until="networkidle")
    page.click("input.md-search__input")  # at desktop width the search box is in the header
    page.keyboard.type("biopsy")  # Material searches on key presses
    page.wait_for_selector(".md-search-result__item a[href*='glossary/'][href*='#biopsy']", timeout=10000)
    page.keyboard.press("Control+A")
    page.keyboard.type("Boston Children's")
    page.wait_for_selector(".md-search-result__item a[href*='directory/']", timeout=10000)


def test_site_search_finds_spanish_words_on_spanish_pages(base_url, page):
    """The search box on a Spanish page, in Spanish, finds a Spanish word on the Spanish glossary."""
    page.goto(base_url + "es/", wait_until="networkidle")
    assert page.get_attribute("input.md-search__input", "placeholder") == "Búsqueda"
    page.click("input.md-search__input")
    page.keyboard.type("biopsia")
    page.wait_for_selector(".md-search-result__item a[href*='es/glossary/'][href*='#biopsy']", timeout=10000)


def test_language_switcher_leads_to_the_same_page_in_the_other_language(base_url, page):
    page.goto(base_url + "why/", wait_until="networkidle")
    page.locator("a.md-select__link[hreflang='es']").evaluate("a => a.click()")
    page.wait_for_url(base_url + "es/why/")
    assert page.get_attribute("html", "lang") == "es"
    page.locator("a.md-select__link[hreflang='en']").evaluate("a => a.click()")
    page.wait_for_url(base_url + "why/")
