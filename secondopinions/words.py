"""The directory's fixed words, per page language: filters, status line, headings of each fact, the
compare table, and the program pages. The words for coded values (countries, formats, kinds of
cancer...) live in the schema beside the codes (`x-labels`, `x-labels-es`); free text from the data
(notes, cost, records...) is written in English, and the templates mark it `lang="en"` on a Spanish page.

One template serves every language: it writes `t.<name>`, never a sentence of its own. A name
missing in one language is an error when the page is rendered, and tests/test_directory_es.py checks
that both languages have the same names and the same {placeholders}.

The Spanish is plain, neutral Latin American Spanish for parents in the US ("usted"), with the terms
of NCI's Spanish dictionary where one applies (expediente médico, tipo de cáncer)."""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("en", "es")  # the site's languages: the sheets (sheet.py) and the directory

WORDS: dict[str, dict[str, str]] = {
    "en": {
        # The filters (directory.html)
        "filter_label": "Filter the programs",
        "search_label": "Search by hospital, city or any word",
        "more_filters": "More filters: place, kind of cancer, language, how it is given",
        "country": "Country",
        "all_countries": "All countries",
        "place": "State, province, region or city",
        "all_places": "All places",
        "format": "How the opinion is given",
        "any_way": "Any way",
        "cancer": "Kind of cancer",
        "any_kind": "Any kind",
        "cancer_hint": "Programs that do not say which cancers they cover are not shown when you choose a kind.",
        "spanish": "Serves families in Spanish",
        "international_only": "Only programs open to families from other countries",
        "clear": "Clear filters",
        "shown": "{count} of {total} programs shown.",
        "none_match": "No program matches all of these filters. Try fewer words or fewer filters.",
        # The compare table
        "compare_summary": "Compare programs in a table",
        "compare_intro": "The programs shown above, one row each. To sort, use the button at the top of a column.",
        "compare_caption": "Second-opinion programs compared",
        "col_program": "Program",
        "col_cost": "Cost, as stated",
        "not_stated": "Not stated",
        "yes": "Yes",
        "no": "No",
        # Open data
        "open_data_heading": "Use this list in your own work",
        "open_data_text": "The whole directory is open data. You may reuse it under the CC BY 4.0 license.",
        "download_json": "Download as JSON",
        "download_csv": "Download as CSV (for spreadsheets)",
        "schema_link": "What each field means (JSON Schema)",
        # A program's card (program.html)
        "at_institution": " at {institution}",
        "checked_before": "Details checked on",
        "checked_after_one": "against the page listed under Sources.",
        "checked_after_many": "against the pages listed under Sources.",
        "all_details": "All details on one page",
        "all_details_sr": ": {program} at {institution}",
        "report": "Report outdated information",
        "report_sr": " about {program} at {institution}",
        # A program's facts (program-facts.html)
        "not_for_urgent": "Not for urgent or emergency questions.",
        "stale": "These details may be out of date.",
        "stale_more": "They were last checked more than a year ago. Please confirm them with the program.",
        "who_can_ask": "Who can ask",
        "or": " or ",
        "international": "Families from other countries",
        "international_yes": "Yes, they can ask",
        "international_no": "No, only families who live in {country}",
        "areas_excluded": "Not offered in",
        "eligibility": "Who it is for",
        "cancer_types": "Kinds of cancer",
        "report_to": "Who gets the report",
        "languages": "Languages",
        "interpreters_yes": "Interpreters or free language help are offered.",
        "interpreters_no": "Interpreters are not offered.",
        "ages": "Ages",
        "cost": "Cost, as the program states it",
        "turnaround": "How long it takes",
        "records": "Records they ask for",
        "phone": "Phone",
        "email": "Email",
        "note": "Good to know",
        "sources": "Sources",
        # A program's own page (program-page.html, render.py)
        "back": "Back to the directory",
        "own_page": "The program's own page:",
        "last_checked": "Last checked",
        "last_checked_one": ", against the page listed under Sources.",
        "last_checked_many": ", against the pages listed under Sources.",
        "confirm": "Programs change, so please confirm the details with the program before you send anything.",
        "fix_question": "Is something here out of date?",
        "fix_link": "Report outdated information about this program",
        "page_description": (
            "{program} at {institution} in {place}: a second opinion for a child with cancer. "
            "Who can ask, how, cost, how long it takes and contacts, as its own pages state them, "
            "checked on {date}."
        ),
        # Structured data (JSON-LD)
        "service_type": "Second opinion for a child with cancer",
        "list_name": "Second-opinion programs for children with cancer",
    },
    "es": {
        "filter_label": "Filtrar los programas",
        "search_label": "Busque por hospital, ciudad o cualquier palabra",
        "more_filters": "Más filtros: lugar, tipo de cáncer, idioma, cómo se da la opinión",
        "country": "País",
        "all_countries": "Todos los países",
        "place": "Estado, provincia, región o ciudad",
        "all_places": "Todos los lugares",
        "format": "Cómo se da la opinión",
        "any_way": "De cualquier forma",
        "cancer": "Tipo de cáncer",
        "any_kind": "Cualquier tipo",
        "cancer_hint": "Si elige un tipo, no se muestran los programas que no dicen qué cánceres atienden.",
        "spanish": "Atiende a familias en español",
        "international_only": "Solo programas abiertos a familias de otros países",
        "clear": "Borrar filtros",
        "shown": "Se muestran {count} de {total} programas.",
        "none_match": "Ningún programa cumple con todos estos filtros. Pruebe con menos palabras o menos filtros.",
        "compare_summary": "Comparar los programas en una tabla",
        "compare_intro": "Los programas que se muestran arriba, uno en cada fila. Para ordenar, use el botón de arriba de cada columna.",
        "compare_caption": "Programas de segunda opinión, lado a lado",
        "col_program": "Programa",
        "col_cost": "Costo, según el programa",
        "not_stated": "No lo dice",
        "yes": "Sí",
        "no": "No",
        "open_data_heading": "Use esta lista en su propio trabajo",
        "open_data_text": "Todo el directorio es de datos abiertos. Puede volver a usarlo con la licencia CC BY 4.0.",
        "download_json": "Descargar en JSON",
        "download_csv": "Descargar en CSV (para hojas de cálculo)",
        "schema_link": "Qué quiere decir cada campo (JSON Schema, en inglés)",
        "at_institution": " en {institution}",
        "checked_before": "Datos revisados el",
        "checked_after_one": "con la página que aparece en Fuentes.",
        "checked_after_many": "con las páginas que aparecen en Fuentes.",
        "all_details": "Todos los datos en una página",
        "all_details_sr": ": {program} en {institution}",
        "report": "Avisar de un dato que ya no es correcto",
        "report_sr": " sobre {program} en {institution}",
        "not_for_urgent": "No es para preguntas urgentes ni emergencias.",
        "stale": "Estos datos pueden no estar al día.",
        "stale_more": "Se revisaron por última vez hace más de un año. Por favor, confírmelos con el programa.",
        "who_can_ask": "Quién puede pedirla",
        "or": " o ",
        "international": "Familias de otros países",
        "international_yes": "Sí, pueden pedirla",
        "international_no": "No, solo familias que viven en {country}",
        "areas_excluded": "No se ofrece en",
        "eligibility": "Para quién es",
        "cancer_types": "Tipos de cáncer",
        "report_to": "Quién recibe el informe",
        "languages": "Idiomas",
        "interpreters_yes": "Ofrecen intérpretes o ayuda gratis con el idioma.",
        "interpreters_no": "No ofrecen intérpretes.",
        "ages": "Edades",
        "cost": "Costo, según lo dice el programa",
        "turnaround": "Cuánto tarda",
        "records": "Expedientes que piden",
        "phone": "Teléfono",
        "email": "Correo electrónico",
        "note": "Para tener en cuenta",
        "sources": "Fuentes",
        "back": "Volver al directorio",
        "own_page": "La página del programa:",
        "last_checked": "Última revisión:",
        "last_checked_one": ", con la página que aparece en Fuentes.",
        "last_checked_many": ", con las páginas que aparecen en Fuentes.",
        "confirm": "Los programas cambian. Por favor, confirme los datos con el programa antes de enviar algo.",
        "fix_question": "¿Hay algo aquí que ya no es correcto?",
        "fix_link": "Avísenos de un dato de este programa que ya no es correcto",
        "page_description": (
            "{program} en {institution}, {place}: una segunda opinión para un niño con cáncer. "
            "Quién puede pedirla, cómo, costo, cuánto tarda y contacto, según sus propias páginas, "
            "revisado el {date}."
        ),
        "service_type": "Segunda opinión para un niño con cáncer",
        "list_name": "Programas de segunda opinión para niños con cáncer",
    },
}

MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
}


class Words:
    """`t.shown` in a template: the page language's word for `shown`; a name with no word is an error,
    so a page never shows a blank or falls back to another language unnoticed."""

    def __init__(self, lang: str) -> None:
        if lang not in WORDS:
            raise ValueError(f"lang must be one of {LANGUAGES} (got {lang!r})")
        self.lang = lang
        self._words = WORDS[lang]

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._words[name]
        except KeyError:
            raise KeyError(f"secondopinions/words.py: no {self.lang!r} word for {name!r}") from None


def long_date(value: dt.date, lang: str = "en") -> str:
    """26 November 2026 -> 'November 26, 2026' (US style) or '26 de noviembre de 2026', whatever the
    machine's locale."""
    month = MONTHS[lang][value.month - 1]
    if lang == "es":
        return f"{value.day} de {month} de {value.year}"
    return f"{month} {value.day}, {value.year}"
