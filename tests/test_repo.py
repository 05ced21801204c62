"""Repository files a contributor and CI rely on: workflows and forms parse, examples are valid."""

from __future__ import annotations

import json
import os
import re
import subprocess
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


def test_make_test_and_pre_commit_run_the_linters_at_pinned_versions():
    """ruff for Python (mistakes and style), Biome for the JavaScript and CSS; each at one version."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [h["entry"] for r in config["repos"] for h in r["hooks"] if "entry" in h]
    for linter in (".venv/bin/ruff check", ".venv/bin/ruff format --check", "node_modules/.bin/biome lint"):
        assert any(e.startswith(linter) for e in entries), linter
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: .*\blint\b", makefile, re.M)
    assert re.search(r'"ruff==\d+\.\d+\.\d+"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", package["devDependencies"]["@biomejs/biome"])
    assert (ROOT / "package-lock.json").exists()


# ---- Publishing on an address of its own (issue 22) ---------------------------------------------


def deploy_workflow() -> dict:
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as true
    return workflow


def test_the_deploy_runs_every_week_so_stale_marks_appear_on_time():
    [schedule] = deploy_workflow()["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit(), schedule


def test_the_deploy_refuses_an_address_other_sites_share_unless_told_to_warn():
    steps = deploy_workflow()["jobs"]["build"]["steps"]
    names = [step.get("name") or step.get("uses") or step.get("run") for step in steps]
    [check] = [step for step in steps if "secondopinions origin" in step.get("run", "")]
    assert "steps.pages.outputs.base_url" in check["run"]
    assert check["env"] == {"ALLOW_SHARED_ORIGIN": "${{ vars.ALLOW_SHARED_ORIGIN }}"}
    assert names.index(check["name"]) < names.index("make build"), "checked before anything is built"


@pytest.mark.parametrize(
    "url, own",
    [
        ("https://example.github.io/second-opinions/", False),
        ("https://Example.GitHub.io/second-opinions", False),
        ("https://example.github.io/", True),
        ("https://secondopinions.example.org/", True),
        ("https://example.org/second-opinions/", True),
    ],
)
def test_an_address_is_its_own_unless_other_project_sites_share_it(url, own):
    from secondopinions.__main__ import origin_problem

    assert (origin_problem(url) is None) == own


def test_the_origin_check_stops_or_warns_in_plain_words():
    def run(url, allow):
        env = {**os.environ, "ALLOW_SHARED_ORIGIN": allow}
        return subprocess.run(
            [sys.executable, "-m", "secondopinions", "origin", url], cwd=ROOT, env=env, capture_output=True, text=True
        )

    shared = run("https://example.github.io/second-opinions/", "")
    assert shared.returncode == 1 and "Traceback" not in shared.stderr
    assert "shared by every project site of that account" in shared.stderr and "ALLOW_SHARED_ORIGIN" in shared.stderr
    warned = run("https://example.github.io/second-opinions/", "true")
    assert warned.returncode == 0 and warned.stdout.startswith("::warning title=")
    own = run("https://example.github.io/", "")
    assert own.returncode == 0 and "an address of the site's own" in own.stdout


def test_readme_and_about_say_what_is_kept_where():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Publishing the site") :]
    assert "ALLOW_SHARED_ORIGIN" in section and "custom domain" in section and "<account>.github.io" in section
    for name, words in (("about.md", "github.io"), ("about.es.md", "github.io")):
        assert words in (ROOT / "docs" / name).read_text(encoding="utf-8"), name
