"""Claims-only gold read one claim per sentence (RECORDS.md §2), spans kept."""

from __future__ import annotations

from typing import Any

from evals.conventions import sentence_claims
from extractor.models import Article


def article_with(text: str, evidence: str) -> Article:
    start = text.index(evidence)
    claim: dict[str, Any] = {
        "speakers": ["s"],
        "statement": evidence,
        "evidence": evidence,
        "quote": "direct",
        "span": [start, start + len(evidence)],
    }
    actor = {"id": "s", "name": "Sanders", "name_en": "Sanders", "kind": "person"}
    return Article.model_validate({"language": "en", "actors": [actor], "claims": [claim]})


def pieces(text: str, evidence: str) -> list[str]:
    out = sentence_claims(article_with(text, evidence), text)
    for c in out.claims:
        assert c.span is not None and text[c.span[0] : c.span[1]] == c.evidence
        assert c.speakers == ["s"] and c.quote == "direct"
    return [c.evidence for c in out.claims]


def test_each_sentence_of_a_quotation_is_a_claim() -> None:
    text = '"Wages are too low. Rents are too high," Sanders said. Then he left.'
    quote = '"Wages are too low. Rents are too high," Sanders said.'
    assert pieces(text, quote) == ['"Wages are too low.', 'Rents are too high," Sanders said.']


def test_a_short_tail_stays_with_the_sentence_before() -> None:
    text = '"Wages are too low for every worker here." He said. Then he left.'
    quote = '"Wages are too low for every worker here." He said.'
    assert pieces(text, quote) == [quote]


def test_a_lead_ending_in_a_colon_goes_with_what_it_introduces() -> None:
    text = "Sanders made the following comment:\nYoung people need jobs now. They need them here."
    lead = text
    assert pieces(text, lead) == [
        "Sanders made the following comment:\nYoung people need jobs now.",
        "They need them here.",
    ]


def test_a_one_sentence_claim_is_left_as_it_is() -> None:
    text = "Sanders said wages are too low. Then he left."
    assert pieces(text, "Sanders said wages are too low.") == ["Sanders said wages are too low."]
