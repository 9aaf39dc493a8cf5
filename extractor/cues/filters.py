"""Phrases a model or a speaker cue offers as an actor that name nobody.

An event or a statement noun ("اجتماع", "the talks"), a thing ("Nobel Peace Prize"), a
verb with its object ("قاله"), a word capitalized only to open a sentence ("Alas,"):
each is vetoed before it becomes an actor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..lang.lexicon import Lexicon
from ..models import ActorKind
from ..text.normalize import normalize
from .descriptions import is_description
from .names import is_nisba
from .rulebook import rule
from .tokens import is_verb, with_object


def _common_word(name: str, lex: Lexicon) -> bool:
    """Whether an English name holds a lower-case word that no name has ("merchant").

    Particles ("Secretary of State", "Ludwig van Beethoven") and "al-Assad" are names'.
    """
    hyphened = tuple(p + "-" for p in lex.hyphened_particles)
    return any(
        w[:1].islower() and w.lower() not in lex.name_particles and not w.startswith(hyphened)
        for w in name.split()
    )


def not_an_actor(name: str, lex: Lexicon) -> bool:
    """A word for an event or a statement ("اجتماع", "المشاورات", "the talks"), a number,
    or the name of a thing or a place ("Nobel Peace Prize", "Glienicke Bridge").

    A small model lists them as actors, and a speaker cue finds them; no person or body
    is named so.
    """
    key = normalize(name)
    words = key.split()
    if words and words[0] in lex.articles:
        words = words[1:]
    return (
        event_or_statement(key, words, lex)
        or key in lex.pronoun_subjects  # a model lists "He"
        or number_is_nobody(key)
        or thing_name(words, lex)
        or function_word_first(name, lex)
    )


@rule(
    "actors.event-or-statement-noun",
    stage="actors",
    purpose="A word for a meeting or a statement names no actor: the talks said nothing.",
    example="The talks said on Monday that prices rose.",
    off=False,
)
def event_or_statement(key: str, words: Sequence[str], lex: Lexicon) -> bool:
    """ "اجتماع", "المشاورات", "the talks": with or without the article."""
    nouns = lex.meeting_triggers | lex.statement_nouns
    bare = " ".join(w.removeprefix("ال") if len(w) > 4 else w for w in key.split())
    return key in nouns or bare in nouns or " ".join(words) in nouns


@rule(
    "actors.function-word-first",
    stage="actors",
    purpose="A phrase that opens with a word that ends a speaker phrase (a particle, an "
    "adverb, a pronoun with its conjunction, a participle of speech: 'كما', 'لكنه', 'فهو', "
    "'قائلا') names nobody: the speaker is the one before.",
    example="قالت سامية الحداد إن الميناء سيغلق. وأضافت وهي تبتسم إن السفن ستتوقف.",
    off=False,
)
def function_word_first(name: str, lex: Lexicon) -> bool:
    """The phrase's first word, less a conjunction before it or a pronoun after it, is a
    speaker stop, a subject pronoun or a participle of speech ("لكنه" is لكن with "he").

    A name the folding turns into a particle ("علي") and an acronym ("WHO") are names.
    """
    first = name.split()[0] if name.split() else ""
    if first in lex.spelled_names or ("letter-case" in lex.traits and first.isupper()):
        return False
    word = normalize(first.strip('،,.:«»"“”()'))
    stops = lex.speaker_stops | lex.continuation_verbs
    unclitic = [
        word[len(c) :] for c in lex.stripped_clitics if word.startswith(c) and len(word) > 2
    ]
    bare = [word, *unclitic]
    bare += [word[: -len(p)] for p in lex.possessive_suffixes if word.endswith(p) and len(word) > 3]
    # a pronoun alone is a pronoun subject, resolved as such ("She and her aides");
    # with a conjunction written onto it, it goes on with the previous speaker ("فهو")
    return any(w in stops for w in bare) or any(w in lex.pronoun_subjects for w in unclitic)


@rule(
    "actors.number-is-nobody",
    stage="actors",
    purpose="A phrase without a letter (a year, a figure) names nobody, though a verb follows it.",
    example="Karim Haddad led the union for years. In 2010 said the union was broke.",
    off=False,
)
def number_is_nobody(key: str) -> bool:
    """ "who in 2010 said": the year before the verb is no speaker."""
    return not any(ch.isalpha() for ch in key)


@rule(
    "actors.thing-name",
    stage="actors",
    purpose="A capitalized name ending in a thing's head noun (Prize, Bridge, War) is no actor.",
    example="Karim Haddad and Lena Brandt met at the Glienicke Bridge on Monday.",
    off=False,
)
def thing_name(words: Sequence[str], lex: Lexicon) -> bool:
    """ "Nobel Peace Prize", "Glienicke Bridge", "Cold War": a thing or a place."""
    return len(words) > 1 and words[-1] in lex.thing_heads


def only_opening(name: str, text: str) -> bool:
    """One English word written only to open a sentence, and then with a comma.

    "Alas, …", "Meanwhile, …": capitalized for its place, not because it names
    someone, though a model lists it as a person. A name is written elsewhere too,
    or followed by its verb ("Putin said").
    """
    if " " in name.strip() or not name[:1].isupper():
        return False
    word = re.escape(name.strip())
    found = [m.start() for m in re.finditer(rf"\b{word}\b(?!,)", text)]
    if found:  # "Putin said": a name opens the sentence and its verb follows
        return False
    openers = [m.start() for m in re.finditer(rf"\b{word},", text)]
    return bool(openers) and all(_opens(text, at) for at in openers)


def _opens(text: str, at: int) -> bool:
    """Offset `at` starts a line, a sentence or a quotation."""
    before = text[max(0, at - 80) : at]
    kept = before.rstrip()
    return not kept or "\n" in before[len(kept) :] or kept[-1] in ".!?:\"“‘'(—-"


@rule(
    "actors.verb-with-object",
    stage="actors",
    purpose="An Arabic verb of speech with its object pronoun (قاله) names no speaker.",
    example="وصل الوزير إلى عمان أمس. وبحسب ما أكده للصحفيين فإن المحادثات ستستمر.",
    off=False,
    language="ar",
)
def verb_form(name: str, lex: Lexicon) -> bool:
    """An Arabic verb of speech or meeting, with its object pronoun ("قاله", "التقاه").

    A small model lists the word of "بحسب ما قاله" as a person; a one-word name
    that the lexicon knows as a verb names nobody.
    """
    key = normalize(name)
    if "clitics" not in lex.traits or " " in key:
        return False
    verbs = lex.reporting_verbs | lex.meeting_triggers
    return is_verb(key, lex, verbs) or with_object(key, lex, verbs)


def names_nobody(name: str, text: str, lex: Lexicon) -> bool:
    """Whether a name a model listed, as written, names nobody.

    A capital that only opens sentences, an event or a thing, a verb, a relative clause
    or a pairing of two names: a small model lists each as an actor.
    """
    if "letter-case" in lex.traits and only_opening(name, text):
        return True  # "Alas," "Meanwhile": a capital that only starts sentences
    return bool(
        not_an_actor(name, lex)
        or verb_form(name, lex)
        or normalize(name).partition(" ")[0] in lex.relative_pronouns  # "التي قام بها …"
        or re.search(r"\s[-–—]\s", name)  # "قمة (ترامب - كيم)": a pairing
    )


def describes(surface: str, key: str, kind: ActorKind, lex: Lexicon) -> bool:
    """Whether a model's name, found in the text, describes someone instead of naming them."""
    if kind == "person" and is_description(surface, lex.language, lex.title_nouns):
        return True  # "وزير الخارجية الأميركي": a description, which the names prompt excludes
    if "letter-case" in lex.traits and _common_word(surface, lex):
        return True  # "Russian merchant": a description in capitals' clothing
    # "الكورية": an adjective no country of the gazetteer owns
    return (
        "clitics" in lex.traits and " " not in key and key.startswith("ال") and is_nisba(key, lex)
    )
