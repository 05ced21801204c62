"""MkDocs hook: the `long_date` filter, so templates show a page's `reviewed:` date as words."""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from secondopinions.render import long_date


def _long_date(value: object) -> str:
    # YAML front matter gives a date; a quoted value arrives as text.
    if isinstance(value, dt.date):
        return long_date(value)
    return long_date(dt.date.fromisoformat(str(value)))


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    env.filters["long_date"] = _long_date
    return env
