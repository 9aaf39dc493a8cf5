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
