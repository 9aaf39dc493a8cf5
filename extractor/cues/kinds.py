"""The kind of actor a phrase names (person, group, organization, media), from its head
noun, and whether it is an unnamed source."""

from __future__ import annotations

from collections.abc import Sequence

from ..lang.lexicon import Lexicon
from ..models import ActorKind
from .rulebook import rule


def actor_kind(key: str, lex: Lexicon) -> ActorKind:
    """The kind of actor a normalized phrase names, from its head or its kind nouns."""
    words = key.split()
    if "clitics" in lex.traits:  # "الوكالة" is a "وكالة": compare without the article
        words = [w.removeprefix("ال") if len(w) > 4 else w for w in words]
    return (
        kind_of_source(words, lex)
        or kind_of_last_word(words, lex)
        or kind_of_media_noun(key, words, lex)
        or kind_of_organization_noun(key, words, lex)
        or kind_of_group_noun(words, lex)
        or "person"
    )


@rule(
    "actors.kind-from-source-head",
    stage="actors",
    purpose="A phrase headed by a source or title noun is a person (or a group) of the body "
    "it names, not the body.",
    example="وقال مصدر في القنصلية إن الموظفين غادروا.",
    off=None,
)
def kind_of_source(words: Sequence[str], lex: Lexicon) -> ActorKind | None:
    """ "مصدر في القنصلية", "a spokesman for the ministry": a person; "officials": a group."""
    head = head_source(words, lex)
    if head is None:
        return None
    return "group" if head in lex.group_nouns else "person"


@rule(
    "actors.kind-from-last-word",
    stage="actors",
    purpose="English names a body by its last word: a name ending in Department, Center or "
    "Hill is an organization.",
    example="The Carter Center said on Monday that the vote was fair.",
    off=None,
    language="en",
)
def kind_of_last_word(words: Sequence[str], lex: Lexicon) -> ActorKind | None:
    """ "State Department", "Capitol Hill", "Washington Post": an organization."""
    last = words[-1] if "head-first" not in lex.traits and words else ""
    if last in lex.organization_heads or last in lex.organization_nouns:
        return "organization"
    return None


@rule(
    "actors.kind-from-media-noun",
    stage="actors",
    purpose="A phrase holding a word for an outlet (agency, channel, صحيفة) is a medium.",
    example="وقالت صحيفة الوطن إن الحكومة استقالت.",
    off=None,
)
def kind_of_media_noun(key: str, words: Sequence[str], lex: Lexicon) -> ActorKind | None:
    """ "وكالة الأناضول", "the BBC", "Reuters": a medium."""
    if any(w in lex.media_nouns for w in words) or key in lex.media_nouns:
        return "media"
    return None


@rule(
    "actors.kind-from-organization-noun",
    stage="actors",
    purpose="A phrase holding a kind noun of a body (ministry, حركة, embassy) is an organization.",
    example="وقالت حركة الجهاد إن الاتفاق انهار.",
    off=None,
)
def kind_of_organization_noun(key: str, words: Sequence[str], lex: Lexicon) -> ActorKind | None:
    """ "الخارجية الإيرانية", "حركة حماس": the lexicon writes some kind nouns with their
    article, so a word is compared with it too."""
    if (
        any(w in lex.organization_nouns or "ال" + w in lex.organization_nouns for w in words)
        or key in lex.organization_nouns
    ):
        return "organization"
    return None


@rule(
    "actors.kind-from-group-noun",
    stage="actors",
    purpose="A phrase opened by a word for several people (residents, activists) is a group.",
    example="Angry protesters said on Monday that the water was cut.",
    off=None,
)
def kind_of_group_noun(words: Sequence[str], lex: Lexicon) -> ActorKind | None:
    """ "residents of the town", "ناشطون": a group."""
    return "group" if any(w in lex.group_nouns for w in words[:2]) else None


def head_source(words: Sequence[str], lex: Lexicon) -> str | None:
    """The source or title noun that heads a phrase, before any body it belongs to.

    The head decides the kind: "مصدر مسؤول في القنصلية" is a person of the consulate,
    not the consulate; "officials at the embassy" are a group. Arabic puts the head
    first; English may put determiners and adjectives before it, and the body
    after a preposition.
    """
    if "head-first" in lex.traits:
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
    """Whether a phrase is a source left unnamed: "مصدر مطلع", "a senior official"."""
    return unnamed_source(key, lex) and not named_source(surface, key, lex)


@rule(
    "actors.unnamed-source",
    stage="actors",
    purpose="A phrase made with a source noun (official, مصدر) is a source left unnamed.",
    example="وقال مصدر مطلع إن المحادثات توقفت.",
    off=False,
)
def unnamed_source(key: str, lex: Lexicon) -> bool:
    """ "مصدر مطلع", "a senior official", "المصادر": anonymous."""
    words = key.split()
    return any(w in lex.source_nouns or w.removeprefix("ال") in lex.source_nouns for w in words)


@rule(
    "actors.capitalized-source-is-named",
    stage="actors",
    purpose="An English source phrase that capitalizes a word of its own says whose source "
    "it is: not anonymous.",
    example="A Treasury official said on Monday that rates would rise.",
    off=False,
    language="en",
)
def named_source(surface: str, key: str, lex: Lexicon) -> bool:
    """ "State Department spokesman", "Kremlin aides": the body is named."""
    if "letter-case" not in lex.traits:
        return False
    words = key.split()
    return any(w[:1].isupper() for w in surface.split()[1:]) or (
        surface[:1].isupper()
        and words[0] not in lex.determiners
        and words[0] not in lex.source_nouns
    )


def kind_noun(key: str, lex: Lexicon) -> bool:
    """One definite Arabic word for a kind of body: "الحركة", "الحزب", "الوزارة"."""
    return (
        "clitics" in lex.traits
        and " " not in key
        and key.startswith("ال")
        and any(
            k in lex.organization_nouns or k in lex.media_nouns for k in (key, key[2:])
        )  # "الموقع" after "موقع «الحدث نيوز»" too
    )
