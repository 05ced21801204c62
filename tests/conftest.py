"""Shared fixtures: a fresh build of the site, served on 127.0.0.1, and a real Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def build_site(dest: Path, project: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a strict MkDocs build of `project` into `dest` and return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        timeout=300,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole site, built once per test session from the working tree."""
    dest = tmp_path_factory.mktemp("site")
    result = build_site(dest)
    assert result.returncode == 0, result.stderr[-3000:]
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output readable
        pass


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="session")
def base_url(site) -> str:
    """The built site served over HTTP on loopback, as a family's browser would get it."""
    server = serve(site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def pages_of(site: Path) -> list[str]:
    """Every page's path on the site ('' for the home page), from the built files."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel.startswith(("assets", "search")):
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None  # fall back to Playwright's own download (`playwright install chromium`)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def build_with_data(tmp_path_factory, data_file: Path) -> Path:
    """The whole site built from another data file (a fixture), as a contributor's change would be."""
    dest = tmp_path_factory.mktemp(data_file.stem)
    result = build_site(dest, env={"SO_DATA_FILE": str(data_file)})
    assert result.returncode == 0, result.stderr[-3000:]
    return dest


@pytest.fixture(scope="session")
def fixture_url(tmp_path_factory) -> str:
    """The site built from tests/fixtures/directory.yaml (six made-up programs), served on loopback."""
    server = serve(build_with_data(tmp_path_factory, ROOT / "tests" / "fixtures" / "directory.yaml"))
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


# axe-core rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices.
# Named explicitly so that WCAG 2.2 rules such as target-size are always run.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
}


def pytest_collection_modifyitems(items) -> None:
    """Every test that drives Chromium is marked `browser`, found by the fixture it needs, so
    `pytest -m "not browser"` runs everything else on a machine without Chromium."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
