"""MkDocs hook: a page for each program at /directory/<id>/ and its Spanish twin at /es/directory/<id>/,
made from the data by secondopinions.render.render_program_page.

Sending a thousand pages through MkDocs (Markdown, the theme, every hook) took some 13 s per 1,000
programs, and the budget is under 1 s (issue 11). So each language's build sends one page through
MkDocs, a "shell" at directory/so-program-shell/ whose title, description, content and reviewed date
are placeholder words. Every program page sits at the same depth, so every relative link in the
finished shell (styles, scripts, navigation, the search worker) is right for each of them: after the
build, each program's page is the shell with its own words put in, escaped for where they go. Program
ids can never start with `so-` (data/hospitals.schema.json), so the shell meets no program."""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import json
import re
import shutil
from html import escape, unescape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from secondopinions.macros import hold_raw_html
from secondopinions.programs import labels
from secondopinions.render import program_description, program_title, render_program_pages

DEFAULT_LANGUAGE = "en"

# The shell's placeholders: plain ASCII words that Markdown, YAML and the theme pass through unchanged
# and that nothing else on a page says. The id is the one in the shell's address, so its canonical
# link, hreflang links and language switcher all become the program's by the same swap.
SHELL_ID = "so-program-shell"
TITLE = "SOSHELLTITLEQ7X"
DESCRIPTION = "SOSHELLDESCRIPTIONQ7X"
# The content holds an <h1>, as a program's does, so Material adds no heading of its own (content.html).
CONTENT = "<h1>SOSHELLCONTENTQ7X</h1>"
REVIEWED = dt.date(1901, 2, 3)  # the "Last reviewed" line: a program's is the day its facts were checked


def _load_csp():
    """The csp hook's own functions, to check each program page against the shell's policy."""
    spec = importlib.util.spec_from_file_location("so_program_pages_csp", Path(__file__).with_name("csp.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


csp = _load_csp()


# The languages whose builds are under way, innermost last. mkdocs-static-i18n builds English, then
# Spanish from inside the English build's post-build, on the same config: once the Spanish build is
# done, the plugin and the config still say Spanish while the English post-build goes on.
_building: list[str] = []


def on_pre_build(*, config: MkDocsConfig) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is None or not i18n.building:
        _building.clear()  # a new site (`mkdocs serve` rebuilds, or the last build failed midway)
    _building.append(i18n.current_language if i18n is not None else DEFAULT_LANGUAGE)


def _languages(config: MkDocsConfig) -> list[str]:
    i18n = config.plugins.get("i18n")
    return list(i18n.build_languages) if i18n is not None else [DEFAULT_LANGUAGE]


def _prefix(lang: str) -> str:
    """Where a language's pages live: English at the root, Spanish under es/."""
    return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"


def _shell_file(config: MkDocsConfig, lang: str, content: str) -> File:
    return File.generated(
        config, f"{_prefix(lang)}directory/{SHELL_ID}.md", content=content, inclusion=InclusionLevel.NOT_IN_NAV
    )


def _programs(config: MkDocsConfig) -> tuple[list, dict[str, Any]]:
    macros = config.plugins.get("macros")
    if macros is None or "programs" not in macros.variables:
        raise PluginError("program_pages: the macros plugin has not loaded the programs (secondopinions.macros)")
    return macros.variables["programs"], macros.variables["programs_schema"]


# After the i18n plugin (priority -100) has sorted the files by language: it reads every file from
# docs/, and a generated page has no file there.
@event_priority(-200)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    programs, _ = _programs(config)
    for p in programs:
        src_uri = f"directory/{p.id}.md"
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"program_pages: docs/{src_uri} exists; a program's page is made from the data")
    lang = _building[-1]
    meta = "\n".join(
        [
            "---",
            f"title: {TITLE}",
            f"description: {DESCRIPTION}",
            f"reviewed: {REVIEWED.isoformat()}",
            "assets: [program]",
            "hide: [toc]",
            "search: {exclude: true}",  # each program gets its own entry instead (on_post_build)
            "---",
            "",
        ]
    )
    # The content skips Markdown, as the directory's does (overrides/hooks/raw_html.py).
    shell = _shell_file(config, lang, meta + hold_raw_html(CONTENT) + "\n")
    # What the i18n plugin gives each of its pages: the language, and the twin in every language, so
    # the switcher and hreflang links name the other language's shell (then the program's twin).
    shell.locale = lang
    shell.locale_alternate_of = lang
    shell.alternates = {
        other: shell if other == lang else _shell_file(config, other, "") for other in _languages(config)
    }
    files.append(shell)
    return files


_long_date = None


def on_env(env, *, config: MkDocsConfig, files: Files):
    # The theme's own long_date filter (overrides/hooks/dates.py), so the "Last reviewed" line of a
    # program page says its date exactly as the shell said the placeholder's.
    global _long_date
    _long_date = env.filters["long_date"]
    return env


_SCRIPT_OR_TAG = re.compile(r"<script\b.*?</script\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")
_CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
_OPEN_SCRIPT = re.compile(r"<script\b", re.IGNORECASE)
_CLOSE_SCRIPT = re.compile(r"</script\s*>", re.IGNORECASE)


def _cut(shell: str, placeholders: list[str], where: Path) -> list[str]:
    """The shell's HTML cut at its placeholders: text, placeholder, text, placeholder... Each one must
    be there, or every program page would silently lack that part."""
    for word in placeholders:
        if word not in shell:
            raise PluginError(
                f"program_pages: the shell page {where} no longer says {word!r}; update overrides/hooks/program_pages.py"
            )
    return re.split("(" + "|".join(re.escape(w) for w in placeholders) + ")", shell)


def _check_policy(content: str, program_id: str) -> None:
    """The shell's Content-Security-Policy allows its own inline scripts by hash. A program page is the
    shell with escaped text and this content put in, so the policy holds for it as long as the content
    brings no script a browser would run (its JSON-LD is data) and no style or event attribute, which
    the policy would silently drop (csp.py stops the build on those too)."""
    if csp.inline_scripts(content) or len(_OPEN_SCRIPT.findall(content)) != len(_CLOSE_SCRIPT.findall(content)):
        raise PluginError(
            f"program_pages: {program_id}: the page would carry an inline script its policy does not allow"
        )
    blocked = csp.blocked_attributes(content)
    if blocked:
        raise PluginError(
            f"program_pages: {program_id}: the Content-Security-Policy would block a style or event attribute: {blocked[0]}"
        )


# Program pages' search entries per language, until every language is built.
_search_entries: dict[str, list[dict[str, str]]] = {}


# After every other hook and plugin: each page is final (csp.py, languages.py and the i18n plugin change
# pages in the page events), and the i18n plugin (-100) has built the Spanish edition from inside the
# English build and written the sitemap and the merged search index. trim_css.py (0) has seen the
# shell, not the program pages (reading thousands of pages would cost more than building them): their
# markup is the shell's plus the program cards' (program-facts.html), which the directory page carries.
@event_priority(-200)
def on_post_build(*, config: MkDocsConfig) -> None:
    lang = _building.pop()
    programs, schema = _programs(config)
    countries = labels(schema, "country", lang)
    site = Path(config.site_dir)
    shell_dir = site / _prefix(lang) / "directory" / SHELL_ID
    shell_path = shell_dir / "index.html"
    if not shell_path.is_file():
        raise PluginError(f"program_pages: the shell page {shell_path} was not built")
    shell = shell_path.read_text(encoding="utf-8")
    policy = _CSP_META.search(shell)
    if policy is None or policy.group(1) != csp.policy_for(shell):
        raise PluginError("program_pages: the shell page's Content-Security-Policy is missing or not its own")
    shell_date = escape(_long_date(REVIEWED, lang))
    parts = _cut(shell, [SHELL_ID, TITLE, DESCRIPTION, CONTENT, REVIEWED.isoformat(), shell_date], shell_path)
    today = dt.date.today()
    entries = []
    pages = render_program_pages(programs, schema=schema, repo_url=config.repo_url, lang=lang, today=today)
    for p, content in zip(programs, pages):  # content: autoescaped Jinja2 output, finished HTML
        title = escape(program_title(p, lang))
        _check_policy(content, p.id)
        values = {
            SHELL_ID: escape(p.id),
            TITLE: title,
            DESCRIPTION: escape(program_description(p, countries, lang)),
            CONTENT: content,
            REVIEWED.isoformat(): escape(p.checked.isoformat()),
            shell_date: escape(_long_date(p.checked, lang)),
        }
        # re.split keeps each placeholder it cut at, at the odd positions.
        html = "".join(values[part] if i % 2 else part for i, part in enumerate(parts))
        page_dir = site / _prefix(lang) / "directory" / p.id
        page_dir.mkdir(parents=True, exist_ok=True)
        (page_dir / "index.html").write_text(html, encoding="utf-8")
        # Site search finds the page by the program's name and everything it says: an entry as Material
        # makes one for a page, its text the content's words (the JSON-LD left out), escaped as Material
        # escapes them (quotes as they are, so "children's" is a word to search for).
        text = escape(unescape(_SPACE.sub(" ", _SCRIPT_OR_TAG.sub(" ", content)).strip()), quote=False)
        entries.append({"location": f"{_prefix(lang)}directory/{p.id}/", "title": title, "text": text})
    _search_entries[lang] = entries
    shutil.rmtree(shell_dir)  # the shell has done its job: it is not a page of the site
    if not _building:  # the last post-build of all: every language is written, the i18n plugin is done
        _add_to_sitemap(config, programs)
        _add_to_search_index(config)


# The sitemap and the search index list every page. The i18n plugin writes both from the pages it sorted
# by language and never sees these (they are made after it), so they are added once the whole site,
# every language, is written.
_URLSET_END = "</urlset>"
_LOC = re.compile(r"<loc>(.*?)</loc>")


def _add_to_sitemap(config: MkDocsConfig, programs: list) -> None:
    """Each program page with its twins in every language and the day the program's facts were checked."""
    sitemap = Path(config.site_dir) / "sitemap.xml"
    if not sitemap.exists():
        return
    text = sitemap.read_text(encoding="utf-8")
    if _URLSET_END not in text:
        raise PluginError("program_pages: sitemap.xml has no </urlset>; cannot add the program pages")
    base = (config.site_url or "").rstrip("/") + "/"
    listed = set(_LOC.findall(text))
    if any(f"/{SHELL_ID}/" in loc for loc in listed):
        raise PluginError(f"program_pages: sitemap.xml lists the shell page ({SHELL_ID})")
    languages = _languages(config)
    entries = []
    for p in programs:
        twins = {lang: escape(f"{base}{_prefix(lang)}directory/{p.id}/") for lang in languages}
        links = "".join(
            f'        <xhtml:link rel="alternate" hreflang="{lang}" href="{loc}"/>\n' for lang, loc in twins.items()
        )
        for loc in twins.values():
            if loc not in listed:
                entries.append(
                    f"    <url>\n        <loc>{loc}</loc>\n        <lastmod>{p.checked.isoformat()}</lastmod>\n{links}    </url>\n"
                )
    text = text.replace(_URLSET_END, "".join(entries) + _URLSET_END, 1)
    sitemap.write_text(text, encoding="utf-8")
    sitemap.with_suffix(".xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def _add_to_search_index(config: MkDocsConfig) -> None:
    """One entry per program page in each language, after the i18n plugin merged the languages' entries
    (it would drop a Spanish entry whose words are the English one's, as they are until the program
    pages are translated)."""
    index_path = Path(config.site_dir) / "search" / "search_index.json"
    if not index_path.exists():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    if any(f"directory/{SHELL_ID}/" in doc["location"] for doc in index["docs"]):
        raise PluginError(f"program_pages: the search index lists the shell page ({SHELL_ID})")
    for lang in _languages(config):
        index["docs"].extend(_search_entries.get(lang, []))
    # As Material's search plugin writes it.
    index_path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")
