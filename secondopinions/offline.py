"""The offline copy (issue 26): after one visit with a connection, the pages of the language being read
open with none. Plain Python, without MkDocs: the site's MkDocs plugin (secondopinions/plugin.py) calls it once the whole site,
every language, is written.

One service worker, /sw.js, its scope the whole site, keeps a copy of each language a family reads, in a
cache of that language's own: a family reading Spanish keeps no English copy until it opens an English
page. (A worker per language, /es/sw.js with the scope /es/, cannot work: the browser gives the search
worker, /assets/javascripts/workers/search.*.js, to the worker whose scope holds that address, so
Spanish search would find nothing offline.) For each language, read from the built site:
- every page of the language (each folder with an index.html under the language's address, program
  pages and pages generated after the build included);
- everything those pages load by themselves: styles, scripts (Material's hashed bundle among them),
  icons and images, anything a kept stylesheet names with url(), and Material's search worker;
- the search index and the lunr word-list files the search worker loads for the index's languages.
A page that loads a file the site does not have stops the build: the browser would refuse the copy.

What the worker does (secondopinions/templates/offline-worker.js): it keeps the language of the page that
registered it, and of each page that asks once loaded (assets/offline.js). Pages and our own files come
from the network first, so a visit with a connection always shows what is published; the kept copy when
there is no network (or no answer in a few seconds); a short offline page, in the page's language, for a
page not kept. Material's hashed files come from the copy first (their names change with their content).
Each language's cache is named for the worker's scope, the language and its version, a hash of every
file it keeps: a published change makes a new worker, which keeps the new copy of each language the
family has on the next visit with a connection, then deletes the old. Nothing a family types is ever
kept: only the GET responses listed here, stored without query strings."""

from __future__ import annotations

import functools
import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path
from typing import Iterable
from urllib.parse import urljoin, urlsplit

DEFAULT_LANGUAGE = "en"
WORKER_NAME = "sw.js"  # at the site's root: its scope is the whole site
REGISTER_SCRIPT = "assets/offline.js"  # docs/assets/offline.js: registers the worker once a page has loaded
PAGE_SCRIPT = "assets/offline-page.js"  # docs/assets/offline-page.js: the offline page's light or dark scheme
SEARCH_INDEX = "search/search_index.json"  # beside the site's root, as Material's `base` names it
# Folders of files, not pages, at the site's root.
NOT_PAGES = ("assets/", "search/", "data/")
# Material's own built files carry a hash of their content in their names (bundle.a5f9d56c.min.js).
HASHED = re.compile(r"\.[0-9a-f]{8,}\.min\.(?:js|css)$")
WORKER_TEMPLATE = Path(__file__).with_name("templates") / "offline-worker.js"
MANIFEST_MARK = "/*SO_MANIFEST*/null"  # the one line of the template the build fills in

# Where the offline page's links start: the worker puts the site's root path there when it shows the page.
ROOT_MARK = "__SO_ROOT__/"

WORDS = {
    "en": {
        "title": "You are offline",
        "lead": "There is no internet connection right now, and this page is not saved on this device.",
        "kept": "These pages are saved on this device and open without a connection:",
        "programs": "Every program's own page in the directory is saved too.",
        "again": "When you are back online, reload this page.",
        "notes": "Your notes are not part of this copy. They stay in your browser, on this device.",
        "none_yet": "Pages in English are not saved on this device yet. They are saved the first time you "
        "open one with a connection.",
    },
    "es": {
        "title": "Está sin conexión",
        "lead": "Ahora no hay conexión a internet, y esta página no está guardada en este aparato.",
        "kept": "Estas páginas están guardadas en este aparato y se abren sin conexión:",
        "programs": "También está guardada la página de cada programa del directorio.",
        "again": "Cuando vuelva a tener conexión, cargue esta página de nuevo.",
        "notes": "Sus notas no son parte de esta copia. Se quedan en su navegador, en este aparato.",
        "none_yet": "Las páginas en español todavía no están guardadas en este aparato. Se guardan la primera "
        "vez que abre una de ellas con conexión.",
    },
}
# The heading of the list of another language's pages, on a page that says this language is not kept yet.
OTHER_LANGUAGE_KEPT = {
    ("es", "en"): "Estas páginas en inglés sí están guardadas:",
    ("en", "es"): "These pages in Spanish are saved:",
}


class OfflineError(Exception):
    """The offline copy cannot be made as the site is built: one line that says why."""


def prefix(lang: str, default: str = DEFAULT_LANGUAGE) -> str:
    """Where a language's pages live: the default language at the root, the others under <lang>/."""
    return "" if lang == default else f"{lang}/"


@dataclass
class Language:
    """What a language's build said about itself: its code, its site name, its navigation (title and
    page address from the site's root, in order)."""

    code: str
    site_name: str = ""
    nav: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Kept:
    """One language's offline copy: its pages and other files (paths from the site's root; a page is
    its folder, 'why/', the home page ''), their total size in bytes, and its version (set when the
    worker is written, see write())."""

    lang: str
    pages: list[str]
    files: list[str]
    size: int
    version: str

    @property
    def addresses(self) -> list[str]:
        return self.pages + self.files


# --- What each page loads ------------------------------------------------------------------------------

_LOADING_RELS = {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload", "manifest"}
# A start tag that can load something. A <script> is taken whole, so its text is never read as tags;
# group 1 is its attributes.
_LOADING_TAG = re.compile(
    r"""<script\b((?:[^>"']|"[^"]*"|'[^']*')*)>.*?</script\s*>"""
    r"""|<(?:link|img|source|audio|video|track|embed)\b(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.IGNORECASE | re.DOTALL,
)
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")


_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


@functools.lru_cache(maxsize=4096)  # program pages repeat the same tags
def _loads_of_tag(tag: str) -> tuple[str, ...]:
    """The addresses one start tag makes the browser fetch by itself (not links a reader follows)."""
    name = re.match(r"<([a-zA-Z]+)", tag).group(1).lower()
    a = {
        m.group(1).lower(): unescape(next((g for g in m.groups()[1:] if g is not None), ""))
        for m in _ATTRIBUTE.finditer(tag, len(name) + 1)
    }
    found = []
    if name in ("script", "img", "source", "audio", "video", "track", "embed") and a.get("src"):
        found.append(a["src"])
    if name in ("img", "source") and a.get("srcset"):
        found += [part.strip().split(" ")[0] for part in a["srcset"].split(",") if part.strip()]
    if name == "video" and a.get("poster"):
        found.append(a["poster"])
    if name == "link" and a.get("href") and _LOADING_RELS & set(a.get("rel", "").lower().split()):
        found.append(a["href"])
    return tuple(found)


_PLAIN_RELATIVE = re.compile(r"[\w.-][\w./-]*")


def _site_path(base: str, address: str) -> str | None:
    """`address`, as written in the file at `base` (a path from the site's root), as a path from the
    site's root; None for another site, a data: address, or one above the site's root."""
    if not address or address.startswith(("data:", "#", "mailto:", "tel:", "javascript:")):
        return None
    if _PLAIN_RELATIVE.fullmatch(address) and ":" not in address:  # "../assets/x.css": the quick way
        folder = base.rsplit("/", 1)[0] if "/" in base else ""
        joined = posixpath.normpath(posixpath.join(folder, address))
        if joined == ".." or joined.startswith("../"):
            return None
        return "" if joined == "." else joined + ("/" if address.endswith("/") else "")
    joined = urlsplit(urljoin("http://site.invalid/" + base, address))
    if joined.scheme != "http" or joined.netloc != "site.invalid":
        return None
    return joined.path[1:]


def _search_of(page: str, html: str) -> tuple[str, str] | None:
    """Material's search worker and the search index a page uses (its `__config`: the worker's address and
    the site's `base`, beside which Material fetches search/search_index.json), or None without search."""
    config = _CONFIG.search(html)
    settings = json.loads(config.group(1)) if config else {}
    if not settings.get("search"):
        return None
    worker = _site_path(page, settings["search"])
    root = _site_path(page, (settings.get("base") or ".").rstrip("/") + "/")
    return None if worker is None or root is None else (worker, root + SEARCH_INDEX)


def page_loads(site: Path, page: str) -> list[str]:
    """What a built page loads by itself, as paths from the site's root: its styles, scripts, icons and
    images, and Material's search worker and search index when the page has site search."""
    html = (site / page / "index.html").read_text(encoding="utf-8")
    # Only the tags that can load something are read (a build reads every program page, so no HTML parser
    # of the whole page: 50 times slower); a <script>'s text is never read as tags.
    tags = (f"<script{m.group(1)}>" if m.group(1) is not None else m.group(0) for m in _LOADING_TAG.finditer(html))
    addresses = [a for tag in tags for a in _loads_of_tag(tag)]
    found = [p for p in (_site_path(page, a) for a in addresses) if p is not None]
    return list(dict.fromkeys(found + list(_search_of(page, html) or ())))


def page_search(site: Path, page: str) -> tuple[str, str] | None:
    """The search worker and index a built page uses, or None."""
    return _search_of(page, (site / page / "index.html").read_text(encoding="utf-8"))


def search_files(site: Path, search_worker: str, index: str) -> list[str]:
    """The word-list files Material's search worker loads beside itself (../lunr/) for the index's
    languages: the stemmer support, one file per language other than English, the multi-language
    file when there are several, and Japanese's and Thai's segmenters (as Material's worker does)."""
    languages = json.loads((site / index).read_text(encoding="utf-8")).get("config", {}).get("lang", ["en"])
    lunr = search_worker.rsplit("/", 2)[0] + "/lunr/"
    names: list[str] = []
    for lang in languages:
        if lang == "ja":
            names.append("tinyseg.js")
        elif lang in ("hi", "th"):
            names.append("wordcut.js")
        if lang != "en":
            names.append(f"min/lunr.{lang}.min.js")
    if len(languages) > 1:
        names.append("min/lunr.multi.min.js")
    if names:
        names.insert(0, "min/lunr.stemmer.support.min.js")
    return [lunr + n for n in names]


def css_loads(site: Path, sheet: str) -> list[str]:
    """Files a stylesheet names with url() (fonts, images), as paths from the site's root."""
    css = (site / sheet).read_text(encoding="utf-8")
    found = [_site_path(sheet, next(g for g in m.groups() if g is not None)) for m in _CSS_URL.finditer(css)]
    return [p for p in found if p]


# --- Which pages each language keeps ---------------------------------------------------------------------


def pages_of(site: Path, lang: str, languages: Iterable[str], default: str = DEFAULT_LANGUAGE) -> list[str]:
    """Every page of one language in the built site: each folder holding an index.html under the
    language's address, not under another language's, nor a folder of files (assets/, search/...)."""
    own = prefix(lang, default)
    others = tuple(prefix(other, default) for other in languages if other != lang and prefix(other, default))
    pages = []
    for index in sorted(site.rglob("index.html")):
        folder = index.parent.relative_to(site).as_posix()
        path = "" if folder == "." else folder + "/"
        if not path.startswith(own) or path.startswith(others) or path.startswith(NOT_PAGES):
            continue
        pages.append(path)
    return pages


def _file_of(address: str) -> str:
    return address + "index.html" if address == "" or address.endswith("/") else address


def kept_copy(site: Path, lang: str, languages: Iterable[str], default: str = DEFAULT_LANGUAGE) -> Kept:
    """One language's offline copy, read from the built site."""
    languages = list(languages)
    pages = pages_of(site, lang, languages, default)
    if prefix(lang, default) not in pages:
        raise OfflineError(f"offline: the {lang} home page ({prefix(lang, default) or '/'}index.html) was not built")
    files: dict[str, None] = {}
    for page in pages:
        for path in page_loads(site, page):
            if path not in files and not (site / path).is_file():
                raise OfflineError(f"offline: {page or '/'} loads {path}, which is not in the built site")
            files[path] = None
    for path in list(files):
        if path.endswith(".css"):
            files.update(dict.fromkeys(p for p in css_loads(site, path) if (site / p).is_file()))
    if not (site / PAGE_SCRIPT).is_file():
        raise OfflineError(f"offline: the offline page loads {PAGE_SCRIPT}, which is not in the built site")
    files[PAGE_SCRIPT] = None  # the offline page's own script
    search = page_search(site, prefix(lang, default))  # every page has the same search as its home page
    if search:
        worker, index = search
        for path in search_files(site, worker, index):
            if not (site / path).is_file():
                raise OfflineError(f"offline: the search worker {worker} loads {path}, which is not in the built site")
            files[path] = None
    size = sum((site / _file_of(a)).stat().st_size for a in [*pages, *files])
    return Kept(lang=lang, pages=pages, files=sorted(files), size=size, version="")


def _version(site: Path, kept: Kept, offline_pages: dict[str, str]) -> str:
    """A hash of every kept file's address and bytes, the worker's own code and its offline pages: it
    changes exactly when something the copy holds or shows does."""
    digest = hashlib.sha256(WORKER_TEMPLATE.read_bytes())
    digest.update(json.dumps(offline_pages, sort_keys=True).encode("utf-8"))
    for address in kept.addresses:
        digest.update(address.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256((site / _file_of(address)).read_bytes()).digest())
    return digest.hexdigest()[:16]


# --- The offline page ---------------------------------------------------------------------------------------

# Only our own files; no script but our own (assets/offline-page.js, which sets the light or dark scheme).
OFFLINE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; object-src 'none'"
)


def offline_page(
    lang: str,
    site_name: str,
    stylesheets: list[str],
    nav: list[tuple[str, str]],
    nav_lang: str | None = None,
    has_programs: bool = True,
) -> str:
    """The short page the worker shows for a page it does not keep when there is no connection, in
    `lang`. It lists the pages kept (`nav`: title and address from the site's root, in `nav_lang` if
    not `lang`: the other language's copy, when this language has none yet). Every address starts at
    ROOT_MARK, which the worker replaces with the site's root path. Every text is escaped."""
    words = WORDS[lang]
    root = ROOT_MARK
    own_copy = nav_lang in (None, lang)
    lines = [
        "<!doctype html>",
        f'<html lang="{escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{OFFLINE_POLICY}">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        '<meta name="robots" content="noindex">',
        f"<title>{escape(words['title'])} - {escape(site_name)}</title>",
        f'<link rel="icon" href="{root}assets/favicon.svg">',
        *(f'<link rel="stylesheet" href="{root}{escape(sheet)}">' for sheet in stylesheets),
        "</head>",
        '<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="custom" '
        'data-md-color-accent="custom" data-so-offline-page>',
        '<header class="md-header md-header--shadow">',
        f'<nav class="md-header__inner md-grid" aria-label="{escape(site_name)}">',
        f'<a href="{root}{escape(prefix(lang))}" class="md-header__button md-logo">'
        f'<img src="{root}assets/logo.svg" alt="{escape(site_name)}"></a>',
        '<div class="md-header__title"><div class="md-header__ellipsis"><div class="md-header__topic">'
        f'<span class="md-ellipsis">{escape(site_name)}</span></div></div></div>',
        "</nav>",
        "</header>",
        '<div class="md-container">',
        '<main class="md-main"><div class="md-main__inner md-grid"><div class="md-content">',
        '<article class="md-content__inner md-typeset">',
        f"<h1>{escape(words['title'])}</h1>",
        f"<p>{escape(words['lead'] if own_copy else words['none_yet'])}</p>",
    ]
    if nav:
        heading = words["kept"] if own_copy else OTHER_LANGUAGE_KEPT.get((lang, nav_lang), words["kept"])
        list_lang = "" if own_copy else f' lang="{escape(nav_lang)}"'
        lines.append(f"<p>{escape(heading)}</p>")
        lines.append(f"<ul{list_lang}>")
        lines += [f'<li><a href="{root}{escape(address)}">{escape(title)}</a></li>' for title, address in nav]
        lines.append("</ul>")
        if has_programs and own_copy:
            lines.append(f"<p>{escape(words['programs'])}</p>")
    lines += [
        f"<p>{escape(words['notes'])}</p>",
        f"<p>{escape(words['again'])}</p>",
        "</article>",
        "</div></div></main>",
        "</div>",
        f'<script src="{root}{PAGE_SCRIPT}"></script>',
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"


# --- The worker --------------------------------------------------------------------------------------------


def worker_text(copies: list[Kept], offline_pages: dict[str, dict[str, str]], default: str = DEFAULT_LANGUAGE) -> str:
    """The worker: the template with its manifest filled in. Addresses are from the site's root, where
    the worker is. `offline_pages[lang]` holds the language's offline page under "" (listing its own kept
    pages) and, under each other language, the one shown while only that language is kept."""
    manifest = {
        "version": hashlib.sha256("".join(k.version for k in copies).encode("ascii")).hexdigest()[:16],
        "languages": {
            k.lang: {
                "prefix": prefix(k.lang, default),
                "version": k.version,
                "pages": k.pages,
                "files": k.files,
                "offline": offline_pages[k.lang],
            }
            for k in copies
        },
        "hashed": sorted({f for k in copies for f in k.files if HASHED.search(f)}),
    }
    template = WORKER_TEMPLATE.read_text(encoding="utf-8")
    if template.count(MANIFEST_MARK) != 1:
        raise OfflineError(f"offline: {WORKER_TEMPLATE.name} must hold {MANIFEST_MARK} exactly once")
    # JSON is a JavaScript expression; "</" is escaped too, so no text in it can end a <script> anywhere.
    data = json.dumps(manifest, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")
    return template.replace(MANIFEST_MARK, data)


# Development (`mkdocs serve`): no worker, and a worker left on the same address by a local build of the
# site is told to delete its copy and itself at the next page opened, so a preview never shows an old page.
RETIRING_WORKER = """\
/* Second Opinions: no offline copy while the site is previewed (mkdocs serve). A worker that a local
   build left on this address deletes its copies and itself; pages then come from the preview server. */
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const mine = "so-offline " + self.registration.scope + " ";
    for (const name of await caches.keys()) {
      if (name.startsWith(mine)) {
        await caches.delete(name);
      }
    }
    await self.registration.unregister();
  })());
});
"""


def write(site: Path, languages: list[Language], default: str = DEFAULT_LANGUAGE, serving: bool = False) -> list[Kept]:
    """Write the worker into the built site and return each language's copy (none when `serving`: then
    the worker is the retiring one)."""
    if serving:
        (site / WORKER_NAME).write_text(RETIRING_WORKER, encoding="utf-8")
        return []
    codes = [language.code for language in languages]
    copies = [kept_copy(site, code, codes, default) for code in codes]
    by_code = {language.code: language for language in languages}
    navs = {k.lang: [(t, a) for t, a in by_code[k.lang].nav if a in k.pages] for k in copies}
    offline_pages: dict[str, dict[str, str]] = {}
    for kept in copies:
        language = by_code[kept.lang]
        home = prefix(kept.lang, default)
        stylesheets = [f for f in page_loads(site, home) if f.endswith(".css")]
        programs = any(p.startswith(home + "directory/") and p != home + "directory/" for p in kept.pages)
        if kept.lang not in WORDS:
            raise OfflineError(
                f"offline: the offline page has no words in {kept.lang!r}: add them to WORDS in secondopinions/offline.py"
            )
        name = language.site_name or (by_code[default].site_name if default in by_code else "")
        pages = {"": offline_page(kept.lang, name, stylesheets, navs[kept.lang], has_programs=programs)}
        for other in copies:  # while only another language is kept: this language's words, its pages
            if other.lang != kept.lang:
                pages[other.lang] = offline_page(kept.lang, name, stylesheets, navs[other.lang], nav_lang=other.lang)
        offline_pages[kept.lang] = pages
        kept.version = _version(site, kept, pages)
    (site / WORKER_NAME).write_text(worker_text(copies, offline_pages, default), encoding="utf-8")
    return copies
