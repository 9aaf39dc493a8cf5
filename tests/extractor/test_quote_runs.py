"""A quotation of several sentences attributed at its end is the later speaker's."""

from __future__ import annotations

from extractor import extract_article


def _speakers(text: str) -> list[tuple[list[str], str]]:
    article = extract_article(text, strategy="rules")
    names = {a.id: a.name for a in article.actors}
    return [([names[s] for s in c.speakers], c.evidence) for c in article.claims]


def test_a_quotation_attributed_at_its_end_is_the_later_speakers() -> None:
    text = (
        "Harbour news\nAnna Berg said the port was closed.\n"
        '"The ferries sail. The crews are ready. Nothing has changed," said Tomas Pell, '
        "the harbour master."
    )
    assert [who for who, _ in _speakers(text)] == [
        ["Anna Berg"],
        ["Tomas Pell"],
        ["Tomas Pell"],
        ["Tomas Pell"],
    ]


def test_a_quotation_that_goes_on_from_the_paragraph_before_keeps_its_speaker() -> None:
    text = (
        'Harbour news\nAnna Berg said: "The port is closed.\n'
        '"The ferries stop. The crews wait," she said. Tomas Pell said nothing.'
    )
    assert [who for who, _ in _speakers(text)][:3] == [["Anna Berg"]] * 3
