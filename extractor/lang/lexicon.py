"""Lexicons are files: `extractor/lang/<language>/lexicon.json`, validated and hashed.

Reporting verbs, attribution phrases, source nouns, quotation marks, meeting
triggers and status markers for one language: general linguistic resources, one
folder per supported language (its pack), beside the gazetteer `countries.json`
that all packs share. Like prompts, a lexicon is data versioned with the code and
hashed into every result and cache key, so a change to a word list can never be
served an old answer. A file is checked against its schema when it is loaded: a
misspelled key is an error, not an empty word list that silently turns a cue off.
Words are compared after the RECORDS.md §3 normalization; Arabic clitics are added
by the cue stage, not listed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, field_validator

from ..errors import ConfigError
from ..text.normalize import normalize
from .patterns import VetoPattern

# Quotation marks of both scripts; '' is the double quote of some English wire copy.
OPEN_QUOTES = ("«", "“", '"', "„", "''", "‹")
CLOSE_QUOTES = ("»", "”", '"', "“", "''", "›")
LEXICON_FILE = "lexicon.json"
GAZETTEER_FILE = "countries.json"
# What a language's pack declares of how it writes (its `traits`): the cue stages test a
# trait, never a language code, so a third language says which of these it shares.
TRAITS = {
    "letter-case": "a capital marks a name: names are found, and told from words, by case",
    "article-word": 'the article is a word of its own ("the Guardian"), not written onto one',
    "comma-clauses": 'a comma opens a clause of the same subject (", saying", ", while")',
    "titled-surnames": 'a person named in full comes back as "Mr. Hof" or "the Crown Prince"',
    "clitics": 'and, so, by, for and the article are written onto the word ("والرئيس")',
    "verb-first": 'a verb of speech opens its clause and its subject follows ("قال الوزير")',
    "head-first": 'a phrase opens with its head noun ("وزارة الخارجية", not "State Department")',
    "quoted-names": 'names of outlets and bodies stand in quotation marks ("لـ«رويترز»")',
    "titled-given-names": 'a person comes back by title and one name ("الأمير محمد", "الرئيس مون")',
}


def lexicons_dir() -> Path:
    """$EXTRACTOR_LEXICONS, else the packs shipped in the package (`extractor/lang/`).

    Either folder holds one `<language>/lexicon.json` per supported language and the
    shared gazetteer `countries.json`.
    """
    env = os.environ.get("EXTRACTOR_LEXICONS")
    return Path(env) if env else Path(__file__).resolve().parent


@cache
def languages(root: Path | None = None) -> tuple[str, ...]:
    """The supported languages: the folders of `root` that hold a lexicon, sorted."""
    folder = root or lexicons_dir()
    try:
        return tuple(sorted(p.name for p in folder.iterdir() if (p / LEXICON_FILE).is_file()))
    except OSError as exc:
        raise ConfigError(f"lexicon folder {folder} cannot be read: {exc}") from exc


@dataclass(frozen=True)
class Lexicon:
    """One language's cue words, normalized; `phrases` keep their word order."""

    language: str
    hash: str
    traits: frozenset[str]  # of TRAITS: how the language writes, what the cue stages test
    reporting_verbs: frozenset[str]
    continuation_verbs: frozenset[str]
    attribution_phrases: tuple[tuple[str, ...], ...]
    complementizers: frozenset[str]
    speaker_stops: frozenset[str]
    source_nouns: frozenset[str]
    group_nouns: frozenset[str]
    media_nouns: frozenset[str]
    organization_nouns: frozenset[str]
    pronoun_subjects: frozenset[str]
    not_claim_cues: tuple[str, ...]
    meeting_triggers: frozenset[str]
    planned_markers: tuple[str, ...]
    cancelled_markers: tuple[str, ...]
    ongoing_markers: tuple[str, ...]
    indirect_markers: tuple[str, ...]
    direct_markers: tuple[str, ...]
    mediator_markers: tuple[str, ...]
    not_meeting: tuple[str, ...]
    statement_nouns: frozenset[str] = frozenset()
    relay_prefixes: tuple[str, ...] = ()
    verb_adverbs: frozenset[str] = frozenset()
    future_prefixes: tuple[str, ...] = ()
    relative_pronouns: frozenset[str] = frozenset()
    title_nouns: frozenset[str] = frozenset()  # titles and posts written before a name
    thing_heads: frozenset[str] = frozenset()  # last words of names of things: "… Prize"
    inverting_verbs: frozenset[str] = frozenset()  # may precede their subject: '"…," said X'
    fronting_words: frozenset[str] = frozenset()  # open a phrase before the subject: "In …,"
    speaking_verbs: frozenset[str] = frozenset()  # speech that reports no statement: "تحدث عن"
    pair_nouns: frozenset[str] = frozenset()  # two parties in one phrase: "الجانبان", "both sides"
    vetoes: tuple[VetoPattern, ...] = ()  # named exceptions to a cue: "maintains a", "accused of"
    # --- claims and speakers stage (cues/speech, phrases, speakers_*, claims, pronouns)
    after_added: frozenset[str] = frozenset()  # "he added that": what follows the verb "added"
    negation_particles: frozenset[str] = frozenset()  # "ولم توضح": a verb of speech negated
    be_verbs: frozenset[str] = frozenset()  # "وكان كيري قال": the subject before the verb
    already_particles: frozenset[str] = frozenset()  # "كان قد نفى": between كان and the verb
    prepositional_pronouns: frozenset[str] = frozenset()  # "نقلت فيه «رويترز»": before the subject
    object_first_prefixes: tuple[str, ...] = ()  # "يقر بالإخفاق": an object right after the verb
    object_prefixes: tuple[str, ...] = ()  # "بالإخفاق", "والارتياح": no part of a subject
    object_surface_prefixes: tuple[str, ...] = ()  # the same, read on the word as written
    object_prefix_exceptions: frozenset[str] = frozenset()  # "باسم": part of a speaker phrase
    title_adjectives: frozenset[str] = frozenset()  # "السابق": follows a title's nisba
    possessive_suffixes: tuple[str, ...] = ()  # "بيانها": a noun and its owner
    object_suffixes: tuple[str, ...] = ()  # "قاله", "أكدته": a verb and its object pronoun
    dual_endings: tuple[tuple[str, str], ...] = ()  # "الرئيسان": (dual ending, singular ending)
    relatives_feminine: frozenset[str] = frozenset()  # "التي": agrees with "قالت"
    relatives_masculine: frozenset[str] = frozenset()  # "الذي": agrees with "قال"
    relative_head_prepositions: frozenset[str] = frozenset()  # end the noun a relative hangs on
    title_complement_links: frozenset[str] = frozenset()  # "المبعوث إلى سوريا، …": title, place
    relaying_stems: tuple[str, ...] = ()  # "نقلت رويترز عن مصادر": a verb that relays
    relaying_prepositions: frozenset[str] = frozenset()  # … and the word before the source
    source_adjectives: frozenset[str] = frozenset()  # "people familiar with": a source goes on
    assembly_nouns: frozenset[str] = frozenset()  # "told the Senate": a body, not an outlet
    fronted_openers: frozenset[str] = frozenset()  # "However, …": no subject opens so
    copulas: frozenset[str] = frozenset()  # "This was the Trump we knew,": a clause, no subject
    not_subject_words: frozenset[str] = frozenset()  # "The ... and blamed": no name alone
    telling_verbs: frozenset[str] = frozenset()  # "X told the Guardian": the one told
    telling_verbs_inflected: frozenset[str] = frozenset()  # "told X" names the one told
    contrast_words: frozenset[str] = frozenset()  # "بينما", ", while": a second speaker's clause
    coordinating_conjunctions: frozenset[str] = frozenset()  # ", and", ", but": a new clause
    noun_homographs: frozenset[str] = frozenset()  # "the swing states": a verb after its subject
    participle_homographs: frozenset[str] = frozenset()  # "the proposed wall": an adjective
    noun_openers: frozenset[str] = frozenset()  # "the", "his", "several": a noun phrase opens
    progressive_auxiliaries: frozenset[str] = frozenset()  # "is demanding": before an -ing verb
    time_nouns: frozenset[str] = frozenset()  # "last week", "Thursday evening": a time, no speaker
    not_speaker_labels: frozenset[str] = frozenset()  # "UPDATE:", "EDITOR'S NOTE:": no turn
    # --- actors stage (cues/names, registry, coreference, kinds, filters, *_names, places)
    credit_labels: frozenset[str] = frozenset()  # "المصدر:", "Source:": a credit line, no mention
    romanization: tuple[tuple[str, str], ...] = ()  # letter -> Latin, for name_en (cues/romanize)
    title_abbreviations: tuple[tuple[str, str], ...] = ()  # "sen" -> "senator": a short title
    name_links: frozenset[str] = frozenset()  # half of a compound name: "عبد الرحمن", "bin"
    name_titles: frozenset[str] = frozenset()  # dropped when names compare: "Mr.", "President"
    title_words: frozenset[str] = frozenset()  # further words of a title: "foreign", "of"
    female_titles: frozenset[str] = frozenset()  # "Mrs", "Queen": the person is a woman
    male_titles: frozenset[str] = frozenset()  # "Mr", "King": the person is a man
    name_connectors: frozenset[str] = frozenset()  # lower-case inside a name: "bin", "van"
    name_particles: frozenset[str] = frozenset()  # lower-case words a name may hold: "of"
    determiners: frozenset[str] = frozenset()  # "the", "several": open a noun, not a name
    definite_determiners: frozenset[str] = frozenset()  # "the", "this": a known referent
    plural_demonstratives: frozenset[str] = frozenset()  # "these people": a group named before
    articles: frozenset[str] = frozenset()  # "the talks" is "talks"
    first_name_titles: frozenset[str] = frozenset()  # "Prince Abdullah": title + first name
    title_qualifiers: frozenset[str] = frozenset()  # "vice president" is not "president"
    head_links: frozenset[str] = frozenset()  # "a spokesman for …": the head ends before
    organization_heads: frozenset[str] = frozenset()  # last word of a body: "… Center"
    not_name_words: frozenset[str] = frozenset()  # capitalized, never a name's: "The", "Mr"
    calendar_words: frozenset[str] = frozenset()  # days and months: dates, never names
    title_case_words: tuple[str, ...] = ()  # as written: "Of", "During" (headlines)
    not_acronyms: tuple[str, ...] = ()  # as written: "CEO", "GDP", no organization
    party_members: tuple[str, ...] = ()  # as written: "a Michigan Democrat"
    locative_prepositions: frozenset[str] = frozenset()  # "in Vienna": where, not who
    title_links: frozenset[str] = frozenset()  # a title's complement: "المبعوث إلى سورية"
    partitive_links: frozenset[str] = frozenset()  # "نظرائه من مجلس التعاون": of a body
    name_breaks: frozenset[str] = frozenset()  # particles and prepositions: a name ends
    clitic_letters: frozenset[str] = frozenset()  # written onto a name: "وكيري", "لحماس"
    stripped_clitics: frozenset[str] = frozenset()  # taken off a word before a look-up
    conjunction_letters: frozenset[str] = frozenset()  # "والرئيس", "فالوزير": and, so
    place_clitics: frozenset[str] = frozenset()  # before a place's name: "وللسعودية"
    spelled_names: tuple[str, ...] = ()  # as written: "علي", not the particle "على"
    media_heads: frozenset[str] = frozenset()  # kind nouns of outlets: "وكالة الأناضول"
    counterpart_stems: frozenset[str] = frozenset()  # "نظيره": a counterpart, unnamed
    counterpart_suffixes: frozenset[str] = frozenset()  # whose counterpart: "نظيرها"
    post_possessives: tuple[str, ...] = ()  # "وزير خارجيته": the post of one just named
    definite_clitics: tuple[str, ...] = ()  # "بالرياض", "للأمن": no name starts so
    nisba_endings: tuple[str, ...] = ()  # relational adjectives: "اليمني", "الدوليون"
    alias_markers: tuple[str, ...] = ()  # "X, also known as Y": one actor, two names
    name_articles: tuple[str, ...] = ()  # "al-Assad", "ash-Sharaa": opens a name's word
    hyphened_particles: tuple[str, ...] = ()  # "al-", "bin-": lower case inside a name
    # --- meetings and articles stage (cues/meetings, parties, article)
    press_events: tuple[str, ...] = ()  # near a trigger, no meeting: "news conference"
    not_triggers: frozenset[str] = frozenset()  # a trigger's form in another sense: "البحث"
    preposition_letters: frozenset[str] = frozenset()  # "بالمحادثات", "للقاء": by, for
    future_letters: frozenset[str] = frozenset()  # the future written onto a verb: "سيلتقي"
    imperfect_prefixes: tuple[str, ...] = ()  # a present verb's person: "ي", "ت" of "يجتمع"
    dual_verb_endings: tuple[str, ...] = ()  # "the two" of a present verb: "ان" of "تجتمعان"
    alif_endings: tuple[str, ...] = ()  # an object's "اجتماعا", the two's past "التقيا"
    article_prefixes: tuple[str, ...] = ()  # written onto its noun: "ال"
    mediator_prefixes: tuple[str, ...] = ()  # a word they begin marks a mediator: "بوساطة"
    side_stem_endings: tuple[str, ...] = ()  # a side's name less these is its stem: "الحوثيين"
    destination_prepositions: frozenset[str] = frozenset()  # "visit to X": where it is
    between_words: frozenset[str] = frozenset()  # "talks between A and B": the parties
    denial_markers: tuple[str, ...] = ()  # "نفى أنباء عن محادثات": the meeting is denied
    letter_variants: tuple[str, ...] = ()  # "غج": letters one foreign sound is written with
    topic_particles: frozenset[str] = frozenset()  # "أما الوزير فقال": the subject is topic
    contrast_openers: frozenset[str] = frozenset()  # "لكن مسؤولا نفى": a clause opens, SVO
    object_nouns: frozenset[str] = frozenset()  # "وأكد ضرورة أن": the verb's object, no subject
    inner_title_links: frozenset[str] = frozenset()  # "سفير كندا لدى …": the title goes on
    anaphoric_openers: frozenset[str] = frozenset()  # "خلال الاجتماع": the meeting reported
    with_words: frozenset[str] = frozenset()  # "لقاء مع": names the other party


Words = list[Annotated[StrictStr, Field(min_length=1)]]


class LexiconFile(BaseModel):
    """The schema of a `lexicon.json`: every key named, so a misspelled one is an error.

    Keys without a default are required of every language; the others are cues only
    some languages have (an empty list is the same as leaving the key out).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: StrictStr
    about: StrictStr = ""
    traits: list[StrictStr] = []
    reporting_verbs: Words
    continuation_verbs: Words
    attribution_phrases: Words
    complementizers: Words
    speaker_stops: Words
    source_nouns: Words
    group_nouns: Words
    media_nouns: Words
    organization_nouns: Words
    pronoun_subjects: Words
    not_claim_cues: Words
    meeting_triggers: Words
    planned_markers: Words
    cancelled_markers: Words
    ongoing_markers: Words
    indirect_markers: Words
    direct_markers: Words
    mediator_markers: Words
    not_meeting: Words
    statement_nouns: Words = []
    relay_prefixes: Words = []
    verb_adverbs: Words = []
    future_prefixes: Words = []
    relative_pronouns: Words = []
    title_nouns: Words = []
    thing_heads: Words = []
    inverting_verbs: Words = []
    fronting_words: Words = []
    speaking_verbs: Words = []
    pair_nouns: Words = []
    vetoes: list[VetoPattern] = []
    # --- claims and speakers stage
    after_added: Words = []
    negation_particles: Words = []
    be_verbs: Words = []
    already_particles: Words = []
    prepositional_pronouns: Words = []
    object_first_prefixes: Words = []
    object_prefixes: Words = []
    object_surface_prefixes: Words = []
    object_prefix_exceptions: Words = []
    title_adjectives: Words = []
    possessive_suffixes: Words = []
    object_suffixes: Words = []
    dual_endings: list[tuple[Annotated[StrictStr, Field(min_length=1)], StrictStr]] = []
    relatives_feminine: Words = []
    relatives_masculine: Words = []
    relative_head_prepositions: Words = []
    title_complement_links: Words = []
    relaying_stems: Words = []
    relaying_prepositions: Words = []
    source_adjectives: Words = []
    assembly_nouns: Words = []
    fronted_openers: Words = []
    copulas: Words = []
    not_subject_words: Words = []
    telling_verbs: Words = []
    telling_verbs_inflected: Words = []
    contrast_words: Words = []
    coordinating_conjunctions: Words = []
    noun_homographs: Words = []
    participle_homographs: Words = []
    noun_openers: Words = []
    progressive_auxiliaries: Words = []
    time_nouns: Words = []
    not_speaker_labels: Words = []
    # --- actors stage
    credit_labels: Words = []
    romanization: dict[StrictStr, StrictStr] = {}
    title_abbreviations: dict[StrictStr, StrictStr] = {}
    name_links: Words = []
    name_titles: Words = []
    title_words: Words = []
    female_titles: Words = []
    male_titles: Words = []
    name_connectors: Words = []
    name_particles: Words = []
    determiners: Words = []
    definite_determiners: Words = []
    plural_demonstratives: Words = []
    articles: Words = []
    first_name_titles: Words = []
    title_qualifiers: Words = []
    head_links: Words = []
    organization_heads: Words = []
    not_name_words: Words = []
    calendar_words: Words = []
    title_case_words: Words = []
    not_acronyms: Words = []
    party_members: Words = []
    locative_prepositions: Words = []
    title_links: Words = []
    partitive_links: Words = []
    name_breaks: Words = []
    clitic_letters: Words = []
    stripped_clitics: Words = []
    conjunction_letters: Words = []
    place_clitics: Words = []
    spelled_names: Words = []
    media_heads: Words = []
    counterpart_stems: Words = []
    counterpart_suffixes: Words = []
    post_possessives: Words = []
    definite_clitics: Words = []
    nisba_endings: Words = []
    alias_markers: Words = []
    name_articles: Words = []
    hyphened_particles: Words = []
    # --- meetings and articles stage
    press_events: Words = []
    not_triggers: Words = []
    preposition_letters: Words = []
    future_letters: Words = []
    imperfect_prefixes: Words = []
    dual_verb_endings: Words = []
    alif_endings: Words = []
    article_prefixes: Words = []
    mediator_prefixes: Words = []
    side_stem_endings: Words = []
    destination_prepositions: Words = []
    between_words: Words = []
    denial_markers: Words = []
    letter_variants: Words = []
    topic_particles: Words = []
    contrast_openers: Words = []
    object_nouns: Words = []
    inner_title_links: Words = []
    anaphoric_openers: Words = []
    with_words: Words = []

    @field_validator("traits")
    @classmethod
    def _known_traits(cls, traits: list[str]) -> list[str]:
        unknown = [t for t in traits if t not in TRAITS]
        if unknown:
            raise ValueError(f"unknown trait(s) {unknown}; known: {sorted(TRAITS)}")
        return traits


# Word sets, compared whole; phrases, matched longest first.
_SETS = (
    "reporting_verbs",
    "continuation_verbs",
    "complementizers",
    "speaker_stops",
    "source_nouns",
    "group_nouns",
    "media_nouns",
    "organization_nouns",
    "pronoun_subjects",
    "meeting_triggers",
    "statement_nouns",
    "verb_adverbs",
    "relative_pronouns",
    "title_nouns",
    "thing_heads",
    "inverting_verbs",
    "fronting_words",
    "speaking_verbs",
    "pair_nouns",
    # --- claims and speakers stage
    "after_added",
    "negation_particles",
    "be_verbs",
    "already_particles",
    "prepositional_pronouns",
    "object_prefix_exceptions",
    "title_adjectives",
    "relatives_feminine",
    "relatives_masculine",
    "relative_head_prepositions",
    "title_complement_links",
    "relaying_prepositions",
    "source_adjectives",
    "assembly_nouns",
    "fronted_openers",
    "copulas",
    "not_subject_words",
    "telling_verbs",
    "telling_verbs_inflected",
    "contrast_words",
    "coordinating_conjunctions",
    "noun_homographs",
    "participle_homographs",
    "noun_openers",
    "progressive_auxiliaries",
    "time_nouns",
    "not_speaker_labels",
    # --- actors stage
    "credit_labels",
    "name_links",
    "name_titles",
    "title_words",
    "female_titles",
    "male_titles",
    "name_connectors",
    "name_particles",
    "determiners",
    "definite_determiners",
    "plural_demonstratives",
    "articles",
    "first_name_titles",
    "title_qualifiers",
    "head_links",
    "organization_heads",
    "not_name_words",
    "calendar_words",
    "locative_prepositions",
    "title_links",
    "partitive_links",
    "name_breaks",
    "clitic_letters",
    "stripped_clitics",
    "place_clitics",
    "media_heads",
    "counterpart_stems",
    "counterpart_suffixes",
    # --- meetings and articles stage
    "not_triggers",
    "conjunction_letters",
    "preposition_letters",
    "future_letters",
    "destination_prepositions",
    "between_words",
    "topic_particles",
    "contrast_openers",
    "object_nouns",
    "inner_title_links",
    "anaphoric_openers",
    "with_words",
)
_PHRASES = (
    "not_claim_cues",
    "planned_markers",
    "cancelled_markers",
    "ongoing_markers",
    "indirect_markers",
    "direct_markers",
    "mediator_markers",
    "not_meeting",
    "relay_prefixes",
    "future_prefixes",
    # --- claims and speakers stage: affixes, matched by any
    "object_first_prefixes",
    "object_prefixes",
    "possessive_suffixes",
    "object_suffixes",
    "relaying_stems",
    # --- actors stage
    "post_possessives",
    "definite_clitics",
    "nisba_endings",
    "alias_markers",
    "name_articles",
    "hyphened_particles",
    # --- meetings and articles stage
    "press_events",
    "imperfect_prefixes",
    "dual_verb_endings",
    "alif_endings",
    "article_prefixes",
    "mediator_prefixes",
    "side_stem_endings",
    "denial_markers",
    "letter_variants",
)
# Kept as written: compared with the word as the text writes it, not normalized.
_AS_WRITTEN = (
    # --- claims and speakers stage
    "object_surface_prefixes",
    # --- actors stage
    "title_case_words",
    "not_acronyms",
    "party_members",
    "spelled_names",
)


def _words(values: list[str]) -> frozenset[str]:
    return frozenset(normalize(v) for v in values)


def _specific(phrase: tuple[str, ...]) -> tuple[int, int, tuple[str, ...]]:
    """Attribution phrases are tried most words first, then most letters ("وفقا لما" before
    "وفقا ل", which also matches it), then in one fixed order.

    Never a set's order: that changes with Python's hash seed, and with it the speaker.
    """
    return -len(phrase), -sum(map(len, phrase)), phrase


def _folded(words: tuple[str, ...]) -> tuple[str, ...]:
    """Words as tokens compare them, in order (a trailing `*` kept)."""
    return tuple(normalize(w) for w in words)


def _problems(exc: ValidationError) -> str:
    """Each schema error by its key: "unknown key 'reporting_verb'", "title_nouns[3]: …"."""
    out = []
    for error in exc.errors():
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
        where = where.lstrip(".") or "the file"
        if error["type"] == "extra_forbidden":
            out.append(f"unknown key {where!r}")
        elif error["type"] == "missing":
            out.append(f"{where}: missing")
        else:
            out.append(f"{where}: {error['msg']}")
    return "; ".join(out)


def _read(path: Path, language: str) -> tuple[bytes, LexiconFile]:
    """The file's bytes and its validated content; ConfigError names the file and the key."""
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"lexicon {path} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"lexicon {path} must be a JSON object")
    try:
        content = LexiconFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"lexicon {path}: {_problems(exc)}") from exc
    if content.language != language:
        raise ConfigError(f"lexicon {path} is for language {content.language!r}, not {language!r}")
    return raw, content


@cache
def load_lexicon(language: str, root: Path | None = None) -> Lexicon:
    """The lexicon of a supported `language`; ConfigError names what is wrong, and where."""
    folder = root or lexicons_dir()
    known = languages(folder)
    if language not in known:
        raise ConfigError(f"no lexicon for language {language!r}; known: {list(known)}")
    raw, content = _read(folder / language / LEXICON_FILE, language)
    values: dict[str, Any] = {name: _words(getattr(content, name)) for name in _SETS}
    values["traits"] = frozenset(content.traits)
    for name in _PHRASES:
        values[name] = tuple(sorted(_words(getattr(content, name)), key=lambda w: (-len(w), w)))
    for name in _AS_WRITTEN:
        values[name] = tuple(getattr(content, name))
    values["dual_endings"] = tuple((normalize(a), normalize(b)) for a, b in content.dual_endings)
    values["romanization"] = tuple(sorted(content.romanization.items()))
    values["title_abbreviations"] = tuple(
        sorted((normalize(a), normalize(b)) for a, b in content.title_abbreviations.items())
    )
    values["vetoes"] = tuple(
        v.model_copy(
            update={
                "cue": tuple(normalize(c) for c in v.cue),
                "next": tuple(normalize(w) for w in v.next),
            }
        )
        for v in content.vetoes
    )
    phrases = _words(content.attribution_phrases)
    values["attribution_phrases"] = tuple(
        sorted((tuple(p.split()) for p in phrases), key=_specific)
    )
    # The digest names the data as `<language>.json`, its name before languages were
    # folders, so unchanged words keep their hash (and every result its lexicon_hash).
    digest = hashlib.sha256(f"{language}.json".encode() + b"\0" + raw).hexdigest()[:16]
    return Lexicon(language=language, hash=digest, **values)


def lexicons_hash() -> str:
    """One hash over every shipped lexicon and gazetteer: what results and cache keys record."""
    digest = hashlib.sha256()
    for language in languages():
        digest.update(load_lexicon(language).hash.encode())
    from .gazetteer import load_gazetteer  # noqa: PLC0415  (it reads the packs' traits)

    digest.update(load_gazetteer("en").hash.encode())
    return digest.hexdigest()[:16]
