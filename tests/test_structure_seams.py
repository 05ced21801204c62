"""Seams between the parts: one staleness rule for the page and `make stale`, scripts that stand on
their own, and a test suite that runs without Chromium when asked."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

from conftest import ROOT
from secondopinions.render import is_stale

sys.path.insert(0, str(ROOT / "scripts"))

import stale  # noqa: E402


def test_make_stale_lists_exactly_the_programs_the_directory_marks(tmp_path, capsys):
    # After a leap day "12 months ago" and "365 days ago" differ: only one rule can pass.
    today = dt.date(2028, 3, 1)
    text = (ROOT / "tests" / "fixtures" / "directory.yaml").read_text(encoding="utf-8")
    # Two programs at the edge of the page's rule: 365 days ago (fresh) and 366 days ago (stale).
    dates = iter([today - dt.timedelta(days=365), today - dt.timedelta(days=366)])
    text = re.sub(r"^  checked: .*$", lambda m: f"  checked: {next(dates)}", text, count=2, flags=re.M)
    data = tmp_path / "directory.yaml"
    data.write_text(text, encoding="utf-8")

    assert stale.main(["--data", str(data), "--today", today.isoformat()]) == 0
    listed = sorted(line.split()[1] for line in capsys.readouterr().out.splitlines() if line[:2] == "20")
    marked = sorted(p.id for p in stale.load_programs(data, today=today) if is_stale(p, today))
    assert listed == marked
    assert len(marked) >= 2  # the day-366 program and the fixture's old ones


def test_scripts_do_not_import_test_code():
    for script in (ROOT / "scripts").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        assert "conftest" not in text and '"tests"' not in text, script.name


def test_without_chromium_the_browser_tests_are_left_out_and_the_rest_run():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not browser", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    collected = result.stdout
    assert "test_programs.py::" in collected and "test_site.py::" in collected
    for browser_test in ("test_browser.py::", "test_sheet.py::test_printout", "test_directory.py::test_country_filter"):
        assert browser_test not in collected, browser_test


def test_what_a_browser_test_stores_is_gone_for_the_next_one(base_url, new_tab):
    """Browser tests take tabs from one context per worker (conftest.contexts): the storage a test
    leaves behind (the sheet's notes, a cookie) must be cleared before the next test's first tab."""
    from conftest import DESKTOP, forget_storage

    tab = new_tab(viewport=DESKTOP)
    tab.goto(base_url + "questions/", wait_until="load")
    tab.fill("#f-child", "Maya")
    tab.evaluate("document.cookie = 'so-test=1; path=/'")
    kept = "() => [Object.keys(localStorage).filter(k => k.startsWith('so-')), document.cookie]"
    assert tab.evaluate(kept) == [["so-sheet-questions:/"], "so-test=1"]
    forget_storage(tab)
    tab.reload(wait_until="load")
    assert tab.evaluate(kept) == [[], ""]
    assert tab.input_value("#f-child") == ""


def test_a_tab_given_back_is_what_a_new_tab_is(base_url, contexts):
    """new_tab lends a test a tab an earlier test gave back: nothing the earlier test set on it stays
    (its listeners, size, emulated media, page, history)."""
    from conftest import DESKTOP, _Lent

    made = contexts(viewport=DESKTOP)
    tab = made.spare.pop() if made.spare else made.context.new_page()
    lent = _Lent(tab)
    heard: list[str] = []
    tab.on("console", lambda message: heard.append(message.text))
    tab.set_viewport_size({"width": 320, "height": 640})
    tab.emulate_media(media="print", color_scheme="dark", reduced_motion="reduce")
    tab.goto(base_url + "why/", wait_until="load")
    tab.goto(base_url + "how/", wait_until="load")
    lent.give_back(made)
    assert made.spare[-1] is tab
    assert tab.url == "about:blank" and tab.viewport_size == DESKTOP
    assert tab.evaluate("""() => matchMedia("screen and (prefers-color-scheme: light)").matches
                                 && !matchMedia("(prefers-reduced-motion: reduce)").matches
                                 && history.length === 1""")
    tab.evaluate("console.log('after')")
    assert "after" not in heard
