"""A Content-Security-Policy for a finished page, as a meta tag (GitHub Pages sets no headers): the
site's own files and, by hash, exactly the inline scripts that page carries. Plain Python; the MkDocs
plugin (plugin.py) calls add_policy on every page."""

from __future__ import annotations

import base64
import hashlib
import re

# Only the site's own files. No 'unsafe-eval', and no 'unsafe-inline' for scripts or styles.
POLICY = {
    "default-src": "'none'",
    "script-src": "'self'",  # each page adds the sha256 of its own inline scripts
    # Neither our pages nor Material emit style attributes or <style>; Material's scripts set styles
    # through the CSSOM (element.style), which a policy does not block. The build fails on a style attribute.
    "style-src": "'self'",
    "img-src": "'self' data:",  # data: for the SVG icons written into Material's own stylesheet
    "font-src": "'self'",
    "connect-src": "'self'",  # the search index
    "worker-src": "'self'",  # site search runs in a Web Worker; the offline copy is a service worker (sw.js)
    "manifest-src": "'self'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "object-src": "'none'",
}

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""(?:^|\s)type\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_RUNNABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
_CHARSET = re.compile(r"<meta charset=\"utf-8\">", re.IGNORECASE)


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script the browser would run (not JSON or JSON-LD data blocks)."""
    found = []
    for match in _SCRIPT.finditer(html):
        attributes, body = match.groups()
        if _SRC.search(attributes):
            continue
        kind = _TYPE.search(attributes)
        if (kind.group(1).lower() if kind else "") in _RUNNABLE_TYPES:
            found.append(body)
    return found


# A start tag whose attributes (quoted values taken whole, so words inside a value never count) include
# a style or event-handler attribute. One pattern, run by the regex engine alone: a directory page with
# thousands of programs holds a hundred thousand tags, and looking at each in Python took seconds.
_NAME = r"""[^\s"'>/=]+"""
_VALUE = r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_BLOCKED_NAME = r"""(?:style(?![^\s"'>/=])|on[^\s"'>/=]*)"""
_BLOCKED_TAG = re.compile(
    r"<[a-zA-Z][^\s/>]*(?:\s+(?!" + _BLOCKED_NAME + ")" + _NAME + _VALUE + r")*\s+" + _BLOCKED_NAME + _VALUE,
    re.IGNORECASE,
)


def blocked_attributes(html: str) -> list[str]:
    """Style and event-handler attributes: the policy would silently drop them, so the build stops."""
    return [m.group(0)[:60] for m in _BLOCKED_TAG.finditer(_SCRIPT.sub("", html))]


def script_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy_for(html: str) -> str:
    hashes = sorted({script_hash(body) for body in inline_scripts(html)})
    directives = dict(POLICY)
    directives["script-src"] = " ".join([POLICY["script-src"], *hashes])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_policy(html: str, where: str) -> str:
    """Put the policy right after <meta charset>, before anything it governs."""
    blocked = blocked_attributes(html)
    if blocked:
        raise RuntimeError(f"{where}: the Content-Security-Policy would block a style or event attribute: {blocked[0]}")
    if not _CHARSET.search(html):
        raise RuntimeError(f'{where}: no <meta charset="utf-8"> to put the Content-Security-Policy after')
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    return _CHARSET.sub(lambda m: m.group(0) + meta, html, count=1)
