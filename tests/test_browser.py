"""Every page in a real Chromium: loads cleanly, stays on its own host, and axe finds nothing, light and dark."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import pages_of

def all_pages(site) -> list[str]:
    return pages_of(site) + ["404.html"]


@pytest.fixture(scope="module")
def axe():
    return Axe()


def visit(page, url: str) -> tuple[list[str], list[str]]:
    """Open `url`; return (console errors, requests that left 127.0.0.1)."""
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:") else None)
    response = page.goto(url, wait_until="networkidle")
    assert response is not None
    return errors, outside


def test_every_page_loads_without_errors_or_outside_requests(site, base_url, page):
    for path in all_pages(site):
        errors, outside = visit(page, base_url + path)
        # The 404 page is served with status 200 by the test server, as GitHub Pages serves its body.
        assert errors == [], f"/{path}: console errors {errors}"
        assert outside == [], f"/{path}: requests left the site: {outside}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(site, base_url, browser, axe, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    failures = []
    for path in all_pages(site):
        page.goto(base_url + path, wait_until="networkidle")
        shown = page.get_attribute("body", "data-md-color-scheme")
        assert shown == {"light": "default", "dark": "slate"}[scheme], f"/{path} did not switch to {scheme}"
        results = axe.run(page)
        for v in results.response["violations"]:
            targets = [n["target"] for n in v["nodes"]][:3]
            failures.append(f"/{path} [{scheme}] {v['id']}: {v['help']} {targets}")
    context.close()
    assert failures == [], "\n".join(failures)


def test_axe_finds_no_violations_on_a_phone(site, base_url, browser, axe):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    failures = []
    for path in all_pages(site):
        page.goto(base_url + path, wait_until="networkidle")
        for v in axe.run(page).response["violations"]:
            failures.append(f"/{path} [phone] {v['id']}: {v['help']}")
    context.close()
    assert failures == [], "\n".join(failures)
