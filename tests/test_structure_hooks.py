"""The build's hooks, one job each: the directory's anchors are real link targets, Material's bundle
is made offline or the build stops, and our copy of Material's search partial has not drifted."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import material
import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT, build_site
from secondopinions.macros import RawHtmlError, hold_raw_html, release_raw_html


def load_hook(name: str):
    spec = importlib.util.spec_from_file_location(f"hook_{name}", ROOT / "overrides" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


class _Config:
    def __init__(self, site_dir: Path):
        self.site_dir = str(site_dir)


def test_offline_bundle_removes_cdn_fallbacks_and_source_maps(tmp_path):
    js = tmp_path / "assets" / "javascripts"
    js.mkdir(parents=True)
    (js / "bundle.abc.min.js").write_text(
        'a("https://unpkg.com/resize-observer-polyfill");b("https://unpkg.com/mermaid@11/x.js")\n'
        "//# sourceMappingURL=bundle.abc.min.js.map\n",
        encoding="utf-8",
    )
    (js / "bundle.abc.min.js.map").write_text("{}", encoding="utf-8")
    ours = tmp_path / "assets" / "sheet.js"
    ours.write_text("// https://unpkg.com/ named in a comment of our own\n", encoding="utf-8")
    load_hook("offline_bundle").on_post_build(config=_Config(tmp_path))
    bundle = (js / "bundle.abc.min.js").read_text(encoding="utf-8")
    assert "unpkg.com" not in bundle and bundle.count('"data:text/javascript,"') == 2
    assert "sourceMappingURL" not in bundle
    assert not (js / "bundle.abc.min.js.map").exists()
    assert "unpkg.com" in ours.read_text(encoding="utf-8"), "only Material's bundle is edited"


def test_offline_bundle_stops_the_build_when_material_changed_its_bundle(tmp_path):
    js = tmp_path / "assets" / "javascripts"
    js.mkdir(parents=True)
    (js / "bundle.new.min.js").write_text('a("https://cdn.example/polyfill")', encoding="utf-8")
    with pytest.raises(PluginError, match="found no unpkg.com fallback to remove"):
        load_hook("offline_bundle").on_post_build(config=_Config(tmp_path))


def test_search_partial_matches_the_installed_material_apart_from_the_dialog_name():
    """If Material changes its search partial, our copy must be brought up to date by hand."""
    theirs = (Path(material.__file__).parent / "templates" / "partials" / "search.html").read_text(encoding="utf-8")
    ours = (ROOT / "overrides" / "partials" / "search.html").read_text(encoding="utf-8")

    def body(text: str) -> str:
        return re.sub(r"^\{#-.*?-#\}\n", "", text, flags=re.S)  # each file's own header comment

    intended = body(theirs).replace(
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">',
    )
    assert intended != body(theirs), "the change we make is no longer needed, or Material moved it"
    assert body(ours) == intended


def test_trimmed_css_keeps_rules_the_site_can_match_and_drops_the_rest():
    trim = load_hook("trim_css")
    css = (
        "/*! licence */:root{--used:1;--unused:url(x;y)}"
        ".md-header,.md-banner{color:red}.md-banner__inner{margin:0}"
        "@media print{.md-header{display:none}.highlighttable{x:y}}"
        ".md-nav:not(.md-nav--lifted) a{color:var(--used)}"
        "[data-md-color-primary=indigo]{a:b}[data-md-color-scheme=slate]{c:d}"
        "@keyframes spin{0%{a:b}}"
    )
    words = {"md-header", "md-nav", "slate", "spin"}
    out = trim.drop_unused_properties(trim.trim(css, words), keep=set())
    assert out == (
        "/*! licence */:root{--used:1}"
        ".md-header{color:red}"
        "@media print{.md-header{display:none}}"
        ".md-nav:not(.md-nav--lifted) a{color:var(--used)}"  # a class inside :not() need not exist
        "[data-md-color-scheme=slate]{c:d}"
        "@keyframes spin{0%{a:b}}"
    )


def test_search_on_demand_waits_for_the_search_box_and_stops_the_build_if_material_changed():
    hook = load_hook("search_on_demand")
    bundle = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
    [source] = bundle.glob("bundle.*.min.js")
    patched = hook.patch(source.read_text(encoding="utf-8"))
    assert '"focusin"' in patched and 'has("h")' in patched
    with pytest.raises(PluginError, match="no longer has the index pattern"):
        hook.patch("var x=fetchIndex();")


def test_the_palette_switching_rule_is_gone_so_a_page_load_does_not_restyle_every_element_twice(site):
    """Material's palette script marks <body> with data-md-color-switching on every page load; its one rule
    then restyles the whole page (half the style work of a directory page). trim_css drops that rule."""
    sheets = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    assert any("[data-md-color-switching]" in p.read_text(encoding="utf-8") for p in sheets.glob("*.min.css")), (
        "Material no longer has the rule: drop _DROPPED_ATTRIBUTE from trim_css.py and this test"
    )
    built = [*site.glob("assets/stylesheets/*.css"), *site.glob("assets/*.css")]
    assert built and not [p.name for p in built if "data-md-color-switching" in p.read_text(encoding="utf-8")]
