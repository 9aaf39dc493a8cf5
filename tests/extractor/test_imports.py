"""Import costs and side effects, measured in a fresh interpreter each time."""

from __future__ import annotations

import subprocess
import sys


def _fresh(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_import_extractor_loads_no_sdk_no_harness_and_no_scoring_deps() -> None:
    loaded = _fresh(
        "import sys, extractor\n"
        "heavy = ('openai', 'instructor', 'dateparser', 'scipy', 'numpy', 'vcr', 'evals')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    assert loaded == "[]"


def test_import_has_no_side_effects() -> None:
    """No atexit hook and no registry of Extractors at import; servers register on start."""
    out = _fresh(
        "import atexit\n"
        "ours = []\n"
        "real = atexit.register\n"
        "def spy(f, *a, **k):\n"
        "    if getattr(f, '__module__', '').startswith('extractor'):\n"
        "        ours.append(f.__qualname__)\n"
        "    return real(f, *a, **k)\n"
        "atexit.register = spy\n"
        "import extractor, extractor.cli, extractor.llm.runtime as r\n"
        "print(ours, len(r._servers), hasattr(extractor, '_default'))"
    )
    assert out == "[] 0 False"


def test_the_service_stack_loads_only_with_the_service() -> None:
    """`import extractor` (and the CLI) never load FastAPI, SQLAlchemy or Prometheus."""
    loaded = _fresh(
        "import sys, extractor, extractor.cli\n"
        "heavy = ('fastapi', 'sqlalchemy', 'prometheus_client', 'uvicorn', 'starlette')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    assert loaded == "[]"
