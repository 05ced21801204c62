"""mkdocs-macros entry point: a thin adapter from MkDocs to the plain-Python data layer and renderer."""

from __future__ import annotations

import hashlib
import re

from mkdocs.exceptions import PluginError

from .render import render_directory
from .sheet import LANGUAGES, render_questions, render_records
from .visit import render_save_words, render_visit

# Finished, escaped HTML skips Markdown: a macro holds it here and leaves a marker comment, and
# the plugin (secondopinions/plugin.py) puts it back after Markdown (Python-Markdown's raw-HTML pass would
# take seconds at thousands of programs, and could only get it wrong). HTML held `after_search` is put
# back once the page is finished, after site search has read the page: the directory's cards stay out
# of the search index (each program's own page is in it), and reading them cost seconds per thousand.
_HELD: dict[str, str] = {}
_MARKER = re.compile(r"<!-- so:raw-html(?P<late>-after-search)? [0-9a-f]{16} -->")
_ID = re.compile(r'\sid="([^"]+)"')


class RawHtmlError(Exception):
    """A marker whose HTML is missing: the page would show nothing where the content should be."""


def hold_raw_html(html: str, *, after_search: bool = False) -> str:
    """Keep `html` out of Markdown's way; return the marker that `release_raw_html` swaps back."""
    kind = "so:raw-html-after-search" if after_search else "so:raw-html"
    marker = f"<!-- {kind} {hashlib.sha256(html.encode()).hexdigest()[:16]} -->"
    _HELD[marker] = html
    return marker


def release_raw_html(page_html: str, *, after_search: bool = False) -> tuple[str, set[str]]:
    """The page with each held block put back, and the element ids those blocks bring. Blocks held
    `after_search` are put back only when `after_search` is true; before that, only their ids are
    counted (so links to them are checked while the page is still being built)."""
    anchors: set[str] = set()

    def swap(match: re.Match) -> str:
        try:
            block = _HELD[match.group(0)]
        except KeyError:
            raise RawHtmlError(f"no HTML was held for {match.group(0)}") from None
        anchors.update(_ID.findall(block))
        if bool(match.group("late")) and not after_search:
            return match.group(0)
        return block

    return _MARKER.sub(swap, page_html), anchors


def define_env(env) -> None:
    """The data comes checked from the site's plugin (secondopinions/plugin.py), which loads every data
    file once per build; bad data has already stopped the build there, before MkDocs cleans `site/`."""
    site = env.conf.plugins.get("secondopinions")
    if site is None or site.data is None:
        raise PluginError("macros: the secondopinions plugin must come before macros in mkdocs.yml's plugins")
    data = site.data
    programs, schema, questions, records = data.programs, data.schema, data.questions, data.records

    def page_language() -> str:
        """The page's language: mkdocs-static-i18n gives each file its locale (why.es.md is "es")."""
        locale = getattr(env.page.file, "locale", None) or "en"
        return locale if locale in LANGUAGES else "en"

    @env.macro
    def directory() -> str:
        """The whole directory: filter controls, status line, every program grouped by place
        (data/hospitals.yaml -> load_programs -> render_directory), and the words of the "Save for my
        visit" button the script adds to each program (secondopinions/visit.py)."""
        env.page.meta.setdefault("assets", []).extend(["directory", "visit-save"])  # "visit-save": its button
        # The open data is published once, at /data/: from /directory/ it is ../data/, from /es/directory/ ../../data/.
        data_base = "../" * env.page.url.count("/") + "data/"
        return (
            hold_raw_html(
                render_directory(
                    programs,
                    schema=schema,
                    repo_url=env.conf.get("repo_url"),
                    lang=page_language(),
                    data_base=data_base,
                ),
                after_search=True,
            )
            + "\n\n"
            + hold_raw_html(render_save_words(page_language()))
        )

    @env.macro
    def question_sheet() -> str:
        """The question sheet's form (data/questions.yaml -> load_questions -> render_questions).
        It goes through Markdown, so the strict build checks its glossary links."""
        env.page.meta.setdefault("assets", []).append("sheet")
        lang = page_language()
        return render_questions(questions[lang], lang)

    @env.macro
    def records_checklist() -> str:
        """The records checklist's form (data/records.yaml -> load_records -> render_records)."""
        env.page.meta.setdefault("assets", []).append("sheet")
        lang = page_language()
        return render_records(records[lang], lang)

    @env.macro
    def my_visit() -> str:
        """The My visit page: saved programs, the family's questions and records checklist, and the
        packet they print (secondopinions/visit.py -> visit.html; docs/assets/visit.js fills it in)."""
        env.page.meta.setdefault("assets", []).append("visit")
        lang = page_language()
        return hold_raw_html(
            render_visit(programs, schema=schema, questions=questions[lang], records=records[lang], lang=lang)
        )
