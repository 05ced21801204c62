"""Measure what the budgets promise: build time and filter speed at scale, page weight, Lighthouse.

    python scripts/bench.py                    # 5,000 programs, then page weights and Lighthouse
    python scripts/bench.py --programs 1000 --no-lighthouse

Goals (issue budgets): build under 1 s per 1,000 programs; filter median under 50 ms at 5,000
programs; the directory page at most 1.3 times the bytes of the home page; Lighthouse (mobile)
performance >= 0.98 and accessibility, best practices and SEO = 1.0 on /, /directory/, /questions/.
Prints a report; exits 1 if a goal is missed. Works offline: everything is served on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import copy
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str | None:
    """Debian's chromium when installed; None lets Playwright use its own download."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def build_site(dest: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """A strict build of the project into `dest`, as `make build` does it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )

OUT = ROOT / "bench" / "out"
QUERIES = ["c", "ch", "children", "ohio", "online second", "los", "zzz no match", "hospital", "", "philadelphia"]
LIGHTHOUSE_PAGES = ["", "directory/", "questions/"]


class _CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files gzip-compressed when the browser asks, as GitHub Pages and most hosts do."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args) -> None:
        pass


def serve(directory: Path) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_CompressingHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def grow(n: int, dest: Path) -> Path:
    """A copy of the real data grown to `n` programs: each real entry repeated with new ids and towns."""
    real = yaml.safe_load((ROOT / "data" / "hospitals.yaml").read_text(encoding="utf-8"))
    grown = []
    for i in range(n):
        entry = copy.deepcopy(real[i % len(real)])
        entry["id"] = f"{entry['id']}-{i:05d}"
        entry["location"]["city"] = f"{entry['location']['city']} {i}"
        grown.append(entry)
    grown.sort(key=lambda e: e["id"])
    dest.write_text(yaml.safe_dump(grown, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


def timed_build(site: Path, data: Path | None = None) -> float:
    env = {"SO_DATA_FILE": str(data)} if data else None
    started = time.perf_counter()
    result = build_site(site, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return elapsed


# From the input event to a settled list: the filter has run, and style and layout are done
# (reading offsetHeight forces them). Painting is left out: it waits for the next display frame.
FILTER_TIMING = """(q) => {
  const box = document.querySelector('input[name=q]');
  box.value = q;
  const t0 = performance.now();
  box.dispatchEvent(new Event('input', {bubbles: true}));
  document.querySelector('[data-directory]').offsetHeight;
  return performance.now() - t0;
}"""


def filter_times(browser, url: str, rounds: int = 3) -> list[float]:
    """Milliseconds from typing into the search box until the list has been filtered and laid out."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(url + "directory/", wait_until="load")
    times = []
    for _ in range(rounds):
        for q in QUERIES:
            times.append(page.evaluate(FILTER_TIMING, q))
    page.close()
    return times


def page_bytes(browser, url: str, path: str) -> tuple[int, int]:
    """Bytes of one page on a first visit (HTML, CSS, JS, data, images): (as files, as sent gzipped)."""
    context = browser.new_context()
    page = context.new_page()
    responses = []
    page.on("response", lambda r: responses.append(r) if r.ok else None)
    page.goto(url + path, wait_until="networkidle")
    raw = sum(len(r.body()) for r in responses)
    sent = sum(r.request.sizes()["responseBodySize"] for r in responses)
    context.close()
    return raw, sent


def lighthouse(url: str) -> dict[str, float] | None:
    """Lighthouse's mobile scores for one page, run with the local Chromium; None if unavailable."""
    tool = ROOT / "bench" / ".lighthouse"
    binary = tool / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if not shutil.which("npm"):
            return None
        tool.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(tool), "--no-audit", "--no-fund", "lighthouse@12"],
                       check=True, capture_output=True, timeout=600)
    report = OUT / f"lighthouse-{url.rstrip('/').rsplit('/', 1)[-1] or 'home'}.json"
    env = {**os.environ, "CHROME_PATH": chromium_path() or ""}
    flags = " ".join(["--headless=new", *CHROMIUM_FLAGS])
    subprocess.run(
        [str(binary), url, "--quiet", "--output=json", f"--output-path={report}", f"--chrome-flags={flags}",
         "--only-categories=performance,accessibility,best-practices,seo"],
        check=True, env=env, timeout=300,
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    return {k: v["score"] for k, v in data["categories"].items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=5000)
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    missed: list[str] = []
    print(f"Build with today's data and with {args.programs:,} programs")
    base = timed_build(OUT / "site-today")
    data = grow(args.programs, OUT / f"hospitals-{args.programs}.yaml")
    big = timed_build(OUT / f"site-{args.programs}", data)
    per_1000 = big / (args.programs / 1000)
    print(f"  today's data: {base:.2f} s; {args.programs:,} programs: {big:.2f} s = {per_1000:.2f} s per 1,000 (goal < 1 s)")
    if per_1000 >= 1.0:
        missed.append("build time")

    big_server = serve(OUT / f"site-{args.programs}")
    today_server = serve(OUT / "site-today")
    big_url = f"http://127.0.0.1:{big_server.server_address[1]}/"
    today_url = f"http://127.0.0.1:{today_server.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        times = filter_times(browser, big_url)
        median = statistics.median(times)
        worst = max(times)
        print(f"Filter at {args.programs:,} programs: median {median:.1f} ms, slowest {worst:.1f} ms "
              f"over {len(times)} inputs (goal: median < 50 ms)")
        if median >= 50:
            missed.append("filter speed")
        print("Page weight with today's data (first visit):")
        weights = {path or "/": page_bytes(browser, today_url, path) for path in LIGHTHOUSE_PAGES}
        for path, (raw, sent) in weights.items():
            print(f"  {path:12} {raw / 1024:8.1f} KiB as files, {sent / 1024:6.1f} KiB sent compressed")
        ratio = weights["directory/"][0] / weights["/"][0]
        print(f"  directory / home = {ratio:.2f} (goal <= 1.30)")
        if ratio > 1.3:
            missed.append("directory weight")
        browser.close()

    if not args.no_lighthouse:
        print("Lighthouse (mobile):")
        for path in LIGHTHOUSE_PAGES:
            scores = lighthouse(today_url + path)
            if scores is None:
                print("  npm is not available: Lighthouse skipped")
                break
            shown = ", ".join(f"{k} {v:.2f}" for k, v in scores.items())
            print(f"  /{path:11} {shown}")
            if scores["performance"] < 0.98 or any(scores[k] < 1.0 for k in ("accessibility", "best-practices", "seo")):
                missed.append(f"Lighthouse /{path}")
    big_server.shutdown()
    today_server.shutdown()
    print("All goals met." if not missed else "Missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
