"""MkDocs hook: each page loads only the styles and scripts it uses. A page asks for a set by name in
its meta, `assets: [sheet]`, or a macro asks for it (the `directory()` macro asks for `directory`);
overrides/partials/page-styles.html and page-scripts.html write the tags."""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

# name -> (stylesheets, scripts), paths relative to docs/
PAGE_ASSETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "directory": (("assets/directory.css",), ("assets/directory.js",)),
    "sheet": (
        ("assets/sheet.css",),
        ("assets/storage-keys.js", "assets/sheet.js"),
    ),  # question sheet and records checklist
    "program": (("assets/directory.css",), ()),  # a program's own page: the cards' styles, no script
}


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    names = page.meta.get("assets") or []
    if isinstance(names, str):
        names = [names]
    unknown = [n for n in names if n not in PAGE_ASSETS]
    if unknown:
        raise PluginError(f"{page.file.src_uri}: unknown assets {unknown} (known: {', '.join(PAGE_ASSETS)})")
    context["page_styles"] = [css for n in dict.fromkeys(names) for css in PAGE_ASSETS[n][0]]
    context["page_scripts"] = [js for n in dict.fromkeys(names) for js in PAGE_ASSETS[n][1]]
    return context
