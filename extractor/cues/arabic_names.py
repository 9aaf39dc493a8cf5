"""Names Arabic writes without capitals: a person after a title, a body after a kind noun.

"وزير الخارجية الأميركي أنتوني بلينكن", "مجلس الأمن الدولي", "نظيره الروسي": a title
noun, a kind noun or a counterpart noun and the words that complete it announce the
actor that code can find without a model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import NamedTuple

from ..lang.gazetteer import load_gazetteer
from ..lang.lexicon import Lexicon
from ..models import Span
from ..text.normalize import normalize
from ..text.segment import Sentence
from .names import is_nisba
from .rulebook import rule
from .tokens import Token, is_verb, tokens


def _ar_bare(word: str, lex: Lexicon) -> str:
    """A word without a one-letter clitic (و ف ب ل ك)."""
    return word[1:] if word[:1] in lex.stripped_clitics and len(word) > 3 else word


_MAX_COMPLEMENTS = 5


def _title_complements(toks: Sequence[Token], i: int, lex: Lexicon) -> int:
    """Where the complements of the title at `i` end (the first token after them).

    Definite words ("الخارجية الأميركي", "حكومة الاحتلال", "للأمن القومي"), and a
    preposition or a ل-construct with its object: "المبعوث الأممي إلى سورية",
    "لشؤون الشرق الأدنى", "المتحدث باسم الخارجية". An indefinite word is taken only
    as such an object, so the name after the title is never swallowed.
    """
    j = i + 1
    while j < len(toks) and j - i <= _MAX_COMPLEMENTS and not toks[j - 1].after.strip():
        w = toks[j].word
        if any(q in toks[j].before for q in '«"“'):
            break
        nxt = toks[j + 1] if j + 1 < len(toks) and not toks[j].after.strip() else None
        if nxt is not None and any(q in nxt.before for q in '«"“'):
            nxt = None
        if w in lex.title_links:  # (before the article test: "إلى" folds to "الي")
            if nxt is None or not re.fullmatch(r"[\u0621-\u064a]+", nxt.word):
                break
            j += 2  # "إلى سورية": the preposition and its object
            continue
        if w.startswith("ال") or w in lex.organization_nouns or w.startswith(normalize("لل")):
            j += 1
            continue
        if j == i + 1 and owned_post(w, lex):
            j += 1  # "ووزير خارجيته خالد العطية": the post, owned by the one just named
            continue
        country = country_complement(toks, j, lex)
        if country:
            j += country  # "رئيس كوريا الجنوبية مون جيه-إن": the country, then the name
            continue
        if nxt is None:
            break
        if w[:1] == "ل" and len(w) > 3 and nxt.word.startswith("ال"):
            j += 1  # "لشؤون" heads the definite words after it
            continue
        break
    return j


@cache
def _country_forms(language: str) -> dict[str, list[tuple[str, ...]]]:
    """First word → the gazetteer's forms it starts (normalized words), longest first."""
    forms: dict[str, list[tuple[str, ...]]] = {}
    for place in load_gazetteer(language).places:
        for form in place.forms:
            words = tuple(normalize(form).split())
            forms.setdefault(words[0], []).append(words)
    for listed in forms.values():
        listed.sort(key=len, reverse=True)
    return forms


@rule(
    "actors.title-of-a-country",
    stage="actors",
    purpose="A country named after a title is the title's complement (رئيس كوريا الجنوبية): "
    "the person's name follows it.",
    example="وقال رئيس جنوب السودان سلفاكير ميارديت إن الميناء سيغلق.",
    off=0,
    language="ar",
)
def country_complement(toks: Sequence[Token], j: int, lex: Lexicon) -> int:
    """How many tokens from `j` name a country of the gazetteer, with no punctuation inside."""
    for words in _country_forms(lex.language).get(toks[j].word, []):
        n = len(words)
        window = toks[j : j + n]
        whole = not any(t.after.strip() for t in window[:-1])
        if len(window) == n and tuple(t.word for t in window) == words and whole:
            return n
    return 0


@rule(
    "actors.post-of-one-just-named",
    stage="actors",
    purpose="A title's post with a possessive ending (وزير خارجيته) belongs to the one just "
    "named; the name follows it.",
    example="وصل أمير قطر إلى عمان، ووزير خارجيته خالد العطية، الأحد.",
    off=False,
    language="ar",
)
def owned_post(word: str, lex: Lexicon) -> bool:
    """ "خارجيته", "حكومتها": the post, owned by someone named before."""
    return len(word) >= 5 and word.endswith(lex.post_possessives)


@rule(
    "actors.surname-with-article",
    stage="actors",
    purpose="A family name may carry the article (عادل الجبير): taken as a titled name's last "
    "word where a comma closes the apposition.",
    example="التقى وزير الخارجية عادل الجبير، نظيره الأردني في عمان.",
    off=False,
    language="ar",
)
def _surname_at(
    toks: Sequence[Token], k: int, name: Sequence[int], words: _Stops, lex: Lexicon
) -> bool:
    """Whether the definite word at `k` closes the name begun before it: "عادل الجبير،".

    A family name often carries the article. It is taken only as the name's last word,
    right before the comma that closes an apposition (or, after two words, before a
    particle or stop word), after at least one undefined word, and never a day, a title,
    a kind noun or a stop word: before a full stop, "واستقبل الشيخ خالد الوفد." ends
    with the verb's object.
    """
    stops, nouns = words.stops, words.nouns
    w = toks[k].word
    nxt = toks[k + 1].word if k + 1 < len(toks) and not toks[k].after.strip() else ""
    # or, after a given name and a father's, before a word no object continues with:
    # "الرئيس الراحل محمد أنور السادات مصدر تنديد"
    closed = toks[k].after.strip()[:1] in ("،", ",") or (
        len(name) >= 2 and (nxt in stops or nxt in lex.name_breaks)
    )
    return (
        bool(name)
        and closed
        and w not in stops
        and w not in nouns
        and w[2:] not in nouns
        and bool(re.fullmatch(r"[\u0621-\u064a]{4,}", w))
    )


class _Stops(NamedTuple):
    """The words no titled name holds, gathered once per text."""

    stops: frozenset[str]  # stop words, complementizers, relative pronouns, source nouns
    verbs: frozenset[str]  # verbs of speech and meeting
    nouns: frozenset[str]  # title, kind and source nouns: no family name ("الوفد")
    written: frozenset[str] = frozenset()  # the text's words: a verb's perfect stem


@rule(
    "actors.titled-name",
    stage="actors",
    purpose="Arabic has no capitals: a title noun and its definite complements announce a "
    "person's name after them.",
    example="التقى وزير الخارجية الأميركي أنتوني بلينكن، نظيره الأردني في عمان.",
    off=(),
    language="ar",
)
def arabic_titled_names(
    text: str, sentences: Sequence[Sentence], lex: Lexicon
) -> list[tuple[Span, Span]]:
    """(title, name) where a title announces a name: "وزير الخارجية الأميركي أنتوني
    بلينكن", "رئيس حكومة الاحتلال، بنيامين نتنياهو،", "الشيخ محمد بن عبد الرحمن".

    Arabic has no capitals; a title noun and its definite complements ("الخارجية
    الأميركي", "حكومة الاحتلال") are what announce a person's name. The name is the
    words after them, set off by a comma or not: one to five words without the article
    (but "عبد الرحمن", "آل ثاني") and without a clitic before an article or a title
    ("بالرياض", "لرئيس"), none a particle, title, source noun, stop word, verb of
    speech or meeting, or digit. A one-word name must end at punctuation ("الرئيس
    أوباما،"): otherwise it is as likely the next clause's first word.
    """
    out: list[tuple[Span, Span]] = []  # (title, name)
    stops = lex.speaker_stops | lex.complementizers | lex.relative_pronouns | lex.source_nouns
    verbs = lex.reporting_verbs | lex.meeting_triggers
    kinds = lex.title_nouns | lex.organization_nouns | lex.group_nouns | lex.media_nouns
    words = _Stops(stops, verbs, kinds | lex.source_nouns, _text_words(text))
    for sent in sentences:
        out.extend(_titled_in(text, tokens(text, sent.start, sent.end), lex, words))
    return sorted(set(out))


@lru_cache(maxsize=4)
def _text_words(text: str) -> frozenset[str]:
    """The normalized words of a whole input, folded once for all of its articles."""
    return frozenset(normalize(text).split())


def _titled_in(
    text: str, toks: Sequence[Token], lex: Lexicon, words: _Stops
) -> list[tuple[Span, Span]]:
    """(title, name) pairs of one sentence's tokens, as `arabic_titled_names` finds them."""
    out: list[tuple[Span, Span]] = []
    listed = False  # a title announced a name earlier in this sentence
    covered = 0  # "مساعدة الوزير …": a title inside another's complements is not another
    for i, t in enumerate(toks):
        if i < covered:
            continue
        # "وزير الخارجية الأميركي جون كيري، والروسي سيرجي لافروف": in a list of
        # titled names, "and the Russian" stands for the title it repeats
        elided = listed and elided_title(t.word, lex)
        if not elided and (
            t.after.strip()
            or (t.word not in lex.title_nouns and _ar_bare(t.word, lex) not in lex.title_nouns)
        ):
            continue
        j = i + 1 if elided else _title_complements(toks, i, lex)
        covered = j
        if j >= len(toks) or (toks[j - 1].after.strip() and toks[j - 1].after.strip() != "،"):
            continue  # a full stop or a quotation after the title: no name follows
        name = _titled_name(text, toks, j, lex, words)
        if name is None:
            continue
        title = (
            t.start + len(t.word) - len(_ar_bare(t.word, lex))
            if t.word not in lex.title_nouns
            else t.start,
            toks[j - 1].end,
        )
        out.append((title, (toks[name[0]].start, toks[name[-1]].end)))
        listed = True
    return out


@rule(
    "actors.elided-title-in-list",
    stage="actors",
    purpose="In a list of titled names, 'and the Russian' stands for the title it repeats.",
    example="التقى وزير الخارجية الأميركي جون كيري، والروسي سيرجي لافروف، في جنيف.",
    off=False,
    language="ar",
)
def elided_title(word: str, lex: Lexicon) -> bool:
    """ "والروسي" after "وزير الخارجية الأميركي جون كيري،": the title, elided."""
    return word.startswith("وال") and is_nisba(word, lex)


@rule(
    "actors.one-word-name-at-punctuation",
    stage="actors",
    purpose="One word after a title is a name only where punctuation ends it; else it is as "
    "likely the next clause's first word.",
    example="وقال الرئيس أوباما إن المحادثات مثمرة.",
    off=False,
    language="ar",
)
def open_one_word(toks: Sequence[Token], name: Sequence[int]) -> bool:
    """ "الرئيس أوباما،" is a name; "الرئيس أوباما إن" may not be."""
    return len(name) == 1 and not toks[name[0]].after.strip()


def _titled_name(
    text: str, toks: Sequence[Token], j: int, lex: Lexicon, words: _Stops
) -> list[int] | None:
    """The tokens of the name that starts at `j`, after a title, if one does."""
    name, stopped = _name_words(text, toks, j, lex, words)
    while name and toks[name[-1]].word in lex.name_links:
        name.pop()
    linked = any(toks[n].word in lex.name_links for n in name)
    ended = stopped or bool(name) and bool(toks[name[-1]].after.strip())
    if (
        not name
        or open_one_word(toks, name)
        or (len(name) > 3 and not linked)  # "سامح شكري اتصالين هاتفيين": words run on
        or not ended
    ):
        return None
    return name


def _name_words(
    text: str, toks: Sequence[Token], j: int, lex: Lexicon, words: _Stops
) -> tuple[list[int], bool]:
    """The up to five tokens from `j` that can be a name, and whether the name ended at a
    word that cannot be part of it (rather than at punctuation or the fifth word)."""
    stops, verbs, nouns, _ = words
    name: list[int] = []
    for k in range(j, min(j + 5, len(toks))):
        w = toks[k].word
        bare = _ar_bare(w, lex)
        linked = bool(name) and toks[name[-1]].word in lex.name_links
        spelled = text[toks[k].start : toks[k].end] in lex.spelled_names
        if spelled and not toks[k].before.strip():
            name.append(k)  # "علي شمخاني", "بان كي مون", as spelled
            if toks[k].after.strip():
                break
            continue
        if len(name) >= 2 and agreeing_adjective(w, lex):
            name.pop()  # "سامح شكري اتصالين هاتفيين": the noun the adjective follows
            return name, True
        if w.startswith("ال") and not linked and _surname_at(toks, k, name, words, lex):
            name.append(k)  # "عادل الجبير،", "خالد بن محمد العطية،"
            return name, True
        if (
            (w.startswith("ال") and not linked)
            or (name and w[:1] == "و")  # "أنتوني بلينكن ومساعدته": someone else
            or (bare != w and (bare.startswith("ال") or bare in lex.title_nouns))
            or w in lex.name_breaks
            or bare in lex.name_breaks  # "بنظرائه"
            or w.startswith(normalize("لل"))  # "لليمن"
            or w in lex.title_nouns
            or w in stops
            or is_verb(w, lex, verbs)
            or imperfect_of_written(w, words.written, lex)
            or not re.fullmatch(r"[\u0621-\u064a]+(?:-[\u0621-\u064a]+)?", w)  # "جيه-إن"
            or any(q in toks[k].before for q in '«"“(')  # "فبراير (شباط)"
        ):
            return name, True
        name.append(k)
        if toks[k].after.strip():
            break  # a comma or a full stop ends the name
    return name, False


@rule(
    "actors.verb-is-no-name",
    stage="actors",
    purpose='"وزير الخارجية يتلقى اتصالين": a present verb whose past stem the text also '
    "writes (تلقى) is the sentence's verb, never a name after a title",
    example="وزير النقل يتلقى اتصالين من نظيريه\nوقال وزير النقل إنه تلقى اتصالين من نظيريه.",
    off=False,
    language="ar",
)
def imperfect_of_written(word: str, written: frozenset[str], lex: Lexicon) -> bool:
    """ "يتلقى" where the text writes "تلقى": an imperfect prefix before a written word of
    four letters or more (a shorter stem is as likely a name's letters: "تامر")."""
    stem = word[1:]
    return word[:1] in lex.imperfect_prefixes and len(stem) >= 4 and stem in written


@rule(
    "actors.adjective-ends-name",
    stage="actors",
    purpose='"الوزير سامر حداد اتصالين هاتفيين": an indefinite dual or plural nisba adjective '
    "follows a common noun; the name ends before that noun",
    example="وتلقى الوزير سامر حداد اتصالين هاتفيين من نظيريه.",
    off=False,
    language="ar",
)
def agreeing_adjective(word: str, lex: Lexicon) -> bool:
    """ "هاتفيين", "دوليتان": a nisba adjective in the dual or plural, without the article."""
    plural = [e for e in lex.nisba_endings if len(e) >= 3]
    return not word.startswith("ال") and any(word.endswith(e) for e in plural) and len(word) > 5


_MAX_ORG_WORDS = 4  # complements after the kind noun: "منظمة حظر الأسلحة الكيماوية"


def _org_complements(toks: Sequence[Token], j: int, stops: frozenset[str], lex: Lexicon) -> int:
    """Where the definite words completing an organization's kind noun end.

    "مجلس الأمن الدولي", "وزارة الخارجية الأميركية"; one undefined noun may open the
    construct when a definite word follows it ("منظمة حظر الأسلحة"); a quoted name is
    the name ("صحيفة «الوطن» السورية"). Words end at punctuation, a stop word or a
    relative pronoun ("المجلس الذي").
    """
    start = j
    while j < len(toks) and j - start < _MAX_ORG_WORDS and not toks[j - 1].after.strip("» "):
        t = toks[j]
        if t.word in stops or any(q in t.before for q in '"“('):
            break
        if "«" in t.before:  # a quoted name, up to its closing mark
            k = j
            while k < len(toks) and "»" not in toks[k].after and k - j < _MAX_ORG_WORDS:
                k += 1
            if k == len(toks) or "»" not in toks[k].after:
                break
            j = k + 1
            continue
        if t.word.startswith("ال") and not t.word.startswith(normalize("لل")):
            if j > start and is_nisba(toks[j - 1].word, lex) and not is_nisba(t.word, lex):
                break  # "المالطية الخبر": after the adjective, the verb's object
            j += 1
            continue
        nxt = toks[j + 1] if j + 1 < len(toks) and not t.after.strip() else None
        if j == start and nxt is not None and nxt.word.startswith("ال") and len(t.word) >= 3:
            j += 1  # "منظمة حظر الأسلحة": an undefined noun of the construct
            continue
        break
    return j


@cache
def _counterpart(
    clitics: frozenset[str], stems: frozenset[str], suffixes: frozenset[str]
) -> re.Pattern[str]:
    """ "نظيره", "نظيرته", "نظرائه", "بنظرائه": his counterpart(s), normalized; not the
    dual "نظيريه الروسي والأمريكي", two people the text names."""
    clitic = "".join(sorted(clitics))
    stem = "|".join(map(re.escape, sorted(stems)))
    suffix = "|".join(map(re.escape, sorted(suffixes)))
    return re.compile(rf"^[{clitic}]?(?:{stem})(?:{suffix})$")


@rule(
    "actors.unnamed-counterpart",
    stage="actors",
    purpose="A counterpart the text leaves unnamed (نظيره الروسي) is an actor: the other side "
    "of a minister's talks.",
    example="التقى الوزير نظيره الروسي في موسكو.",
    off=(),
    language="ar",
)
def arabic_counterparts(text: str, sentences: Sequence[Sentence], lex: Lexicon) -> list[Span]:
    """Counterparts the text leaves unnamed: "باجتماع مع نظرائه الخليجيين", "يلتقي نظيره
    الروسي", "مع نظرائه من مجلس التعاون الخليجي".

    The other side of a minister's talks is often named only so; the phrase, from the
    counterpart noun (without its clitic) to its adjectives or its "من" complement, is
    the actor. A counterpart named right after ("نظيره الكوبي برونو دورديغيز") is that
    person, found by the name.
    """
    stops = lex.speaker_stops | lex.relative_pronouns | lex.complementizers
    counterpart = _counterpart(lex.clitic_letters, lex.counterpart_stems, lex.counterpart_suffixes)
    stems = tuple(lex.counterpart_stems)
    out: list[Span] = []
    for sent in sentences:
        toks = tokens(text, sent.start, sent.end)
        for i, t in enumerate(toks):
            if not counterpart.match(t.word) or t.after.strip():
                continue
            j = i + 1
            while j < len(toks) and toks[j].word.startswith("ال") and is_nisba(toks[j].word, lex):
                j += 1
                if toks[j - 1].after.strip():
                    break
            if j == i + 1 and j < len(toks) and toks[j].word in lex.partitive_links:
                j = _org_complements(toks, j + 1, stops, lex)
                if j == i + 2:
                    continue  # "نظيره من" with nothing after
            if j == i + 1:
                continue  # "نظيره" alone: whose, the text says elsewhere
            last = toks[j - 1]
            if j < len(toks) and not last.after.strip() and not _ends_phrase(toks[j], stops, lex):
                continue  # a name follows: the counterpart is that person
            lead = 1 if t.word[:1] in lex.clitic_letters and not t.word.startswith(stems) else 0
            out.append((t.start + lead, last.end))
    return out


def _ends_phrase(t: Token, stops: frozenset[str] | set[str], lex: Lexicon) -> bool:
    """Whether a word after a counterpart's adjectives is no name: a particle or a verb's
    next argument ("في الدوحة", "يوم الاثنين"), or a definite word."""
    return t.word in stops or t.word.startswith("ال") or _ar_bare(t.word, lex).startswith("ال")


@rule(
    "actors.body-by-kind-noun",
    stage="actors",
    purpose="Arabic names a body by its kind noun and the definite words or quoted name that "
    "complete it (مجلس الأمن الدولي).",
    example="التقى الوزير أعضاء مجلس الأمن الدولي في نيويورك.",
    off=(),
    language="ar",
)
def arabic_organizations(
    text: str, sentences: Sequence[Sentence], lex: Lexicon
) -> list[tuple[Span, Span]]:
    """Organizations and outlets a kind noun names: "مجلس الأمن الدولي", "وزارة
    الخارجية الأميركية", "الحكومة التركية", "وكالة الأناضول", "صحيفة «الوطن» السورية".

    Arabic has no capitals; a body is named by its kind noun and the definite words or
    the quoted name that complete it. A definite kind noun alone is a common noun ("the
    government"): it names one body with a relational adjective ("الحكومة التركية").
    After a title the construct is the post, not a body ("وزير الخارجية الأميركي",
    "رئيس حكومة الاحتلال"), so it is skipped there; after "باسم" it is the body spoken for.
    Each comes with its name after the kind noun ("أحرار الشام" of "حركة «أحرار الشام»").
    """
    stops = lex.speaker_stops | lex.relative_pronouns | lex.complementizers
    heads = {w for w in lex.organization_nouns | lex.media_heads if " " not in w}
    out: list[tuple[Span, Span]] = []
    for sent in sentences:
        toks = tokens(text, sent.start, sent.end)
        i = 0
        while i < len(toks):
            t = toks[i]
            bare = _ar_bare(t.word, lex)
            prev = toks[i - 1] if i and not toks[i - 1].after.strip() else None
            head = bare if bare in heads else t.word if t.word in heads else None
            definite = head is None and bare.startswith("ال") and bare[2:] in heads
            if post_not_body(prev, lex) or t.after.strip() or (head is None and not definite):
                i += 1
                continue
            if definite or (head or "").startswith("ال"):
                j = i + 1
                while (
                    j < len(toks) and toks[j].word.startswith("ال") and is_nisba(toks[j].word, lex)
                ):
                    j += 1
                    if toks[j - 1].after.strip():
                        break
            else:
                j = _org_complements(toks, i + 1, stops, lex)
            if j > i + 1:
                end = toks[j - 1].end
                if text[end : end + 1] == "»":
                    end += 1  # the quoted name's closing mark
                raw = text[t.start : t.end]
                lead = 0
                if bare != t.word and bare in heads:  # "ووزارة": the body without its clitic
                    lead = next((k for k in range(len(raw)) if normalize(raw[k:]) == bare), 0)
                body = (t.start + lead, end)
                first = toks[i + 1]
                # a definite kind noun's adjective is no name: "التركية" of "الحكومة التركية"
                plain = definite or (head or "").startswith("ال")
                named = body if plain else (first.start - ("«" in first.before), end)
                out.append((body, named))
                i = j
            else:
                i += 1
    return out


@rule(
    "actors.no-body-after-title",
    stage="actors",
    purpose="After a title a kind noun's construct is the post, not a body: وزير الخارجية "
    "is no ministry.",
    example="التقى رئيس الحكومة التركية نظيره في أنقرة.",
    off=False,
    language="ar",
)
def post_not_body(prev: Token | None, lex: Lexicon) -> bool:
    """Whether a title stands right before the kind noun: "رئيس حكومة الاحتلال", "وزير
    الخارجية الأميركي" name the title's post."""
    return prev is not None and (
        prev.word in lex.title_nouns or _ar_bare(prev.word, lex) in lex.title_nouns
    )
