"""Every data file the site is built from, loaded and checked once per build: the directory, the
question sheet and the records checklist. Plain Python; the MkDocs plugin (plugin.py) names the files."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .programs import Program, load_programs, load_schema
from .sheet import LANGUAGES, Sheet, load_questions, load_records, read_published


@dataclass(frozen=True)
class SiteData:
    programs: list[Program]
    schema: dict[str, Any]
    schema_file: Path
    questions: dict[str, Sheet]  # per page language
    records: dict[str, Sheet]


def _label(path: Path, project: Path) -> str:
    """The data file as a contributor would name it: relative to the project where possible (never
    resolved: a symbolic link is named by itself, not by where it points)."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(project)).as_posix()
    except ValueError:
        return str(path)


# mkdocs-static-i18n builds each language in turn, and each build loads the data: the directory would
# be read and checked once per language, over a second per thousand programs each time. The checked
# programs are kept for the same file, bytes, schema and day (a changed file is read again, as
# `mkdocs serve` needs); only the last one is kept.
_LOADED: dict[tuple, list[Program]] = {}


def _load_programs_once(data_file: Path, schema: dict, label: str) -> list[Program]:
    try:
        if data_file.is_symlink():  # refused by load_programs, unread
            raise OSError
        key = (str(data_file.resolve()), data_file.read_bytes(), json.dumps(schema, sort_keys=True), dt.date.today())
    except OSError:
        return load_programs(data_file, schema=schema, label=label)  # it says what is wrong with the file
    if key not in _LOADED:
        programs = load_programs(data_file, schema=schema, label=label)
        _LOADED.clear()
        _LOADED[key] = programs
    return _LOADED[key]


def load_site_data(
    project: Path,
    *,
    programs: Path,
    schema: Path,
    questions: Path,
    records: Path,
    published: Path,
    docs: Path | None = None,
    own_sheets: bool = True,
) -> SiteData:
    """Load and check every data file (paths relative to `project`, the folder of mkdocs.yml). Raises
    ProgramDataError or SheetDataError, each holding one line per problem. `published`: the ids the
    site's own sheets have published, held to only when `own_sheets` (a test's or a draft's sheets
    are their own); `docs`: where the sheets' linked words lead."""
    programs, schema, questions, records = (project / p for p in (programs, schema, questions, records))
    checked = load_schema(schema)
    ids = read_published(project / published, label=_label(project / published, project)) if own_sheets else None
    return SiteData(
        programs=_load_programs_once(programs, checked, _label(programs, project)),
        schema=checked,
        schema_file=schema,
        questions={
            lang: load_questions(questions, label=_label(questions, project), lang=lang, published=ids, docs=docs)
            for lang in LANGUAGES
        },
        records={
            lang: load_records(records, label=_label(records, project), lang=lang, published=ids, docs=docs)
            for lang in LANGUAGES
        },
    )
