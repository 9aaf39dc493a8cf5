"""Specification of where a meeting is: after "in"/"في", before the trigger, a visit's goal."""

from __future__ import annotations

import pytest

from extractor import Extractor


def _location(text: str) -> str | None:
    article = Extractor(strategy="rules", use_cache=False).extract_article(text)
    (meeting,) = article.meetings
    return meeting.location


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Kenya and Uganda held talks in Qatar on Monday.", "Qatar"),
        ("In Kampala, Kenya and Uganda held talks.", "Kampala"),
        ("President John Mwangi began a visit to Uganda on Monday.", "Uganda"),
        ("Kenya and Uganda held talks on Monday.", None),
    ],
)
def test_where_a_meeting_is(text: str, where: str | None) -> None:
    assert _location(text) == where


def test_a_place_written_onto_its_preposition_is_where() -> None:
    """ "بسنغافورة": the preposition "ب" written onto the place is "in"."""
    assert _location("والتقى وزير خارجية كينيا نظيره الأوغندي بالدوحة الاثنين.") == "الدوحة"
