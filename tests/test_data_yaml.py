"""Issues 12 and 15: hostile or mistyped YAML gives one clear line (file:line: entry: field: words),
never a traceback, a hang, or a value that checks as one thing and renders as another."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import jsonschema
import pytest

from conftest import ROOT
from secondopinions.programs import load_programs, load_schema
from secondopinions.render import open_data_json, render_directory
from test_programs import GOOD, TODAY, problems

# Words a parent or volunteer should never meet in a message.
PYTHON_WORDS = re.compile(r"\b(None|NoneType|dict|str|int|bool|True|False|Traceback)\b")


def load(tmp_path, text: str):
    path = tmp_path / "hospitals.yaml"
    path.write_text(text, encoding="utf-8")
    return load_programs(path, today=TODAY, label="data/hospitals.yaml")


def check_cli(path, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "secondopinions", "check", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


# -- One typed shape: what the check accepts is exactly what the build renders -------------------


def test_an_unquoted_date_as_a_phone_number_is_text_for_the_check_and_the_page(tmp_path):
    # YAML 1.1 made this a date: the check passed, then rendering crashed after site/ was cleaned.
    [alpha, _] = load(tmp_path, GOOD.replace('phone: "+1 555-010-0000"', "phone: 2026-01-01"))
    assert alpha.contact.phone == "2026-01-01"
    assert ">2026-01-01</a>" in render_directory([alpha], today=TODAY)


def test_unquoted_dates_in_text_fields_stay_text(tmp_path):
    text = GOOD.replace("    region: Ohio\n", "    region: 2026-01-01\n").replace(
        "  formats: [records-review]\n",
        "  formats: [records-review]\n  ages: 2026-01-02\n  note: 2026-01-03\n  records: [2026-01-04]\n",
    )
    [alpha, beta] = load(tmp_path, text)
    assert (alpha.location.region, alpha.ages, alpha.note, alpha.records) == (
        "2026-01-01",
        "2026-01-02",
        "2026-01-03",
        ("2026-01-04",),
    )
    html = render_directory([alpha, beta], today=TODAY)
    assert "2026-01-03" in html and '"region": "2026-01-01"' in open_data_json([alpha])


def test_the_same_unquoted_date_as_two_ids_is_a_duplicate(tmp_path):
    text = GOOD.replace("id: alpha-childrens", "id: 2026-01-01").replace("id: beta-kids", "id: 2026-01-01")
    [line] = problems(tmp_path, text)
    assert line == (
        "data/hospitals.yaml:14: entry '2026-01-01': field 'id': '2026-01-01' is used twice "
        "(first at line 1); every id must be unique"
    )


def test_an_impossible_date_names_its_line_entry_and_field(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("checked: 2025-06-01", "checked: 2026-02-30"))
    assert line == "data/hospitals.yaml:25: entry 'beta-kids': field 'checked': is not a real date (got '2026-02-30')"


def test_a_quoted_date_in_the_future_is_refused_too(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("checked: 2025-06-01", 'checked: "2099-12-31"'))
    assert line == (
        "data/hospitals.yaml:25: entry 'beta-kids': field 'checked': is in the future (2099-12-31); "
        "use the date you read the source"
    )


def test_a_date_in_the_wrong_form_gets_one_message(tmp_path):
    # Not a second one saying it is not a real date.
    [line] = problems(tmp_path, GOOD.replace("checked: 2025-06-01", "checked: 2025/06/01"))
    assert line == (
        "data/hospitals.yaml:25: entry 'beta-kids': field 'checked': must be a date written YYYY-MM-DD "
        "(got '2025/06/01')"
    )


# -- Line breaks: `$` matches before a final newline ---------------------------------------------


def test_a_date_with_a_line_break_is_one_clear_line(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("checked: 2025-06-01", 'checked: "2026-01-15\\n"'))
    assert line == (
        "data/hospitals.yaml:25: entry 'beta-kids': field 'checked': must be on one line "
        "(it holds a line break: '2026-01-15\\n')"
    )


def test_an_id_with_a_trailing_line_break_is_refused(tmp_path):
    # "alpha\n" beside "alpha" passed every pattern and broke the anchor.
    [line] = problems(tmp_path, GOOD.replace("id: beta-kids", 'id: "alpha-childrens\\n"'))
    assert line.startswith("data/hospitals.yaml:14: entry 'alpha-childrens\\n': field 'id': must be on one line")


@pytest.mark.parametrize(
    "where, value",
    [
        (("id",), "alpha\n"),
        (("url",), "https://alpha.example.org/so\n"),
        (("institution",), "Alpha\n"),
        (("contact", "phone"), "+1 555-010-0000\n"),
        (("contact", "email"), "a@alpha.example.org\n"),
        (("checked",), "2026-01-15\n"),
        (("sources", 0), "https://alpha.example.org/so\n"),
        (("eligibility", 0), "Anyone\n"),
    ],
)
def test_the_published_schema_refuses_a_trailing_line_break(where, value):
    # Others validate our open data with the schema alone: its patterns must hold on their own
    # (written so that ECMA-262 and Python regular expressions agree).
    entry = {
        "id": "alpha",
        "institution": "Alpha",
        "program": "P",
        "url": "https://alpha.example.org/so",
        "location": {"city": "A", "region": "B", "country": "US"},
        "sources": ["https://alpha.example.org/so"],
        "eligibility": ["Anyone"],
        "checked": "2026-01-15",
        "contact": {"email": "a@alpha.example.org"},
    }
    target = entry
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    schema = load_schema()
    validator = jsonschema.Draft202012Validator(schema)
    assert any(e.validator == "pattern" for e in validator.iter_errors([entry]))
    target[where[-1]] = value.rstrip("\n")
    assert not list(validator.iter_errors([entry]))  # the entry is otherwise valid v2


# -- YAML features that hang or mislead -----------------------------------------------------------


def test_nested_aliases_are_refused_at_once(tmp_path):
    # A 719-byte "billion laughs": it used to hang the check and CI.
    laughs = "".join(
        f"- &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
        for prev, name in zip([None, "a", "b", "c", "d", "e", "f", "g", "h"], "abcdefghi")
    )
    path = tmp_path / "laughs.yaml"
    path.write_text(laughs, encoding="utf-8")
    result = check_cli(path, timeout=20)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"{path}:2: entry #2: field '[0]': repeats another value with a YAML alias (*a); write the value out in full"
    ]


def test_deeply_nested_brackets_are_one_clear_line(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(GOOD + "- " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    result = check_cli(path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"{path}:26: entry #3: ") and "is nested too deeply (more than 20 levels)" in line


def test_a_repeated_key_is_refused_at_its_second_line(tmp_path):
    text = GOOD.replace(
        "  url: https://beta.example.org/so\n", "  url: https://beta.example.org/so\n  url: https://evil.example.org/\n"
    )
    [line] = problems(tmp_path, text)
    assert line == "data/hospitals.yaml:18: entry 'beta-kids': field 'url': appears twice (first at line 17); keep one"


def test_yaml_tags_are_refused(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("program: Second Opinions", "program: !!binary U2Vjb25k"))
    assert line == (
        "data/hospitals.yaml:16: entry 'beta-kids': field 'program': uses a YAML tag (!!binary); "
        "write the value as plain text"
    )


# -- Characters that hide, reverse or fake text ---------------------------------------------------


@pytest.mark.parametrize(
    "escape, words",
    [
        ("\\0", "holds a control character (\\u0000); delete it"),
        ("\\e[32m", "holds a control character (\\u001b); delete it"),
        ("\\u202e", "holds an invisible character that changes the direction of text (\\u202e); delete it"),
        ("\\u200b", "holds an invisible character (\\u200b); delete it"),
    ],
)
def test_control_and_invisible_characters_are_refused(tmp_path, escape, words):
    [line] = problems(tmp_path, GOOD.replace("city: Toronto", f'city: "Tor{escape}onto"'))
    assert line == f"data/hospitals.yaml:19: entry 'beta-kids': field 'location.city': {words}"


def test_a_zero_width_space_typed_into_the_file_is_refused(tmp_path):
    # It made the filter miss "boston": the character is in the file itself, not an escape.
    [line] = problems(tmp_path, GOOD.replace("city: Toronto", "city: Tor\u200bonto"))
    assert "field 'location.city': holds an invisible character (\\u200b)" in line


def test_a_raw_nul_in_the_file_names_its_line(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("city: Toronto", "city: Tor\x00onto"))
    assert line == "data/hospitals.yaml:19: holds a control character (\\u0000) that YAML cannot read; delete it"


def test_a_message_cannot_fake_all_valid_in_a_terminal(tmp_path):
    # Escape sequences that erase the line and print "all valid" are shown, not run.
    path = tmp_path / "hospitals.yaml"
    fake = "\\e[1A\\e[2K\\rhospitals.yaml: 2 programs, all valid"
    path.write_text(GOOD.replace("id: beta-kids", f'id: "beta{fake}"'), encoding="utf-8")
    result = check_cli(path)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert "\\u001b[1A" in result.stderr


# -- Empty and merged data -------------------------------------------------------------------------


def test_an_empty_list_is_refused_like_an_empty_file(tmp_path):
    assert problems(tmp_path, "[]\n") == [
        "data/hospitals.yaml:1: the list of programs is empty; add at least one (see data/README.md)"
    ]


def test_a_list_item_indented_too_far_is_caught(tmp_path):
    # The second record was swallowed by the first: "... being checked - Your child's health history".
    text = GOOD.replace(
        "  formats: [records-review]\n",
        (
            "  formats: [records-review]\n"
            "  records:\n"
            "    - Scans and reports being checked\n"
            "     - Your child's health history\n"
        ),
    )
    [line] = problems(tmp_path, text)
    assert line == (
        "data/hospitals.yaml:12: entry 'alpha-childrens': field 'records[0]': the line "
        "'- Your child's health history' was read as part of this text, not as a new list item; "
        "check its indentation: each '- ' should line up with the one above"
    )


# -- YAML's own errors in plain words, at the right line -------------------------------------------


def test_a_field_indented_too_far_says_what_to_check(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("  program: Second Opinions", "    program: Second Opinions"))
    assert line == (
        "data/hospitals.yaml:16: entry 'beta-kids': YAML cannot read this line: a ': ' here cannot start a field. "
        "Check the indentation of this line and the one above it, and put text that holds ': ' in quotes "
        "(the line reads: '    program: Second Opinions')"
    )


def test_text_left_without_a_field_points_at_its_own_line(tmp_path):
    # PyYAML points at the line after the mistake; the mistake is the line with no ': '.
    text = GOOD.replace("  program: Second Opinions\n", "  program:\n  Second Opinions\n")
    [line] = problems(tmp_path, text)
    assert line.startswith(
        "data/hospitals.yaml:17: entry 'beta-kids': YAML cannot read this line: this line has no ': ' after a field name"
    )
    assert line.endswith("(the line reads: '  Second Opinions')")


def test_a_block_moved_out_by_mistake_says_so_in_plain_words(tmp_path):
    text = GOOD.replace(
        "    city: Toronto\n    region: Ontario\n    country: CA\n",
        "  city: Toronto\n  region: Ontario\n  country: CA\n",
    )
    lines = problems(tmp_path, text)
    assert lines[0] == (
        "data/hospitals.yaml:18: entry 'beta-kids': field 'location': has no value; write it "
        "after the ': ', or if its lines follow, indent them further than this line"
    )
    assert not [line for line in lines if PYTHON_WORDS.search(line)]


def test_too_long_says_how_long_and_the_limit(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("program: Second Opinions", "program: " + "x" * 401))
    assert (
        line == "data/hospitals.yaml:16: entry 'beta-kids': field 'program': is too long: 401 characters, at most 400"
    )


@pytest.mark.parametrize(
    "change",
    [
        ("international: true", "international:"),
        ("international: true", "international: yes please"),
        ("country: CA", "country:"),
        ("formats: [in-person, video-visit]", "formats: in-person"),
        ("program: Second Opinions", "program: {a: b}"),
        ('phone: "+1 555-010-0000"', "phone: yes"),
    ],
)
def test_no_message_uses_python_words(tmp_path, change):
    lines = problems(tmp_path, GOOD.replace(*change))
    assert lines and not [line for line in lines if PYTHON_WORDS.search(line)], lines


def test_a_yes_written_for_text_is_shown_as_written(tmp_path):
    [line] = problems(tmp_path, GOOD.replace('phone: "+1 555-010-0000"', "phone: yes"))
    assert line.endswith(
        "field 'contact.phone': must be text (put it in quotes if it is a number or a word like yes/no) (got yes)"
    )


def test_a_data_file_that_is_a_folder_is_one_clear_line(tmp_path):
    result = check_cli(tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"{tmp_path}: is a folder, not a data file"


def test_reserved_id_prefixes_are_refused(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("id: beta-kids", "id: so-q"))
    assert line == (
        "data/hospitals.yaml:14: entry 'so-q': field 'id': must not start with 'so-' or 'in-', "
        "which the directory page keeps for its own parts (got 'so-q')"
    )


def test_good_data_still_loads_with_dates_as_dates(tmp_path):
    [alpha, beta] = load(tmp_path, GOOD)
    assert alpha.checked == dt.date(2026, 1, 15) and beta.checked == dt.date(2025, 6, 1)
