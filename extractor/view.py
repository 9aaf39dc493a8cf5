"""Records drawn on their text: one self-contained HTML page per document.

Every actor mention, claim and meeting is highlighted at its span; hovering shows its
fields (a claim's speakers, a meeting's parties, status and date), clicking pins them
in a side panel. Arabic text runs right to left. The page has no external assets and
no markup from the input: every string is escaped, the records travel as JSON in a
`<script type="application/json">` block, and the script writes them with
`textContent` only. The service's document view, `extractor extract --html` and the
eval report (`evals/report.py`, through `escape` and `cut_highlight`) share this code.
"""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .models import Article

_KIND_ORDER = {"meeting": 0, "claim": 1, "actor": 2}  # outermost first on equal spans


def escape(value: Any) -> str:
    """Any value as HTML text or attribute content (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def is_rtl(language: str | None, text: str = "") -> bool:
    """Right to left for Arabic: by the article's language, else by the text's letters."""
    if language and language != "und":
        return language.split("-")[0].lower() in {"ar", "fa", "he", "ur"}
    arabic = sum(1 for ch in text[:5000] if "\u0600" <= ch <= "\u06ff")
    latin = sum(1 for ch in text[:5000] if ch.isascii() and ch.isalpha())
    return arabic > latin


def cut_highlight(text: str, marks: Sequence[tuple[int, int, str]], order: Sequence[str]) -> str:
    """Escaped text cut at every mark boundary; each piece carries the classes covering it.

    Flat (no nesting), so overlapping marks combine as CSS classes on one element
    (`.gc.gm`): what the eval report draws, gold and predicted evidence side by side.
    """
    cuts = sorted({0, len(text), *(x for s, e, _ in marks for x in (s, e) if 0 <= x <= len(text))})
    out = []
    for start, end in itertools.pairwise(cuts):
        classes = [
            css for css in order if any(s <= start and end <= e and c == css for s, e, c in marks)
        ]
        piece = escape(text[start:end])
        out.append(f'<span class="{" ".join(classes)}">{piece}</span>' if classes else piece)
    return "".join(out)


@dataclass(frozen=True)
class Mark:
    """One highlighted span of one record; a record may have several (actor mentions)."""

    start: int
    end: int
    kind: str  # actor, claim, meeting
    key: str  # the record's key in the page's JSON
    title: str  # the hover text


def nest(text: str, marks: Sequence[Mark]) -> str:
    """Escaped text with each mark as a `<span>` element, properly nested.

    Where two marks cross, the inner one is split into fragments that share its
    `data-rec` key, so the text of a record is the text of its fragments in order.
    """
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(x for m in marks for x in (m.start, m.end))})
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    stack: list[Mark] = []
    out: list[str] = []

    def order(m: Mark) -> tuple[int, int, int]:
        return (m.start, -m.end, _KIND_ORDER.get(m.kind, 3))

    for start, end in itertools.pairwise(cuts):
        active = [m for m in active if m.end > start] + starts.get(start, [])
        wanted = sorted(active, key=order)
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
            keep += 1
        out.append("</span>" * (len(stack) - keep))
        del stack[keep:]
        for m in wanted[keep:]:
            out.append(
                f'<span class="rec {escape(m.kind)}" data-rec="{escape(m.key)}" '
                f'data-kind="{escape(m.kind)}" title="{escape(m.title)}">'
            )
            stack.append(m)
        out.append(escape(text[start:end]))
    out.append("</span>" * len(stack))
    return "".join(out)


def _names(article: Article) -> dict[str, str]:
    return {a.id: a.name for a in article.actors}


def marks_and_records(articles: Sequence[Article]) -> tuple[list[Mark], dict[str, dict[str, Any]]]:
    """Every record's spans and its fields for the page (keys are `ARTICLE-kind-N`)."""
    marks: list[Mark] = []
    records: dict[str, dict[str, Any]] = {}
    for n, article in enumerate(articles):
        names = _names(article)
        for actor in article.actors:
            key = f"{n}-a-{actor.id}"
            fields = {
                "record": "actor",
                "name": actor.name,
                "English": actor.name_en,
                "kind": actor.kind,
                "role": actor.role,
                "affiliation": names.get(actor.affiliation or "", actor.affiliation),
                "anonymous": actor.anonymous,
                "mentions": len(actor.mentions),
            }
            records[key] = fields
            title = f"{actor.kind}: {actor.name} ({actor.name_en})"
            marks.extend(Mark(s, e, "actor", key, title) for s, e in actor.mentions)
        for i, claim in enumerate(article.claims):
            key = f"{n}-c-{i}"
            speakers = ", ".join(names.get(s, s) for s in claim.speakers)
            records[key] = {
                "record": "claim",
                "speakers": speakers,
                "quote": claim.quote,
                "statement": claim.statement,
                "evidence": claim.evidence,
                "alignment": claim.alignment,
            }
            if claim.span:
                marks.append(
                    Mark(*claim.span, "claim", key, f"claim ({claim.quote}) by {speakers}")
                )
        for i, meeting in enumerate(article.meetings):
            key = f"{n}-m-{i}"
            parties = ", ".join(names.get(p, p) for p in meeting.participants)
            mediators = ", ".join(names.get(p, p) for p in meeting.mediators)
            records[key] = {
                "record": "meeting",
                "participants": parties,
                "mediators": mediators,
                "status": meeting.status,
                "format": meeting.format,
                "date": meeting.date or meeting.date_text,
                "location": meeting.location,
                "topic": meeting.topic,
                "evidence": meeting.evidence,
                "alignment": meeting.alignment,
            }
            if meeting.span:
                title = f"meeting ({meeting.status}): {parties}" + (
                    f" via {mediators}" if mediators else ""
                )
                marks.append(Mark(*meeting.span, "meeting", key, title))
    return marks, records


_CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#111;display:flex;gap:1em}
main{flex:1;padding:1.5em;max-width:60em}aside{width:22em;padding:1.5em;background:#f8fafc;
border-left:1px solid #e5e7eb;position:sticky;top:0;height:100vh;overflow:auto;
box-sizing:border-box}
.text{white-space:pre-wrap;line-height:2.1;font-size:1.05em;border:1px solid #ddd;padding:1em}
.rec{cursor:pointer}.actor{background:#dbeafe;border-radius:3px}
.claim{background:#fef3c7}.meeting{border-bottom:3px solid #dc2626}
.claim .actor{background:#bfdbfe}.rec.pinned{outline:2px solid #111}
.legend span{padding:0 .4em;margin-inline-end:.5em}dl{margin:0}dt{font-weight:600;margin-top:.5em}
dd{margin:0}.meta{color:#555;font-size:.9em}
"""

_SCRIPT = """
(function () {
  var records = JSON.parse(document.getElementById("records").textContent);
  var panel = document.getElementById("fields");
  function show(key) {
    var rec = records[key];
    if (!rec) { return; }
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    Object.keys(rec).forEach(function (name) {
      var value = rec[name];
      if (value === null || value === "") { return; }
      var dt = document.createElement("dt"); dt.textContent = name;
      var dd = document.createElement("dd"); dd.textContent = String(value);
      dd.setAttribute("dir", "auto");
      panel.appendChild(dt); panel.appendChild(dd);
    });
    document.querySelectorAll(".pinned").forEach(function (el) { el.classList.remove("pinned"); });
    document.querySelectorAll('[data-rec="' + CSS.escape(key) + '"]').forEach(function (el) {
      el.classList.add("pinned");
    });
  }
  document.querySelectorAll("[data-rec]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      event.stopPropagation(); show(el.getAttribute("data-rec"));
    });
  });
})();
"""


def _json_for_script(value: Any) -> str:
    """JSON that cannot end its <script> element nor open a comment there."""
    raw = json.dumps(value, ensure_ascii=False)
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(text: str, articles: Sequence[Article], *, title: str = "") -> str:
    """The whole page: the highlighted text, a legend, a field panel and a meta line."""
    main = articles[0] if articles else None
    language = main.language if main else None
    rtl = is_rtl(language, text)
    marks, records = marks_and_records(articles)
    heading = title or (main.title if main and main.title else "document")
    counts = " · ".join(
        f"{sum(len(getattr(a, k)) for a in articles)} {k}" for k in ("actors", "claims", "meetings")
    )
    metas = [a.meta for a in articles if a.meta is not None]
    made_by = [metas[0].model, metas[0].strategy] if metas else []
    if len(made_by) == 2 and made_by[0] == made_by[1]:  # "rules · rules" says it once
        made_by = made_by[1:]
    meta_line = " · ".join([*made_by, f"{len(articles)} article(s)"]) if metas else ""
    lang_attr = escape(language if language and language != "und" else ("ar" if rtl else "en"))
    direction = "rtl" if rtl else "ltr"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)}</title><style>{_CSS}</style></head><body>"
        f'<main><h1 dir="auto">{escape(heading)}</h1>'
        f'<p class="meta">{escape(counts)}{" · " if meta_line else ""}{escape(meta_line)}</p>'
        '<p class="legend"><span class="actor">actor</span><span class="claim">claim</span>'
        '<span class="meeting">meeting</span> hover for fields, click to pin them</p>'
        f'<div class="text" id="text" lang="{lang_attr}" dir="{direction}">'
        f"{nest(text, marks)}</div>"
        '</main><aside><h2>fields</h2><dl id="fields"><dd>click a highlight</dd></dl></aside>'
        f'<script type="application/json" id="records">{_json_for_script(records)}</script>'
        f"<script>{_SCRIPT}</script></body></html>"
    )
