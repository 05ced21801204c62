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


# ---- One build at a time; a stopped build is repaired; a full or read-only disk is one line (issue 22) ----

# A stand-in for MkDocs: writes half a site into the folder it is given, and the rest once the test
# puts a file named "go" beside it, so a second build can start while the first is still building.
# (The real build takes seconds of CPU; what is tested here is the wrapper around it.)
SLOW_MKDOCS = [
    sys.executable,
    "-c",
    (
        "import pathlib, sys, time\n"
        "out = pathlib.Path(sys.argv[-1])\n"
        "(out / 'index.html').write_text('half', encoding='utf-8')\n"
        "deadline = time.monotonic() + 60\n"
        "while not (out.parent / 'go').exists() and time.monotonic() < deadline:\n"
        "    time.sleep(0.01)\n"
        "(out / 'index.html').write_text('whole', encoding='utf-8')\n"
        "print('INFO    -  Documentation built', file=sys.stderr)\n"
    ),
    "--site-dir",
]


def start_build(site, mkdocs) -> subprocess.Popen:
    """`python -m secondopinions build site` in a process of its own, with `mkdocs` as the command that builds."""
    code = (
        "import sys; from pathlib import Path; from secondopinions import __main__ as cli\n"
        f"cli.MKDOCS = {mkdocs!r}\nraise SystemExit(cli.build(Path({str(site)!r})))\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_builds_at_once_wait_for_each_other_and_neither_crashes(tmp_path):
    site = tmp_path / "site"
    first = start_build(site, SLOW_MKDOCS)
    deadline = time.monotonic() + 30
    while not any(tmp_path.glob(".site-build-*/index.html")):  # the first one is building
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.01)
    second = start_build(site, SLOW_MKDOCS)
    said = second.stderr.readline()  # the second one says it waits, while the first is still building
    (tmp_path / "go").touch()
    err = said + "".join(build.communicate(timeout=60)[1] for build in (first, second))
    assert (first.returncode, second.returncode) == (0, 0), err
    assert said == "Another build of site/ is running; this one waits for it to finish.\n"
    assert "Traceback" not in err
    assert (site / "index.html").read_text(encoding="utf-8") == "whole"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")] == []


def test_a_build_killed_between_its_renames_is_repaired_by_the_next_even_if_that_one_fails(
    tmp_path, capsys, monkeypatch
):
    from secondopinions import __main__ as cli

    # What a build killed between its two renames leaves: the last site moved aside, the new one not in place.
    (tmp_path / ".site-old-4242").mkdir()
    (tmp_path / ".site-old-4242" / "index.html").write_text("last whole site", encoding="utf-8")
    (tmp_path / ".site-build-abc").mkdir()
    monkeypatch.setattr(cli, "MKDOCS", [sys.executable, "-c", "import sys; sys.exit(1)", "--site-dir"])
    assert cli.build(tmp_path / "site") == 1  # this build fails...
    assert (tmp_path / "site" / "index.html").read_text(
        encoding="utf-8"
    ) == "last whole site"  # ...yet the site is back
    assert "Put back site/" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")] == []


def test_a_full_disk_inside_mkdocs_is_one_line_and_keeps_the_site(tmp_path, capsys, monkeypatch):
    from secondopinions import __main__ as cli

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("kept", encoding="utf-8")
    crash = (
        "import sys\nprint('INFO    -  Building documentation...', file=sys.stderr)\n"
        "raise OSError(28, 'No space left on device', sys.argv[-1] + '/search/search_index.json')\n"
    )
    monkeypatch.setattr(cli, "MKDOCS", [sys.executable, "-c", crash, "--site-dir"])
    assert cli.build(tmp_path / "site") != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Building documentation" in err
    assert "The build stopped with an error inside MkDocs: OSError: [Errno 28] No space left on device" in err
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "kept"


def test_a_folder_that_cannot_be_written_is_one_line(tmp_path, capsys, monkeypatch):
    from secondopinions import __main__ as cli

    def refuse(*args, **kwargs):
        raise OSError(30, "Read-only file system", str(tmp_path / ".site-build-x"))

    monkeypatch.setattr(cli.tempfile, "mkdtemp", refuse)
    assert cli.build(tmp_path / "site") == 1
    assert capsys.readouterr().err == (
        f"The build could not write beside site/: the folder is on a read-only disk "
        f"({tmp_path / '.site-build-x'}). site/ was left as it was.\n"
    )
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    assert cli.build(tmp_path / "file" / "site") == 1  # its parent is a file
    err = capsys.readouterr().err
    assert err.startswith("The build could not write beside site/:") and "Traceback" not in err
