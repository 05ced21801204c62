"""The reading pages: a review date, a source for every figure, and plain words (grade 8 or under in
English, Fernández-Huerta 70 or over in Spanish). Every page has its Spanish twin (why.md and
why.es.md), and the other way round."""

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
SPANISH = ".es.md"
ES_PAGES = [p for p in PAGES if p.name.endswith(SPANISH)]
EN_PAGES = [p for p in PAGES if not p.name.endswith(SPANISH)]
# Pages made mostly of data or form fields rather than running prose.
NOT_PROSE = {"directory.md", "directory.es.md"}


def twin(path):
    """why.md -> why.es.md, why.es.md -> why.md."""
    if path.name.endswith(SPANISH):
        return path.with_name(path.name[: -len(SPANISH)] + ".md")
    return path.with_name(path.stem + SPANISH)


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
def test_every_page_has_its_twin_in_the_other_language(path):
    # The i18n plugin would quietly show the English page at /es/... if the Spanish file were missing.
    assert twin(path).exists(), (
        f"{path.name} has no {'English' if path in ES_PAGES else 'Spanish'} twin {twin(path).name}"
    )
    assert len(EN_PAGES) == len(ES_PAGES)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_footnote_has_a_linked_source(path):
    _, body = split(path)
    refs = set(re.findall(r"\[\^([^\]]+)\](?!:)", body))
    defs = dict(re.findall(r"^\[\^([^\]]+)\]:(.*)$", body, flags=re.M))
    assert refs == set(defs), f"{path.name}: footnotes without a definition or never used: {refs ^ set(defs)}"
    for name, text in defs.items():
        assert re.search(r"<https://[^>\s]+>|\]\(https://", text), f"{path.name}: footnote {name} has no https link"
        undated = r"[Ss]in fecha" if path.name.endswith(SPANISH) else r"[Uu]ndated"
        assert re.search(r"\b(19|20)\d\d\b|" + undated, text), f"{path.name}: footnote {name} gives no year"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_statistic_carries_a_footnote(path):
    _, body = split(path)
    for paragraph in re.split(r"\n\s*\n", body):
        if paragraph.lstrip().startswith(("[^", "#")):  # footnote definitions and headings
            continue
        if re.search(r"\d+(\.\d+)?\s?%|\b\d{1,3},\d{3}\b|\b1 in \d+", paragraph):
            assert "[^" in paragraph, f"{path.name}: a figure without a source: {paragraph.strip()[:120]}"


@pytest.mark.parametrize("path", [p for p in EN_PAGES if p.name not in NOT_PROSE], ids=lambda p: p.name)
def test_each_page_reads_at_grade_8_or_under(path):
    assert grade(path) <= 8.0, f"{path.name}: Flesch-Kincaid grade {grade(path):.1f}"


def test_pages_average_grade_7_or_under():
    grades = [grade(p) for p in EN_PAGES if p.name not in NOT_PROSE]
    assert sum(grades) / len(grades) <= 7.0


# ---- Spanish: Fernández-Huerta (1959), the Spanish adaptation of Flesch's reading ease ------------
# 206.84 - 0.60 P - 1.02 F, with P syllables and F sentences per 100 words; 70 and over is "fairly
# easy" (about grade 7). Syllables are counted from vowel groups (the writer's fh.py): a strong vowel
# (a, e, o, or an accented í or ú, which breaks a diphthong) is its own syllable; weak vowels beside it
# join it. The same text as the English formula reads: prose() above.
_STRONG = set("aeoáéóíú")


def syllables_es(word: str) -> int:
    w = word.lower()
    if w.endswith("y"):
        w = w[:-1] + "i"
    return max(1, sum(max(1, sum(c in _STRONG for c in g)) for g in re.findall(r"[aeiouáéíóúü]+", w)))


def fernandez_huerta(text: str) -> float:
    words = re.findall(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+", text)
    sentences = max(1, len(re.findall(r"[.!?:]+(?=\s|$)", text)))
    per_100_syllables = 100 * sum(syllables_es(w) for w in words) / len(words)
    per_100_sentences = 100 * sentences / len(words)
    return 206.84 - 0.60 * per_100_syllables - 1.02 * per_100_sentences


def reading_ease_es(path) -> float:
    return fernandez_huerta(prose(split(path)[1]))


def test_the_spanish_syllable_count_is_right_on_known_words():
    # niño, cán-cer, diag-nós-ti-co, biop-sia, dí-a (an accented í breaks the pair), ley, qui-mio-te-ra-pia
    assert [syllables_es(w) for w in ("niño", "cáncer", "diagnóstico", "biopsia", "día", "ley", "quimioterapia")] == [
        2,
        2,
        4,
        2,
        2,
        1,
        5,
    ]


# Every Spanish page, the directory's too: its Markdown is only its introduction.
@pytest.mark.parametrize("path", ES_PAGES, ids=lambda p: p.name)
def test_each_spanish_page_reads_at_fernandez_huerta_70_or_over(path):
    score = reading_ease_es(path)
    print(f"{path.name}: Fernández-Huerta {score:.1f}")
    assert score >= 70, f"{path.name}: Fernández-Huerta {score:.1f}"


def english_glossary_anchors() -> list[str]:
    glossary = (DOCS / "glossary.md").read_text(encoding="utf-8")
    # The same slugs as the built page's heading ids (Python-Markdown's toc extension).
    return [slugify(h, "-") for h in re.findall(r"^## (.+)$", glossary, flags=re.M)]


def spanish_glossary_anchors() -> list[str]:
    # Each term has an explicit `{ #english-slug }`, so links keep working across both languages.
    glossary = (DOCS / "glossary.es.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", glossary, flags=re.M)
    anchors = [re.search(r"\{ ?#([a-z0-9-]+) ?\}\s*$", h) for h in headings]
    assert all(anchors), (
        f"glossary.es.md: terms without an explicit anchor: {[h for h, a in zip(headings, anchors) if not a]}"
    )
    return [a.group(1) for a in anchors]


def test_the_spanish_glossary_has_every_term_in_the_english_order_and_anchors():
    assert spanish_glossary_anchors() == english_glossary_anchors()


def test_glossary_links_point_at_real_terms():
    for pages, anchors in ((EN_PAGES, set(english_glossary_anchors())), (ES_PAGES, set(spanish_glossary_anchors()))):
        for path in pages:
            for term in re.findall(r"\(glossary\.md#([^)]+)\)", path.read_text(encoding="utf-8")):
                assert term in anchors, f"{path.name} links glossary term #{term}, which does not exist"
