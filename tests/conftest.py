"""Shared fixtures: a fresh build of the site, served on 127.0.0.1, and a real Chromium."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import os
import re
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


@contextlib.contextmanager
def _only_one_worker(lock: Path):
    """Hold `lock` while one pytest-xdist worker builds what the others then reuse (POSIX only;
    elsewhere each worker builds its own copy, as before)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_build(tmp_path_factory, name: str, env: dict | None = None) -> Path:
    """The site built once per test run with `env` (e.g. another data file), shared by every worker:
    the first to ask builds it, the others wait and read the same files. Nothing writes into it."""
    env = env or {}
    digest = hashlib.sha256(repr(sorted(env.items())).encode())
    for value in sorted(env.values()):  # a data file edited between two builds is a new build
        if os.path.isfile(value):
            digest.update(Path(value).read_bytes())
    key = digest.hexdigest()[:12]
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # one run's workers share the parent
    dest = shared / f"shared-{name}-{key}"
    with _only_one_worker(shared / f"shared-{name}-{key}.lock"):
        if not (dest / ".complete").exists():
            shutil.rmtree(dest, ignore_errors=True)
            result = build_site(dest, env=env)
            assert result.returncode == 0, result.stderr[-3000:]
            (dest / ".complete").touch()
    return dest


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole site, built strictly from the working tree once per test run. `make test` has just
    built site/ the same way (`make build`, strict) and says so with SO_BUILT_SITE: then a copy of it
    is used, so later builds of site/ cannot change the pages under test."""
    built = os.environ.get("SO_BUILT_SITE")
    if built and (Path(built) / "index.html").is_file() and (Path(built) / "404.html").is_file():
        dest = tmp_path_factory.mktemp("site")
        shutil.copytree(built, dest, dirs_exist_ok=True)
        return dest
    return shared_build(tmp_path_factory, "site")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output readable
        pass

    def end_headers(self) -> None:
        # linkchecker waits 0.1 to 0.6 s before each request to a host, to be polite, unless the
        # server answers with a `LinkChecker` header: our own loopback server does, to linkchecker
        # only, so tests/linkcheckerrc's maxrequestspersecond applies (the same links, checked faster).
        if "LinkChecker/" in self.headers.get("User-Agent", ""):
            self.send_header("LinkChecker", "allow-fast")
        super().end_headers()


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


# What a build needs: a private copy of these lets a test break the data or the pages safely.
PROJECT_PARTS = ["mkdocs.yml", "docs", "overrides", "data", "secondopinions"]


@pytest.fixture
def project(tmp_path) -> Path:
    """A private copy of the project, so a test can break its data or pages."""
    for part in PROJECT_PARTS:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / part)
    return tmp_path


PROGRAM_PAGE = re.compile(r"^(?:[a-z]{2}/)?directory/[a-z0-9-]+/$")


def pages_to_visit(site: Path) -> list[str]:
    """The pages a browser test loops over: every page, except that program pages (one template,
    thirty and more of them) are sampled: the first, the last and the largest. Every program page is
    still checked without a browser (tests/test_site.py, tests/test_csp.py) and the directory tests
    run axe on a program page with hostile data."""
    pages = pages_of(site)
    programs = [p for p in pages if PROGRAM_PAGE.match(p)]
    if len(programs) <= 3:
        return pages
    largest = max(programs, key=lambda p: (site / p / "index.html").stat().st_size)
    sample = {programs[0], programs[-1], largest}
    return [p for p in pages if p not in programs or p in sample]


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
    """The whole site built from another data file (a fixture), as a contributor's change would be;
    once per test run, however many workers ask for it."""
    return shared_build(tmp_path_factory, data_file.stem, {"SO_DATA_FILE": str(data_file)})


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


def _expected_length(item) -> int:
    """0 for the longest tests, 2 for the shortest, from the fixtures a test needs: a browser over
    the built site (every page, light and dark...), then other browser tests and those that serve
    the site (linkchecker), then the rest."""
    needs = set(getattr(item, "fixturenames", ()))
    if "browser" in needs and "site" in needs:
        return 0
    if "browser" in needs or "base_url" in needs:
        return 1
    return 2


def pytest_collection_modifyitems(items) -> None:
    """Every test that drives Chromium is marked `browser`, found by the fixture it needs, so
    `pytest -m "not browser"` runs everything else on a machine without Chromium.

    The longest tests run first (a stable sort, so each file keeps its order within a group): with
    pytest-xdist handing out one test at a time (`make test`: --maxschedchunk 1), no worker is
    left with a long test at the end while the other waits."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    items.sort(key=_expected_length)
