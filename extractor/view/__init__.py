"""Records drawn on their text: a page people work in, and the same view in a notebook.

Every actor mention, claim and meeting is highlighted at its span, an actor in its
own colour; a side list holds every record (filter, click to jump); a hover card
shows a record's fields, a click selects it (again: the next record nested there)
and lights up what it links (an actor's claims and meetings, a claim's speakers).
Arabic runs right to left. The page has no external asset and no markup from the
input. The service's document view, `extractor extract --html`, `_repr_html_` on
`Article` and `Document`, and the eval report (`escape`, `cut_highlight`) share it.
"""

from __future__ import annotations

from .marks import Mark, cut_highlight, escape, is_rtl, nest
from .notebook import View, notebook_html
from .page import render_fragment, render_page
from .records import PALETTE, catalog

__all__ = [
    "PALETTE",
    "Mark",
    "View",
    "catalog",
    "cut_highlight",
    "escape",
    "is_rtl",
    "nest",
    "notebook_html",
    "render_fragment",
    "render_page",
]
