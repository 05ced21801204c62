"""MkDocs hook: the `long_date` filter, so templates show a page's `reviewed:` date as words, in the
page's language (`long_date("es")`: "27 de noviembre de 2026", as the writer's directory-ui.es.yaml says)."""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from secondopinions.render import long_date


SPANISH_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                  "octubre", "noviembre", "diciembre")


def _long_date(value: object, lang: str = "en") -> str:
    # YAML front matter gives a date; a quoted value arrives as text.
    date = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if lang == "es":
        return f"{date.day} de {SPANISH_MONTHS[date.month - 1]} de {date.year}"
    return long_date(date)


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    env.filters["long_date"] = _long_date
    return env
