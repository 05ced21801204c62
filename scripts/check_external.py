"""Check every program's `url` and each of its `sources` over the network, politely, and print a report.

Never part of `make test`: it needs the internet. Run by hand (`make check-external`) or weekly in CI.

    python scripts/check_external.py [--delay 3] [--timeout 20] [--markdown report.md]

Exit status: 0 when every address answered 200 (after at most a redirect we report), 1 otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import socket
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from secondopinions.programs import DATA_FILE, load_programs  # noqa: E402

USER_AGENT = (
    "Mozilla/5.0 (compatible; SecondOpinionsLinkCheck/1.0; "
    "weekly check of program pages listed by Second Opinions for Childhood Cancer)"
)


@dataclass
class Result:
    program_id: str
    field: str
    url: str
    outcome: str  # ok, redirect, broken, timeout, error
    status: int | None = None
    detail: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # report redirects instead of following them


def check(url: str, timeout: float) -> tuple[str, int | None, str]:
    """One polite GET (no redirects followed). Returns (outcome, status, detail)."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read(1024)
            return "ok", response.status, ""
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            return "redirect", exc.code, f"moved to {exc.headers.get('Location', '?')}"
        return "broken", exc.code, exc.reason if isinstance(exc.reason, str) else ""
    except (socket.timeout, TimeoutError):
        return "timeout", None, f"no answer within {timeout:g} s"
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (socket.timeout, TimeoutError)):
            return "timeout", None, f"no answer within {timeout:g} s"
        return "error", None, str(exc.reason)
    except (http.client.HTTPException, OSError) as exc:
        return "error", None, str(exc)


def addresses(program) -> dict[str, str]:
    """A program's addresses, each once, with the fields that name it: {address: "url, sources[0]"}."""
    fields: dict[str, list[str]] = {}
    for field, url in [("url", program.url), *((f"sources[{i}]", s) for i, s in enumerate(program.sources))]:
        fields.setdefault(url, []).append(field)
    return {url: ", ".join(names) for url, names in fields.items()}


def check_all(programs, *, delay: float, timeout: float, log=print) -> list[Result]:
    """Each distinct address once (across all programs), one at a time, with `delay` seconds
    between requests; one result per program and address."""
    seen: dict[str, tuple[str, int | None, str]] = {}
    results = []
    for p in programs:
        for url, fields in addresses(p).items():
            if url not in seen:
                if seen:
                    time.sleep(delay)
                seen[url] = check(url, timeout)
                log(f"{seen[url][0]:8} {seen[url][1] or '':3} {url}")
            results.append(Result(p.id, fields, url, *seen[url]))
    return results


def markdown(results: list[Result]) -> str:
    problems = [r for r in results if r.outcome != "ok"]
    if not problems:
        return f"All {len(results)} program addresses answered 200 OK."
    lines = [
        f"{len(problems)} of {len(results)} program addresses need a look.",
        "",
        "| entry | fields | address | result |",
        "| --- | --- | --- | --- |",
    ]
    for r in problems:
        status = f"{r.status} " if r.status else ""
        lines.append(f"| `{r.program_id}` | {r.field} | {r.url} | {r.outcome} {status}{r.detail} |")
    lines += ["", "Fix each one in `data/hospitals.yaml` from the program's own page, and update `checked`."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=3.0, help="seconds between requests (default 3)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for an answer (default 20)")
    parser.add_argument("--data", type=Path, default=DATA_FILE)
    parser.add_argument("--markdown", type=Path, help="also write the report as Markdown to this file")
    args = parser.parse_args(argv)
    results = check_all(load_programs(args.data), delay=args.delay, timeout=args.timeout)
    report = markdown(results)
    print()
    print(report)
    if args.markdown:
        args.markdown.write_text(report + "\n", encoding="utf-8")
    return 0 if all(r.outcome == "ok" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
