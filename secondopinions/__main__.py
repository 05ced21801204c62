"""`python -m secondopinions check [FILE]`: check the directory data the way the build does.
`python -m secondopinions build [SITE_DIR]`: build the site strictly, and replace SITE_DIR (site/)
only when the build succeeded, so it always holds one whole site."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .programs import DATA_FILE, ProgramDataError, load_programs

USAGE = "usage: python -m secondopinions check [data/hospitals.yaml] | build [site]"


def check(path: Path) -> int:
    try:
        programs = load_programs(path)
    except ProgramDataError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 1
    print(f"{path.name}: {len(programs)} programs, all valid")
    return 0


def _leftovers(site: Path) -> list[Path]:
    return sorted(site.parent.glob(f".{site.name}-build-*")) + sorted(site.parent.glob(f".{site.name}-old-*"))


def build(site: Path) -> int:
    """Build into a new folder beside `site`, then swap it in with two renames. A failed build, or
    one killed midway, leaves `site` as it was; its half-written folder is removed by the next build."""
    site = site.absolute()
    site.parent.mkdir(parents=True, exist_ok=True)
    for stale in _leftovers(site):  # from a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    # On `kill`, stop MkDocs and clean up as on Ctrl-C, instead of leaving it writing.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    fresh = Path(tempfile.mkdtemp(prefix=f".{site.name}-build-", dir=site.parent))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(fresh)],
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        if result.returncode != 0:
            print(f"The build failed; {site.name}/ was left as it was.", file=sys.stderr)
            return result.returncode
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


def main(argv: list[str]) -> int:
    if len(argv) in (1, 2) and argv[0] == "check":
        return check(Path(argv[1]) if len(argv) == 2 else DATA_FILE)
    if len(argv) in (1, 2) and argv[0] == "build":
        return build(Path(argv[1] if len(argv) == 2 else "site"))
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
