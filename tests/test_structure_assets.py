"""Each page loads only what it uses, and the home page stays light on hospital Wi-Fi."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

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
    own = {
        "assets/directory.css",
        "assets/directory.js",
        "assets/sheet.css",
        "assets/sheet.js",
        "assets/visit-store.js",
        "assets/visit-save.css",
        "assets/visit-save.js",
        "assets/visit.css",
        "assets/visit.js",
        "assets/storage-keys.js",
    }
    directory = {"assets/directory.css", "assets/directory.js"}
    keys = {"assets/storage-keys.js"}  # the site's one key scheme, before any script that keeps anything
    sheet = {"assets/sheet.css", "assets/sheet.js"} | keys
    save = {
        "assets/visit-store.js",
        "assets/visit-save.css",
        "assets/visit-save.js",
    } | keys  # "Save for my visit" on each program
    visit = {"assets/visit-store.js", "assets/visit.css", "assets/visit.js"} | keys  # the My visit page
    expected = {
        "": set(),
        "how/": set(),
        "glossary/": set(),
        "directory/": directory | save,
        "directory/boston-childrens/": {"assets/directory.css"} | save,
        "questions/": sheet,
        "records/": sheet,
        "visit/": visit,
        "es/": set(),
        "es/directory/": directory | save,
        "es/directory/boston-childrens/": {"assets/directory.css"} | save,
        "es/questions/": sheet,
        "es/records/": sheet,
        "es/visit/": visit,
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


@pytest.mark.parametrize("path", ["", "es/why/", "directory/boston-childrens/"])
def test_search_index_loads_when_the_reader_first_uses_search_and_no_sitemap_ever(base_url, browser, path):
    """Material's bundle asks for the search index and for a sitemap beside each hreflang link as a
    page opens: overrides/partials/hold-requests.html sends the index once search is used, the sitemaps never."""
    page = browser.new_page()  # a context of its own, with nothing cached: a first visit fetches everything
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "search_index" in r.url or "sitemap" in r.url else None)
    page.goto(base_url + path, wait_until="networkidle")
    assert fetched == [], "the index should wait until search is used, and no sitemap is ever fetched"
    site_search(page, "biopsia" if path.startswith("es/") else "biopsy", "a[href*='glossary/']")
    assert [u.removeprefix(base_url) for u in fetched] == ["search/search_index.json"]
    page.close()


def test_a_page_opened_from_a_search_result_highlights_the_words_at_once(base_url, page):
    page.goto(base_url + "glossary/?h=biopsy", wait_until="load")
    page.wait_for_selector("mark[data-md-highlight]", timeout=10000)


def test_our_stylesheets_ship_without_their_comments_and_with_every_rule(site):
    """docs/assets/*.css keep their why-comments for contributors; readers download them without
    (the home page's budget), and nothing else of the file changes."""
    docs = Path(__file__).resolve().parent.parent / "docs" / "assets"
    for source in sorted(docs.glob("*.css")):
        shipped = (site / "assets" / source.name).read_text(encoding="utf-8")
        assert "/*" not in shipped, source.name
        rules = re.sub(r"/\*.*?\*/\n?", "", source.read_text(encoding="utf-8"), flags=re.DOTALL)
        assert shipped == rules, source.name
