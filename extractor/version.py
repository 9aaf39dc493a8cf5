"""The package's version, recorded in every result and joined to cache and batch keys.

Code shapes a result as much as prompts and lexicons do: a cached answer or a batch
line made by another release is not reused as if this one had made it.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "extractor-news"  # the PyPI name; the import package is `extractor`


@cache
def package_version() -> str:
    """The installed distribution's version; "unknown" in a source tree never installed."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"
