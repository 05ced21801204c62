"""MkDocs hook: Material fetches the whole search index (the text of every page) as soon as any page
opens, the largest download after its own script. Our built copy of its bundle fetches the index
when the reader first moves into the search box instead, or at once on a page opened from a search
result (`?h=`, to highlight the words). Pages load about a third lighter, and the cost no longer
grows with every page we write.

The bundle is minified, so the few names we need are read from it; if any pattern is missing (a new
Material release), the build stops and says so, rather than ship a search that never loads."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

# `index$ = document.forms.namedItem("search") ? fetchIndex() : EMPTY`
_INDEX = re.compile(
    r'(?P<var>[\w$]+)=document\.forms\.namedItem\("search"\)\?(?P<fetch>[\w$]+)\(\):(?P<empty>[\w$]+)(?=[,;])'
)
# requestJSON: fetch(...).pipe(switchMap(r => r.text()), map(JSON.parse), shareReplay(1))
_REQUEST_JSON = re.compile(
    r"\.pipe\((?P<switch>[\w$]+)\(r=>r\.text\(\)\),[\w$]+\(r=>JSON\.parse\(r\)\),(?P<share>[\w$]+)\(1\)\)"
)
_FROM_EVENT = re.compile(r'(?P<from_event>[\w$]+)\(e\.form,"reset"\)')
_FILTER = re.compile(r'\.pipe\((?P<filter>[\w$]+)\(\(\{mode:c\}\)=>c==="search"\)\)')


def patch(bundle: str) -> str:
    found = {}
    for name, pattern in (
        ("index", _INDEX),
        ("requestJSON", _REQUEST_JSON),
        ("fromEvent", _FROM_EVENT),
        ("filter", _FILTER),
    ):
        match = pattern.search(bundle)
        if not match:
            raise PluginError(
                f"search_on_demand: Material's bundle no longer has the {name} pattern; update "
                "overrides/hooks/search_on_demand.py for this Material release (or remove it from mkdocs.yml)"
            )
        found.update(match.groupdict())
    f = found
    form = 'document.forms.namedItem("search")'
    lazy = (
        f'{f["var"]}={form}?(new URLSearchParams(location.search).has("h")?{f["fetch"]}():'
        f'{f["from_event"]}({form},"focusin").pipe({f["filter"]}((e,i)=>i===0),'
        f"{f['switch']}(()=>{f['fetch']}()),{f['share']}(1))):{f['empty']}"
    )
    return _INDEX.sub(lambda m: lazy, bundle, count=1)


def on_post_build(*, config: MkDocsConfig) -> None:
    bundles = sorted((Path(config.site_dir) / "assets" / "javascripts").glob("bundle.*.min.js"))
    if not bundles:
        raise PluginError("search_on_demand: no Material bundle (assets/javascripts/bundle.*.min.js) in the built site")
    for bundle in bundles:
        bundle.write_text(patch(bundle.read_text(encoding="utf-8")), encoding="utf-8")
