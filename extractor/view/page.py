"""The record page: the text with its records, a side list, a field panel and a hover card.

One self-contained piece of HTML (no external asset: it works offline), drawn two
ways: a whole page (`render_page`: `extractor extract --html`, the service's document
view) and a fragment for a notebook cell (`render_fragment`: `_repr_html_`). Both put
everything under one root element whose script finds its elements from that root
only, so two outputs in one notebook do not reach into each other. No markup comes
from the input: every string is escaped, the records travel as JSON in a
`<script type="application/json">` block, and the script writes them with
`textContent` only.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from ..models import Article
from .marks import escape, is_rtl, nest
from .records import PALETTE, Catalog, Item, catalog

_KINDS = (("actor", "Actors"), ("claim", "Claims"), ("meeting", "Meetings"))


@cache
def asset(name: str) -> str:
    """The page's own CSS or script, shipped in the package beside this module."""
    return resources.files(__package__ or "extractor.view").joinpath(name).read_text("utf-8")


def _own_root(root: str) -> str:
    """The script's root: the element around the running script (a notebook may run it
    before the output is attached), else the one with the root's id."""
    by_id = f"document.getElementById({json.dumps(root)})"
    return f'(document.currentScript && document.currentScript.closest(".xv")) || {by_id}'


def json_for_script(value: Any) -> str:
    """JSON that cannot end its <script> element nor open a comment there."""
    raw = json.dumps(value, ensure_ascii=False)
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def segments(text: str, articles: Sequence[Article]) -> list[tuple[int, int, int | None]]:
    """The input cut at article boundaries: (start, end, article index or None for a gap)."""
    spans = sorted(
        (a.span[0], a.span[1], n)
        for n, a in enumerate(articles)
        if a.span and 0 <= a.span[0] < a.span[1] <= len(text)
    )
    if len(articles) < 2 or not spans:
        return [(0, len(text), 0 if articles else None)]
    out: list[tuple[int, int, int | None]] = []
    at = 0
    for start, end, n in spans:
        if start < at:  # overlapping spans: draw the rest with the earlier article
            start = at
        if start > at:
            out.append((at, start, None))
        if end > start:
            out.append((start, end, n))
            at = end
    if at < len(text):
        out.append((at, len(text), None))
    return out


def _text_html(text: str, articles: Sequence[Article], cat: Catalog, ids: dict[str, str]) -> str:
    """The text, one `.seg` element per piece; each article of several under its heading."""
    many = len(articles) > 1
    out = []
    for start, end, n in segments(text, articles):
        body = f'<div class="seg">{nest(text[start:end], cat.marks, start)}</div>'
        if not many or n is None:
            out.append(body)
            continue
        title = articles[n].title or "(no title)"
        head = f"Article {n + 1} of {len(articles)}"
        out.append(
            f'<section class="article" data-article="{n}" aria-labelledby="{ids["root"]}-a{n}">'
            f'<h2 class="art-head" id="{ids["root"]}-a{n}"><span class="art-n">{head}</span> '
            f'<span dir="auto">{escape(title)}</span></h2>{body}</section>'
        )
    return "".join(out)


def _item_html(item: Item, many: bool) -> str:
    swatch = f'<span class="sw p{item.colour}"></span>' if item.colour is not None else ""
    swatch = swatch or f'<span class="sw {escape(item.kind)}"></span>'
    badge = f'<span class="badge">A{item.article + 1}</span>' if many else ""
    return (
        f'<li><button type="button" class="item" data-key="{escape(item.key)}" '
        f'data-kind="{escape(item.kind)}" aria-pressed="false">{swatch}<span class="txt">'
        f'<span class="lbl">{badge}<span dir="auto">{escape(item.label)}</span></span>'
        f'<span class="det" dir="auto">{escape(item.detail)}</span></span></button></li>'
    )


def _list_html(cat: Catalog, many: bool) -> str:
    groups = []
    for kind, heading in _KINDS:
        items = [i for i in cat.items if i.kind == kind]
        entries = "".join(_item_html(i, many) for i in items) or '<li class="none">none</li>'
        groups.append(f'<h3>{heading} <span class="n">{len(items)}</span></h3><ul>{entries}</ul>')
    return "".join(groups)


def _palette_css(root: str) -> str:
    return "".join(f"{root} .p{i}{{--c:{c}}}" for i, c in enumerate(PALETTE))


def _meta_line(articles: Sequence[Article], source: str) -> str:
    counts = " · ".join(
        f"{sum(len(getattr(a, k)) for a in articles)} {k}" for k in ("actors", "claims", "meetings")
    )
    metas = [a.meta for a in articles if a.meta is not None]
    made_by = [metas[0].model, metas[0].strategy] if metas else []
    if len(made_by) == 2 and made_by[0] == made_by[1]:  # "rules · rules" says it once
        made_by = made_by[1:]
    many = f"{len(articles)} articles" if len(articles) != 1 else "1 article"
    return " · ".join(x for x in (source, counts, *made_by, many) if x)


def body(text: str, articles: Sequence[Article], *, source: str, root: str, page: bool) -> str:
    """The root element: header, record list, text, field panel, hover card and script.

    `page` gives the elements the fixed ids of a whole page (`#text`, `#fields`,
    `#records`); a fragment prefixes them with its root's id instead.
    """
    ids = {k: (k if page else f"{root}-{k}") for k in ("text", "fields", "records")}
    ids["root"] = root
    cat = catalog(articles)
    main = articles[0] if articles else None
    language = main.language if main else None
    rtl = is_rtl(language, text)
    lang = escape(language if language and language != "und" else ("ar" if rtl else "en"))
    heading = (main.title if main and main.title else "") or source or "document"
    data = {"records": cat.records, "links": cat.links}
    sel = f"#{root}"
    return (
        f'<div class="xv" id="{root}">'
        f"<style>{asset('viewer.css').replace('.xv ', sel + ' ')}{_palette_css(sel)}</style>"
        f'<header class="head"><h1 dir="auto">{escape(heading)}</h1>'
        f'<p class="meta" dir="auto">{escape(_meta_line(articles, source))}</p>'
        '<p class="legend"><span class="rec actor p1">actor</span> '
        '<span class="rec claim p1">claim</span> <span class="rec meeting">meeting</span> '
        "hover for fields · click to select (again: the next record there) · "
        "Tab, arrows and Enter</p></header>"
        '<div class="cols"><nav class="side" aria-label="records">'
        '<input type="search" class="filter" placeholder="filter records" '
        'aria-label="filter records" autocomplete="off">'
        f'<div class="lists">{_list_html(cat, len(articles) > 1)}</div>'
        f'<section class="panel" aria-live="polite"><h2>Selected</h2><p class="hint"></p>'
        f'<dl class="fields" id="{ids["fields"]}"><dd>click a record</dd></dl></section></nav>'
        f'<main class="main"><div class="text" id="{ids["text"]}" lang="{lang}" '
        f'dir="{"rtl" if rtl else "ltr"}">{_text_html(text, articles, cat, ids)}</div></main></div>'
        '<div class="pop" role="tooltip" hidden></div>'
        f'<script type="application/json" class="xv-data" id="{ids["records"]}">'
        f"{json_for_script(data)}</script>"
        f"<script>({asset('viewer.js')})({_own_root(root)});</script>"
        "</div>"
    )


def render_page(text: str, articles: Sequence[Article], *, title: str = "") -> str:
    """The whole page. `title` names the source (a file, a job's document id).

    The page's title is the main article's headline; the source is shown under it.
    """
    main = articles[0] if articles else None
    heading = (main.title if main and main.title else "") or title or "document"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)}</title></head><body>"
        f"{body(text, articles, source=title, root='xv', page=True)}</body></html>"
    )


def render_fragment(text: str, articles: Sequence[Article], *, title: str = "") -> str:
    """The same view as one element for a notebook cell, under a root id of its own."""
    root = f"xv-{uuid.uuid4().hex[:12]}"
    return body(text, articles, source=title, root=root, page=False)
