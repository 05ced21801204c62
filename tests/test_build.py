"""The build as a contributor meets it: bad data stops it with one clear line and keeps the last good site."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

from conftest import ROOT, build_site


def a_last_good_site(project, built):
    """project/site/ holding a whole site built strictly from the same files (the test run's own build)."""
    site = project / "site"
    shutil.copytree(built, site)
    assert (site / "directory" / "index.html").exists()
    return site


def test_bad_data_stops_the_build_and_keeps_the_last_good_site(project, site):
    site = a_last_good_site(project, site)

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
    result = subprocess.run(
        [sys.executable, "-m", "secondopinions", "check", str(bad)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "field 'location.country': must be one of: " in lines[0] and "(got 'USA')" in lines[0]
    assert "Traceback" not in result.stderr


def test_data_check_command_accepts_the_real_data():
    result = subprocess.run([sys.executable, "-m", "secondopinions", "check"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "all valid" in result.stdout


def build_command(*args: str) -> list[str]:
    """What `make build` runs after checking the data."""
    return [sys.executable, "-m", "secondopinions", "build", *args]


def test_a_failed_build_leaves_the_last_whole_site(project, site):
    # `make build` builds beside site/ and swaps it in only on success. Plain `mkdocs build` had
    # already cleaned and half rewritten site/ when strict mode stopped on a broken link.
    site = a_last_good_site(project, site)
    (site / "stale.txt").write_text("left from an older site", encoding="utf-8")
    # A good build replaces the whole of the old site.
    assert subprocess.run(build_command(), cwd=project, capture_output=True, text=True).returncode == 0
    assert not (site / "stale.txt").exists() and (site / "directory" / "index.html").exists()
    (site / "last-good.txt").write_text("the site before the broken build", encoding="utf-8")
    (project / "docs" / "broken.md").write_text("# Broken\n\n[A missing page](missing.md)\n", encoding="utf-8")

    result = subprocess.run(build_command(), cwd=project, capture_output=True, text=True)
    assert result.returncode != 0
    assert "The build failed; site/ was left as it was." in result.stderr
    assert (site / "last-good.txt").exists() and (site / "directory" / "index.html").exists()
    assert not (site / "broken").exists()
    assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []


def test_a_killed_build_leaves_the_last_whole_site(project, site):
    site = a_last_good_site(project, site)
    (site / "last-good.txt").write_text("the site before the killed build", encoding="utf-8")

    build = subprocess.Popen(
        build_command(), cwd=project, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    # Kill it (and MkDocs under it) as soon as it has written part of the new site.
    while not any(p.is_file() for d in project.glob(".site-build-*") for p in d.rglob("*")):
        assert build.poll() is None and time.monotonic() < deadline, "the build ended before it could be killed"
        time.sleep(0.01)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    assert (site / "last-good.txt").exists() and (site / "directory" / "index.html").exists()

    # The next build clears the half-written folder, even when it stops on bad data.
    data = project / "data" / "hospitals.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("country: US", "country: USA", 1), encoding="utf-8")
    result = subprocess.run(build_command(), cwd=project, capture_output=True, text=True)
    assert result.returncode != 0 and "(got 'USA')" in result.stderr
    assert (site / "last-good.txt").exists()
    assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []


def test_a_data_file_setting_that_names_a_folder_stops_the_build_with_one_line(tmp_path):
    result = build_site(tmp_path / "site", env={"SO_DATA_FILE": str(tmp_path)})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{tmp_path}: is a folder, not a data file" in output
    assert "Traceback" not in output
