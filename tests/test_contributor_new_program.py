"""`make new-program ID=...`: a blank, commented entry in its sorted place, which the check refuses
until every field is filled in from a source or deleted."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import new_program  # noqa: E402

from secondopinions.programs import ProgramDataError, load_programs  # noqa: E402
from secondopinions.yamldata import read_yaml  # noqa: E402

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def data(tmp_path) -> Path:
    copy = tmp_path / "hospitals.yaml"
    shutil.copy(ROOT / "data" / "hospitals.yaml", copy)
    return copy


def ids(path: Path) -> list[str]:
    return [item["id"] for item in read_yaml(path).data]


def problems(path: Path) -> list[str]:
    with pytest.raises(ProgramDataError) as caught:
        load_programs(path, today=TODAY)
    return caught.value.problems


def test_the_template_names_every_field_of_the_schema_in_its_order():
    schema = json.loads((ROOT / "data" / "hospitals.schema.json").read_text(encoding="utf-8"))
    props = schema["$defs"]["program"]["properties"]
    expected = []
    for name, spec in props.items():
        if name != "id":
            expected.append(name)
            expected.extend(spec.get("properties", {}))
    assert [name for name, _, _ in new_program.FIELDS] == expected


def test_each_field_has_a_one_line_comment_saying_what_to_put_or_to_delete_it():
    text = new_program.template("example-childrens", TODAY)
    lines = text.splitlines()
    for name, indent, _ in new_program.FIELDS:
        at = lines.index(" " * indent + f"{name}:")
        comment = lines[at - 1].strip()
        assert comment.startswith("# "), name
        assert "REQUIRED" in comment or "delete" in comment, (
            f"{name}: the comment must say to delete it when unsupported"
        )
    required = {"institution", "program", "url", "location", "city", "country", "sources", "checked"}
    assert {name for name, _, words in new_program.FIELDS if words.startswith("REQUIRED")} == required
    assert "today is 2026-11-27" in text


def test_the_entry_goes_in_its_sorted_place_and_the_file_still_reads(data):
    before = ids(data)
    line = new_program.add_entry(data, "chop-new", TODAY)
    after = ids(data)
    assert after == sorted(before + ["chop-new"])
    assert data.read_text(encoding="utf-8").splitlines()[line - 1] == "- id: chop-new"
    # First and last places too.
    new_program.add_entry(data, "aaa-first", TODAY)
    new_program.add_entry(data, "zzz-last", TODAY)
    assert ids(data) == sorted(before + ["chop-new", "aaa-first", "zzz-last"])
    assert data.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=hospitals.schema.json\n")


def test_the_check_refuses_the_unfilled_template_naming_each_blank_field(data):
    line = new_program.add_entry(data, "chop-new", TODAY)
    found = problems(data)
    assert all(p.startswith(f"{data}:") or p.startswith("hospitals.yaml:") or ":" in p for p in found)
    for name, _, _ in new_program.FIELDS:
        if name in ("location", "contact"):
            continue  # their own lines are fine: the blank fields inside them are named
        assert any(
            f"entry 'chop-new': field '" in p
            and re.search(rf"field '(location\.|contact\.)?{name}(\[0\])?'", p)
            and "has no value" in p
            for p in found
        ), name
    assert all("entry 'chop-new'" in p for p in found), "only the new entry is refused"
    assert all(int(p.split(":")[1]) > line for p in found), "each line points into the new entry"


def test_a_filled_in_template_with_unsupported_lines_deleted_passes(data):
    new_program.add_entry(data, "chop-new", TODAY)
    values = {
        "institution": "Example Children's Hospital",
        "program": "Online Second Opinion",
        "url": "https://www.example.org/second-opinion",
        "city": "Springfield",
        "country": "US",
        "cost": '"US$500, paid by the family"',
        "checked": "2026-11-26",
    }
    out, skip_block = [], False
    lines = data.read_text(encoding="utf-8").splitlines()
    start = lines.index("- id: chop-new") - 3
    end = lines.index("  checked:", start) + 1
    for text in lines[start:end]:
        stripped = text.strip()
        if stripped.startswith("#"):
            continue  # the contributor deletes the comments when done
        name = stripped.rstrip(":")
        if stripped.startswith("- id:"):
            out.append(text)
        elif name in values:
            out.append(f"{text} {values[name]}")
        elif name in ("location",):
            out.append(text)
        elif name == "sources":
            out += [text, "    - https://www.example.org/second-opinion"]
            skip_block = True
        elif stripped == "-" and skip_block:
            skip_block = False
        elif stripped == "-" or name in ("eligibility", "records"):
            continue
        else:
            continue  # a field the source does not support: deleted
    data.write_text("\n".join(lines[:start] + out + lines[end:]) + "\n", encoding="utf-8")
    programs = {p.id: p for p in load_programs(data, today=TODAY)}
    assert programs["chop-new"].cost == "US$500, paid by the family"
    assert programs["chop-new"].location.region is None


@pytest.mark.parametrize(
    "bad, words",
    [
        ("chla", "'chla' is already in hospitals.yaml (line "),
        ("Boston Childrens", "is not a valid id: use lowercase letters, digits and single hyphens"),
        ("double--hyphen", "is not a valid id"),
        ("so-directory", "must not start with 'so-' or 'in-'"),
        ("a" * 61, "is too long: 61 characters, at most 60"),
    ],
)
def test_a_bad_or_existing_id_is_refused_with_one_line_and_the_file_is_untouched(data, bad, words):
    before = data.read_bytes()
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "new_program.py"), bad, "--file", str(data)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and words in result.stderr, result.stderr
    assert data.read_bytes() == before


def make(*args: str, env: dict) -> subprocess.CompletedProcess:
    # -o: never set up .venv/ from here, even if the stamp looks old; the tests run in it already.
    return subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed-stamp", "new-program", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )


@pytest.mark.skipif(
    shutil.which("make") is None or not (ROOT / ".venv" / "bin" / "python").exists(),
    reason="needs make and the project's .venv",
)
def test_make_new_program_without_an_id_says_how_and_with_one_adds_it(data):
    before = data.read_bytes()
    missing = make(env={"SO_DATA_FILE": str(data)})
    assert missing.returncode != 0
    assert (
        missing.stderr.splitlines()[0]
        == "new-program: give the new program's id, like: make new-program ID=example-childrens"
    )
    assert data.read_bytes() == before

    added = make("ID=chop-new", env={"SO_DATA_FILE": str(data)})
    assert added.returncode == 0, added.stderr
    assert "added a blank entry 'chop-new'" in added.stdout
    assert "chop-new" in ids(data)
