"""Transcript turns: "WALLACE: …" and "PENCE: …" paragraphs are their labels' speakers."""

from __future__ import annotations

from extractor import extract_article

TRANSCRIPT = (
    "Harbour news\n"
    "Tomas Pell spoke to Anna Berg on Sunday. He said:\n"
    '"BERG: Will the port close this winter?\n'
    '"PELL: No, the port stays open. The ferries sail every day.\n'
    '"BERG: And the crews?\n'
    '"PELL: They stay with us.'
)


def _speakers(text: str) -> list[tuple[list[str], str]]:
    article = extract_article(text, strategy="rules")
    names = {a.id: a.name for a in article.actors}
    return [([names[s] for s in c.speakers], c.evidence) for c in article.claims]


def test_each_turn_is_its_labels_speaker() -> None:
    turns = [(who, ev) for who, ev in _speakers(TRANSCRIPT) if ":" in ev or "ferries" in ev]
    assert turns[1:] == [
        (["Anna Berg"], '"BERG: Will the port close this winter?'),
        (["Tomas Pell"], '"PELL: No, the port stays open.'),
        (["Tomas Pell"], "The ferries sail every day."),
        (["Anna Berg"], '"BERG: And the crews?'),
        (["Tomas Pell"], '"PELL: They stay with us.'),
    ]


def test_a_single_label_is_a_headline_not_a_transcript() -> None:
    text = "Pell: the port stays open\nTomas Pell said on Monday that the ferries sail."
    assert _speakers(text) == [(["Tomas Pell"], "Tomas Pell said on Monday that the ferries sail.")]


def test_a_credit_used_once_is_no_turn() -> None:
    text = (
        "Harbour news\nTomas Pell said the port stays open.\n"
        "Contributing: Anna Berg\nReporting: Lena Ortiz"
    )
    assert [who for who, _ in _speakers(text)] == [["Tomas Pell"]]


def test_notices_in_capitals_are_no_turns() -> None:
    text = (
        "Harbour news\nTomas Pell said the port stays open.\n"
        "UPDATE: The ferries sail again on Monday.\n"
        "EDITOR'S NOTE: An earlier version misnamed the harbour.\n"
        "UPDATE: The crews returned on Tuesday."
    )
    assert [who for who, _ in _speakers(text)] == [["Tomas Pell"]]
