#!/usr/bin/env bash
# The main job on a fresh machine: set up, then extract the seed article on the
# embedded model (no API key). The first run assembles and verifies the model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh local,html
exec .venv/bin/extractor extract examples/seed-cnn-qatar-hamas.txt --strategy cues "$@"
