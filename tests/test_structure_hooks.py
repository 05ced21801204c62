"""The site's plugin (secondopinions/plugin.py) and what it relies on in Material: the directory's
anchors are real link targets, Material's own files ship as Material built them, every check on
Material stops the build when Material changes, and our copies of Material's partials have not drifted."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT, build_site
from secondopinions.macros import RawHtmlError, hold_raw_html, release_raw_html
from secondopinions.plugin import BUNDLE_NEEDS, SWITCHING_RULE, check_bundle, without_switching_rule

MATERIAL = Path(material.__file__).parent / "templates"


def material_bundle() -> str:
    [bundle] = (MATERIAL / "assets" / "javascripts").glob("bundle.*.min.js")
    return bundle.read_text(encoding="utf-8")


def test_a_link_to_a_program_anchor_passes_the_strict_build_and_a_wrong_one_stops_it(project):
    """One strict build with both links (a build costs seconds): it stops on the wrong anchor, and on
    that one only, so the program's anchor passed; MkDocs writes the pages before it stops."""
    about = project / "docs" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8") + "\nSee [Boston Children's](directory.md#boston-childrens)"
        " and [nowhere](directory.md#no-such-program).\n",
        encoding="utf-8",
    )
    result = build_site(project / "site", project)
    assert result.returncode != 0
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, warnings
    assert "does not contain an anchor '#no-such-program'" in warnings[0]
    html = (project / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="../directory/#boston-childrens"' in html


def test_held_html_comes_back_with_its_anchors_and_an_unknown_marker_stops_the_build():
    marker = hold_raw_html('<div id="alpha-kids"><a id="alpha-kids-name">A &amp; B</a></div>')
    html, anchors = release_raw_html(f"<p>before</p>\n{marker}\n<p>after</p>")
    assert '<div id="alpha-kids"><a id="alpha-kids-name">A &amp; B</a></div>' in html
    assert marker not in html
    assert anchors == {"alpha-kids", "alpha-kids-name"}
    with pytest.raises(RawHtmlError):
        release_raw_html("<!-- so:raw-html 0123456789abcdef -->")


def test_materials_javascript_ships_as_material_built_it(site):
    ours = site / "assets" / "javascripts"
    shipped = sorted(p.relative_to(ours) for p in ours.rglob("*") if p.is_file())
    assert shipped and Path("workers") in {p.parent for p in shipped}
    for path in shipped:
        assert (ours / path).read_bytes() == (MATERIAL / "assets" / "javascripts" / path).read_bytes(), path
    assert not list(site.rglob("*.map")), "source maps are for Material's developers, not for readers"


def test_the_bundle_check_passes_on_this_material_and_stops_the_build_when_it_changes():
    bundle = material_bundle()
    check_bundle(bundle)
    for need in BUNDLE_NEEDS:  # the search index or a sitemap asked for another way: the page script would miss it
        with pytest.raises(PluginError, match="changed how it requests files"):
            check_bundle(bundle.replace(need, "x"))
    with pytest.raises(PluginError, match="changed how it requests files"):
        check_bundle(bundle + 'fetch("search/search_index.json")')
    with pytest.raises(PluginError, match="third-party address"):
        check_bundle(bundle + '_t("https://unpkg.com/something-new")')


def test_the_palette_switching_rule_is_gone_so_a_page_load_does_not_restyle_every_element_twice(site):
    """Material's palette script marks <body> with data-md-color-switching on every page load; its one rule
    then restyles the whole page (half the style work of a directory page). The plugin drops that rule
    by its exact text, and stops the build when Material no longer has it."""
    [theirs] = (MATERIAL / "assets" / "stylesheets").glob("palette.*.min.css")
    css = theirs.read_text(encoding="utf-8")
    assert css.count(SWITCHING_RULE) == 1
    [ours] = (site / "assets" / "stylesheets").glob(theirs.name)
    assert ours.read_text(encoding="utf-8") == css.replace(SWITCHING_RULE, "")
    assert not [p.name for p in site.rglob("*.css") if "data-md-color-switching" in p.read_text(encoding="utf-8")]
    [main] = (MATERIAL / "assets" / "stylesheets").glob("main.*.min.css")
    assert (site / "assets" / "stylesheets" / main.name).read_bytes() == main.read_bytes()
    with pytest.raises(PluginError, match="no longer has its colour-switching rule"):
        without_switching_rule(css.replace(SWITCHING_RULE, ""))


def test_a_build_stops_when_material_no_longer_defines_md_get_before_our_wrapper(project):
    """overrides/main.html wraps Material's __md_get so blocked storage cannot stop its scripts."""
    partial = project / "overrides" / "partials" / "javascripts" / "base.html"
    partial.parent.mkdir(parents=True)
    partial.write_text("<script>__md_scope=new URL('.',location)</script>\n", encoding="utf-8")
    result = build_site(project / "site", project)
    assert result.returncode != 0
    assert "Material's __md_get is not defined before overrides/main.html wraps it" in result.stderr


def _body(text: str) -> str:
    return re.sub(r"^\{#-.*?-#\}\n", "", text, flags=re.S)  # each file's own header comment


@pytest.mark.parametrize(
    ("partial", "theirs", "ours"),
    [
        # The search dialog gets a name (axe: aria-dialog-name).
        (
            "search.html",
            '<div class="md-search" data-md-component="search" role="dialog">',
            '<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">',
        ),
        # The repository link asks its host for nothing (no stars and forks fetched).
        (
            "source.html",
            '<a href="{{ config.repo_url }}" title="{{ lang.t(\'source\') }}" class="md-source" data-md-component="source">',
            '<a href="{{ config.repo_url }}" title="{{ lang.t(\'source\') }}" class="md-source">',
        ),
    ],
)
def test_each_copied_partial_matches_the_installed_material_apart_from_its_one_change(partial, theirs, ours):
    """If Material changes a partial we copied, our copy must be brought up to date by hand."""
    material_text = _body((MATERIAL / "partials" / partial).read_text(encoding="utf-8"))
    intended = material_text.replace(theirs, ours)
    assert intended != material_text, "the change we make is no longer needed, or Material moved it"
    assert _body((ROOT / "overrides" / "partials" / partial).read_text(encoding="utf-8")) == intended


def test_every_partial_we_override_is_ours_or_has_a_drift_test():
    """Only the partials above copy Material's; the others are our own (no Material file of that name)."""
    copied = {"search.html", "source.html"}
    for path in (ROOT / "overrides" / "partials").rglob("*.html"):
        name = path.relative_to(ROOT / "overrides" / "partials").as_posix()
        assert (name in copied) == (MATERIAL / "partials" / name).exists(), name
