"""MkDocs hook: the few build steps the theme needs (dates in templates, the directory's HTML,
robots.txt, and a built site that names no third-party host)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from secondopinions.macros import DIRECTORY_MARKER
from secondopinions.render import long_date


def _long_date(value: object) -> str:
    if isinstance(value, dt.date):
        return long_date(value)
    return long_date(dt.date.fromisoformat(str(value)))


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    env.filters["long_date"] = _long_date
    return env


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the directory's rendered HTML where the `directory()` macro left its marker."""
    if DIRECTORY_MARKER in html:
        html = html.replace(DIRECTORY_MARKER, config.plugins["macros"].variables["directory_html"](), 1)
    return html


# Material's bundle names unpkg.com as a fallback for a ResizeObserver polyfill and for Mermaid.
# We use neither, and no request may leave the site's host, so the built copy points them nowhere.
_CDN_FALLBACK = re.compile(r"\"https://unpkg\.com/[^\"]*\"")
_SOURCE_MAP = re.compile(r"^(?://|/\*)# sourceMappingURL=\S+(?: \*/)?$", re.MULTILINE)


def on_post_build(*, config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    (site / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\n\nSitemap: {config.site_url.rstrip('/')}/sitemap.xml\n", encoding="utf-8"
    )
    assets = Path(config.site_dir) / "assets"
    for path in [*assets.rglob("*.js"), *assets.rglob("*.css")]:
        text = path.read_text(encoding="utf-8")
        text = _SOURCE_MAP.sub("", _CDN_FALLBACK.sub('"data:text/javascript,"', text))
        path.write_text(text, encoding="utf-8")
    for source_map in assets.rglob("*.map"):
        source_map.unlink()  # maps of Material's own code: not for readers, and heavy
