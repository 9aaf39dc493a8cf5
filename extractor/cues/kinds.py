"""The kind of actor a phrase names (person, group, organization, media), from its head
noun, and whether it is an unnamed source."""

from __future__ import annotations

from collections.abc import Sequence

from ..lang.lexicon import Lexicon
from ..models import ActorKind


def actor_kind(key: str, lex: Lexicon) -> ActorKind:
    """The kind of actor a normalized phrase names, from its head or its kind nouns."""
    words = key.split()
    if lex.language == "ar":  # "الوكالة" is a "وكالة": compare without the article
        words = [w.removeprefix("ال") if len(w) > 4 else w for w in words]
    head = head_source(words, lex)
    if head is not None:  # "مصدر في القنصلية", "a spokesman for the ministry": a person
        return "group" if head in lex.group_nouns else "person"
    if (
        lex.language == "en"
        and words
        and (words[-1] in lex.organization_heads or words[-1] in lex.organization_nouns)
    ):  # "State Department", "Capitol Hill": English names a body by its last word
        return "organization"
    if any(w in lex.media_nouns for w in words) or key in lex.media_nouns:
        return "media"
    if (
        any(w in lex.organization_nouns or "ال" + w in lex.organization_nouns for w in words)
        or key in lex.organization_nouns
    ):  # "الخارجية الإيرانية": the lexicon writes some kind nouns with their article
        return "organization"
    if any(w in lex.group_nouns for w in words[:2]):
        return "group"
    return "person"


def head_source(words: Sequence[str], lex: Lexicon) -> str | None:
    """The source or title noun that heads a phrase, before any body it belongs to.

    The head decides the kind: "مصدر مسؤول في القنصلية" is a person of the consulate,
    not the consulate; "officials at the embassy" are a group. Arabic puts the head
    first; English may put determiners and adjectives before it, and the body
    after a preposition.
    """
    if lex.language == "ar":
        first = words[0] if words else ""
        bare = first[1:] if first[:1] in lex.conjunction_letters else first  # "ومصدر"; "وزير" stays
        for w in (first, bare, first.removeprefix("ال"), bare.removeprefix("ال")):
            if w in lex.source_nouns or w in lex.title_nouns or "ال" + w in lex.title_nouns:
                return w
        return None
    for w in words:
        if w in lex.head_links:
            return None
        if w in lex.source_nouns:
            return w
    return None


def is_anonymous(surface: str, key: str, lex: Lexicon) -> bool:
    """Whether a phrase is a source left unnamed: "مصدر مطلع", "a senior official".

    An English source phrase that capitalizes a word of its own ("State Department
    spokesman") says whose source it is.
    """
    words = key.split()
    sourced = any(w in lex.source_nouns or w.removeprefix("ال") in lex.source_nouns for w in words)
    if lex.language == "en":
        named = any(w[:1].isupper() for w in surface.split()[1:]) or (
            surface[:1].isupper()
            and words[0] not in lex.determiners
            and words[0] not in lex.source_nouns
        )
        return sourced and not named
    return sourced


def kind_noun(key: str, lex: Lexicon) -> bool:
    """One definite Arabic word for a kind of body: "الحركة", "الحزب", "الوزارة"."""
    return (
        lex.language == "ar"
        and " " not in key
        and key.startswith("ال")
        and any(
            k in lex.organization_nouns or k in lex.media_nouns for k in (key, key[2:])
        )  # "الموقع" after "موقع «الحدث نيوز»" too
    )
