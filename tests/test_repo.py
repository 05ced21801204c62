"""Repository files a contributor and CI rely on: workflows and forms parse, examples are valid."""

from __future__ import annotations

import re
import sys

import jsonschema
import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from conftest import ROOT
from secondopinions.programs import load_programs, load_schema

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_parse(path):
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow.get("on") or workflow.get(True), "no trigger"  # YAML 1.1 reads `on:` as True
    assert workflow["jobs"], "no jobs"


def test_there_are_test_deploy_and_weekly_link_workflows():
    names = {p.stem for p in WORKFLOWS}
    assert {"test", "deploy", "external-links"} <= names
    test = (ROOT / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8")
    assert "make test" in test
    weekly = yaml.safe_load((ROOT / ".github" / "workflows" / "external-links.yml").read_text(encoding="utf-8"))
    assert weekly[True]["schedule"]


@pytest.mark.parametrize("name", ["outdated-program.yml", "suggest-program.yml"])
def test_issue_forms_parse(name):
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / name).read_text(encoding="utf-8"))
    assert form["name"] and form["description"] and form["body"]


def test_outdated_program_form_has_the_agreed_title():
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "outdated-program.yml").read_text(encoding="utf-8"))
    assert form["name"] == "Report outdated program information"


def test_pre_commit_runs_the_data_check_with_the_projects_python():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [h["entry"] for r in config["repos"] for h in r["hooks"] if "entry" in h]
    # Not a bare `python`: whatever is on PATH may lack the package or its dependencies.
    assert ".venv/bin/python -m secondopinions check" in entries


def test_dependabot_watches_pip_and_github_actions():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert {u["package-ecosystem"] for u in config["updates"]} == {"pip", "github-actions"}


def test_every_installed_dependency_is_locked_to_one_version():
    """`make` installs with requirements-lock.txt as constraints; a package missing from it could
    change under us. pyproject.toml pins Material to one minor version (our partials copy it)."""
    from importlib.metadata import distributions

    locked = {}
    for line in (ROOT / "requirements-lock.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            locked[name.lower().replace("_", "-")] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    for requirement in wanted:
        name = re.split(r"[<>=~!\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in locked, f"{name} is a dependency but not in requirements-lock.txt"
    assert re.search(r'"mkdocs-material~=9\.\d+\.\d+"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    installed = {d.metadata["Name"].lower().replace("_", "-"): d.version for d in distributions()}
    for name, version in locked.items():
        assert installed.get(name) == version, f"{name}: locked {version}, installed {installed.get(name)}"


def test_the_license_is_an_spdx_expression():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT AND CC-BY-4.0"  # a TOML table is deprecated by setuptools
    assert project["license-files"] == ["LICENSE"]


def test_data_file_points_editors_at_the_schema():
    first = (ROOT / "data" / "hospitals.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=hospitals.schema.json"


def test_contributor_template_is_a_valid_entry(tmp_path):
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    template = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "one.yaml"
    path.write_text(template, encoding="utf-8")
    [program] = load_programs(path)
    assert program.id == "example-childrens"


def test_key_table_names_every_schema_field():
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    props = load_schema()["$defs"]["program"]["properties"]
    for key, spec in props.items():
        nested = spec.get("properties")
        for name in [f"{key}.{k}" for k in nested] if nested else [key]:
            assert f"| `{name}` |" in text, name


def test_every_schema_field_has_title_description_and_a_valid_example():
    schema = load_schema()
    props = schema["$defs"]["program"]["properties"]

    def walk(name, spec):
        assert spec.get("title") and spec.get("description") and spec.get("examples"), name
        resolved = {"$defs": schema["$defs"], **spec}
        for example in spec["examples"]:
            jsonschema.Draft202012Validator(resolved).validate(example)
        for sub, subspec in spec.get("properties", {}).items():
            walk(f"{name}.{sub}", subspec)

    for key, spec in props.items():
        if key == "location" or key == "contact":
            for sub, subspec in spec["properties"].items():
                walk(f"{key}.{sub}", subspec)
        else:
            walk(key, spec)
