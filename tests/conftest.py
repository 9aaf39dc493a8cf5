"""Shared fixtures: where the read-only team files are, and the replay backend."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "dev"
EXAMPLES = SHARED / "examples"
SEED = ROOT / "examples" / "seed-cnn-qatar-hamas.txt"


@pytest.fixture
def corpus_dirs() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(f"the dev corpus is not here ({CORPUS}); it lives in ../shared, "
                    "outside the repository, and is never committed")
    return [CORPUS, EXAMPLES, ROOT / "examples"]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's cache, nor see their API keys."""
    monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "EXTRACTOR_API_KEY", "EXTRACTOR_BASE_URL",
                 "EXTRACTOR_MODEL", "EXTRACTOR_PROMPT", "EXTRACTOR_GGUF"):
        monkeypatch.delenv(name, raising=False)
