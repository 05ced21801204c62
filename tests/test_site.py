"""Built-site checks: every page rendered, nothing left unrendered, nothing loaded from elsewhere."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

from conftest import PAGE_KINDS, kind_of, one_page_of_each_kind, pages_of
from secondopinions.programs import load_programs
from secondopinions.render import csv_cell

# Hosts that would mean a request leaves the site: fonts, CDNs, analytics, embeds.
THIRD_PARTY = re.compile(
    r"fonts\.googleapis\.com|fonts\.gstatic\.com|unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|"
    r"googletagmanager\.com|google-analytics\.com|plausible\.io|youtube\.com/embed|gravatar\.com|"
    r"use\.fontawesome\.com|polyfill\.io"
)


def built_files(site, *suffixes):
    return [p for p in site.rglob("*") if p.suffix in suffixes and p.is_file()]


def test_every_page_is_built(site):
    pages = pages_of(site)
    assert "" in pages and "directory/" in pages
    assert (site / "404.html").exists()


def test_every_page_is_of_a_named_kind(site):
    """conftest.PAGE_KINDS names every kind of page, so the phone test (tests/test_browser.py) checks
    one of each: a page of a new kind must be named there first."""
    unnamed = [p for p in pages_of(site) + ["404.html"] if kind_of(p) is None]
    assert unnamed == [], f"pages of no kind (or of two) in conftest.PAGE_KINDS: {unnamed}"
    chosen = one_page_of_each_kind(site)
    assert all(chosen.values()), f"kinds with no page: {[k for k, v in chosen.items() if not v]}"
    # Both languages, wherever the Spanish edition has the kind.
    assert all(len(chosen[k]) == 2 for k in PAGE_KINDS if k not in ("program page", "not-found page")), chosen


def language_of(page: str) -> str:
    return "es" if page.startswith("es/") else "en"


def twin_of(page: str) -> str:
    return page[len("es/") :] if language_of(page) == "es" else "es/" + page


def test_every_page_has_its_spanish_twin_at_es(site):
    pages = pages_of(site)
    english = [p for p in pages if language_of(p) == "en"]
    assert len(english) >= 12 and sorted(twin_of(p) for p in english) == sorted(
        p for p in pages if language_of(p) == "es"
    )


def test_each_page_says_its_language_and_names_its_twin(site):
    """<html lang>, hreflang links in full for both languages (and x-default, the English page), and
    the header's language switcher leading to the same page in the other language."""
    for page in pages_of(site):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        lang = language_of(page)
        assert f'<html lang="{lang}"' in html, page
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
        root = canonical[: len(canonical) - len(page)]
        alternates = dict(
            (h, href) for href, h in re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)">', html)
        )
        english, spanish = (page, twin_of(page)) if lang == "en" else (twin_of(page), page)
        assert alternates == {"en": root + english, "es": root + spanish, "x-default": root + english}, page
        switcher = dict(
            (h, href) for href, h in re.findall(r'<a href="([^"]*)" hreflang="([^"]+)" class="md-select__link">', html)
        )
        here = urljoin("http://h/" + page, ".")
        assert {h: urljoin(here, href) for h, href in switcher.items()} == {
            "en": "http://h/" + english,
            "es": "http://h/" + spanish,
        }, page


def test_spanish_pages_have_spanish_site_chrome(site):
    html = (site / "es" / "why" / "index.html").read_text(encoding="utf-8")
    assert '"search.result.placeholder": "Teclee para comenzar b' in html  # Material's own words, in Spanish
    assert "Segundas opiniones para el cáncer infantil" in html and "Cambiar al modo oscuro" in html
    assert "Por qué pedirla" in html  # the navigation


def test_site_search_indexes_both_languages_with_the_spanish_word_list(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en", "es"]
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert {"why/", "es/why/", "es/glossary/"} <= locations
    assert (site / "assets" / "javascripts" / "lunr" / "min" / "lunr.es.min.js").exists()


def test_no_macro_errors_or_unrendered_templates(site):
    for page in built_files(site, ".html"):
        text = page.read_text(encoding="utf-8")
        assert "Macro Rendering Error" not in text, page
        body = re.sub(r"<script[^>]*>.*?</script>", "", text, flags=re.S)
        assert "{{" not in body and "{%" not in body, page


def test_no_third_party_address_in_html_css_or_js(site):
    for path in built_files(site, ".html", ".css", ".js"):
        found = THIRD_PARTY.search(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(site)} names {found.group(0)}"


class _Resources(HTMLParser):
    """Every address the browser would fetch by itself (not links a reader clicks)."""

    def __init__(self):
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.addresses.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical", "alternate"):
            self.addresses.append(a["href"])
        if tag == "object" and a.get("data"):
            self.addresses.append(a["data"])


def test_pages_load_resources_only_from_their_own_host(site):
    for page in built_files(site, ".html"):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        for address in parser.addresses:
            assert not urlparse(address).netloc, f"{page.relative_to(site)} loads {address}"


def test_directory_lists_every_program(site):
    html = (site / "directory" / "index.html").read_text(encoding="utf-8")
    programs = load_programs()
    for p in programs:
        assert f'data-program-id="{p.id}"' in html
        assert f'id="{p.id}"' in html
    assert f"{len(programs)} of {len(programs)} programs shown." in html


def test_open_data_json_matches_the_yaml(site):
    published = json.loads((site / "data" / "hospitals.json").read_text(encoding="utf-8"))
    assert published == [p.as_dict() for p in load_programs()]


def test_open_data_csv_matches_the_yaml(site):
    rows = list(csv.DictReader(io.StringIO((site / "data" / "hospitals.csv").read_text(encoding="utf-8"))))
    programs = load_programs()
    assert [r["id"] for r in rows] == [p.id for p in programs]
    for row, p in zip(rows, programs):
        assert row["institution"] == p.institution
        assert row["url"] == p.url
        assert row["city"] == p.location.city and row["country"] == p.location.country
        assert (row["formats"].split("; ") if row["formats"] else []) == list(p.formats)
        assert row["checked"] == p.checked.isoformat()
        # Cells that a spreadsheet would read as a formula carry a leading quote (see render.csv_cell).
        assert row["phone"] == csv_cell(p.contact.phone or "")
        assert row["international"] == {True: "yes", False: "no", None: ""}[p.international]


def test_schema_is_published_beside_the_data(site):
    schema = json.loads((site / "data" / "hospitals.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


REVIEWED = {"en": "Last reviewed", "es": "Última revisión:"}
NOT_ADVICE = {"en": "Not medical advice", "es": "No es consejo médico"}


def test_every_page_shows_its_review_date(site):
    for page in pages_of(site):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        said = REVIEWED[language_of(page)]
        assert re.search(rf'class="so-reviewed">{said} <time datetime="\d{{4}}-\d{{2}}-\d{{2}}">', html), page
    html = (site / "es" / "why" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">\d{1,2} de [a-z]+ de \d{4}</time>', html)


def test_footer_says_not_medical_advice(site):
    for page in pages_of(site):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert NOT_ADVICE[language_of(page)] in html, page


def _title_and_description(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    desc = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    return title, desc


def test_each_page_has_one_h1_and_a_unique_title_and_description(site):
    """Unique among the pages of its language: a page and its twin are one page to a search engine
    (hreflang), and a program page's twin says the same until the program texts are translated."""
    seen_titles, seen_descs = {"en": set(), "es": set()}, {"en": set(), "es": set()}
    for page in pages_of(site):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert len(re.findall(r"<h1[\s>]", html)) == 1, page
        title, desc = _title_and_description(html)
        lang = language_of(page)
        assert title not in seen_titles[lang] and desc not in seen_descs[lang], page
        seen_titles[lang].add(title)
        seen_descs[lang].add(desc)


def test_sitemap_robots_and_canonical_addresses(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert len(locs) == len(pages_of(site))
    # Both languages, each address naming both versions.
    for url in re.findall(r"<url>.*?</url>", sitemap, re.S):
        page = re.search(r"<loc>[^<]*?//[^/]+/(.*?)</loc>", url).group(1)
        assert sorted(re.findall(r'hreflang="([^"]+)"', url)) == ["en", "es"], url
    assert any(loc.endswith("/es/why/") for loc in locs)
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert re.search(r"^Sitemap: https?://\S+/sitemap\.xml$", robots, re.M)
    for page in pages_of(site):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'<link rel="canonical" href="[^"]*/{re.escape(page)}">', html), page
    assert (site / "assets" / "favicon.svg").exists()
    assert 'rel="icon" href="' in (site / "index.html").read_text(encoding="utf-8")


def test_not_found_page_points_to_the_directory_and_the_sheet(site):
    # One page for both languages: GitHub Pages serves only the root 404.html, under /es/ too.
    html = (site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html
    assert "We could not find that page" in html
    assert '<a href="/directory/">' in html and '<a href="/questions/">' in html
    spanish = html[html.index('<section class="so-404-es" lang="es"') :]
    assert "No encontramos esa página" in spanish
    assert '<a href="/es/directory/">' in spanish and '<a href="/es/questions/">' in spanish
    assert not (site / "es" / "404.html").exists()
    assert 'hreflang="x-default"' not in html
