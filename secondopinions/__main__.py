"""`python -m secondopinions check [FILE]`: check the directory data the way the build does.
`python -m secondopinions build [SITE_DIR]`: build the site strictly, and replace SITE_DIR (site/)
only when the build succeeded, so it always holds one whole site.
`python -m secondopinions origin URL`: say whether the site's address is one of its own, where no
other site can read what families keep in their browser (the deploy workflow asks before publishing)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

USAGE = "usage: python -m secondopinions check [data/hospitals.yaml] | build [site] | origin URL"

# What builds the site into a folder: MkDocs, strictly (a list, so a test can put a stand-in here).
MKDOCS = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir"]


def check(path: Path) -> int:
    from .programs import ProgramDataError, load_programs

    try:
        programs = load_programs(path)
    except ProgramDataError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 1
    print(f"{path.name}: {len(programs)} programs, all valid")
    return 0


# --------------------------------------------------------------------------------------------------
# Building: one build at a time, beside site/, swapped in whole
# --------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _one_build_at_a_time(site: Path):
    """Hold a lock beside `site` for the whole build: a second build of the same folder waits for the
    first to end, and says so, instead of clearing away the first one's work as leftovers. (Where the
    system has no file locks, on Windows, builds are not kept apart.)"""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(site.parent / f".{site.name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"Another build of {site.name}/ is running; this one waits for it to finish.",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _repair(site: Path) -> None:
    """Put back the last whole site if a build was stopped between its two renames (site/ moved
    aside, the new one not yet in its place), then clear what stopped builds left beside it."""
    kept = sorted(site.parent.glob(f".{site.name}-old-*"), key=lambda p: p.stat().st_mtime)
    if not site.exists() and kept:
        kept[-1].rename(site)
        print(
            f"Put back {site.name}/ as the last build left it (that build was stopped before it finished).",
            file=sys.stderr,
        )
    for stale in sorted(site.parent.glob(f".{site.name}-build-*")) + sorted(site.parent.glob(f".{site.name}-old-*")):
        shutil.rmtree(stale, ignore_errors=True)


_OS_WORDS = {
    errno.ENOSPC: "the disk is full",
    getattr(errno, "EDQUOT", -1): "the disk quota is used up",
    errno.EROFS: "the folder is on a read-only disk",
    errno.EACCES: "there is no permission to write there",
    errno.EPERM: "there is no permission to write there",
}


def _os_problem(site: Path, exc: OSError) -> str:
    words = _OS_WORDS.get(exc.errno or 0, (exc.strerror or "the system refused").lower())
    where = f" ({exc.filename})" if exc.filename else ""
    return f"The build could not write beside {site.name}/: {words}{where}. {site.name}/ was left as it was."


def _run_mkdocs(fresh: Path, site: Path) -> int:
    """Run MkDocs into `fresh`, passing its messages on as they come. A crash inside MkDocs (a full
    disk, a folder it may not write) ends in a Python traceback: that is said in one line instead."""
    traceback: list[str] = []
    with subprocess.Popen(
        [*MKDOCS, str(fresh)],
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    ) as process:
        try:
            for line in process.stderr or ():
                if traceback or line.startswith("Traceback (most recent call last)"):
                    traceback.append(line)
                else:
                    sys.stderr.write(line)
                    sys.stderr.flush()
            status = process.wait()
        except BaseException:  # Ctrl-C, or `kill` (see _build_beside): MkDocs stops too
            process.kill()
            raise
    if traceback:
        last = next((line.strip() for line in reversed(traceback) if line.strip()), "")
        print(
            f"The build stopped with an error inside MkDocs: {last}. {site.name}/ was left as it was.", file=sys.stderr
        )
        if any(name in last for name in ("No space left", "Read-only file system", "Permission denied", "Disk quota")):
            print("Check that the disk has room and that this folder may be written.", file=sys.stderr)
        return status or 1
    return status


def build(site: Path) -> int:
    """Build into a new folder beside `site`, then swap it in with two renames. A failed build, or
    one killed midway, leaves `site` as it was; the next build clears its half-written folder, and
    puts the last whole site back if it was killed between the renames. One build at a time."""
    site = site.absolute()
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        with _one_build_at_a_time(site):
            _repair(site)
            return _build_beside(site)
    except OSError as exc:
        print(_os_problem(site, exc), file=sys.stderr)
        return 1


def _build_beside(site: Path) -> int:
    # On `kill`, stop MkDocs and clean up as on Ctrl-C, instead of leaving it writing.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    fresh = Path(tempfile.mkdtemp(prefix=f".{site.name}-build-", dir=site.parent))
    try:
        status = _run_mkdocs(fresh, site)
        if status != 0:
            print(f"The build failed; {site.name}/ was left as it was.", file=sys.stderr)
            return status
        fresh.chmod(0o755)  # mkdtemp makes it private; a web server must read it
        old = site.parent / f".{site.name}-old-{os.getpid()}"
        if site.exists():
            site.rename(old)
        fresh.rename(site)
        shutil.rmtree(old, ignore_errors=True)
        return 0
    finally:
        if fresh.exists():
            shutil.rmtree(fresh, ignore_errors=True)


# --------------------------------------------------------------------------------------------------
# The site's address
# --------------------------------------------------------------------------------------------------

# Hosts where many people's sites share one address, each under its own path: every one of them can
# read what the others keep in the browser (localStorage belongs to the address, not the path).
SHARED_HOSTS = (".github.io",)


def origin_problem(url: str) -> str | None:
    """Why the site at `url` would share its browser storage with other people's sites, or None when
    the address is its own: a custom domain, or an account's own <name>.github.io site at its root."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/")
    if host.endswith(SHARED_HOSTS) and path:
        return (
            f"{url} is a project site on {host}, an address shared by every project site of that account: "
            "each of them can read what families type on the question sheet and the records checklist. "
            "Give the site an address of its own (a custom domain in the repository's Pages settings, or "
            f"publish it from the repository named {host})."
        )
    return None


def origin(url: str, allow_shared: bool) -> int:
    problem = origin_problem(url)
    if problem is None:
        print(f"{url}: an address of the site's own; no other site can read what families keep in their browser.")
        return 0
    if allow_shared:
        # GitHub Actions shows a ::warning:: line on the run's summary page.
        print(
            f"::warning title=Families' notes are readable by other sites::{problem} Published anyway, as "
            "ALLOW_SHARED_ORIGIN is true; the sheets tell families so."
        )
        return 0
    print(
        f"{problem} To publish there anyway, set the repository variable ALLOW_SHARED_ORIGIN to true; "
        "the sheets then tell families that other sites on the address can read their notes.",
        file=sys.stderr,
    )
    return 1


def main(argv: list[str]) -> int:
    if len(argv) in (1, 2) and argv[0] == "check":
        from .programs import DATA_FILE

        return check(Path(argv[1]) if len(argv) == 2 else DATA_FILE)
    if len(argv) in (1, 2) and argv[0] == "build":
        return build(Path(argv[1] if len(argv) == 2 else "site"))
    if len(argv) == 2 and argv[0] == "origin":
        return origin(argv[1], os.environ.get("ALLOW_SHARED_ORIGIN", "").strip().lower() == "true")
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
