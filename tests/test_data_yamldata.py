"""secondopinions.yamldata on its own: the safe reader every data file goes through (the directory,
and files whose top level is a group of fields, such as a question sheet)."""

from __future__ import annotations

import pytest

from secondopinions.yamldata import DataFileError, parse_yaml, problem_line, read_yaml, shown

SHEET = """\
title: Questions to ask
sections:
  - id: diagnosis
    questions:
      - What kind of cancer is it?
      - How sure are you?
"""


def refused(text: str) -> list[str]:
    with pytest.raises(DataFileError) as info:
        parse_yaml(text, label="data/questions.yaml")
    return info.value.problems


def test_a_file_of_fields_reads_with_lines_by_place():
    doc = parse_yaml(SHEET, label="data/questions.yaml")
    assert doc.data["sections"][0]["questions"][1] == "How sure are you?"
    assert doc.line_of(("sections", 0, "questions", 1)) == 6
    assert doc.line_of(("sections", 0, "missing")) == 3  # the nearest enclosing place
    assert doc.problem(("sections", 0, "questions", 1), "is not a question") == (
        "data/questions.yaml:6: field 'sections[0].questions[1]': is not a question"
    )


def test_problem_line_leaves_out_what_is_not_given():
    assert problem_line("f.yaml", 3, "words") == "f.yaml:3: words"
    assert (
        problem_line("f.yaml", 3, "words", entry="'alpha'", field="url")
        == "f.yaml:3: entry 'alpha': field 'url': words"
    )


def test_shown_makes_hidden_characters_visible_and_uses_no_python_words():
    assert shown("ok\x1b[2K\u202e") == "'ok\\u001b[2K\\u202e'"
    assert [shown(v) for v in (None, True, 3, [1], {"a": 1})] == ["nothing", "true", "3", "a list", "a group of fields"]
    assert shown("x" * 100, limit=10) == "'xxxxxxxxx…'"


def test_a_swallowed_item_in_a_nested_list_is_caught():
    [line] = refused(SHEET.replace("      - How sure", "       - How sure"))
    assert line.startswith(
        "data/questions.yaml:6: field 'sections[0].questions[0]': the line '- How sure are you?' was read"
    )


def test_a_field_name_yaml_reads_as_true_is_refused():
    # YAML 1.1 reads the key `no` as false: a field that silently disappears under another name.
    [line] = refused("title: x\nno: y\n")
    assert line == (
        "data/questions.yaml:2: has a field name YAML does not read as a word ('no'); "
        "put the name in quotes or rename it"
    )


def test_two_documents_are_refused_at_the_second():
    [line] = refused("title: x\n---\ntitle: y\n")
    assert line == (
        "data/questions.yaml:2: YAML cannot read this line: a second document starts here ('---'); "
        "a data file holds one list (the line reads: '---')"
    )


def test_a_tab_used_for_indentation_is_named():
    [line] = refused("title: x\nsections:\n\t- id: a\n")
    assert line.startswith("data/questions.yaml:3: YAML cannot read this line: this line is indented with a tab")
    assert line.endswith("(the line reads: '\\t- id: a')")


def test_a_set_tag_is_refused_before_it_becomes_a_python_set():
    [line] = refused("title: !!set {a, b}\n")
    assert line == "data/questions.yaml:1: field 'title': uses a YAML tag (!!set); write it as plain fields"


def test_a_missing_file_and_a_file_that_is_not_utf8(tmp_path):
    with pytest.raises(DataFileError) as info:
        read_yaml(tmp_path / "nope.yaml", label="data/nope.yaml")
    assert info.value.problems == ["data/nope.yaml: file not found"]
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"title: x\ncity: Qu\xe9bec\n")
    with pytest.raises(DataFileError) as info:
        read_yaml(latin, label="data/latin.yaml")
    assert info.value.problems == ["data/latin.yaml:2: the file is not UTF-8 text; save it as UTF-8"]
