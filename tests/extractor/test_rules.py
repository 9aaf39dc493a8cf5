"""Specification of the rules-only strategy: cues in, grounded records out, no model call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor import Article, Extractor
from extractor.cli import app
from extractor.cues.article import rules_article
from extractor.lang.lexicon import lexicons_hash
from extractor.strategies.drafts import ActorDraft
from extractor.text.grounding import TextIndex
from extractor.text.segment import split_articles, split_sentences

AR_TEXT = (
    "وزير الخارجية يلتقي وفد حركة النور في الدوحة\n"
    "قال مصدر مطلع في الوزارة إن المحادثات ستبدأ الأحد.\n"
    "وأضاف المصدر أن الوفد سيعود إلى العاصمة غدا.\n"
    "وقال وزير الخارجية سامر الحداد إن «الأجواء إيجابية جدا».\n"
)
EN_TEXT = (
    "Port talks to resume\n"
    "A senior harbour official said on Monday that the talks would resume.\n"
    "The official added that both sides wanted a deal.\n"
    '"We are close," said Lena Brandt, the envoy.\n'
    "Brandt said the union had agreed to meet.\n"
)


def _parties(article: Article) -> list[list[str]]:
    """Each meeting's participants by name, sorted."""
    names = {a.id: a.name for a in article.actors}
    return [sorted(names[p] for p in m.participants) for m in article.meetings]


def _with_named(text: str, named: list[tuple[str, str, str]]) -> Article:
    """The rules over actors a model named: (id, name, kind) each."""
    drafts = [
        ActorDraft(id=i, name=n, name_en=i, kind=k, role=None, affiliation=None)
        for i, n, k in named
    ]
    segment = split_articles(text)[0]
    sentences = split_sentences(text, segment)
    return rules_article(TextIndex(text), segment, sentences, named=drafts)


def rules() -> Extractor:
    # a base URL nobody listens on: the rules strategy must never call it
    return Extractor(strategy="rules", base_url="http://127.0.0.1:9/v1", use_cache=False)


def test_arabic_sources_are_actors_and_speak_their_claims() -> None:
    article = rules().extract_article(AR_TEXT)
    names = {a.id: a for a in article.actors}
    speakers = [[names[s].name for s in c.speakers] for c in article.claims]
    assert speakers == [
        ["مصدر مطلع في الوزارة"],
        ["مصدر مطلع في الوزارة"],
        ["سامر الحداد"],  # the name; "وزير الخارجية" is its role
    ]
    source = next(a for a in article.actors if a.name == "مصدر مطلع في الوزارة")
    assert source.anonymous and "المصدر" in source.aliases  # "the source" is the same one
    assert [c.quote for c in article.claims] == ["indirect", "indirect", "direct"]
    for claim in article.claims:
        assert AR_TEXT[claim.span[0] : claim.span[1]] == claim.evidence


def test_english_speakers_corefer_and_the_meta_says_no_model_ran() -> None:
    article = rules().extract_article(EN_TEXT)
    by_id = {a.id: a for a in article.actors}
    assert [[by_id[s].name for s in c.speakers] for c in article.claims] == [
        ["A senior harbour official"],
        ["A senior harbour official"],
        ["Lena Brandt"],
        ["Lena Brandt"],
    ]
    official = next(a for a in article.actors if a.name == "A senior harbour official")
    assert official.anonymous and not by_id[article.claims[2].speakers[0]].anonymous
    assert article.meta is not None
    assert article.meta.strategy == "rules" and article.meta.llm_calls == 0
    assert article.meta.lexicon_hash == lexicons_hash()
    assert article.meta.usage.completion_tokens == 0


def test_narration_and_headlines_are_not_claims() -> None:
    text = "Port reopens\nThe port reopened on Monday after a week of strikes.\n"
    assert rules().extract_article(text).claims == []


def test_a_headline_restates_the_body_and_is_no_claim_but_a_lead_sentence_is() -> None:
    headline = "مصادر للوكالة: المحادثات ستبدأ الأحد\nقال مصدر مطلع إن المحادثات ستبدأ الأحد.\n"
    claims = rules().extract_article(headline).claims
    assert [c.evidence for c in claims] == ["قال مصدر مطلع إن المحادثات ستبدأ الأحد."]
    lead = (  # a first line ending as a sentence, as long as lead sentences are
        "Lena Brandt, the harbour master, said on Monday that the port stays open to "
        "every ship until the strike ends.\nThe port reopened on Monday.\n"
    )
    assert len(rules().extract_article(lead).claims) == 1


def test_a_short_first_line_with_a_period_is_still_a_headline() -> None:
    text = (  # headlines of some outlets end with a period; a body follows them
        "Harbour master praises the dockers.\n"
        "Lena Brandt praised the dockers on Monday, saying they had kept the port open.\n"
    )
    claims = rules().extract_article(text).claims
    assert [c.evidence[:11] for c in claims] == ["Lena Brandt"]
    alone = "Lena Brandt said the port stays open.\n"  # nothing follows: a lead, not a title
    assert len(rules().extract_article(alone).claims) == 1


def test_and_he_with_a_second_verb_of_the_same_speaker_is_one_sentence_one_claim() -> None:
    text = (
        "Port talks\n"
        'Karim Haddad voiced a wish for a "calm summer," and he pronounced the deal "a gift."\n'
    )
    claims = rules().extract_article(text).claims
    assert [c.evidence for c in claims] == [text.splitlines()[1]]


def _first_speakers(text: str) -> list[str]:
    article = rules().extract_article(text)
    names = {a.id: a.name for a in article.actors}
    return [names[c.speakers[0]] for c in article.claims]


def test_two_full_names_that_share_a_surname_are_two_people() -> None:
    text = (
        "Port families reunited\n"
        "Mrs. Brandt said she was relieved.\n"
        "Ana Brandt waited on the pier. Her husband, Olaf Brandt, was free.\n"
        "Mr. Brandt said he was glad to be home.\n"
        "Mrs. Brandt said the wait had been long.\n"
    )
    assert _first_speakers(text) == ["Ana Brandt", "Olaf Brandt", "Ana Brandt"]


def test_she_is_the_woman_named_since_the_last_claim_not_the_last_speaker() -> None:
    text = (
        "Port families\n"
        "A spokesman said Mr Haddad would fly to the port.\n"
        "Since then, letters of Mrs Ortiz have been read out. One showed Mrs Ortiz pleading.\n"
        "She also urged the union to end the strike.\n"
    )
    assert _first_speakers(text) == ["A spokesman", "Mrs Ortiz"]


def test_he_or_she_after_a_fronted_phrase_is_that_sentences_subject() -> None:
    text = (
        "Port talks\n"
        '"We will talk," Karim Haddad said on Monday.\n'
        "The strike went on. Critics faulted Lena Ortiz for the delay.\n"
        "In response to the pressure, Lena Ortiz recently met the union.\n"
        '"Unity means work," she said.\n'
        "Mr Haddad held talks with his rival, Omar Saleh, and the union leader. He confirmed "
        "that a new round would come in March.\n"
    )
    assert _first_speakers(text) == ["Karim Haddad", "Lena Ortiz", "Karim Haddad"]


def test_a_second_clause_with_its_own_subject_after_and_is_a_second_claim() -> None:
    text = (
        "Port talks\n"
        "Haddad emphasized that the reforms were not complete, and dock unions warned that "
        "the deal gave up leverage.\n"
        "Mr Haddad admitted he was close to the unions, but said the unions were entitled "
        "to a deal.\n"
    )
    assert _speakers(text) == [["Haddad"], ["dock unions"], ["Haddad"]]


def test_a_model_alias_of_a_surname_two_full_names_share_is_not_taken() -> None:
    text = (
        "Port families reunited\n"
        "A year later, Mr. Haddad called Lena Ortiz.\n"
        "Her husband, Omar Ortiz, was free, the mayor told her.\n"
        "Mrs. Ortiz wrote on her page that she was relieved.\n"
    )
    article = _with_named(text, [("omar-ortiz", "Omar Ortiz", "person")])
    names = {a.id: a.name for a in article.actors}
    assert [names[c.speakers[0]] for c in article.claims][-1] != "Omar Ortiz"


def test_the_medium_named_by_its_kind_noun_is_the_one_the_text_introduced() -> None:
    text = (
        "الوفد يصل إلى العاصمة\n"
        "وأورد موقع «النهار نيوز» أن الوفد وصل إلى العاصمة.\n"
        "وقال الموقع إن المحادثات ستبدأ الأحد.\n"
    )
    assert _first_speakers(text) == ["النهار نيوز", "النهار نيوز"]


def test_the_cli_runs_the_rules_strategy_without_a_model(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(EN_TEXT, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["extract", str(path), "--strategy", "rules", "--json", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)  # progress lines go to stderr
    assert len(article["claims"]) == 4 and article["meta"]["strategy"] == "rules"


# Written for this test: French news, with names English rules would take for actors.
FR_TEXT = (
    "Le ministre promet une reprise des négociations\n"
    "Le ministre des Affaires étrangères, Jean-Marc Ayrault, a déclaré mardi que les "
    "négociations avec l'Iran reprendraient la semaine prochaine à Genève.\n"
    "« Nous sommes prêts à signer un accord », a-t-il dit aux journalistes, selon l'AFP.\n"
    "Il doit rencontrer son homologue iranien, Mohammad Javad Zarif, jeudi à Paris.\n"
)


def test_a_language_without_a_pack_gets_no_rules_of_another_and_a_note(tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    path.write_text(FR_TEXT, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["extract", str(path), "--strategy", "rules", "--json", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)
    assert article["language"] == "fr"
    assert article["actors"] == article["claims"] == article["meetings"] == []
    assert any(n.startswith("no cue lexicon for language 'fr'") for n in article["notes"])


def test_the_meta_records_the_package_version_and_the_batch_key_holds_it() -> None:
    from extractor.version import package_version

    extractor = rules()
    article = extractor.extract_article(EN_TEXT)
    assert article.meta is not None and article.meta.version == package_version()
    assert extractor.fingerprint()["version"] == package_version()


def test_an_unknown_strategy_is_a_config_error() -> None:
    from extractor.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown strategy"):
        Extractor(strategy="magic")


INTERVIEW = (
    "Borg: the port will reopen\n"
    "The harbour minister spoke to the Wire on Monday.\n"
    "* When will the port reopen?\n"
    "- We expect it to reopen next week. The unions have agreed.\n"
    "* What about the fishing quotas?\n"
    "- They are on the table. Nothing is decided yet.\n"
    "* Will you meet the union leaders?\n"
    "- Yes, on Thursday.\n"
)


def test_interview_answers_are_the_interviewees_claims() -> None:
    article = rules().extract_article(INTERVIEW)
    names = {a.id: a.name for a in article.actors}
    answers = [c for c in article.claims if not c.evidence.startswith("Borg:")]
    assert [c.evidence for c in answers] == [
        "- We expect it to reopen next week.",
        "The unions have agreed.",
        "- They are on the table.",
        "Nothing is decided yet.",
        "- Yes, on Thursday.",
    ]
    assert {names[s] for c in answers for s in c.speakers} == {"Borg"}
    assert {c.quote for c in answers} == {"direct"}


def test_two_questions_are_not_an_interview() -> None:
    text = INTERVIEW.rsplit("* Will you", 1)[0]
    assert not [c for c in rules().extract_article(text).claims if "table" in c.evidence]


def _speakers(text: str) -> list[list[str]]:
    article = rules().extract_article(text)
    names = {a.id: a.name for a in article.actors}
    return [[names[s] for s in c.speakers] for c in article.claims]


def test_a_name_set_off_by_commas_after_a_title_is_the_speaker() -> None:
    text = "عنوان الخبر\nوقال وزير الخارجية الأردني، سامر الحداد، إن الحدود ستفتح غدا.\n"
    article = rules().extract_article(text)
    (claim,) = article.claims
    (speaker,) = [a for a in article.actors if a.id in claim.speakers]
    assert speaker.name == "سامر الحداد"
    assert speaker.role == "وزير الخارجية الأردني"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a long name with its honorific and lineage set off by commas after the title
        (
            "عنوان الخبر\nوقال وزير الخارجية، الشيخ سامر بن خالد آل حداد، إن الحدود ستفتح.\n",
            "سامر بن خالد آل حداد",
        ),
        # a name first: what the commas set off after it is its title, not the speaker
        (
            "عنوان الخبر\nوقال سامر الحداد، المتحدث باسم هيئة الموانئ الوطنية للشحن البحري، "
            "إن الحدود ستفتح.\n",
            "سامر الحداد",
        ),
    ],
)
def test_only_a_title_takes_a_name_in_apposition(text: str, speaker: str) -> None:
    assert _speakers(text) == [[speaker]]


def test_a_title_and_a_name_in_one_phrase_make_one_person_with_a_role() -> None:
    text = (
        "عنوان الخبر\n"
        "وأكد الرئيس التونسي كمال الهادي أن الاتفاق قريب.\n"
        "وقال جوزيف بورغ المتحدث باسم الحكومة إن الوفد سيصل غدا.\n"
    )
    article = rules().extract_article(text)
    roles = {a.name: a.role for a in article.actors}
    assert _speakers(text) == [["كمال الهادي"], ["جوزيف بورغ"]]
    assert roles["كمال الهادي"] == "الرئيس التونسي"
    assert roles["جوزيف بورغ"] == "المتحدث باسم الحكومة"


def test_an_english_title_before_a_name_is_the_role_not_the_name() -> None:
    text = "Talks\nState Department spokesman Lena Brandt told reporters the talks would go on.\n"
    article = rules().extract_article(text)
    (claim,) = article.claims
    (speaker,) = [a for a in article.actors if a.id in claim.speakers]
    assert (speaker.name, speaker.role) == ("Lena Brandt", "State Department spokesman")


def test_he_said_after_narration_is_the_person_that_narration_opens_with() -> None:
    text = (
        "Talks\n"
        '"The port will reopen," said Lena Brandt, the envoy.\n'
        "The strike had lasted a week.\n"
        "Karim Haddad met the workers on Sunday.\n"
        '"I have seen their anguish," he said.\n'
    )
    assert _speakers(text) == [["Lena Brandt"], ["Karim Haddad"]]


def test_he_is_not_a_person_the_article_calls_mrs() -> None:
    text = (
        "Hostage appeal\n"
        "Karim Haddad flew to Baghdad on Sunday to plead for Lina Brandt.\n"
        "Mrs Brandt has worked in the city for thirty years.\n"
        '"I will do anything I can to help," he said.\n'
    )
    assert _speakers(text) == [["Karim Haddad"]]


def test_a_name_then_an_aside_then_said_is_the_speaker() -> None:
    text = "Talks\nKarim Haddad, a former envoy who led the 2011 talks, said the deal was close.\n"
    assert _speakers(text) == [["Karim Haddad"]]


def test_a_subject_phrase_ends_where_an_object_begins() -> None:
    text = (
        "عنوان الخبر\n"
        "وأقر كمال الهادي بإخفاق المحادثات أمس.\n"
        "وأضاف الهادي والارتياح باد عليه أن الجولة المقبلة قريبة.\n"
    )
    assert _speakers(text) == [["كمال الهادي"], ["كمال الهادي"]]


def test_a_country_named_after_in_is_where_the_meeting_is_not_a_party() -> None:
    text = (
        "Talks\n"
        "Karim Haddad met Lena Brandt in Qatar on Sunday.\n"
        "Karim Haddad will visit Qatar next week.\n"
    )
    article = rules().extract_article(text)
    parties = _parties(article)
    assert ["Karim Haddad", "Lena Brandt"] in parties  # "in Qatar": the place
    assert any("Qatar" in p for p in parties)  # "visit Qatar": the host is a party


def test_a_fronted_clause_is_not_a_speaker_name() -> None:
    text = "Talks\nSpeaking Monday, Karim Haddad, the minister, said the port would reopen.\n"
    assert _speakers(text) != [["Speaking Monday"]]


def test_a_stray_quotation_mark_does_not_hide_the_claims_after_it() -> None:
    text = (
        "Port talks\n"
        'The paper "Malta Today ran the story on Sunday. '
        "Karim Haddad said the port would reopen on Monday.\n"
    )
    assert _speakers(text) == [["Karim Haddad"]]


def test_a_name_after_a_country_possessive_meets_under_its_title() -> None:
    """ "Saudi Arabia's Crown Prince Abdullah …", then "the Crown Prince": one party."""
    text = (
        "Prince visits\n"
        "Saudi Arabia's Crown Prince Abdullah bin Abdul Aziz arrived in Washington on Monday. "
        "Before leaving, the Crown Prince met with President Reagan at the White House.\n"
    )
    article = Extractor(strategy="rules", use_cache=False).extract_article(text)
    parties = _parties(article)
    assert ["Crown Prince Abdullah bin Abdul Aziz", "President Reagan"] in parties, parties


def test_where_two_named_people_meet_they_are_the_parties_not_their_countries() -> None:
    text = (
        "لقاء في نيروبي\n"
        "وقال وزير الخارجية الكيني، سامر الحداد، إن الوفد سيعود.\n"
        "وقال وزير الخارجية الأوغندي، كريم منصور، إن الجولة انتهت.\n"
        "والتقى سامر الحداد نظيره كريم منصور أمس بعد اشتباكات بين قوات كينيا وأوغندا.\n"
    )
    article = rules().extract_article(text)
    parties = _parties(article)
    assert parties == [["سامر الحداد", "كريم منصور"]]


def test_a_surname_written_alone_is_a_mention_of_the_person() -> None:
    text = (
        "Talks in Moscow\n"
        "Secretary of State Karl Brandt arrived in Moscow on Monday. "
        "Foreign Minister Ivan Petrov welcomed the delegation.\n"
        "Petrov met Brandt at the door of the guest house.\n"
    )
    article = rules().extract_article(text)
    parties = _parties(article)
    assert any("Brandt" in " ".join(p) and "Petrov" in " ".join(p) for p in parties), parties


def test_a_lower_case_word_or_another_name_is_not_a_surname_mention() -> None:
    text = (
        "Anthem row\n"
        "Coach Patrick White said every player should stand, black or white.\n"
        "The White House said nothing.\n"
    )
    article = rules().extract_article(text)
    (white,) = [a for a in article.actors if a.name.endswith("Patrick White")]
    assert white.aliases == []


def test_the_medium_told_is_media_and_no_party_to_the_meeting() -> None:
    text = (
        "لقاء في نيروبي\n"
        "وقال سامر الحداد لـ«النهار» إنه التقى كريم منصور أمس.\n"
        "واجتمع سامر الحداد مع كريم منصور بحضور «النهار» في نيروبي.\n"
    )
    article = Extractor(strategy="rules", use_cache=False).extract_article(text)
    kinds = {a.name: a.kind for a in article.actors}
    assert kinds.get("النهار") == "media"
    assert all("النهار" not in p for p in _parties(article))


def test_a_delegation_named_by_its_sides_adjective_does_not_meet_that_side() -> None:
    """ "الوفد الحوثي" and "الحوثيين" in one sentence are one side, not a meeting."""
    text = (
        "جولة جديدة\n"
        "ووصل الوفد الحوثي إلى جنيف أمس لإجراء مشاورات باسم الحوثيين.\n"
        "ويضم الوفد الحوثي خمسة أعضاء.\n"
    )
    article = _with_named(
        text,
        [("delegation", "الوفد الحوثي", "organization"), ("houthis", "الحوثيين", "organization")],
    )
    assert {"الوفد الحوثي", "الحوثيين"} <= {a.name for a in article.actors}
    assert article.meetings == []


def test_a_second_clause_with_he_after_but_is_his_second_claim() -> None:
    text = (
        "Port talks\n"
        "Karim Haddad said the port was shut, but he denied that it was closed for good.\n"
    )
    article = rules().extract_article(text)
    assert [c.evidence for c in article.claims] == [
        "Karim Haddad said the port was shut",
        "but he denied that it was closed for good.",
    ]
    assert _speakers(text) == [["Karim Haddad"], ["Karim Haddad"]]


def test_a_title_alone_that_speaks_is_the_person_the_text_titled_so_before() -> None:
    text = (
        "Port talks\n"
        "Peru's Foreign Minister Karim Haddad met Lena Ortiz on Monday.\n"
        'Asked about the strike, the Foreign Minister, who is here on a visit, replied, "It '
        'is over."\n'
    )
    article = rules().extract_article(text)
    names = {a.id: a.name for a in article.actors}
    assert [[names[s] for s in c.speakers] for c in article.claims] == [
        ["Foreign Minister Karim Haddad"]
    ]
    assert "Foreign Minister" not in names.values()


def test_a_name_also_known_as_another_is_one_actor() -> None:
    text = (
        "Port talks\n"
        "The talks shore up Karim Haddad, also known as Abu Sami, who leads the union.\n"
        "Abu Sami said the port stays open.\n"
    )
    article = rules().extract_article(text)
    haddad = [a for a in article.actors if a.name == "Karim Haddad"]
    assert len(haddad) == 1 and "Abu Sami" in haddad[0].aliases
    assert not [a for a in article.actors if a.name == "Abu Sami"]
    assert article.claims[0].speakers == [haddad[0].id]


def test_a_party_apposition_is_what_a_person_is_not_an_actor() -> None:
    text = (
        "Port talks\n"
        '"It is over," said Representative Karim Haddad, a Lima Democrat who flew to Peru.\n'
    )
    names = [a.name for a in rules().extract_article(text).actors]
    assert "Representative Karim Haddad" in names
    assert not [n for n in names if "Democrat" in n]


def test_a_meeting_has_the_place_after_in_and_the_day_its_sentence_gives() -> None:
    text = (
        "Talks in Lima\n"
        "Published: 2023-10-09\n"
        "Karim Haddad met Lena Ortiz in Peru on Sunday to discuss the port.\n"
    )
    (meeting,) = rules().extract_article(text).meetings
    assert (meeting.location, meeting.date_text, meeting.date) == ("Peru", "Sunday", "2023-10-08")


def test_he_who_meets_is_the_person_who_opened_the_sentence_before() -> None:
    text = (
        "Talks in Lima\n"
        "Karim Haddad arrived in Lima on Monday for a two-day visit.\n"
        "He met Lena Ortiz, the foreign minister, on Tuesday.\n"
    )
    assert _parties(rules().extract_article(text)) == [["Karim Haddad", "Lena Ortiz"]]


def test_he_after_a_fronted_phrase_is_the_subject_too() -> None:
    text = (
        "Talks in Lima\n"
        "Karim Haddad arrived in Lima on Monday for a two-day visit.\n"
        "During his stay, he was also scheduled to meet Lena Ortiz, the foreign minister.\n"
    )
    assert _parties(rules().extract_article(text)) == [["Karim Haddad", "Lena Ortiz"]]


def test_he_is_the_person_after_the_fronted_phrase_of_the_sentence_before() -> None:
    text = (
        "Talks in Lima\n"
        "Ana Brandt arrived in Lima on Monday for a two-day visit.\n"
        "Before meeting Lena Ortiz, Karim Haddad toured the port.\n"
        "During his stay, he was also scheduled to meet Sara Lind, the trade minister.\n"
    )
    parties = _parties(rules().extract_article(text))
    assert parties[-1] == ["Karim Haddad", "Sara Lind"]


def test_a_name_inside_another_name_is_no_party() -> None:
    """ "Aung San" (her father) is named inside "Aung San Suu Kyi", not in the meeting."""
    text = "Visit\nAung San Suu Kyi met Lena Ortiz in Rangoon.\nAung San led the army.\n"
    names = ("Aung San", "Aung San Suu Kyi", "Lena Ortiz")
    article = _with_named(text, [(n, n, "person") for n in names])
    assert _parties(article) == [["Aung San Suu Kyi", "Lena Ortiz"]]


def test_a_common_noun_only_the_model_named_once_is_no_party() -> None:
    """A small model lists "المصالح" (the interests) as an organization: it meets nobody."""
    text = (
        "جولة جديدة\n"
        "وقالت إيران إن ما يهمها في المحادثات هو المصالح الوطنية.\n"
        "وأجرت إيران محادثات مع حماس أمس.\n"
    )
    article = _with_named(
        text, [("interests", "المصالح", "organization"), ("hamas", "حماس", "organization")]
    )
    assert _parties(article) == [["إيران", "حماس"]]


def test_a_person_and_the_country_he_serves_are_one_side() -> None:
    """The minister's aide travelling with him is no meeting of the minister and Kenya."""
    text = "زيارة\nويرافق وزير الخارجية الأردني، سامر الحداد، في هذه الزيارة نائب الوزير.\n"
    article = rules().extract_article(text)
    assert sorted((a.name, a.affiliation or "") for a in article.actors) == [
        ("الأردني", ""),
        ("سامر الحداد", "jordan"),
    ]
    assert _parties(article) == []


def test_a_title_alone_refers_to_the_one_it_announced_in_full() -> None:
    """ "السفيرة الكينية" after "السفيرة الكينية لدى الأمم المتحدة سامية الحداد": her."""
    text = (
        "عنوان\n"
        "وقالت السفيرة الكينية لدى الأمم المتحدة سامية الحداد، إن الجولة انتهت.\n"
        "وشددت السفيرة الكينية على أن الحوار مستمر.\n"
    )
    assert _speakers(text) == [["سامية الحداد"], ["سامية الحداد"]]


def test_one_who_goes_to_talks_by_his_own_account_is_a_party() -> None:
    """ "بحسب ما قاله" names no speaker: he is the sentence's subject, and he meets."""
    text = (
        "جولة جديدة\n"
        "وقال المبعوث سامر الحداد إن الجولة انتهت.\n"
        "وسيذهب الحداد، بحسب ما قاله، إلى عمّان لإجراء مشاورات مع كريم منصور.\n"
    )
    article = rules().extract_article(text)
    assert _speakers(text)[-1] == ["سامر الحداد"]
    assert any("سامر الحداد" in p for p in _parties(article))


def test_two_named_people_meet_though_only_one_was_the_models() -> None:
    """The model named Karim Haddad; "Vice President Lena Ortiz" only capitals name: the
    two people are the parties, not Haddad and the city that stands for his country."""
    text = (
        "Visit\n"
        "Washington is rolling out the red carpet for Haddad, who met with "
        "Vice President Lena Ortiz on Monday.\n"
    )
    article = _with_named(text, [("haddad", "Haddad", "person")])
    assert _parties(article) == [["Haddad", "Vice President Lena Ortiz"]]


def test_an_arabic_body_is_an_actor_and_a_party_only_where_others_are_too_few() -> None:
    text = (
        "جولة جديدة\n"
        "وقالت وزارة الخارجية التونسية إن الميناء مغلق.\n"
        "وعقد مجلس الأمن الدولي اجتماعاً مع تونس ومصر أمس.\n"
        "والتقى مجلس الأمن الدولي الوفد التونسي أمس.\n"
    )
    article = rules().extract_article(text)
    assert {"وزارة الخارجية التونسية", "مجلس الأمن الدولي"} <= {a.name for a in article.actors}
    # the two countries are the parties; the council is one where no one else is
    assert _parties(article) == [["تونس", "مصر"], ["تونس", "مجلس الأمن الدولي"]]


def test_a_place_only_named_as_where_things_happen_is_no_actor() -> None:
    text = "Talks\nKarim Haddad said in Vienna that the port would reopen.\n"
    assert "Austria" not in {a.name_en for a in rules().extract_article(text).actors}


@pytest.mark.parametrize(
    "text",
    [
        "محادثات\nمسقط - «الوكالة»: قال وزير الخارجية سامر الحداد إن الميناء سيفتح.\n",
        "محادثات\nالوكالة - مسقط\n\nقال وزير الخارجية سامر الحداد إن الميناء سيفتح.\n",
        "محادثات\nالقاهرة، مصر (الوكالة) – قال وزير الخارجية سامر الحداد إن الميناء سيفتح.\n",
        "محادثات\nالقاهرة 12 مايو 2020 الوكالة\nقال وزير الخارجية سامر الحداد إن الميناء سيفتح.\n",
    ],
)
def test_the_place_of_a_dateline_or_a_credit_line_is_no_actor(text: str) -> None:
    """Where the story was filed is no one in it."""
    assert [a.name for a in rules().extract_article(text).actors] == ["سامر الحداد"]


def test_a_place_named_in_a_sentence_opening_is_no_dateline() -> None:
    text = "محادثات\nوذكرت الوكالة أمس أن عُمان تدعم الحوار - كما قالت من قبل.\n"
    assert "عُمان" in {a.name for a in rules().extract_article(text).actors}


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("محادثات\nوقال سامر الحداد إن الأزمة السورية طويلة.\n", None),
        ("محادثات\nوقال سامر الحداد إن الأزمة السورية طويلة وإن سوريا تنتظر.\n", "سوريا"),
        ("محادثات\nوقال وزير الخارجية السوري سامر الحداد إن الأزمة طويلة.\n", "السوري"),
        ("محادثات\nوقال سامر الحداد إن السعودية تنتظر.\n", "السعودية"),
    ],
)
def test_a_country_only_written_as_an_adjective_qualifies_a_noun(
    text: str, country: str | None
) -> None:
    """Kept where its name is written too, or where its minister speaks for it."""
    names = {a.name for a in rules().extract_article(text).actors} - {"سامر الحداد"}
    assert names == ({country} if country else set())


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Talks\nKarim Haddad said that British officials would come.\n", None),
        ("Talks\nKarim Haddad said that British officials and Britain agreed.\n", "Britain"),
    ],
)
def test_an_english_demonym_before_its_noun_qualifies_it(text: str, country: str | None) -> None:
    names = {a.name for a in rules().extract_article(text).actors} - {"Karim Haddad"}
    assert names == ({country} if country else set())


@pytest.mark.parametrize(
    "second",
    [
        "كما أوضح أن السفن ستتوقف.",
        "لكنه أضاف أن السفن ستتوقف.",
        "فهو يقول إن السفن ستتوقف.",
        "وتابع قائلا إن السفن ستتوقف.",
        "وأكد مجددا أن السفن ستتوقف.",
        "ونفى بشكل قاطع أن السفن ستتوقف.",
        "وقال قبيل الاجتماع إن السفن ستتوقف.",
    ],
)
def test_a_phrase_that_opens_with_a_function_word_is_the_previous_speaker(second: str) -> None:
    text = f"محادثات\nقال سامر الحداد إن الميناء سيغلق. {second}\n"
    article = rules().extract_article(text)
    assert [a.name for a in article.actors] == ["سامر الحداد"]
    assert [c.speakers for c in article.claims] == [["سامر-الحداد"]] * 2


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("محادثات\nوقال وزير النقل علي حسن إن الميناء سيغلق.\n", "علي حسن"),
        ("Talks\nWHO said on Monday that the port would close.\n", "WHO"),
    ],
)
def test_a_name_the_folding_makes_a_particle_or_an_acronym_still_speaks(
    text: str, name: str
) -> None:
    assert [a.name for a in rules().extract_article(text).actors] == [name]


@pytest.mark.parametrize(
    ("second", "names"),
    [
        ("وقال الحداد في المؤتمر الصحفي إن السفن ستتوقف.", ["سامر الحداد"]),
        ("وقال المتحدث باسم الوزارة سامر الحداد إن السفن ستتوقف.", ["سامر الحداد"]),
        # a spokesman for a body is not the body
        (
            "وقال المتحدث باسم وزارة النقل إن السفن ستتوقف. وأعلنت وزارة النقل ذلك.",
            ["سامر الحداد", "المتحدث باسم وزارة النقل", "وزارة النقل"],
        ),
    ],
)
def test_a_speaker_phrase_holding_another_actors_name_is_that_actor(
    second: str, names: list[str]
) -> None:
    text = f"محادثات\nقال سامر الحداد إن الميناء سيغلق. {second}\n"
    assert [a.name for a in rules().extract_article(text).actors] == names


def test_an_agency_after_an_attribution_word_is_the_agency() -> None:
    text = (
        "محادثات\nقالت وكالة الأنباء الوطنية إن الميناء سيغلق. "
        "وأكد الوزير، حسب وكالة الأنباء الوطنية، أن السفن ستتوقف.\n"
    )
    assert [a.name for a in rules().extract_article(text).actors] == ["وكالة الأنباء الوطنية"]


@pytest.mark.parametrize(
    ("sentence", "name", "role"),
    [
        (
            "وقال رئيس كوريا الجنوبية مون جيه-إن إن الميناء سيغلق.",
            "مون جيه-إن",
            "رئيس كوريا الجنوبية",
        ),
        ("والتقى رئيس جنوب السودان سامر خليل بالوفد أمس.", "سامر خليل", "رئيس جنوب السودان"),
        ("وأعلن المرشد الإيراني، سامر الحداد، أن الميناء سيغلق.", "سامر الحداد", "المرشد الإيراني"),
    ],
)
def test_a_title_with_a_country_after_it_announces_the_name_after_the_country(
    sentence: str, name: str, role: str
) -> None:
    article = rules().extract_article(f"محادثات\n{sentence}\n")
    assert (name, role) in {(a.name, a.role) for a in article.actors}


def test_a_country_its_minister_announces_is_a_party_of_its_own() -> None:
    """The served country counts through its person only where the title names it."""
    text = (
        "جولة جديدة\n"
        "وأعلن وزير الخارجية الإيراني عباس عراقجي، اليوم، أنّ إيران والولايات المتحدة "
        "ستجتمعان في مسقط السبت.\n"
    )
    article = rules().extract_article(text)
    (meeting,) = article.meetings
    names = {a.id: a.name for a in article.actors}
    assert {"إيران", "الولايات المتحدة"} <= {names[p] for p in meeting.participants}
    assert meeting.status == "planned"  # "ستجتمعان": the two will meet


def test_these_people_are_the_group_named_before() -> None:
    text = (
        "Plan\n"
        "People familiar with his thinking say the plan is ready.\n"
        "Mr. Haddad, these people said, would be open to other measures.\n"
    )
    assert _speakers(text) == [["People familiar with his thinking"]] * 2


def test_the_paper_told_is_a_medium_that_relays_and_the_senate_is_not() -> None:
    text = (
        "Visit\n"
        'Karim Haddad spoke on Monday. "The port will reopen," he told the Guardian.\n'
        "Lena Ortiz told the Senate that the port would reopen.\n"
    )
    article = rules().extract_article(text)
    kinds = {a.name: a.kind for a in article.actors}
    assert _speakers(text) == [["Karim Haddad", "the Guardian"], ["Lena Ortiz"]]
    assert kinds["the Guardian"] == "media"


def test_he_said_goes_to_the_person_a_surname_alone_opened_the_sentence_with() -> None:
    text = (
        "Rally\n"
        "Lena Ortiz met Karim Haddad. Ortiz, contradicting him, said the deal was off.\n"
        "But Haddad left for Phoenix. Haddad spoke to a crowd there.\n"
        '"We will build the road!" he said.\n'
    )
    assert _speakers(text)[-1] == ["Karim Haddad"]


def test_a_second_speaker_after_while_gives_a_second_claim() -> None:
    text = (
        "عنوان الخبر\n"
        "وقال الوزير كمال الهادي إن الميناء مغلق، بينما قالت خطيبة الصحفي إنها تعتقد أنه حي. "
        'وأضافت: "لم يقتل".\n'
    )
    article = rules().extract_article(text)
    names = {a.id: a.name for a in article.actors}
    assert [([names[s] for s in c.speakers], c.evidence) for c in article.claims] == [
        (["كمال الهادي"], "وقال الوزير كمال الهادي إن الميناء مغلق"),
        (["خطيبة الصحفي"], "بينما قالت خطيبة الصحفي إنها تعتقد أنه حي."),
        (["خطيبة الصحفي"], 'وأضافت: "لم يقتل".'),  # she goes on, not the minister
    ]


def test_what_a_source_did_not_say_is_no_claim() -> None:
    text = "عنوان الخبر\nولم توضح الحركة فحوى المفاوضات.\nولم يذكر المصدران كيف تمت العملية.\n"
    assert rules().extract_article(text).claims == []


def test_a_search_is_no_talks() -> None:
    text = "عنوان الخبر\nوقال القنصل السعودي إن بلاده تساعد قطر ومصر في البحث عن الصحفي.\n"
    assert rules().extract_article(text).meetings == []


def test_the_source_refers_back_to_an_unnamed_source_of_its_own_number() -> None:
    text = (
        "عنوان الخبر\n"
        "وقالت مصادر مطلعة إن الوفد وصل إلى الميناء.\n"
        "وقال مصدر في الميناء إن السفن تأخرت.\n"
        "وأضافت المصادر أن المحادثات بدأت.\n"
        "وأضاف المصدر أن السفن ستبحر غدا.\n"
    )
    assert _first_speakers(text) == ["مصادر مطلعة", "مصدر في الميناء"] * 2


def test_an_anonymous_official_with_an_aside_speaks_and_is_an_anonymous_actor() -> None:
    text = (
        "Talks\nA senior harbour official, speaking on condition of anonymity, said the two "
        "crews would meet on Friday.\n"
    )
    article = rules().extract_article(text)
    (claim,) = article.claims
    (speaker,) = [a for a in article.actors if a.id in claim.speakers]
    assert speaker.name == "A senior harbour official" and speaker.anonymous


def test_a_title_joined_by_of_stays_with_the_name_and_the_name_alone_is_the_same_person() -> None:
    text = (
        "Talks\nSecretary of State Lena Brandt said the port would reopen.\n"
        "Lena Brandt said the ferries would sail.\n"
    )
    speakers = _speakers(text)
    assert speakers[0] == speakers[1] and speakers[0] != ["State Lena Brandt"]


def test_a_party_and_state_in_parentheses_is_no_part_of_the_speakers_name() -> None:
    text = "Talks\nSenate leader Karim Haddad (R-Ky.) said the port would reopen.\n"
    article = rules().extract_article(text)
    assert _speakers(text) == [["Karim Haddad"]]
    assert not any("(" in a.name or "Ky" in a.name for a in article.actors)


def test_a_credit_line_is_neither_a_claim_nor_a_mention_of_the_unnamed_source() -> None:
    # "المصدر: CNN Arabic" closing a story: "the source" there is the credit, not the
    # unnamed source who spoke above it (issue 28's first-minute error).
    text = (
        "عنوان الخبر\n"
        "وقال أحد المصادر إن المحادثات مستمرة.\n"
        "وتابع المصدر أن الوفد وصل.\n"
        "المصدر: وكالة الأنباء\n"
    )
    article = rules().extract_article(text)
    assert [c.evidence for c in article.claims if "وكالة" in c.evidence] == []
    credit = text.rindex("المصدر")
    for actor in article.actors:
        assert all(not (s <= credit < e) for s, e in actor.mentions), actor.name


def test_a_foreign_surname_spelled_with_the_other_letter_is_the_same_person() -> None:
    text = (
        "عنوان الخبر\nقال الباحث أوليفر ستارج إن المحادثات مثمرة.\nوأضاف ستارغ أن الاتفاق قريب.\n"
    )
    assert _speakers(text) == [["الباحث أوليفر ستارج"], ["الباحث أوليفر ستارج"]]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("لكن مسؤولا في الميناء نفى إغلاق الميناء.", "مسؤولا في الميناء"),
        ("يشار إلى أن وزير النقل عمر حداد قد قال إن الميناء سيغلق.", "عمر حداد"),
        ("أما وزير الزراعة سامر يوسف فقال إن الحصاد جيد.", "سامر يوسف"),
    ],
)
def test_a_subject_that_opens_its_clause_before_the_verb_speaks(
    sentence: str, speaker: str
) -> None:
    text = f"عنوان الخبر\nقال وزير المالية خالد نصار إن الاقتصاد ينمو.\n{sentence}\n"
    assert _speakers(text) == [["خالد نصار"], [speaker]]


@pytest.mark.parametrize(
    ("sentence", "speakers"),
    [
        (
            "وذكرت الإذاعة الوطنية نقلا عن مسؤول رفيع أن الميناء سيغلق.",
            ["مسؤول رفيع", "الإذاعة الوطنية"],
        ),
        (
            "وغادر الوزير المدينة، وفقا لما ذكرته وكالة الأنباء الوطنية (وان).",
            ["وكالة الأنباء الوطنية"],
        ),
        ("وحسب وكالة «الأنباء»، غادر الوزراء المدينة.", ["وكالة «الأنباء»"]),
    ],
)
def test_a_speaker_phrase_keeps_no_relaying_word_verb_or_aside(
    sentence: str, speakers: list[str]
) -> None:
    assert _speakers(f"عنوان الخبر\n{sentence}\n") == [speakers]


@pytest.mark.parametrize(
    ("sentence", "speakers"),
    [
        ("وقال الأمين العام لمنظمة دول البحر الأحمر، عمر حداد، إن الميناء سيغلق.", ["عمر حداد"]),
        # a source relayed after عن is no title's complement
        (
            "ونقلت وكالة الأنباء عن المتحدث باسم هيئة الميناء، عمر حداد، إن الميناء سيغلق.",
            ["عمر حداد", "وكالة الأنباء"],
        ),
    ],
)
def test_a_title_complement_of_several_words_runs_to_the_name(
    sentence: str, speakers: list[str]
) -> None:
    assert _speakers(f"عنوان الخبر\n{sentence}\n") == [speakers]


@pytest.mark.parametrize("noun", ["ضرورة أن تبقى السفن في البحر", "أهمية الحوار بين الطرفين"])
def test_a_noun_of_necessity_after_the_verb_is_its_object(noun: str) -> None:
    text = f"عنوان الخبر\nقال وزير النقل عمر حداد إن الميناء سيغلق.\nوأكد {noun}.\n"
    assert _speakers(text) == [["عمر حداد"], ["عمر حداد"]]


def test_an_ambassador_to_a_body_is_one_title_before_the_name() -> None:
    text = "عنوان الخبر\nوقالت سفيرة كندا لدى الأمم المتحدة سارة كامل إن الميناء سيغلق.\n"
    assert _speakers(text) == [["سارة كامل"]]


def test_a_name_link_cut_at_the_phrase_length_takes_its_name() -> None:
    text = (
        "عنوان الخبر\n"
        "وقال وزير الخارجية القطري الأسبق الشيخ سالم بن خالد آل حداد في الدوحة إن الميناء سيغلق.\n"
    )
    assert _speakers(text) == [["سالم بن خالد آل حداد"]]


def test_a_relative_clause_on_the_title_runs_to_the_name() -> None:
    text = (
        "عنوان الخبر\n"
        "وقال المتحدث باسم الهيئة التي تدير الميناء منذ سنوات، عمر حداد، إن السفن ستبحر.\n"
    )
    assert _speakers(text) == [["عمر حداد"]]


def test_a_title_set_off_after_a_relative_clause_is_no_name() -> None:
    text = (
        "عنوان الخبر\n"
        "ووصف مسؤول المحادثات التي عقدت في المدينة مع سارة كامل، نائبة الوزير، بأنها مهمة.\n"
    )
    assert ["نائبة الوزير"] not in _speakers(text)


def test_a_family_name_written_first_alone_is_the_person() -> None:
    text = (
        "عنوان الخبر\n"
        "قال الرئيس الكوري مون جيه-إن إن المحادثات مثمرة.\n"
        "وأضاف مون أن الاتفاق قريب.\n"
    )
    assert _speakers(text) == [["مون جيه-إن"], ["مون جيه-إن"]]
