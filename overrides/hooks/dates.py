"""MkDocs hook: the `long_date` filter, so templates show a page's `reviewed:` date as words, in the
page's language (`long_date("es")`: "27 de noviembre de 2026"; secondopinions/words.py)."""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from secondopinions.words import long_date


def _long_date(value: object, lang: str = "en") -> str:
    # YAML front matter gives a date; a quoted value arrives as text.
    date = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return long_date(date, lang)


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    env.filters["long_date"] = _long_date
    return env
