"""Each program's own page, in English at /directory/<id>/ and in Spanish at /es/directory/<id>/, made
from one shell page per language (overrides/hooks/program_pages.py): twins that name each other, found
by site search, listed in the sitemap, under the shell's Content-Security-Policy, with hostile data
shown as text. The shell itself is never published."""

from __future__ import annotations

import importlib.util
import json
import re
from html import escape, unescape
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT, build_with_data
from secondopinions.programs import load_programs, load_schema, labels
from secondopinions.render import program_description, program_title

LANGUAGES = {"en": "", "es": "es/"}
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def load_hook(name: str):
    spec = importlib.util.spec_from_file_location(f"hook_{name}", ROOT / "overrides" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def test_a_program_page_is_the_page_mkdocs_would_have_made(site):
    """Nothing of the shell is left: its placeholders are all replaced, and its own address is gone
    from every page, the sitemap and the search index."""
    hook = load_hook("program_pages")
    placeholders = [
        hook.SHELL_ID,
        hook.TITLE,
        hook.DESCRIPTION,
        "SOSHELLCONTENT",
        hook.REVIEWED.isoformat(),
        "February 3, 1901",
        "3 de febrero de 1901",
    ]
    for path in [*site.rglob("*.html"), site / "sitemap.xml", site / "search" / "search_index.json"]:
        text = path.read_text(encoding="utf-8")
        for word in placeholders:
            assert word not in text, f"{path.relative_to(site)} says {word!r}"
    assert (
        not (site / "directory" / hook.SHELL_ID).exists() and not (site / "es" / "directory" / hook.SHELL_ID).exists()
    )


def test_site_search_has_an_entry_for_each_program_page_in_each_language(site):
    countries = labels(load_schema(), "country")
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    entries = {d["location"]: d for d in docs}
    for p in load_programs():
        for lang, prefix in LANGUAGES.items():
            entry = entries[f"{prefix}directory/{p.id}/"]
            assert entry["title"] == escape(program_title(p, lang)), p.id
            assert escape(p.program, quote=False) in entry["text"] and escape(p.url, quote=False) in entry["text"], p.id
            assert "<" not in entry["text"].replace("&lt;", ""), p.id
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
    csp = load_hook("csp")
    for page in [*site.glob("directory/*/index.html"), *site.glob("es/directory/*/index.html")]:
        html = page.read_text(encoding="utf-8")
        assert POLICY.findall(html) == [csp.policy_for(html)], page


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return build_with_data(tmp_path_factory, ROOT / "tests" / "fixtures" / "hostile.yaml")


def test_hostile_values_show_as_text_in_title_description_and_content(hostile_site):
    csp = load_hook("csp")
    [p] = [p for p in load_programs(ROOT / "tests" / "fixtures" / "hostile.yaml") if p.id == "hostile-one"]
    assert "</title><script>alert(1)</script>" in p.program  # the fixture is as hostile as it should be
    for lang in LANGUAGES:
        countries = labels(load_schema(), "country", lang)
        html = page_of(hostile_site, lang, p.id)
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert unescape(title).startswith(program_title(p, lang) + " - "), lang
        description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
        assert unescape(description) == program_description(p, countries, lang), lang
        assert f"<h1>{escape(p.program)}</h1>" in html, lang
        # No element came from the data: the page runs exactly the scripts a calm page runs.
        assert "<script>alert(1)" not in html and "<script>window.__pwned" not in html, lang
        assert csp.inline_scripts(html) == csp.inline_scripts(page_of(hostile_site, lang, "hostile-two")), lang
        assert POLICY.findall(html) == [csp.policy_for(html)], lang


def test_the_hook_stops_the_build_when_the_shell_or_a_page_would_go_wrong(tmp_path):
    hook = load_hook("program_pages")
    # The theme no longer shows a part of the shell: every program page would lack it.
    with pytest.raises(PluginError, match="no longer says"):
        hook._cut(f"<title>{hook.TITLE}</title>", [hook.TITLE, hook.DESCRIPTION], tmp_path / "shell.html")
    assert hook._cut(f"<title>{hook.TITLE}</title>", [hook.TITLE], tmp_path / "shell.html") == [
        "<title>",
        hook.TITLE,
        "</title>",
    ]
    # Content that would run a script, or half a script element, or carry a style or event attribute.
    for content in [
        "<p>x</p><script>alert(1)</script>",
        '<p>x</p><script type="module">',
        '<p style="color:red">x</p>',
        '<img src="x" onerror="alert(1)">',
    ]:
        with pytest.raises(PluginError):
            hook._check_policy(content, "alpha")
    hook._check_policy('<p>x</p><script type="application/ld+json">{"a": "\\u003c/script\\u003e"}</script>', "alpha")


def test_every_material_class_a_program_page_uses_is_on_a_page_trim_css_reads(site):
    """trim_css.py keeps a rule of Material's stylesheets only when a built page names its classes, and
    it runs before the program pages are made: the Material classes they use must be on the other
    pages (the shell's chrome is every page's; the facts are the directory's cards)."""
    import material

    stylesheets = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    materials = {
        c
        for css in stylesheets.glob("*.min.css")
        for c in re.findall(r"\.(-?[A-Za-z_][\w-]*)", css.read_text(encoding="utf-8"))
    }
    classes = re.compile(r'class="([^"]*)"')
    program_page = re.compile(r"^(es/)?directory/[a-z0-9-]+/index\.html$")
    elsewhere: set[str] = set()
    for path in site.rglob("*.html"):
        if not program_page.match(path.relative_to(site).as_posix()):
            elsewhere.update(c for found in classes.findall(path.read_text(encoding="utf-8")) for c in found.split())
    for path in [*site.glob("directory/*/index.html"), *site.glob("es/directory/*/index.html")]:
        used = {c for found in classes.findall(path.read_text(encoding="utf-8")) for c in found.split()} & materials
        assert used and used <= elsewhere, f"{path.relative_to(site)}: {sorted(used - elsewhere)}"
