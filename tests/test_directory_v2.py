"""Directory v2 in a real browser: the kind-of-cancer and Spanish filters, the folded filters on a phone,
each program's own page, the comparison table, printing, and the correction links."""

from __future__ import annotations

import io
import json
import math
import re

import pytest
from pypdf import PdfReader

from conftest import CHECKED, FIXTURE_REPO, PAPERS, ROOT, axe_light_and_dark, describe, site_search

ALL = ["alpha-childrens", "bravo-kids", "charlie-health", "delta-montreal", "echo-toronto", "foxtrot-utrecht"]
REPO = FIXTURE_REPO


def shown(page) -> list[str]:
    return sorted(
        page.eval_on_selector_all(
            "[data-program-id]",
            "els => els.filter(e => !e.hidden && e.offsetParent !== null).map(e => e.dataset.programId)",
        )
    )


def rows_shown(page) -> list[str]:
    return page.eval_on_selector_all("[data-row-for]", "rs => rs.filter(r => !r.hidden).map(r => r.dataset.rowFor)")


@pytest.fixture
def directory(page, fixture_url):
    page.goto(fixture_url + "directory/", wait_until="load")  # the directory's script has run (it fetches nothing)
    return page


# ---------------------------------------------------------------------------------------------- filters


def test_cancer_filter_from_the_address_keeps_all_kinds_programs_and_says_who_is_left_out(page, fixture_url):
    page.goto(fixture_url + "directory/?cancer=leukemias", wait_until="load")
    # alpha lists leukemias; charlie takes every kind; the others name other kinds or none.
    assert shown(page) == ["alpha-childrens", "charlie-health"]
    assert page.inner_text("[role=status]") == "2 of 6 programs shown."
    assert page.input_value("select[name=cancer]") == "leukemias"
    assert page.is_visible("select[name=cancer]")  # the fold opened to show the filter in use
    hint = page.inner_text("#" + page.get_attribute("select[name=cancer]", "aria-describedby"))
    assert "Programs that do not say which cancers they cover are not shown" in hint
    assert page.is_visible("#so-cancer-hint")


def test_cancer_filter_by_its_control_updates_the_list_the_status_and_the_address(directory):
    directory.click("[data-more] > summary")
    directory.select_option("select[name=cancer]", "cns-tumors")
    assert shown(directory) == ["charlie-health", "delta-montreal"]
    assert directory.inner_text("[role=status]") == "2 of 6 programs shown."
    assert "cancer=cns-tumors" in directory.url
    directory.select_option("select[name=cancer]", "bone-tumors")
    assert shown(directory) == ["charlie-health", "foxtrot-utrecht"]
    directory.select_option("select[name=cancer]", "")
    assert shown(directory) == ALL
    assert "cancer=" not in directory.url


def test_unknown_cancer_and_language_values_are_ignored_and_never_echoed(page, fixture_url):
    page.goto(fixture_url + "directory/?cancer=%3Cb%3Ewerewolf%3C%2Fb%3E&language=klingon", wait_until="load")
    assert shown(page) == ALL
    assert page.input_value("select[name=cancer]") == ""
    assert not page.is_checked("input[name=language]")
    assert "werewolf" not in page.inner_html("body") and "klingon" not in page.inner_html("body")
    assert page.evaluate("document.querySelector('[data-more]').open") is False


def test_spanish_filter(directory):
    directory.click("[data-more] > summary")
    assert directory.inner_text("label[for=so-language]") == "Serves families in Spanish"
    directory.check("input[name=language]")
    assert shown(directory) == ["alpha-childrens"]
    assert "language=es" in directory.url
    directory.goto(directory.url, wait_until="load")  # the shared address restores it
    assert directory.is_checked("input[name=language]") and shown(directory) == ["alpha-childrens"]
    directory.uncheck("input[name=language]")
    assert shown(directory) == ALL


def test_cancer_and_spanish_filters_combine_with_the_others(page, fixture_url):
    page.goto(fixture_url + "directory/?cancer=lymphomas&country=US", wait_until="load")
    assert shown(page) == ["alpha-childrens", "charlie-health"]
    page.check("input[name=language]")
    assert shown(page) == ["alpha-childrens"]
    page.click("[data-directory] .so-filters [data-clear]")
    assert shown(page) == ALL and page.url.endswith("/directory/")


# ---------------------------------------------------------------------------------------------- the fold


def test_on_a_phone_the_search_box_and_the_first_program_are_on_the_first_screen(new_tab, fixture_url):
    page = new_tab(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(fixture_url + "directory/", wait_until="load")
    assert page.evaluate("document.querySelector('[data-more]').open") is False
    assert not page.is_visible("select[name=country]")
    search = page.locator("input[name=search]").bounding_box()
    first = page.locator("[data-program-id]").first.bounding_box()
    assert search["y"] + search["height"] <= 844
    assert first["y"] + 40 <= 844, first  # its name at least
    page.goto(fixture_url + "directory/?international=yes", wait_until="load")
    assert page.evaluate("document.querySelector('[data-more]').open") is True
    assert page.is_visible("input[name=international]")


# ---------------------------------------------------------------------------------------------- program pages


def test_each_card_links_to_its_page_and_the_old_anchor_still_works(directory, fixture_url):
    card = directory.locator("[data-program-id=bravo-kids]")
    card.get_by_role("link", name=re.compile("^All details on one page")).click()
    directory.wait_for_url(fixture_url + "directory/bravo-kids/")
    directory.goto(fixture_url + "directory/#delta-montreal", wait_until="load")
    assert directory.evaluate("document.querySelector(':target').dataset.programId") == "delta-montreal"


def test_program_page_says_everything_the_entry_says(page, fixture_url):
    page.goto(fixture_url + "directory/bravo-kids/", wait_until="load")
    assert page.locator("h1").count() == 1
    assert page.inner_text("h1") == "Video Second Opinions"
    text = page.inner_text("article")
    for words in (
        "Bravo Kids Hospital, San Diego, California, United States",
        "Video visit",
        "Children up to age 18 with a new diagnosis",
        "US$500, paid by the family",
        "Who gets the report",
        "Last checked October 1, 2026",
        # its sources, printed in full
        "https://bravo.example.org/so",
        "https://bravo.example.org/fees",
    ):
        assert words in text, words
    assert (
        page.title() == "Video Second Opinions, Bravo Kids Hospital (San Diego) - Second Opinions for Childhood Cancer"
    )
    description = page.get_attribute("meta[name=description]", "content")
    assert description.startswith("Video Second Opinions at Bravo Kids Hospital in San Diego")
    assert page.get_attribute("link[rel=canonical]", "href").endswith("/directory/bravo-kids/")
    back = page.get_by_role("link", name="Back to the directory")
    assert back.evaluate("a => a.href") == fixture_url + "directory/#bravo-kids"
    data = json.loads(page.inner_text("script[type='application/ld+json']"))
    assert data["@type"] == "Service" and data["name"] == "Video Second Opinions"
    assert (
        data["provider"]["name"] == "Bravo Kids Hospital" and data["isBasedOn"][1] == "https://bravo.example.org/fees"
    )
    fix = page.get_by_role("link", name="Report outdated information about this program")
    assert fix.get_attribute("href") == f"{REPO}/issues/new?template=outdated-program.yml&program=bravo-kids"
    # The cards' styles, and no script of the directory's.
    loaded = page.eval_on_selector_all("link[rel=stylesheet], script[src]", "els => els.map(e => e.href || e.src)")
    assert any(u.endswith("/assets/directory.css") for u in loaded)
    assert not any(u.endswith("/assets/directory.js") for u in loaded)


def test_program_pages_have_unique_titles_and_descriptions(page, fixture_url):
    titles, descriptions = set(), set()
    for pid in ALL:
        page.goto(fixture_url + f"directory/{pid}/", wait_until="load")
        titles.add(page.title())
        descriptions.add(page.get_attribute("meta[name=description]", "content"))
    assert len(titles) == len(ALL) and len(descriptions) == len(ALL)


def test_every_card_has_its_correction_link(directory):
    for pid in ALL:
        links = directory.locator(f"[data-program-id={pid}] a[href*='/issues/new']")
        assert links.count() == 1
        assert links.get_attribute("href") == f"{REPO}/issues/new?template=outdated-program.yml&program={pid}"


def test_without_a_repository_address_there_is_no_correction_link(page, base_url):
    """The site under test is built locally, with no REPO_URL (the fixture site has one)."""
    from secondopinions.programs import load_programs

    first = load_programs()[0]
    page.goto(base_url + "directory/", wait_until="load")
    assert page.locator("[data-program-id]").count() > 0
    assert page.locator("a[href*='issues/new']").count() == 0
    page.goto(base_url + f"directory/{first.id}/", wait_until="load")
    assert page.locator("a[href*='issues/new']").count() == 0
    assert page.inner_text("h1") == first.program


def test_site_search_finds_a_program_page_by_name(base_url, page):
    page.goto(base_url, wait_until="load")
    site_search(page, "Nemours", "a[href*='directory/nemours']")


def _longest_programs(n: int) -> list[str]:
    from secondopinions.programs import load_programs

    return [p.id for p in sorted(load_programs(), key=lambda p: -len(json.dumps(p.as_dict())))[:n]]


@pytest.mark.parametrize(
    "lang, back, checked",
    [("", "Back to the directory", "Last checked"), ("es/", "Volver al directorio", "Última revisión")],
)
def test_the_longest_program_pages_print_on_one_sheet(base_url, page, lang, back, checked):
    """Each page opened once and printed on Letter and on A4; each failure names its page and paper."""
    failures = []
    for pid in _longest_programs(3):
        page.goto(base_url + f"{lang}directory/{pid}/", wait_until="load")
        for paper in PAPERS:
            pdf = PdfReader(io.BytesIO(page.pdf(format=paper)))
            text = pdf.pages[0].extract_text()
            if len(pdf.pages) != 1:
                failures.append(f"/{lang}directory/{pid}/ prints on {len(pdf.pages)} {paper} pages")
            if back in text or checked not in text:
                failures.append(f"/{lang}directory/{pid}/ on {paper}: '{back}' printed, or '{checked}' did not")
    assert failures == [], "\n".join(failures)


# ---------------------------------------------------------------------------------------------- compare


def open_compare(page) -> None:
    page.click("[data-compare] > summary")
    page.locator("[data-compare-table]").scroll_into_view_if_needed()


def test_compare_table_is_a_real_table(directory):
    open_compare(directory)
    table = directory.locator("[data-compare-table]")
    assert table.locator("caption").inner_text() == "Second-opinion programs compared"
    heads = table.locator("thead th")
    assert heads.count() == 7 and all(heads.nth(i).get_attribute("scope") == "col" for i in range(7))
    assert [heads.nth(i).inner_text().strip(" ↕") for i in range(7)] == [
        "Program",
        "How the opinion is given",
        "Cost, as stated",
        "How long it takes",
        "Who can ask",
        "Who gets the report",
        "Families from other countries",
    ]
    assert table.locator("tbody th[scope=row]").count() == 6
    region = directory.locator(".so-compare__scroll")
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-labelledby") == table.locator("caption").get_attribute("id")


def test_compare_table_sorts_by_keyboard(directory):
    open_compare(directory)
    before = rows_shown(directory)
    cost = directory.locator("[data-compare-table] thead th").nth(2)
    cost.locator("button").focus()
    directory.keyboard.press("Enter")
    assert cost.get_attribute("aria-sort") == "ascending"
    after = rows_shown(directory)
    assert after != before and after[0] == "bravo-kids"  # the only stated cost first, "Not stated" last
    program = directory.locator("[data-compare-table] thead th").nth(0)
    program.locator("button").focus()
    directory.keyboard.press("Space")
    assert program.get_attribute("aria-sort") == "ascending" and cost.get_attribute("aria-sort") is None
    assert rows_shown(directory)[0] == "alpha-childrens"
    directory.keyboard.press("Enter")
    assert program.get_attribute("aria-sort") == "descending"
    assert rows_shown(directory)[0] == "delta-montreal"  # "Hôpital Delta" sorts as H, after Foxtrot


def test_compare_table_follows_the_filters(page, fixture_url):
    page.goto(fixture_url + "directory/?country=CA", wait_until="load")
    open_compare(page)
    assert sorted(rows_shown(page)) == ["delta-montreal", "echo-toronto"]
    page.select_option("select[name=country]", "")
    assert sorted(rows_shown(page)) == ALL


@pytest.mark.parametrize("width", [390, 320])
def test_compare_table_never_makes_the_page_scroll_sideways(page, base_url, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(base_url + "directory/", wait_until="load")
    open_compare(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The table itself is wider and scrolls inside its own box.
    assert page.evaluate(
        "(() => { const r = document.querySelector('.so-compare__scroll'); return r.scrollWidth > r.clientWidth; })()"
    )


# ---------------------------------------------------------------------------------------------- print


@pytest.mark.parametrize("path", ["directory/", "es/directory/"])
def test_the_directory_prints_at_two_programs_a_page_or_better(base_url, page, path):
    from secondopinions.programs import load_programs

    page.goto(base_url + path, wait_until="load")
    most = math.ceil(len(load_programs()) / 2)
    printed = {paper: len(PdfReader(io.BytesIO(page.pdf(format=paper))).pages) for paper in PAPERS}
    assert all(n <= most for n in printed.values()), f"/{path} prints on {printed} pages (at most {most})"


def test_printed_links_show_their_address(directory):
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(directory.pdf(format="Letter"))).pages)
    text = re.sub(r"\s+", "", text)
    assert "OnlineSecondOpinion(https://alpha.example.org/so)" in text
    assert "All details on one page".replace(" ", "") not in text  # screen-only links are left out


def test_no_card_splits_across_printed_pages(base_url, page):
    page.goto(base_url + "directory/", wait_until="load")
    page.emulate_media(media="print")
    assert (
        page.eval_on_selector_all(
            "[data-program-id]", "els => els.filter(e => getComputedStyle(e).breakInside !== 'avoid').length"
        )
        == 0
    )


# ---------------------------------------------------------------------------------------------- axe


def test_axe_finds_nothing_on_a_program_page_and_the_compare_view_light_and_dark(new_tab, fixture_url):
    """Each in light mode, then switched to dark (conftest.axe_light_and_dark)."""
    page = new_tab(**CHECKED)  # the second page opens in light mode again (CHECKED forgets the choice)
    page.goto(fixture_url + "directory/bravo-kids/", wait_until="load")
    found = axe_light_and_dark(page)
    failures = [line for scheme in found for line in describe(found[scheme], f"program page [{scheme}]")]
    page.emulate_media(color_scheme="light")
    page.goto(fixture_url + "directory/?cancer=leukemias", wait_until="load")
    open_compare(page)
    page.locator("[data-compare-table] thead button").first.click()
    found = axe_light_and_dark(page)
    failures += [line for scheme in found for line in describe(found[scheme], f"compare view [{scheme}]")]
    assert failures == [], "\n".join(failures)


# ---------------------------------------------------------------------------------------------- renderer


def test_renderer_marks_long_lists_at_the_named_threshold():
    from secondopinions.programs import load_programs
    from secondopinions.render import LONG_LIST_THRESHOLD, render_directory

    programs = load_programs(ROOT / "tests" / "fixtures" / "directory.yaml")
    assert "so-directory--long" not in render_directory(programs)
    many = [programs[0]] * (LONG_LIST_THRESHOLD + 1)
    assert "so-directory--long" in render_directory(many)
    assert "so-directory--long" not in render_directory([programs[0]] * LONG_LIST_THRESHOLD)


def test_renderer_links_corrections_only_with_a_repository_address():
    from secondopinions.programs import load_programs
    from secondopinions.render import render_directory, render_program_page

    programs = load_programs(ROOT / "tests" / "fixtures" / "directory.yaml")
    assert "issues/new" not in render_directory(programs) + render_program_page(programs[0])
    html = render_program_page(programs[0], repo_url=REPO + "/")
    assert f'href="{REPO}/issues/new?template=outdated-program.yml&amp;program=alpha-childrens"' in html
