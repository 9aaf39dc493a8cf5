"""The speaker phrase on either side of a cue: what a sentence names as who speaks.

Arabic puts the subject after its verb ("وقال وزير الخارجية … إن"), English mostly
before it ("the minister said") or after a quotation ('"…," said X'). `CueSentence`
walks the words from the cue to where the phrase ends: a complementizer, a stop
word, a quotation, the start of an object or of a second clause. The order of those
tests is the rules' order: the first that holds ends the phrase.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..lang.lexicon import CLOSE_QUOTES, OPEN_QUOTES, Lexicon
from ..models import Span
from ..text.normalize import normalize
from .quotes import quoted_offsets
from .tokens import (
    Token,
    ends_clause,
    is_nisba,
    is_relay,
    is_verb,
    quoted_name,
    starts_quote,
    tokens,
    wrapped,
)

BE = frozenset(normalize(w) for w in ("كان", "وكان", "فكان", "كانت", "وكانت", "فكانت"))
ALREADY = frozenset(normalize(w) for w in ("قد", "وقد"))
_AUXILIARIES = BE | ALREADY
_PRONOUN_OBJECTS = frozenset(
    normalize(w) for w in ("فيه", "فيها", "له", "لها", "لهم", "لنا", "لي", "عنه", "عنها")
)


@dataclass(frozen=True)
class Speaker:
    """A speaker phrase as the text writes it (span), or the previous speaker (implicit)."""

    span: Span | None
    implicit: bool = False
    pronoun: str | None = None  # "he", "she": a subject to resolve, not always the last speaker
    role: Span | None = None  # "المتحدثة باسم الحكومة، فاطمة مهاجراني،": the title before a name


class CueSentence:
    """One sentence as the cue stage reads it: its words, which stand inside a quotation,
    and the speaker phrases on either side of a cue word."""

    def __init__(self, text: str, start: int, end: int, lex: Lexicon) -> None:
        self.text, self.lex = text, lex
        self.toks = tokens(text, start, end)
        self.start, self.end = start, end
        self.headline = False
        self.quoted: list[bool] = []  # per token: inside a quotation

    def mark_quoted(self, depth: int, closes_beyond: bool = False) -> None:
        """Mark the words inside a quotation: a verb there is quoted, not a cue."""
        inside = quoted_offsets(self.text[self.start : self.end], depth, closes_beyond)
        self.quoted = [inside[t.start - self.start] for t in self.toks]

    def phrase_after(self, i: int, max_words: int = 7) -> tuple[Span | None, int]:
        """The speaker phrase right after token i (Arabic order, 'said X', 'according to X')."""
        lex, toks = self.lex, self.toks
        j = i + 1
        if ":" in toks[i].after or (
            j < len(toks)
            and starts_quote(toks[j])
            and not wrapped(toks[j])
            and (lex.language != "ar" or quoted_name(toks, j) is None)
        ):
            return None, j  # "تقول: «…»", 'said: "…"': what follows is the quotation
        if j < len(toks) and is_verb(toks[j].word, lex, lex.reporting_verbs):
            j += 1  # "بحسب ما أكد مصدر": the phrase's own verb is not the speaker
        while j < len(toks) and toks[j].word in _PRONOUN_OBJECTS:
            j += 1  # "نقلت فيه «رويترز»": a pronoun object before the subject
        if lex.language == "ar" and j < len(toks) and toks[j].word.startswith(_BE_OBJECT):
            return None, j  # "وغريفيث يقر بالإخفاق": an object, the subject came first
        quoted = lex.language == "ar" and j < len(toks) and not wrapped(toks[j])
        close = quoted_name(toks, j) if quoted else None
        if close is not None:  # "ولم توضح «أحرار الشام» …": the quoted name is the subject
            return (toks[j].start, toks[close].end), close + 1
        return self._phrase_from(j, max_words)

    def _phrase_from(self, first: int, max_words: int) -> tuple[Span | None, int]:
        """The phrase that starts at token `first`, up to the first word that ends it."""
        lex, toks = self.lex, self.toks
        j = first
        while j < len(toks) and j - first < max_words:
            t = toks[j]
            if t.word in lex.complementizers or t.word in lex.pronoun_subjects and j == first:
                break
            if j > first and starts_quote(t) and not wrapped(t):
                close = quoted_name(toks, j) if lex.language == "ar" else None
                if close is not None:  # "حركة «أحرار الشام»": the quoted name is the name
                    return (t.start, toks[close].end), close + 1
                break
            if t.word in lex.speaker_stops:
                if self._in_name(j, first):
                    j += 1
                    continue
                break
            if j > first and self._subject_ends(j):
                break
            j += 1
            if ends_clause(t):
                break
        if j == first:
            return None, j
        return (toks[first].start, toks[j - 1].end), j

    def _in_name(self, j: int, first: int) -> bool:
        """Whether the stop word في at token j goes on inside the speaker's name.

        "سفير الولايات المتحدة في اليمن" names where he serves; "في بيانها" (in her
        statement) is no part of the speaker's name, nor is في before another stop word.
        """
        lex, toks = self.lex, self.toks
        if not (toks[j].word == normalize("في") and j > first and j + 1 < len(toks)):
            return False
        nxt = toks[j + 1].word
        owned = {nxt[: -len(e)] for e in ("ه", "ها", "هم", "هما") if nxt.endswith(e)}
        return (
            nxt not in lex.statement_nouns
            and not owned & lex.statement_nouns
            and nxt not in lex.speaker_stops
        )

    def _subject_ends(self, j: int) -> bool:
        """Whether token j, past the phrase's first word, starts something after the subject.

        A relay, an object, a second speaker, another verb of speech, or the speaker's
        own statement: the subject ended before it.
        """
        lex, toks = self.lex, self.toks
        t = toks[j]
        arabic = lex.language == "ar"
        return (
            (arabic and is_relay(t, lex))
            # "وأقر غريفيث بإخفاق …", "وأضاف كيري والارتياح …": the subject ended
            or (arabic and _object_starts(t.word, self.text[t.start : t.end]))
            # "وطالب وزير الخارجية اليمني المجتمع الدولي": the object begins
            or (arabic and _object_after_adjective(toks[j - 1], t, lex))
            # "مسؤول أمريكي وشخص آخر": a second speaker starts
            or (arabic and t.word[:1] == "و" and (t.word[1:] in lex.source_nouns))
            or is_verb(t.word, lex, lex.reporting_verbs)
            # "واختتم وزير الخارجية تصريحه بأنه …": his statement is the object
            or (arabic and _owned_statement(t.word, lex))
        )

    def phrase_before(self, i: int, max_words: int = 6) -> Span | None:
        """The noun phrase right before token i ('X said'), skipping auxiliaries."""
        lex, toks = self.lex, self.toks
        j = i - 1
        while j >= 0 and toks[j].word in lex.verb_adverbs and not ends_clause(toks[j]):
            j -= 1
        last = j
        linked = None  # where the phrase would have stopped but for a linking stop word
        while j >= 0 and last - j < max_words:
            t = toks[j]
            if ends_clause(t) or t.after.endswith(tuple(CLOSE_QUOTES)):
                linked = None
                break
            if t.word in lex.speaker_stops or t.word in lex.complementizers:
                if not (lex.language == "en" and j and self._links(t, toks[j - 1])):
                    linked = None
                    break  # but "people familiar with her thinking", "Ortiz and Brandt"
                linked = j if linked is None else linked
            if is_verb(t.word, lex, lex.reporting_verbs):
                linked = None
                break
            j -= 1
            if t.before and any(q in t.before for q in OPEN_QUOTES):
                linked = None
                break
        if linked is not None and j >= 0 and last - j >= max_words:
            j = linked  # the linked phrase ran past the limit: keep the part before the link
        first = j + 1
        while first < last and toks[first].word in _AUXILIARIES:
            first += 1  # "وكان الرئيس … قال": the auxiliary is not the speaker
        if j == last:
            return None
        return toks[first].start, toks[last].end

    def _links(self, t: Token, prev: Token) -> bool:
        """An English stop word that continues a speaker phrase after `prev`."""
        if t.word == "and":  # "Ortiz and Brandt said", "families and supporters said"
            named = self.text[prev.start : prev.end][:1].isupper() and not prev.after.strip()
            return named or prev.word in self.lex.source_nouns | self.lex.group_nouns
        return _source_link(prev.word, self.lex)

    def pronoun(self, span: Span | None) -> bool:
        """Whether the phrase is a lone subject pronoun ("he", "هو"): someone named elsewhere."""
        if span is None:
            return False
        words = normalize(self.text[span[0] : span[1]]).split()
        return len(words) == 1 and words[0] in self.lex.pronoun_subjects


_BE_OBJECT = tuple(normalize(p) for p in ("بال", "بإ", "باست"))


def _object_starts(word: str, surface: str) -> bool:
    """An Arabic word that cannot continue a subject: a بـ-object or a clause opened by و.

    "باسم" (spokesman *for* …) is the one بـ-word that belongs to a speaker phrase.
    بإ- is read on the `surface`: normalized, it is the با- of "بارز" (prominent) and
    "باراك", which continue a phrase.
    """
    if word == normalize("باسم"):
        return False
    # بال-/بإ-/باست- nouns (بالإخفاق، بإخفاق، باستهداف), not names like "باراك"
    return word.startswith(tuple(normalize(p) for p in ("بال", "باست", "وال"))) or (
        surface.startswith("بإ")
    )


_ADJECTIVES = frozenset(  # definite adjectives that follow a nisba in a title, not objects
    normalize(w)
    for w in (
        "السابق",
        "السابقة",
        "الأسبق",
        "الخاص",
        "الخاصة",
        "الجديد",
        "الجديدة",
        "العام",
        "العامة",
        "الأعلى",
        "الأول",
        "الأولى",
        "الدائم",
        "الدائمة",
        "المقبل",
        "المكلف",
        "المكلفة",
        "المستقيل",
        "المؤقت",
        "البارز",
        "البارزة",
        "الكبير",
        "الكبيرة",
        "الرفيع",
        "الرفيعة",
        "المسؤول",
        "المسؤولة",
        "المطلع",
        "المطلعة",
        "المعني",
        "المنتهية",
        "الأكبر",
        "الحر",
        "الحرة",
    )
)


def _owned_statement(word: str, lex: Lexicon) -> bool:
    """A statement noun with a possessive suffix: "تصريحه", "بيانها" (the lexicon is
    normalized, so a word is its stem plus the suffix; a feminine noun's ة, which
    turns to ت before the suffix, is not undone here)."""
    return any(
        word != word.removesuffix(suffix) and word.removesuffix(suffix) in lex.statement_nouns
        for suffix in ("ه", "ها", "هم", "هما")
    )


def _object_after_adjective(prev: Token, t: Token, lex: Lexicon) -> bool:
    """A definite noun after a title's nisba adjective starts the verb's object.

    "وزير الخارجية اليمني المجتمع الدولي": the title ends with its adjective; a
    definite noun that is neither an adjective nor a title ("الشيخ") opens the object.
    """
    return (
        prev.word.startswith("ال")
        and is_nisba(prev.word)
        and not prev.after.strip()
        and not t.after.strip()  # "الجيش السوري الحر، إبراهيم الجباوي،": a name follows
        and t.word.startswith("ال")
        and not is_nisba(t.word)
        and t.word not in _ADJECTIVES
        and t.word not in lex.title_nouns
    )


_SOURCE_ADJECTIVES = frozenset(("familiar", "close", "briefed", "knowledgeable", "involved"))


def _source_link(word: str, lex: Lexicon) -> bool:
    """A preposition after this word continues a source's description: "close to"."""
    return word in _SOURCE_ADJECTIVES or word in lex.source_nouns or word in lex.group_nouns


def is_media(phrase: str, lex: Lexicon) -> bool:
    """Whether the one told is an outlet: a media noun ("Reuters", "the agency"), or in
    English "the" and a name that is no body ("told the Guardian", not "the Senate")."""
    words = normalize(phrase).split()
    if any(w in lex.media_nouns for w in words) or normalize(phrase) in lex.media_nouns:
        return True
    raw = phrase.split()
    return (
        lex.language == "en"
        and 2 <= len(raw) <= 4
        and raw[0].lower() == "the"
        and all(w[:1].isupper() for w in raw[1:])
        and not any(w in lex.organization_nouns or w in _ASSEMBLIES for w in words[1:])
    )


# bodies that are told things with "the", and no outlets: "he told the Senate"
_ASSEMBLIES = frozenset(("senate", "house", "congress", "parliament", "assembly", "court"))
