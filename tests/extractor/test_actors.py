"""Specification of the actors code finds: countries as whole words, names by capitals."""

from __future__ import annotations

from extractor.actors import english_names, place_mentions
from extractor.segment import Segment, split_articles, split_sentences


def test_countries_are_found_as_whole_words_with_their_clitics() -> None:
    text = "وقالت قطر إن الوفد القطري التقى بالسعودية وللسعودية ومصرف مصر."
    from extractor.lexicon import load_gazetteer

    found = place_mentions(text, Segment(0, len(text)), load_gazetteer("ar"))
    assert [(text[s:e], p.name_en) for (s, e), p in found] == [
        ("قطر", "Qatar"),
        ("القطري", "Qatar"),
        ("السعودية", "Saudi Arabia"),
        ("للسعودية", "Saudi Arabia"),
        ("مصر", "Egypt"),
    ]  # "مصرف" (a bank) is not Egypt


def test_english_acronyms_keep_their_case() -> None:
    from extractor.lexicon import load_gazetteer

    text = "Let us see what the US and the U.N. say."
    found = place_mentions(text, Segment(0, len(text)), load_gazetteer("en"))
    assert [text[s:e] for (s, e), _ in found] == ["US", "U.N."]


def test_capitalized_runs_are_names() -> None:
    text = "President Vladimir V. Putin met the State Department team. But Putin left."
    sentences = split_sentences(text, split_articles(text)[0])
    assert [text[s:e] for s, e in english_names(text, sentences)] == [
        "President Vladimir V. Putin",
        "State Department",
    ]


def _book(text: str, language: str):
    from extractor.actors import ActorBook
    from extractor.lexicon import load_lexicon

    return ActorBook(text, load_lexicon(language))


def test_words_for_events_statements_and_numbers_are_not_actors() -> None:
    ar, en = _book("", "ar"), _book("", "en")
    assert ar.not_an_actor("الاجتماع") and ar.not_an_actor("المشاورات")
    assert en.not_an_actor("the talks") and en.not_an_actor("2010")
    assert not ar.not_an_actor("حركة حماس") and not en.not_an_actor("Karim Haddad")


def test_a_model_name_that_starts_with_a_reporting_verb_is_the_name_after_it() -> None:
    from extractor.drafts import ActorDraft
    from extractor.grounding import TextIndex

    text = "عنوان\nأوضحت المتحدثة باسم الحكومة فاطمة الحداد أن الجولة قريبة.\n"
    book = _book(text, "ar")
    draft = ActorDraft(
        id="x",
        name="أوضحت المتحدثة باسم الحكومة",
        name_en="x",
        kind="person",
        role=None,
        affiliation=None,
    )
    book.add_named([draft], TextIndex(text), split_articles(text)[0])
    assert [a.name for a in book.actors()] == ["المتحدثة باسم الحكومة"]


def test_all_capital_headings_are_not_names() -> None:
    text = "FULL TEXT\nKarim Haddad met the workers.\n"
    spans = english_names(text, split_sentences(text, split_articles(text)[0]))
    assert [text[s:e] for s, e in spans] == ["Karim Haddad"]
