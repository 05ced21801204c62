"""MkDocs hook: the links between the English and Spanish editions (mkdocs-static-i18n makes them).

- The header's language switcher and the head's hreflang links name each page's twin; the plugin
  gives the home pages site-absolute links ("/", "/es/"), which break when the site is served from a
  sub-path (a GitHub Pages project site), so they are made relative like every other page's.
- Search engines want hreflang addresses in full: each is made absolute from the page's canonical
  address, and an x-default (the English page) is added.
- The open data is published once, at /data/: a Spanish page's relative link to it is pointed there.
- Material's script would fetch a sitemap beside each of those addresses on every page: see the end."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

DEFAULT_LANGUAGE = "en"
_HREFLANG = re.compile(r'<link rel="alternate" href="([^"]*)" hreflang="([^"]*)">')


def _alternates(config: MkDocsConfig) -> list[dict]:
    # The plugin sets them as an attribute of `extra` on each page (which templates read first).
    return getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []


@event_priority(-50)  # after mkdocs-static-i18n (50) has set this page's alternates
def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    for alternate in _alternates(config):
        link = alternate.get("link", "")
        if link.startswith("/"):
            alternate["link"] = link.lstrip("/") or "./"
    return context


def on_pre_template(template, *, template_name: str, config: MkDocsConfig):
    """The not-found page (one for both languages, see overrides/404.html) switches to each home
    page, not to the twin of whichever page was built last."""
    if template_name == "404.html":
        config.extra.alternate = [
            {**alternate, "link": "./" if alternate.get("lang") == DEFAULT_LANGUAGE else f"{alternate.get('lang')}/"}
            for alternate in _alternates(config)
        ]
    return template


@event_priority(-100)  # after every other hook (csp.py needs the page whole)
def on_post_template(output: str, *, template_name: str, config: MkDocsConfig) -> str:
    """A not-found page has no translations to name: no hreflang links in its head. Each language's
    build writes the site's root 404.html; only the default language's is kept (an empty output is
    not written), so the page is <html lang="en"> with its Spanish part marked lang="es"."""
    if template_name == "404.html":
        if config.theme["language"] != DEFAULT_LANGUAGE:
            return ""
        return _HREFLANG.sub("", output)
    return output


# Files published once, at the site's root, for both languages: the open data (/data/hospitals.json...).
SHARED_ROOT_DIRS = ("data/",)
_HREF = re.compile(r'href="([^":#?]+)"')


def _shared_files_at_the_root(output: str, page: Page) -> str:
    """A Spanish page's relative link into data/ (the directory's "Download as JSON", rendered for the
    English page's depth) would point under /es/, where nothing is published: point it at the root."""
    locale = getattr(page.file, "locale", DEFAULT_LANGUAGE)
    if locale == DEFAULT_LANGUAGE:
        return output
    here = "http://site/" + page.url
    prefix = f"http://site/{locale}/"

    def fix(match: re.Match) -> str:
        target = urljoin(here, match.group(1))
        rest = target[len(prefix) :] if target.startswith(prefix) else ""
        if rest.startswith(SHARED_ROOT_DIRS):
            depth = page.url.count("/")
            return f'href="{"../" * depth}{target[len(prefix) :]}"'
        return match.group(0)

    return _HREF.sub(fix, output)


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    output = _shared_files_at_the_root(output, page)
    base = page.canonical_url
    if not base:
        return output

    def absolute(match: re.Match) -> str:
        href, lang = urljoin(base, match.group(1)), match.group(2)
        link = f'<link rel="alternate" href="{href}" hreflang="{lang}">'
        if lang == DEFAULT_LANGUAGE:
            link += f'\n          <link rel="alternate" href="{href}" hreflang="x-default">'
        return link

    return _HREFLANG.sub(absolute, output)


# Material's language selector script fetches a sitemap.xml beside every <link rel="alternate"> in the
# head on each page load, to find the page's twin when the reader switches language. Our switcher and
# hreflang links already name each page's twin, and a sitemap beside a page's address does not exist
# (/es/why/sitemap.xml): one or more failed requests on every page. The call is taken out of our built
# copy of the bundle; if the pattern is gone (a new Material release), the build stops and says so.
_ALTERNATE_FN = re.compile(
    r'function (?P<name>[\w$]+)\(\{document\$:[\w$]+\}\)\{let [\w$]+=new Map;[\w$]+\.pipe\([\w$]+\(\(\)=>[\w$]+\("link\[rel=alternate\]"\)\)'
)


def patch_bundle(bundle: str) -> str:
    found = _ALTERNATE_FN.search(bundle)
    if not found:
        raise PluginError(
            "languages: Material's bundle no longer has its alternate-sitemap function; update overrides/hooks/languages.py"
        )
    call = re.compile(re.escape(found.group("name")) + r"\(\{document\$:[\w$]+\}\);")
    patched, count = call.subn("", bundle)
    if count != 1:
        raise PluginError(f"languages: expected one call of Material's alternate-sitemap function, found {count}")
    return patched


def on_post_build(*, config: MkDocsConfig) -> None:
    bundles = sorted((Path(config.site_dir) / "assets" / "javascripts").glob("bundle.*.min.js"))
    if not bundles:
        raise PluginError("languages: no Material bundle (assets/javascripts/bundle.*.min.js) in the built site")
    for bundle in bundles:
        bundle.write_text(patch_bundle(bundle.read_text(encoding="utf-8")), encoding="utf-8")
