"""The MkDocs plugin (`secondopinions` in mkdocs.yml): MkDocs and Material adapted to the site, and
nothing else. The data, the pages' HTML and the Content-Security-Policy are plain Python beside it.

Events, in the order MkDocs calls them (a priority places an event among the other plugins' ones):
  on_startup           `mkdocs serve` or a build: under serve the site keeps no offline copy
  on_config (100)      load and check the data files, before macros' define_env reads them
  on_files (-200)      after mkdocs-static-i18n (-100) has sorted docs/ by language, which it cannot do
                       for generated files: each program's page, the open data, robots.txt, Material's
                       palette stylesheet without one rule, our stylesheets without their comments;
                       checks that Material is still what we rely on
  on_nav (-150)        after i18n: each language's page titles, for the offline page's list
  on_page_markdown     a program page's meta (title, description, reviewed date, assets)
  on_page_content      held HTML back into the page, its anchors made link targets; the sitemap's date
  on_env               the long_date filter and the site's fixed words (`so_words`) for the templates
  on_page_context (-50) after i18n (50): the page's own assets, the offline worker's address; the
                       language links made relative
  on_pre_template      the not-found page's language links lead to each home page
  on_post_template     the not-found page, once, with its policy
  on_post_page (-200)  last: the directory's cards back, hreflang addresses in full, the policy
  on_post_build (-300) once every language is written: the offline worker, sw.js (secondopinions/offline.py)
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config import base, config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import csp, offline
from .macros import RawHtmlError, hold_raw_html, release_raw_html
from .programs import labels
from .render import open_data_csv, open_data_json, program_description, program_title, render_program_pages
from .sitedata import SiteData, load_site_data
from .visit import render_save_words
from .words import Words, long_date
from .yamldata import DataFileError


NOT_IN_NAV = InclusionLevel.NOT_IN_NAV
log = logging.getLogger("mkdocs.plugins.secondopinions")


class SiteConfig(base.Config):
    """The data files, relative to mkdocs.yml (mkdocs.yml lets tests name others through SO_*_FILE)."""

    programs = c.Type(str, default="data/hospitals.yaml")
    schema = c.Type(str, default="data/hospitals.schema.json")
    questions = c.Type(str, default="data/questions.yaml")
    records = c.Type(str, default="data/records.yaml")
    published = c.Type(str, default="data/published-ids.yaml")  # every id the sheets have published


# name -> (stylesheets, scripts) a page asks for in its meta (`assets: [sheet]`) or through a macro.
PAGE_ASSETS = {
    "directory": (["assets/directory.css"], ["assets/directory.js"]),
    # storage-keys.js first wherever a script keeps anything: the one key scheme of the site
    "sheet": (
        ["assets/sheet.css"],
        ["assets/storage-keys.js", "assets/sheet.js"],
    ),  # question sheet and records checklist
    "program": (["assets/directory.css"], []),  # a program's own page: the cards' styles
    "visit": (
        ["assets/visit.css"],
        ["assets/storage-keys.js", "assets/visit-store.js", "assets/visit.js"],
    ),  # the My visit page
    # "Save for my visit" on each program, in the directory and on its own page
    "visit-save": (
        ["assets/visit-save.css"],
        ["assets/storage-keys.js", "assets/visit-store.js", "assets/visit-save.js"],
    ),
}

# What overrides/partials/hold-requests.html relies on in Material's bundle: it asks for the search
# index and for sitemaps by XMLHttpRequest, at these addresses.
BUNDLE_NEEDS = ("new XMLHttpRequest", '"search/search_index.json"', '"sitemap.xml"', '"link[rel=alternate]"')
# The bundle's only third-party addresses: a polyfill for browsers without ResizeObserver (every
# browser since 2020 has it) and Mermaid, loaded only for a diagram (the site has none). The policy's
# script-src 'self' refuses both; any other address stops the build.
UNPKG = '"https://unpkg.com/'
BUNDLE_DEAD_FALLBACKS = (UNPKG + 'resize-observer-polyfill"', UNPKG + 'mermaid@11/dist/mermaid.min.js"')
# Material's palette script marks <body> with this attribute on every page load; its one rule then
# restyles every element twice, half of all style work while the directory loads (issue 11). Without
# it, a switch between light and dark fades for a quarter of a second (not with reduced motion).
SWITCHING_RULE = (
    "[data-md-color-switching] *,[data-md-color-switching] :after,[data-md-color-switching] :before"
    "{transition-duration:0s!important}"
)
# Material's global that overrides/main.html wraps; it must be defined before the wrapper runs.
MD_GET, MD_GET_WRAPPED = "__md_get=", "})(__md_get);"
_HREFLANG = re.compile(r'<link rel="alternate" href="([^"]*)" hreflang="([^"]*)">')


def _alternates(config: MkDocsConfig) -> list[dict]:
    """The page's language links: i18n sets them per page as an attribute of `extra`, which templates read first."""
    return getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []


def _one(files: Files, folder: str, prefix: str, suffix: str) -> File:
    found = [f for f in files if f.src_uri.startswith(folder + prefix) and f.src_uri.endswith(suffix)]
    if len(found) != 1:
        raise PluginError(f"expected one Material file {folder}{prefix}*{suffix}, found {len(found)}")
    return found[0]


def check_bundle(js: str) -> None:
    """Stop the build if Material's bundle no longer does what our page script and policy expect."""
    if [need for need in BUNDLE_NEEDS if need not in js] or "fetch(" in js:
        raise PluginError("Material's bundle changed how it requests files: see overrides/partials/hold-requests.html")
    if js.count("unpkg.com") != sum(js.count(a) for a in BUNDLE_DEAD_FALLBACKS) or "//cdn" in js:
        raise PluginError("Material's bundle names a third-party address we have not reviewed")


def without_switching_rule(css: str) -> str:
    if css.count(SWITCHING_RULE) != 1:
        raise PluginError("Material's palette stylesheet no longer has its colour-switching rule: drop SWITCHING_RULE")
    return css.replace(SWITCHING_RULE, "")


# Our own stylesheets keep their why-comments in docs/assets/; readers get them without (a third of
# extra.css, which every page loads). Our files only, never Material's.
_CSS_COMMENT = re.compile(r"/\*.*?\*/\n?", re.DOTALL)


def without_comments(css: str) -> str:
    return _CSS_COMMENT.sub("", css)


class SecondOpinionsPlugin(BasePlugin[SiteConfig]):
    data: SiteData | None = None
    # The offline copy (secondopinions/offline.py): none under `mkdocs serve` (a preview must never show
    # an old page); each language's navigation and site name, for the offline page's list.
    serving = False
    languages: dict[str, offline.Language]

    def __init__(self) -> None:
        super().__init__()
        self.languages = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this plugin across `mkdocs serve`'s rebuilds.
        self.serving = command == "serve"
        self.languages = {}

    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> None:
        try:
            paths = {name: Path(path) for name, path in self.config.items()}
            # The published ids hold the site's own sheets, not a test's or a draft's (SO_*_FILE).
            own_sheets = (self.config.questions, self.config.records) == (
                SiteConfig.questions.default,
                SiteConfig.records.default,
            )
            docs = Path(config.docs_dir)
            self.data = load_site_data(
                Path(config.config_file_path).parent,
                **paths,
                docs=docs if docs.is_dir() else None,
                own_sheets=own_sheets,
            )
        except DataFileError as exc:
            raise PluginError("\n".join(exc.problems)) from None

    @event_priority(-200)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        check_bundle(_one(files, "assets/javascripts/", "bundle.", ".min.js").content_string)
        palette = _one(files, "assets/stylesheets/", "palette.", ".min.css")
        files.remove(palette)
        files.append(File.generated(config, palette.src_uri, content=without_switching_rule(palette.content_string)))
        for ours in [f for f in files if re.fullmatch(r"assets/[^/]+\.css", f.src_uri) and f.generated_by is None]:
            files.remove(ours)
            files.append(File.generated(config, ours.src_uri, content=without_comments(ours.content_string)))
        for source_map in [f for f in files if f.src_uri.startswith("assets/") and f.src_uri.endswith(".map")]:
            files.remove(source_map)  # maps of Material's code: not for readers, and heavy
        data = self.data
        sitemap = f"{config.site_url.rstrip('/')}/sitemap.xml"
        files.append(File.generated(config, "robots.txt", content=f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n"))
        files.append(File.generated(config, "data/hospitals.json", content=open_data_json(data.programs)))
        files.append(File.generated(config, "data/hospitals.csv", content=open_data_csv(data.programs)))
        files.append(File.generated(config, "data/hospitals.schema.json", content=data.schema_file.read_bytes()))
        self._add_program_pages(files, config)
        return files

    def _add_program_pages(self, files: Files, config: MkDocsConfig) -> None:
        """A page for each program at directory/<id>/ (es/directory/<id>/ in Spanish), made from the data
        as mkdocs-gen-files makes pages, with what mkdocs-static-i18n gives each of its own pages."""
        i18n = config.plugins["i18n"]
        lang, data = config.theme["language"], self.data
        prefix = {code: "" if code == i18n.default_language else f"{code}/" for code in i18n.build_languages}
        countries = labels(data.schema, "country", lang)
        pages = render_program_pages(data.programs, schema=data.schema, repo_url=config.repo_url, lang=lang)
        save_words = hold_raw_html(render_save_words(lang))
        for p, html in zip(data.programs, pages):
            if files.get_file_from_path(f"directory/{p.id}.md") is not None:
                raise PluginError(f"docs/directory/{p.id}.md exists; a program's page is made from the data")
            # Its meta comes in on_page_markdown, not as front matter: no YAML written and read back for
            # each of thousands of pages. Material prints the title and description as they are: escaped here.
            title, description = escape(program_title(p, lang)), escape(program_description(p, countries, lang))
            meta = dict(
                title=title, description=description, reviewed=p.checked, assets=["program", "visit-save"], hide=["toc"]
            )
            uris = {code: f"{at}directory/{p.id}.md" for code, at in prefix.items()}
            content = hold_raw_html(html) + "\n\n" + save_words + "\n"  # save_words: the "Save for my visit" button's
            page = File.generated(config, uris[lang], content=content, inclusion=NOT_IN_NAV)
            page.so_meta = meta
            page.locale = page.locale_alternate_of = lang
            page.alternates = {code: File.generated(config, uri, content="") for code, uri in uris.items()}
            page.alternates[lang] = page
            files.append(page)
        i18n.i18n_files_per_language[lang] = files.documentation_pages()  # what its sitemap.xml lists

    @event_priority(-150)  # after mkdocs-static-i18n (-100) has translated the navigation
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        lang = config.theme["language"]
        pages = [(page.title or page.url, page.url) for page in nav.pages]
        self.languages[lang] = offline.Language(code=lang, site_name=config.site_name, nav=pages)
        return nav

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        def _long_date(value: Any, lang: str = "en") -> str:
            # YAML front matter gives a date; a quoted value arrives as text.
            return long_date(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)), lang)

        env.filters["long_date"] = _long_date
        env.globals["so_words"] = Words(config.theme["language"])
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        page.meta.update(getattr(page.file, "so_meta", {}))  # a program page's title, description, date...
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        html, anchors = self._release(html, page.file.src_uri)
        if anchors and page.present_anchor_ids is not None:
            page.present_anchor_ids |= anchors  # collected while converting Markdown, before this HTML came
        if page.meta.get("reviewed"):
            page.update_date = str(page.meta["reviewed"])  # the sitemap's lastmod (written before on_page_context)
        return html

    @event_priority(-50)
    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav) -> dict[str, Any]:
        names = page.meta.get("assets") or []
        names = [names] if isinstance(names, str) else list(dict.fromkeys(names))
        if unknown := [n for n in names if n not in PAGE_ASSETS]:
            raise PluginError(f"{page.file.src_uri}: unknown assets {unknown} (known: {', '.join(PAGE_ASSETS)})")
        context["page_styles"] = list(dict.fromkeys(css for n in names for css in PAGE_ASSETS[n][0]))
        context["page_scripts"] = list(dict.fromkeys(js for n in names for js in PAGE_ASSETS[n][1]))
        # The worker and this page's language, for assets/offline.js (overrides/partials/offline.html).
        context["so_offline"] = (
            None
            if self.serving
            else {
                "worker": get_relative_url(offline.WORKER_NAME, page.url),
                "scope": get_relative_url(".", page.url).rstrip("/") + "/",  # the whole site
                "lang": config.theme["language"],
            }
        )
        for alternate in _alternates(config):
            # i18n links the home pages as "/" and "/es/", which break on a sub-path (a GitHub project site).
            if alternate.get("link", "").startswith("/"):
                alternate["link"] = alternate["link"].lstrip("/") or "./"
        return context

    def on_pre_template(self, template, *, template_name: str, config: MkDocsConfig):
        if template_name == "404.html":  # one page for both languages: its switcher leads to each home page
            default = config.plugins["i18n"].default_language
            homes = [{**a, "link": "./" if a["lang"] == default else f"{a['lang']}/"} for a in _alternates(config)]
            config.extra.alternate = homes
        return template

    def on_post_template(self, output: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The not-found page: GitHub Pages serves only the root 404.html, so the default language's is
        kept (an empty output is not written), with no translations to name in its head."""
        if template_name != "404.html":
            return output
        if config.theme["language"] != config.plugins["i18n"].default_language:
            return ""
        return self._with_policy(_HREFLANG.sub("", output), template_name)

    @event_priority(-200)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        output, _ = self._release(output, page.file.src_uri, after_search=True)
        if page.canonical_url and _alternates(config):
            output = self._full_hreflang(output, page)
        return self._with_policy(output, page.file.src_uri)

    @staticmethod
    def _release(html: str, where: str, after_search: bool = False) -> tuple[str, set[str]]:
        try:
            return release_raw_html(html, after_search=after_search)
        except RawHtmlError as exc:
            raise PluginError(f"{where}: {exc}") from None

    @staticmethod
    def _full_hreflang(output: str, page: Page) -> str:
        """Search engines want hreflang addresses in full, and an x-default (the English page)."""

        def absolute(match: re.Match) -> str:
            href, lang = urljoin(page.canonical_url, match.group(1)), match.group(2)
            default = f'\n          <link rel="alternate" href="{href}" hreflang="x-default">' if lang == "en" else ""
            return f'<link rel="alternate" href="{href}" hreflang="{lang}">{default}'

        output, count = _HREFLANG.subn(absolute, output)
        if not count:
            raise PluginError(f"{page.file.src_uri}: Material's hreflang links are no longer as we read them")
        return output

    @staticmethod
    def _with_policy(output: str, where: str) -> str:
        define, wrapped = output.find(MD_GET), output.find(MD_GET_WRAPPED)
        if not 0 <= define < wrapped:
            raise PluginError(f"{where}: Material's {MD_GET[:-1]} is not defined before overrides/main.html wraps it")
        try:
            return csp.add_policy(output, where)
        except RuntimeError as exc:
            raise PluginError(str(exc)) from None

    # Last of all: after mkdocs-static-i18n (-100) has built every other language from inside this
    # post-build, once the whole site is written.
    @event_priority(-300)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        i18n = config.plugins["i18n"]
        if i18n.building:
            return  # another language's build, inside the default language's: the site is not whole yet
        codes = list(i18n.build_languages)
        languages = [
            self.languages.get(code) or offline.Language(code=code, site_name=config.site_name) for code in codes
        ]
        try:
            copies = offline.write(Path(config.site_dir), languages, i18n.default_language, serving=self.serving)
        except offline.OfflineError as exc:
            raise PluginError(str(exc)) from None
        for kept in copies:
            log.info(
                f"offline: {offline.WORKER_NAME} keeps {len(kept.pages)} {kept.lang} pages and {len(kept.files)} "
                f"files, {kept.size / 1024 / 1024:.2f} MiB (version {kept.version})"
            )
