"""The reading pages: a review date, a source for every figure, and plain words (grade 8 or under)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import textstat
import yaml
from markdown.extensions.toc import slugify

from conftest import ROOT

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
# Pages made mostly of data or form fields rather than running prose.
NOT_PROSE = {"directory.md"}


def split(path):
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def prose(body: str) -> str:
    """The words a reader reads: no footnote definitions, link targets, HTML, or Markdown marks."""
    body = re.sub(r"^\[\^[^\]]+\]:.*$", "", body, flags=re.M)
    body = re.sub(r"\[\^[^\]]+\]", "", body)
    body = re.sub(r"<[^>]+>", " ", body)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    body = re.sub(r"\{[^}]*\}", "", body)
    body = re.sub(r'^\s*!!! \w+(?: "([^"]*)")?', r"\1.", body, flags=re.M)
    body = re.sub(r"[*_`#>|]", "", body)
    # Headings and list items are sentences for a reader; end them so the formula sees that.
    lines = [line.strip(" -0123456789.") for line in body.splitlines()]
    return "\n".join(line if line.endswith((".", "?", "!", ":")) else line + "." for line in lines if line)


def grade(path) -> float:
    return textstat.flesch_kincaid_grade(prose(split(path)[1]))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_page_has_title_description_and_review_date(path):
    meta, body = split(path)
    assert meta.get("title") and meta.get("description"), path.name
    assert isinstance(meta.get("reviewed"), dt.date), f"{path.name}: reviewed must be a YYYY-MM-DD date"
    assert meta["reviewed"] <= dt.date.today()
    assert len(re.findall(r"^# ", body, flags=re.M)) == 1, f"{path.name}: exactly one h1"


def test_titles_and_descriptions_are_unique():
    metas = [split(p)[0] for p in PAGES]
    assert len({m["title"] for m in metas}) == len(metas)
    assert len({m["description"] for m in metas}) == len(metas)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_footnote_has_a_linked_source(path):
    _, body = split(path)
    refs = set(re.findall(r"\[\^([^\]]+)\](?!:)", body))
    defs = dict(re.findall(r"^\[\^([^\]]+)\]:(.*)$", body, flags=re.M))
    assert refs == set(defs), f"{path.name}: footnotes without a definition or never used: {refs ^ set(defs)}"
    for name, text in defs.items():
        assert re.search(r"<https://[^>\s]+>|\]\(https://", text), f"{path.name}: footnote {name} has no https link"
        assert re.search(r"\b(19|20)\d\d\b|[Uu]ndated", text), f"{path.name}: footnote {name} gives no year"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_statistic_carries_a_footnote(path):
    _, body = split(path)
    for paragraph in re.split(r"\n\s*\n", body):
        if paragraph.lstrip().startswith(("[^", "#")):  # footnote definitions and headings
            continue
        if re.search(r"\d+(\.\d+)?\s?%|\b\d{1,3},\d{3}\b|\b1 in \d+", paragraph):
            assert "[^" in paragraph, f"{path.name}: a figure without a source: {paragraph.strip()[:120]}"


@pytest.mark.parametrize("path", [p for p in PAGES if p.name not in NOT_PROSE], ids=lambda p: p.name)
def test_each_page_reads_at_grade_8_or_under(path):
    assert grade(path) <= 8.0, f"{path.name}: Flesch-Kincaid grade {grade(path):.1f}"


def test_pages_average_grade_7_or_under():
    grades = [grade(p) for p in PAGES if p.name not in NOT_PROSE]
    assert sum(grades) / len(grades) <= 7.0


def test_glossary_links_point_at_real_terms():
    glossary = (DOCS / "glossary.md").read_text(encoding="utf-8")
    # The same slugs as the built page's heading ids (Python-Markdown's toc extension).
    anchors = {slugify(h, "-") for h in re.findall(r"^## (.+)$", glossary, flags=re.M)}
    for path in PAGES:
        for term in re.findall(r"\(glossary\.md#([^)]+)\)", path.read_text(encoding="utf-8")):
            assert term in anchors, f"{path.name} links glossary term #{term}, which does not exist"
