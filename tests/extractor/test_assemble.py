"""Specification of assembly: every draft item is grounded, repaired with a note, or rejected."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.lang.detect import detect_language
from extractor.models import Article
from extractor.strategies.assemble import assemble
from extractor.strategies.drafts import ActorsDraft, ChunkDraft, EventsDraft
from extractor.text.grounding import TextIndex
from extractor.text.headlines import title_of
from extractor.text.normalize import normalize
from extractor.text.segment import Segment, split_articles, split_sentences

AR_TEXT = (
    "وزير الخارجية يلتقي وفد حركة النور في الدوحة\n"
    "قال وزير الخارجية سامر الحداد إن المحادثات مع وزارة الخارجية القطرية ستبدأ الأحد.\n"
    "والتقى الحداد بوفد من حركة النور في الدوحة بوساطة من وزارة الخارجية القطرية.\n"
    "وأضاف الحداد أن الوفد سيعود إلى العاصمة غدا.\n"
)
#  sentence 1: the headline; 2: the minister's claim; 3: the meeting; 4: another claim

EN_TEXT = (
    "Envoy meets port union leaders\n"
    "Published: 3 May 2021\n"
    "The harbour envoy Lena Brandt said on Monday that talks with the dock union would resume.\n"
    "Brandt met union leaders in Rotterdam on Sunday.\n"
)


def _actor(aid: str, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": aid,
        "name": name,
        "name_en": extra.pop("name_en", name),
        "kind": extra.pop("kind", "person"),
        **extra,
    }


def _claim(speakers: list[str], sentence: int, **extra: Any) -> dict[str, Any]:
    return {
        "speakers": speakers,
        "statement": extra.pop("statement", "s"),
        "sentence": sentence,
        "quote": extra.pop("quote", "indirect"),
        **extra,
    }


def _meeting(participants: list[str], sentence: int, **extra: Any) -> dict[str, Any]:
    return {
        "participants": participants,
        "status": extra.pop("status", "held"),
        "sentence": sentence,
        **extra,
    }


def _chunk_draft(data: dict[str, Any]) -> ChunkDraft:
    """A chunk's two answers, validated as the LLM's would be."""
    one = ActorsDraft.model_validate(
        {k: v for k, v in data.items() if k in ("outlet", "dateline", "actors")}
    )
    two = EventsDraft.model_validate({k: v for k, v in data.items() if k in ("claims", "meetings")})
    return ChunkDraft(
        outlet=one.outlet,
        dateline=one.dateline,
        actors=one.actors,
        claims=two.claims,
        meetings=two.meetings,
    )


def _build(
    text: str, *drafts: dict[str, Any], published: str | None = None, segment: Segment | None = None
) -> Article:
    segment = segment or split_articles(text)[0]
    sentences = split_sentences(text, segment)
    parsed = [_chunk_draft(d) for d in drafts]
    article = assemble(TextIndex(text), segment, sentences, parsed, published=published)
    Article.model_validate(article.model_dump())  # references and shapes still hold
    return article


def _by_id(article: Article) -> dict[str, Any]:
    return {a.id: a for a in article.actors}


HADDAD = _actor(
    "haddad", "سامر الحداد", name_en="Samer al-Haddad", role="وزير الخارجية", aliases=["الحداد"]
)
NOUR = _actor("nour", "حركة النور", kind="organization")
MOFA = _actor("mofa", "وزارة الخارجية القطرية", kind="organization")


class TestActors:
    def test_names_are_grounded_verbatim_with_mentions(self) -> None:
        article = _build(AR_TEXT, {"actors": [HADDAD, NOUR]})
        haddad = _by_id(article)["haddad"]
        assert haddad.name == "سامر الحداد" and haddad.alignment == "exact"
        assert haddad.aliases == ["الحداد"]
        spans = haddad.mentions
        assert [AR_TEXT[s:e] for s, e in spans] == ["سامر الحداد", "الحداد", "الحداد"]
        assert spans == sorted(spans)

    def test_mentions_do_not_overlap(self) -> None:
        article = _build(AR_TEXT, {"actors": [HADDAD]})
        spans = _by_id(article)["haddad"].mentions
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))

    def test_a_respelled_name_takes_the_text_spelling_with_a_note(self) -> None:
        draft = _actor("mofa", "وزاره الخارجيه القطريه", kind="organization")
        mofa = _by_id(_build(AR_TEXT, {"actors": [draft]}))["mofa"]
        assert mofa.name == "وزارة الخارجية القطرية"
        assert mofa.alignment == "normalized"
        assert mofa.note and "taken as written" in mofa.note
        assert len(mofa.mentions) == 2

    def test_every_name_and_mention_is_in_the_text(self) -> None:
        article = _build(AR_TEXT, {"actors": [HADDAD, NOUR, MOFA]})
        for actor in article.actors:
            assert actor.name in AR_TEXT
            for s, e in actor.mentions:
                assert normalize(AR_TEXT[s:e]) in {
                    normalize(actor.name),
                    *map(normalize, actor.aliases),
                }

    def test_a_name_not_in_the_text_is_rejected_with_a_reason(self) -> None:
        ghost = _actor("ghost", "خالد المنصوري")
        article = _build(AR_TEXT, {"actors": [HADDAD, ghost]})
        assert "ghost" not in _by_id(article)
        (rejected,) = article.rejected
        assert rejected.kind == "actor"
        assert rejected.reason == "name not found in the text"
        assert rejected.item["name"] == "خالد المنصوري"

    def test_an_alias_can_ground_an_actor_whose_name_is_missing(self) -> None:
        draft = _actor("haddad", "سامر عادل الحداد", aliases=["سامر الحداد"])
        haddad = _by_id(_build(AR_TEXT, {"actors": [draft]}))["haddad"]
        assert haddad.name == "سامر الحداد"
        assert haddad.note and "used alias" in haddad.note

    def test_affiliation_to_an_unknown_id_is_cleared_with_a_note(self) -> None:
        draft = {**HADDAD, "affiliation": "nowhere"}
        haddad = _by_id(_build(AR_TEXT, {"actors": [draft]}))["haddad"]
        assert haddad.affiliation is None
        assert haddad.note and "'nowhere'" in haddad.note and "cleared" in haddad.note

    def test_affiliation_to_a_known_actor_is_kept(self) -> None:
        draft = {**HADDAD, "affiliation": "mofa"}
        article = _build(AR_TEXT, {"actors": [draft, MOFA]})
        assert _by_id(article)["haddad"].affiliation == "mofa"

    def test_the_same_actor_in_two_chunks_is_one_record(self) -> None:
        other = {**HADDAD, "id": "minister"}
        article = _build(
            AR_TEXT,
            {"actors": [HADDAD]},
            {"actors": [other, NOUR], "claims": [_claim(["minister"], 4)]},
        )
        assert [a.id for a in article.actors] == ["haddad", "nour"]
        assert article.claims[0].speakers == ["haddad"]


class TestClaims:
    def test_claim_evidence_is_its_sentence(self) -> None:
        article = _build(AR_TEXT, {"actors": [HADDAD], "claims": [_claim(["haddad"], 2)]})
        (claim,) = article.claims
        s, e = claim.span
        assert AR_TEXT[s:e] == claim.evidence
        assert claim.evidence.startswith("قال وزير الخارجية سامر الحداد")

    def test_claim_citing_a_rejected_actor_is_rejected(self) -> None:
        ghost = _actor("ghost", "خالد المنصوري")
        article = _build(AR_TEXT, {"actors": [HADDAD, ghost], "claims": [_claim(["ghost"], 4)]})
        assert article.claims == []
        rejected = [r for r in article.rejected if r.kind == "claim"]
        assert len(rejected) == 1 and "no speaker" in rejected[0].reason

    def test_claim_keeps_its_known_speakers_only(self) -> None:
        ghost = _actor("ghost", "خالد المنصوري")
        article = _build(
            AR_TEXT, {"actors": [HADDAD, ghost], "claims": [_claim(["ghost", "haddad"], 4)]}
        )
        assert article.claims[0].speakers == ["haddad"]

    def test_duplicate_claims_on_one_sentence_merge_speakers(self) -> None:
        article = _build(
            AR_TEXT,
            {
                "actors": [HADDAD, MOFA],
                "claims": [_claim(["haddad"], 2), _claim(["mofa", "haddad"], 2)],
            },
        )
        (claim,) = article.claims
        assert claim.speakers == ["haddad", "mofa"]

    def test_sentence_number_out_of_range_is_rejected(self) -> None:
        article = _build(AR_TEXT, {"actors": [HADDAD], "claims": [_claim(["haddad"], 99)]})
        assert article.claims == []
        assert article.rejected[0].reason == "sentence number out of range"

    def test_claims_come_in_sentence_order(self) -> None:
        article = _build(
            AR_TEXT, {"actors": [HADDAD], "claims": [_claim(["haddad"], 4), _claim(["haddad"], 2)]}
        )
        starts = [c.span[0] for c in article.claims]
        assert starts == sorted(starts)


class TestMeetings:
    def test_meeting_is_grounded_to_its_sentence(self) -> None:
        article = _build(
            AR_TEXT,
            {
                "actors": [HADDAD, NOUR],
                "meetings": [_meeting(["haddad", "nour"], 3, location="الدوحة")],
            },
        )
        (meeting,) = article.meetings
        assert meeting.participants == ["haddad", "nour"]
        assert meeting.location == "الدوحة"
        assert AR_TEXT[meeting.span[0] : meeting.span[1]] == meeting.evidence
        assert meeting.note is None

    def test_fewer_than_two_known_participants_is_rejected(self) -> None:
        ghost = _actor("ghost", "خالد المنصوري")
        article = _build(
            AR_TEXT, {"actors": [HADDAD, ghost], "meetings": [_meeting(["haddad", "ghost"], 3)]}
        )
        assert article.meetings == []
        rejected = [r for r in article.rejected if r.kind == "meeting"]
        assert len(rejected) == 1 and "two participants" in rejected[0].reason

    def test_the_same_meeting_twice_is_one_record(self) -> None:
        article = _build(
            AR_TEXT,
            {
                "actors": [HADDAD, NOUR, MOFA],
                "meetings": [
                    _meeting(["haddad", "nour"], 3),
                    _meeting(
                        ["nour", "haddad"],
                        3,
                        location="الدوحة",
                        mediators=["mofa"],
                        topic="المحادثات",
                    ),
                ],
            },
        )
        (meeting,) = article.meetings
        assert meeting.location == "الدوحة"
        assert meeting.mediators == ["mofa"]
        assert meeting.topic == "المحادثات"

    def test_a_mediator_makes_the_format_indirect(self) -> None:
        article = _build(
            AR_TEXT,
            {
                "actors": [HADDAD, NOUR, MOFA],
                "meetings": [_meeting(["haddad", "nour"], 3, mediators=["mofa"])],
            },
        )
        assert article.meetings[0].format == "indirect"

    def test_a_mediator_who_is_a_participant_is_not_a_mediator(self) -> None:
        article = _build(
            AR_TEXT,
            {
                "actors": [HADDAD, NOUR],
                "meetings": [_meeting(["haddad", "nour"], 3, mediators=["nour"])],
            },
        )
        assert article.meetings[0].mediators == []

    def test_date_is_resolved_from_date_text_against_published(self) -> None:
        article = _build(
            AR_TEXT,
            {
                "actors": [HADDAD, MOFA],
                "meetings": [_meeting(["haddad", "mofa"], 2, date_text="الأحد")],
            },
            published="2023-10-09",
        )
        (meeting,) = article.meetings
        assert meeting.date_text == "الأحد"
        assert meeting.date == "2023-10-08"
        assert article.published == "2023-10-09"

    def test_date_stays_null_without_published(self) -> None:
        article = _build(
            AR_TEXT,
            {
                "actors": [HADDAD, MOFA],
                "meetings": [_meeting(["haddad", "mofa"], 2, date_text="الأحد")],
            },
        )
        assert article.published is None
        assert article.meetings[0].date is None

    def test_published_is_found_in_the_header(self) -> None:
        brandt = _actor("brandt", "Lena Brandt", aliases=["Brandt"])
        union = _actor("union", "union leaders", kind="group", anonymous=True)
        article = _build(
            EN_TEXT,
            {
                "actors": [brandt, union],
                "meetings": [
                    _meeting(["brandt", "union"], 4, date_text="on Sunday", location="Rotterdam")
                ],
            },
        )
        assert article.published == "2021-05-03"  # a Monday
        assert article.meetings[0].date == "2021-05-02"

    def test_an_ungrounded_location_is_dropped_with_a_note(self) -> None:
        article = _build(
            AR_TEXT,
            {
                "actors": [HADDAD, NOUR],
                "meetings": [_meeting(["haddad", "nour"], 3, location="باريس")],
            },
        )
        (meeting,) = article.meetings
        assert meeting.location is None
        assert meeting.note and "باريس" in meeting.note and "dropped" in meeting.note

    def test_the_note_survives_when_a_duplicate_meeting_merges(self) -> None:
        article = _build(
            AR_TEXT,
            {
                "actors": [HADDAD, NOUR],
                "meetings": [
                    _meeting(["haddad", "nour"], 3),
                    _meeting(["haddad", "nour"], 3, location="باريس"),
                ],
            },
        )
        (meeting,) = article.meetings
        assert meeting.location is None
        assert meeting.note and "باريس" in meeting.note

    def test_an_ungrounded_date_text_is_dropped_with_a_note(self) -> None:
        article = _build(
            AR_TEXT,
            {
                "actors": [HADDAD, NOUR],
                "meetings": [_meeting(["haddad", "nour"], 3, date_text="الخميس الماضي")],
            },
            published="2023-10-09",
        )
        (meeting,) = article.meetings
        assert meeting.date_text is None and meeting.date is None
        assert meeting.note and "date_text" in meeting.note


class TestArticle:
    def test_title_is_the_first_line(self) -> None:
        article = _build(AR_TEXT, {})
        assert article.title == "وزير الخارجية يلتقي وفد حركة النور في الدوحة"

    def test_title_skips_leading_blank_lines_and_is_none_when_too_long(self) -> None:
        text = "\n\n  Short headline  \nBody."
        assert title_of(text, Segment(0, len(text))) == "Short headline"
        long_line = "word " * 60 + "\nBody."
        assert title_of(long_line, Segment(0, len(long_line))) is None

    @pytest.mark.parametrize(("text", "language"), [(AR_TEXT, "ar"), (EN_TEXT, "en")])
    def test_language_is_detected(self, text: str, language: str) -> None:
        assert _build(text, {}).language == language
        assert detect_language(text) == language

    def test_language_of_text_without_letters_is_undetermined(self) -> None:
        assert detect_language("12345 -- 678") == "und"

    def test_span_is_the_segment(self) -> None:
        segment = split_articles(EN_TEXT)[0]
        assert _build(EN_TEXT, {}).span == (segment.start, segment.end)

    def test_outlet_and_dateline_are_grounded_or_noted(self) -> None:
        article = _build(AR_TEXT, {"outlet": "رويترز", "dateline": "الدوحة"})
        assert article.outlet is None
        assert any("رويترز" in note for note in article.notes)
        assert article.dateline == "الدوحة"

    def test_segment_notes_are_kept(self) -> None:
        text = (
            "Ferry port to open next spring\n"
            "The mayor said the port was ready.\n"
            "Read also:\n"
            "Bridge repairs finish early\n"
        )
        article = _build(text, {})
        assert any("Bridge repairs finish early" in note for note in article.notes)

    def test_items_outside_the_segment_are_not_grounded(self) -> None:
        text = AR_TEXT + "\nRelated:\nAnother story\n" + " ".join(["word"] * 30) + " Zed.\n"
        main, second = split_articles(text)
        assert second.start > main.end
        article = _build(text, {"actors": [_actor("zed", "Zed")]}, segment=main)
        assert article.actors == []
        assert article.rejected[0].kind == "actor"
