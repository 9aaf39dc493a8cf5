#!/usr/bin/env bash
# Create .venv and install extractor with the given extras (default: all of them, for
# the tests; the demo asks only for the embedded model and HTML input).
# Idempotent: a second run only checks that everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
EXTRAS=${1:-local,html,evals,dev,service,ray}
.venv/bin/python -m pip install -q -e ".[$EXTRAS]"
