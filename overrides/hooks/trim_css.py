"""MkDocs hook: drop the rules in Material's stylesheets that can match nothing on this site (code
highlighting, tabs, diagrams, blog, colours we do not use), so every page downloads less. A rule is
kept when each class it needs appears in a built page or in any script, where the theme builds its
search results and tooltips; when in doubt, it stays. One rule that matches goes too: see
_DROPPED_ATTRIBUTE."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

_WORD = re.compile(r"[A-Za-z_][\w-]*")
_CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
_ATTR_VALUE = re.compile(r"\[(data-md-color-(?:primary|accent|scheme))=[\"']?([\w-]+)[\"']?\]")
_FUNCTIONAL = re.compile(r":(?:not|is|where|has|-webkit-any|-moz-any)\(")
_GROUPING = ("@media", "@supports", "@container", "@layer", "@document")


def _split_top(text: str, sep: str) -> list[str]:
    """Split on `sep` outside brackets and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote and text[i - 1] != "\\" else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _without_functional(selector: str) -> str:
    """The selector with the insides of :not(), :is(), :where() and :has() left out: a class named
    there does not have to be present for the selector to match."""
    out, i = [], 0
    while True:
        m = _FUNCTIONAL.search(selector, i)
        if not m:
            out.append(selector[i:])
            return "".join(out)
        out.append(selector[i : m.start()])
        depth, j = 1, m.end()
        while j < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[j], 0)
            j += 1
        i = j


# Material's palette script marks <body> with this attribute while it sets the page's colours: on every
# page load, not only when someone switches between light and dark. Its one rule (no transitions while
# switching) then restyles every element of the page twice, which was half of all style work while a
# directory page loaded (issue 11, Lighthouse). Without it, a switch lets links and the header fade
# into their new colours for up to a quarter of a second (none for people who ask for reduced motion,
# extra.css), where they used to change at once.
_DROPPED_ATTRIBUTE = "[data-md-color-switching]"


def _matches_something(selector: str, words: set[str]) -> bool:
    if _DROPPED_ATTRIBUTE in selector:
        return False
    plain = _without_functional(selector)
    if any(cls not in words for cls in _CLASS.findall(plain)):
        return False
    return all(value in words for _, value in _ATTR_VALUE.findall(plain))


def _block_end(css: str, start: int) -> int:
    """Index just past the `}` closing the block whose `{` is at `start`."""
    depth, quote, i = 0, "", start
    while i < len(css):
        ch = css[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(css)


def trim(css: str, words: set[str]) -> str:
    """`css` without the style rules, and selectors, that need a class or colour name not in `words`."""
    out, i = [], 0
    while i < len(css):
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            end = len(css) if end < 0 else end + 2
            if css.startswith("/*!", i):
                out.append(css[i:end])  # licence comments stay
            i = end
            continue
        brace = css.find("{", i)
        semicolon = css.find(";", i)
        if brace < 0:
            out.append(css[i:])
            break
        if 0 <= semicolon < brace and css[i:semicolon].lstrip().startswith("@"):  # @import, @charset
            out.append(css[i : semicolon + 1])
            i = semicolon + 1
            continue
        prelude = css[i:brace]
        end = _block_end(css, brace)
        body = css[brace + 1 : end - 1]
        head = prelude.strip()
        if head.startswith(_GROUPING):
            inner = trim(body, words)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        elif head.startswith("@"):
            out.append(css[i:end])  # @keyframes, @font-face, @property, @page: kept whole
        else:
            kept = [s for s in _split_top(prelude, ",") if _matches_something(s, words)]
            if kept:
                out.append(",".join(kept) + "{" + body + "}")
        i = end
    return "".join(out)


_VAR_USE = re.compile(r"var\(\s*--([\w-]+)")
_VAR_DECLARATION = re.compile(r"^\s*--([\w-]+)\s*:")


def drop_unused_properties(css: str, keep: set[str]) -> str:
    """`css` without custom properties (`--name: ...`) that no `var(--name)` reads, such as the icons
    of admonition types the site never shows. Repeated until nothing more goes."""
    while True:
        used = set(_VAR_USE.findall(css)) | keep
        out, i = [], 0
        for m in re.finditer(r"\{([^{}]*)\}", css):
            body = m.group(1)
            if "--" not in body:
                continue
            declarations = _split_top(body, ";")
            kept = [
                d
                for d in declarations
                if not (_VAR_DECLARATION.match(d) and _VAR_DECLARATION.match(d).group(1) not in used)
            ]
            if len(kept) != len(declarations):
                out.append(css[i : m.start()] + "{" + ";".join(kept) + "}")
                i = m.end()
        trimmed = "".join(out) + css[i:]
        if trimmed == css:
            return css
        css = trimmed


def on_post_build(*, config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    words: set[str] = set()
    for path in [*site.rglob("*.html"), *site.rglob("*.js")]:
        # Each distinct whitespace-separated piece once (a word never holds a space): the same words,
        # found three times faster in a directory page that repeats its markup for every program.
        words.update(_WORD.findall(" ".join(set(path.read_text(encoding="utf-8").split()))))
    sheets = sorted((site / "assets" / "stylesheets").glob("*.min.css"))
    trimmed = {sheet: trim(sheet.read_text(encoding="utf-8"), words) for sheet in sheets}
    # Properties read by our own stylesheets, or set and read by scripts, stay.
    ours = "".join(p.read_text(encoding="utf-8") for p in (site / "assets").glob("*.css"))
    keep = set(_VAR_USE.findall(ours + "".join(trimmed.values()))) | {w for w in words if w.startswith("md-")}
    for sheet, css in trimmed.items():
        sheet.write_text(drop_unused_properties(css, keep), encoding="utf-8")
