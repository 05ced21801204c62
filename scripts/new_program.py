"""Start a new directory entry: a blank, commented template in its sorted place in data/hospitals.yaml.

    python scripts/new_program.py example-childrens      # or: make new-program ID=example-childrens

Every field is left blank, so `make check` refuses the entry until each one is filled in from the
program's own page or deleted. Nobody starts from an old entry and keeps one of its facts by mistake.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from secondopinions.programs import DATA_FILE, RESERVED_ID_PREFIXES, SCHEMA_FILE  # noqa: E402
from secondopinions.yamldata import DataFileError, read_yaml, shown  # noqa: E402

PROG = "new-program"

# (field, indent, the one-line comment above it). Every field of the schema, in the schema's order;
# tests/test_contributor_new_program.py keeps this list and the schema in step.
FIELDS: list[tuple[str, int, str]] = [
    ("institution", 2, "REQUIRED. The hospital or health system, by the name the program's page uses."),
    ("program", 2, "REQUIRED. The program's own name, as its page writes it."),
    ("url", 2, "REQUIRED. The program's own page, where a family starts: https://..."),
    ("location", 2, "REQUIRED. Where the program is, as a source states it."),
    (
        "city",
        4,
        "REQUIRED. Not on the program's page? Read it on the hospital's contact page and add that page to sources.",
    ),
    ("region", 4, "State, province or region, full name (Ohio), only if a source states it; else delete this line."),
    ("country", 4, "REQUIRED. Two-letter code: US, CA, GB, NL, ES, IT... (data/README.md lists them)."),
    (
        "formats",
        2,
        "How the opinion is given, from [records-review, video-visit, in-person], as the page says; else delete.",
    ),
    ("who_can_ask", 2, "Who may start a request, from [family, physician], as the page says; else delete."),
    (
        "international",
        2,
        "true or false, only if the page says whether families from other countries can use it; else delete.",
    ),
    ("areas_excluded", 2, "Places the page says it does not serve, as a list: [Maine]; else delete."),
    ("eligibility", 2, "Who the program takes, 1 to 10 short phrases, each on its own '- ' line; else delete."),
    (
        "cancer_types",
        2,
        "Kinds of cancer the page says it takes: [leukemias, cns-tumors...] or [all] (data/README.md); else delete.",
    ),
    ("report_to", 2, "Who gets the written opinion, if the page says: family, local-doctor or both; else delete."),
    ("not_for_urgent", 2, "true only if the page says it is not for urgent or emergency cases; else delete."),
    ("languages", 2, "Languages the page says families are served in: [en, es]; else delete."),
    ("interpreters", 2, "true only if a source says interpreters or free language help are offered; else delete."),
    ("cost", 2, 'The cost as the page states it, with currency, in quotes: "US$500, paid by the family"; else delete.'),
    ("turnaround", 2, "How long it takes, as the page states it, in quotes; else delete."),
    ("ages", 2, 'The age range, in quotes, as the page states it: "Up to age 21"; else delete.'),
    ("records", 2, "What the program asks for, each on its own '- ' line; else delete."),
    (
        "contact",
        2,
        "Contact printed on the program's own page; delete the lines it does not print (and this one if neither).",
    ),
    ("phone", 4, 'A phone number from the program\'s page, in quotes: "+1 555-010-0000"; else delete.'),
    ("email", 4, "An email address from the program's page; else delete."),
    ("note", 2, "One or two plain sentences a parent should know, in your own words, in quotes; else delete."),
    (
        "sources",
        2,
        "REQUIRED. Every https page you read these facts on, one per '- ' line, the program's own page first.",
    ),
    ("checked", 2, "REQUIRED. The date you read the sources, YYYY-MM-DD (today is {today})."),
]

# A line of YAML that is only a blank list item: the check reports it as "has no value" too.
BLANK_ITEM = {"eligibility", "records", "sources"}


def template(program_id: str, today: dt.date) -> str:
    """The entry as text: the id filled in, every other field blank under a one-line comment."""
    lines = [
        f"# NEW ENTRY (make new-program, {today.isoformat()}): fill in each field from the program's own page, or",
        "# delete the field and its comment when no source says it. Then delete these comment lines.",
        "# `make check` names every field still blank. Rules and examples: data/README.md.",
        f"- id: {program_id}",
    ]
    for name, indent, words in FIELDS:
        pad = " " * indent
        lines.append(f"{pad}# {words.format(today=today.isoformat())}")
        if name in BLANK_ITEM:
            lines.append(f"{pad}{name}:")
            lines.append(f"{pad}  -")
        else:
            lines.append(f"{pad}{name}:")
    return "\n".join(lines) + "\n"


def id_rules() -> tuple[re.Pattern[str], int]:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    spec = schema["$defs"]["program"]["properties"]["id"]
    return re.compile(spec["pattern"]), spec["maxLength"]


def id_problem(program_id: str) -> str | None:
    """Why `program_id` cannot be an id, in one plain phrase, or None."""
    pattern, longest = id_rules()
    if not program_id:
        return "no id given"
    if len(program_id) > longest:
        return f"{shown(program_id)} is too long: {len(program_id)} characters, at most {longest}"
    if program_id.startswith(RESERVED_ID_PREFIXES):
        return f"{shown(program_id)} must not start with {' or '.join(map(repr, RESERVED_ID_PREFIXES))} (the directory page keeps those)"
    if not pattern.match(program_id):
        return (
            f"{shown(program_id)} is not a valid id: use lowercase letters, digits and single hyphens, "
            "like 'example-childrens'"
        )
    return None


def add_entry(path: Path, program_id: str, today: dt.date) -> int:
    """Write the template into `path` before the first entry whose id sorts after `program_id`.
    Returns the line number of the new `- id:` line. Raises ValueError with one plain line."""
    problem = id_problem(program_id)
    if problem:
        raise ValueError(problem)
    try:
        doc = read_yaml(path, label=path.name)
    except DataFileError as exc:
        raise ValueError(f"{path.name} cannot be read yet; fix this first: {exc.problems[0]}") from None
    entries = doc.data if isinstance(doc.data, list) else []
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    before: int | None = None  # 0-based line of the entry the new one goes in front of
    for index, item in enumerate(entries):
        pid = item.get("id") if isinstance(item, dict) else None
        if pid == program_id:
            raise ValueError(
                f"{shown(program_id)} is already in {path.name} (line {doc.line_of((index,))}); "
                "pick another id, or correct that entry"
            )
        if before is None and isinstance(pid, str) and pid > program_id:
            before = doc.line_of((index,)) - 1
    entry = template(program_id, today)
    if before is None:  # last in order: at the end, after one blank line
        body = text if text.endswith("\n") or not text else text + "\n"
        body = body.rstrip("\n") + "\n\n" if body.strip() else body
        new_text = body + entry
        new_line = new_text[: new_text.index(f"- id: {program_id}\n")].count("\n") + 1
    else:
        # In front of the next entry, and in front of any comment lines directly above it.
        while (
            before > 0
            and lines[before - 1].lstrip().startswith("#")
            and not lines[before - 1].startswith("# yaml-language-server")
        ):
            before -= 1
        new_text = "".join(lines[:before]) + entry + "\n" + "".join(lines[before:])
        new_line = before + entry[: entry.index("- id:")].count("\n") + 1
    path.write_text(new_text, encoding="utf-8")
    return new_line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("id", nargs="?", default="", help="the new program's id, like example-childrens")
    default = Path(os.environ.get("SO_DATA_FILE") or DATA_FILE)  # as the build: another data file when set
    parser.add_argument(
        "--file", type=Path, default=default, help="the data file (default: data/hospitals.yaml, or $SO_DATA_FILE)"
    )
    args = parser.parse_args(argv)
    if not args.id:
        print(f"{PROG}: give the new program's id, like: make new-program ID=example-childrens", file=sys.stderr)
        return 2
    try:
        line = add_entry(args.file, args.id, dt.date.today())
    except ValueError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    print(
        f"{PROG}: added a blank entry '{args.id}' at {args.file.name} line {line}. Fill in each field from the "
        "program's own page or delete it, then run `make check`."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
