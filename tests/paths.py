"""Where things are, for every test: the repository and the read-only team files beside it."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "dev"
EXAMPLES = SHARED / "examples"
SEED = ROOT / "examples" / "seed-cnn-qatar-hamas.txt"
GOLD_DIR = ROOT / "evals" / "gold"
