"""No broken internal link or anchor: linkchecker over the served site for every link, and every link's
#anchor looked up in the page it points to."""

from __future__ import annotations

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from conftest import ROOT


def test_no_broken_internal_links(base_url):
    """linkchecker follows every link from the home page and fetches what each one points to. Its
    anchor plugin would fetch and parse a page again for each #anchor linked on it (a hundred and more
    times for the glossary and the directory): the anchors are checked below instead, once per page."""
    linkchecker = shutil.which("linkchecker", path=str(Path(sys.executable).parent)) or "linkchecker"
    result = subprocess.run(
        [linkchecker, "--config", str(ROOT / "tests" / "linkcheckerrc"), "--no-status", base_url],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-5000:]
    assert "0 errors found" in report or "no errors" in report.lower(), report[-2000:]


class _Page(HTMLParser):
    """A page's anchors (every id, and each <a name>) and the targets of its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if attrs.get("id"):
            self.anchors.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.anchors.add(attrs["name"])
        if tag in ("a", "area") and attrs.get("href"):
            self.links.append(attrs["href"])


def _address(site: Path, file: Path) -> str:
    rel = file.relative_to(site).as_posix()
    return "http://site/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def _file(site: Path, path: str) -> Path:
    file = site / unquote(path).lstrip("/")
    return file / "index.html" if path.endswith("/") else file


def broken_anchors(site: Path) -> list[str]:
    """Each link to an #anchor on the site whose page has no element with that id (or <a name>), as
    "page: link". The 404 page's links are read as from the site's root, where it is served."""
    pages = {}
    for file in sorted(site.rglob("*.html")):
        parser = _Page()
        parser.feed(file.read_text(encoding="utf-8"))
        pages[file] = parser
    broken = []
    for file, parser in pages.items():
        here = _address(site, file)
        for href in parser.links:
            target = urlparse(urljoin(here, href))
            if target.netloc != "site" or not target.fragment:
                continue
            page = pages.get(_file(site, target.path))
            if page is not None and unquote(target.fragment) not in page.anchors:
                broken.append(f"/{file.relative_to(site).as_posix()}: {href}")
    return broken


def test_every_link_to_an_anchor_finds_it_on_its_page(site):
    assert broken_anchors(site) == []


def test_the_anchor_check_finds_a_missing_anchor(tmp_path):
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "index.html").write_text(
        '<h2 id="biopsy">Biopsy</h2><a name="old-name"></a>', encoding="utf-8"
    )
    (tmp_path / "index.html").write_text(
        '<a href="glossary/#biopsy">ok</a><a href="glossary/#old-name">ok</a><a href="#top">self</a>'
        '<a href="glossary/#biopsie">broken</a><a href="https://example.org/#x">elsewhere</a><p id="top"></p>',
        encoding="utf-8",
    )
    assert broken_anchors(tmp_path) == ["/index.html: glossary/#biopsie"]
