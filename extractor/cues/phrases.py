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
from .rulebook import rule
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
        toks = self.toks
        j = i + 1
        if _quotation_follows(self, i):
            return None, j
        if _own_verb(self, j):
            j += 1
        while _pronoun_object(self, j):
            j += 1
        if _object_first(self, j):
            return None, j
        close = _quoted_subject(self, j) if j < len(toks) and not wrapped(toks[j]) else None
        if close is not None:
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
                close = _quoted_subject(self, j)
                if close is not None:  # "حركة «أحرار الشام»": the quoted name is the name
                    return (t.start, toks[close].end), close + 1
                break
            if t.word in lex.speaker_stops:
                if _in_name(self, j, first):
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
        return (toks[first].start, _closed(self.text, toks[first:j])), j

    def _subject_ends(self, j: int) -> bool:
        """Whether token j, past the phrase's first word, starts something after the subject.

        A relay, an object, a second speaker, another verb of speech, or the speaker's
        own statement: the subject ended before it.
        """
        lex, toks = self.lex, self.toks
        t = toks[j]
        verb_first = "verb-first" in lex.traits  # the subject is followed by the rest
        return (
            (
                verb_first
                and _aside_or_relay_opens(t, toks[j + 1] if j + 1 < len(toks) else None, lex)
            )
            or (verb_first and _relay_ends_subject(t, lex))
            or (verb_first and _object_starts(t.word, self.text[t.start : t.end], lex))
            or (verb_first and _object_after_adjective(toks[j - 1], t, lex))
            or (verb_first and _second_source_starts(t, lex))
            or _verb_ends_subject(t, lex)
            or (verb_first and _owned_statement(t.word, lex))
        )

    def phrase_before(self, i: int, max_words: int = 6) -> Span | None:
        """The noun phrase right before token i ('X said'), skipping auxiliaries."""
        lex, toks = self.lex, self.toks
        j = i - 1
        while j >= 0 and (
            _adverb_before_verb(toks[j], lex) or _progressive_auxiliary(toks[j], toks[i], lex)
        ):
            j -= 1
        last = j
        linked = None  # where the phrase would have stopped but for a linking stop word
        while j >= 0 and last - j < max_words:
            t = toks[j]
            if ends_clause(t) or t.after.endswith(tuple(CLOSE_QUOTES)):
                linked = None
                break
            if t.word in lex.speaker_stops or t.word in lex.complementizers:
                if not ("verb-first" not in lex.traits and j and self._links(t, toks[j - 1])):
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
        while first < last and (
            toks[first].word in lex.be_verbs or toks[first].word in lex.already_particles
        ):
            first += 1  # "وكان الرئيس … قال": the auxiliary is not the speaker
        if j == last:
            return None
        return toks[first].start, toks[last].end

    def _links(self, t: Token, prev: Token) -> bool:
        """A stop word that continues a subject before its verb after `prev` (English)."""
        if t.word == "and":  # "Ortiz and Brandt said", "families and supporters said"
            return _and_links(self, prev)
        return _source_link(prev.word, self.lex)

    def pronoun(self, span: Span | None) -> bool:
        """Whether the phrase is a lone subject pronoun ("he", "هو"): someone named elsewhere."""
        if span is None:
            return False
        words = normalize(self.text[span[0] : span[1]]).split()
        return len(words) == 1 and words[0] in self.lex.pronoun_subjects


@rule(
    "speakers.quotation-after-verb",
    stage="speakers",
    purpose='"تقول: «…»", \'said: "…"\': what follows the verb is the quotation, no speaker',
    example="قال وزير النقل إن الميناء سيغلق. وأضاف: «السفن لن تبحر يوم الجمعة».",
    off=False,
)
def _quotation_follows(s: CueSentence, i: int) -> bool:
    """A colon after token i, or a quotation (not a quoted name) opening right after it."""
    toks = s.toks
    j = i + 1
    return ":" in toks[i].after or (
        j < len(toks)
        and starts_quote(toks[j])
        and not wrapped(toks[j])
        and _quoted_subject(s, j) is None
    )


@rule(
    "speakers.own-verb-skipped",
    stage="speakers",
    purpose='"بحسب ما أكد مصدر": the phrase\'s own verb of speech is not the speaker',
    example="وسيغلق الميناء يوم الجمعة بحسب ما أكد مصدر في الميناء.",
    off=False,
)
def _own_verb(s: CueSentence, j: int) -> bool:
    return j < len(s.toks) and is_verb(s.toks[j].word, s.lex, s.lex.reporting_verbs)


@rule(
    "speakers.pronoun-object-skipped",
    stage="speakers",
    language="ar",
    purpose='"نقلت فيه «رويترز»", "وقال له": a pronoun object before the subject',
    example="وقال له وزير النقل إن الميناء سيغلق يوم الجمعة.",
    off=False,
)
def _pronoun_object(s: CueSentence, j: int) -> bool:
    return j < len(s.toks) and s.toks[j].word in s.lex.prepositional_pronouns


@rule(
    "speakers.object-before-subject",
    stage="speakers",
    language="ar",
    purpose='"وغريفيث يقر بالإخفاق": a بـ-object right after the verb; the subject came first',
    example="وزير النقل يقر بالإخفاق في إدارة الميناء.",
    off=False,
)
def _object_first(s: CueSentence, j: int) -> bool:
    return j < len(s.toks) and (
        s.toks[j].word.startswith(s.lex.object_first_prefixes) or _object_noun(s, j)
    )


@rule(
    "speakers.object-noun-after-verb",
    stage="speakers",
    language="ar",
    purpose='"وأكد ضرورة أن …", "وأكد أهمية الحوار": a noun of necessity or stance right '
    "after the verb is its object; the subject is the previous speaker",
    example="قال وزير النقل إن الميناء سيغلق. وأكد ضرورة أن تبقى السفن في البحر.",
    off=False,
)
def _object_noun(s: CueSentence, j: int) -> bool:
    return s.toks[j].word in s.lex.object_nouns


@rule(
    "speakers.quoted-name-subject",
    stage="speakers",
    language="ar",
    purpose='"وقالت «هيئة الميناء»", "حركة «أحرار الشام»": a short quoted name is the '
    "speaker's name, not a quotation",
    example="وقالت «هيئة الميناء» الأسبوع الماضي إن السفن ستتوقف.",
    off=None,
)
def _quoted_subject(s: CueSentence, j: int) -> int | None:
    """The last token of the quoted name opening at token j (Arabic)."""
    return quoted_name(s.toks, j) if "quoted-names" in s.lex.traits else None


@rule(
    "speakers.fi-inside-a-name",
    stage="speakers",
    language="ar",
    purpose='"سفير الولايات المتحدة في اليمن", "سفيرة كندا لدى الأمم المتحدة": في and لدى go '
    'on inside a title, unless a statement follows ("في بيانها") or another stop word',
    example="وقال سفير الولايات المتحدة في اليمن إن الميناء سيغلق.",
    off=False,
)
def _in_name(s: CueSentence, j: int, first: int) -> bool:
    """Whether the stop word في or لدى at token j goes on inside the speaker's name."""
    lex, toks = s.lex, s.toks
    if not (toks[j].word in lex.inner_title_links and j > first and j + 1 < len(toks)):
        return False
    nxt = toks[j + 1].word
    owned = {nxt[: -len(e)] for e in lex.possessive_suffixes if nxt.endswith(e)}
    return (
        nxt not in lex.statement_nouns
        and not owned & lex.statement_nouns
        and nxt not in lex.speaker_stops
    )


@rule(
    "speakers.aside-or-relaying-word-ends-subject",
    stage="speakers",
    language="ar",
    purpose='"وكالة الأنباء (كنا)", "ذكرت الشبكة نقلا عن مسؤول": a parenthesis or a relaying '
    "word before its source (نقلا عن) ends the subject",
    example="وغادر الوزير المدينة، وفقا لما قالته وكالة الأنباء الوطنية (وان).",
    off=False,
)
def _aside_or_relay_opens(t: Token, nxt: Token | None, lex: Lexicon) -> bool:
    relaying = (
        nxt is not None
        and t.word.startswith(lex.relaying_stems)
        and nxt.word in lex.relaying_prepositions
    )
    return "(" in t.before or relaying


def _closed(text: str, phrase: list[Token]) -> int:
    """Where a phrase ends: after its last word, and after the closing mark of a quoted
    name opened inside it, past its first word ("وكالة «رويترز»"; "«رويترز»" is the name
    without its marks)."""
    last = phrase[-1]
    opened = any(q in t.before for t in phrase[1:] for q in OPEN_QUOTES)
    marks = [last.after.find(q) for q in CLOSE_QUOTES if q in last.after]
    return last.end + min(marks) + 1 if opened and marks else last.end


@rule(
    "speakers.relay-ends-subject",
    stage="speakers",
    language="ar",
    purpose='"وقال المتحدث لـ«رويترز»": the medium told is not part of the subject',
    example="وقال متحدث باسم الميناء لوكالة الأنباء المحلية إن السفن ستتوقف.",
    off=False,
)
def _relay_ends_subject(t: Token, lex: Lexicon) -> bool:
    return is_relay(t, lex)


@rule(
    "speakers.object-ends-subject",
    stage="speakers",
    language="ar",
    purpose='"وأقر غريفيث بإخفاق …", "وأضاف كيري والارتياح …": a بـ-object or a clause '
    "opened by و ends the subject",
    example="وأقر وزير النقل بالإخفاق في إدارة الميناء.",
    off=False,
)
def _object_starts(word: str, surface: str, lex: Lexicon) -> bool:
    """An Arabic word that cannot continue a subject: a بـ-object or a clause opened by و.

    "باسم" (spokesman *for* …) is the one بـ-word that belongs to a speaker phrase.
    بإ- is read on the `surface`: normalized, it is the با- of "بارز" (prominent) and
    "باراك", which continue a phrase.
    """
    if word in lex.object_prefix_exceptions:
        return False
    # بال-/بإ-/باست- nouns (بالإخفاق، بإخفاق، باستهداف), not names like "باراك"
    return word.startswith(lex.object_prefixes) or surface.startswith(lex.object_surface_prefixes)


@rule(
    "speakers.second-source-starts",
    stage="speakers",
    language="ar",
    purpose='"مسؤول أمريكي وشخص آخر": a source noun joined by و starts a second speaker',
    example="وقال مسؤول في الميناء ومصدر مطلع إن السفن ستتوقف.",
    off=False,
)
def _second_source_starts(t: Token, lex: Lexicon) -> bool:
    return t.word[:1] == "و" and t.word[1:] in lex.source_nouns


@rule(
    "speakers.verb-ends-subject",
    stage="speakers",
    purpose="another verb of speech ends the speaker phrase: it starts a clause of its own",
    example="وسيغلق الميناء بحسب مسؤول أكد أن السفن ستتوقف.",
    off=False,
)
def _verb_ends_subject(t: Token, lex: Lexicon) -> bool:
    return is_verb(t.word, lex, lex.reporting_verbs)


@rule(
    "speakers.owned-statement-ends-subject",
    stage="speakers",
    language="ar",
    purpose='"واختتم وزير الخارجية تصريحه بأنه …": the speaker\'s own statement is the object',
    example="واختتم وزير النقل تصريحه بأن الميناء سيغلق.",
    off=False,
)
def _owned_statement(word: str, lex: Lexicon) -> bool:
    """A statement noun with a possessive suffix: "تصريحه", "بيانها" (the lexicon is
    normalized, so a word is its stem plus the suffix; a feminine noun's ة, which
    turns to ت before the suffix, is not undone here)."""
    return any(
        word != word.removesuffix(suffix) and word.removesuffix(suffix) in lex.statement_nouns
        for suffix in lex.possessive_suffixes
    )


@rule(
    "speakers.object-after-title-adjective",
    stage="speakers",
    language="ar",
    purpose='"وطالب وزير الخارجية اليمني المجتمع الدولي": a definite noun after the title\'s '
    "nisba adjective opens the object",
    example="وطالب وزير النقل اليمني المجتمع الدولي بدعم الميناء.",
    off=False,
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
        and t.word not in lex.title_adjectives
        and t.word not in lex.title_nouns
    )


@rule(
    "speakers.adverb-before-verb",
    stage="speakers",
    purpose='"Pell has also said": adverbs and auxiliaries between the subject and its verb',
    example="Tomas Pell has said the port is safe.",
    off=False,
)
def _adverb_before_verb(t: Token, lex: Lexicon) -> bool:
    return t.word in lex.verb_adverbs and not ends_clause(t)


@rule(
    "speakers.progressive-auxiliary",
    stage="speakers",
    language="en",
    purpose='"Pell is demanding", "Pell has been saying": "is", "been" before a verb of speech '
    "in -ing are its auxiliaries; the subject stands before them",
    example="Tomas Pell is insisting that the port will close.",
    off=False,
)
def _progressive_auxiliary(t: Token, verb: Token, lex: Lexicon) -> bool:
    return (
        t.word in lex.progressive_auxiliaries and verb.word.endswith("ing") and not ends_clause(t)
    )


@rule(
    "speakers.and-links-speakers",
    stage="speakers",
    language="en",
    purpose='"Ortiz and Brandt said", "families and supporters said": "and" joins two '
    "speakers after a name or a source noun",
    example="The harbour master named Tomas Pell and Ana Brandt. Pell and Brandt said the "
    "port is safe.",
    off=False,
)
def _and_links(s: CueSentence, prev: Token) -> bool:
    named = s.text[prev.start : prev.end][:1].isupper() and not prev.after.strip()
    return named or prev.word in s.lex.source_nouns | s.lex.group_nouns


@rule(
    "speakers.source-link",
    stage="speakers",
    language="en",
    purpose='"people familiar with her thinking", "officials close to the talks": a '
    "preposition goes on with a source's description",
    example="People familiar with the talks said the port would close.",
    off=False,
)
def _source_link(word: str, lex: Lexicon) -> bool:
    """A preposition after this word continues a source's description: "close to"."""
    return word in lex.source_adjectives or word in lex.source_nouns or word in lex.group_nouns


def is_media(phrase: str, lex: Lexicon) -> bool:
    """Whether the one told is an outlet: a media noun ("Reuters", "the agency"), or in
    English "the" and a name that is no body ("told the Guardian", not "the Senate")."""
    words = normalize(phrase).split()
    if any(w in lex.media_nouns for w in words) or normalize(phrase) in lex.media_nouns:
        return True
    return _the_name_outlet(phrase, words, lex)


@rule(
    "speakers.the-name-is-an-outlet",
    stage="speakers",
    language="en",
    purpose='"told the Harbour Gazette": "the" and a name that is no body is an outlet, '
    "which relays",
    example="Tomas Pell told the Harbour Gazette that the port is safe.",
    off=False,
)
def _the_name_outlet(phrase: str, words: list[str], lex: Lexicon) -> bool:
    raw = phrase.split()
    return (
        "article-word" in lex.traits
        and 2 <= len(raw) <= 4
        and raw[0].lower() == "the"
        and all(w[:1].isupper() for w in raw[1:])
        and not any(w in lex.organization_nouns or w in lex.assembly_nouns for w in words[1:])
    )
