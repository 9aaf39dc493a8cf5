"""Who speaks in an Arabic sentence: the subject after its verb, and who relays it.

Arabic news puts the subject after the verb ("وقال وزير الخارجية، أيمن الصفدي، إن")
and names the medium told with لـ ("لـ«رويترز»") and the source relayed with عن
("نقلت رويترز عن مصادر"): the original speaker first, then the relay (RECORDS.md).
كان puts the subject before the verb ("وكان كيري قال"); a dual names two speakers
("الرئيسان بوتين وأردوغان"); a relative clause lends its subject to the next verb.
"""

from __future__ import annotations

import re

from ..lang.lexicon import CLOSE_QUOTES, OPEN_QUOTES, Lexicon
from ..models import Span
from ..text.normalize import normalize
from .phrases import CueSentence, Speaker, is_media
from .rulebook import rule
from .subjects_ar import linked_on, subject_opens_clause
from .tokens import Token, ends_clause, is_nisba, is_relay, is_verb, starts_quote, wrapped


@rule(
    "speakers.name-in-apposition",
    stage="speakers",
    language="ar",
    purpose='"وزير الخارجية، أيمن الصفدي، إن": the name set off by commas after a title '
    "speaks, the title is its role",
    example="وقال الخبير البحري، عمر حداد، إن الميناء سيغلق.",
    off=None,
)
def _apposition(s: CueSentence, j: int, max_words: int = 7) -> Span | None:
    """The name set off by commas right after a title: "وزير الخارجية، أيمن الصفدي، إن".

    Token j starts the candidate; it is a name when it ends at a comma within
    `max_words` and holds no stop word, verb, quotation or preposition-led word.
    """
    lex, toks = s.lex, s.toks
    for k in range(j, min(j + max_words, len(toks))):
        t = toks[k]
        if (
            t.word in lex.speaker_stops
            or t.word in lex.complementizers
            or is_verb(t.word, lex, lex.reporting_verbs)
            or starts_quote(t)
            or any(ch.isdigit() for ch in t.word)
            or (k == j and t.word[:1] in ("ب", "ل", "ك") and t.word[1:3] == "ال")
            or (k == j and is_relay(t, lex))  # "وقال الوزير، لـCNN، إن": the medium told
        ):
            return None
        if ends_clause(t):
            return (toks[j].start, t.end) if "،" in t.after or "," in t.after else None
    return None


@rule(
    "speakers.subject-before-kana",
    stage="speakers",
    language="ar",
    purpose='"وكان كيري قال", "مصدر … كان قد نفى": كان puts the subject before the verb',
    example="وكان وزير النقل قال للصحفيين إن الميناء سيغلق.",
    off=None,
)
def _auxiliary_subject(s: CueSentence, i: int, max_words: int = 9) -> Span | None:
    """The subject that كان puts before the verb: "وكان كيري قال لـ…", "مصدر … كان قد نفى".

    With كان the subject comes between it and the verb, or before كان itself when
    only قد follows it; what follows the verb is then an addressee or the statement.
    """
    lex, toks = s.lex, s.toks
    verb = toks[i].word.lstrip("وف")
    if verb not in lex.reporting_verbs:
        return None  # "كانت إيران ستقول": a future under كان is what would be said
    already = lex.already_particles

    def stop(t: Token) -> bool:
        return (
            t.word in lex.complementizers
            or t.word in lex.relative_pronouns
            or (t.word in lex.speaker_stops and t.word not in already | {normalize("في")})
            or is_verb(t.word, lex, lex.reporting_verbs)
            or starts_quote(t)
            and not wrapped(t)
            or any(p in t.after for p in (".", ":", "؛", ";", "(", ")", "—", "–"))
        )

    a = i - 1
    while a >= 0 and i - a <= max_words + 2 and toks[a].word not in lex.be_verbs:
        if stop(toks[a]):
            return None
        a -= 1
    if a < 0 or i - a > max_words + 2:
        return None
    inner = [k for k in range(a + 1, i) if toks[k].word not in already]
    if inner:
        return toks[inner[0]].start, toks[inner[-1]].end
    if i - a < 2:
        return None  # "كان قال": no قد, no subject between: the usual order follows
    first = a  # "مصدر … كان قد نفى": only قد between, the subject stands before كان
    while first > 0 and a - first < max_words:
        t = toks[first - 1]
        if ends_clause(t) or t.after.endswith(tuple(CLOSE_QUOTES)) or stop(t):
            break
        first -= 1
    opened = (
        first == 0 or ends_clause(toks[first - 1]) or (toks[first - 1].word in lex.complementizers)
    )
    if first == a or not opened:
        return None
    return toks[first].start, toks[a - 1].end


def _dual_head(word: str, lex: Lexicon) -> bool:
    """An Arabic dual of a kind or title noun: "حركتا", "الحركتان", "الرئيسان", "وزيرا"."""
    bare = word.lstrip("وف").removeprefix("ال")
    nouns = lex.organization_nouns | lex.title_nouns
    for ending, singular in lex.dual_endings:
        if len(bare) > len(ending) + 1 and bare.endswith(ending):
            stem = bare[: -len(ending)] + singular
            if stem in nouns or "ال" + stem in nouns:
                return True
    return False


def _parts(s: CueSentence, span: Span) -> list[Span]:
    """The speakers a subject phrase names: two after a dual, else the phrase."""
    return _dual_conjuncts(s, span) or [span]


@rule(
    "speakers.dual-names-two",
    stage="speakers",
    language="ar",
    purpose='"حركتا حماس والجهاد", "الرئيسان بوتين وأردوغان": a dual title or kind noun '
    "before two names: two speakers",
    example="وقال الوزيران عمر حداد وخالد نصار إن الميناء سيغلق.",
    off=None,
)
def _dual_conjuncts(s: CueSentence, span: Span) -> list[Span] | None:
    """ "حركتا حماس والجهاد الإسلامي", "الرئيسان بوتين وأردوغان": two speakers, each named.

    Only after a dual kind or title noun, and only where both parts are names: in
    "وزيرا الخارجية الأمريكي والروسي" the second part is an adjective, no name.
    """
    lex = s.lex
    toks = [t for t in s.toks if span[0] <= t.start and t.end <= span[1]]
    if len(toks) < 2 or not _dual_head(toks[0].word, lex):
        return None
    rest = [t for t in s.toks if t.start >= span[1]]
    if len(toks) == 2 and rest and rest[0].word.startswith("و") and not ends_clause(toks[-1]):
        # "قال الرئيسان الحداد والخطيب": the phrase stopped at "وال…", a new clause's
        # start elsewhere, here the second name
        for t in rest[:2]:
            if (
                t.word in lex.complementizers
                or t.word in lex.speaker_stops
                or is_verb(t.word, lex, lex.reporting_verbs)
            ):
                break
            toks.append(t)
            if ends_clause(t) or t.after.strip():
                break
    if len(toks) < 3:
        return None
    joins = [
        k for k in range(2, len(toks)) if toks[k].word.startswith("و") and len(toks[k].word) > 2
    ]
    if len(joins) != 1:
        return None
    k = joins[0]
    first, second = toks[1:k], toks[k:]
    if len(first) > 3 or len(second) > 3 or any(is_nisba(t.word) for t in second[:1]):
        return None
    return [(first[0].start, first[-1].end), (second[0].start + 1, second[-1].end)]


@rule(
    "speakers.relative-clause-head",
    stage="speakers",
    language="ar",
    purpose='"… طهران التي تحدثت عن مبادرة، وقالت إنها": a verb with no subject goes on from '
    "the noun a relative clause of speech hangs on",
    example="ووصل الوفد إلى هيئة الميناء التي تحدثت عن خطة جديدة، وقالت إن السفن ستبحر.",
    off=None,
)
def _relative_head(s: CueSentence, i: int, max_words: int = 3) -> Span | None:
    """The subject a coordinated verb continues from a relative clause of speech.

    "… من طهران التي تحدثت عن مبادرة …، وقالت إنها …": "وقالت" has no subject of its
    own; it goes on from "تحدثت", whose subject is the noun "التي" follows. The
    relative pronoun must agree with the verb (التي with قالت, الذي with قال) and be
    followed by a verb of speech; the noun runs back to a stop word or punctuation.
    """
    lex, toks = s.lex, s.toks
    verb = toks[i].word.lstrip("وف")
    gender = "f" if verb.endswith("ت") else "m"
    for r in range(i - 2, 0, -1):
        t = toks[r]
        if _relative_gender(t.word, lex) != gender:
            continue
        speech = lex.reporting_verbs | lex.speaking_verbs
        if not is_verb(toks[r + 1].word, lex, speech) or ends_clause(toks[r - 1]):
            return None
        first = r - 1
        while first > 0 and r - first < max_words:
            prev = toks[first - 1]
            if (
                ends_clause(prev)
                or prev.word in lex.speaker_stops
                or prev.word in lex.relative_head_prepositions
                or is_verb(prev.word, lex, lex.reporting_verbs | lex.meeting_triggers)
            ):
                break
            first -= 1
        return toks[first].start, toks[r - 1].end
    return None


def _relative_gender(word: str, lex: Lexicon) -> str | None:
    """ "f" for التي, "m" for الذي: the verb a relative clause lends its subject must agree."""
    if word in lex.relatives_feminine:
        return "f"
    return "m" if word in lex.relatives_masculine else None


def arabic_speakers(s: CueSentence, i: int) -> tuple[Speaker, ...]:
    """Verb–subject order: the phrase after the verb, up to إن/أن/«:» or a stop word."""
    toks = s.toks
    before = _auxiliary_subject(s, i)
    if before is not None:
        speakers = [Speaker(part) for part in _parts(s, before)]
        relay = _addressee(s, i + 1)
        if relay is not None:
            speakers.append(Speaker(relay))
        if _relayed(s, i):
            original, _ = s.phrase_after(i + 1)
            if original is not None:
                speakers.insert(0, Speaker(original))
        return tuple(speakers)
    opening = subject_opens_clause(s, i)
    if opening is not None:  # "لكن مسؤولا نفى إغلاق الميناء": what follows is the object
        return tuple(Speaker(part) for part in _parts(s, opening))
    phrase, j = linked_on(s, *s.phrase_after(i, max_words=9))
    titled = _titled_name(s, phrase, j)
    if titled is not None:
        return (titled,)
    told = _told_first(s, phrase)
    if told is not None:  # "لكنه قال لـCNN إن": the one who went on, then the medium
        return Speaker(None, implicit=True), Speaker(told)
    if phrase is not None:
        phrase = _before_quoted_adverb(s, i, phrase) or phrase
    if phrase is not None:
        phrase = _name_before_preposition(s, phrase) or phrase
    if phrase is None:
        before = _subject_first(s, i)
        if before is not None:
            return tuple(Speaker(part) for part in _parts(s, before))
        head = _relative_head(s, i)
        if head is not None:
            return (Speaker(head),)
        return (Speaker(None, implicit=True),)
    speakers = [Speaker(part) for part in _parts(s, phrase)]
    relay = _addressee(s, j)
    if relay is not None:  # "وقال القنصل لـ«رويترز» إن": the medium told relays it
        speakers.append(Speaker(relay))
    # relayed speech: "نقلت رويترز عن مصادر" -> the original speaker first, then the relay
    if j < len(toks) and (_relayed(s, j - 1, i) or _relaying_word(s, j)):
        original, _ = s.phrase_after(j + 1 if _relaying_word(s, j) else j)
        if original is not None:
            speakers.insert(0, Speaker(original))
    return tuple(speakers)


def _titled_name(s: CueSentence, phrase: Span | None, j: int) -> Speaker | None:
    """The name set off by commas after the title `phrase` (ending before token j)."""
    toks = s.toks
    if phrase is None or j >= len(toks) or not _titles(s, phrase):
        return None
    if ends_clause(toks[j - 1]):
        name = _apposition(s, j)
        if name is not None and ("،" in toks[j - 1].after or "," in toks[j - 1].after):
            return Speaker(name, role=phrase)
        return None
    return _complement_apposition(s, phrase, j) or _relative_then_name(s, phrase, j)


@rule(
    "speakers.title-relative-then-name",
    stage="speakers",
    language="ar",
    purpose='"المتحدث باسم التحالف الذي تقوده السعودية، تركي المالكي،": a relative clause on '
    "the title runs to the comma before the name in apposition",
    example="وقال المتحدث باسم الهيئة التي تدير الميناء منذ سنوات، عمر حداد، إن السفن ستبحر.",
    off=None,
)
def _relative_then_name(
    s: CueSentence, phrase: Span, j: int, max_words: int = 10
) -> Speaker | None:
    lex, toks = s.lex, s.toks
    if toks[j].word not in lex.relative_pronouns:
        return None
    for end in range(j + 1, min(j + max_words, len(toks) - 1)):
        t = toks[end]
        if t.word in lex.complementizers or starts_quote(t) or s.quoted and s.quoted[end]:
            return None
        if ends_clause(t):
            name = _apposition(s, end + 1) if "،" in t.after or "," in t.after else None
            # the statement follows the name: "…، تركي المالكي، أن …"
            rest = [x for x in toks if name is not None and x.start >= name[1]]
            if (
                name is None
                or not rest
                or rest[0].word not in lex.complementizers
                or _describes(toks[end + 1].word, lex, True)  # "…، نائبة الوزير،": a title
            ):
                return None
            return Speaker(name, role=(phrase[0], t.end))
    return None


@rule(
    "speakers.title-complement-then-name",
    stage="speakers",
    language="ar",
    purpose='"المبعوث الأممي لسوريا، ستيفان دي ميستورا،": the title\'s one-word complement, '
    "then the name set off by commas",
    example="وقال المبعوث الأممي لليمن، عمر حداد، إن الميناء سيغلق.",
    off=None,
)
def _complement_apposition(s: CueSentence, phrase: Span, j: int) -> Speaker | None:
    toks = s.toks
    k = j + 1 if toks[j].word in s.lex.title_complement_links else j
    # "قال المتحدث لرويترز، …" is a relay; "المبعوث الدولي لليمن، …", "الأمين العام
    # لمنظمة …" a complement
    if k >= len(toks) or toks[k].word in s.lex.speaker_stops:
        return None  # "نقلت رويترز عن المتحدث …،": the source relayed, no complement
    if not (
        toks[k].word.startswith("لل")
        or not is_relay(toks[k], s.lex)
        or toks[k].word[1:] in s.lex.organization_nouns
    ):
        return None
    end = _complement_end(s, k)
    if end is not None and end + 1 < len(toks):
        name = _apposition(s, end + 1)
        if name is not None:
            return Speaker(name, role=(phrase[0], toks[end].end))
    return None


@rule(
    "speakers.title-complement-of-several-words",
    stage="speakers",
    language="ar",
    purpose='"الأمين العام لمنظمة التعاون لدول البحر، الدكتور …،": a title\'s complement of '
    "a few words (no verb, complementizer or stop word) runs to the comma before the name",
    example="وقال الأمين العام لمنظمة دول البحر الأحمر، عمر حداد، إن الميناء سيغلق.",
    off=None,
)
def _complement_end(s: CueSentence, k: int, max_words: int = 6) -> int | None:
    """The last token of the complement opening at token k, where a comma ends it."""
    lex, toks = s.lex, s.toks
    for end in range(k, min(k + max_words, len(toks))):
        t = toks[end]
        if (
            t.word in lex.complementizers
            or (end > k and t.word in lex.speaker_stops)
            or is_verb(t.word, lex, lex.reporting_verbs)
            or starts_quote(t)
        ):
            return None
        if ends_clause(t):
            return end if "،" in t.after or "," in t.after else None
    return None


@rule(
    "speakers.subject-before-verb",
    stage="speakers",
    language="ar",
    purpose='"مصادر قريبة من طهران أوضحت أن": the subject first, for a verb without و/ف '
    "(which would go on with the previous speaker)",
    example="مصادر مطلعة أكدت أن السفن ستتوقف.",
    off=None,
)
def _subject_first(s: CueSentence, i: int) -> Span | None:
    word = s.toks[i].word
    going_on = word[:1] in ("و", "ف") or (word[:1] == "ل" and word not in s.lex.reporting_verbs)
    return s.phrase_before(i) if not going_on else None


@rule(
    "speakers.medium-told",
    stage="speakers",
    language="ar",
    purpose='"وقال القنصل لـ«رويترز» إن": the medium told relays the statement, a speaker '
    "after the original one",
    example="وقال وزير النقل لـ«رويترز» إن الميناء سيغلق.",
    off=None,
)
def _addressee(s: CueSentence, j: int, max_words: int = 3) -> Span | None:
    """The medium that was told, at token j ("لـ«رويترز»", "لوكالة «نوفوستي» الروسية").

    RECORDS.md lists the relay as a speaker after the original one. Only a medium
    counts: "قال لمجلس العلاقات الخارجية" addresses an audience, not a relay.
    """
    lex, toks = s.lex, s.toks
    if "clitics" not in lex.traits or j >= len(toks):
        return None
    if not is_relay(toks[j], lex) and not (
        toks[j].word.startswith("ل") and is_media(toks[j].word[1:], lex)  # "لرويترز"
    ):
        return None
    raw = s.text[toks[j].start : toks[j].end]
    # one ل, its tatweel and any opening mark: "لـ«لوموند»" is Le Monde, not "وموند"
    opening = re.match(r"لـ*[\"«“']*", raw)
    start = toks[j].start + (opening.end() if opening else 0)
    k = j
    quoted = bool(opening and any(q in opening.group() for q in OPEN_QUOTES))
    while k + 1 < len(toks) and k - j + 1 < max_words and not ends_clause(toks[k]):
        if quoted and any(q in toks[k].after or toks[k].word.endswith(q) for q in CLOSE_QUOTES):
            break  # "لـ«الشرق الأوسط» سياسة": the quoted name ends at its mark
        nxt = toks[k + 1]
        if (
            nxt.word in lex.complementizers
            or nxt.word in lex.speaker_stops
            or is_verb(nxt.word, lex, lex.reporting_verbs)
            or (starts_quote(nxt) and not wrapped(nxt))
        ):
            break
        k += 1
    phrase = s.text[start : toks[k].end].rstrip("\"«»“”' ")
    if not phrase or not is_media(phrase, lex) and not _wrapped_name(toks[j]):
        return None
    return start, start + len(phrase)


def _wrapped_name(t: Token) -> bool:
    """ "لـ«رويترز»", "لـCNN": a name written straight after the preposition."""
    return any(q in t.word or q in t.before for q in OPEN_QUOTES) or bool(
        re.search(r"[A-Za-z]", t.word)
    )


@rule(
    "speakers.relayed-source-first",
    stage="speakers",
    language="ar",
    purpose='"نقلت رويترز عن مصادر": the source relayed speaks first, then the relay',
    example="ونقلت وكالة الأنباء عن مصدر في الميناء أن السفن ستتوقف.",
    off=False,
)
def _relayed(s: CueSentence, before: int, verb: int | None = None) -> bool:
    """ "نقل(ت) … عن X": the token after `before` is عن and the verb is a form of نقل."""
    toks = s.toks
    verb = before if verb is None else verb
    return (
        before + 1 < len(toks)
        and toks[before + 1].word in s.lex.relaying_prepositions
        and toks[verb].word.lstrip("وف").startswith(s.lex.relaying_stems)
    )


@rule(
    "speakers.name-then-title-apposition",
    stage="speakers",
    language="ar",
    purpose='"وقال عمر حداد، المتحدث باسم الهيئة، إن": a name set off by a title after it is the '
    "speaker; only a phrase that describes someone (a title, source or kind noun) takes a "
    "name in apposition",
    example="وقال عمر حداد، المتحدث باسم هيئة الموانئ الوطنية للشحن البحري، إن السفن ستبحر.",
    off=True,
)
def _titles(s: CueSentence, phrase: Span) -> bool:
    inside = _tokens_in(s, phrase)
    return any(_describes(s.toks[k].word, s.lex, k == inside[0]) for k in inside)


@rule(
    "speakers.relaying-word-source-first",
    stage="speakers",
    language="ar",
    purpose='"ذكرت الشبكة نقلا عن مسؤول": the source after نقلا عن speaks first, then the '
    "subject that relays it",
    example="وذكرت الإذاعة الوطنية نقلا عن مسؤول في الميناء أن السفن ستتوقف.",
    off=False,
)
def _relaying_word(s: CueSentence, j: int) -> bool:
    toks = s.toks
    return (
        j + 1 < len(toks)
        and toks[j].word.startswith(s.lex.relaying_stems)
        and toks[j + 1].word in s.lex.relaying_prepositions
    )


def _tokens_in(s: CueSentence, span: Span) -> list[int]:
    return [k for k, t in enumerate(s.toks) if span[0] <= t.start and t.end <= span[1]]


@rule(
    "speakers.medium-told-no-subject",
    stage="speakers",
    language="ar",
    purpose='"لكنه قال لـCNN إن": a phrase that opens with the medium told is no subject; '
    "the previous speaker goes on, the medium relays",
    example="قال وزير النقل إن الميناء سيغلق. لكنه قال لـ«الشرق» إن السفن ستبحر.",
    off=None,
)
def _told_first(s: CueSentence, phrase: Span | None) -> Span | None:
    inside = _tokens_in(s, phrase) if phrase is not None else []
    if not inside or not is_relay(s.toks[inside[0]], s.lex):
        return None
    return _addressee(s, inside[0])


@rule(
    "speakers.name-ends-at-preposition",
    stage="speakers",
    language="ar",
    purpose='"وقال ترمب في البيت الأبيض", "وقللت واشنطن من …": after a name with no title, '
    "source or kind noun a preposition ends the subject (a place, a time, an object)",
    example="وقال حداد في الميناء إن السفن ستتوقف.",
    off=None,
)
def _name_before_preposition(s: CueSentence, phrase: Span) -> Span | None:
    """The name before the first preposition, where nothing before it describes someone.

    "مصدر مسؤول في التحالف", "قيادي في الفصائل": a source or title noun takes its
    prepositional complement; a bare name ("ترمب في البيت الأبيض") does not.
    """
    lex, toks = s.lex, s.toks
    inside = _tokens_in(s, phrase)
    for n, k in enumerate(inside[1:], start=1):
        if toks[k].word not in lex.name_breaks:
            continue
        if any(_describes(toks[m].word, lex, m == inside[0]) for m in inside[:n]):
            return None
        return toks[inside[0]].start, toks[inside[n - 1]].end
    return None


def _describes(word: str, lex: Lexicon, first: bool) -> bool:
    """A title, source, kind or medium noun (with the article, or as a dual), or, past the
    first word, a nisba adjective: the phrase describes someone rather than naming them."""
    nouns = lex.title_nouns | lex.source_nouns | lex.organization_nouns | lex.media_nouns
    bare = word.lstrip("وف").removeprefix("ال")
    stems = [bare] + [bare[: -len(e)] + one for e, one in lex.dual_endings if bare.endswith(e)]
    return any(w in nouns or "ال" + w in nouns or w in lex.group_nouns for w in stems) or (
        not first and is_nisba(word)
    )


@rule(
    "speakers.quoted-adverb-is-no-name",
    stage="speakers",
    language="ar",
    purpose='"نفى مسؤول رفيع «بشكل قاطع» …": a quoted prepositional phrase after the subject '
    "is the speaker's manner, no quoted name; the subject is the words before it",
    example="ونفى مسؤول رفيع في الميناء «بشكل قاطع» إغلاق الميناء.",
    off=None,
)
def _before_quoted_adverb(s: CueSentence, i: int, phrase: Span) -> Span | None:
    lex, toks = s.lex, s.toks
    inside = _tokens_in(s, phrase)
    if not inside or not starts_quote(toks[inside[0]]) or inside[0] < i + 3:
        return None  # "حركة «أحرار الشام»": a kind noun, then the name it names
    first = toks[inside[0]].word
    kinds = lex.organization_nouns | lex.media_nouns | lex.group_nouns | lex.title_nouns
    if (
        first[:1] not in lex.preposition_letters
        or first.startswith(tuple(lex.definite_clitics))
        or len(first) < 4
        or toks[inside[0] - 1].word.removeprefix("ال") in kinds
        or any(ends_clause(toks[k]) for k in range(i, inside[0]))
    ):
        return None
    return toks[i + 1].start, toks[inside[0] - 1].end
