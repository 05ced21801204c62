"""Issue 12, the page and the open data: every id on the directory is unique and a program's element id
is exactly its id; no CSV cell can start a spreadsheet formula. Schema v2: every new field is shown
with its plain label, escaped, and published in the JSON and CSV; places without a region group by city."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
from collections import Counter
from html.parser import HTMLParser

from secondopinions.programs import Contact, Location, Program
from secondopinions.render import CSV_COLUMNS, csv_cell, open_data_csv, open_data_json, render_directory

TODAY = dt.date(2026, 11, 26)


def program(pid: str, region: str | None = "Ohio", country: str = "US", city: str = "Springfield", **extra) -> Program:
    extra.setdefault("sources", ("https://example.org/so",))
    return Program(
        id=pid,
        institution=f"Hospital {pid}",
        program="Second Opinions",
        url="https://example.org/so",
        location=Location(city, region, country),
        checked=dt.date(2026, 1, 15),
        **extra,
    )


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
        program("a", "Québec", "CA"),
        program("b", "Quebec", "CA"),
        program("c", "ירושלים", "IL"),
        program("d", "תל אביב", "IL"),
    ]
    page = ids_of(render_directory(programs, today=TODAY))
    assert [i for i, n in Counter(page.ids).items() if n > 1] == []
    # Every id the page makes for itself uses a prefix that program ids may not use.
    assert all(i.startswith(("so-", "in-")) for i in page.ids if i not in page.articles)


def test_csv_cells_never_start_a_formula_in_any_column():
    # +1 ... is a phone number to us and a formula to a spreadsheet; the same rule for every column.
    hostile = dataclasses.replace(
        program("alpha"),
        institution='=HYPERLINK("https://evil.example")',
        ages="-1+1",
        note="@SUM(A1)",
        contact=Contact(phone="+1 555-010-0000", email="a@example.org"),
        records=("\tTab", "plain"),
    )
    [row] = list(csv.DictReader(io.StringIO(open_data_csv([hostile]))))
    assert row["institution"] == '\'=HYPERLINK("https://evil.example")'
    assert row["phone"] == "'+1 555-010-0000"
    assert row["ages"] == "'-1+1" and row["note"] == "'@SUM(A1)"
    assert row["records"] == "'\tTab; plain"
    assert row["email"] == "a@example.org" and row["id"] == "alpha"  # ordinary cells are left as they are
    assert not [k for k, v in row.items() if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert csv_cell("\rCR") == "'\rCR"  # a carriage return too (the data layer refuses it first)


FULL = dict(
    eligibility=("Children <b>newly</b> diagnosed", "Families in Ohio"),
    cancer_types=("leukemias", "cns-tumors"),
    report_to="both",
    not_for_urgent=True,
    languages=("en", "es"),
    interpreters=True,
    sources=("https://example.org/so", "https://example.org/contact?a=1&b=2"),
)


def card(html: str, pid: str) -> str:
    """The HTML of one program's article."""
    return re.search(rf'<article[^>]* data-program-id="{pid}".*?</article>', html, re.S).group(0)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_v2_field_is_shown_with_its_plain_label():
    html = card(render_directory([program("alpha", **FULL)], today=TODAY), "alpha")
    text = text_of(html)
    assert "Who it is for" in text and "Children &lt;b&gt;newly&lt;/b&gt; diagnosed" in html and "<b>" not in html
    assert "Kinds of cancer" in text and "Leukemia" in text and "Brain and spinal cord tumors" in text
    assert "Who gets the report You and your child&#39;s doctor" in text
    assert "Not for urgent or emergency questions." in text
    assert "Languages English, Spanish. Interpreters or free language help are offered." in text
    # Every source is a link, its address escaped in the attribute.
    assert "Sources" in text
    assert '<a href="https://example.org/so">example.org/so</a>' in html
    assert '<a href="https://example.org/contact?a=1&amp;b=2">example.org/contact?a=1&amp;b=2</a>' in html
    assert "against the pages listed under Sources" in text
    # Hooks for the coming filters: space-separated ids.
    assert 'data-cancer="leukemias cns-tumors"' in html and 'data-languages="en es"' in html


def test_absent_v2_fields_show_nothing_and_all_is_plain_words():
    html = card(
        render_directory([program("alpha"), program("beta", cancer_types=("all",), interpreters=False)], today=TODAY),
        "alpha",
    )
    text = text_of(html)
    for label in ("Who it is for", "Kinds of cancer", "Who gets the report", "Not for urgent", "Languages"):
        assert label not in text
    assert 'data-cancer=""' in html and 'data-languages=""' in html
    assert "against the page listed under Sources" in text  # one source, singular
    beta = text_of(
        card(render_directory([program("beta", cancer_types=("all",), interpreters=False)], today=TODAY), "beta")
    )
    assert "Kinds of cancer All childhood cancers" in beta
    assert "Languages Interpreters are not offered." in beta


def test_programs_without_a_region_are_grouped_by_city():
    programs = [
        program("rome", None, "IT", "Rome"),
        program("milan", "Lombardy", "IT", "Milan"),
        program("london", None, "GB", "London"),
        program("ohio"),
    ]
    html = render_directory(programs, today=TODAY)
    headings = re.findall(r'<h([23]) id="([^"]+)">([^<]+)</h[23]>', html)
    assert [(level, anchor, name) for level, anchor, name in headings if not anchor.startswith("so-")] == [
        ("2", "in-us", "United States"),
        ("3", "in-us-ohio", "Ohio"),
        ("2", "in-it", "Italy"),
        ("3", "in-it-lombardy", "Lombardy"),
        ("3", "in-it-rome", "Rome"),
        ("2", "in-gb", "United Kingdom"),
        ("3", "in-gb-london", "London"),
    ]
    rome = card(html, "rome")
    assert "Rome, Italy</p>" in rome and "None" not in rome
    assert 'data-region="Rome"' in rome  # the place filter finds it by its city
    assert '<option value="Rome" data-country="IT">Rome</option>' in html
    [item] = [
        i["item"]
        for i in json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))["itemListElement"]
        if i["item"]["@id"] == "#rome"
    ]
    assert item["provider"]["address"] == {"@type": "PostalAddress", "addressLocality": "Rome", "addressCountry": "IT"}


def test_a_city_with_the_name_of_another_places_anchor_gets_its_own():
    # A region and a city of the same name in one country share a heading; a city whose name
    # differs only by an accent gets an anchor of its own.
    programs = [
        program("a", "Utrecht", "NL", "Amersfoort"),
        program("b", None, "NL", "Utrecht"),
        program("c", None, "NL", "Utrécht"),
    ]
    page = ids_of(render_directory(programs, today=TODAY))
    assert [i for i, n in Counter(page.ids).items() if n > 1] == []
    assert [i for i in page.ids if i.startswith("in-nl-")] == ["in-nl-utrecht", "in-nl-utrecht-2"]


def test_open_data_carries_every_v2_field():
    full = program("alpha", None, "IT", "Rome", **FULL)
    [published] = json.loads(open_data_json([full, program("beta")]))[:1]
    assert published["location"] == {"city": "Rome", "country": "IT"}
    assert published["sources"] == list(FULL["sources"]) and "source" not in published
    for key in ("eligibility", "cancer_types", "languages"):
        assert published[key] == list(FULL[key])
    assert (published["report_to"], published["not_for_urgent"], published["interpreters"]) == ("both", True, True)
    rows = list(csv.DictReader(io.StringIO(open_data_csv([full, program("beta")]))))
    assert list(rows[0]) == CSV_COLUMNS
    for column in (
        "eligibility",
        "cancer_types",
        "report_to",
        "not_for_urgent",
        "languages",
        "interpreters",
        "sources",
    ):
        assert column in CSV_COLUMNS
    assert rows[0]["eligibility"] == "Children <b>newly</b> diagnosed; Families in Ohio"
    assert rows[0]["cancer_types"] == "leukemias; cns-tumors" and rows[0]["languages"] == "en; es"
    assert rows[0]["sources"] == "https://example.org/so | https://example.org/contact?a=1&b=2"
    assert (rows[0]["report_to"], rows[0]["not_for_urgent"], rows[0]["interpreters"], rows[0]["region"]) == (
        "both",
        "yes",
        "yes",
        "",
    )
    # Not stated is an empty cell, never "no".
    assert (rows[1]["not_for_urgent"], rows[1]["interpreters"], rows[1]["cancer_types"]) == ("", "", "")


def test_new_csv_columns_are_formula_safe_too():
    hostile = program("alpha", eligibility=("=1+1", "plain"))
    [row] = list(csv.DictReader(io.StringIO(open_data_csv([hostile]))))
    assert row["eligibility"] == "'=1+1; plain"


def test_the_published_json_follows_the_published_schema():
    # Others read /data/hospitals.json with /data/hospitals.schema.json alone.
    import jsonschema

    from secondopinions.programs import load_programs, load_schema

    jsonschema.Draft202012Validator(load_schema()).validate(json.loads(open_data_json(load_programs())))
