"""Dates: the publication date stated in a text, and meeting dates resolved against it.

Deterministic and conservative, per RECORDS.md: a relative expression ("الأحد",
"أمس الاثنين", "next Tuesday", "12 أبريل الجاري") is resolved only against a known
`published` date, and a date whose year the text cannot give stays null. The model
copies the expression; code, not the model, does the calendar arithmetic.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DAY_WORD = re.compile(r"\b\d{1,2}\b|[0-9٠-٩]{1,2}")
# Words that only say "this/next/last" around a date; the preference carries them.
_FILLER = re.compile(
    r"\b(?:الجاري|الحالي|المقبل|القادم|الماضي|المنصرم|يوم|في|من|مساء|صباح|ظهر|this|on|the)\b",
    re.IGNORECASE,
)
_FUTURE_WORDS = re.compile(r"المقبل|القادم|next|coming|upcoming", re.IGNORECASE)
_PAST_WORDS = re.compile(r"الماضي|المنصرم|last|past", re.IGNORECASE)
_RELATIVE_DAYS = {
    "أمس": -1,
    "امس": -1,
    "البارحة": -1,
    "yesterday": -1,
    "اليوم": 0,
    "today": 0,
    "tonight": 0,
    "الليلة": 0,
    "غدا": 1,
    "غداً": 1,
    "tomorrow": 1,
}
_MONTH_ONLY = re.compile(
    r"^\s*(?:شهر\s+)?\S+\s+(?:19|20)\d\d\s*$|^\s*(?:19|20)\d\d-\d\d\s*$", re.IGNORECASE
)
# Header lines that say "published" in some way; the date follows.
_PUBLISHED_HINT = re.compile(
    r"تاريخ النشر|نشر في|published|updated|posted|^\s*\w{3}, \d{1,2} \w{3} \d{4}", re.IGNORECASE
)


def _settings(base: dt.date | None, prefer: str) -> dict[str, object]:
    settings: dict[str, object] = {
        "PREFER_DATES_FROM": prefer,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
    }
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    return settings


@lru_cache(maxsize=1024)
def _parse(text: str, base: dt.date | None, prefer: str) -> dt.datetime | None:
    import dateparser  # noqa: PLC0415  (0.5 s to import: paid at the first date, not at import)

    parsed: dt.datetime | None = dateparser.parse(
        text, languages=["ar", "en"], settings=_settings(base, prefer)
    )
    return parsed


def resolve_date(date_text: str | None, published: str | None, status: str | None) -> str | None:
    """`date_text` as YYYY-MM-DD (or YYYY-MM), or None when the text cannot give the year."""
    if not date_text or not date_text.strip():
        return None
    text = date_text.strip()
    base = dt.date.fromisoformat(published) if published else None
    if _FUTURE_WORDS.search(text):
        prefer = "future"
    elif _PAST_WORDS.search(text):
        prefer = "past"
    else:
        prefer = "future" if status == "planned" else "past"
    explicit_year = bool(_YEAR.search(text))
    if base is None and not explicit_year:
        return None
    for word, delta in _RELATIVE_DAYS.items():
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) and base:
            return (base + dt.timedelta(days=delta)).isoformat()
    cleaned = " ".join(_FILLER.sub(" ", text).split()) or text
    parsed = _parse(cleaned, base, prefer) or _parse(text, base, prefer)
    if parsed is None:
        return None
    if explicit_year and not _DAY_WORD.search(_YEAR.sub("", text)):
        return f"{parsed.year:04d}-{parsed.month:02d}"
    return parsed.date().isoformat()


def find_published(header: str) -> str | None:
    """The publication date stated in an article's first lines, or None.

    Only lines that look like a date line are tried (a hint word, or a line that
    is mostly a date), so a date inside the story is never taken for it.
    """
    for line in header.splitlines()[:6]:
        line = line.strip()
        if not line or len(line) > 120:
            continue
        candidate = line
        hinted = _PUBLISHED_HINT.search(line)
        if hinted and ":" in line:
            label = line[: line.index(":")]
            # Split off a "Published:" label, never the colon of a time ("05:00:35").
            if hinted.end() <= len(label) + 1 and not any(ch.isdigit() for ch in label):
                candidate = line.split(":", 1)[1]
        if not (hinted or _looks_like_date_line(line)):
            continue
        if not _YEAR.search(candidate):
            continue
        parsed = _parse(candidate.strip(), None, "past")
        if parsed is not None:
            return parsed.date().isoformat()
    return None


def _looks_like_date_line(line: str) -> bool:
    letters = sum(ch.isalpha() for ch in line)
    digits = sum(ch.isdigit() for ch in line)
    return digits >= 4 and letters <= 24
