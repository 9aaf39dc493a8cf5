"""Specification of the speaker questions: what the model is asked, and how answers apply."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from extractor.cues.article import rules_article, unnamed_speech
from extractor.cues.descriptions import is_description
from extractor.models import Meeting
from extractor.strategies import questions as decide
from extractor.text.grounding import TextIndex
from extractor.text.segment import split_articles, split_sentences

TEXT = (
    "Talks resume\n"
    "Karim Haddad met the workers on Sunday.\n"
    '"The port will reopen," the veteran negotiator said.\n'
    "A senior official said the deal was close.\n"
)


def _read(text: str):
    index = TextIndex(text)
    segment = split_articles(text)[0]
    return index, segment, split_sentences(text, segment)


def _article(text: str = TEXT):
    index, segment, sentences = _read(text)
    return rules_article(index, segment, sentences), sentences


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        ("the Russian leader", "en", True),
        ("the impostor", "en", True),
        ("this Trump look-alike", "en", True),
        ("The BBC's Paul Reynolds", "en", False),
        ("a senior official", "en", False),
        ("المسؤول اليمني", "ar", True),
        ("خالد اليماني", "ar", False),
        ("المبعوث الدولي إلى اليمن", "ar", True),
        ("المبعوث الدولي لليمن", "ar", True),
        ("المتحدث باسم الخارجية المصرية", "ar", True),
    ],
)
def test_a_description_is_definite_and_names_nobody(name: str, language: str, expected: bool):
    assert is_description(name, language) is expected


def test_a_title_describes_someone_known_when_definite_not_a_new_spokesman() -> None:
    titles = decide._titles("ar")
    assert is_description("وزير الخارجية الأميركي", "ar", titles)  # the minister
    assert not is_description("متحدث باسم المعارضة", "ar", titles)  # a spokesman


def test_only_described_person_speakers_are_asked_about_and_only_people_offered():
    article, sentences = _article()
    asked = decide.questions(article, sentences, range(len(sentences)))
    assert [q.description for q in asked] == ["the veteran negotiator"]
    assert [name for _, name in decide.choices(article)] == ["Karim Haddad"]


def test_an_unnamed_person_is_not_offered_as_whom_a_description_means():
    text = TEXT + "A reporter asked whether the port would reopen.\n"
    article, _ = _article(text)
    assert "A reporter" in {a.name for a in article.actors}
    assert [name for _, name in decide.choices(article)] == ["Karim Haddad"]


def test_the_answer_schema_allows_only_asked_sentences_and_offered_ids():
    article, sentences = _article()
    asked = decide.questions(article, sentences, range(len(sentences)))
    model = decide.answers_model(asked, ["a1"])
    ok = model.model_validate({"answers": [{"sentence": asked[0].sentence, "actor": "a1"}]})
    assert ok.answers[0].actor == "a1"
    with pytest.raises(ValidationError):
        model.model_validate({"answers": [{"sentence": asked[0].sentence, "actor": "none"}]})
    with pytest.raises(ValidationError):
        model.model_validate({"answers": [{"sentence": 99, "actor": "a1"}]})


def test_an_answer_reattributes_the_claim_and_the_description_becomes_an_alias():
    article, sentences = _article()
    asked = decide.questions(article, sentences, range(len(sentences)))
    offered = decide.choices(article)
    draft = decide.SpeakerAnswers(answers=[{"sentence": asked[0].sentence, "actor": "a1"}])
    notes = decide.apply(article, asked, draft, offered)
    by_id = {a.id: a for a in article.actors}
    claim = article.claims[asked[0].claim]
    assert [by_id[s].name for s in claim.speakers] == ["Karim Haddad"]
    assert "the veteran negotiator" in by_id[claim.speakers[0]].aliases
    assert "the veteran negotiator" not in {a.name for a in article.actors}  # unused: dropped
    assert notes == [f"model: the speaker of sentence {asked[0].sentence} is Karim Haddad"]


def test_the_described_actor_gives_way_to_the_named_one_in_meetings_too():
    article, sentences = _article()
    ids = {a.name: a.id for a in article.actors}
    described, named = ids["the veteran negotiator"], ids["Karim Haddad"]
    article.meetings = [  # as if the negotiator had also met the workers, and the official
        Meeting(participants=[described, ids["A senior official"]], status="held", evidence="x"),
        Meeting(participants=[described, named], status="held", evidence="y"),
    ]
    asked = decide.questions(article, sentences, range(len(sentences)))
    draft = decide.SpeakerAnswers(answers=[{"sentence": asked[0].sentence, "actor": "a1"}])
    decide.apply(article, asked, draft, decide.choices(article))
    assert [m.participants for m in article.meetings] == [[named, ids["A senior official"]]]
    assert described not in {a.id for a in article.actors}  # one referent, one actor


def test_answers_about_sentences_not_asked_are_problems_to_reask():
    article, sentences = _article()
    asked = decide.questions(article, sentences, range(len(sentences)))
    draft = decide.SpeakerAnswers(answers=[{"sentence": 42, "actor": "a1"}])
    assert decide.answer_problems(draft, asked) == [
        f"sentence 42 was not asked about; answer only for {[asked[0].sentence]}"
    ]


WIRE = (  # a wire continuation: "his excellency" stands for the minister of the headline
    "وزير الخارجية يلتقي نظيره الروسي\n"
    "وبشأن الوضع في المنطقة، أكد معاليه أن المحادثات كانت مثمرة وبناءة.\n"
    "وكان وزير الخارجية قد التقى نظيره الروسي سيرغي لافروف في موسكو أمس.\n"
)


def _unnamed(text: str = WIRE):
    index, segment, sentences = _read(text)
    article = rules_article(index, segment, sentences)
    return article, sentences, unnamed_speech(index, segment, sentences)


def test_speech_with_no_speaker_to_name_is_asked_about_not_claimed_by_the_rules() -> None:
    article, sentences, unnamed = _unnamed()
    assert article.claims == []  # the rules cannot name who "معاليه" is
    asked = decide.unnamed_questions(unnamed, range(len(sentences)))
    assert [(q.sentence, q.description, q.unnamed) for q in asked] == [(2, "أكد معاليه", True)]
    assert decide.unnamed_questions(unnamed, range(2, 3)) == []  # another chunk's sentence


def test_an_answer_about_unnamed_speech_makes_it_a_claim_of_that_actor() -> None:
    article, sentences, unnamed = _unnamed()
    asked = decide.unnamed_questions(unnamed, range(len(sentences)))
    offered = decide.choices(article)
    draft = decide.SpeakerAnswers(answers=[{"sentence": 2, "actor": "a1"}])
    notes = decide.apply(article, asked, draft, offered, unnamed)
    [claim] = article.claims
    names = {a.id: a.name for a in article.actors}
    assert [names[s] for s in claim.speakers] == ["سيرغي لافروف"]
    assert claim.evidence == WIRE.splitlines()[1] and claim.quote == "indirect"
    assert claim.span is not None and WIRE[claim.span[0] : claim.span[1]] == claim.evidence
    assert notes == ["model: the unnamed speaker of sentence 2 is سيرغي لافروف"]
    assert "أكد معاليه" not in {a for x in article.actors for a in x.aliases}  # no alias


def test_unnamed_speech_left_unanswered_stays_out_as_in_the_rules() -> None:
    article, sentences, unnamed = _unnamed()
    asked = decide.unnamed_questions(unnamed, range(len(sentences)))
    decide.apply(
        article, asked, decide.SpeakerAnswers(answers=[]), decide.choices(article), unnamed
    )
    assert article.claims == []


PAIR = (
    "عنوان الخبر\n"
    "وقالت كينيا إن المحادثات مع تشاد كانت مثمرة.\n"
    "وقال البلدان إن الحدود ستفتح الأحد.\n"
)


def test_a_pair_phrase_speaker_is_asked_as_two_of_the_named_actors():
    article, sentences = _article(PAIR)
    assert decide.questions(article, sentences, range(len(sentences))) == []  # not one person
    asked = decide.pair_questions(article, sentences, range(len(sentences)))
    assert [q.description for q in asked] == ["البلدان"]
    offered = decide.pair_choices(article)
    names = [name for _, name in offered]
    assert "كينيا (country)" in names and "تشاد (country)" in names
    assert not any(n.startswith("البلدان") for n in names)  # the pair is no answer to itself
    model = decide.pair_answers_model(asked, [i for i, _ in offered])
    with pytest.raises(ValidationError):  # two ids, no fewer
        model.model_validate({"answers": [{"sentence": asked[0].sentence, "actors": ["a1"]}]})


def test_a_pair_answer_gives_the_claim_two_speakers_and_drops_the_phrase():
    article, sentences = _article(PAIR)
    asked = decide.pair_questions(article, sentences, range(len(sentences)))
    offered = decide.pair_choices(article)
    ids = {name.rsplit(" (", 1)[0]: short for short, name in offered}
    pair = [ids["كينيا"], ids["تشاد"]]
    twice = decide.PairAnswers(answers=[{"sentence": asked[0].sentence, "actors": pair[:1] * 2}])
    assert decide.pair_problems(twice, asked) == [
        f"sentence {asked[0].sentence}: name two different actors, not {pair[0]} twice"
    ]
    draft = decide.PairAnswers(answers=[{"sentence": asked[0].sentence, "actors": pair}])
    notes = decide.apply_pairs(article, asked, draft, offered)
    names = {a.id: a.name for a in article.actors}
    claim = article.claims[asked[0].claim]
    assert [names[s] for s in claim.speakers] == ["كينيا", "تشاد"]
    assert "البلدان" not in names.values()
    assert notes == [f"model: the speakers of sentence {asked[0].sentence} are كينيا and تشاد"]


MEETING = (
    "Talks resume\n"
    "Karim Haddad met Lina Sabbagh and Omar Nasser in Geneva on Sunday, Reuters reported.\n"
)


def _meeting():
    article, sentences = _article(MEETING)
    return article, decide.meeting_questions(article, sentences, range(len(sentences)))


def test_a_meeting_question_names_each_meeting_sentence_and_its_parties():
    _, asked = _meeting()
    assert decide.meeting_listing(asked) == {
        "meetings": "[2] Karim Haddad, Lina Sabbagh, Omar Nasser"
    }


def test_the_meeting_answer_schema_allows_only_asked_sentences_and_known_values():
    _, asked = _meeting()
    model = decide.meeting_answers_model(asked)
    ok = {"sentence": 2, "status": "held", "format": "direct"}
    assert model.model_validate({"meetings": [ok]}).meetings[0].status == "held"
    for bad in ({**ok, "sentence": 7}, {**ok, "status": "maybe"}, {**ok, "format": "video"}):
        with pytest.raises(ValidationError):
            model.model_validate({"meetings": [bad]})


def test_a_meeting_answer_sets_status_and_format_but_never_the_parties():
    article, asked = _meeting()
    parties = list(article.meetings[0].participants)
    answer = {"sentence": 2, "status": "planned", "format": "direct"}
    notes = decide.apply_meetings(article, asked, decide.MeetingAnswers(meetings=[answer]))
    (meeting,) = article.meetings
    assert (meeting.status, meeting.format, meeting.participants) == ("planned", "direct", parties)
    assert notes == ["model: the meeting of sentence 2 is planned, direct"]


def test_a_meeting_the_markers_made_planned_stays_planned_whatever_the_model_says():
    article, asked = _meeting()
    article.meetings[0].status = "planned"  # as "سيلتقي" or "was scheduled to meet" sets it
    for status in ("held", "cancelled"):
        answer = {"sentence": 2, "status": status, "format": "direct"}
        notes = decide.apply_meetings(article, asked, decide.MeetingAnswers(meetings=[answer]))
        assert article.meetings[0].status == "planned"
        assert notes == [
            "model: the meeting of sentence 2 is planned, direct"
            f" (the text plans it; model: {status})"
        ]


def test_a_format_the_markers_gave_stands_and_the_status_is_the_models():
    article, asked = _meeting()
    article.meetings[0].format = "indirect"  # as "غير مباشرة" or a named mediator sets it
    answer = {"sentence": 2, "status": "planned", "format": "direct"}
    decide.apply_meetings(article, asked, decide.MeetingAnswers(meetings=[answer]))
    assert (article.meetings[0].status, article.meetings[0].format) == ("planned", "indirect")


@pytest.mark.parametrize(
    ("description", "language", "asked"),
    [
        ("المسؤول اليمني", "ar", True),
        ("the Russian leader", "en", True),
        ("السلطان", "ar", True),  # a title: one person
        ("المتشككون", "ar", False),  # the sceptics: many
        ("البلدان", "ar", False),  # the two countries
        ("الإعلان", "ar", False),  # the declaration: a document
        ("the officials", "en", False),
    ],
)
def test_only_a_description_of_one_person_is_asked_about(
    description: str, language: str, asked: bool
) -> None:
    assert decide._one_person(description, language) is asked


def test_each_actor_offered_comes_with_its_title_and_country() -> None:
    text = (
        "عنوان الخبر\n"
        "وقال وزير الخارجية التونسي كمال الهادي إن الميناء مغلق.\n"
        "وأضاف المسؤول التونسي أن الجولة انتهت.\n"
    )
    article, _ = _article(text)
    assert decide.choices(article) == [("a1", "كمال الهادي (وزير الخارجية التونسي)")]
