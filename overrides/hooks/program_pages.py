"""MkDocs hook: a page for each program at /directory/<id>/, made from the data by
secondopinions.render.render_program_page and added as generated files (not in the nav)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from html import escape

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from secondopinions.macros import hold_raw_html
from secondopinions.programs import labels
from secondopinions.render import program_description, program_title, render_program_page


# After the i18n plugin (priority -100) has sorted the files by language: it reads every file from
# docs/, and a generated page has no file there.
@event_priority(-200)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.current_language != i18n.default_language:
        return files  # program pages are English only for now; the Spanish build must not overwrite them
    macros = config.plugins.get("macros")
    if macros is None or "programs" not in macros.variables:
        raise PluginError("program_pages: the macros plugin has not loaded the programs (secondopinions.macros)")
    programs = macros.variables["programs"]
    schema = macros.variables["programs_schema"]
    countries = labels(schema, "country")
    repo_url = config.repo_url
    for p in programs:
        src_uri = f"directory/{p.id}.md"
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"program_pages: docs/{src_uri} exists; a program's page is made from the data")
        # Material writes a page's meta title and description into the HTML as they are (its templates do
        # not escape), so they are escaped here; as JSON strings, YAML reads them back unchanged.
        meta = "\n".join([
            "---",
            f"title: {json.dumps(escape(program_title(p)))}",
            f"description: {json.dumps(escape(program_description(p, countries)))}",
            f"reviewed: {p.checked.isoformat()}",  # the site's "Last reviewed" line: the day its facts were checked
            "assets: [program]",
            "hide: [toc]",
            "---",
            "",
        ])
        # The page's HTML skips Markdown, as the directory's does (overrides/hooks/raw_html.py).
        html = render_program_page(p, schema=schema, repo_url=repo_url)
        files.append(File.generated(config, src_uri, content=meta + hold_raw_html(html) + "\n",
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    return files


# The sitemap lists every page. The i18n plugin writes it from the files it sorted by language, and it
# never sees these pages (they are added after it), so they are added here, once the whole site
# (every language) is written: English only, with the day the program's facts were checked.
_URLSET_END = "</urlset>"


@event_priority(-200)
def on_post_build(*, config: MkDocsConfig) -> None:
    # Not tied to the language being built: the Spanish build, run from inside the English one, writes
    # sitemap.xml again; adding only what is missing makes the last call leave it whole.
    sitemap = Path(config.site_dir) / "sitemap.xml"
    macros = config.plugins.get("macros")
    if not sitemap.exists() or macros is None:
        return
    text = sitemap.read_text(encoding="utf-8")
    base = (config.site_url or "").rstrip("/") + "/"
    entries = []
    for p in macros.variables["programs"]:
        loc = escape(f"{base}directory/{p.id}/")
        if f"<loc>{loc}</loc>" in text:
            continue
        entries.append(
            f"    <url>\n        <loc>{loc}</loc>\n        <lastmod>{p.checked.isoformat()}</lastmod>\n"
            f'        <xhtml:link rel="alternate" hreflang="en" href="{loc}"/>\n    </url>\n'
        )
    if _URLSET_END not in text:
        raise PluginError("program_pages: sitemap.xml has no </urlset>; cannot add the program pages")
    text = text.replace(_URLSET_END, "".join(entries) + _URLSET_END, 1)
    sitemap.write_text(text, encoding="utf-8")
    sitemap.with_suffix(".xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
