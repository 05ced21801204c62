"""Links back to the repository: "Edit this page" when the deploy sets REPO_URL and EDIT_URI, none in
a local build, always plain links that load nothing from another host; and the issue form they lead to."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from conftest import DESKTOP, FIXTURE_REPO, ROOT, axe_run, fixture_site

REPO = FIXTURE_REPO
ANCHOR = re.compile(r"<a\b[^>]*>")


@pytest.fixture(scope="module")
def deployed_site(tmp_path_factory) -> Path:
    """The site as the deploy workflow builds it, with the repository's address set (conftest.DEPLOY_ENV),
    from the test data: the links come from the templates, whatever the data."""
    return fixture_site(tmp_path_factory)


def anchors(html: str, needle: str) -> list[str]:
    return [a for a in ANCHOR.findall(html) if needle in a]


def test_a_deployed_page_has_a_plain_edit_link_to_its_file(deployed_site):
    html = (deployed_site / "why" / "index.html").read_text(encoding="utf-8")
    [edit] = anchors(html, 'rel="edit"')
    assert f'href="{REPO}/edit/main/docs/why.md"' in edit
    assert 'title="Edit this page"' in edit  # its accessible name: the link holds only an icon
    assert not re.search(r"\son\w+=|\sstyle=|javascript:", edit), edit


def test_the_repository_link_asks_nothing_of_the_repository_host(deployed_site):
    """Material's own source link fetches stars and forks from the host's API: ours is a plain link."""
    html = (deployed_site / "why" / "index.html").read_text(encoding="utf-8")
    links = anchors(html, f'href="{REPO}"')
    assert links, "the header links to the repository"
    assert not any("data-md-component" in a for a in links), links


def test_a_page_made_from_the_data_has_no_edit_link_to_a_file_that_does_not_exist(deployed_site):
    for page in deployed_site.glob("directory/*/index.html"):
        html = page.read_text(encoding="utf-8")
        assert not anchors(html, 'rel="edit"'), page


@pytest.mark.skipif("REPO_URL" in os.environ or "EDIT_URI" in os.environ, reason="this shell sets REPO_URL or EDIT_URI")
def test_a_local_build_has_no_edit_or_repository_link(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'rel="edit"' not in html and 'class="md-source"' not in html, page


def test_deployed_pages_with_the_links_keep_the_policy_and_pass_axe(fixture_url, new_tab):
    """The deployed pages (conftest.fixture_site) with every link the deploy adds: the edit link, the
    repository link, and the directory's correction links."""
    for width in (1280, 375):
        page = new_tab(viewport=DESKTOP)
        page.set_viewport_size({"width": width, "height": 900})
        errors: list[str] = []
        outside: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((fixture_url, "data:")) else None)
        for path in ["", "why/", "directory/"]:  # the directory: with its correction links too
            page.goto(fixture_url + path, wait_until="load")
            if width == 1280:
                assert page.locator("a[rel=edit]").is_visible()
            violations = axe_run(page)
            assert violations == [], f"/{path} at {width}px: {[v['id'] for v in violations]}"
            page.wait_for_load_state("networkidle")  # watched until the network is quiet
        page.close()
        assert errors == [] and outside == [], (errors, outside)


def test_the_deploy_workflow_sets_the_repository_address():
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    [build] = [s for s in deploy["jobs"]["build"]["steps"] if s.get("run") == "make build"]
    assert build["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    assert build["env"]["EDIT_URI"].startswith("edit/") and build["env"]["EDIT_URI"].endswith("/docs/")


def test_the_outdated_program_form_takes_the_program_id_from_the_link():
    """The site links to issues/new?template=outdated-program.yml&program=<id>: GitHub fills in the
    input whose id is `program`."""
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "outdated-program.yml").read_text(encoding="utf-8"))
    [program] = [item for item in form["body"] if item.get("id") == "program"]
    assert program["type"] == "input"
    assert "filled in" in program["attributes"]["description"]
