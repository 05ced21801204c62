"""`python -m secondopinions check [FILE]`: check the directory data the way the build does."""

from __future__ import annotations

import sys
from pathlib import Path

from .programs import DATA_FILE, ProgramDataError, load_programs


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "check" or len(argv) > 2:
        print("usage: python -m secondopinions check [data/hospitals.yaml]", file=sys.stderr)
        return 2
    path = Path(argv[1]) if len(argv) == 2 else DATA_FILE
    try:
        programs = load_programs(path)
    except ProgramDataError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 1
    print(f"{path.name}: {len(programs)} programs, all valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
