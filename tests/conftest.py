"""Shared fixtures: a fresh build of the site, served on 127.0.0.1, and a real Chromium."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import io
import json
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


# Every address serve() has opened in this worker: the browser's storage for each is cleared before a
# test's first tab (see new_tab), so no test meets what an earlier one kept.
SERVED_ORIGINS: set[str] = set()


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    SERVED_ORIGINS.add(f"http://127.0.0.1:{server.server_address[1]}")
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


def chromium_path(full: bool = False) -> str | None:
    """The Chromium the tests drive. Debian's chromium-headless-shell when installed (`make browser`
    installs it beside chromium): the same Chromium release built for headless runs only, as
    Playwright runs its own tests; it renders, runs scripts and prints as chromium does, for about a
    quarter less CPU over the whole run (measured: 162 s instead of 212 s for `make test`'s tests on
    2 cores). `full`: the whole browser, for what only it honours (a profile's settings that block
    storage, tests/test_storage.py)."""
    for name in (() if full else ("chromium-headless-shell",)) + ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None  # fall back to Playwright's own download (`playwright install chromium`)


def launch_options(full: bool = False) -> dict:
    """Where Playwright finds the Chromium to launch (chromium_path): Debian's, or Playwright's own
    download, whose headless default is its headless shell and whose "chromium" channel is the whole
    browser."""
    path = chromium_path(full)
    if path:
        return {"executable_path": path}
    return {"channel": "chromium"} if full else {}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(**launch_options(), args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def keeper_url(tmp_path_factory) -> str:
    """A blank page on loopback, with no script. Each context keeps it open in a tab of its own: while a
    page of 127.0.0.1 is open, Chromium opens the next tab of the site in the same renderer, where
    Material's scripts are already compiled, instead of starting a renderer for each test's tab
    (measured: about half a second of CPU per test)."""
    folder = tmp_path_factory.mktemp("keeper")
    (folder / "index.html").write_text("<!doctype html><title>Keeps the renderer open</title>", encoding="utf-8")
    server = serve(folder)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _Context:
    """One of the worker's browser contexts: the options it was made with, its keeper tab, and the
    tabs that earlier tests gave back, ready for the next."""

    def __init__(self, browser, keeper_url: str, init_scripts: tuple[str, ...], options: dict):
        self.options = options
        # Service workers only where a test asks for them (service_workers="allow", tests/test_offline.py):
        # every test is a first visit, and the offline copy the site's worker fetches after each first
        # page would only cost every other test time.
        self.context = browser.new_context(**{"service_workers": "block", **options})
        for script in init_scripts:
            self.context.add_init_script(script)
        self.keeper = self.context.new_page()
        self.keeper.goto(keeper_url)
        self.spare: list = []


@pytest.fixture(scope="session")
def contexts(browser, keeper_url):
    """The worker's browser contexts, one for each set of options (Playwright's new_context options,
    plus init_scripts: scripts added before any page script runs), made when first asked for and kept
    to the end of the run, each with its keeper tab (keeper_url). A new context for every test cost
    each test a new renderer and a cold cache, Material's scripts fetched and compiled again: about a
    second of CPU a test, measured. Tests take tabs from these contexts with new_tab."""
    made: dict[str, _Context] = {}

    def context_for(init_scripts: tuple[str, ...] = (), **options) -> _Context:
        key = repr((init_scripts, sorted(options.items())))
        if key not in made:
            made[key] = _Context(browser, keeper_url, init_scripts, options)
        return made[key]

    yield context_for
    for made_context in made.values():
        made_context.context.close()


def forget_storage(page) -> None:
    """Clear what every test site stored in the page's context (local storage, cookies, IndexedDB,
    Cache Storage...; Chromium's Storage.clearDataForOrigin), as in a new context. The HTTP cache
    stays, as for a reader who has visited before."""
    cdp = page.context.new_cdp_session(page)
    try:
        for origin in sorted(SERVED_ORIGINS):
            cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
    finally:
        cdp.detach()


# Page methods whose effect outlives the test and that new_tab does not undo: a tab on which a test
# called one is closed after it, not given to the next test.
_LASTING = (
    "add_init_script",
    "expose_binding",
    "expose_function",
    "set_extra_http_headers",
    "route_from_har",
    "route_web_socket",
    "set_default_timeout",
    "set_default_navigation_timeout",
)
# Playwright's defaults for a context made without these options.
_DEFAULT_VIEWPORT = {"width": 1280, "height": 720}
_DEFAULT_MEDIA = {
    "color_scheme": "light",
    "reduced_motion": "no-preference",
    "forced_colors": "none",
    "contrast": "no-preference",
}


class _Lent:
    """A tab lent to one test, with the event listeners the test adds to it and whether the test
    changed it for good (_LASTING)."""

    def __init__(self, tab):
        self.tab, self.listeners, self.changed = tab, [], False
        for name in ("on", "once"):

            def listen(event, handler, _add=getattr(type(tab), name)):
                self.listeners.append((event, handler))
                _add(tab, event, handler)

            setattr(tab, name, listen)
        for name in _LASTING:

            def change(*args, _call=getattr(type(tab), name), **kwargs):
                self.changed = True
                return _call(tab, *args, **kwargs)

            setattr(tab, name, change)

    def give_back(self, made: _Context) -> None:
        """Make the tab what a new tab of its context is, and keep it for the next test; close it if
        that cannot be done."""
        tab = self.tab
        for name in ("on", "once", *_LASTING):
            tab.__dict__.pop(name, None)
        if tab.is_closed():
            return
        try:
            if self.changed:
                raise RuntimeError("changed for good")
            for event, handler in self.listeners:
                tab.remove_listener(event, handler)
            tab.unroute_all(behavior="ignoreErrors")
            with contextlib.suppress(Exception):  # what the page kept in its tab (the site keeps nothing there)
                tab.evaluate("sessionStorage.clear()")
            tab.goto("about:blank")
            cdp = tab.context.new_cdp_session(tab)
            cdp.send("Page.resetNavigationHistory")  # Back cannot reach an earlier test's pages
            cdp.detach()
            tab.set_viewport_size(made.options.get("viewport", _DEFAULT_VIEWPORT))
            tab.emulate_media(media="null", **{k: made.options.get(k, v) for k, v in _DEFAULT_MEDIA.items()})
        except Exception:
            with contextlib.suppress(Exception):
                tab.close()
            return
        made.spare.append(tab)


@pytest.fixture
def new_tab(contexts):
    """new_tab(**options) gives the test a tab in the worker's context with those options (see
    contexts), as a first visit finds it: the test's first tab in a context comes with every test
    site's storage cleared. A tab opens at about:blank, at the context's size and media, with no
    history, listeners or routes: a new one, or one an earlier test gave back and new_tab reset to
    that (opening a tab and its first page costs more than opening a page in a tab already open:
    measured, about 0.4 s of CPU a test). Tabs the test opened itself (context.new_page()) are closed."""
    lent: list[tuple[_Context, _Lent]] = []

    def open_tab(init_scripts: tuple[str, ...] = (), **options):
        made = contexts(tuple(init_scripts), **options)
        tab = made.spare.pop() if made.spare else made.context.new_page()
        if not any(m is made for m, _ in lent):
            forget_storage(tab)
        lent.append((made, _Lent(tab)))
        return tab

    yield open_tab
    for made, tab in lent:
        tab.give_back(made)
    for made in {id(m): m for m, _ in lent}.values():
        for tab in made.context.pages:
            if tab is not made.keeper and tab not in made.spare:
                tab.close()


DESKTOP = {"width": 1280, "height": 900}


# A profile setting that blocks every site's storage: "Block all cookies and site data".
STORE_IS_BLOCKED = {"profile": {"default_content_setting_values": {"cookies": 2}}}


@pytest.fixture(scope="session")
def storage_blocked_browser(browser, tmp_path_factory, keeper_url):
    """A Chromium whose settings block every site's storage, as a family's strict settings can (the
    whole browser: the headless shell the other tests drive does not read a profile's settings): one
    per worker, launched when first needed. It keeps nothing for a site, so its tests can share it
    (a new tab each, beside its first tab, which keeps the renderer: see keeper_url)."""
    profile = tmp_path_factory.mktemp("storage-blocked-profile")
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text(json.dumps(STORE_IS_BLOCKED), encoding="utf-8")
    context = browser.browser_type.launch_persistent_context(
        str(profile), **launch_options(full=True), args=CHROMIUM_FLAGS, viewport=DESKTOP
    )
    context.pages[0].goto(keeper_url)
    yield context
    context.close()


@pytest.fixture
def blocked(storage_blocked_browser):
    """A new tab in the Chromium that blocks storage (tests/test_storage.py, tests/test_visit.py)."""
    page = storage_blocked_browser.new_page()
    yield page
    page.close()


# The papers every printing test prints on.
PAPERS = ["Letter", "A4"]


def printed(page, paper: str) -> tuple[int, str]:
    """Print the open page as Chromium would on `paper`, without background colours; return the number
    of pages and the text on them, each run of spaces and line breaks made one space."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=False)))
    return len(reader.pages), " ".join("\n".join(p.extract_text() for p in reader.pages).split())


@pytest.fixture
def page(new_tab):
    """A new tab at desktop size, with nothing stored from an earlier test."""
    return new_tab(viewport=DESKTOP)


def build_with_data(tmp_path_factory, data_file: Path) -> Path:
    """The whole site built from another data file (a fixture), as a contributor's change would be;
    once per test run, however many workers ask for it."""
    return shared_build(tmp_path_factory, data_file.stem, {"SO_DATA_FILE": str(data_file)})


# What the deploy workflow sets and a local build does not: the repository's address, and where a
# page's file is edited (an "Edit this page" link on each page, a correction link on each program).
FIXTURE_REPO = "https://github.com/example/second-opinions"
DEPLOY_ENV = {"REPO_URL": FIXTURE_REPO, "EDIT_URI": "edit/main/docs/"}


def fixture_site(tmp_path_factory) -> Path:
    """The site built from the test data as the deploy workflow builds it (DEPLOY_ENV), once per run:
    tests/fixtures/directory.yaml (six made-up programs) and tests/fixtures/questions-full.yaml (the
    question sheet with everything the editor will add). One build for the directory, sheet and
    repository-link tests. The site under test (site, base_url) is the local build of the real data,
    without the deploy's links."""
    env = {
        "SO_DATA_FILE": str(ROOT / "tests" / "fixtures" / "directory.yaml"),
        "SO_QUESTIONS_FILE": str(ROOT / "tests" / "fixtures" / "questions-full.yaml"),
        **DEPLOY_ENV,
    }
    return shared_build(tmp_path_factory, "fixtures", env)


@pytest.fixture(scope="session")
def fixture_url(tmp_path_factory) -> str:
    """The site built from the test data (fixture_site), served on loopback."""
    server = serve(fixture_site(tmp_path_factory))
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


# Every policy violation the page meets, kept where the test can read it; added before any page script runs.
RECORD_VIOLATIONS = """
window.soViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.soViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


# How each element that takes focus shows it, read as it takes focus (after the page's own handlers).
RECORD_FOCUS = """
window.soFocused = [];
window.addEventListener("focusin", (event) => {
  const e = event.target;
  if (!(e instanceof Element) || e === document.body) return;
  const s = getComputedStyle(e);
  window.soFocused.push({tag: e.tagName + "." + e.className, outline: s.outlineStyle,
                         width: parseFloat(s.outlineWidth), shadow: s.boxShadow});
});
"""


def site_search(page, words: str, result: str) -> None:
    """Search the site as a reader does (Material searches on key presses, in the header's box at
    desktop width) and wait for a result link matching the CSS selector `result`."""
    page.click("input.md-search__input")
    page.keyboard.press("Control+A")  # a second search replaces the first one's words
    page.keyboard.type(words)
    page.wait_for_selector(f".md-search-result__item {result}", timeout=10000)


# axe-core rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices.
# Named explicitly so that WCAG 2.2 rules such as target-size are always run.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
}

# Of those rules, the ones whose result can change when only colours change: the contrast of text, and
# links told apart from the text around them. Every other rule reads the page's elements, their ARIA,
# their text, and where and whether they show, which switching to dark mode does not change (the dark
# pass checks that it did not, element by element: see axe_light_and_dark).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@functools.cache
def _axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script  # the axe-core that axe-playwright-python ships, at its pinned version


def axe_run(page, options: dict = AXE_OPTIONS, include: str | None = None) -> list[dict]:
    """axe-core's violations on the page as it is now (only inside `include`, a selector, if given).
    axe is added to the page once per page load, not once per run."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_script())
    return page.evaluate(
        "([include, options]) => axe.run(include ? {include: [include]} : document, options).then(r => r.violations)",
        [include, options],
    )


def describe(violations: list[dict], where: str = "") -> list[str]:
    """One line per violation: where, the rule, what it asks and the first few elements it found."""
    prefix = f"{where} " if where else ""
    return [f"{prefix}{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}" for v in violations]


# Forget the reader's light or dark choice (Material keeps it as "<site path>.__palette"), so the next page
# opens in the scheme the system asks for, as on a first visit. An init script (context.add_init_script):
# Material stores the choice a moment after the switch, so removing it from the page could come too early.
FORGET_SCHEME = (
    "Object.keys(localStorage).filter(k => k.endsWith('.__palette')).forEach(k => localStorage.removeItem(k))"
)

# The tab the accessibility and policy checks open pages in, new_tab(**CHECKED): at desktop size,
# recording policy refusals (RECORD_VIOLATIONS) and focus (RECORD_FOCUS), each page opening in the
# scheme the system asks for, without the light or dark choice the page before kept (FORGET_SCHEME).
# One context for all of them: each context a worker opens costs its own renderer and cold cache.
CHECKED = {"init_scripts": (RECORD_VIOLATIONS, FORGET_SCHEME, RECORD_FOCUS), "viewport": DESKTOP}


def switch_to_dark(page) -> None:
    """Dark mode on the open page, as a reader gets it: the system asks for dark and Material's own
    palette switch (the header's toggle) sets the slate scheme. The switch happens with reduced motion
    asked for, so the colours change at once rather than fading for a quarter of a second (a hundred
    elements fade; measured: 0.2 s a switch), then the page's motion setting is put back: the colours
    it ends with are the same either way."""
    reduced = page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    page.emulate_media(color_scheme="dark", reduced_motion="reduce")
    page.evaluate(
        """async () => {
             document.querySelector("input[name=__palette][data-md-color-scheme=slate]").click();
             await Promise.all(document.getAnimations().map(a => a.finished));
           }"""
    )
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'", timeout=5000)
    page.emulate_media(reduced_motion="reduce" if reduced else "no-preference")


# How each element shows: in document order, its tag, whether it is visible, and its box. Switching to
# dark mode must change only colours; an element whose entry changes (the header's light/dark toggle
# swaps its two buttons) gets every axe rule in the dark pass, not only the colour ones.
_LOOKS = """() => [...document.querySelectorAll("body *")].map(e => {
  const r = e.getBoundingClientRect();
  return [e.tagName, e.checkVisibility({opacityProperty: true, visibilityProperty: true}),
          Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)].join(" ");
})"""

# The two runs on a page that changed only its colours do without axe's stylesheet preloading
# (preload: false): only css-orientation-lock reads the stylesheets, and it checks <html>, which
# neither runs (the colour rules; every rule inside body). Measured: a seventh of a colour run.
_DARK_PASS = (
    """async ([looks, colourOptions, allOptions]) => {
  const elements = [...document.querySelectorAll("body *")];
  const now = (%s)();
  if (now.length !== looks.length) {  // the page changed more than its colours: every rule, everywhere
    return (await axe.run(document, allOptions)).violations;
  }
  const changed = elements.filter((e, i) => now[i] !== looks[i]);
  const outermost = changed.filter(e => !changed.some(o => o !== e && o.contains(e)));
  const violations = (await axe.run(document, {...colourOptions, preload: false})).violations;
  if (outermost.length) {
    violations.push(...(await axe.run({include: outermost}, {...allOptions, preload: false})).violations);
  }
  return violations;
}"""
    % _LOOKS
)


def axe_light_and_dark(page) -> dict[str, list[dict]]:
    """axe on a page opened in light mode: every rule; then, on the same page switched to dark mode,
    the colour rules everywhere and every rule on any element that shows differently in dark mode than
    in light (a different box, or shown in one and hidden in the other). If the page itself changed
    when switched, every rule runs on the whole page again. Returns the violations of each pass."""
    scheme = page.get_attribute("body", "data-md-color-scheme")
    assert scheme == "default", f"{page.url} opened in the {scheme!r} scheme, not light"
    light = axe_run(page)
    looks = page.evaluate(_LOOKS)
    switch_to_dark(page)
    colour = {**AXE_OPTIONS, "runOnly": {"type": "rule", "values": COLOUR_RULES}}
    dark = page.evaluate(_DARK_PASS, [looks, colour, AXE_OPTIONS])
    return {"light": light, "dark": dark}


# Every kind of page the site has, by its address without the Spanish edition's es/. The phone test
# checks one page of each kind (the largest) in each language rather than every page;
# tests/test_browser.py fails when a page is of no kind named here, so a new kind is not left out.
PAGE_KINDS = {
    "home page": r"",
    "text page": r"(why|when|how|costs|after|resources|about)/",
    "glossary": r"glossary/",
    "directory": r"directory/",
    "program page": r"directory/[a-z0-9-]+/",
    "question sheet": r"questions/",
    "records checklist": r"records/",
    "visit page": r"visit/",
    "not-found page": r"404\.html",
}


def kind_of(path: str) -> str | None:
    bare = path[3:] if path.startswith("es/") else path
    kinds = [kind for kind, pattern in PAGE_KINDS.items() if re.fullmatch(pattern, bare)]
    return kinds[0] if len(kinds) == 1 else None


def one_page_of_each_kind(site: Path) -> dict[str, list[str]]:
    """For each kind of page, its largest page in each language that has one (the 404 page is one
    page for both languages)."""
    chosen: dict[str, list[str]] = {kind: [] for kind in PAGE_KINDS}
    for spanish in (False, True):
        pages = [p for p in pages_of(site) + ["404.html"] if p.startswith("es/") == spanish]
        for kind in PAGE_KINDS:
            of_kind = [p for p in pages if kind_of(p) == kind]
            if of_kind:
                size = lambda p: (site / p if p.endswith(".html") else site / p / "index.html").stat().st_size  # noqa: E731
                chosen[kind].append(max(of_kind, key=size))
    return chosen


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
