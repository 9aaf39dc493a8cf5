"""Specification of the scorer (RECORDS.md §3) on small hand-made texts.

Every expected number is computed by hand in a comment next to it, so a change
in the scorer's arithmetic shows up as a disagreement with the spec, not as a
new snapshot.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from evals import scoring
from evals.counts import prf
from evals.gold import Case, GoldDocument, parse_document
from evals.pairing import (
    actor_forms,
    actor_similarity,
    evidence_span,
    pair_articles,
    span_iou,
    text_agrees,
)
from evals.scoring import DocScore
from evals.stats import bootstrap_diff
from extractor.models import Actor, Article, Document
from extractor.text.grounding import TextIndex


def forms(*args: Any, **kwargs: Any) -> list[str]:
    return actor_forms(Actor.model_validate(actor(*args, **kwargs)))


def _pred(data: Any) -> Document | None:
    """A hand-written prediction as the harness reads one: invalid -> None."""
    return None if data is None else parse_document(data)


def score_document(gold: dict[str, Any], pred: Any, text: str) -> DocScore:
    return scoring.score_document(GoldDocument.model_validate(gold), _pred(pred), text)


def score_corpus(triples: Sequence[tuple[dict[str, Any], Any, str]]) -> dict[str, Any]:
    """Gold as the harness loads a gold file (`GoldDocument`: scope and pronoun flags)."""
    return scoring.score_corpus(
        [Case(GoldDocument.model_validate(g), _pred(p), t) for g, p, t in triples]
    )


# --------------------------------------------------------------------------- builders


def actor(
    aid: str,
    name: str,
    name_en: str | None = None,
    kind: str = "person",
    affiliation: str | None = None,
    aliases: tuple[str, ...] = (),
    role: str | None = None,
    anonymous: bool = False,
) -> dict[str, Any]:
    return {
        "id": aid,
        "name": name,
        "name_en": name_en or name,
        "kind": kind,
        "role": role,
        "affiliation": affiliation,
        "anonymous": anonymous,
        "aliases": list(aliases),
    }


def claim(speakers: list[str], evidence: str, quote: str = "indirect") -> dict[str, Any]:
    return {"speakers": speakers, "statement": evidence, "evidence": evidence, "quote": quote}


def meeting(
    participants: list[str],
    evidence: str,
    mediators: tuple[str, ...] = (),
    status: str = "held",
    fmt: str = "direct",
    date: str | None = None,
    location: str | None = None,
) -> dict[str, Any]:
    return {
        "participants": participants,
        "mediators": list(mediators),
        "status": status,
        "format": fmt,
        "date": date,
        "date_text": None,
        "location": location,
        "topic": None,
        "evidence": evidence,
    }


def article(
    actors: Sequence[dict],
    claims: Sequence[dict] = (),
    meetings: Sequence[dict] = (),
    title: str | None = "Title",
    language: str = "en",
) -> dict[str, Any]:
    return {
        "title": title,
        "published": "2024-01-02",
        "outlet": "Wire",
        "dateline": None,
        "language": language,
        "actors": list(actors),
        "claims": list(claims),
        "meetings": list(meetings),
    }


def doc(doc_id: str, articles: list[dict], language: str = "en") -> dict[str, Any]:
    return {"id": doc_id, "text_file": f"{doc_id}.txt", "language": language, "articles": articles}


# --------------------------------------------------------------------------- fixtures

TEXT = (
    "Blinken met Hamas leaders in Doha on Sunday. "
    "A senior US official said the talks were moving fast. "
    "Qatar said it would keep mediating. "
    "Egypt hosted Israel and Hamas in Cairo."
)
OFFICIAL_EV = "A senior US official said the talks were moving fast."
QATAR_EV = "Qatar said it would keep mediating."
MEET_EV = "Blinken met Hamas leaders in Doha on Sunday."
CAIRO_EV = "Egypt hosted Israel and Hamas in Cairo."


def base_actors() -> list[dict]:
    return [
        actor("blinken", "Blinken", "Antony Blinken", affiliation="usa"),
        actor("hamas", "Hamas", kind="organization"),
        actor("hamas-leaders", "Hamas leaders", kind="group", affiliation="hamas", anonymous=True),
        actor("usa", "US", "United States", kind="country"),
        actor(
            "official",
            "A senior US official",
            "senior US official",
            affiliation="usa",
            anonymous=True,
        ),
        actor("qatar", "Qatar", kind="country"),
    ]


def base_gold() -> dict:
    return doc(
        "d1",
        [
            article(
                base_actors(),
                [claim(["official"], OFFICIAL_EV), claim(["qatar"], QATAR_EV)],
                [meeting(["blinken", "hamas-leaders"], MEET_EV, location="Doha")],
            )
        ],
    )


def headline_of(scores: dict) -> float:
    return scores["headline_f1"]


# --------------------------------------------------------------------------- conventions


def test_prf_zero_over_zero_convention() -> None:
    # Nothing expected, nothing predicted: perfect.
    assert prf(0, 0, 0) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    # Predictions against empty gold: recall 0/0 -> 0, precision 0/2 = 0.
    assert prf(0, 2, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    # Empty prediction against gold: precision 0/0 -> 0.
    assert prf(0, 0, 3) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    # 2 tp, 1 fp, 2 fn: P = 2/3, R = 2/4, F1 = 4/7.
    assert prf(2, 1, 2) == pytest.approx({"precision": 2 / 3, "recall": 0.5, "f1": 4 / 7})


def test_text_agrees() -> None:
    assert text_agrees(None, None)
    assert not text_agrees("Doha", None)
    assert text_agrees("الدوحة", "الدوحه")  # ة/ه folded
    assert text_agrees("Doha", "doha ")
    # ratio("doha, qatar", "doha") = 2*4/15 = 0.53 < 0.85
    assert not text_agrees("Doha, Qatar", "Doha")


# --------------------------------------------------------------------------- whole documents


def test_perfect_prediction_scores_one_everywhere() -> None:
    gold = base_gold()
    scores = score_corpus([(gold, copy.deepcopy(gold), TEXT)])
    assert headline_of(scores) == 1.0
    for kind in ("actors", "claims", "meetings"):
        assert scores[kind]["precision"] == scores[kind]["recall"] == scores[kind]["f1"] == 1.0
    assert scores["actors"]["kind_acc"] == scores["actors"]["affiliation_acc"] == 1.0
    assert scores["actors"]["role_acc"] == scores["actors"]["anonymous_acc"] == 1.0
    assert scores["claims"]["attributed_f1"] == scores["claims"]["quote_acc"] == 1.0
    for key in ("status_acc", "format_acc", "date_acc", "location_acc", "mediators_f1"):
        assert scores["meetings"][key] == 1.0
    assert scores["articles"] == {
        "gold": 1,
        "predicted": 1,
        "paired": 1,
        "title_acc": 1.0,
        "published_acc": 1.0,
        "outlet_acc": 1.0,
    }
    assert scores["grounding_rate"] == 1.0
    assert scores["invalid_rate"] == 0.0
    assert scores["n_documents"] == 1
    assert set(scores["by_language"]) == {"en"}
    assert scores["by_language"]["en"]["headline_f1"] == 1.0
    json.dumps(scores, allow_nan=False)  # the run file must be plain JSON


def test_missing_prediction_is_empty_and_invalid() -> None:
    gold = base_gold()
    scores = score_corpus([(gold, None, TEXT)])
    for kind in ("actors", "claims", "meetings"):
        assert scores[kind]["recall"] == 0.0
        assert scores[kind]["precision"] == 0.0  # 0/0 with gold present -> 0
    # 6 actors, 2 claims, 1 meeting all missed
    assert (scores["actors"]["fn"], scores["claims"]["fn"], scores["meetings"]["fn"]) == (6, 2, 1)
    assert scores["invalid_rate"] == 1.0
    assert scores["actors"]["kind_acc"] is None  # no matched pairs -> null
    assert scores["meetings"]["date_acc"] is None
    assert scores["articles"]["title_acc"] == 0.0  # main article unpaired
    assert scores["grounding_rate"] is None  # nothing predicted to ground
    assert scores["per_document"]["d1"]["actors"]["missed"][0] == "Blinken"


def test_invalid_rate_counts_only_failed_outputs() -> None:
    gold, other = base_gold(), copy.deepcopy(base_gold())
    other["id"] = "d2"
    empty_but_valid = {"id": "d2", "articles": []}
    scores = score_corpus([(gold, {"articles": "oops"}, TEXT), (other, empty_but_valid, TEXT)])
    assert scores["invalid_rate"] == 0.5  # 1 of 2 documents
    assert scores["per_document"]["d1"]["invalid"] is True
    assert scores["per_document"]["d2"]["invalid"] is False


def test_exact_counts_with_false_positives_and_negatives() -> None:
    gold = base_gold()
    gold["articles"][0]["meetings"].append(meeting(["egypt", "israel"], CAIRO_EV))
    gold["articles"][0]["actors"] += [
        actor("egypt", "Egypt", kind="country"),
        actor("israel", "Israel", kind="country"),
    ]
    # gold: 8 actors, 2 claims, 2 meetings
    pred = doc(
        "d1",
        [
            article(
                [
                    actor("p1", "Blinken"),  # tp
                    actor("p2", "Hamas leaders"),  # tp
                    actor("p3", "A senior US official"),  # tp
                    actor("p4", "Egypt"),  # tp
                    actor("p5", "Israel"),  # tp
                    actor("p6", "Jordan"),  # fp
                ],
                [claim(["p3"], OFFICIAL_EV)],  # tp; the Qatar claim is fn
                [
                    meeting(["p1", "p2"], MEET_EV),  # tp
                    meeting(["p4", "p5"], CAIRO_EV),  # tp
                    meeting(["p6", "p1"], QATAR_EV),  # fp: Jordan is nobody, Jaccard 1/3
                ],
            )
        ],
    )
    s = score_corpus([(gold, pred, TEXT)])
    # actors: tp 5, fp 1, fn 3 (Hamas, US, Qatar) -> P 5/6, R 5/8, F1 10/14 = 5/7
    assert (s["actors"]["tp"], s["actors"]["fp"], s["actors"]["fn"]) == (5, 1, 3)
    assert s["actors"]["precision"] == pytest.approx(5 / 6)
    assert s["actors"]["recall"] == pytest.approx(5 / 8)
    assert s["actors"]["f1"] == pytest.approx(5 / 7)
    # claims: tp 1, fp 0, fn 1 -> P 1, R 1/2, F1 2/3
    assert s["claims"]["f1"] == pytest.approx(2 / 3)
    assert s["claims"]["precision"] == 1.0
    # meetings: tp 2, fp 1, fn 0 -> P 2/3, R 1, F1 4/5
    assert s["meetings"]["f1"] == pytest.approx(4 / 5)
    # headline = (5/7 + 2/3 + 4/5) / 3 = (75 + 70 + 84) / 105 / 3 = 229/315
    assert s["headline_f1"] == pytest.approx(229 / 315)
    per_doc = s["per_document"]["d1"]
    assert sorted(per_doc["actors"]["missed"]) == ["Hamas", "Qatar", "US"]
    assert per_doc["actors"]["spurious"] == ["Jordan"]
    assert per_doc["claims"]["missed"] == [QATAR_EV]
    assert per_doc["meetings"]["spurious"] == ["Jordan + Blinken"]
    # affiliation accuracy: predictions carry no affiliation; gold blinken, hamas-leaders and
    # official have one -> 2 of 5 matched pairs (Egypt, Israel) agree on null.
    assert s["actors"]["affiliation_acc"] == pytest.approx(2 / 5)
    # anonymous: Hamas leaders and the official are anonymous in gold -> 3 of 5 agree.
    assert s["actors"]["anonymous_acc"] == pytest.approx(3 / 5)


def test_micro_average_pools_counts_across_documents() -> None:
    g1 = doc("a", [article([actor("x", "Qatar")])])
    g2 = doc("b", [article([actor("x", "Egypt"), actor("y", "Israel"), actor("z", "Jordan")])])
    p1 = copy.deepcopy(g1)
    p2 = doc("b", [article([])])
    s = score_corpus([(g1, p1, TEXT), (g2, p2, TEXT)])
    # pooled actors: tp 1, fp 0, fn 3 -> P 1, R 1/4, F1 2/5 (a macro mean would give 1/2)
    assert s["actors"]["f1"] == pytest.approx(0.4)
    assert s["actors"]["recall"] == pytest.approx(0.25)


# --------------------------------------------------------------------------- actors


@pytest.mark.parametrize(
    ("gold_name", "pred_name"),
    [
        ("أحمد الشرع", "احمد الشرع"),  # أ / ا
        ("الجزيرة", "الجزيره"),  # ة / ه
        ("مصطفى", "مصطفي"),  # ى / ي
        ("محمد", "مُحَمَّد"),  # diacritics
        ("الأمم المتحدة", "الامم المتحده"),  # several at once
        ("Ahmed  Al-Sharaa", "ahmed al-sharaa"),  # case and whitespace
    ],
)
def test_arabic_spelling_variants_match(gold_name: str, pred_name: str) -> None:
    sim = actor_similarity(forms("p", pred_name), forms("g", gold_name))
    assert sim == 1.0
    gold = doc("ar", [article([actor("g", gold_name)], language="ar")], language="ar")
    pred = doc("ar", [article([actor("p", pred_name)], language="ar")], language="ar")
    s = score_document(gold, pred, "نص")
    assert s.counts["actors"].tp == 1


def test_different_actors_do_not_match() -> None:
    assert actor_similarity(forms("p", "قطر"), forms("g", "مصر")) < 0.85


def test_actor_matches_through_name_en_and_aliases() -> None:
    gold = actor("g", "أنتوني بلينكن", "Antony Blinken", aliases=("بلينكن",))
    assert (
        actor_similarity(
            forms("p", "Blinken", "Antony Blinken"), actor_forms(Actor.model_validate(gold))
        )
        == 1.0
    )
    assert (
        actor_similarity(forms("p", "بلينكن", "Blinkin"), actor_forms(Actor.model_validate(gold)))
        == 1.0
    )


def test_subset_names_prefer_the_closer_gold_actor() -> None:
    # token_set_ratio("hamas", "hamas leaders") is 100, so both gold actors tie for
    # both predictions; the tie-break must pair each with its exact namesake.
    gold = doc("d", [article([actor("g1", "Hamas leaders"), actor("g2", "Hamas")])])
    pred = doc("d", [article([actor("p2", "Hamas"), actor("p1", "Hamas leaders")])])
    s = score_document(gold, pred, TEXT)
    pairs = {(m["pred"], m["gold"]) for m in s.listing.matched["actors"]}
    assert pairs == {("Hamas", "Hamas"), ("Hamas leaders", "Hamas leaders")}


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_an_alias_equal_to_one_gold_name_pairs_by_the_name_in_any_order(order) -> None:
    """One prediction "Israel" (alias "The Israelis") and gold "Israel" and "The
    Israelis": it pairs with Israel, however the gold actors are listed."""
    golds = [actor("g1", "Israel"), actor("g2", "The Israelis")]
    gold = doc("d", [article([golds[i] for i in order])])
    pred = doc("d", [article([actor("p", "Israel", aliases=("The Israelis", "Israelis"))])])
    s = score_document(gold, pred, TEXT)
    assert [(m["pred"], m["gold"]) for m in s.listing.matched["actors"]] == [("Israel", "Israel")]


# --------------------------------------------------------------------------- claims


CLAIM_TEXT = (
    "The minister said on Monday that the talks with Hamas would resume in Cairo next week."
)
GOLD_EV = "the talks with Hamas would resume in Cairo next week"  # [33, 85), 52 chars


def one_claim_doc(evidence: str, speakers: tuple[str, ...] = ("m",), **extra: Any) -> dict:
    c = claim(list(speakers), evidence)
    c.update(extra)
    return doc("c", [article([actor("m", "The minister")], [c])])


@pytest.mark.parametrize(
    ("pred_ev", "iou", "matched"),
    [
        # [48, 66) inside the gold span: 18 / 52 = 0.346 >= 0.3
        ("Hamas would resume", 18 / 52, True),
        # [13, 53): overlap [33, 53) = 20; union 52 + 40 - 20 = 72; 20 / 72 = 0.278 < 0.3
        ("said on Monday that the talks with Hamas", 20 / 72, False),
        ("said on Monday", 0.0, False),  # disjoint
    ],
)
def test_claim_iou_threshold(pred_ev: str, iou: float, matched: bool) -> None:
    index = TextIndex(CLAIM_TEXT)
    assert span_iou(evidence_span(index, pred_ev), evidence_span(index, GOLD_EV)) == pytest.approx(
        iou
    )
    s = score_document(one_claim_doc(GOLD_EV), one_claim_doc(pred_ev), CLAIM_TEXT)
    assert s.counts["claims"].tp == int(matched)
    assert (s.counts["claims"].fp, s.counts["claims"].fn) == (int(not matched),) * 2


def test_locate_normalized_maps_back_to_original_offsets() -> None:
    text = "قالَ الوزيرُ إنّ المحادثات ستستأنف."
    # "قالَ" is 4 chars, a space, "الوزيرُ" is 7 chars: the span ends after the damma at 12.
    assert evidence_span(TextIndex(text), "قال الوزير") == (0, 12)
    assert evidence_span(TextIndex(text), "not there") is None


def test_valid_predicted_span_wins_and_invalid_span_is_ignored() -> None:
    text = "Talks resumed. Talks resumed."
    index = TextIndex(text)
    assert evidence_span(index, "Talks resumed.", (15, 29)) == (15, 29)  # second occurrence
    assert evidence_span(index, "Talks resumed.", (15, 99)) == (0, 14)  # out of bounds: search
    assert evidence_span(index, "Talks resumed.", (0, 5)) == (0, 14)  # slice != evidence


def test_attributed_and_unattributed_claims() -> None:
    gold = base_gold()  # claims: official -> OFFICIAL_EV, qatar -> QATAR_EV
    pred = copy.deepcopy(gold)
    pred["articles"][0]["claims"][1]["speakers"] = ["official"]  # wrong speaker for Qatar's claim
    pred["articles"][0]["claims"][0]["quote"] = "direct"  # wrong quote type
    s = score_corpus([(gold, pred, TEXT)])
    assert s["claims"]["f1"] == 1.0  # both spans match
    # attributed: tp 1 of 2 predicted and 2 gold -> P = R = F1 = 1/2
    assert s["claims"]["attributed_tp"] == 1
    assert s["claims"]["attributed_precision"] == 0.5
    assert s["claims"]["attributed_recall"] == 0.5
    assert s["claims"]["attributed_f1"] == 0.5
    assert s["claims"]["quote_acc"] == 0.5
    attributed = [m["attributed"] for m in s["per_document"]["d1"]["claims"]["matched"]]
    assert sorted(attributed) == [False, True]


def test_speaker_that_matches_no_gold_actor_is_unattributed() -> None:
    gold = one_claim_doc(GOLD_EV)
    pred = doc("c", [article([actor("x", "Zorro")], [claim(["x"], GOLD_EV)])])
    s = score_document(gold, pred, CLAIM_TEXT)
    assert s.counts["claims"].tp == 1
    assert s.attributed_tp == 0


# --------------------------------------------------------------------------- meetings


def meeting_docs(
    gold_parts: list[str], pred_parts: list[str], extra_pred_actors: tuple[dict, ...] = ()
) -> tuple[dict, dict]:
    gold = doc("m", [article(base_actors(), meetings=[meeting(gold_parts, MEET_EV)])])
    pred = doc(
        "m",
        [article(base_actors() + list(extra_pred_actors), meetings=[meeting(pred_parts, MEET_EV)])],
    )
    return gold, pred


@pytest.mark.parametrize(
    ("gold_parts", "pred_parts", "matched"),
    [
        (["blinken", "hamas"], ["blinken", "hamas-leaders"], True),  # pred's gold affiliation
        (["blinken", "hamas-leaders"], ["blinken", "hamas"], True),  # gold's own affiliation
        (["blinken", "hamas"], ["blinken", "qatar"], False),  # Jaccard 1/3 < 0.5
        (["blinken", "hamas"], ["usa", "hamas"], True),  # Blinken's affiliation is usa
    ],
)
def test_meeting_participants_match_through_affiliation(
    gold_parts: list[str], pred_parts: list[str], matched: bool
) -> None:
    gold, pred = meeting_docs(gold_parts, pred_parts)
    s = score_document(gold, pred, TEXT)
    assert s.counts["meetings"].tp == int(matched)


def test_unpaired_participant_matches_through_its_own_affiliation() -> None:
    visitors = actor("visitors", "the visitors", kind="group", affiliation="hamas")
    gold, pred = meeting_docs(["blinken", "hamas"], ["blinken", "visitors"], (visitors,))
    s = score_document(gold, pred, TEXT)
    assert s.counts["meetings"].tp == 1
    assert "the visitors" in s.listing.spurious["actors"]  # it is still a spurious actor


def test_meeting_field_accuracies() -> None:
    gold = doc(
        "m",
        [
            article(
                base_actors(),
                meetings=[
                    meeting(
                        ["blinken", "hamas"],
                        MEET_EV,
                        mediators=("qatar",),
                        date="2024-01-07",
                        location="Doha",
                        fmt="indirect",
                    ),
                    meeting(["qatar", "usa"], QATAR_EV, status="planned"),
                ],
            )
        ],
    )
    pred = doc(
        "m",
        [
            article(
                base_actors(),
                meetings=[
                    meeting(
                        ["blinken", "hamas"],
                        MEET_EV,
                        mediators=("qatar",),
                        date="2024-01",
                        location="in Doha",
                        fmt="indirect",
                    ),
                    meeting(
                        ["qatar", "usa"],
                        QATAR_EV,
                        mediators=("hamas",),
                        status="planned",
                        fmt="unknown",
                    ),
                ],
            )
        ],
    )
    s = score_corpus([(gold, pred, TEXT)])["meetings"]
    assert s["tp"] == 2
    assert s["status_acc"] == 1.0
    assert s["format_acc"] == 0.5  # indirect == indirect; "unknown" != "direct"
    assert s["date_acc"] == 0.5  # "2024-01" != "2024-01-07"; null == null
    assert s["location_acc"] == 0.5  # ratio("in doha", "doha") = 8/11 < 0.85; null == null
    # mediators F1: pair 1 {qatar} vs {qatar} = 1; pair 2 {hamas} vs {} = 0 -> mean 1/2
    assert s["mediators_f1"] == 0.5


# --------------------------------------------------------------------------- articles


ART_TEXT = "Qatar said talks with Hamas continue. Read also: Egypt said it hosted Israel in Cairo."


def two_articles() -> list[dict]:
    main = article(
        [actor("q", "Qatar"), actor("h", "Hamas")],
        [claim(["q"], "Qatar said talks with Hamas continue.")],
        title="Main story",
    )
    extra = article(
        [actor("e", "Egypt"), actor("i", "Israel")],
        [claim(["e"], "Egypt said it hosted Israel in Cairo.")],
        [meeting(["e", "i"], "Egypt said it hosted Israel in Cairo.")],
        title="Appended story",
    )
    return [main, extra]


def test_swapped_articles_still_pair() -> None:
    gold = doc("t", two_articles())
    pred = doc("t", list(reversed(two_articles())))
    s = score_corpus([(gold, pred, ART_TEXT)])
    assert s["headline_f1"] == 1.0
    assert s["per_document"]["t"]["articles"]["pairs"] == [[0, 1], [1, 0]]
    assert s["articles"]["title_acc"] == 1.0  # gold main paired with predicted #2


def test_unpaired_article_records_are_all_fp_or_fn() -> None:
    gold = doc("t", two_articles())
    pred = doc("t", two_articles()[:1])  # appended story not found
    s = score_corpus([(gold, pred, ART_TEXT)])
    assert s["articles"] == {
        "gold": 2,
        "predicted": 1,
        "paired": 1,
        "title_acc": 1.0,
        "published_acc": 1.0,
        "outlet_acc": 1.0,
    }
    # actors tp 2, fn 2 (Egypt, Israel); claims tp 1 fn 1; meetings tp 0 fn 1
    assert (s["actors"]["tp"], s["actors"]["fn"]) == (2, 2)
    assert (s["claims"]["tp"], s["claims"]["fn"]) == (1, 1)
    assert (s["meetings"]["tp"], s["meetings"]["fn"]) == (0, 1)
    assert s["per_document"]["t"]["meetings"]["missed"] == ["Egypt + Israel"]


def test_article_pairing_ties_go_to_reading_order() -> None:
    assert pair_articles(np.zeros((2, 2), dtype=int)) == [(0, 0), (1, 1)]
    assert pair_articles(np.array([[0, 3], [2, 0]])) == [(0, 1), (1, 0)]
    assert pair_articles(np.zeros((3, 1), dtype=int)) == [(0, 0)]
    assert pair_articles(np.zeros((0, 2), dtype=int)) == []


# --------------------------------------------------------------------------- grounding


def test_grounding_rate_counts_names_aliases_and_evidence() -> None:
    gold = base_gold()
    pred = doc(
        "d1",
        [
            article(
                [actor("a", "Blinken", aliases=("Blinkin",)), actor("b", "قطر")],
                [claim(["a"], OFFICIAL_EV), claim(["a"], "Words nobody wrote.")],
                [meeting(["a", "b"], MEET_EV)],
            )
        ],
    )
    s = score_corpus([(gold, pred, TEXT)])
    # found: Blinken, OFFICIAL_EV, MEET_EV = 3 of 6 (Blinkin, قطر, invented evidence missing)
    assert s["grounding_rate"] == 0.5


# --------------------------------------------------------------------------- bootstrap


def test_bootstrap_of_identical_runs_is_zero() -> None:
    gold, other = base_gold(), two_articles()
    run = score_corpus(
        [
            (gold, copy.deepcopy(gold), TEXT),
            (doc("t", other), doc("t", other[:1]), ART_TEXT),
        ]
    )["per_document"]
    result = bootstrap_diff(run, copy.deepcopy(run), n=500)
    assert (result["low"], result["mean"], result["high"]) == (0.0, 0.0, 0.0)
    assert result["observed"] == 0.0
    assert result["n_documents"] == 2


def test_bootstrap_detects_a_uniform_improvement() -> None:
    golds = [doc(f"d{i}", [article([actor("q", "Qatar")])]) for i in range(5)]
    a = score_corpus([(g, None, TEXT) for g in golds])["per_document"]
    b = score_corpus([(g, copy.deepcopy(g), TEXT) for g in golds])["per_document"]
    # A: actors F1 0, claims/meetings 0/0 -> 1: headline 2/3. B: headline 1. Diff 1/3 always.
    result = bootstrap_diff(a, b, n=200, seed=1)
    assert result["low"] == pytest.approx(1 / 3)
    assert result["high"] == pytest.approx(1 / 3)
    assert bootstrap_diff(a, b, n=200, seed=1) == result  # seeded, reproducible


def test_bootstrap_needs_shared_documents() -> None:
    with pytest.raises(ValueError):
        bootstrap_diff({}, {})


def _claims_doc(tp: int, fp: int, fn: int, attributed: int) -> dict[str, object]:
    return {"claims": {"tp": tp, "fp": fp, "fn": fn, "attributed_tp": attributed}}


def test_attributed_bootstrap_repools_counts_and_sees_a_uniform_gain() -> None:
    from evals.stats import bootstrap_attributed

    a = {f"d{i}": _claims_doc(4, 0, 0, 2) for i in range(6)}  # attributed F1 0.5
    b = {f"d{i}": _claims_doc(4, 0, 0, 3) for i in range(6)}  # attributed F1 0.75
    result = bootstrap_attributed(a, b, n=300, seed=2)
    assert result["observed"] == pytest.approx(0.25)
    assert result["low"] == pytest.approx(0.25) and result["high"] == pytest.approx(0.25)
    same = bootstrap_attributed(a, a, n=100)
    assert (same["low"], same["high"], same["observed"]) == (0.0, 0.0, 0.0)


# --------------------------------------------------------------------------- claims-only gold
# RECORDS.md §3 "Claims-only gold": a file with "scope": "claims-only" labels claims
# exhaustively and nothing else, so only claims and attributed claims may score it.

STRIKE_TEXT = (
    "Mayor Ruiz met union leaders on Friday. "
    "Ruiz said the strike would end soon. "
    "The union said nothing was agreed."
)
RUIZ_EV = "Ruiz said the strike would end soon."
UNION_EV = "The union said nothing was agreed."


def claims_only(gold: dict[str, Any]) -> dict[str, Any]:
    return {**gold, "scope": "claims-only"}


def strike_gold(doc_id: str = "s", language: str = "en") -> dict[str, Any]:
    """Sources and claims only, as a PolNeAR conversion gives them: no meeting labeled."""
    actors = [actor("ruiz", "Ruiz"), actor("union", "The union", kind="organization")]
    claims = [claim(["ruiz"], RUIZ_EV), claim(["union"], UNION_EV)]
    return claims_only(doc(doc_id, [article(actors, claims, language=language)], language))


def strike_pred(doc_id: str = "s", claims: Sequence[dict] | None = None) -> dict[str, Any]:
    """Both claims right; an actor and a meeting the gold does not label; another title."""
    actors = [
        actor("p-ruiz", "Mayor Ruiz"),
        actor("p-leaders", "union leaders", kind="group"),  # not a labeled source
        actor("p-union", "The union", kind="group"),  # kind differs from gold
    ]
    if claims is None:
        claims = [claim(["p-ruiz"], RUIZ_EV), claim(["p-union"], UNION_EV)]
    meetings = [meeting(["p-ruiz", "p-leaders"], "Mayor Ruiz met union leaders on Friday.")]
    return doc(doc_id, [article(actors, claims, meetings, title="Another title")])


def test_claims_only_gold_ignores_actor_and_meeting_errors() -> None:
    s = score_corpus([(strike_gold(), strike_pred(), STRIKE_TEXT)])
    # claims: both spans and both speakers right
    assert (s["claims"]["tp"], s["claims"]["fp"], s["claims"]["fn"]) == (2, 0, 0)
    assert s["claims"]["f1"] == s["claims"]["attributed_f1"] == 1.0
    # the spurious "union leaders" and the meeting are no FP; nothing is an actor or
    # meeting figure at all, not even a perfect one
    for kind in ("actors", "meetings"):
        assert (s[kind]["tp"], s[kind]["fp"], s[kind]["fn"]) == (0, 0, 0)
        assert s[kind]["precision"] is s[kind]["recall"] is s[kind]["f1"] is None
    assert s["actors"]["kind_acc"] is None  # "group" vs "organization" is not scored
    assert s["meetings"]["status_acc"] is None
    assert s["articles"]["title_acc"] is None  # the title is not labeled either
    assert s["headline_f1"] is None  # a set of claims-only files has no headline
    assert s["scope"] == {"full": 0, "claims-only": 1}
    assert s["by_language"]["en"]["headline_f1"] is None
    assert s["by_language"]["en"]["claims"]["attributed_f1"] == 1.0
    entry = s["per_document"]["s"]
    assert entry["scope"] == "claims-only" and entry["headline_f1"] is None
    assert entry["actors"]["spurious"] == [] and entry["meetings"]["spurious"] == []
    json.dumps(s, allow_nan=False)


def test_the_same_file_without_the_scope_scores_everything() -> None:
    # The contrast that makes the rule visible: full scope counts the unlabeled records.
    full = {k: v for k, v in strike_gold().items() if k != "scope"}
    s = score_corpus([(full, strike_pred(), STRIKE_TEXT)])
    assert (s["actors"]["tp"], s["actors"]["fp"]) == (2, 1)  # "union leaders" is FP
    assert (s["meetings"]["fp"], s["meetings"]["f1"]) == (1, 0.0)
    assert s["headline_f1"] is not None and s["headline_f1"] < 1.0
    assert "scope" not in s and "scope" not in s["per_document"]["s"]


def test_claims_only_gold_still_needs_the_right_speaker() -> None:
    # The actors are not scored, but a matched claim still needs its source: the
    # union's claim given to Ruiz is a matched claim, not an attributed one.
    wrong = [claim(["p-ruiz"], RUIZ_EV), claim(["p-ruiz"], UNION_EV)]
    s = score_corpus([(strike_gold(), strike_pred(claims=wrong), STRIKE_TEXT)])
    assert s["claims"]["f1"] == 1.0
    assert s["claims"]["attributed_tp"] == 1  # P = R = F1 = 1/2
    assert s["claims"]["attributed_f1"] == 0.5


RUIZ_TWICE_TEXT = "Mayor Ruiz said the strike would end soon. Ruiz said the talks went well."


def ruiz_twice(scope: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Gold with one source string per claim ("Mayor Ruiz", "Ruiz": no coreference, as
    PolNeAR gives them); a prediction with one actor speaking both."""
    first, second = RUIZ_TWICE_TEXT.split(" Ruiz said the talks")
    first = first.removesuffix(".") + "."
    second = "Ruiz said the talks" + second
    actors = [actor("mayor", "Mayor Ruiz"), actor("ruiz", "Ruiz")]
    gold = doc("r", [article(actors, [claim(["mayor"], first), claim(["ruiz"], second)])])
    if scope == "claims-only":
        gold = claims_only(gold)
    pred_claims = [claim(["p"], first), claim(["p"], second)]
    pred = doc("r", [article([actor("p", "Mayor Ruiz")], pred_claims)])
    return gold, pred


def test_claims_only_gold_attributes_by_the_source_name_not_a_one_to_one_pairing() -> None:
    # Claims-only gold has one actor per source string, so one person may be several
    # gold actors: each claim is attributed when a predicted speaker bears the name of
    # its source (token-set ratio >= 0.85, punctuation read as space).
    s = score_corpus([(*ruiz_twice("claims-only"), RUIZ_TWICE_TEXT)])
    assert s["claims"]["tp"] == 2 and s["claims"]["attributed_tp"] == 2
    # Full gold's actors are entities: one predicted actor pairs with one gold actor.
    s = score_corpus([(*ruiz_twice("full"), RUIZ_TWICE_TEXT)])
    assert s["claims"]["tp"] == 2 and s["claims"]["attributed_tp"] == 1


QUOTE_TEXT = (
    'Ruiz said: "The strike will end soon. Workers will be paid in full. '
    'Nobody will be fired for it." The union said nothing was agreed.'
)


def test_claims_only_gold_counts_a_quotation_sentence_by_sentence() -> None:
    # RECORDS.md §2: a quotation of several sentences is one claim per sentence.
    # PolNeAR labels it as one relation; the scorer reads that gold per sentence
    # (evals.conventions) and still reports the figures against it as labeled.
    whole = QUOTE_TEXT[: QUOTE_TEXT.index(" The union")]
    union = QUOTE_TEXT[len(whole) + 1 :]
    gold_claims = [
        {**claim(["ruiz"], whole, "direct"), "span": [0, len(whole)]},
        {**claim(["union"], union), "span": [len(whole) + 1, len(QUOTE_TEXT)]},
    ]
    actors = [actor("ruiz", "Ruiz"), actor("union", "The union", kind="organization")]
    gold = claims_only(doc("q", [article(actors, gold_claims)]))
    sentences = ['Ruiz said: "The strike will end soon.', "Workers will be paid in full."]
    sentences.append('Nobody will be fired for it."')
    pred_claims = [claim(["p"], ev, "direct") for ev in sentences] + [claim(["u"], union)]
    p_actors = [actor("p", "Ruiz"), actor("u", "The union", kind="group")]
    pred = doc("q", [article(p_actors, pred_claims)])
    s = score_corpus([(gold, pred, QUOTE_TEXT)])
    assert (s["claims"]["tp"], s["claims"]["fp"], s["claims"]["fn"]) == (4, 0, 0)
    assert s["claims"]["attributed_f1"] == 1.0
    # as labeled: the first sentence matches the whole quotation, the others are FP
    labeled = s["claims_as_labeled"]
    assert (labeled["tp"], labeled["fp"], labeled["fn"]) == (2, 2, 0)
    assert s["per_document"]["q"]["claims_as_labeled"]["attributed_tp"] == 2


def test_claims_only_gold_reads_a_prediction_split_into_items_as_one_article() -> None:
    # A live blog split into its entries: claims-only gold labels no items, so each
    # entry's claims still meet the gold's, with the speakers of their own entry
    # (the same actor id in two entries is two actors).
    first = article([actor("a", "Mayor Ruiz")], [claim(["a"], RUIZ_EV)])
    second = article([actor("a", "The union", kind="group")], [claim(["a"], UNION_EV)])
    s = score_corpus([(strike_gold(), doc("s", [first, second]), STRIKE_TEXT)])
    assert (s["claims"]["tp"], s["claims"]["fp"], s["claims"]["fn"]) == (2, 0, 0)
    assert s["claims"]["attributed_f1"] == 1.0
    full = {k: v for k, v in strike_gold().items() if k != "scope"}
    s = score_corpus([(full, doc("s", [first, second]), STRIKE_TEXT)])
    assert s["claims"]["tp"] == 1  # full-scope gold pairs items: the second is unpaired


def test_scope_other_than_full_or_claims_only_is_refused() -> None:
    with pytest.raises(ValueError, match="scope"):
        GoldDocument.model_validate({**strike_gold(), "scope": "claims_only"})


def test_mixed_set_headline_is_over_the_full_scope_documents_only() -> None:
    full_gold = base_gold()  # "d1", en: 6 actors, 2 claims, 1 meeting
    full_pred = copy.deepcopy(full_gold)
    full_pred["articles"][0]["meetings"] = []  # meetings F1 0: headline (1 + 1 + 0) / 3
    only_ruiz = [claim(["p-ruiz"], RUIZ_EV)]  # the union's claim is missed: tp 1, fn 1
    s = score_corpus(
        [
            (full_gold, full_pred, TEXT),
            (strike_gold("s", "fr"), strike_pred("s", claims=only_ruiz), STRIKE_TEXT),
        ]
    )
    # headline: the full-scope document alone, 2/3, not (1 + 6/7 + 0) / 3
    assert s["headline_f1"] == pytest.approx(2 / 3)
    assert s["scope"] == {"full": 1, "claims-only": 1}
    # actors and meetings: the full-scope document only
    assert (s["actors"]["tp"], s["actors"]["fp"], s["actors"]["fn"]) == (6, 0, 0)
    assert (s["meetings"]["tp"], s["meetings"]["fn"]) == (0, 1)
    # claims pool both: tp 2 + 1, fn 0 + 1 -> F1 6/7; every match attributed
    assert (s["claims"]["tp"], s["claims"]["fn"]) == (3, 1)
    assert s["claims"]["f1"] == s["claims"]["attributed_f1"] == pytest.approx(6 / 7)
    # per language, the same rule: en is full scope, fr claims-only
    en, fr = s["by_language"]["en"], s["by_language"]["fr"]
    assert en["headline_f1"] == pytest.approx(2 / 3) and "scope" not in en
    assert fr["headline_f1"] is None and fr["actors"]["f1"] is None
    assert fr["claims"]["f1"] == pytest.approx(2 / 3)  # tp 1, fn 1
    assert fr["scope"] == {"full": 0, "claims-only": 1}


def test_headline_bootstrap_leaves_claims_only_documents_out() -> None:
    full = score_corpus([(base_gold(), None, TEXT)])["per_document"]
    both = {**full, **score_corpus([(strike_gold(), None, STRIKE_TEXT)])["per_document"]}
    better = {**full, **score_corpus([(strike_gold(), strike_pred(), STRIKE_TEXT)])["per_document"]}
    result = bootstrap_diff(both, better, n=100)
    assert result["n_documents"] == 1 and result["observed"] == 0.0
    only = {"s": both["s"]}
    with pytest.raises(ValueError, match="full-scope"):
        bootstrap_diff(only, {"s": better["s"]}, n=100)


# --------------------------------------------------------------------------- pronoun sources
# A gold actor with "pronoun": true ("he", "who") is a source whose referent the
# labels do not give: a claim whose gold speakers are all such is attributed when it
# matches by span and the prediction names any speaker.

COUNCIL_TEXT = (
    "The mayor opened the bridge on Friday. He said the repairs would take a year. "
    "Residents, who said the tolls were too high, walked out."
)
HE_EV = "He said the repairs would take a year."
WHO_EV = "who said the tolls were too high"


def pronoun(aid: str, name: str) -> dict[str, Any]:
    return {**actor(aid, name), "pronoun": True}


def council_gold(speakers_of_who: tuple[str, ...] = ("who",)) -> dict[str, Any]:
    actors = [pronoun("he", "He"), pronoun("who", "who"), actor("residents", "Residents")]
    claims = [claim(["he"], HE_EV), claim(list(speakers_of_who), WHO_EV)]
    return claims_only(doc("c", [article(actors, claims)]))


def council_pred(he_speaker: str = "p-mayor", who_speaker: str = "p-mayor") -> dict[str, Any]:
    actors = [actor("p-mayor", "The mayor"), actor("p-residents", "Residents", kind="group")]
    claims = [claim([he_speaker], HE_EV), claim([who_speaker], WHO_EV)]
    return doc("c", [article(actors, claims)])


def test_gold_reads_pronoun_flags_that_the_actor_model_does_not_keep() -> None:
    gold = GoldDocument.model_validate(council_gold())
    assert gold.pronoun_actors(0) == {"he", "who"}
    assert gold.pronoun_actors(1) == frozenset()  # no such article: no pronouns
    with pytest.raises(ValueError, match="pronoun must be true or false"):
        GoldDocument.model_validate(doc("x", [article([{**actor("he", "He"), "pronoun": "yes"}])]))


def test_pronoun_sourced_claim_is_attributed_when_any_speaker_is_named() -> None:
    # "He said…": whoever the prediction names, it may be the referent. "The mayor" is
    # no gold actor at all, and still the claim counts as attributed.
    s = score_document(council_gold(), council_pred(), COUNCIL_TEXT)
    assert s.counts["claims"].tp == 2
    assert s.attributed_tp == 2
    assert [m["attributed"] for m in s.listing.matched["claims"]] == [True, True]


def test_pronoun_sourced_claim_is_not_attributed_when_no_speaker_is_named() -> None:
    # `Claim` requires a speaker, so only a prediction built without validation can name
    # none; the scorer must still not credit it.
    gold = GoldDocument.model_validate(council_gold())
    pred = Article.model_validate(council_pred()["articles"][0])
    pred.claims[0] = pred.claims[0].model_copy(update={"speakers": []})  # not validated
    art = scoring.score_article_pair(
        pred, gold.articles[0], TextIndex(COUNCIL_TEXT), gold.pronoun_actors(0)
    )
    assert art.counts["claims"].tp == 2
    assert [m["attributed"] for m in art.listing.matched["claims"]] == [False, True]


def test_a_named_source_beside_a_pronoun_must_be_named() -> None:
    # Gold: "Residents, who said…" labeled with both; the named source is known, so the
    # usual rule holds: the mayor is wrong, the residents right.
    gold = council_gold(speakers_of_who=("residents", "who"))
    wrong = score_document(gold, council_pred(who_speaker="p-mayor"), COUNCIL_TEXT)
    right = score_document(gold, council_pred(who_speaker="p-residents"), COUNCIL_TEXT)
    assert (wrong.attributed_tp, right.attributed_tp) == (1, 2)  # "He said…" counts in both


def test_without_the_pronoun_flag_a_pronoun_source_needs_its_own_match() -> None:
    # The rule comes from the flag, not the word: an unflagged "He" is an ordinary actor
    # that "The mayor" does not match.
    gold = council_gold()
    gold["articles"][0]["actors"][0].pop("pronoun")
    s = score_document(gold, council_pred(), COUNCIL_TEXT)
    assert s.attributed_tp == 1  # only the "who" claim
