"""Issue 24, the directory as a decision on a phone: one short entry a program with the same decision
facts in the same order ("Not stated on its page" where its pages are silent), a list short enough to
scroll on a phone, the "who can ask" filter, and a printed list of six programs or more a page."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from conftest import FORGET_SCHEME, PAPERS, RECORD_FOCUS, RECORD_VIOLATIONS, ROOT, axe_light_and_dark, describe
from secondopinions.programs import load_programs
from secondopinions.render import render_directory, render_program_page

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
FIXTURE = ROOT / "tests" / "fixtures" / "directory.yaml"
TODAY = dt.date(2026, 11, 26)
ALL = ["alpha-childrens", "bravo-kids", "charlie-health", "delta-montreal", "echo-toronto", "foxtrot-utrecht"]
LANGUAGES = {"": "English", "es/": "Spanish"}

# Today's list (30 programs) at most 9,000 px tall on a 390 px phone (it was 42,429 px as full cards):
# 300 px a program, headings of countries and places included, so the budget grows with the list.
PHONE_PX_PER_PROGRAM = 300


def shown(page) -> list[str]:
    return sorted(
        page.eval_on_selector_all(
            "[data-program-id]",
            "els => els.filter(e => !e.hidden && e.offsetParent !== null).map(e => e.dataset.programId)",
        )
    )


def decision_facts(page, pid: str) -> list[tuple[str, str]]:
    return [
        tuple(fact)
        for fact in page.eval_on_selector_all(
            f"[data-program-id={pid}] .so-program__fact",
            "fs => fs.map(f => [f.querySelector('dt').textContent, f.querySelector('dd').textContent])",
        )
    ]


# ---------------------------------------------------------------------------------------------- renderer


@pytest.mark.parametrize(
    "lang, both, capital_mid_sentence",
    [
        ("en", "A parent or guardian, or your child's doctor", "guardian or Your"),
        ("es", "Un padre, una madre o un tutor, o el médico de su hijo", "tutor o El"),
    ],
)
def test_who_can_ask_reads_as_one_phrase_in_the_list_the_table_and_the_page(lang, both, capital_mid_sentence):
    [bravo] = [p for p in load_programs(FIXTURE) if p.id == "bravo-kids"]  # family and physician
    html = render_directory([bravo], today=TODAY, lang=lang) + render_program_page(bravo, today=TODAY, lang=lang)
    html = html.replace("&#39;", "'")
    assert html.count(both) == 3  # the entry, the compare table, the program page
    assert capital_mid_sentence not in html


@pytest.mark.parametrize("lang, not_stated", [("en", "Not stated on its page"), ("es", "Su página no lo dice")])
def test_a_fact_its_pages_do_not_state_says_so_in_every_view(lang, not_stated):
    [delta] = [p for p in load_programs(FIXTURE) if p.id == "delta-montreal"]  # no who_can_ask, no cost
    entry = re.search(r"<article.*?</article>", render_directory([delta], today=TODAY, lang=lang), re.S).group(0)
    facts = re.findall(r"<dt>([^<]*)</dt> <dd[^>]*>(.*?)</dd>", entry)
    assert len(facts) == 4 and all(value.strip() for _, value in facts), facts
    assert [value for _, value in facts].count(f'<span class="so-not-stated">{not_stated}</span>') == 2
    row = re.search(r"<tr data-row-for.*?</tr>", render_directory([delta], today=TODAY, lang=lang), re.S).group(0)
    assert row.count(not_stated) >= 2
    assert render_program_page(delta, today=TODAY, lang=lang).count(not_stated) == 2


# ---------------------------------------------------------------------------------------------- a phone


@pytest.mark.parametrize("lang", LANGUAGES)
def test_on_a_phone_the_whole_list_is_short_and_the_first_screen_holds_the_filters_and_two_programs(
    base_url, new_tab, lang
):
    page = new_tab(**PHONE)
    page.goto(base_url + lang + "directory/", wait_until="load")
    measured = page.evaluate("""() => {
      const box = e => e.getBoundingClientRect();
      const programs = [...document.querySelectorAll('[data-program-id]')];
      return {
        programs: programs.length,
        list: box(programs[programs.length - 1]).bottom - box(document.querySelector('.so-country')).top,
        page: document.documentElement.scrollHeight,
        filters: box(document.querySelector('[data-filters]')).bottom,
        names: programs.slice(0, 2).map(p => box(p.querySelector('.so-program__name')).bottom),
      };
    }""")
    budget = PHONE_PX_PER_PROGRAM * measured["programs"]
    assert measured["list"] <= budget, (
        f"/{lang}directory/: the list is {measured['list']:.0f} px tall (page {measured['page']} px), budget {budget}"
    )
    assert measured["filters"] <= 844, f"the filter box ends at {measured['filters']:.0f} px"
    assert all(bottom <= 844 for bottom in measured["names"]), (
        f"the first two programs' names end at {measured['names']}"
    )


def test_without_javascript_every_program_shows_with_its_four_facts(base_url, new_tab):
    page = new_tab(java_script_enabled=False, **PHONE)
    page.goto(base_url + "directory/")
    total = len(load_programs())
    assert len(shown(page)) == total
    assert page.inner_text("[role=status]") == f"{total} of {total} programs shown."
    blank = page.eval_on_selector_all(
        "[data-program-id]",
        """es => es.filter(e => {
          const dds = [...e.querySelectorAll('.so-program__fact dd')];
          return dds.length !== 4 || dds.some(d => !d.innerText.trim());
        }).map(e => e.id)""",
    )
    assert blank == []


def test_every_program_is_reached_by_keyboard_on_a_phone(base_url, new_tab):
    """Tab from the top of the page: each program's name link takes the focus, in the list's order."""
    page = new_tab(**PHONE)
    page.goto(base_url + "directory/", wait_until="load")
    ids = page.eval_on_selector_all("[data-program-id]", "es => es.map(e => e.id)")
    reached: list[str] = []
    for _ in range(40 + 3 * len(ids)):
        page.keyboard.press("Tab")
        pid = page.evaluate("""() => { const a = document.activeElement;
                                       return a.matches('.so-program__name a') ? a.closest('[data-program-id]').id : null; }""")
        if pid:
            reached.append(pid)
        if len(reached) == len(ids):
            break
    assert reached == ids


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_nothing_on_the_phone_list_with_the_filters_open_light_and_dark(base_url, new_tab, lang):
    page = new_tab(init_scripts=(RECORD_VIOLATIONS, FORGET_SCHEME, RECORD_FOCUS), **PHONE)
    page.goto(base_url + lang + "directory/?ask=family", wait_until="load")
    assert page.evaluate("document.querySelector('[data-more]').open") is True
    found = axe_light_and_dark(page)
    failures = [line for scheme in found for line in describe(found[scheme], f"/{lang}directory/ [phone, {scheme}]")]
    assert failures == [], "\n".join(failures)


# ---------------------------------------------------------------------------------------------- who can ask


def test_the_who_can_ask_filter_lives_in_the_address(page, fixture_url):
    page.goto(fixture_url + "directory/", wait_until="load")
    assert "who can ask" in page.inner_text("[data-more] > summary")
    page.click("[data-more] > summary")
    assert page.eval_on_selector_all("select[name=ask] option", "os => os.map(o => [o.value, o.textContent])") == [
        ["", "Show all"],
        ["family", "I can ask myself"],
        ["physician", "My child's doctor can ask"],
    ]
    hint = page.inner_text("#" + page.get_attribute("select[name=ask]", "aria-describedby"))
    assert "do not say who can ask are not shown" in hint
    page.select_option("select[name=ask]", "family")
    assert shown(page) == ["alpha-childrens", "bravo-kids"]
    assert page.inner_text("[role=status]") == "2 of 6 programs shown."
    assert page.url.endswith("?ask=family")
    page.select_option("select[name=ask]", "physician")  # both can ask at bravo
    assert shown(page) == ["bravo-kids", "charlie-health", "echo-toronto"]
    page.go_back()
    assert page.input_value("select[name=ask]") == "family" and shown(page) == ["alpha-childrens", "bravo-kids"]
    # A shared address restores it, with the other filters, and opens the fold to show it.
    page.goto(fixture_url + "directory/?ask=physician&country=CA", wait_until="load")
    assert shown(page) == ["echo-toronto"] and page.input_value("select[name=ask]") == "physician"
    assert page.evaluate("document.querySelector('[data-more]').open") is True
    page.click("[data-directory] .so-filters [data-clear]")
    assert shown(page) == ALL and page.url.endswith("/directory/")


def test_an_unknown_who_can_ask_value_is_ignored_and_never_echoed(page, fixture_url):
    page.goto(fixture_url + "directory/?ask=%3Cb%3Eeveryone%3C%2Fb%3E", wait_until="load")
    assert shown(page) == ALL
    assert page.input_value("select[name=ask]") == ""
    assert "everyone" not in page.inner_html("body")
    assert page.evaluate("document.querySelector('[data-more]').open") is False


def test_the_spanish_list_asks_and_answers_in_spanish(page, fixture_url):
    page.goto(fixture_url + "es/directory/?ask=family", wait_until="load")
    assert page.eval_on_selector_all("select[name=ask] option", "os => os.map(o => o.textContent)") == [
        "Mostrar todos",
        "Puedo pedirla yo",
        "El médico de mi hijo puede pedirla",
    ]
    assert page.inner_text("[role=status]") == "Programas que se muestran: 2 de 6."
    assert decision_facts(page, "delta-montreal") == [
        ("Quién la pide", "Su página no lo dice"),
        ("Cómo se da", "Revisión de expedientes a distancia; Consulta por video"),
        ("Costo", "Su página no lo dice"),
        ("Tipos de cáncer", "Tumores del cerebro y de la médula espinal"),
    ]


# ---------------------------------------------------------------------------------------------- print


@pytest.mark.parametrize("lang, website", [("", "Program'swebsite("), ("es/", "Sitiowebdelprograma(")])
def test_the_printed_list_puts_six_programs_or_more_on_a_page(base_url, page, lang, website):
    """Each printed entry shows its website's address once: counted on each page, on Letter and A4."""
    page.goto(base_url + lang + "directory/", wait_until="load")
    total = len(load_programs())
    failures = []
    for paper in PAPERS:
        pages = PdfReader(io.BytesIO(page.pdf(format=paper))).pages
        per_page = [re.sub(r"\s+", "", p.extract_text()).count(website) for p in pages]
        if sum(per_page) != total or any(n < 6 for n in per_page[:-1]):
            failures.append(f"/{lang}directory/ on {paper}: programs on each page {per_page} (of {total})")
    assert failures == [], "\n".join(failures)


def test_the_program_page_keeps_its_facts_in_label_and_words_rows(page, fixture_url):
    """The list's styles and the program page's share a stylesheet: a change to one must not unstyle
    the other (each label beside its words, in bold, as on every program page before)."""
    page.goto(fixture_url + "directory/delta-montreal/", wait_until="load")
    facts = page.locator(".so-facts")
    assert facts.evaluate("dl => getComputedStyle(dl).display") == "grid"
    label, words = page.locator(".so-facts dt").first, page.locator(".so-facts dd").first
    assert label.evaluate("dt => getComputedStyle(dt).fontWeight") == "700"
    assert label.bounding_box()["y"] == words.bounding_box()["y"]  # side by side
    assert words.inner_text() == "Not stated on its page"


def _without_print_rules(css: str) -> str:
    """The stylesheet without its @media print blocks (matched by braces)."""
    out, i = [], 0
    for match in re.finditer(r"@media print\s*\{", css):
        if match.start() < i:
            continue
        out.append(css[i : match.start()])
        depth, j = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        i = j
    return "".join(out) + css[i:]


def test_the_directory_styles_on_screen_use_no_has_selector():
    """A :has() rule on screen made every key press in the filter restyle the whole page: at 2,000
    programs the style work of 40 filter changes took 122 ms of CPU with three such rules and 8 ms
    without (Chromium's trace, thread time). Printed pages may use :has() (nothing is typed there)."""
    css = re.sub(r"/\*.*?\*/", "", (ROOT / "docs" / "assets" / "directory.css").read_text(encoding="utf-8"), flags=re.S)
    assert ":has(" in css  # the print rules use it, so the check below looks at the right file
    assert ":has(" not in _without_print_rules(css)
