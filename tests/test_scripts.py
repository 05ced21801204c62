"""Maintainer tools: the stale report and the external link checker (against a local server)."""

from __future__ import annotations

import http.server
import sys
import threading
import time

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

import check_external  # noqa: E402
import stale  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "directory.yaml"


def test_stale_report_lists_entries_older_than_twelve_months(capsys):
    assert stale.main(["--data", str(FIXTURE), "--today", "2026-11-26"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 of 6 entries were last checked before 2025-11-26:")
    assert "2024-01-10  charlie-health  (Charlie Health Children's Center)" in out
    assert "https://charlie.example.org/so" in out
    assert "bravo-kids" not in out


def test_stale_report_with_a_chosen_date(capsys):
    stale.main(["--data", str(FIXTURE), "--today", "2026-11-26", "--before", "2026-09-20"])
    out = capsys.readouterr().out
    assert out.startswith("4 of 6 entries were last checked before 2026-09-20:")
    ids = [line.split()[1] for line in out.splitlines() if line[:2] == "20"]
    assert ids == ["charlie-health", "foxtrot-utrecht", "delta-montreal", "echo-toronto"]


def test_stale_report_when_all_fresh(capsys):
    stale.main(["--data", str(FIXTURE), "--today", "2026-11-26", "--before", "2024-01-01"])
    assert "All 6 are fresh" in capsys.readouterr().out


def test_months_before_clamps_to_month_end():
    import datetime as dt

    assert stale.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert stale.months_before(dt.date(2026, 11, 26), 12) == dt.date(2025, 11, 26)


class _Handler(http.server.BaseHTTPRequestHandler):
    user_agents: list[str] = []

    def do_GET(self):
        _Handler.user_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/ok":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<p>fine</p>")
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(1.5)
            self.send_response(200)
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_checker_reports_each_kind_of_answer(local_server):
    assert check_external.check(local_server + "/ok", timeout=1)[:2] == ("ok", 200)
    outcome, status, detail = check_external.check(local_server + "/moved", timeout=1)
    assert (outcome, status) == ("redirect", 301) and detail == "moved to /ok"
    assert check_external.check(local_server + "/gone", timeout=1)[:2] == ("broken", 404)
    assert check_external.check(local_server + "/slow", timeout=0.5)[0] == "timeout"
    assert check_external.check("http://127.0.0.1:9/refused", timeout=1)[0] == "error"


def test_checker_is_polite_and_writes_a_report(local_server):
    class P:
        def __init__(self, pid, url, *sources):
            self.id, self.url, self.sources = pid, url, sources

    programs = [
        P("a", local_server + "/ok", local_server + "/ok"),
        P("b", local_server + "/moved", local_server + "/gone", local_server + "/ok", local_server + "/gone-too"),
    ]
    _Handler.user_agents.clear()
    started = time.monotonic()
    results = check_external.check_all(programs, delay=0.2, timeout=1, log=lambda *_: None)
    elapsed = time.monotonic() - started
    assert len(_Handler.user_agents) == 4  # each distinct address once, every source included
    assert all("SecondOpinionsLinkCheck" in ua for ua in _Handler.user_agents)
    assert elapsed >= 0.6  # waited between requests
    # One row per program and address: a's url is also its first source.
    assert [(r.program_id, r.field) for r in results] == [
        ("a", "url, sources[0]"),
        ("b", "url"),
        ("b", "sources[0]"),
        ("b", "sources[1]"),
        ("b", "sources[2]"),
    ]
    report = check_external.markdown(results)
    assert report.startswith("3 of 5 program addresses need a look.")
    assert "| `b` | url |" in report and "redirect 301 moved to /ok" in report
    assert f"| `b` | sources[0] | {local_server}/gone | broken 404" in report
    assert f"| `b` | sources[2] | {local_server}/gone-too | broken 404" in report
    assert "| `a` |" not in report


def test_checker_reads_every_source_in_a_data_file():
    programs = check_external.load_programs(FIXTURE)
    urls = {url for p in programs for url in check_external.addresses(p)}
    assert "https://bravo.example.org/fees" in urls and "https://foxtrot.example.org/contact" in urls
