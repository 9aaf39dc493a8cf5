"""Live smoke test of the embedded runtime: the real model, end to end (marker `live`).

Deselected from the default run (it needs the model and a minute of CPU); `.ci/run`
runs it once after the offline suite.
"""

from __future__ import annotations

import pytest

from extractor import Extractor

pytestmark = pytest.mark.live

TEXT = (
    "Kenya and Uganda to hold border talks\n"
    "NAIROBI (Example Wire) - Kenya's foreign minister Jane Mwangi said on Monday that "
    "Kenya and Uganda will hold talks on the border in Kampala next week.\n"
)


def test_embedded_model_extracts_a_grounded_article(tmp_path) -> None:
    ex = Extractor(strategy="cues", cache_dir=tmp_path, max_reasks=0)
    article = ex.extract_article(TEXT)
    assert article.meta is not None and article.meta.llm_calls >= 1
    assert article.meta.usage.completion_tokens > 0
    for actor in article.actors:
        assert actor.mentions, actor
    for claim in article.claims:
        start, end = claim.span
        assert TEXT[start:end] == claim.evidence
    again = ex.extract_article(TEXT)  # served from the cache: no LLM call
    assert again.meta.llm_calls == 0 and again.meta.cache_hits >= 1
    assert again.model_dump(exclude={"meta"}) == article.model_dump(exclude={"meta"})
