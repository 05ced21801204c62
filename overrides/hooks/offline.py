"""MkDocs hook: the offline copy (issue 26); the work is in secondopinions/offline.py.

- on_startup: `mkdocs serve` keeps no offline copy (a preview must never show an old page).
- on_nav: each language's navigation and site name, for the offline page's list of kept pages.
- on_page_context: each page names the worker and its own language, for assets/offline.js
  (overrides/partials/offline.html writes the tag).
- on_post_build, last of all, once every language is written: the worker, sw.js at the site's root."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from secondopinions import offline

log = logging.getLogger("mkdocs.hooks.offline")

# The hook module lives as long as the MkDocs command, across `mkdocs serve`'s rebuilds.
_serving = False
_languages: dict[str, offline.Language] = {}


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def _i18n(config: MkDocsConfig):
    return config.plugins.get("i18n")


def _current(config: MkDocsConfig) -> str:
    i18n = _i18n(config)
    return (i18n.current_language if i18n is not None else None) or offline.DEFAULT_LANGUAGE


def _default(config: MkDocsConfig) -> str:
    i18n = _i18n(config)
    return getattr(i18n, "default_language", None) or offline.DEFAULT_LANGUAGE


@event_priority(-150)  # after mkdocs-static-i18n (-100) has translated the navigation
def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    _languages[_current(config)] = offline.Language(
        code=_current(config),
        site_name=config.site_name,
        nav=[(page.title or page.url, page.url) for page in nav.pages],
    )
    return nav


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    if _serving:
        context["so_offline"] = None
        return context
    context["so_offline"] = {
        "worker": get_relative_url(offline.WORKER_NAME, page.url),
        "scope": get_relative_url(".", page.url).rstrip("/") + "/",  # the whole site
        "lang": _current(config),
    }
    return context


# Last of all: after mkdocs-static-i18n (-100) has built every other language from inside this post-build,
# and after the program pages (program_pages.py, -200) and every edit of Material's files are written.
@event_priority(-300)
def on_post_build(*, config: MkDocsConfig) -> None:
    i18n = _i18n(config)
    if i18n is not None and i18n.building:
        return  # another language's build, inside the default language's: the site is not whole yet
    codes = list(i18n.build_languages) if i18n is not None else [offline.DEFAULT_LANGUAGE]
    languages = [_languages.get(code) or offline.Language(code=code, site_name=config.site_name) for code in codes]
    try:
        copies = offline.write(Path(config.site_dir), languages, _default(config), serving=_serving)
    except offline.OfflineError as exc:
        raise PluginError(str(exc)) from None
    for kept in copies:
        log.info(
            f"offline: {offline.WORKER_NAME} keeps {len(kept.pages)} {kept.lang} pages and {len(kept.files)} files, "
            f"{kept.size / 1024 / 1024:.2f} MiB (version {kept.version})"
        )
