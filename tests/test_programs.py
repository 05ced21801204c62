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
  sources: [https://alpha.example.org/second-opinion]
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
  sources: [https://beta.example.org/so]
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
    assert (
        line == "data/hospitals.yaml:23: entry 'beta-kids': field 'international': must be true or false (got 'maybe')"
    )


def test_unquoted_phone_number_is_caught(tmp_path):
    # YAML 1.1 reads an unquoted number as an integer (and 0-prefixed ones as octal).
    [line] = problems(tmp_path, GOOD.replace('phone: "+1 555-010-0000"', "phone: 5550100000"))
    assert line.startswith("data/hospitals.yaml:11: entry 'alpha-childrens': field 'contact.phone': must be text")
    assert "(got 5550100000)" in line


def test_http_address_is_refused(tmp_path):
    [line] = problems(
        tmp_path, GOOD.replace("url: https://alpha.example.org/second-opinion", "url: http://alpha.example.org/so")
    )
    assert line == (
        "data/hospitals.yaml:4: entry 'alpha-childrens': field 'url': must start with https:// "
        "(got 'http://alpha.example.org/so')"
    )


def test_javascript_address_is_refused(tmp_path):
    bad = GOOD.replace(
        "sources: [https://beta.example.org/so]", 'sources: [https://beta.example.org/so, "javascript:alert(1)"]'
    )
    [line] = problems(tmp_path, bad)
    assert line == (
        "data/hospitals.yaml:24: entry 'beta-kids': field 'sources[1]': must start with https:// (got 'javascript:alert(1)')"
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
    [line] = problems(
        tmp_path, GOOD.replace("  formats: [records-review]\n", "  formats: [records-review]\n  turnaroud: 5 days\n")
    )
    assert line == (
        "data/hospitals.yaml:10: entry 'alpha-childrens': field 'turnaroud': unknown field (did you mean 'turnaround'?)"
    )


def test_entries_must_be_sorted_by_id(tmp_path):
    first, second = GOOD.split("- id: beta-kids")
    [line] = problems(tmp_path, "- id: beta-kids" + second + first)
    assert line.endswith(
        "entry 'alpha-childrens': field 'id': entries must be sorted by id: "
        "'alpha-childrens' should come before 'beta-kids'"
    )


def test_checked_date_in_the_future(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("checked: 2025-06-01", "checked: 2027-01-01"))
    assert line == (
        "data/hospitals.yaml:25: entry 'beta-kids': field 'checked': is in the future (2027-01-01); "
        "use the date you read the source"
    )


def test_checked_must_be_a_date(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("checked: 2025-06-01", "checked: June 2025"))
    assert (
        line
        == "data/hospitals.yaml:25: entry 'beta-kids': field 'checked': must be a date written YYYY-MM-DD (got 'June 2025')"
    )


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


# -- Schema v2: sources, and the fields a family filters and reads by -------------------------------


def test_good_data_loads_the_v2_fields(tmp_path):
    text = (
        GOOD.replace("    region: Ontario\n", "")
        .replace(
            "  international: true\n",
            (
                "  international: true\n"
                "  eligibility: [Children with a new diagnosis]\n"
                "  cancer_types: [leukemias, cns-tumors]\n"
                "  report_to: local-doctor\n"
                "  not_for_urgent: true\n"
                "  languages: [fr, en]\n"
                "  interpreters: false\n"
            ),
        )
        .replace(
            "sources: [https://beta.example.org/so]",
            "sources: [https://beta.example.org/so, https://beta.example.org/contact]",
        )
    )
    path = tmp_path / "hospitals.yaml"
    path.write_text(text, encoding="utf-8")
    [alpha, beta] = load_programs(path, today=TODAY)
    assert beta.location.region is None and beta.location.place == "Toronto"
    assert beta.sources == ("https://beta.example.org/so", "https://beta.example.org/contact")
    assert (beta.eligibility, beta.cancer_types, beta.report_to) == (
        ("Children with a new diagnosis",),
        ("leukemias", "cns-tumors"),
        "local-doctor",
    )
    assert (beta.not_for_urgent, beta.languages, beta.interpreters) == (True, ("fr", "en"), False)
    # Absent stays absent: no answer is not "no".
    assert (alpha.cancer_types, alpha.report_to, alpha.not_for_urgent, alpha.interpreters) == ((), None, None, None)
    assert "region" not in beta.as_dict()["location"] and beta.as_dict()["sources"][1].endswith("/contact")


def test_the_old_source_key_says_it_became_the_list_sources(tmp_path):
    [line] = problems(
        tmp_path, GOOD.replace("sources: [https://beta.example.org/so]", "source: https://beta.example.org/so")
    )
    # One line for one mistake: not a second one saying 'sources' is missing.
    assert line == (
        "data/hospitals.yaml:24: entry 'beta-kids': field 'source': unknown field (did you mean 'sources'?): "
        "'source' is now a list, 'sources'; put each page on its own line under 'sources:' as '- https://...', "
        "the program's own page first"
    )


def test_source_beside_sources_is_refused_too(tmp_path):
    text = GOOD.replace(
        "  sources: [https://beta.example.org/so]\n",
        "  sources: [https://beta.example.org/so]\n  source: https://beta.example.org/so\n",
    )
    [line] = problems(tmp_path, text)
    assert line.startswith(
        "data/hospitals.yaml:25: entry 'beta-kids': field 'source': unknown field (did you mean 'sources'?)"
    )


def test_sources_are_required(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("  sources: [https://beta.example.org/so]\n", ""))
    assert line == "data/hospitals.yaml:14: entry 'beta-kids': field 'sources': is required but missing"


def test_empty_sources_are_refused(tmp_path):
    [line] = problems(tmp_path, GOOD.replace("sources: [https://beta.example.org/so]", "sources: []"))
    assert line == "data/hospitals.yaml:24: entry 'beta-kids': field 'sources': must not be empty"


def test_an_http_source_is_refused(tmp_path):
    [line] = problems(
        tmp_path,
        GOOD.replace(
            "sources: [https://beta.example.org/so]",
            "sources: [https://beta.example.org/so, http://beta.example.org/contact]",
        ),
    )
    assert line == (
        "data/hospitals.yaml:24: entry 'beta-kids': field 'sources[1]': must start with https:// "
        "(got 'http://beta.example.org/contact')"
    )


def test_a_source_listed_twice_names_the_repeat(tmp_path):
    text = GOOD.replace(
        "  sources: [https://beta.example.org/so]\n",
        "  sources:\n    - https://beta.example.org/so\n    - https://beta.example.org/so\n",
    )
    [line] = problems(tmp_path, text)
    assert line == (
        "data/hospitals.yaml:26: entry 'beta-kids': field 'sources[1]': lists "
        "'https://beta.example.org/so' twice (first as sources[0]); list each value once"
    )


def test_region_may_be_left_out_but_city_may_not(tmp_path):
    path = tmp_path / "hospitals.yaml"
    path.write_text(GOOD.replace("    region: Ohio\n", ""), encoding="utf-8")
    assert load_programs(path, today=TODAY)[0].location.region is None
    [line] = problems(tmp_path, GOOD.replace("    city: Springfield\n", ""))
    assert line == "data/hospitals.yaml:5: entry 'alpha-childrens': field 'location.city': is required but missing"


@pytest.mark.parametrize(
    "field, value, allowed",
    [
        (
            "cancer_types",
            "[leukaemia]",
            "leukemias, lymphomas, cns-tumors, neuroblastoma, retinoblastoma, kidney-tumors, "
            "liver-tumors, bone-tumors, soft-tissue-sarcomas, germ-cell-tumors, "
            "carcinomas-melanomas, other-cancers, all",
        ),
        ("report_to", "parents", "family, local-doctor, both"),
        ("languages", "[english]", "en, es, fr, it, nl, ar, ru, zh, pl, pt, de"),
    ],
)
def test_an_unknown_code_lists_the_allowed_ones(tmp_path, field, value, allowed):
    [line] = problems(tmp_path, GOOD.replace("  international: true\n", f"  international: true\n  {field}: {value}\n"))
    where = field if field == "report_to" else f"{field}[0]"
    got = value.strip("[]")
    assert (
        line == f"data/hospitals.yaml:24: entry 'beta-kids': field '{where}': must be one of: {allowed} (got '{got}')"
    )


def test_all_cannot_be_combined_with_other_kinds(tmp_path):
    [line] = problems(
        tmp_path, GOOD.replace("  international: true\n", "  international: true\n  cancer_types: [all, leukemias]\n")
    )
    assert line == (
        "data/hospitals.yaml:24: entry 'beta-kids': field 'cancer_types': lists 'all' together with other kinds; "
        "'all' already means every kind, so write either [all] or only the kinds (got 'all', 'leukemias')"
    )


@pytest.mark.parametrize("field", ["not_for_urgent", "interpreters"])
def test_yes_no_fields_must_be_true_or_false(tmp_path, field):
    [line] = problems(
        tmp_path, GOOD.replace("  international: true\n", f"  international: true\n  {field}: sometimes\n")
    )
    assert (
        line == f"data/hospitals.yaml:24: entry 'beta-kids': field '{field}': must be true or false (got 'sometimes')"
    )


def test_eligibility_phrases_are_plain_text(tmp_path):
    [line] = problems(
        tmp_path, GOOD.replace("  international: true\n", "  international: true\n  eligibility: ['=cmd()']\n")
    )
    assert line.startswith("data/hospitals.yaml:24: entry 'beta-kids': field 'eligibility[0]': must not start with")


def test_all_listed_twice_is_a_repeat_not_a_combination(tmp_path):
    [line] = problems(
        tmp_path, GOOD.replace("  international: true\n", "  international: true\n  cancer_types: [all, all]\n")
    )
    assert line.endswith("field 'cancer_types[1]': lists 'all' twice (first as cancer_types[0]); list each value once")
