"""mkdocs-macros entry point: a thin adapter from MkDocs to the plain-Python data layer and renderer."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from .programs import ProgramDataError, load_programs, load_schema
from .render import render_directory, write_open_data
from .sheet import LANGUAGES, SheetDataError, load_questions, load_records, render_questions, render_records

DATA_PATH = "data/hospitals.yaml"
SCHEMA_PATH = "data/hospitals.schema.json"
QUESTIONS_PATH = "data/questions.yaml"
RECORDS_PATH = "data/records.yaml"

# Finished, escaped HTML skips Markdown: a macro holds it here and leaves a marker comment, and
# overrides/hooks/raw_html.py puts it back after Markdown (Python-Markdown's raw-HTML pass would
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


def _label(path: Path, project: Path) -> str:
    """The data file as a contributor would name it: relative to the project where possible."""
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return str(path)


# mkdocs-static-i18n builds each language in turn, and each build calls define_env: the directory would
# be read and checked once per language, over a second per thousand programs each time. The checked
# programs are kept for the same file, bytes, schema and day (a changed file is read again, as
# `mkdocs serve` needs); only the last one is kept.
_LOADED: dict[tuple, list] = {}


def _load_programs_once(data_file: Path, schema: dict, label: str) -> list:
    try:
        key = (str(data_file.resolve()), data_file.read_bytes(), json.dumps(schema, sort_keys=True), dt.date.today())
    except OSError:
        return load_programs(data_file, schema=schema, label=label)  # it says what is wrong with the file
    if key not in _LOADED:
        programs = load_programs(data_file, schema=schema, label=label)
        _LOADED.clear()
        _LOADED[key] = programs
    return _LOADED[key]


def define_env(env) -> None:
    """Load and check every data file (the directory, the question sheet, the records checklist)
    once per build; bad data stops the build here, before MkDocs cleans `site/`, so the last good
    site stays in place."""
    project = Path(env.project_dir)
    data_file = Path(os.environ.get("SO_DATA_FILE", project / DATA_PATH))
    schema = load_schema(project / SCHEMA_PATH)
    try:
        programs = _load_programs_once(data_file, schema, _label(data_file, project))
    except ProgramDataError as exc:
        raise PluginError(str(exc)) from None
    env.variables["programs"] = programs
    env.variables["programs_schema"] = schema  # overrides/hooks/program_pages.py builds from both
    try:
        # SO_QUESTIONS_FILE / SO_RECORDS_FILE: build from other files (tests, an editor's draft).
        questions_file = Path(os.environ.get("SO_QUESTIONS_FILE", project / QUESTIONS_PATH))
        records_file = Path(os.environ.get("SO_RECORDS_FILE", project / RECORDS_PATH))
        questions = {
            lang: load_questions(questions_file, label=_label(questions_file, project), lang=lang) for lang in LANGUAGES
        }
        records = {
            lang: load_records(records_file, label=_label(records_file, project), lang=lang) for lang in LANGUAGES
        }
    except SheetDataError as exc:
        raise PluginError(str(exc)) from None

    def page_language() -> str:
        """The page's language: mkdocs-static-i18n gives each file its locale (why.es.md is "es")."""
        locale = getattr(env.page.file, "locale", None) or "en"
        return locale if locale in LANGUAGES else "en"

    @env.macro
    def directory() -> str:
        """The whole directory: filter controls, status line, every program grouped by place
        (data/hospitals.yaml -> load_programs -> render_directory)."""
        env.page.meta.setdefault("assets", []).append("directory")  # its script and styles
        return hold_raw_html(
            render_directory(programs, schema=schema, repo_url=env.conf.get("repo_url"), lang=page_language()),
            after_search=True,
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


def on_post_build(env) -> None:
    """Publish the open data (/data/hospitals.json, .csv and the schema) beside the pages, once: the
    same files for every language, written by the default language's build."""
    i18n = env.conf.plugins.get("i18n")
    if i18n is not None and not i18n.is_default_language_build:
        return
    write_open_data(env.variables["programs"], Path(env.conf["site_dir"]), Path(env.project_dir) / SCHEMA_PATH)
