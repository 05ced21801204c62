"""MkDocs hook: put finished HTML back where a macro held it out of Markdown (the directory), and
tell MkDocs the anchors it brings, so links such as `directory.md#<id>` are checked like any other.
HTML held `after_search` (the directory's cards) goes back into the finished page, after site search
has read the page (secondopinions/macros.py says why)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from secondopinions.macros import RawHtmlError, release_raw_html


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        html, anchors = release_raw_html(html)
    except RawHtmlError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from None
    if anchors and page.present_anchor_ids is not None:
        # MkDocs collected anchors while converting Markdown; this HTML arrived after that.
        page.present_anchor_ids |= anchors
    return html


# Before every other hook's on_post_page: the policy (csp.py) hashes the directory's inline script, and
# languages.py points the Spanish directory's links at the shared files.
@event_priority(100)
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    try:
        output, _ = release_raw_html(output, after_search=True)
    except RawHtmlError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from None
    return output
