"""mkdocs-macros entry point: a thin adapter from MkDocs to the plain-Python data layer and renderer."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError

from .programs import ProgramDataError, load_programs, load_schema
from .render import render_directory, write_open_data

DATA_PATH = "data/hospitals.yaml"
# Where the directory goes. The HTML is complete and escaped, so it skips Markdown: the hook in
# overrides/hooks/theme.py swaps this marker for it (Python-Markdown's raw-HTML pass would take
# seconds at thousands of programs, and could only get it wrong).
DIRECTORY_MARKER = "<!-- so:directory -->"
SCHEMA_PATH = "data/hospitals.schema.json"


def _label(path: Path, project: Path) -> str:
    """The data file as a contributor would name it: relative to the project where possible."""
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return str(path)


def define_env(env) -> None:
    """Load and check the directory data once per build; bad data stops the build here, before
    MkDocs cleans `site/`, so the last good site stays in place."""
    project = Path(env.project_dir)
    data_file = Path(os.environ.get("SO_DATA_FILE", project / DATA_PATH))
    schema = load_schema(project / SCHEMA_PATH)
    try:
        programs = load_programs(data_file, schema=schema, label=_label(data_file, project))
    except ProgramDataError as exc:
        raise PluginError(str(exc)) from None
    env.variables["programs"] = programs
    env.variables["directory_html"] = lambda: render_directory(programs, schema=schema)

    @env.macro
    def directory() -> str:
        """The whole directory: filter controls, status line, every program grouped by place."""
        return DIRECTORY_MARKER

    @env.macro
    def program_count() -> int:
        """How many programs the directory lists."""
        return len(programs)


def on_post_build(env) -> None:
    """Publish the open data (/data/hospitals.json, .csv and the schema) beside the pages."""
    write_open_data(env.variables["programs"], Path(env.conf["site_dir"]), Path(env.project_dir) / SCHEMA_PATH)
