"""The Content-Security-Policy on every page: only the site's own files and its hashed inline scripts run,
and nothing the site itself does is refused. That no page meets a refusal as it opens is checked with
every page's other browser checks, in one visit (tests/test_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re

import pytest

from conftest import CHECKED, ROOT, pages_of, site_search

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)


def all_pages(site) -> list[str]:
    return pages_of(site) + ["404.html"]


def html_of(site, path: str) -> str:
    file = site / path if path.endswith(".html") else site / path / "index.html"
    return file.read_text(encoding="utf-8")


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_every_page_carries_a_policy_before_anything_it_governs(site):
    for path in all_pages(site):
        html = html_of(site, path)
        found = META.findall(html)
        assert len(found) == 1, f"/{path}: {len(found)} Content-Security-Policy meta tags"
        head = html[: html.index('<meta http-equiv="Content-Security-Policy"')]
        assert not re.search(r"<script|<link|<style", head), f"/{path}: something loads before the policy"
        policy = directives(found[0])
        assert policy["default-src"] == ["'none'"]
        for name in ["script-src", "style-src", "img-src", "font-src", "connect-src", "worker-src"]:
            assert policy[name][0] == "'self'", f"/{path}: {name} {policy[name]}"
            assert not any(v.startswith(("http", "'unsafe", "*", "blob:")) for v in policy[name]), (
                f"/{path}: {name} {policy[name]}"
            )
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]


def test_each_inline_script_is_allowed_by_its_hash(site):
    for path in all_pages(site):
        html = html_of(site, path)
        allowed = set(directives(META.search(html).group(1))["script-src"])
        for attributes, body in INLINE_SCRIPT.findall(html):
            if "src=" in attributes or "application/" in attributes:  # a file of our own, or JSON data
                continue
            assert sha256(body) in allowed, f"/{path}: an inline script is not in the policy: {body[:80]!r}"


def visit(page, url: str, wait_until: str = "load") -> tuple[list[str], list[str]]:
    """Open `url`; return (console errors and page errors, policy violations)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until=wait_until)
    return errors, page.evaluate("window.soViolations")


@pytest.fixture
def watched(new_tab):
    return new_tab(**CHECKED)  # recording what the policy refuses (RECORD_VIOLATIONS)


def test_search_filters_sheet_and_colour_toggle_work_under_the_policy(base_url, watched):
    # Each page is watched until the network has been quiet for half a second: nothing is refused, even late.
    errors, _ = visit(watched, base_url, wait_until="networkidle")
    site_search(watched, "biopsy", "a[href*='glossary/']")  # site search runs in a Web Worker
    watched.goto(base_url + "directory/", wait_until="networkidle")
    watched.fill("input[name=search]", "boston")
    watched.goto(base_url + "questions/", wait_until="networkidle")
    watched.fill("#so-new-q", "Who reads the scans?")
    watched.keyboard.press("Enter")
    assert watched.locator(".so-q--own").count() == 1
    # The colour toggle: Material shows its tooltip (positioned by inline styles) and saves the choice.
    toggle = watched.locator("label[for='__palette_1']")  # "Switch to dark mode" (the tooltip takes its title)
    toggle.hover()
    toggle.click()
    assert watched.get_attribute("body", "data-md-color-scheme") == "slate"
    assert errors == []
    assert watched.evaluate("window.soViolations") == []


def test_a_script_slipped_into_the_page_does_not_run(base_url, watched):
    visit(watched, base_url + "questions/")
    ran = watched.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.soInjected = true;";
            document.body.appendChild(script);
            return window.soInjected === true;
        }"""
    )
    assert not ran, "an inline script the site did not ship must be refused"
    assert any(v.startswith("script-src") for v in watched.evaluate("window.soViolations"))


def test_an_event_handler_slipped_into_the_page_does_not_run(base_url, watched):
    visit(watched, base_url)
    ran = watched.evaluate(
        """() => {
            const button = document.createElement("button");
            button.setAttribute("onclick", "window.soClicked = true");
            document.body.appendChild(button);
            button.click();
            return window.soClicked === true;
        }"""
    )
    assert not ran, "an inline event handler must be refused"


def test_a_style_attribute_slipped_into_the_page_is_not_applied(base_url, watched):
    visit(watched, base_url)
    width = watched.evaluate(
        """() => {
            const probe = document.createElement("div");
            probe.setAttribute("style", "width: 123px");
            document.body.appendChild(probe);
            return getComputedStyle(probe).width;
        }"""
    )
    assert width != "123px", "style-src 'self': an inline style attribute must not apply"


def test_the_build_stops_on_an_attribute_the_policy_would_silently_drop():
    """A style or onclick attribute typed into a page would do nothing under the policy: say so at build time."""
    spec = importlib.util.spec_from_file_location("csp_hook", ROOT / "overrides" / "hooks" / "csp.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    page = '<html><head><meta charset="utf-8"></head><body>{}</body></html>'
    for dropped in [
        '<p style="color: red">Red</p>',
        "<button onclick='go()'>Go</button>",
        '<input class="x" onfocus disabled>',
        "<svg><path ONLOAD=x></path></svg>",
        '<a\nhref="#" STYLE=x>a</a>',
    ]:
        with pytest.raises(RuntimeError, match="would block"):
            hook.add_policy(page.format(dropped), "test.md")
    # Words inside a value, and scripts' own text, are not attributes.
    fine = (
        '<option value="&lt;img src=x onerror=&#34;x&#34;&gt;">x</option><script>a = "<b style=x>"</script>'
        '<p data-style="x" styles="y" title="a onclick=b">based on = this</p>'
    )
    assert "Content-Security-Policy" in hook.add_policy(page.format(fine), "test.md")
