"""Claims of an article: one per sentence of reported speech, attributed to actors.

The cue stage (`speech`) finds the sentences and their speaker phrases; here each
phrase becomes an actor of the book, an implicit subject ("وأضاف", "he added") the
previous speaker, "he"/"she" the person the text last named (`pronouns`). The
evidence is the sentence, `statement` the evidence (no model writes a paraphrase
here). A sentence with a second speaker of its own ("…، بينما قالت X إن …") gives
two claims; an interview's answers are the interviewee's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..budget import Budget
from ..lang.lexicon import OPEN_QUOTES, Lexicon
from ..models import Claim, QuoteKind, Span
from ..text.normalize import normalize
from ..text.segment import Sentence
from .names import modified_title, name_tail, short_titles
from .phrases import Speaker
from .places import credit_line
from .pronouns import gendered_mention, named_person
from .quotes import quoted_share
from .registry import ActorBook
from .rulebook import rule
from .speech import IMPLICIT_REACH as REACH
from .speech import PERSONAL, SpeechCue, sentence_cue
from .tokens import Token, is_verb, tokens


def claims_of(
    cues: Sequence[SpeechCue],
    sentences: Sequence[Sentence],
    book: ActorBook,
    people: Sequence[Span] = (),
    *,
    budget: Budget | None = None,
) -> list[Claim]:
    """One claim per cue; an implicit subject is the previous speaker, "he"/"she" a person.

    "he said" right after a claim continues its speaker; after narration that names a
    person ("Mr. Obama made clear …. '…,' he said") it is that person.
    """
    claims: list[Claim] = []
    previous: list[str] = []
    last = -REACH - 1  # sentence of the previous claim
    for cue in cues:
        if budget is not None:
            budget.check("claims")
        if _credit_line(book, sentences[cue.sentence]):
            continue
        speakers = _speakers(cue, sentences, book, people, previous, last)
        if not speakers:
            continue  # reported speech whose speaker the text does not let us name
        made = _sentence_claims(book, sentences[cue.sentence], cue, speakers)
        claims += made
        previous, last = speakers, cue.sentence
        if len(made) > 1:  # the second clause's speaker is the one the next goes on from
            previous = made[-1].speakers
    return claims


@rule(
    "claims.credit-line-is-no-claim",
    stage="claims",
    purpose="A credit line ('Source: Reuters', 'المصدر: CNN Arabic') says where the story came "
    "from; its colon introduces no statement",
    example="Port talks\nThe mayor said the port would reopen.\nSource: Harbour News",
    off=False,
)
def _credit_line(book: ActorBook, sentence: Sentence) -> bool:
    return credit_line(book.text, (sentence.start, sentence.end), book.lex)


def _speakers(
    cue: SpeechCue,
    sentences: Sequence[Sentence],
    book: ActorBook,
    people: Sequence[Span],
    previous: list[str],
    last: int,
) -> list[str]:
    """The actors who speak in a cue sentence; `previous` spoke in sentence `last`."""
    speakers: list[str] = []
    for speaker in cue.speakers:
        if speaker.implicit or speaker.span is None:
            person = None
            if speaker.pronoun in PERSONAL and last < cue.sentence - 1:
                person = named_person(
                    people, sentences, last, cue, book, speaker.pronoun
                ) or gendered_mention(people, sentences, last, cue, book, speaker.pronoun, previous)
            if person is not None:
                speakers.append(book.resolve(person))
            elif _goes_on(speaker, cue, last):
                speakers += [p for p in previous if p not in speakers]
        elif _nameless(book, book.text[speaker.span[0] : speaker.span[1]]):
            # "who in 2010 said": a number is nobody; "بحسب ما قاله": a verb's pronoun
            # is no name; the subject is someone before
            if last >= cue.sentence - REACH:
                speakers += [p for p in previous if p not in speakers]
        else:
            if "titled-surnames" in book.lex.traits:
                _name_title_holder(book, people, speaker.span)
            actor_id = book.resolve(speaker.span)
            if speaker.role is not None:
                book.entitle(actor_id, speaker.role)
            if actor_id not in speakers:
                speakers.append(actor_id)
    return speakers


@rule(
    "claims.implicit-is-previous-speaker",
    stage="claims",
    purpose='an implicit subject ("وأضاف", "he added") is the previous speaker, within a few '
    "sentences",
    example="قال وزير النقل إن الميناء سيغلق. وأضاف أن السفن ستتوقف يوم الجمعة.",
    off=False,
)
def _goes_on(speaker: Speaker, cue: SpeechCue, last: int) -> bool:
    """The previous claim (sentence `last`) is near, or the subject is "he"/"she"."""
    return last >= cue.sentence - REACH or speaker.pronoun in PERSONAL


@rule(
    "claims.nameless-phrase-is-previous-speaker",
    stage="claims",
    purpose='a speaker phrase that names nobody ("who in 2010 said", "بحسب ما قاله") is the '
    "previous speaker, not an actor",
    example="قال وزير النقل إن الميناء سيغلق. وستتوقف السفن بحسب ما قاله للصحفيين.",
    off=False,
)
def _nameless(book: ActorBook, phrase: str) -> bool:
    return book.not_an_actor(phrase) or book.verb_form(phrase)


def _sentence_claims(
    book: ActorBook, sent: Sentence, cue: SpeechCue, speakers: list[str]
) -> list[Claim]:
    """The claim of a cue sentence, and a second where a clause has a speaker of its own.

    The evidence runs from the sentence's start (or from the verb, for narration
    followed by "ليقول: «…»") to the second clause, which is a claim of its own.
    """
    second = _contrasted(book.text, sent, book.lex, cue.cue) if cue.cue is not None else None
    if second is None and cue.cue is not None:
        second = _quoted_after_colon(book.text, sent, book.lex, cue)
    begin = sent.start
    if cue.cue is not None and _narration_first(book, sent, cue):
        begin = cue.cue[0]
    end = sent.end if second is None else second[0]
    evidence = book.text[begin:end].rstrip(" ،,")
    claims = [
        Claim(
            speakers=speakers,
            statement=evidence,
            evidence=evidence,
            quote=cue.quote,
            span=(begin, begin + len(evidence)),
            alignment="exact",
        )
    ]
    if second is not None:  # "…، بينما قالت خطيبة خاشقجي إنها …": a second speaker
        start, other = second
        others = [book.resolve(sp.span) for sp in other.speakers if sp.span is not None]
        others = others or speakers  # ", but he denied": the same person speaks again
        claims.append(
            Claim(
                speakers=list(dict.fromkeys(others)),
                statement=book.text[start : sent.end],
                evidence=book.text[start : sent.end],
                quote=other.quote,
                span=(start, sent.end),
                alignment="exact",
            )
        )
    return claims


@rule(
    "claims.narration-before-quotation",
    stage="claims",
    language="ar",
    purpose='"…، ليقول: «…»": narration, then a quotation of the speaker named before; the '
    "claim's evidence starts at the verb",
    example="قال وزير النقل إن الميناء سيغلق. وتوقفت السفن في الميناء، ليقول: «لن تبحر "
    "السفن يوم الجمعة ولا يوم السبت».",
    off=False,
)
def _narration_first(book: ActorBook, sent: Sentence, cue: SpeechCue) -> bool:
    """The cue verb of an implicit subject opens a quotation after a comma and a colon."""
    return (
        cue.cue is not None
        and cue.speakers[0].implicit
        and _colon_quotation(book.text, sent, book.lex, cue, at=cue.cue[0]) is not None
    )


@rule(
    "claims.participle-opens-quotation",
    stage="claims",
    language="ar",
    purpose='"…، مضيفًا: «…»": a verb of speech after a comma that opens a quotation with a '
    "colon states a claim of its own",
    example="وقال وزير النقل إن الميناء سيغلق، مضيفا: «لن تبحر السفن يوم الجمعة ولا يوم السبت».",
    off=None,
)
def _quoted_after_colon(
    text: str, sent: Sentence, lex: Lexicon, cue: SpeechCue
) -> tuple[int, SpeechCue] | None:
    return _colon_quotation(text, sent, lex, cue)


def _colon_quotation(
    text: str, sent: Sentence, lex: Lexicon, cue: SpeechCue, at: int | None = None
) -> tuple[int, SpeechCue] | None:
    """A ", VERB: «…»" clause: where it starts, as a cue of the same speaker.

    "…، وليس العمل العسكري، مضيفًا: «إننا …»": a verb of speech set off by a comma
    and opening a quotation with a colon states a quotation of its own (RECORDS.md §2,
    separate sentences of reported speech); "قائلاً في بيان أصدره: «…»" goes on with
    the statement it follows. With `at`, only the verb at that offset counts.
    """
    if "verb-first" not in lex.traits or cue.cue is None:
        return None
    toks = tokens(text, sent.start, sent.end)
    for k, t in enumerate(toks[1:], start=1):
        if (at is None and t.start <= cue.cue[0]) or (at is not None and t.start != at):
            continue
        if "،" not in toks[k - 1].after and "," not in toks[k - 1].after:
            continue
        if not (
            is_verb(t.word, lex, lex.reporting_verbs)
            or is_verb(t.word, lex, lex.continuation_verbs)
        ):
            continue
        rest = text[t.end : sent.end].lstrip()
        if rest.startswith(":") and rest[1:].lstrip().startswith(OPEN_QUOTES):
            piece = text[t.start : sent.end]
            share, _ = quoted_share(piece)
            kind: QuoteKind = "direct" if share >= 0.5 else "indirect"
            return t.start, SpeechCue(cue.sentence, (t.start, t.end), (Speaker(None, True),), kind)
    return None


@rule(
    "claims.same-subject-second-statement",
    stage="claims",
    language="en",
    purpose='", but he denied that …": a clause with "he"/"she" as the subject of its own '
    "verb is a second statement of the same person",
    example="Tomas Pell praised the crews on Monday, but he denied that the port would close.",
    off=False,
)
def _same_subject(cue: SpeechCue, toks: Sequence[Token], j: int) -> bool:
    """Does the clause at token `j` open with "he"/"she" as its subject of a reporting verb?

    ", but he denied that …" is a statement of its own (RECORDS.md §2: separate
    sentences of reported speech), by the person the sentence is about; ", but said
    …", with no subject of its own, goes on with the first statement.
    """
    speaker = cue.speakers[0]
    return (
        len(cue.speakers) == 1
        and speaker.implicit
        and speaker.pronoun in PERSONAL
        and toks[j].word == speaker.pronoun
        and cue.cue is not None
        and j + 1 < len(toks)
        and cue.cue[0] == toks[j + 1].start
    )


@rule(
    "claims.contrasted-second-speaker",
    stage="claims",
    purpose='"X said A, while Y said B", "…، بينما قالت X إن …": a second clause with a '
    "speaker of its own is a second claim",
    example="Tomas Pell said the port is safe, while Ana Brandt said the ferries would stop.",
    off=None,
)
def _contrasted(
    text: str, sent: Sentence, lex: Lexicon, first: Span
) -> tuple[int, SpeechCue] | None:
    """A second clause of reported speech with a speaker of its own, and where it starts.

    "نفت السلطات السعودية …، بينما قالت الرئاسة التركية إن …", "X said A, while Y said
    B", "X emphasized A, and rights groups warned B": two speakers, so two claims
    (RECORDS.md §2: two statements of two sources).
    """
    toks = tokens(text, sent.start, sent.end)
    verb_first = "verb-first" in lex.traits  # "بينما قالت", "في حين أكد"
    for k, t in enumerate(toks[1:-1], start=1):
        if t.start <= first[0]:
            continue  # the sentence's own cue comes after: one speaker
        j = k + 1
        if verb_first and t.word == normalize("في") and toks[j].word == normalize("حين"):
            j += 1  # "في حين"
        elif t.word not in lex.contrast_words:
            continue
        if j >= len(toks) or ("comma-clauses" in lex.traits and "," not in toks[k - 1].after):
            continue
        if verb_first and not is_verb(toks[j].word, lex, lex.reporting_verbs):
            continue
        cue = sentence_cue(text, toks[j].start, sent.end, lex, 0, 0)
        if cue is None or not cue.speakers:
            continue
        coordinating = t.word in lex.coordinating_conjunctions
        if coordinating and _same_subject(cue, toks, j):
            if t.word == "and":
                continue  # "X voiced A, and he pronounced B": one sentence, one claim
            return t.start, cue  # ", but he denied that …": his second statement
        if any(sp.span is None for sp in cue.speakers):
            continue
        if coordinating and _subject_goes_on(cue, toks[j]):
            continue
        return t.start, cue
    return None


@rule(
    "claims.coordinated-clause-own-subject",
    stage="claims",
    language="en",
    purpose='", but said the Israelis were …": after "and"/"but" a clause is a second claim '
    "only where its own subject opens it",
    example="Tomas Pell praised the crews, but said the ferries would stop on Friday.",
    off=False,
)
def _subject_goes_on(cue: SpeechCue, first: Token) -> bool:
    """The clause's speaker does not open it (at token `first`): the same subject goes on."""
    span = cue.speakers[0].span
    return span is None or span[0] != first.start


_QUESTION = re.compile(r"^\s*(?:\*|س\s*[:/-]|Q\s*[:.]|Question\s*:)")


def interview_claims(
    text: str, sentences: Sequence[Sentence], lex: Lexicon, book: ActorBook, claims: list[Claim]
) -> list[Claim]:
    """An interview's answers are the interviewee's claims, one per sentence (direct).

    An interview is an article with three or more question paragraphs ("* …", "س: …",
    "Q: …"); the answers are the paragraphs between them. The interviewee is the
    speaker the headline names before a colon ("X: …"), else the most frequent named
    speaker. Questions are the outlet's words, not claims.
    """
    answers = _interview_answers(text, sentences, lex, book, claims)
    return claims if answers is None else answers


@rule(
    "claims.interview-answers",
    stage="claims",
    purpose="in an interview (three or more question paragraphs), each answer sentence is a "
    "direct claim of the interviewee",
    example="Tomas Pell: the port is safe\nQ: Will the port close?\nNo, the port stays open "
    "all winter.\nQ: And the ferries?\nThe ferries sail every day.\nQ: Any changes?\nWe "
    "will add a second pier next year.",
    off=None,
)
def _interview_answers(
    text: str, sentences: Sequence[Sentence], lex: Lexicon, book: ActorBook, claims: list[Claim]
) -> list[Claim] | None:
    """The claims with the interview's answers among them; None for no interview."""
    starts = [s.start for s in sentences]
    paragraphs = []
    for sent in sentences:
        line_start = text.rfind("\n", 0, sent.start) + 1
        paragraphs.append(line_start)
    questions = {p for p in set(paragraphs) if _QUESTION.match(text[p : p + 20])}
    if len(questions) < 3:
        return None
    head = sentence_cue(text, sentences[0].start, sentences[0].end, lex, 0, headline=True)
    who = None
    if head is not None and head.speakers[0].span is not None:
        who = book.resolve(head.speakers[0].span)
    else:
        counts = Counter(s for c in claims for s in c.speakers if not _anonymous_id(book, s))
        who = counts.most_common(1)[0][0] if counts else None
    if who is None:
        return None
    have = {c.span for c in claims}
    out = list(claims)
    answering = False
    for sent, para in zip(sentences, paragraphs, strict=True):
        if para in questions:
            answering = True
            continue
        if not answering or sent.start == starts[0] or (sent.start, sent.end) in have:
            continue
        if len(sent.text.split()) < 3:
            continue
        out.append(sentence_claim(who, sent))
    out.sort(key=lambda c: c.span or (0, 0))
    return out


def sentence_claim(who: str, sent: Sentence) -> Claim:
    """A whole sentence as a direct claim of `who` (an interview's answer, a turn)."""
    return Claim(
        speakers=[who],
        statement=sent.text,
        evidence=sent.text,
        quote="direct",
        span=(sent.start, sent.end),
        alignment="exact",
    )


def _anonymous_id(book: ActorBook, actor_id: str) -> bool:
    return any(e.actor.id == actor_id and e.actor.anonymous for e in book.entries)


@rule(
    "claims.title-holder-named-before",
    stage="claims",
    language="en",
    purpose='before "the Crown Prince" speaks, the titled name the text gave him earlier is '
    "listed, so the title resolves to that person",
    example="Harbour news\nPrime Minister Tomas Pell arrived on Monday. The prime minister "
    "said the port is safe.",
    off=None,
)
def _name_title_holder(book: ActorBook, people: Sequence[Span], span: Span) -> None:
    """Before "the Crown Prince" speaks, list the titled name the text gave him earlier.

    The rules list capitalized names after the claims; a title alone ("the Crown
    Prince, who …, replied") would otherwise become an actor of its own, not the
    "Crown Prince Abdullah bin Abdul Aziz" named in the sentence before.
    """
    key = normalize(book.text[span[0] : span[1]])
    title = book.bare_title(key) or modified_title(book.lex, key)
    if title is None:
        return
    opening = (title + " ", *short_titles(book.lex, title))
    for lo, hi in reversed(people):
        if hi > span[0]:
            continue
        split = name_tail(book.text[lo:hi], book.lex)  # "Saudi Arabia's Crown Prince Abdullah …"
        name = (lo + split[1][0], lo + split[1][1]) if split else (lo, hi)
        if normalize(book.text[name[0] : name[1]]).startswith(opening):
            book.resolve(name)
            return
