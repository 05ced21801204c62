"""Issue 12, the page and the open data: every id on the directory is unique and a program's element id
is exactly its id; no CSV cell can start a spreadsheet formula."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections import Counter
from html.parser import HTMLParser

from secondopinions.programs import Contact, Location, Program
from secondopinions.render import csv_cell, open_data_csv, render_directory

TODAY = dt.date(2026, 11, 26)


def program(pid: str, region: str = "Ohio", country: str = "US", **extra) -> Program:
    return Program(id=pid, institution=f"Hospital {pid}", program="Second Opinions",
                   url="https://example.org/so", location=Location("Springfield", region, country),
                   source="https://example.org/so", checked=dt.date(2026, 1, 15), **extra)


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.articles: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "article":
            self.articles[attrs["data-program-id"]] = attrs["id"]


def ids_of(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    return parser


def test_a_program_id_cannot_meet_a_heading_id_of_another_program():
    # Program "alpha" used to give its heading the id "alpha-name": the id of another program.
    page = ids_of(render_directory([program("alpha"), program("alpha-name")], today=TODAY))
    assert [i for i, n in Counter(page.ids).items() if n > 1] == []
    assert page.articles == {"alpha": "alpha", "alpha-name": "alpha-name"}  # published anchors unchanged


def test_region_names_that_make_the_same_anchor_get_their_own():
    programs = [
        program("a", "Québec", "CA"), program("b", "Quebec", "CA"),
        program("c", "ירושלים", "IL"), program("d", "תל אביב", "IL"),
    ]
    page = ids_of(render_directory(programs, today=TODAY))
    assert [i for i, n in Counter(page.ids).items() if n > 1] == []
    # Every id the page makes for itself uses a prefix that program ids may not use.
    assert all(i.startswith(("so-", "in-")) for i in page.ids if i not in page.articles)


def test_csv_cells_never_start_a_formula_in_any_column():
    # +1 ... is a phone number to us and a formula to a spreadsheet; the same rule for every column.
    hostile = dataclasses.replace(
        program("alpha"), institution="=HYPERLINK(\"https://evil.example\")", ages="-1+1", note="@SUM(A1)",
        contact=Contact(phone="+1 555-010-0000", email="a@example.org"), records=("\tTab", "plain"),
    )
    [row] = list(csv.DictReader(io.StringIO(open_data_csv([hostile]))))
    assert row["institution"] == "'=HYPERLINK(\"https://evil.example\")"
    assert row["phone"] == "'+1 555-010-0000"
    assert row["ages"] == "'-1+1" and row["note"] == "'@SUM(A1)"
    assert row["records"] == "'\tTab; plain"
    assert row["email"] == "a@example.org" and row["id"] == "alpha"  # ordinary cells are left as they are
    assert not [k for k, v in row.items() if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert csv_cell("\rCR") == "'\rCR"  # a carriage return too (the data layer refuses it first)
