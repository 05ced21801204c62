"""Issue 24, free text on Spanish pages: each free-text field may have a Spanish twin (`note_es`...).
`make check` holds a twin to the English field's rules; a Spanish page shows the twin, and the English,
marked lang="en", only where an entry has none; the open data publishes both."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import textwrap

import pytest

from secondopinions.programs import TWINS, ProgramDataError, load_programs, load_schema
from secondopinions.render import open_data_csv, open_data_json, render_directory, render_program_page

TODAY = dt.date(2026, 12, 6)

ENTRY = """\
- id: alpha-childrens
  institution: Alpha Children's Hospital
  program: Online Second Opinion
  url: https://alpha.example.org/second-opinion
  location:
    city: Springfield
    country: US
  areas_excluded: [New York]
  areas_excluded_es: [Nueva York]
  eligibility:
    - Children with a new diagnosis
    - Families in the United States
  eligibility_es:
    - Niños con un diagnóstico nuevo
    - Familias en los Estados Unidos
  cost: "US$500, paid by the family"
  cost_es: "US$500, que paga la familia"
  turnaround: "About 2 weeks"
  turnaround_es: "Unas 2 semanas"
  ages: "Up to age 21"
  ages_es: "Hasta los 21 años"
  records:
    - Pathology reports
  records_es:
    - Informes de patología
  note: "Your child's doctor must send the request."
  note_es: "El médico de su hijo debe enviar la solicitud."
  sources: [https://alpha.example.org/second-opinion]
  checked: 2026-01-15
- id: beta-kids
  institution: Beta Kids
  program: Second Opinions
  url: https://beta.example.org/so
  location:
    city: Toronto
    country: CA
  cost: "Free for families"
  note: "Call the clinic to ask."
  sources: [https://beta.example.org/so]
  checked: 2025-06-01
"""


def load(tmp_path, text: str = ENTRY):
    path = tmp_path / "hospitals.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_programs(path, today=TODAY, label="data/hospitals.yaml")


def line_of(text: str, start: str) -> int:
    """The line number of the first line of `text` that starts with `start`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def problems(tmp_path, text: str) -> list[str]:
    with pytest.raises(ProgramDataError) as info:
        load(tmp_path, text)
    return info.value.problems


def test_every_free_text_field_has_a_twin_in_the_schema_with_the_same_limits():
    props = load_schema()["$defs"]["program"]["properties"]
    assert set(TWINS) == {
        "areas_excluded_es",
        "eligibility_es",
        "cost_es",
        "turnaround_es",
        "ages_es",
        "records_es",
        "note_es",
    }
    for twin, english in TWINS.items():
        strip = lambda spec: {k: v for k, v in spec.items() if k not in ("title", "description", "examples")}  # noqa: E731
        assert strip(props[twin]) == strip(props[english]), twin
        # Each twin sits right after its English field, so the YAML and the open data read in pairs.
        keys = list(props)
        assert keys.index(twin) == keys.index(english) + 1, twin


def test_twins_load_beside_the_english(tmp_path):
    alpha, beta = load(tmp_path)
    assert alpha.note_es == "El médico de su hijo debe enviar la solicitud."
    assert alpha.eligibility_es == ("Niños con un diagnóstico nuevo", "Familias en los Estados Unidos")
    assert (alpha.cost_es, alpha.turnaround_es, alpha.ages_es) == (
        "US$500, que paga la familia",
        "Unas 2 semanas",
        "Hasta los 21 años",
    )
    assert alpha.records_es == ("Informes de patología",) and alpha.areas_excluded_es == ("Nueva York",)
    assert (beta.note_es, beta.cost_es, beta.eligibility_es) == (None, None, ())


def test_a_twin_without_its_english_field_names_both(tmp_path):
    text = ENTRY.replace('  note: "Your child\'s doctor must send the request."\n', "")
    assert problems(tmp_path, text) == [
        f"data/hospitals.yaml:{line_of(text, '  note_es:')}: entry 'alpha-childrens': field 'note_es': is Spanish for "
        "'note', which the entry does not have; write 'note' in English first, or delete 'note_es'"
    ]


def test_a_list_twin_needs_one_line_for_each_english_line(tmp_path):
    text = ENTRY.replace("    - Familias en los Estados Unidos\n", "")
    [line] = problems(tmp_path, text)
    assert line == (
        f"data/hospitals.yaml:{line_of(text, '  eligibility_es:')}: entry 'alpha-childrens': field "
        "'eligibility_es': has 1 item(s) but 'eligibility' has 2; write one Spanish line for each English "
        "line, in the same order"
    )


@pytest.mark.parametrize(
    "bad, words",
    [
        ('  note_es: "=HIPERVINCULO(1)"', "must not start with a space or with =, +, - or @"),
        ('  note_es: "' + "a" * 401 + '"', "is too long: 401 characters, at most 400"),
        ("  note_es: 5", "must be text"),
    ],
)
def test_a_twin_follows_the_plain_text_rules_of_the_english(tmp_path, bad, words):
    text = ENTRY.replace('  note_es: "El médico de su hijo debe enviar la solicitud."', bad)
    [line] = problems(tmp_path, text)
    where = f"data/hospitals.yaml:{line_of(text, '  note_es:')}: entry 'alpha-childrens': field 'note_es': "
    assert line.startswith(where) and words in line, line


def _without_english_marks(html: str) -> str:
    return html.replace(' lang="en"', "")


def test_a_spanish_page_shows_the_twin_unmarked_and_the_english_only_where_there_is_none(tmp_path):
    alpha, beta = load(tmp_path)
    # The list shows the cost of the free text: its twin, never the English.
    listed = render_directory([alpha, beta], today=TODAY, lang="es")
    assert ">US$500, que paga la familia<" in listed and "US$500, paid by the family" not in listed
    for html in (
        render_program_page(alpha, today=TODAY, lang="es") + render_program_page(beta, today=TODAY, lang="es"),
    ):
        for spanish in (
            "El médico de su hijo debe enviar la solicitud.",
            "US$500, que paga la familia",
            "Unas 2 semanas",
            "Hasta los 21 años",
            "Informes de patología",
            "Nueva York",
            "Familias en los Estados Unidos",
        ):
            assert f">{spanish}<" in html, spanish
            assert f' lang="en">{spanish}<' not in html, spanish
        for english in (
            "Your child's doctor must send the request.",
            "US$500, paid by the family",
            "New York",
            "Pathology reports",
        ):
            assert english.replace("'", "&#39;") not in html, english
        # beta has no twins: its English shows, marked English for screen readers.
        assert '<dd dir="auto" lang="en">Call the clinic to ask.</dd>' in html
        assert 'lang="en">Free for families<' in html
    # The compare table shows the twin too.
    table = render_directory([alpha, beta], today=TODAY, lang="es").split("data-compare-table", 1)[1]
    assert '<td dir="auto">US$500, que paga la familia</td>' in table
    assert '<td dir="auto" lang="en">Free for families</td>' in table


def test_an_english_page_never_shows_a_twin(tmp_path):
    alpha, _ = load(tmp_path)
    html = render_directory([alpha], today=TODAY) + render_program_page(alpha, today=TODAY)
    assert "Your child&#39;s doctor must send the request." in html
    assert "El médico" not in html and "Nueva York" not in html and 'lang="en"' not in _without_english_marks(html)
    assert ' lang="en"' not in html


def test_open_data_publishes_each_twin_beside_its_english(tmp_path):
    alpha, beta = load(tmp_path)
    [published, other] = json.loads(open_data_json([alpha, beta]))
    keys = list(published)
    for twin, english in TWINS.items():
        assert keys.index(twin) == keys.index(english) + 1, twin
    assert published["eligibility_es"] == list(alpha.eligibility_es) and published["note_es"] == alpha.note_es
    assert not any(key.endswith("_es") for key in other)
    rows = list(csv.DictReader(io.StringIO(open_data_csv([alpha, beta]))))
    assert rows[0]["note_es"] == alpha.note_es and rows[0]["records_es"] == "Informes de patología"
    assert rows[1]["note_es"] == "" and rows[1]["cost_es"] == ""


def test_every_entry_of_the_directory_has_its_spanish_twins():
    # Issue 24: every free-text field of every published entry is written in Spanish too.
    for p in load_programs():
        for twin, english in TWINS.items():
            assert bool(getattr(p, english)) == bool(getattr(p, twin)), (p.id, twin)
