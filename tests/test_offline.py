"""The offline copy (issue 26): after one visit with a connection, every page of the language being read
opens with none, search included; a page not kept shows a short offline page in its language; a
published change shows on the next visit with a connection; the copy holds nothing a family typed; no
request leaves the site; `mkdocs serve` keeps no copy."""

from __future__ import annotations

import json
import re
import shutil
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from conftest import FORGET_SCHEME, ROOT, axe_run, build_site, describe, pages_of, pages_to_visit, serve
from secondopinions import offline

LANGUAGES = {"en": "", "es": "es/"}  # each language's address prefix
OTHER = {"en": "es", "es": "en"}
MANIFEST = re.compile(r"const MANIFEST = (\{.*?\});\n")
# What about.md and about.es.md promise about the copy's size.
PROMISED_MB = 5


def worker_manifest(site: Path) -> dict:
    return json.loads(MANIFEST.search((site / "sw.js").read_text(encoding="utf-8")).group(1))


def manifest(site: Path, lang: str) -> dict:
    """One language's part of the worker's manifest: its pages, files and version."""
    return worker_manifest(site)["languages"][lang]


def pages_in(site: Path, lang: str) -> list[str]:
    return [p for p in pages_of(site) if p.startswith("es/") == (lang == "es")]


def heading(site: Path, page: str) -> str:
    """The page's <h1> as text, from the built file."""
    html = (site / page / "index.html").read_text(encoding="utf-8")
    return " ".join(unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))).split())


# --- The built worker -------------------------------------------------------------------------------------

_LOADS = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\brel="(?:stylesheet|icon)"[^>]*\bhref|img[^>]*\bsrc)="([^"]+)"')


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_keeps_all_its_pages_and_everything_they_load(site, lang):
    kept = manifest(site, lang)
    own = pages_in(site, lang)
    assert kept["pages"] == own, "the copy holds exactly the language's pages, program pages included"
    assert len([p for p in own if re.fullmatch(r"(es/)?directory/[a-z0-9-]+/", p)]) >= 10
    files = set(kept["files"])
    for page in own:
        html = (site / page / "index.html").read_text(encoding="utf-8")
        for address in _LOADS.findall(html):
            resolved = urlparse(urljoin("http://h/" + page, address)).path[1:]  # as the browser resolves it
            assert resolved in files, f"{page or '/'} loads {address}, which the {lang} copy does not keep"
    assert {
        "search/search_index.json",
        "assets/javascripts/lunr/min/lunr.es.min.js",
        "assets/javascripts/lunr/min/lunr.multi.min.js",
    } <= files
    assert any(re.fullmatch(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js", f) for f in files)
    assert all((site / f).is_file() for f in files)
    assert not any("?" in a or "#" in a for a in kept["pages"] + kept["files"])
    assert not (site / "es" / "sw.js").exists(), "one worker for the whole site"


def test_each_copy_is_as_small_as_the_about_page_says(site):
    """The kept copy, per language, as files (Chromium's Cache Storage counts about a third more): within
    what the about pages tell families. If the site outgrows it, the about pages must say the new size."""
    for lang in LANGUAGES:
        kept = manifest(site, lang)
        size = sum(
            (site / (a + "index.html" if a == "" or a.endswith("/") else a)).stat().st_size
            for a in kept["pages"] + kept["files"]
        )
        assert size * 4 / 3 < PROMISED_MB * 1000 * 1000, f"{lang}: {size / 1024 / 1024:.2f} MiB as files"
    for about in ("about.md", "about.es.md"):
        assert f"{PROMISED_MB} MB" in (ROOT / "docs" / about).read_text(encoding="utf-8"), about


def test_a_language_version_changes_exactly_when_a_file_it_keeps_does(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    languages = [offline.Language("en", "Site", [("Start here", "")]), offline.Language("es", "Sitio", [])]
    first = {k.lang: k.version for k in offline.write(copy, languages)}
    again = {k.lang: k.version for k in offline.write(copy, languages)}
    assert first == again, "the same files make the same versions"
    why = copy / "es" / "why" / "index.html"
    why.write_text(why.read_text(encoding="utf-8").replace("</article>", "<p>Nuevo.</p></article>"), encoding="utf-8")
    changed = {k.lang: k.version for k in offline.write(copy, languages)}
    assert changed["es"] != first["es"] and changed["en"] == first["en"]
    assert worker_manifest(copy)["languages"]["es"]["version"] == changed["es"]


def test_a_page_loading_a_missing_file_stops_the_build_with_one_line(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / "assets" / "sheet.css").unlink()
    with pytest.raises(
        offline.OfflineError, match=r"^offline: questions/ loads assets/sheet\.css, which is not in the built site$"
    ):
        offline.write(copy, [offline.Language("en", "Site"), offline.Language("es", "Sitio")])


def test_the_offline_page_escapes_every_text_and_runs_no_inline_script():
    html = offline.offline_page("en", "<script>alert(1)</script>", ["assets/x.css"], [("A & <b>", "why/")])
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "A &amp; &lt;b&gt;" in html
    assert re.findall(r"<script\b[^>]*>", html) == [f'<script src="{offline.ROOT_MARK}assets/offline-page.js">']
    assert "style=" not in html and 'http-equiv="Content-Security-Policy"' in html


def test_the_preview_server_registers_no_worker_and_retires_one_a_build_left(tmp_path):
    """`mkdocs serve`: no page names the worker, and sw.js is one that deletes its copy and itself."""
    import types

    from mkdocs.config.base import LegacyConfig

    from secondopinions.plugin import SecondOpinionsPlugin

    plugin = SecondOpinionsPlugin()
    page = types.SimpleNamespace(meta={}, url="why/")
    config = types.SimpleNamespace(theme={"language": "en"}, extra=LegacyConfig(()))
    plugin.on_startup(command="build", dirty=False)
    assert plugin.on_page_context({}, page=page, config=config, nav=None)["so_offline"]["worker"] == "../sw.js"
    plugin.on_startup(command="serve", dirty=False)
    assert plugin.on_page_context({}, page=page, config=config, nav=None)["so_offline"] is None
    assert offline.write(tmp_path, [offline.Language("en"), offline.Language("es")], serving=True) == []
    text = (tmp_path / "sw.js").read_text(encoding="utf-8")
    assert "unregister()" in text and "caches.delete" in text and '"fetch"' not in text


# --- In the browser ----------------------------------------------------------------------------------------


@pytest.fixture
def visitor(browser):
    """A browser profile of its own, as a family's: service workers allowed, nothing kept yet. The tab
    uses no HTTP cache, so only the offline copy can answer when the network is off. Records every
    request (the worker's own too), console errors, and failed loads."""
    context = browser.new_context(service_workers="allow", viewport={"width": 1280, "height": 900})
    seen = {"requests": [], "errors": [], "failed": []}
    context.on("request", lambda r: seen["requests"].append(r.url))
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    # A load the next page's opening cut short (net::ERR_ABORTED: the search worker, still starting) is
    # not a failure; one the browser could not get is.
    page.on(
        "requestfailed",
        lambda r: seen["failed"].append(f"{r.url} {r.failure}") if r.failure != "net::ERR_ABORTED" else None,
    )
    yield context, page, seen
    context.close()


def settles(page, script: str, arg=None, timeout: float = 60) -> None:
    """Wait until the async `script` (a function of `arg`) gives true. (wait_for_function would take
    the promise itself for true.)"""
    end = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < end, f"still not true after {timeout} s: {script}"
        page.wait_for_timeout(200)


def cache_name(url: str, site: Path, lang: str) -> str:
    """The cache holding one language's copy: the worker's scope (the site's root), the language, its version."""
    return f"so-offline {url} {lang} {manifest(site, lang)['version']}"


def wait_until_kept(page, url: str, site: Path, lang: str) -> None:
    """Wait until the language's whole copy is kept, and the open page is answered by the worker."""
    kept = manifest(site, lang)
    settles(
        page,
        """async ([name, size]) => navigator.serviceWorker.controller !== null && await caches.has(name)
                       && (await (await caches.open(name)).keys()).length === size""",
        [cache_name(url, site, lang), len(kept["pages"]) + len(kept["files"])],
    )


def outside(seen) -> list[str]:
    return [u for u in seen["requests"] if urlparse(u).hostname != "127.0.0.1" and not u.startswith("data:")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_after_one_visit_every_page_of_the_language_opens_offline_and_search_finds_a_program(
    site, base_url, visitor, lang
):
    from playwright.sync_api import Error as PlaywrightError

    context, page, seen = visitor
    # Whether the page had loaded when it asked for the worker (the worker is fetched only through
    # register). Watched in the page itself: Playwright may hand over a request before the load event.
    page.add_init_script("""
        window.soRegisteredAfterLoad = [];
        addEventListener("load", () => { window.soLoaded = true; });
        if (navigator.serviceWorker) {
            const register = navigator.serviceWorker.register.bind(navigator.serviceWorker);
            navigator.serviceWorker.register = (...args) => {
                window.soRegisteredAfterLoad.push(window.soLoaded === true);
                return register(...args);
            };
        }
    """)
    page.goto(base_url + LANGUAGES[lang], wait_until="load")
    wait_until_kept(page, base_url, site, lang)
    assert page.evaluate("window.soRegisteredAfterLoad") == [True], (
        "the worker is asked for only after the page has loaded"
    )
    assert page.evaluate("caches.keys()") == [cache_name(base_url, site, lang)], "only the language being read"

    context.set_offline(True)
    try:
        failures = []
        # Program pages share one template: a sample opens in the tab (pages_to_visit); every other one
        # is asked for offline through the worker, as a link would, and must be the kept page.
        opened = [p for p in pages_to_visit(site) if p.startswith("es/") == (lang == "es")]
        for path in [p for p in pages_in(site, lang) if p not in opened]:
            shown = page.evaluate(
                "async (url) => { const r = await fetch(url); return r.ok ? await r.text() : String(r.status); }",
                base_url + path,
            )
            match = re.search(r"<h1[^>]*>(.*?)</h1>", shown, re.S)
            text = " ".join(unescape(re.sub(r"<[^>]+>", "", match.group(1))).split()) if match else shown[:80]
            if text != heading(site, path):
                failures.append(f"/{path}: the worker gave {text!r}, not the kept page")
        for path in opened:
            seen["errors"].clear()
            seen["failed"].clear()
            response = page.goto(base_url + path, wait_until="load")
            shown = page.text_content("h1") or ""
            if response is None or not response.ok or " ".join(shown.split()) != heading(site, path):
                failures.append(f"/{path}: showed {shown!r}, not the kept page")
            if seen["failed"] or seen["errors"]:
                failures.append(f"/{path}: {seen['failed'] or seen['errors']}")
            if not page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky":
                failures.append(f"/{path}: Material's styles did not load")
        assert failures == [], "\n".join(failures)
        page.goto(base_url + LANGUAGES[lang] + "directory/", wait_until="load")
        failed_anywhere: list[str] = []  # the search worker's loads too
        context.on("requestfailed", lambda r: failed_anywhere.append(f"{r.url} {r.failure}"))
        page.click("input.md-search__input")
        page.keyboard.type("Bambino")
        program = (
            f".md-search-result__item a[href^='{base_url}{LANGUAGES[lang]}directory/bambino-gesu-neuro-oncology/']"
        )
        try:
            # The search worker builds its index from the copy: a second or two, but much longer on a
            # machine busy with other browser tests.
            page.wait_for_selector(program, timeout=60000)
        except PlaywrightError:
            raise AssertionError(
                f"offline search found no program: {page.inner_text('.md-search-result__meta')!r}, "
                f"search workers {[w.url for w in page.workers]}, failed loads {failed_anywhere}, "
                f"errors {seen['errors']}"
            ) from None
        assert seen["failed"] == [] and seen["errors"] == []
    finally:
        context.set_offline(False)
    assert outside(seen) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_page_not_kept_shows_a_short_offline_page_in_its_language_that_passes_axe_light_and_dark(
    site, base_url, visitor, lang
):
    """Offline, a page the copy lacks: the offline page in the page's language, with links to what is kept.
    A page of the other language before that language is kept: a page in its words listing this
    language's pages; once a page of it is opened with a connection, that language is kept too."""
    context, page, seen = visitor
    here, there = LANGUAGES[lang], LANGUAGES[OTHER[lang]]
    page.goto(base_url + here, wait_until="load")
    wait_until_kept(page, base_url, site, lang)
    context.set_offline(True)
    try:
        page.goto(base_url + here + "not-kept/", wait_until="load")
        assert page.get_attribute("html", "lang") == lang
        assert page.text_content("h1") == offline.WORDS[lang]["title"]
        links = page.eval_on_selector_all("article li a", "as => as.map(a => a.getAttribute('href'))")
        assert f"/{here}directory/" in links and f"/{here}questions/" in links
        assert describe(axe_run(page), "light") == []
        # Dark as the system asks when the reader chose nothing on the site, and as the reader chose if so.
        page.emulate_media(color_scheme="dark")
        page.evaluate(FORGET_SCHEME)
        page.reload(wait_until="load")
        assert page.get_attribute("body", "data-md-color-scheme") == "slate"
        assert describe(axe_run(page), "dark") == []
        page.evaluate("""() => localStorage.setItem("/.__palette", JSON.stringify(
            {index: 0, color: {media: "(prefers-color-scheme: light)", scheme: "default"}}))""")
        page.reload(wait_until="load")
        assert page.get_attribute("body", "data-md-color-scheme") == "default"
        page.click(f"a[href='/{here}why/']")  # a kept page, from the list
        page.wait_for_selector(".md-content h1")
        assert page.url == base_url + here + "why/"

        page.goto(base_url + there + "why/", wait_until="load")  # the other language, not kept
        assert page.get_attribute("html", "lang") == OTHER[lang]
        assert page.text_content("article p") == offline.WORDS[OTHER[lang]]["none_yet"]
        assert (
            page.get_attribute("article ul", "lang") == lang
            and page.locator(f"article a[href='/{here}why/']").count() == 1
        )
        assert describe(axe_run(page), "the other language, not kept") == []
    finally:
        context.set_offline(False)
    page.goto(base_url + there + "why/", wait_until="load")  # with a connection: that language is kept now
    wait_until_kept(page, base_url, site, OTHER[lang])
    context.set_offline(True)
    try:
        page.goto(base_url + there + "when/", wait_until="load")
        assert " ".join(page.text_content("h1").split()) == heading(site, there + "when/")
    finally:
        context.set_offline(False)
    assert seen["errors"] == [] and outside(seen) == []


def test_the_copy_holds_nothing_a_family_typed(site, base_url, visitor):
    context, page, seen = visitor
    page.goto(base_url + "questions/", wait_until="load")
    wait_until_kept(page, base_url, site, "en")
    page.reload(wait_until="load")  # now the worker answers the page
    page.fill("#f-child", "Zorblat Quintana")
    page.fill("#f-hospital", "Zorblat General")
    page.goto(base_url + "directory/?search=zorblat", wait_until="load")
    page.goto(base_url + "questions/", wait_until="load")
    assert page.input_value("#f-child") == "Zorblat Quintana"  # kept, in the browser's storage
    kept = page.evaluate("""async () => {
        const found = [];
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          for (const request of await cache.keys()) {
            found.push([request.url, await (await cache.match(request)).text()]);
          }
        }
        return found;
      }""")
    addresses = {base_url + a for a in manifest(site, "en")["pages"] + manifest(site, "en")["files"]}
    assert {url for url, _ in kept} == addresses
    assert [url for url, body in kept if "zorblat" in (url + body).lower()] == []
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Clear')")
    settles(
        page,
        "() => (document.querySelector('[data-so-status]').textContent || '').includes('offline copy never holds notes')",
    )
    assert outside(seen) == []


def published(project: Path, dest: Path, served: Path) -> None:
    """Build the project and publish it into the folder being served, as a deploy replaces the site."""
    result = build_site(dest, project=project)
    assert result.returncode == 0, result.stderr[-2000:]
    for child in served.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.copytree(dest, served, dirs_exist_ok=True)


def test_a_published_change_shows_on_the_next_visit_with_a_connection_and_then_offline(
    site, project, tmp_path, visitor
):
    served = tmp_path / "served"
    shutil.copytree(site, served)
    server = serve(served)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    context, page, seen = visitor
    try:
        page.goto(url + "why/", wait_until="load")
        wait_until_kept(page, url, served, "en")
        old = cache_name(url, served, "en")
        news = "This sentence was published after the first visit."
        why = project / "docs" / "why.md"
        why.write_text(why.read_text(encoding="utf-8") + f"\n{news}\n", encoding="utf-8")
        published(project, tmp_path / "build", served)
        new = cache_name(url, served, "en")
        assert new != old

        page.goto(url + "why/", wait_until="load")  # the next visit with a connection
        assert news in page.text_content("article")
        # Meanwhile the new worker keeps the new copy, then deletes the old one.
        settles(page, "name => caches.keys().then(names => names.length === 1 && names[0] === name)", new)
        context.set_offline(True)
        try:
            page.goto(url + "why/", wait_until="load")
            assert news in page.text_content("article")
        finally:
            context.set_offline(False)
    finally:
        server.shutdown()


def test_a_worker_a_local_build_left_is_retired_by_the_preview_server(site, tmp_path, visitor):
    """Preview (`mkdocs serve`) on the address where a local build was served: the old worker's copy
    is deleted and it unregisters at the first page opened, so no page comes from an old copy."""
    served = tmp_path / "served"
    shutil.copytree(site, served)
    server = serve(served)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    context, page, seen = visitor
    try:
        page.goto(url + "why/", wait_until="load")
        wait_until_kept(page, url, served, "en")
        offline.write(served, [offline.Language("en"), offline.Language("es")], serving=True)
        page.goto(url + "when/", wait_until="load")
        settles(
            page,
            """async () => (await caches.keys()).length === 0
                                 && (await navigator.serviceWorker.getRegistrations()).length === 0""",
        )
        page.goto(url + "how/", wait_until="load")
        assert page.evaluate("navigator.serviceWorker.controller") is None
    finally:
        server.shutdown()
