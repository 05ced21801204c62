"""Each program's own page, in English at /directory/<id>/ and in Spanish at /es/directory/<id>/, an
ordinary MkDocs page made from the data (secondopinions/plugin.py): twins that name each other, found
by site search, listed in the sitemap, under its own Content-Security-Policy, with hostile data shown
as text."""

from __future__ import annotations

import json
import re
from html import escape, unescape
from pathlib import Path

import pytest

from conftest import DESKTOP, ROOT, build_site, build_with_data, site_search
from secondopinions import csp
from secondopinions.programs import load_programs, load_schema, labels
from secondopinions.render import program_description, program_title

LANGUAGES = {"en": "", "es": "es/"}
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def page_of(site: Path, lang: str, program_id: str) -> str:
    return (site / LANGUAGES[lang] / "directory" / program_id / "index.html").read_text(encoding="utf-8")


def test_every_program_has_a_page_in_each_language_naming_its_twin(site):
    programs = load_programs()
    for p in programs:
        en, es = page_of(site, "en", p.id), page_of(site, "es", p.id)
        assert '<html lang="en"' in en and '<html lang="es"' in es, p.id
        # The header's language switcher leads to the twin, both ways.
        assert f'<a href="../../es/directory/{p.id}/" hreflang="es" class="md-select__link">' in en, p.id
        assert f'<a href="../../../directory/{p.id}/" hreflang="en" class="md-select__link">' in es, p.id
        # Search engines are told of both, in full, and of the English page as the default.
        for html in (en, es):
            alternates = dict(
                (h, href) for href, h in re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)">', html)
            )
            assert alternates == {
                "en": f"http://127.0.0.1:8000/directory/{p.id}/",
                "es": f"http://127.0.0.1:8000/es/directory/{p.id}/",
                "x-default": f"http://127.0.0.1:8000/directory/{p.id}/",
            }, p.id
        assert f'<link rel="canonical" href="http://127.0.0.1:8000/es/directory/{p.id}/">' in es
        # Each page says its own program, checked on its own day.
        assert f'<time datetime="{p.checked.isoformat()}">' in en and f'<time datetime="{p.checked.isoformat()}">' in es
        assert f'data-program-id="{p.id}"' in es and "Segundas opiniones para el cáncer infantil" in es
    # The Spanish directory links to the Spanish pages (relative links, from /es/directory/).
    directory = (site / "es" / "directory" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{programs[0].id}/">' in directory and "../../directory/" + programs[0].id not in directory


def test_site_search_has_an_entry_for_each_program_page_in_each_language(site):
    countries = labels(load_schema(), "country")
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    entries = {d["location"]: d for d in docs}
    for p in load_programs():
        for lang, prefix in LANGUAGES.items():
            entry = entries[f"{prefix}directory/{p.id}/"]
            assert entry["title"] == escape(program_title(p, lang)), p.id
            assert escape(p.program, quote=False) in entry["text"] and escape(p.url, quote=False) in entry["text"], p.id
            assert "<script" not in entry["text"] and "<a " not in entry["text"], (
                p.id
            )  # words, not its JSON-LD or links
        assert program_description(p, countries)  # the meta description is there too (tests/test_site.py)
    program_entries = [d for d in docs if re.match(r"^(es/)?directory/[a-z0-9-]+/$", d["location"])]
    assert len(program_entries) == 2 * len(load_programs()), "one entry per program page, no more"
    # A program's name finds its pages, not also its card on the directory: the directory is found by
    # its own words, and its cards are left out of the index.
    for prefix in LANGUAGES.values():
        directory = [
            d
            for d in docs
            if d["location"].startswith(f"{prefix}directory/")
            and not re.match(r"^(es/)?directory/[a-z0-9-]+/$", d["location"])
        ]
        assert [d["location"] for d in directory] == [f"{prefix}directory/"], "the directory's cards are in search"
        assert not any(p.institution in directory[0]["text"] for p in load_programs())


def test_the_sitemap_lists_each_program_page_with_its_twin(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for p in load_programs():
        for prefix in LANGUAGES.values():
            url = re.search(rf"<url>\s*<loc>[^<]*/{prefix}directory/{p.id}/</loc>.*?</url>", sitemap, re.S).group(0)
            assert f"<lastmod>{p.checked.isoformat()}</lastmod>" in url
            assert f'hreflang="en" href="http://127.0.0.1:8000/directory/{p.id}/"' in url
            assert f'hreflang="es" href="http://127.0.0.1:8000/es/directory/{p.id}/"' in url


def test_each_program_page_allows_exactly_its_own_inline_scripts(site):
    for page in [*site.glob("directory/*/index.html"), *site.glob("es/directory/*/index.html")]:
        html = page.read_text(encoding="utf-8")
        assert POLICY.findall(html) == [csp.policy_for(html)], page


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return build_with_data(tmp_path_factory, ROOT / "tests" / "fixtures" / "hostile.yaml")


def test_hostile_values_show_as_text_in_title_description_content_and_search(hostile_site):
    [p] = [p for p in load_programs(ROOT / "tests" / "fixtures" / "hostile.yaml") if p.id == "hostile-one"]
    assert "</title><script>alert(1)</script>" in p.program  # the fixture is as hostile as it should be
    for lang in LANGUAGES:
        countries = labels(load_schema(), "country", lang)
        html = page_of(hostile_site, lang, p.id)
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert unescape(title).startswith(program_title(p, lang) + " - "), lang
        description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
        assert unescape(description) == program_description(p, countries, lang), lang
        assert f'<h1 dir="auto">{escape(p.program)}</h1>' in html, lang
        # No element came from the data: the page runs exactly the scripts a calm page runs.
        assert "<script>alert(1)" not in html and "<script>window.__pwned" not in html, lang
        assert csp.inline_scripts(html) == csp.inline_scripts(page_of(hostile_site, lang, "hostile-two")), lang
        assert POLICY.findall(html) == [csp.policy_for(html)], lang
    # Site search shows an entry's title and words as HTML: the data's tags arrive there escaped.
    docs = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    entries = [d for d in docs if d["location"] in (f"directory/{p.id}/", f"es/directory/{p.id}/")]
    assert len(entries) == 2
    for entry in entries:
        assert "<script" not in entry["title"] + entry["text"] and "&lt;/title&gt;&lt;script&gt;" in entry["title"]


def test_a_page_in_docs_where_a_program_page_goes_stops_the_build(project):
    """A program's page is made from the data: a file of the same address in docs/ would hide it."""
    (project / "docs" / "directory").mkdir()
    (project / "docs" / "directory" / "boston-childrens.md").write_text("# Boston\n", encoding="utf-8")
    result = build_site(project / "site", project)
    assert result.returncode != 0
    assert "docs/directory/boston-childrens.md exists; a program's page is made from the data" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_site_search_finds_a_program_page_in_each_language(base_url, new_tab, lang):
    page = new_tab(viewport=DESKTOP)
    page.goto(base_url + LANGUAGES[lang], wait_until="load")
    own = f"a[href*='{LANGUAGES[lang]}directory/bambino-gesu-neuro-oncology/']" + (
        "" if lang == "es" else ":not([href*='es/'])"
    )
    site_search(page, "Bambino", own)
