"""The build as a contributor meets it: bad data stops it with one clear line and keeps the last good site."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, build_site

PROJECT_PARTS = ["mkdocs.yml", "docs", "overrides", "data", "secondopinions"]


@pytest.fixture
def project(tmp_path):
    """A private copy of the project, so a test can break its data."""
    for part in PROJECT_PARTS:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / part)
    return tmp_path


def test_bad_data_stops_the_build_and_keeps_the_last_good_site(project):
    site = project / "site"
    assert build_site(site, project).returncode == 0
    assert (site / "directory" / "index.html").exists()

    data = project / "data" / "hospitals.yaml"
    text = data.read_text(encoding="utf-8")
    first_url = next(line for line in text.splitlines() if line.startswith("  url: "))
    data.write_text(text.replace(first_url, "  url: http://example.org/old", 1), encoding="utf-8")
    line_no = text.splitlines().index(first_url) + 1

    result = build_site(site, project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"data/hospitals.yaml:{line_no}: entry '" in output
    assert "field 'url': must start with https:// (got 'http://example.org/old')" in output
    assert "Traceback" not in output
    # The last good site is untouched: MkDocs never reached "Cleaning site directory".
    assert (site / "directory" / "index.html").exists()
    assert "Cleaning site directory" not in output


def test_data_check_command_prints_one_line_per_problem(tmp_path):
    bad = tmp_path / "hospitals.yaml"
    text = (ROOT / "data" / "hospitals.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("country: US", "country: USA", 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "secondopinions", "check", str(bad)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "field 'location.country': must be one of: " in lines[0] and "(got 'USA')" in lines[0]
    assert "Traceback" not in result.stderr


def test_data_check_command_accepts_the_real_data():
    result = subprocess.run([sys.executable, "-m", "secondopinions", "check"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "all valid" in result.stdout
