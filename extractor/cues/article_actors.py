"""The actors of an article, listed: who the book learned of, where and how the text names them.

The actor book (`actors`) learns names from the claims' speakers first; here the
article adds what else it names (Arabic titled names and bodies, places of the
gazetteer, English capitalized names), then lists the actors with every mention,
their surname aliases and affiliations, marks the outlets told, and at the end
drops the actors nobody needs: a place only ever named as where things happen,
and a name only a model gave that the text neither quotes, meets nor repeats.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from ..budget import Budget
from ..lang.gazetteer import Gazetteer, Place
from ..lang.lexicon import Lexicon
from ..models import Actor, Article, Span
from ..text.grounding import TextIndex, mentions
from ..text.normalize import normalize
from ..text.segment import Segment, Sentence
from .names import is_nisba, name_tail
from .places import canonical_name, credit_line, in_dateline, only_adjective, place_mentions
from .readers import readers_for
from .registry import ActorBook
from .romanize import romanized_name_en
from .rulebook import rule
from .spans import SpanCover
from .tokens import is_verb, with_object

MIN_MENTIONS = 2  # an actor the story is about is named more than once


def titled_names(book: ActorBook, sentences: Sequence[Sentence]) -> set[str]:
    """Arabic names a title announces, listed right after the speakers (their ids).

    Listed before the bodies and places, so "السفيرة الأميركية" can refer to the
    ambassador named in full; in English, none.
    """
    text, lex = book.text, book.lex
    known = {e.actor.id for e in book.entries}
    for title, span in readers_for(lex).titled_names(text, sentences, lex):
        book.entitle(book.resolve(span), title)
    return {e.actor.id for e in book.entries} - known


def named_bodies(book: ActorBook, sentences: Sequence[Sentence]) -> set[str]:
    """Arabic bodies by their kind nouns, and the unnamed other side of talks (their ids).

    After the speakers, which name many bodies in full first; in English, none.
    """
    text, lex = book.text, book.lex
    readers = readers_for(lex)
    known = {e.actor.id for e in book.entries}
    for span, name in readers.bodies(text, sentences, lex):
        book.body(span, name)
    for span in readers.counterparts(text, sentences, lex):
        book.resolve(span)  # "نظرائه الخليجيين": the unnamed other side of talks
    return {e.actor.id for e in book.entries} - known


def named_places(
    book: ActorBook, segment: Segment, gazetteer: Gazetteer
) -> list[tuple[Span, Place]]:
    """The gazetteer's places the article names, each an actor of the book.

    A dateline's place says where the story was filed, and is no mention.
    """
    found = place_mentions(book.text, segment, gazetteer, book.lex)
    found = [(span, place) for span, place in found if not in_dateline(book.text, span)]
    for span, place in found:
        book.place(place, span)
    return found


def capitalized_actors(
    book: ActorBook,
    names: Sequence[Span],
    found: Sequence[tuple[Span, Place]],
    budget: Budget | None = None,
) -> set[str]:
    """English capitalized names that are actors, joined to the book (the new ones' ids).

    Found only as names, they are backup parties to meetings; a name inside a
    place's mention is that place, not another actor.
    """
    text = book.text
    taken = SpanCover(span for span, _ in found)
    known = {e.actor.id for e in book.entries}
    for span in names:
        if budget is not None:
            budget.check("capitalized names")
        split = name_tail(text[span[0] : span[1]], book.lex)  # "Saudi Arabia's Crown Prince …"
        name = (span[0] + split[1][0], span[0] + split[1][1]) if split else span
        if book.not_an_actor(text[name[0] : name[1]]):
            continue  # "Congressional Gold Medal", "Cold War"
        if party_member(text, span, book.lex):
            continue  # "Dan Kildee, a Michigan Democrat": what he is, not who
        if not inside_a_place(name, taken):
            book.resolve(span)
    return {e.actor.id for e in book.entries} - known


@rule(
    "actors.party-member-apposition",
    stage="actors",
    purpose="'a Michigan Democrat' describes a person's party: it is what someone is, not who.",
    example="Dan Kildee, a Michigan Democrat, met Karim Haddad on Monday.",
    off=False,
    language="en",
)
def party_member(text: str, span: Span, lex: Lexicon) -> bool:
    """A capitalized name that is an apposition of party: "an Ohio Republican"."""
    pattern = _party_member(lex.party_members)
    return pattern is not None and bool(pattern.search(text, max(0, span[0] - 4), span[1] + 1))


@rule(
    "actors.name-inside-a-place",
    stage="actors",
    purpose="A capitalized name overlapping a place's mention is that place, not another actor.",
    example="Karim Haddad met United States Trade Representative Lena Brandt on Monday.",
    off=False,
    language="en",
)
def inside_a_place(name: Span, places: SpanCover) -> bool:
    """ "United States Trade Representative": the country, found as a place."""
    return places.covers(name[0], name[0] + 1) or places.any_starts_in(name[0], name[1])


@rule(
    "actors.credit-line-no-mention",
    stage="actors",
    purpose="A credit line ('المصدر: CNN Arabic', 'Source: Reuters') says where the story "
    "came from: its words are no mention of an actor",
    example="Port talks\nA source said the talks would resume.\nSource: Harbour News",
    off=False,
)
def on_credit_line(text: str, span: Span, lex: Lexicon) -> bool:
    return credit_line(text, span, lex)


def list_actors(
    article: Article,
    index: TextIndex,
    segment: Segment,
    book: ActorBook,
    found: Sequence[tuple[Span, Place]],
    places: dict[str, Place],
) -> dict[str, str]:
    """The article's actors with their mentions; returns place actor id → place name.

    Affiliations and surname aliases come first, so mentions count every form the
    text uses; an actor named as the medium told is an outlet.
    """
    text, lex = index.text, book.lex
    article.actors = book.actors()
    place_ids = {e.actor.id: name for name, e in book.by_place.items()}
    _affiliate(article.actors, places, book)
    _surnames(index, segment, article.actors, set(place_ids), places, lex)
    for actor in article.actors:
        if actor.id in place_ids:  # word-bounded and case-kept, not every folded substring
            actor.mentions = [span for span, p in found if p.name_en == place_ids[actor.id]]
        else:
            forms = [actor.name, *actor.aliases]
            actor.mentions = mentions(index, forms, segment.start, segment.end)
        actor.mentions = [m for m in actor.mentions if not on_credit_line(text, m, lex)]
    for actor in article.actors:
        if actor.id not in place_ids and any(_told(text, m, lex) for m in actor.mentions):
            actor.kind = "media"
    return place_ids


def finish_actors(
    article: Article, book: ActorBook, place_ids: dict[str, str], gazetteer: Gazetteer
) -> None:
    """Countries by their names, then drop the actors nobody needs.

    A place only ever named as where things happen ("in Vienna") is no actor, nor is
    a name only a model gave that the article neither quotes, meets nor repeats, nor a
    country only ever written as another noun's adjective ("الأزمة السورية").
    """
    text, lex = book.text, book.lex
    places_by_name = {p.name_en: p for p in gazetteer.places}
    by_id = {a.id: a for a in article.actors}
    for actor in article.actors:  # a country is named by its name, not by an adjective
        if actor.id in place_ids:
            canonical_name(actor, places_by_name[place_ids[actor.id]])
    where = {
        aid
        for aid in place_ids
        if (a := by_id.get(aid)) is not None and only_where(a.mentions, text, lex)
    }
    adjective = {
        aid
        for aid in place_ids
        if (a := by_id.get(aid)) is not None
        and only_adjective(a.mentions, text, places_by_name[place_ids[aid]], lex)
    }
    _prune(article, book.model_named | where, adjective)
    for phrase, actor in list(_swallowed(article.actors, set(place_ids), lex)):
        _merge_into(article, phrase, actor)
    for actor in article.actors:
        actor.name_en = romanized_name_en(actor, lex) or actor.name_en


@rule(
    "actors.place-only-where",
    stage="actors",
    purpose="A place only ever named as where things happen ('in Vienna') is no actor.",
    example="Karim Haddad met Lena Brandt in Vienna on Monday.",
    off=False,
)
def only_where(mentions: Sequence[Span], text: str, lex: Lexicon) -> bool:
    """Every mention right after "in"/"at (the)"/"في": where, never who."""
    return bool(mentions) and all(locative(text, m, lex) for m in mentions)


@cache
def _party_member(members: tuple[str, ...]) -> re.Pattern[str] | None:
    """ "a Michigan Democrat", "an Ohio Republican": an apposition describing a person's party."""
    if not members:
        return None
    party = "|".join(map(re.escape, members))
    return re.compile(rf"\ban?\s+(?:[A-Z][\w.-]*\s+){{0,2}}(?:{party})\b")


@rule(
    "actors.surname-alias",
    stage="actors",
    purpose="A person's last name written alone is an alias of the one person whose full "
    "name ends with it.",
    example="Karim Haddad met Lena Brandt on Monday. Haddad had flown in from Oslo.",
    off=None,
)
def _surnames(
    index: TextIndex,
    segment: Segment,
    actors: Sequence[Actor],
    place_ids: set[str],
    places: dict[str, Place],
    lex: Lexicon,
) -> None:
    """A person's last name, written alone ("Shultz", "كيري"), is an alias of that person.

    Stories name a person in full once, then by surname; the surname is a form the
    text uses for the actor (RECORDS.md `aliases`), so its mentions count where the
    person meets or is mentioned again. Only a surname no other actor shares, that is
    not a country or a title, and not the second half of a compound ("آل ثاني").
    """
    people = [a for a in actors if a.kind == "person" and not a.anonymous and a.id not in place_ids]
    last: dict[str, list[Actor]] = {}
    for actor in people:
        words = actor.name.split()
        if len(words) < 2 or normalize(words[-2]) in lex.name_links:
            continue
        word = words[-1].strip(".,،")
        key = normalize(word)
        if (
            len(key) < 3
            or key in places
            or key in lex.title_nouns
            or key in lex.speaker_stops
            or ("letter-case" in lex.traits and not word[:1].isupper())
        ):
            continue
        last.setdefault(key, []).append(actor)
    taken = {normalize(f) for a in actors for f in [a.name, *a.aliases]}
    for key, owners in last.items():
        if len(owners) != 1 or key in taken:
            continue
        actor = owners[0]
        word = actor.name.split()[-1].strip(".,،")
        full = SpanCover(mentions(index, [actor.name, *actor.aliases], segment.start, segment.end))
        alone = next(
            (
                span
                for span in index.find_all(word, segment.start, segment.end)
                if _whole_word(index.text, span, lex) and not full.covers(*span)
            ),
            None,
        )
        if alone is not None:
            actor.aliases.append(index.text[alone[0] : alone[1]])


def _whole_word(text: str, span: Span, lex: Lexicon) -> bool:
    """No letter touches the span, but an Arabic clitic و ف ب ل may open it ("وكيري").

    In English a capitalized word next to it makes it part of another name ("White
    House" is not Mr. White).
    """
    start, end = span
    if end < len(text) and text[end].isalpha():
        return False
    if "letter-case" in lex.traits:
        if not text[start : start + 1].isupper():
            return False  # "black or white" is not Mr. White
        after = text[end : end + 30].split()[:1]
        before = text[max(0, start - 30) : start].split()[-1:]
        if any(w[:1].isupper() for w in after) or any(
            w[:1].isupper() and not w.endswith((".", ",", ":", ";")) for w in before
        ):
            return False
    if start and text[start - 1].isalpha():
        clitic = text[start - 1] in "وفبل"
        return clitic and (start < 2 or not text[start - 2].isalpha())
    return True


@rule(
    "actors.affiliation-from-role",
    stage="actors",
    purpose="A person whose role names a country (وزير الخارجية القطري) belongs to it.",
    example="وقال وزير الخارجية القطري خالد العطية إن قطر تدعم الحوار.",
    off=None,
)
def _affiliate(actors: Sequence[Actor], places: dict[str, Place], book: ActorBook) -> None:
    """A person whose role names a country belongs to it ("وزير الخارجية القطري", "Russian
    Foreign Minister"): the country is the affiliation, when the article has it as an actor.
    """
    for actor in actors:
        if actor.kind != "person" or not actor.role or actor.affiliation:
            continue
        for word in actor.role.split():
            place = places.get(normalize(word.strip(",.،")))
            entry = book.by_place.get(place.name_en) if place else None
            if entry is not None and entry.actor.id != actor.id:
                actor.affiliation = entry.actor.id
                break


def locative(text: str, span: Span, lex: Lexicon) -> bool:
    """Named right after "in"/"at (the)"/"في": where the meeting is, not who meets."""
    before = text[max(0, span[0] - 16) : span[0]].split()
    if "article-word" in lex.traits and before and before[-1].lower() == "the":
        before = before[:-1]
    return bool(before) and normalize(before[-1]) in lex.locative_prepositions


_TOLD = re.compile(r"(?:^|\s)لـ*[«\"“]$")  # "لـ«", "ل«": the preposition, then the quoted name


@rule(
    "actors.outlet-told",
    stage="actors",
    purpose="The one a speaker talked to (قال لـ«الحياة», told the Guardian) is a medium, "
    "never a party to a meeting.",
    example="وقال الوزير لـ«الحياة» إنه التقى نظيره الأردني.",
    off=False,
)
def _told(text: str, span: Span, lex: Lexicon) -> bool:
    """The name is the medium told: "قال لـ«الشرق الأوسط»", "في حديث لـ«الحياة»".

    Arabic news writes the outlet a speaker talked to as لـ before its quoted name,
    after a verb of speech or a word for a statement, a few words back ("الحوار مع
    وزير الخارجية جون كيري لـ«…»"); "التابعة لـ«حزب الله»" belongs, it does not tell.
    Whatever is told so is a medium, never a party to the meetings it reports,
    whatever kind a model gave it.
    """
    if "article-word" in lex.traits:  # "he told the Guardian" (a person is told without "the")
        words = text[max(0, span[0] - 12) : span[0]].split()
        named = text[span[0] : span[1]].split()[:1]
        return words[-2:] == ["told", "the"] or (words[-1:] == ["told"] and named == ["the"])
    if "quoted-names" not in lex.traits:
        return False
    before = text[max(0, span[0] - 80) : span[0]]
    opening = _TOLD.search(before)
    if opening is None:
        return False
    words = [normalize(w.strip('،,.«»"“”()')) for w in before[: opening.start()].split()[-8:]]
    return any(
        is_verb(w, lex, lex.reporting_verbs) or w.removeprefix("ال") in lex.statement_nouns
        for w in words
    )


def _prune(article: Article, model_named: set[str], qualifiers: set[str]) -> None:
    """Drop actors only a model named that the article neither quotes, meets nor repeats,
    and the `qualifiers` (places only ever written as another noun's adjective) that it
    neither quotes nor meets.

    A small model lists every name it sees; an actor the story is about is mentioned
    more than once, or speaks, or takes part in a meeting.
    """
    used = {s for c in article.claims for s in c.speakers}
    used |= {p for m in article.meetings for p in [*m.participants, *m.mediators]}
    used |= {a.affiliation for a in article.actors if a.affiliation}
    keep = [
        a
        for a in article.actors
        if a.id in used
        or (a.id not in model_named or len(a.mentions) >= MIN_MENTIONS)
        and a.id not in qualifiers
    ]
    kept = {a.id for a in keep}
    for actor in keep:
        if actor.affiliation not in kept:
            actor.affiliation = None
    article.actors = keep


def _swallowed(
    actors: Sequence[Actor], place_ids: set[str], lex: Lexicon
) -> list[tuple[Actor, Actor]]:
    """(phrase, actor) pairs where a speaker phrase is another actor's name with a title,
    a preposition or a verb before it, or a clause after it; or its first words up to a
    name link ("محمد بن عبد الرحمن آل" of "… آل ثاني").

    Where the verb opens its clause, the speaker phrase after it runs on into what
    follows the subject; where the subject comes first, a phrase is its own words.
    """
    if "verb-first" not in lex.traits:
        return []
    named = [a for a in actors if not a.anonymous and a.id not in place_ids]
    found: list[tuple[Actor, Actor]] = []
    gone: set[str] = set()
    for phrase in actors:
        if phrase.id in place_ids:
            continue
        words = _bare_words(phrase.name, lex)
        best: tuple[int, Actor] | None = None
        for other in named:
            if other.id == phrase.id or other.id in gone:
                continue
            titled = other.kind == "person"  # "the spokesman for the ministry" is not it
            for form in [other.name, *other.aliases]:
                size = swallowed_name(words, _bare_words(form, lex), lex, titled)
                if size and (best is None or size > best[0]):
                    best = (size, other)
        if best is not None:
            found.append((phrase, best[1]))
            gone.add(phrase.id)
    return found


def _bare_words(name: str, lex: Lexicon) -> list[str]:
    """A phrase's normalized words without quotation marks and brackets, and without the
    preposition written onto the name of the medium told ("لـCNN")."""
    if "quoted-names" in lex.traits and name.startswith(("لـ", "ل«")):
        name = name[1:].lstrip("ـ«")  # "لـCNN", "ل«الحياة»": the medium told
    words = [w.strip('«»"“”()،,.:') for w in normalize(name).split()]
    return [w for w in words if w]


@rule(
    "actors.name-inside-a-phrase",
    stage="actors",
    purpose="A speaker phrase that is another actor's name with a title, a preposition or a "
    "verb before it, or a clause after it, is that actor, not one of its own.",
    example="قال سامر الحداد إن الميناء سيغلق. وقال الحداد الجهود إن السفن ستتوقف.",
    off=0,
)
def swallowed_name(
    words: Sequence[str], form: Sequence[str], lex: Lexicon, titled: bool = True
) -> int:
    """How many words of `form` the phrase `words` holds as a name of that actor (0: none).

    Before the name: nothing, a title ("المتحدثة باسم الخارجية …"), or only prepositions,
    attribution words and verbs ("حسب", "مع", "ذكرته"); after it: nothing, or a word
    that ends a speaker phrase ("… في المكتب"), or one definite word, the verb's object
    ("ترامب الجهود"). Or the phrase is the name's first words up to a name link.
    """
    n = len(form)
    if not n or len(words) <= n and words != form[: len(words)]:
        return 0
    if len(words) < n:  # "محمد بن عبد الرحمن آل" of "محمد بن عبد الرحمن آل ثاني"
        return len(words) if len(words) >= 2 and words[-1] in lex.name_links else 0
    for at in range(len(words) - n + 1):
        if list(words[at : at + n]) != list(form):
            continue
        before, after = words[:at], words[at + n :]
        if (
            (before or after)
            and _title_or_function(before, lex, titled)
            and _clause_after(after, lex)
        ):
            return n
    return 0


def _title_or_function(before: Sequence[str], lex: Lexicon, titled: bool) -> bool:
    if not before:
        return True
    if titled and before[0].removeprefix("ال") in lex.title_nouns:
        return True
    function = lex.speaker_stops | lex.name_breaks | {w for p in lex.attribution_phrases for w in p}
    verbs = lex.reporting_verbs
    return all(
        w in function or is_verb(w, lex, verbs) or with_object(w, lex, verbs) for w in before
    )


def _clause_after(after: Sequence[str], lex: Lexicon) -> bool:
    if not after:
        return True
    if after[0] in lex.speaker_stops or after[0] in lex.name_breaks:
        return True
    return (
        len(after) == 1
        and after[0].startswith(tuple(lex.article_prefixes) or ("\0",))
        and not is_nisba(after[0], lex)
    )


def _merge_into(article: Article, phrase: Actor, actor: Actor) -> None:
    """The phrase's claims, meetings and members are the actor's; the phrase goes."""
    swap = {phrase.id: actor.id}
    for claim in article.claims:
        claim.speakers = list(dict.fromkeys(swap.get(s, s) for s in claim.speakers))
    meetings = []
    for meeting in article.meetings:
        meeting.participants = list(dict.fromkeys(swap.get(p, p) for p in meeting.participants))
        meeting.mediators = [swap.get(m, m) for m in meeting.mediators]
        if len(meeting.participants) >= 2:
            meetings.append(meeting)
    article.meetings = meetings
    for other in article.actors:
        if other.affiliation == phrase.id:
            other.affiliation = actor.id
    article.actors = [a for a in article.actors if a.id != phrase.id]
