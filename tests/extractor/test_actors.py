"""Specification of the actors code finds: countries as whole words, names by capitals."""

from __future__ import annotations

import pytest

from extractor.actors import ActorBook, english_names, place_mentions
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
    from extractor.lexicon import load_gazetteer, load_lexicon
    from extractor.normalize import normalize

    places = {normalize(f): p for p in load_gazetteer(language).places for f in p.forms}
    return ActorBook(text, load_lexicon(language), places)


def test_words_for_events_statements_and_numbers_are_not_actors() -> None:
    ar, en = _book("", "ar"), _book("", "en")
    assert ar.not_an_actor("الاجتماع") and ar.not_an_actor("المشاورات")
    assert en.not_an_actor("the talks") and en.not_an_actor("2010")
    assert not ar.not_an_actor("حركة حماس") and not en.not_an_actor("Karim Haddad")


def _named(text: str, language: str, name: str, kind: str = "person") -> ActorBook:
    from extractor.drafts import ActorDraft
    from extractor.grounding import TextIndex

    book = _book(text, language)
    draft = ActorDraft(id="x", name=name, name_en="x", kind=kind, role=None, affiliation=None)
    book.add_named([draft], TextIndex(text), split_articles(text)[0])
    return book


def test_a_model_name_that_starts_with_a_reporting_verb_is_the_name_after_it() -> None:
    text = "عنوان\nأوضحت الدكتورة فاطمة الحداد أن الجولة قريبة.\n"
    book = _named(text, "ar", "أوضحت الدكتورة فاطمة الحداد")
    assert [(a.name, a.role) for a in book.actors()] == [("فاطمة الحداد", "الدكتورة")]


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("عنوان\nوقال وزير الخارجية الأميركي إن الجولة قريبة.\n", "ar", "وزير الخارجية الأميركي"),
        (
            "عنوان\nوقال المبعوث الدولي إلى اليمن إن الجولة قريبة.\n",
            "ar",
            "المبعوث الدولي إلى اليمن",
        ),
        ("Talks\nThe round is close, the foreign minister said.\n", "en", "the foreign minister"),
    ],
)
def test_a_description_the_model_lists_as_a_name_is_no_actor(
    text: str, language: str, name: str
) -> None:
    assert _named(text, language, name).actors() == []


def test_a_country_written_with_its_own_adjective_is_that_country() -> None:
    text = "عنوان\nوقالت الولايات المتحدة الأميركية إن الجولة قريبة.\n"
    book = _named(text, "ar", "الولايات المتحدة الأميركية", kind="country")
    assert [a.name_en for a in book.actors()] == ["United States"]


def test_a_hashtag_names_the_same_actor_as_its_words() -> None:
    text = (
        "عنوان\nأعلنت حركة #الجهاد_الاسلامي وقفا للنار.\nوقالت حركة الجهاد الإسلامي إنها ملتزمة.\n"
    )
    book = _book(text, "ar")
    first = book.resolve((text.index("حركة #"), text.index(" وقفا")))
    second = text.index("حركة الجهاد")
    assert book.resolve((second, second + len("حركة الجهاد الإسلامي"))) == first


def test_all_capital_headings_are_not_names() -> None:
    text = "FULL TEXT\nKarim Haddad met the workers.\n"
    spans = english_names(text, split_sentences(text, split_articles(text)[0]))
    assert [text[s:e] for s, e in spans] == ["Karim Haddad"]


def test_a_titled_full_name_is_the_person_already_listed_by_name() -> None:
    text = "Talks\nJohn Whitehead arrived.\nDeputy Secretary of State John Whitehead said so.\n"
    book = _book(text, "en")
    first = book.resolve((text.index("John"), text.index(" arrived")))
    titled = text.index("Deputy")
    second = book.resolve((titled, text.index(" said")))
    assert second == first
    assert [a.name for a in book.actors()] == ["John Whitehead"]  # the title is no part of it


def test_a_title_alone_is_the_one_person_the_text_gives_that_title() -> None:
    text = (
        "Visit\nCrown Prince Abdullah bin Abdul Aziz met the envoy. Later the Crown Prince left.\n"
    )
    book = _book(text, "en")
    prince = book.resolve((text.index("Crown"), text.index(" met")))
    later = text.index("Crown Prince left")
    assert book.resolve((later, later + len("Crown Prince"))) == prince


def test_a_title_two_people_hold_names_neither() -> None:
    text = "Visit\nPresident Ruto met President Museveni. Later the President left.\n"
    book = _book(text, "en")
    ruto = book.resolve((text.index("President Ruto"), text.index(" met")))
    museveni = book.resolve((text.index("President Museveni"), text.index(". Later")))
    later = text.index("President left")
    assert book.resolve((later, later + len("President"))) not in (ruto, museveni)


def test_vice_president_is_not_the_president() -> None:
    text = "Visit\nVice President George Bush met the envoy. Later the President left.\n"
    book = _book(text, "en")
    bush = book.resolve((text.index("Vice"), text.index(" met")))
    later = text.index("President left")
    assert book.resolve((later, later + len("President"))) != bush


def test_a_country_with_the_verbs_object_run_on_is_that_country() -> None:
    """ "نفت إسرائيل التوصل إلى تهدئة": "إسرائيل التوصل" is Israel, the rest the object."""
    text = "خبر\nنفت إسرائيل التوصل إلى تهدئة.\n"
    book = _book(text, "ar")
    start = text.index("إسرائيل")
    actor_id = book.resolve((start, text.index(" إلى")))
    assert [a.name_en for a in book.actors() if a.id == actor_id] == ["Israel"]
