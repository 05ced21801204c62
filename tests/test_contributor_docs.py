"""What a first-time contributor reads: the steps in CONTRIBUTING.md answer the questions real pages
raise, and data/README.md's key table gives every limit the check enforces."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from secondopinions.programs import load_schema

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
STEPS = CONTRIBUTING[CONTRIBUTING.index("## Correct or add a program, step by step") : CONTRIBUTING.index("## Preview")]
DATA_README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "words",
    [
        "make new-program ID=",  # start an entry from the blank template
        "never an old entry",
        "contact, location",  # a required city that the program's page does not give
        "add that page to `sources`",
        "leave it out when no source states it",  # region
        "health system with several hospitals",
        "`make check`",  # the fast check for a data-only change
        "CHANGELOG.md",  # the changelog rule, with an example line
        "- Directory: ",
    ],
)
def test_the_steps_answer_what_a_first_contribution_needs(words):
    assert words.lower() in STEPS.lower(), words


def test_contributing_says_how_long_each_check_takes():
    assert re.search(r"`make check`.{0,200}?(seconds|a second)", CONTRIBUTING, re.S)
    assert re.search(r"make test[^\n]*\d+ minutes", CONTRIBUTING)


def _rows() -> dict[str, str]:
    rows = {}
    for line in DATA_README.splitlines():
        found = re.match(r"\| `([a-z_.]+)` \|", line)
        if found:
            rows[found.group(1)] = line
    return rows


def _limits():
    """(key-table name, kind, number) for every length and count limit in the schema."""
    schema = load_schema()
    defs = schema["$defs"]
    resolve = lambda spec: {**defs[spec["$ref"].rsplit("/", 1)[-1]], **spec} if "$ref" in spec else spec  # noqa: E731
    for key, spec in defs["program"]["properties"].items():
        spec = resolve(spec)
        subfields = {f"{key}.{k}": resolve(v) for k, v in spec.get("properties", {}).items()}
        for name, s in {key: spec, **subfields}.items():
            items = resolve(s.get("items", {}))
            for kind, number in (
                ("length", s.get("maxLength")),
                ("each", items.get("maxLength")),
                ("count", s.get("maxItems")),
            ):
                if number is not None:
                    yield name, kind, number
            if s.get("minItems"):
                yield name, "at least", s["minItems"]


@pytest.mark.parametrize("name, kind, number", list(_limits()), ids=lambda v: str(v))
def test_the_key_table_gives_every_limit(name, kind, number):
    row = _rows()[name]
    limits = row.rsplit("|", 2)[-2]
    if kind == "length":
        assert f"{number} characters" in limits, row
    elif kind == "each":
        assert f"{number} characters each" in limits, row
    elif kind == "count":
        assert f"to {number}" in limits, row
    else:
        assert "at least 1" in limits or re.search(r"\b1 to \d+", limits), row


def test_make_help_names_the_command_that_starts_an_entry():
    assert "make new-program ID=" in (ROOT / "Makefile").read_text(encoding="utf-8")
