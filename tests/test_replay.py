"""The recorded dev-set eval replays offline and reproduces its recorded scores exactly.

`scripts/record_eval.py` ran the default prompt on the embedded model over every gold
document, recording one cassette per document (request digests, sealed responses)
and the scores in `evals/baselines/`. Here the same pipeline runs against those
cassettes instead of the model: any change in prompts, parsing, grounding, dates
or scoring that moves a number fails this test, until the baseline is re-recorded.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import Extractor, ExtractorError
from extractor.evals import find_text, numbers_only
from extractor.gold import load_gold_dir
from extractor.replay import cassette
from extractor.runtime import EMBEDDED_MODEL_NAME
from extractor.scoring import score_corpus

ROOT = Path(__file__).resolve().parent.parent
PROMPT, MAX_REASKS = "v4", 0  # the recorded run's settings (tag v4-r0)
TAG = f"{PROMPT}-r{MAX_REASKS}"
BASELINE = ROOT / "evals" / "baselines" / f"{TAG}-embedded.json"
CASSETTES = ROOT / "cassettes" / f"eval-{TAG}"


def replay_extractor() -> Extractor:
    """Sends byte-identical requests to what the embedded backend sent when recording."""
    return Extractor(prompt=PROMPT, use_cache=False, base_url="http://127.0.0.1:9/v1",
                     model=EMBEDDED_MODEL_NAME, compact_json=True, transport_attempts=1,
                     max_reasks=MAX_REASKS)


def replay_document(ex: Extractor, doc_id: str, data: bytes) -> dict | None:
    with cassette(CASSETTES / f"{doc_id}.yaml", data, record_mode="none"):
        try:
            articles = ex.extract_articles(data.decode("utf-8"))
        except ExtractorError:
            return None
    return {"id": doc_id, "articles": [a.model_dump(mode="json") for a in articles]}


@pytest.mark.skipif(not BASELINE.is_file(), reason="no recorded baseline yet")
def test_recorded_eval_reproduces_the_recorded_scores(corpus_dirs: list[Path]) -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    gold = load_gold_dir(ROOT / "evals" / "gold")
    ex = replay_extractor()
    pairs = []
    for doc_id, doc in sorted(gold.items()):
        path = find_text(doc["text_file"], corpus_dirs)
        assert path is not None, doc_id
        data = path.read_bytes()
        pred = replay_document(ex, doc_id, data) if (CASSETTES / f"{doc_id}.yaml").is_file() \
            else None
        if pred is not None:
            pred.update(text_file=doc["text_file"], language=doc.get("language"))
        pairs.append((doc, pred, data.decode("utf-8")))
    replayed = numbers_only(score_corpus(pairs))
    recorded = {k: v for k, v in baseline.items() if k != "meta"}
    assert replayed["headline_f1"] == recorded["headline_f1"]
    for kind in ("actors", "claims", "meetings"):
        assert replayed[kind] == recorded[kind], kind
    assert replayed["per_document"] == recorded["per_document"]
    assert replayed == recorded
