"""data/README.md, the contributor's guide to the directory data: its examples load, its template
shows every field, and its key table names every field with its allowed values."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from secondopinions.programs import labels, load_programs, load_schema

README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```yaml\n(.*?)```", README, re.S)


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.split("\n", 1)[0])
def test_every_yaml_example_is_a_valid_entry(tmp_path, block):
    path = tmp_path / "one.yaml"
    path.write_text(block, encoding="utf-8")
    [program] = load_programs(path)
    assert program.sources[0] == program.url  # the program's own page first, as the rules say


def test_the_template_comes_first_and_shows_every_field(tmp_path):
    # Tests elsewhere take the first yaml block as the template; it must hold every field of schema v2.
    template = BLOCKS[0]
    assert template.startswith("- id: example-childrens\n")
    props = load_schema()["$defs"]["program"]["properties"]
    for key, spec in props.items():
        for name in spec.get("properties", {None: None}):
            written = name or key
            assert re.search(rf"^\s+-?\s*{written}:", template, re.M) or template.startswith(f"- {written}:"), written


def test_a_block_without_a_region_is_an_example_of_grouping_by_city(tmp_path):
    path = tmp_path / "example.yaml"
    path.write_text(BLOCKS[1], encoding="utf-8")
    [program] = load_programs(path)
    assert program.location.region is None and len(program.sources) > 1


@pytest.mark.parametrize("field", ["cancer_types", "report_to", "languages"])
def test_key_table_lists_every_allowed_code(field):
    [row] = [line for line in README.splitlines() if line.startswith(f"| `{field}` |")]
    for code in labels(load_schema(), field):
        assert f"`{code}`" in row, code


def test_sourcing_rules_are_written_down():
    rules = README[README.index("## Where each fact comes from") :]
    assert "add that page to `sources`" in rules
    assert "Leave `region` out when no source states it" in rules
    assert "health system with several hospitals" in rules
