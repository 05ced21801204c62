"""Data files have limits, each said with its number, and checking any file takes a time in proportion
to its size: a crafted 1 MB file is checked in under 5 seconds, whatever its shape (issue 22)."""

from __future__ import annotations

import json
import re
import time

import pytest

from conftest import ROOT
from secondopinions.programs import MAX_FILE_BYTES, ProgramDataError, load_programs, load_schema
from secondopinions.sheet import MAX_FILE_BYTES as SHEET_MAX_BYTES
from secondopinions.sheet import SheetDataError, load_questions
from secondopinions.yamldata import MAX_PROBLEMS

MB = 1024 * 1024

ENTRY = """- id: {id}
  institution: Example Children's Hospital
  program: Second Opinion Program
  url: https://www.example.org/second-opinion
  location: {{city: Springfield, region: Ohio, country: US}}
  sources: [https://www.example.org/second-opinion]
  checked: "2026-01-01"
"""
ONE = ENTRY.format(id="alpha")


SPACED = "- id: a" + " " * 200 + "b\n"

# Directory files of about `size` bytes, each shaped to make some part of the check do the most work.
WORST_SHAPES = {
    # A line YAML cannot read is named by the entry above it: once read with a regular expression that
    # tried every split of the spaces between two words (64 KB: a minute and a half).
    "spaces inside an id above a bad line": lambda size: "- id: a" + " " * size + "b\n  institution: x\n   y: :\n",
    "thousands of such ids above a bad line": lambda size: SPACED * (size // len(SPACED)) + "  y: :\n",
    "one list of a hundred thousand items": lambda size: ONE + "  records:\n" + "    - '=x'\n" * (size // 11),
    "two hundred thousand empty entries": lambda size: "- {}\n" * (size // 5),
    "ten thousand entries, the last an alias": lambda size: (
        ONE.replace("- id: alpha", "- id: &a alpha")
        + "".join(f"- id: b{i:05d}\n  note: {'x' * (size // 10_000)}\n" for i in range(9_990))
        + "- id: *a\n"
    ),
    "sixty thousand fields, each with a hidden character": lambda size: (
        ONE + "".join(f'  f{i}: "a\\u200b"\n' for i in range(size // 16))
    ),
    "sixty thousand fields, each with a line break": lambda size: (
        ONE + "".join(f'  f{i}: "a\\nb"\n' for i in range(size // 16))
    ),
    "plain text running over a hundred thousand list items": lambda size: (
        ONE + "  note: x\n" + "    - y\n" * (size // 8)
    ),
    "an address of a million characters": lambda size: ONE.replace(
        "https://www.example.org/second-opinion\n", "https://" + "a." * (size // 2) + "!\n", 1
    ),
    "an email of a million characters": lambda size: ONE + '  contact: {email: "a@' + "a." * (size // 2) + '!"}\n',
    "a note of a million characters": lambda size: ONE + '  note: "' + "a " * (size // 2) + 'b"\n',
    "an id of a million characters": lambda size: "- id: " + "a-" * (size // 2) + "\n" + ONE.split("\n", 1)[1],
    "brackets nested half a million deep": lambda size: "- id: a\n  note: " + "[" * (size // 2) + "\n",
    "seven thousand entries, all out of order": lambda size: "".join(
        ENTRY.format(id=f"p{99_999 - i:05d}") for i in range(size // len(ONE))
    ),
}


@pytest.mark.parametrize("shape", list(WORST_SHAPES))
def test_a_crafted_1_mb_directory_file_is_checked_in_under_5_seconds(tmp_path, shape):
    path = tmp_path / "hospitals.yaml"
    path.write_text(WORST_SHAPES[shape](MB), encoding="utf-8")
    start = time.process_time()  # this process's own time: other tests running beside it do not count
    with pytest.raises(ProgramDataError) as caught:
        load_programs(path, label="data/hospitals.yaml")
    took = time.process_time() - start
    assert took < 5, f"{shape}: {took:.1f} s"
    lines = caught.value.problems
    assert 1 <= len(lines) <= MAX_PROBLEMS + 1 and all(line.startswith("data/hospitals.yaml") for line in lines)
    assert len(lines) <= MAX_PROBLEMS or lines[-1].endswith("fix these, then run the check again")


def test_a_crafted_sheet_file_at_its_size_limit_is_checked_in_under_5_seconds(tmp_path):
    terms = "".join(f"  w{i}x: glossary-{i}\n" for i in range(SHEET_MAX_BYTES // 30))
    question = "      - id: q{i}\n        text: '{text}'\n"
    questions = "".join(question.format(i=i, text="w1x " * 10) for i in range(SHEET_MAX_BYTES // 100))
    for text in (
        f"terms:\n{terms}groups:\n  - heading: A\n    questions:\n      - id: a\n        text: A?\n",
        f"terms:\n  w1x: a\ngroups:\n  - heading: A\n    questions:\n{questions}",
    ):
        path = tmp_path / "questions.yaml"
        path.write_text(text[: SHEET_MAX_BYTES - 2000] if len(text) > SHEET_MAX_BYTES else text, encoding="utf-8")
        start = time.process_time()
        with pytest.raises(SheetDataError) as caught:
            load_questions(path, label="data/questions.yaml")
        assert time.process_time() - start < 5
        assert any("at most" in line for line in caught.value.problems), caught.value.problems[:3]


# ---- Limits, each said with its number -------------------------------------------------------------


def directory_problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "hospitals.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProgramDataError) as caught:
        load_programs(path, label="data/hospitals.yaml")
    return caught.value.problems


@pytest.mark.parametrize(
    "field, limit", [("records", 20), ("areas_excluded", 60), ("sources", 10), ("eligibility", 10)]
)
def test_every_list_of_an_entry_has_a_limit_said_with_its_number(tmp_path, field, limit):
    items = "".join(
        f"    - https://www.example.org/page-{i}\n" if field == "sources" else f"    - Item {i}\n"
        for i in range(limit + 1)
    )
    entry = ONE.replace("  sources: [https://www.example.org/second-opinion]\n", "") if field == "sources" else ONE
    [line] = directory_problems(tmp_path, entry + f"  {field}:\n{items}")
    assert (
        line == f"data/hospitals.yaml:{entry.count(chr(10)) + 1}: entry 'alpha': field '{field}': "
        f"lists {limit + 1} items, at most {limit}"
    )


def test_the_directory_file_has_a_limit_of_programs_and_of_bytes(tmp_path):
    schema = load_schema()
    assert schema["maxItems"] == 10_000
    path = tmp_path / "hospitals.yaml"
    path.write_text("".join(ENTRY.format(id=f"p{i:05d}") for i in range(4)), encoding="utf-8")
    with pytest.raises(ProgramDataError) as caught:  # the same rule, with a lower limit: quicker to test
        load_programs(path, label="data/hospitals.yaml", schema={**schema, "maxItems": 3})
    assert caught.value.problems == ["data/hospitals.yaml:1: the file lists 4 entries, at most 3"]
    path = tmp_path / "big.yaml"
    with open(path, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # a file that size, without writing it
    with pytest.raises(ProgramDataError) as caught:
        load_programs(path, label="data/hospitals.yaml")
    assert caught.value.problems == [
        f"data/hospitals.yaml: the file is {MAX_FILE_BYTES + 1:,} bytes, at most {MAX_FILE_BYTES:,}; it is far larger "
        "than any data file of the site should be"
    ]


def test_the_sheets_lists_and_files_have_limits_said_with_their_number(tmp_path):
    path = tmp_path / "questions.yaml"
    questions = "".join(f"      - id: q{i}\n        text: Question {i}?\n" for i in range(41))
    path.write_text(f"groups:\n  - heading: A\n    questions:\n{questions}", encoding="utf-8")
    with pytest.raises(SheetDataError) as caught:
        load_questions(path, label="data/questions.yaml")
    assert caught.value.problems == ["data/questions.yaml:3: group #1: field 'questions': lists 41 items, at most 40"]
    with open(path, "wb") as f:
        f.truncate(SHEET_MAX_BYTES + 1)
    with pytest.raises(SheetDataError) as caught:
        load_questions(path, label="data/questions.yaml")
    assert caught.value.problems[0].startswith(
        f"data/questions.yaml: the file is {SHEET_MAX_BYTES + 1:,} bytes, at most"
    )


def test_thousands_of_mistakes_give_the_first_hundred_and_say_there_are_more(tmp_path):
    lines = directory_problems(tmp_path, ONE + "  records:\n" + "    - '=x'\n" * 300)
    assert len(lines) == MAX_PROBLEMS + 1
    assert (
        lines[-1]
        == f"data/hospitals.yaml: more problems than these {MAX_PROBLEMS}; fix these, then run the check again"
    )


def test_the_real_data_is_well_within_its_limits():
    assert (ROOT / "data" / "hospitals.yaml").stat().st_size < MAX_FILE_BYTES / 100
    for name in ("questions", "records"):
        assert (ROOT / "data" / f"{name}.yaml").stat().st_size < SHEET_MAX_BYTES / 4


# ---- No regular expression backtracks on a contributor's text --------------------------------------


def schema_patterns() -> dict[str, str]:
    """Every `pattern` in the data files' schemas, by where it is."""
    found: dict[str, str] = {}

    def walk(node, where):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found[where] = node["pattern"]
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    for name in ("hospitals", "questions", "records"):
        walk(json.loads((ROOT / "data" / f"{name}.schema.json").read_text(encoding="utf-8")), name)
    return found


def code_patterns() -> dict[str, re.Pattern]:
    """Every compiled regular expression the data layer keeps at module level."""
    from secondopinions import programs, render, sheet, yamldata

    return {
        f"{m.__name__}.{name}": value
        for m in (yamldata, programs, sheet, render)
        for name, value in vars(m).items()
        if isinstance(value, re.Pattern)
    }


# Text made of two characters repeated, then one that fails the match: the shape that makes a
# backtracking expression try every split of the run. 10,000 characters: an expression that is linear
# on it takes a millisecond at most; one that is quadratic, seconds.
CHARACTERS = ["a", "A", "0", ".", "-", " ", "@", ":", "/", "#", "'", "\n", "é"]
RUNS = [(a + b) * 5_000 + end for a in CHARACTERS for b in CHARACTERS for end in ("!", "\u200b")]


PATTERNS = sorted({**schema_patterns(), **code_patterns()}.items())


@pytest.mark.parametrize("where, pattern", PATTERNS, ids=[where for where, _ in PATTERNS])
def test_no_regular_expression_is_slow_on_the_worst_text(where, pattern):
    import jsonschema_rs

    compiled = re.compile(pattern) if isinstance(pattern, str) else pattern
    rust = jsonschema_rs.validator_for({"type": "string", "pattern": pattern}) if isinstance(pattern, str) else None
    slowest = (0.0, "")
    for text in RUNS:
        start = time.process_time()
        compiled.search(text)  # as jsonschema applies a `pattern`
        if rust is not None:
            rust.is_valid(text)  # as jsonschema-rs does, before it
        took = time.process_time() - start
        slowest = max(slowest, (took, text[:6]))
    assert slowest[0] < 0.1, f"{where}: {slowest[0]:.2f} s on {slowest[1]!r}…"
