"""List directory entries whose facts were checked too long ago.

python scripts/stale.py                 # the directory's rule: checked more than 365 days ago
python scripts/stale.py --months 6
python scripts/stale.py --before 2026-01-01
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from secondopinions.programs import DATA_FILE, Program, ProgramDataError, load_programs  # noqa: E402
from secondopinions.render import STALE_AFTER_DAYS  # noqa: E402  the rule the directory page marks by


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def stale_programs(programs: list[Program], cutoff: dt.date) -> list[Program]:
    """Programs last checked before `cutoff`, oldest first."""
    return sorted((p for p in programs if p.checked < cutoff), key=lambda p: (p.checked, p.id))


def report(programs: list[Program], cutoff: dt.date) -> str:
    stale = stale_programs(programs, cutoff)
    if not stale:
        return f"No entries were last checked before {cutoff.isoformat()}. All {len(programs)} are fresh."
    lines = [f"{len(stale)} of {len(programs)} entries were last checked before {cutoff.isoformat()}:", ""]
    for p in stale:
        lines.append(f"{p.checked.isoformat()}  {p.id}  ({p.institution})")
        lines.append(f"            {p.source}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--months", type=int, help="older than this many months instead")
    group.add_argument("--before", type=dt.date.fromisoformat, help="checked before this date (YYYY-MM-DD)")
    parser.add_argument("--data", type=Path, default=DATA_FILE, help="the data file (default data/hospitals.yaml)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        programs = load_programs(args.data, today=args.today)
    except ProgramDataError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.before:
        cutoff = args.before
    elif args.months is not None:
        cutoff = months_before(args.today, args.months)
    else:
        # The same rule as the page's "These details may be out of date" mark (render.is_stale).
        cutoff = args.today - dt.timedelta(days=STALE_AFTER_DAYS)
    print(report(programs, cutoff))
    return 0


if __name__ == "__main__":
    sys.exit(main())
