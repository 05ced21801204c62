"""Each page loads only what it uses, and the home page stays light on hospital Wi-Fi."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser

from conftest import site_search

HOME_BUDGET_KIB = 80


class _Loads(HTMLParser):
    """Addresses the browser fetches by itself for a page: stylesheets, scripts, images, icons."""

    def __init__(self):
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.addresses.append(a["src"])
        elif tag == "img" and a.get("src"):
            self.addresses.append(a["src"])
        elif tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
            self.addresses.append(a["href"])


def loads(site, page: str) -> list[str]:
    parser = _Loads()
    parser.feed((site / page / "index.html").read_text(encoding="utf-8"))
    return [re.sub(r"^(\.\./)+|^\./", "", a) for a in parser.addresses]


def test_directory_and_sheet_assets_load_only_where_they_are_used(site):
    own = {"assets/directory.css", "assets/directory.js", "assets/sheet.css", "assets/sheet.js"}
    expected = {
        "": set(),
        "how/": set(),
        "glossary/": set(),
        "directory/": {"assets/directory.css", "assets/directory.js"},
        "questions/": {"assets/sheet.css", "assets/sheet.js"},
        "records/": {"assets/sheet.css", "assets/sheet.js"},
        "es/": set(),
        "es/directory/": {"assets/directory.css", "assets/directory.js"},
        "es/questions/": {"assets/sheet.css", "assets/sheet.js"},
        "es/records/": {"assets/sheet.css", "assets/sheet.js"},
    }
    for page, wanted in expected.items():
        assert set(loads(site, page)) & own == wanted, page
        assert "assets/extra.css" in loads(site, page), page


def test_the_directory_styles_live_in_directory_css(site):
    extra = (site / "assets" / "extra.css").read_text(encoding="utf-8")
    directory = (site / "assets" / "directory.css").read_text(encoding="utf-8")
    for selector in (".so-filters", ".so-program", ".so-facts", ".so-directory"):
        assert selector not in extra and selector in directory, selector


def test_home_page_is_at_most_80_kib_gzipped(site):
    """Every file the home page loads, gzipped as a host sends it, with the search worker the theme
    starts at once. (The search index waits until the reader uses search: see the next test.)"""
    html = (site / "index.html").read_text(encoding="utf-8")
    worker = re.search(r'"search": "(?:\./)?(assets/javascripts/workers/search\.[0-9a-f]+\.min\.js)"', html).group(1)
    files = ["index.html", *loads(site, ""), worker]
    sizes = {f: len(gzip.compress((site / f).read_bytes(), compresslevel=6)) for f in dict.fromkeys(files)}
    total = sum(sizes.values()) / 1024
    detail = ", ".join(f"{f} {s / 1024:.1f}" for f, s in sorted(sizes.items(), key=lambda kv: -kv[1]))
    assert total <= HOME_BUDGET_KIB, f"home page: {total:.1f} KiB gzipped ({detail})"


def test_material_css_keeps_what_the_pages_use(site):
    """The trimmed theme stylesheet still styles the header, search, navigation, admonitions and
    both colour schemes."""
    [main] = (site / "assets" / "stylesheets").glob("main.*.min.css")
    css = main.read_text(encoding="utf-8")
    for needed in (
        ".md-header",
        ".md-search__input",
        ".md-nav__link",
        ".admonition",
        ".md-footer",
        "--md-admonition-icon--abstract",
        ".md-typeset",
    ):
        assert needed in css, needed
    assert ".highlighttable" not in css and ".md-banner" not in css  # no code blocks, no banner on this site
    [palette] = (site / "assets" / "stylesheets").glob("palette.*.min.css")
    assert "[data-md-color-scheme=slate]" in palette.read_text(encoding="utf-8")


def test_search_index_loads_when_the_reader_first_uses_search(base_url, browser):
    page = browser.new_page()  # a context of its own, with nothing cached: a first visit fetches everything
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "search_index" in r.url else None)
    page.goto(base_url, wait_until="networkidle")
    assert fetched == [], "the index should wait until search is used"
    site_search(page, "biopsy", "a[href*='glossary/']")
    assert len(fetched) == 1
    page.close()


def test_a_page_opened_from_a_search_result_highlights_the_words_at_once(base_url, page):
    page.goto(base_url + "glossary/?h=biopsy", wait_until="load")
    page.wait_for_selector("mark[data-md-highlight]", timeout=10000)
