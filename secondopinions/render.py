"""Turn program records into escaped HTML, JSON-LD and open data (JSON, CSV).

Every value from the data reaches HTML through Jinja2 with autoescape on; JSON-LD goes through `tojson`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .programs import SCHEMA_FILE, Program, labels, load_schema
from .words import Words, long_date

STALE_AFTER_DAYS = 365

# Above this many programs the cards get `content-visibility: auto` (directory.css, .so-directory--long):
# the browser then skips layout and paint for cards off screen, which keeps typing in the filter quick
# on a phone with thousands of programs. Below it every card keeps its real size, so the page's length,
# find-in-page and assistive technology meet the plain page.
LONG_LIST_THRESHOLD = 200

# The issue form a family or clinician uses to tell us a program's details have changed
# (.github/ISSUE_TEMPLATE/outdated-program.yml; its field id is `program`).
CORRECTION_FORM = "outdated-program.yml"

CSV_COLUMNS = [
    "id",
    "institution",
    "program",
    "url",
    "city",
    "region",
    "country",
    "formats",
    "who_can_ask",
    "international",
    "areas_excluded",
    "eligibility",
    "cancer_types",
    "report_to",
    "not_for_urgent",
    "languages",
    "interpreters",
    "cost",
    "turnaround",
    "ages",
    "records",
    "phone",
    "email",
    "note",
    "sources",
    "checked",
]
CSV_LIST_SEPARATOR = "; "
# Addresses may hold ';' (in a query string) but never ' | ': the schema refuses spaces in them.
CSV_SOURCES_SEPARATOR = " | "


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("secondopinions", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["long_date"] = long_date
    env.filters["tel"] = tel_href
    env.filters["slug"] = slugify
    env.filters["without_scheme"] = without_scheme
    return env


def tel_href(phone: str, country: str = "US") -> str:
    """A tel: address a phone can dial: digits only, with the country code where we know it."""
    digits = re.sub(r"[^0-9]", "", phone)
    if phone.strip().startswith("+"):
        return "tel:+" + digits
    if country == "US" and len(digits) == 10:
        return "tel:+1" + digits
    if country == "US" and len(digits) == 11 and digits.startswith("1"):
        return "tel:+" + digits
    return "tel:" + digits


def without_scheme(url: str) -> str:
    """An address as link text: 'https://' left off, since every address has it."""
    return url.removeprefix("https://")


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_ENV = _environment()


@dataclass(frozen=True)
class RegionGroup:
    """The programs of one place within a country: a region, or a city where no region is given."""

    name: str
    anchor: str
    programs: list[Program]


@dataclass(frozen=True)
class CountryGroup:
    code: str
    name: str
    anchor: str
    regions: list[RegionGroup]


def group_programs(programs: Iterable[Program], country_names: dict[str, str]) -> list[CountryGroup]:
    """Countries A-Z by name (the United States first, as most readers are there), then places A-Z
    (the region where a source states one, else the city: "Rome", "London"), then programs by
    institution. A region and a city of the same name in one country share a heading."""
    by_country: dict[str, dict[str, list[Program]]] = {}
    for p in programs:
        by_country.setdefault(p.location.country, {}).setdefault(p.location.place, []).append(p)
    order = sorted(by_country, key=lambda c: (c != "US", country_names.get(c, c)))
    used: set[str] = set()
    groups = []
    for code in order:
        regions = [
            RegionGroup(
                name=region,
                anchor=_unique(f"in-{code.lower()}-{slugify(region) or 'region'}", used),
                programs=sorted(items, key=lambda p: (p.institution.casefold(), p.program.casefold())),
            )
            for region, items in sorted(by_country[code].items(), key=lambda kv: kv[0].casefold())
        ]
        groups.append(CountryGroup(code, country_names.get(code, code), _unique(f"in-{code.lower()}", used), regions))
    return groups


def _unique(anchor: str, used: set[str]) -> str:
    """`anchor`, or `anchor-2`, `-3`... when two names make the same one (Québec and Quebec; two
    names in a script with no Latin letters). Program ids can never start with `in-` or `so-`, so
    these never meet a program's own anchor."""
    candidate, n = anchor, 1
    while candidate in used:
        n += 1
        candidate = f"{anchor}-{n}"
    used.add(candidate)
    return candidate


def is_stale(program: Program, today: dt.date) -> bool:
    return (today - program.checked).days > STALE_AFTER_DAYS


def correction_url(repo_url: str | None, program_id: str) -> str | None:
    """The "Report outdated program information" form with the program's id filled in, or None when the
    site has no repository address (then no link is shown rather than a broken one)."""
    if not repo_url:
        return None
    return f"{repo_url.rstrip('/')}/issues/new?template={CORRECTION_FORM}&program={quote(program_id, safe='')}"


def _card_context(schema: dict[str, Any], today: dt.date, repo_url: str | None, lang: str) -> dict[str, Any]:
    """What the program templates need besides the program: the page's words (`t`), words for codes,
    the page language (`lang`; free text from the data is English, marked so on other pages), the
    stale rule, links."""
    return {
        "t": Words(lang),
        "lang": lang,
        "countries": labels(schema, "country", lang),
        "formats": labels(schema, "formats", lang),
        "askers": labels(schema, "who_can_ask", lang),
        "cancers": labels(schema, "cancer_types", lang),
        "report_to": labels(schema, "report_to", lang),
        "languages": labels(schema, "languages", lang),
        "today": today,
        "is_stale": lambda p: is_stale(p, today),
        "correction_url": lambda p: correction_url(repo_url, p.id),
        # The templates include these by object, not by name: looking a template up by name checks its
        # file on disk, once for every card, which took a fifth of the directory's render.
        "program_card": _ENV.get_template("program.html"),
        "program_facts": _ENV.get_template("program-facts.html"),
    }


def render_directory(
    programs: list[Program],
    *,
    today: dt.date | None = None,
    schema: dict[str, Any] | None = None,
    data_base: str = "../data/",
    repo_url: str | None = None,
    lang: str = "en",
) -> str:
    """The directory's HTML: filter controls (shown by JavaScript), a status line, every program, and
    a table comparing them, in the page's language `lang`. `repo_url` (the site's repository) adds
    each program's correction link."""
    schema = schema or load_schema()
    today = today or dt.date.today()
    context = _card_context(schema, today, repo_url, lang)
    countries, formats, cancers = context["countries"], context["formats"], context["cancers"]
    groups = group_programs(programs, countries)
    regions_by_country = OrderedDict((g.code, [r.name for r in g.regions]) for g in groups)
    offered = {f for p in programs for f in p.formats}
    covered = {c for p in programs for c in p.cancer_types}
    return (
        _ENV.get_template("directory.html")
        .render(
            **context,
            groups=groups,
            total=len(programs),
            long_list=len(programs) > LONG_LIST_THRESHOLD,
            regions_by_country=regions_by_country,
            format_choices={k: v for k, v in formats.items() if k in offered},  # no filter that finds nothing
            # Every kind when some program takes all kinds; else only the kinds some program names.
            cancer_choices={k: v for k, v in cancers.items() if k != "all" and (k in covered or "all" in covered)},
            data_base=data_base,
            jsonld=jsonld(programs, countries, lang),
        )
        .strip()
    )


def program_title(p: Program, lang: str = "en") -> str:
    """The program page's title: unique, since two programs of one institution have different names
    and one program name at two places has different cities. Names are the same in every language."""
    return f"{p.program}, {p.institution} ({p.location.city})"


def program_description(p: Program, country_names: dict[str, str], lang: str = "en") -> str:
    """The program page's meta description, plain text (the caller escapes it). `country_names` are
    the words for country codes in `lang` (labels(schema, "country", lang))."""
    place = ", ".join(x for x in (p.location.city, p.location.region, country_names.get(p.location.country)) if x)
    return Words(lang).page_description.format(
        program=p.program, institution=p.institution, place=place, date=long_date(p.checked, lang)
    )


def render_program_page(
    p: Program,
    *,
    today: dt.date | None = None,
    schema: dict[str, Any] | None = None,
    repo_url: str | None = None,
    lang: str = "en",
) -> str:
    """One program's own page (/directory/<id>/): everything the entry says, its sources in full, its
    JSON-LD, a link back to the directory and, with `repo_url`, to the correction form."""
    [page] = render_program_pages([p], today=today, schema=schema, repo_url=repo_url, lang=lang)
    return page


def render_program_pages(
    programs: Iterable[Program],
    *,
    today: dt.date | None = None,
    schema: dict[str, Any] | None = None,
    repo_url: str | None = None,
    lang: str = "en",
) -> Iterator[str]:
    """render_program_page for each program in turn, with the words and templates looked up once."""
    schema = schema or load_schema()
    context = _card_context(schema, today or dt.date.today(), repo_url, lang)
    template = _ENV.get_template("program-page.html")
    for p in programs:
        yield template.render(**context, p=p, jsonld=program_jsonld(p, page=True, lang=lang)).strip()


def program_jsonld(p: Program, *, page: bool = False, lang: str = "en") -> dict[str, Any]:
    """schema.org Service for one program, provided by a Hospital. On the program's own page it also
    carries the date checked and the pages the facts were read on."""
    item: dict[str, Any] = {
        "@type": "Service",
        "@id": f"#{p.id}",
        "name": p.program,
        "serviceType": Words(lang).service_type,
        "url": p.url,
        "provider": {
            "@type": "Hospital",
            "name": p.institution,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": p.location.city,
                **({"addressRegion": p.location.region} if p.location.region else {}),
                "addressCountry": p.location.country,
            },
            **({"telephone": p.contact.phone} if p.contact.phone else {}),
            **({"email": p.contact.email} if p.contact.email and page else {}),
        },
    }
    if page:
        item = {"@context": "https://schema.org", **item, "@id": f"../#{p.id}"}
        if p.languages:
            item["availableLanguage"] = list(p.languages)
        item["isBasedOn"] = list(p.sources)
        item["dateModified"] = p.checked.isoformat()
    return item


def jsonld(programs: list[Program], country_names: dict[str, str], lang: str = "en") -> dict[str, Any]:
    """schema.org ItemList of second-opinion Services, each provided by a Hospital."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "inLanguage": lang,
        "name": Words(lang).list_name,
        "numberOfItems": len(programs),
        "itemListElement": [
            {"@type": "ListItem", "position": i, "item": program_jsonld(p, lang=lang)}
            for i, p in enumerate(programs, start=1)
        ],
    }


# --------------------------------------------------------------------------------------------------
# Open data
# --------------------------------------------------------------------------------------------------


def open_data_json(programs: list[Program]) -> str:
    """A JSON list with one program a line: as easy to read and diff as an indented file, and written by
    json's C encoder (an indented file takes its slow Python path, a second per few thousand programs)."""
    lines = (json.dumps(p.as_dict(), ensure_ascii=False) for p in programs)
    return "[\n" + ",\n".join(lines) + "\n]\n"


# A cell that starts with one of these is read by spreadsheets as a formula (or a formula's start),
# so a phone number like +1 555... or a hostile "=HYPERLINK(...)" could run. Such a cell gets a
# leading apostrophe, the usual way to tell a spreadsheet "this is text" (OWASP, CSV injection).
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text and never runs."""
    return "'" + value if value.startswith(CSV_FORMULA_STARTS) else value


def open_data_csv(programs: list[Program]) -> str:
    """One row a program; lists joined with '; ', sources with ' | ', true and false as yes and no.
    Values are as in the YAML, except that a cell starting with =, +, -, @, a tab or a carriage
    return gets a leading ' (see CSV_FORMULA_STARTS), in every column: phone numbers such as
    '+1 202-476-5779 show that way."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    yes_no = {True: "yes", False: "no", None: ""}
    for p in programs:
        d = p.as_dict()
        row = {
            **{
                k: d.get(k, "")
                for k in (
                    "id",
                    "institution",
                    "program",
                    "url",
                    "report_to",
                    "cost",
                    "turnaround",
                    "ages",
                    "note",
                    "checked",
                )
            },
            "city": p.location.city,
            "region": p.location.region or "",
            "country": p.location.country,
            **{
                k: CSV_LIST_SEPARATOR.join(getattr(p, k))
                for k in (
                    "formats",
                    "who_can_ask",
                    "areas_excluded",
                    "eligibility",
                    "cancer_types",
                    "languages",
                    "records",
                )
            },
            **{k: yes_no[getattr(p, k)] for k in ("international", "not_for_urgent", "interpreters")},
            "phone": p.contact.phone or "",
            "email": p.contact.email or "",
            "sources": CSV_SOURCES_SEPARATOR.join(p.sources),
        }
        writer.writerow({k: csv_cell(str(v)) for k, v in row.items()})
    return buf.getvalue()


def write_open_data(programs: list[Program], site_dir: Path | str, schema_file: Path = SCHEMA_FILE) -> list[Path]:
    """Write /data/hospitals.json, /data/hospitals.csv and the schema into the built site."""
    out = Path(site_dir) / "data"
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "hospitals.json", out / "hospitals.csv", out / "hospitals.schema.json"]
    written[0].write_text(open_data_json(programs), encoding="utf-8")
    written[1].write_text(open_data_csv(programs), encoding="utf-8")
    shutil.copyfile(schema_file, written[2])
    return written
