"""Definite descriptions: a speaker the text describes instead of naming.

"the Russian leader", "المسؤول اليمني": the cue stage resolves such a phrase to a
titled name the text gives; what it cannot resolve is the model's speaker question.
"""

from __future__ import annotations

from ..lang.lexicon import languages, load_lexicon
from ..text.normalize import normalize


def is_description(name: str, language: str, titles: frozenset[str] = frozenset()) -> bool:
    """A definite description with no proper name in it: "the Russian leader", "المسؤول اليمني".

    English: "the …" (or "this …", "that …") ending in a lower-case noun. Arabic: up to
    three words, each with
    the article (after و/ف, or as لل), so no personal name is among them; prepositions
    may link them ("المبعوث الدولي إلى اليمن", "المتحدث باسم الخارجية"). With the
    language's title nouns, also a title with definite words after it ("وزير الخارجية
    الأميركي", "رئيس الوزراء القطري").
    """
    words = name.split()
    lex = load_lexicon(language) if language in languages() else None
    if lex is not None and "letter-case" in lex.traits:
        return (
            len(words) >= 2
            and words[0].lower() in lex.definite_determiners  # "this Trump look-alike"
            and words[-1][:1].islower()
        )
    folded = [normalize(w) for w in words]
    if not folded:
        return False
    links = lex.title_links | lex.partitive_links if lex else frozenset()
    conjunctions = "".join(sorted(lex.conjunction_letters)) if lex else ""
    head = folded[0][1:] if folded[0][:1] and folded[0][:1] in conjunctions else folded[0]
    if len(folded) >= 2 and (folded[0] in titles or head in titles):
        if not head.startswith("ال") and folded[1] in links:
            return False  # "متحدث باسم المعارضة": a spokesman, someone new, not "the" one
        return all(w.startswith(("ال", "لل")) or w in links for w in folded[1:])
    content = [w for w in folded if w not in links]
    return (
        len(folded) <= 5
        and 1 <= len(content) <= 3
        and all(w.lstrip(conjunctions).startswith(("ال", "لل")) for w in content)
    )
