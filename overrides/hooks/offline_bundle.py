"""MkDocs hook: Material's built JavaScript names unpkg.com as a fallback for a ResizeObserver
polyfill and for Mermaid. We use neither, and no request may leave the site's host, so the built
copy of Material's bundle points them nowhere. Material's source maps are dropped too."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

_CDN_FALLBACK = re.compile(r"\"https://unpkg\.com/[^\"]*\"")
_SOURCE_MAP = re.compile(r"^(?://|/\*)# sourceMappingURL=\S+(?: \*/)?$", re.MULTILINE)
# Material's own built files; ours (docs/assets/*) are never touched.
_MATERIAL_DIRS = ("assets/javascripts", "assets/stylesheets")


def on_post_build(*, config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    bundles = sorted((site / "assets" / "javascripts").glob("bundle.*.min.js"))
    replaced = 0
    for bundle in bundles:
        text, count = _CDN_FALLBACK.subn('"data:text/javascript,"', bundle.read_text(encoding="utf-8"))
        bundle.write_text(text, encoding="utf-8")
        replaced += count
    if not replaced:
        # A new Material release moved or renamed its fallbacks: the site could now call unpkg.com.
        raise PluginError(
            f"offline_bundle: found no unpkg.com fallback to remove in {[b.name for b in bundles] or 'any bundle.*.min.js'}; "
            "Material has changed its bundle, so update overrides/hooks/offline_bundle.py"
        )
    for folder in _MATERIAL_DIRS:
        for path in [*(site / folder).rglob("*.js"), *(site / folder).rglob("*.css")]:
            text = path.read_text(encoding="utf-8")
            stripped = _SOURCE_MAP.sub("", text)
            if stripped != text:
                path.write_text(stripped, encoding="utf-8")
        for source_map in (site / folder).rglob("*.map"):
            source_map.unlink()  # maps of Material's own code: not for readers, and heavy
