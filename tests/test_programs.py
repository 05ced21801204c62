"""The data layer: each kind of bad input gives one clear line naming file, line, entry and field."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from secondopinions.programs import ProgramDataError, load_programs

TODAY = dt.date(2026, 11, 26)

GOOD = """\
- id: alpha-childrens
  institution: Alpha Children's Hospital
  program: Online Second Opinion
  url: https://alpha.example.org/second-opinion
  location:
    city: Springfield
    region: Ohio
    country: US
  formats: [records-review]
  contact:
    phone: "+1 555-010-0000"
  source: https://alpha.example.org/second-opinion
  checked: 2026-01-15
- id: beta-kids
  institution: Beta Kids
  program: Second Opinions
  url: https://beta.example.org/so
  location:
    city: Toronto
    region: Ontario
    country: CA
  formats: [in-person, video-visit]
  international: true
  source: https://beta.example.org/so
  checked: 2025-06-01
"""


def problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "hospitals.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ProgramDataError) as info:
        load_programs(path, today=TODAY, label="data/hospitals.yaml")
    return info.value.problems


def test_good_data_loads_as_typed_records(tmp_path):
    path = tmp_path / "hospitals.yaml"
    path.write_text(GOOD, encoding="utf-8")
    programs = load_programs(path, today=TODAY)
    assert [p.id for p in programs] == ["alpha-childrens", "beta-kids"]
    assert programs[0].checked == dt.date(2026, 1, 15)
    assert programs[0].contact.phone == "+1 555-010-0000"
    assert programs[1].international is True and programs[0].international is None


def test_the_real_directory_is_valid():
    assert len(load_programs()) >= 6


def test_yaml_syntax_error_names_its_line(tmp_path):
    bad = GOOD.replace("  program: Second Opinions\n", "  program: [Second Opinions\n")
    [line] = problems(tmp_path, bad)
    assert line.startswith("data/hospitals.yaml:")
    # The line of the unclosed bracket itself, shown, in plain words.
    assert line == (
        "data/hospitals.yaml:16: entry 'beta-kids': YAML cannot read this line: a bracket opened here is not closed, "
        "or a comma is missing between values (the line reads: '  program: [Second Opinions')"
    )


def test_empty_file(tmp_path):
    assert problems(tmp_path, "") == [
        "data/hospitals.yaml:1: the file is empty; it should be a list of programs (see data/README.md)"
    ]


def test_comment_only_file_is_empty_too(tmp_path):
    assert "the file is empty" in problems(tmp_path, "# nothing yet\n")[0]


def test_wrong_top_level_type(tmp_path):
    [line] = problems(tmp_path, "id: alpha\ninstitution: Alpha\n")
    assert line == (
        "data/hospitals.yaml:1: the file must be a list of programs, each starting with '- id:' (got a single mapping)"
    )


def test_missing_required_field(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("  program: Second Opinions\n", ""))
    assert line == "data/hospitals.yaml:14: entry 'beta-kids': field 'program': is required but missing"


def test_missing_nested_field(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("    city: Toronto\n", ""))
    assert line == "data/hospitals.yaml:18: entry 'beta-kids': field 'location.city': is required but missing"


def test_wrong_type(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("international: true", "international: maybe"))
    assert line == "data/hospitals.yaml:23: entry 'beta-kids': field 'international': must be true or false (got 'maybe')"


def test_unquoted_phone_number_is_caught(tmp_path):
    # YAML 1.1 reads an unquoted number as an integer (and 0-prefixed ones as octal).
    [line] = problems(tmp_path, GOOD.replace('phone: "+1 555-010-0000"', "phone: 5550100000"))
    assert line.startswith("data/hospitals.yaml:11: entry 'alpha-childrens': field 'contact.phone': must be text")
    assert "(got 5550100000)" in line


def test_http_address_is_refused(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("url: https://alpha.example.org/second-opinion", "url: http://alpha.example.org/so"))
    assert line == (
        "data/hospitals.yaml:4: entry 'alpha-childrens': field 'url': must start with https:// "
        "(got 'http://alpha.example.org/so')"
    )


def test_javascript_address_is_refused(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("source: https://beta.example.org/so", "source: \"javascript:alert(1)\""))
    assert line == (
        "data/hospitals.yaml:24: entry 'beta-kids': field 'source': must start with https:// (got 'javascript:alert(1)')"
    )


def test_quote_inside_address_is_refused(tmp_path):
    bad = GOOD.replace("url: https://beta.example.org/so", "url: 'https://beta.example.org/\"onmouseover=\"x'")
    [line] = problems(tmp_path, bad)
    assert "entry 'beta-kids': field 'url': must be a plain https:// address with no spaces or quotes" in line


def test_duplicate_id(tmp_path):
    bad = GOOD.replace("id: beta-kids", "id: alpha-childrens")
    [line] = problems(tmp_path, bad)
    assert line == (
        "data/hospitals.yaml:14: entry 'alpha-childrens': field 'id': 'alpha-childrens' is used twice "
        "(first at line 1); every id must be unique"
    )


def test_unknown_key_suggests_the_right_one(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("  formats: [records-review]\n", "  formats: [records-review]\n  turnaroud: 5 days\n"))
    assert line == (
        "data/hospitals.yaml:10: entry 'alpha-childrens': field 'turnaroud': unknown field (did you mean 'turnaround'?)"
    )


def test_entries_must_be_sorted_by_id(tmp_path):
    first, second = GOOD.split("- id: beta-kids")
    [line] = problems(tmp_path, "- id: beta-kids" + second + first)
    assert line.endswith("entry 'alpha-childrens': field 'id': entries must be sorted by id: "
                         "'alpha-childrens' should come before 'beta-kids'")


def test_checked_date_in_the_future(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("checked: 2025-06-01", "checked: 2027-01-01"))
    assert line == (
        "data/hospitals.yaml:25: entry 'beta-kids': field 'checked': is in the future (2027-01-01); "
        "use the date you read the source"
    )


def test_checked_must_be_a_date(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("checked: 2025-06-01", "checked: June 2025"))
    assert line == "data/hospitals.yaml:25: entry 'beta-kids': field 'checked': must be a date written YYYY-MM-DD (got 'June 2025')"


def test_unknown_format_lists_the_allowed_ones(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("[in-person, video-visit]", "[in-person, phone-call]"))
    assert line == (
        "data/hospitals.yaml:22: entry 'beta-kids': field 'formats[1]': must be one of: "
        "records-review, video-visit, in-person (got 'phone-call')"
    )


def test_text_that_a_spreadsheet_would_run_is_refused(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("program: Second Opinions", "program: '=HYPERLINK(\"x\")'"))
    assert "entry 'beta-kids': field 'program': must not start with a space or with =, +, - or @" in line


def test_every_problem_is_reported_in_file_order(tmp_path):
    bad = GOOD.replace("url: https://alpha.example.org/second-opinion", "url: http://a.example.org").replace(
        "international: true", "international: 1"
    )
    lines = problems(tmp_path, bad)
    assert len(lines) == 2
    assert ":4: entry 'alpha-childrens'" in lines[0] and ":23: entry 'beta-kids'" in lines[1]


def test_entry_without_an_id_is_named_by_position(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("- id: beta-kids\n  institution", "- institution"))
    assert line == "data/hospitals.yaml:14: entry #2: field 'id': is required but missing"
