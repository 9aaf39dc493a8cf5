"""Specification of the actors code finds: countries as whole words, names by capitals."""

from __future__ import annotations

import pytest

from extractor.cues.arabic_names import arabic_counterparts, arabic_titled_names
from extractor.cues.english_names import english_names
from extractor.cues.places import place_mentions
from extractor.cues.registry import ActorBook
from extractor.lang.lexicon import load_lexicon
from extractor.text.normalize import normalize
from extractor.text.segment import Segment, split_articles, split_sentences


def test_countries_are_found_as_whole_words_with_their_clitics() -> None:
    text = "وقالت قطر إن الوفد القطري التقى بالسعودية وللسعودية ومصرف مصر."
    from extractor.lang.gazetteer import load_gazetteer

    found = place_mentions(text, Segment(0, len(text)), load_gazetteer("ar"))
    assert [(text[s:e], p.name_en) for (s, e), p in found] == [
        ("قطر", "Qatar"),
        ("القطري", "Qatar"),
        ("السعودية", "Saudi Arabia"),
        ("للسعودية", "Saudi Arabia"),
        ("مصر", "Egypt"),
    ]  # "مصرف" (a bank) is not Egypt


def _places(text: str, language: str) -> list[tuple[str, str]]:
    from extractor.lang.gazetteer import load_gazetteer

    found = place_mentions(text, Segment(0, len(text)), load_gazetteer(language))
    return [(text[s:e], p.name_en) for (s, e), p in found]


def test_the_gazetteer_knows_every_state_not_only_the_middle_east() -> None:
    assert _places("Kenya and Malta signed; the Kenyan envoy flew to Valletta.", "en") == [
        ("Kenya", "Kenya"),
        ("Malta", "Malta"),
        ("Kenyan", "Kenya"),
        ("Valletta", "Malta"),
    ]
    assert _places("والتقى الوفد الكيني نظيره المالطي في نيروبي.", "ar") == [
        ("الكيني", "Kenya"),
        ("المالطي", "Malta"),
        ("نيروبي", "Kenya"),
    ]


def test_a_longer_place_name_wins_over_the_one_inside_it() -> None:
    assert _places("South Sudan and Guinea-Bissau, not Sudan or Guinea.", "en") == [
        ("South Sudan", "South Sudan"),
        ("Guinea-Bissau", "Guinea-Bissau"),
        ("Sudan", "Sudan"),
        ("Guinea", "Guinea"),
    ]


def test_forms_that_are_common_words_are_not_places() -> None:
    # "المالية" is "financial", "Chad" a first name, "Georgia" also a US state
    assert _places("وقالت وزارة المالية إن Chad Smith زار Georgia.", "ar") == []
    assert _places("Chad Smith visited Georgia.", "en") == []


def test_english_acronyms_keep_their_case() -> None:
    from extractor.lang.gazetteer import load_gazetteer

    text = "Let us see what the US and the U.N. say."
    found = place_mentions(text, Segment(0, len(text)), load_gazetteer("en"))
    assert [text[s:e] for (s, e), _ in found] == ["US", "U.N."]


def _english_names(text: str) -> list[str]:
    sentences = split_sentences(text, split_articles(text)[0])
    return [text[s:e] for s, e in english_names(text, sentences)]


def test_capitalized_runs_are_names() -> None:
    text = "President Vladimir V. Putin met the State Department team. But Putin left."
    assert _english_names(text) == [
        "President Vladimir V. Putin",
        "State Department",
    ]


def test_a_name_stays_whole_when_its_letters_are_decomposed_or_misdecoded() -> None:
    # "Peña" read as Latin-1 ("PeÃ±a"), its "Ã" decomposed; "José" decomposed
    text = "He met President Enrique PeA\u0303\u00b1a Nieto and Jose\u0301 Ortiz on Monday."
    assert _english_names(text) == [
        "President Enrique PeA\u0303\u00b1a Nieto",
        "Jose\u0301 Ortiz",
    ]


def test_initials_name_an_organization_but_not_in_a_shouted_line() -> None:
    text = "Title\nFIFA officials and the C.I.A. talked about COVID.\n"
    text += "BIG STORM HITS FLORIDA COAST NYT\n"
    assert _english_names(text) == ["FIFA", "C.I.A."]


def test_a_headline_in_title_case_is_no_name() -> None:
    text = "Title\nLone Player Stands During Anthem While Rest Of His Team Protests\n"
    text += "Bank of America left.\n"
    assert _english_names(text) == ["Bank of America"]


def test_an_arabic_name_keeps_its_article_in_english() -> None:
    text = "Title\nPresident Bashar al-Assad met the envoy. Bashar al-Assad's aide left.\n"
    assert _english_names(text) == [
        "President Bashar al-Assad",
        "Bashar al-Assad",
    ]


def _book(text: str, language: str):
    from extractor.lang.gazetteer import load_gazetteer
    from extractor.lang.lexicon import load_lexicon
    from extractor.text.normalize import normalize

    places = {normalize(f): p for p in load_gazetteer(language).places for f in p.forms}
    return ActorBook(text, load_lexicon(language), places)


def test_words_for_events_statements_and_numbers_are_not_actors() -> None:
    ar, en = _book("", "ar"), _book("", "en")
    assert ar.not_an_actor("الاجتماع") and ar.not_an_actor("المشاورات")
    assert en.not_an_actor("the talks") and en.not_an_actor("2010") and en.not_an_actor("He")
    assert not ar.not_an_actor("حركة حماس") and not en.not_an_actor("Karim Haddad")
    # names of things and places: a prize, a war, a bridge (but a one-word "Prize" is a name)
    assert en.not_an_actor("Nobel Peace Prize") and en.not_an_actor("Glienicke Bridge")
    assert not en.not_an_actor("Prize") and not en.not_an_actor("War Department")


def _named(text: str, language: str, name: str, kind: str = "person") -> ActorBook:
    from extractor.strategies.drafts import ActorDraft
    from extractor.text.grounding import TextIndex

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


def test_a_royal_title_and_the_first_name_is_the_prince_named_in_full() -> None:
    text = "Visit\nCrown Prince Faisal bin Salem met the envoy. Later Prince Faisal left.\n"
    book = _book(text, "en")
    prince = book.resolve((text.index("Crown"), text.index(" met")))
    later = text.index("Prince Faisal left")
    assert book.resolve((later, later + len("Prince Faisal"))) == prince
    # a minister is named by his surname, not his first name
    text = "Visit\nMinister Faisal Haddad met the envoy. Later Minister Faisal left.\n"
    book = _book(text, "en")
    minister = book.resolve((text.index("Minister"), text.index(" met")))
    later = text.index("Minister Faisal left")
    assert book.resolve((later, later + len("Minister Faisal"))) != minister


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


def _many(text: str, language: str, names: list[tuple[str, str]]) -> ActorBook:
    from extractor.strategies.drafts import ActorDraft
    from extractor.text.grounding import TextIndex

    book = _book(text, language)
    drafts = [
        ActorDraft(id=f"a{i}", name=name, name_en="x", kind=kind, role=None, affiliation=None)
        for i, (name, kind) in enumerate(names)
    ]
    book.add_named(drafts, TextIndex(text), split_articles(text)[0])
    return book


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("عنوان\nوسيعود الوفد، بحسب ما قاله، إلى العاصمة.\n", "قاله"),  # a verb and its pronoun
        ("عنوان\nوأشاد بالزيارة التي قام بها الوزير أمس.\n", "التي قام بها الوزير"),
    ],
)
def test_a_verb_or_a_relative_clause_the_model_lists_is_no_actor(text: str, name: str) -> None:
    assert _named(text, "ar", name).actors() == []


def test_the_conjunction_before_a_title_is_no_part_of_the_name() -> None:
    text = "عنوان\nحضر الوزير والرئيس كريم منصور الاجتماع.\n"
    book = _named(text, "ar", "والرئيس كريم منصور")
    assert [(a.name, a.role) for a in book.actors()] == [("كريم منصور", "الرئيس")]


def test_an_unclosed_aside_and_a_possessive_are_cut_from_a_model_name() -> None:
    text = "Talks\nRep. Karl Brandt (D-N.Y. said Petrov's plan was late, and Petrov agreed.\n"
    names = [("Rep. Karl Brandt (D-N.Y", "person"), ("Petrov's", "person")]
    assert sorted(a.name for a in _many(text, "en", names).actors()) == [
        "Petrov",
        "Rep. Karl Brandt",
    ]


def test_a_name_that_ends_another_listed_name_is_that_person_but_its_start_is_not() -> None:
    """ "Suu Kyi" is "Aung San Suu Kyi"; "Aung San" (her father) is someone else."""
    text = "Visit\nAung San Suu Kyi arrived. Suu Kyi met Aung San's old friends.\n"
    names = [("Aung San Suu Kyi", "person"), ("Suu Kyi", "person"), ("Aung San", "person")]
    book = _many(text, "en", names)
    assert sorted(a.name for a in book.actors()) == ["Aung San", "Aung San Suu Kyi"]


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("محمد جواد منصور", "محمد منصور"),
        ("سامر بن علي منصور", "سامر بن علي"),
        ("أحمد أبو زيد", "أبو زيد"),
    ],
)
def test_an_arabic_name_less_its_middle_or_its_end_is_the_same_person(
    full: str, short: str
) -> None:
    text = f"عنوان\nوقال {full} إن الجولة انتهت.\nوأضاف {short} أن الوفد عاد.\n"
    book = _book(text, "ar")
    spans = [(text.index(n), text.index(n) + len(n)) for n in (full, f"{short} أن")]
    ids = {book.resolve(spans[0]), book.resolve((spans[1][0], spans[1][0] + len(short)))}
    assert [a.name for a in book.actors()] == [full] and len(ids) == 1


def test_two_names_joined_by_a_dash_are_no_name() -> None:
    """ "قمة (ترامب - كيم)" names a summit of two; a model lists "ترامب - كيم"."""
    text = "عنوان\nوستكون قمة (ترامب - كيم) في مايو.\n"
    assert _many(text, "ar", [("ترامب - كيم", "person")]).actors() == []


def test_the_movement_is_the_movement_the_text_names_in_full() -> None:
    """A model lists "الحركة" first; the text says "حركة حماس": one actor."""
    text = "عنوان\nالتقى الوفد بقادة حركة حماس أمس.\nوقالت الحركة إن اللقاء كان مثمرا.\n"
    names = [("الحركة", "organization"), ("حماس", "organization")]
    assert [a.name for a in _many(text, "ar", names).actors()] == ["حماس"]


def _titled_names(text: str) -> list[tuple[str, str]]:
    from extractor.lang.lexicon import load_lexicon

    sentences = split_sentences(text, split_articles(text)[0])
    found = arabic_titled_names(text, sentences, load_lexicon("ar"))
    return [(text[t[0] : t[1]], text[n[0] : n[1]]) for t, n in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "والتقى وزير الخارجية الكيني سامر منصور الوفد أمس.",
            [("وزير الخارجية الكيني", "سامر منصور")],
        ),
        (
            "وقال رئيس حكومة الإقليم، كريم منصور، إن الجولة انتهت.",
            [("رئيس حكومة الإقليم", "كريم منصور")],
        ),
        ("واستقبل الشيخ خالد بن عبد الرحمن الوفد.", [("الشيخ", "خالد بن عبد الرحمن")]),
        # where the name ends: "and his aide", a preposition, a clitic before the article
        ("وحضر الرئيس سامر منصور ومساعدته الاجتماع.", [("الرئيس", "سامر منصور")]),
        ("ووصل الوزير سامر منصور إلى نيروبي.", [("الوزير", "سامر منصور")]),
        ("ووصل الوزير سامر منصور بالطائرة.", [("الوزير", "سامر منصور")]),
        # complements: a ل-construct, a preposition with its object, "لل" words
        (
            "وقال الأمين العام للمنظمة الدولية سامر منصور، إن الجولة انتهت.",
            [("الأمين العام للمنظمة الدولية", "سامر منصور")],
        ),
        (
            "ووصل المبعوث الأممي إلى كينيا سامر منصور، أمس.",
            [("المبعوث الأممي إلى كينيا", "سامر منصور")],
        ),
        (
            "وقالت مساعدة الوزير لشؤون الشرق الأدنى سامية منصور، إن الجولة انتهت.",
            [("مساعدة الوزير لشؤون الشرق الأدنى", "سامية منصور")],
        ),
        # a family name with the article closes the name before punctuation
        (
            "والتقى وزير الخارجية الكيني سامر الحداد، الوفد.",
            [("وزير الخارجية الكيني", "سامر الحداد")],
        ),
        ("واستقبل الشيخ خالد بن محمد العطية، الوفد.", [("الشيخ", "خالد بن محمد العطية")]),
        # names that normalization would fold into particles, as spelled
        (
            "وقال أمين المجلس الأعلى للأمن القومي علي منصور، إن الجولة انتهت.",
            [("أمين المجلس الأعلى للأمن القومي", "علي منصور")],
        ),
        ("وقال الأمين العام بان كي مون، إن الجولة انتهت.", [("الأمين العام", "بان كي مون")]),
        ("وقال الوزير على الهامش إن الجولة انتهت.", []),
        # a post owned by someone named before; a family name before a particle
        ("ووزير خارجيته سامر الحداد، في الوفد.", [("وزير خارجيته", "سامر الحداد")]),
        (
            "وكان الرئيس الراحل محمد كريم الحداد في زيارة.",
            [("الرئيس الراحل", "محمد كريم الحداد")],
        ),
        # a list of titled names repeats the title by its adjective alone
        (
            "وضم اللقاء وزير الخارجية الكيني سامر منصور، والأوغندي كريم الحداد، في نيروبي.",
            [("وزير الخارجية الكيني", "سامر منصور"), ("الأوغندي", "كريم الحداد")],
        ),
        ("وقال الوزير إن الجولة انتهت والأوغندي كريم منصور، حضر.", []),
        # but not a day, an object before the full stop, or a definite word continued
        ("والتقى الوزير سامر الخميس، الوفد.", []),
        ("واستقبل الشيخ سامر الوفد.", []),
        ("والتقى الوزير سامر الوفد الكيني.", []),
        # no name: the next clause, words running on, a quotation
        ("وقال الوزير إن الجولة انتهت.", []),
        # an indefinite dual adjective follows a common noun: the name ends before it
        ("وتلقى الوزير سامر منصور اتصالين هاتفيين أمس.", [("الوزير", "سامر منصور")]),
        ("وتلقى الوزير منصور اتصالين هاتفيين أمس.", []),
        # a present verb whose past the text writes is no name
        ("الوزير يتلقى اتصالين من نظيره، وكان تلقى اتصالا.", []),
        ("وقال الوزير «الجولة انتهت».", []),
    ],
)
def test_a_title_announces_the_arabic_name_after_it(
    sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled_names(f"عنوان\n{sentence}\n") == expected


def test_a_two_word_definite_phrase_refers_back_only_with_both_words() -> None:
    """ "الشرق الأوسط" is not "الشرق الأدنى …" though both start with "الشرق"."""
    text = "عنوان\nوقال مركز الشرق الأدنى للأبحاث إن الجولة انتهت.\n"
    book = _many(text, "ar", [("الشرق الأدنى للأبحاث", "organization")])
    assert book._refers_to("الشرق الاوسط") is None
    assert book._refers_to("الشرق الادني") is not None


def test_definite_words_a_model_takes_from_the_title_are_no_part_of_the_name() -> None:
    text = "عنوان\nوقالت مساعدة الوزير لشؤون الشرق الأدنى آن باترسون إن الجولة انتهت.\n"
    book = _named(text, "ar", "الشرق الأدنى آن باترسون")
    assert [a.name for a in book.actors()] == ["آن باترسون"]


def test_a_full_arabic_name_is_the_person_its_surname_already_named() -> None:
    text = "عنوان\nوقال كيري إن الجولة انتهت.\nوأضاف وزير الخارجية جون كيري أن الوفد سيعود.\n"
    book = _named(text, "ar", "كيري")
    start = text.index("جون")
    assert book.resolve((start, start + len("جون كيري"))) == book.actors()[0].id


def test_a_word_that_only_opens_sentences_with_a_comma_is_no_name() -> None:
    text = 'Talks\nAlas, the deal failed. "Alas, no," he said. Putin said no. Later, Putin left.\n'
    names = [("Alas", "person"), ("Putin", "person"), ("Later", "person")]
    assert sorted(a.name for a in _many(text, "en", names).actors()) == ["Putin"]


def _bodies(text: str) -> list[tuple[str, str]]:
    from extractor.cues.arabic_names import arabic_organizations
    from extractor.lang.lexicon import load_lexicon

    sentences = split_sentences(text, split_articles(text)[0])
    found = arabic_organizations(text, sentences, load_lexicon("ar"))
    return [(text[b[0] : b[1]], text[n[0] : n[1]]) for b, n in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [  # a kind noun and the definite words of its construct
        ("وطالب مجلس الأمن الدولي بوقف القتال.", [("مجلس الأمن الدولي", "الأمن الدولي")]),
        (
            "وأدانت ووزارة الخارجية الكينية الهجوم.",
            [("وزارة الخارجية الكينية", "الخارجية الكينية")],
        ),
        # one undefined noun opens the construct when a definite word follows it
        (
            "ورحبت منظمة حظر الأسلحة الكيماوية بالقرار.",
            [("منظمة حظر الأسلحة الكيماوية", "حظر الأسلحة الكيماوية")],
        ),
        # a quoted name, with the closing mark, and the adjective after it
        (
            "ونشرت صحيفة «النهار» المالطية الخبر.",
            [("صحيفة «النهار» المالطية", "«النهار» المالطية")],
        ),
        # a definite kind noun names one body only with a relational adjective
        ("وقالت الحكومة الكينية إن الميناء مغلق.", [("الحكومة الكينية", "الحكومة الكينية")]),
        ("وقالت الحكومة إن الميناء مغلق.", []),
        # after a title the construct is the post, not a body
        ("وقال وزير الخارجية الكيني إن الميناء مغلق.", []),
        # the words end at a relative pronoun or a day
        ("وقال مجلس الوزراء الذي اجتمع أمس إن الميناء مغلق.", [("مجلس الوزراء", "الوزراء")]),
    ],
)
def test_an_arabic_body_is_its_kind_noun_and_the_words_completing_it(
    sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert _bodies("عنوان الخبر\n" + sentence + "\n") == expected


def test_a_body_is_the_actor_known_by_its_name_or_its_first_words() -> None:
    text = (
        "عنوان الخبر\n"
        "وقالت «أحرار الشام» إن الجولة فشلت.\n"
        "وأكدت حركة «أحرار الشام» ذلك، كما طالب مجلس الأمن الدولي ومجلس الأمن بالهدوء.\n"
    )
    from extractor.cues.arabic_names import arabic_organizations
    from extractor.lang.lexicon import load_lexicon

    book = _book(text, "ar")
    first = book.resolve((text.index("«أحرار") + 1, text.index("» إن")))
    sentences = split_sentences(text, split_articles(text)[0])
    ids = [book.body(b, n) for b, n in arabic_organizations(text, sentences, load_lexicon("ar"))]
    assert ids[0] == first  # "حركة «أحرار الشام»" is "أحرار الشام", now a body
    assert ids[1] == ids[2]  # "مجلس الأمن" is "مجلس الأمن الدولي"
    actors = {a.id: a for a in book.actors()}
    assert actors[first].kind == "organization"
    assert "حركة «أحرار الشام»" in actors[first].aliases


def test_a_model_name_with_a_common_noun_or_a_bare_adjective_is_no_named_actor() -> None:
    def named(text: str, language: str, name: str, kind: str) -> list[str]:
        return [a.name for a in _named(text, language, name, kind).actors()]

    text = "The house was built by a Russian merchant for Karim al-Haddad."
    assert named(text, "en", "Russian merchant", "person") == []
    assert named(text, "en", "Karim al-Haddad", "person") == ["Karim al-Haddad"]
    assert named("وتعهدت الكورية بالسلام.", "ar", "الكورية", "country") == []


def test_an_arabic_kind_noun_the_lexicon_writes_with_its_article_makes_a_body() -> None:
    from extractor.text.normalize import normalize

    assert _book("", "ar").kind_of(normalize("الخارجية الإيرانية")) == "organization"


@pytest.mark.parametrize(
    ("phrase", "language", "kind"),
    [
        # the head noun decides: a source of a body is a person, sources are a group
        ("مصدر مسؤول في القنصلية الكينية", "ar", "person"),
        ("ومصدر في الوزارة", "ar", "person"),
        ("مصادر في الوزارة", "ar", "group"),
        ("المتحدث باسم الخارجية", "ar", "person"),
        ("وزير الخارجية", "ar", "person"),  # و is the title's own letter, not a clitic
        ("وزارة الخارجية", "ar", "organization"),
        ("القنصلية الكينية", "ar", "organization"),
        ("السفارة الكينية", "ar", "organization"),
        ("a senior official at the embassy", "en", "person"),
        ("a spokesman for the ministry", "en", "person"),
        ("officials at the State Department", "en", "group"),
        ("the Kenyan embassy", "en", "organization"),
    ],
)
def test_a_phrase_is_the_kind_of_its_head_noun(phrase: str, language: str, kind: str) -> None:
    from extractor.text.normalize import normalize

    assert _book("", language).kind_of(normalize(phrase)) == kind


def test_a_title_and_the_first_word_of_one_fuller_name_is_that_person() -> None:
    text = "والتقى الرئيس مون جاي إن نظيره أمس. وقال الرئيس مون إن القمة ناجحة."
    book = _many(text, "ar", [("مون جاي إن", "person"), ("الرئيس مون", "person")])
    (moon,) = book.actors()
    assert moon.name == "مون جاي إن" and "الرئيس مون" in moon.aliases


def test_a_titled_first_word_then_the_full_name_is_one_person() -> None:
    text = "وقال الرئيس مون إن القمة ناجحة. وكان الرئيس الكوري مون جاي إن التقى نظيره."
    book = _book(text, "ar")
    first = book.resolve((text.index("الرئيس مون"), text.index(" إن القمة")))
    start = text.index("مون جاي")
    assert book.resolve((start, start + len("مون جاي"))) == first


def test_the_and_a_demonym_is_the_country_as_the_demonym_alone_is() -> None:
    text = "The Russians have used the fighters. Russians say so."
    book = _book(text, "en")
    assert book.resolve((0, len("The Russians"))) == book.resolve((37, 45))
    assert [a.name_en for a in book.actors()] == ["Russia"]


def test_a_bare_kind_noun_the_model_named_is_the_body_the_text_names_after_it() -> None:
    text = "وتجري قطر محادثات مع حركة حماس. وقالت الحركة إن الجولة انتهت."
    book = _named(text, "ar", "الحركة", "organization")
    (hamas,) = book.actors()  # one actor: the rules name it "حماس" once the text's forms are in
    assert hamas.name_en == "Hamas"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("وعقد الوزير اجتماعا مع نظرائه الخليجيين في العاصمة.", ["نظرائه الخليجيين"]),
        ("وسيلتقي بنظرائه من مجلس التعاون الخليجي غدا.", ["نظرائه من مجلس التعاون الخليجي"]),
        ("التقى الوزير نظيره الكيني.", ["نظيره الكيني"]),
        # named right after: the person is the counterpart, found by the name
        ("التقى الوزير بنظيره الكيني سامر الحداد.", []),
        # two counterparts, each named elsewhere; a bare counterpart says nothing
        ("تلقى الوزير اتصالين من نظيريه الكيني والتشادي.", []),
        ("والتقى الوزير نظيره.", []),
    ],
)
def test_an_unnamed_counterpart_is_an_actor(sentence: str, expected: list[str]) -> None:
    text = "عنوان\n" + sentence + "\n"
    segment = split_articles(text)[0]
    found = arabic_counterparts(text, split_sentences(text, segment), load_lexicon("ar"))
    assert [text[a:b] for a, b in found] == expected


def test_the_actor_stage_reads_its_word_lists_from_the_language_pack() -> None:
    ar, en = load_lexicon("ar"), load_lexicon("en")
    # each pack holds its own language's lists: the other's are simply absent
    assert "mrs" in en.female_titles and not ar.female_titles
    assert "و" in ar.clitic_letters and not en.clitic_letters
    assert normalize("عبد") in ar.name_links and "bin" in en.name_links
    # compared as the text writes them: "آن" is a name, "ان" a particle; "Of" a headline's
    assert "آن" in ar.spelled_names and "ان" not in ar.spelled_names
    assert "Of" in en.title_case_words and "of" not in en.title_case_words


def test_an_organization_is_named_by_its_last_word_from_either_english_list() -> None:
    lex = load_lexicon("en")
    assert {"senate", "center", "times"} <= lex.organization_heads  # last word only
    assert "ministry" in lex.organization_nouns  # a kind noun anywhere, and last too
    from extractor.cues.kinds import actor_kind

    assert actor_kind("the carter center", lex) == "organization"
    assert actor_kind("the health ministry", lex) == "organization"


def test_a_place_with_a_clitic_of_the_pack_is_found() -> None:
    from extractor.lang.gazetteer import load_gazetteer

    text = "وقالت فبالسعودية وللسعودية."
    found = place_mentions(text, Segment(0, len(text)), load_gazetteer("ar"), load_lexicon("ar"))
    assert [p.name_en for _, p in found] == ["Saudi Arabia", "Saudi Arabia"]


@pytest.mark.parametrize(
    ("phrase", "role", "name"),
    [
        ("المتحدثة باسم الوزارة ليلى حداد", "المتحدثة باسم الوزارة", "ليلى حداد"),
        (
            "المتحدث باسم وزارة النقل الكينية سامر حداد",
            "المتحدث باسم وزارة النقل الكينية",
            "سامر حداد",
        ),
        ("رئيس غينيا الاستوائية عمر حداد", "رئيس غينيا الاستوائية", "عمر حداد"),
        (
            "سفيرة المملكة لدى الأمم المتحدة ليلى حداد",
            "سفيرة المملكة لدى الأمم المتحدة",
            "ليلى حداد",
        ),
        ("الرئيس عمر البشير", "الرئيس", "عمر البشير"),  # a name with the article is no complement
        ("رئيس الهيئة غير الحكومية وعضو", None, None),  # a second title is no name
    ],
)
def test_a_titles_complement_is_the_role_and_the_words_after_it_the_name(
    phrase: str, role: str | None, name: str | None
) -> None:
    from extractor.cues.names import arabic_name_tail

    found = arabic_name_tail(phrase, load_lexicon("ar"))
    got = (found[0], phrase[found[1][0] : found[1][1]]) if found else (None, None)
    assert got == (role, name)


def _speaker_names(text: str) -> list[list[str]]:
    from extractor import extract_article  # noqa: PLC0415

    article = extract_article("Harbour news\n" + text, strategy="rules")
    names = {a.id: a.name for a in article.actors}
    return [[names[s] for s in c.speakers] for c in article.claims]


def test_a_title_written_short_is_the_title_a_description_looks_for() -> None:
    text = "Sen. Tomas Pell spoke in the port on Monday. The senator said the port is safe."
    assert _speaker_names(text) == [["Sen. Tomas Pell"]]


def test_a_title_with_one_modifier_still_names_its_one_holder() -> None:
    text = "Senator Tomas Pell spoke on Monday. The Vermont senator said the port is safe."
    assert _speaker_names(text) == [["Senator Tomas Pell"]]


@pytest.mark.parametrize("mark", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Harbour news\nAhmed Has{mark}san said on Monday that the port is safe. "
            "Later Ahmed Hassan said the ferries would sail.",
            "Ahmed Hassan",
        ),
        (
            "أخبار الميناء\nقال أحمد حس{mark}ن يوم الاثنين إن الميناء آمن. "
            "وأضاف أحمد حسن أن العبارات ستبحر.",
            "أحمد حسن",
        ),
    ],
    ids=["en", "ar"],
)
def test_a_zero_width_character_inside_a_name_makes_no_second_actor(
    mark: str, text: str, name: str
) -> None:
    # issue 29: a zero-width space pasted into a name made two actors of one person
    from extractor import Extractor

    text = text.format(mark=mark)
    with Extractor(strategy="rules", use_cache=False) as ex:
        article = ex.extract_articles(text)[0]
    people = [a for a in article.actors if a.kind == "person"]
    assert len(people) == 1, people
    person = people[0]
    assert mark not in person.id
    assert {c.speakers[0] for c in article.claims} == {person.id}
    # the mentions still point into the input exactly, the mark inside the first
    assert [normalize(text[s:e]) for s, e in person.mentions] == [normalize(name)] * 2
    assert mark in text[person.mentions[0][0] : person.mentions[0][1]]
