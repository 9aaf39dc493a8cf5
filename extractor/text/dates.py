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
    day = _weekday(text)
    if (
        day is not None
        and base is not None
        and not (_FUTURE_WORDS.search(text) or _PAST_WORDS.search(text))
    ):
        # "met on Monday" in Monday's paper is that day; else the nearest one in the
        # direction the status points
        if prefer == "future":
            return (base + dt.timedelta(days=(day - base.weekday()) % 7)).isoformat()
        return (base - dt.timedelta(days=(base.weekday() - day) % 7)).isoformat()
    cleaned = " ".join(_FILLER.sub(" ", text).split()) or text
    parsed = _parse(cleaned, base, prefer) or _parse(text, base, prefer)
    if parsed is None:
        return None
    if explicit_year and not _DAY_WORD.search(_YEAR.sub("", text)):
        return f"{parsed.year:04d}-{parsed.month:02d}"
    return parsed.date().isoformat()


_AR_WEEKDAYS = {  # Monday = 0, as `date.weekday()`; with and without hamza
    "الاثنين": 0,
    "الإثنين": 0,
    "الثلاثاء": 1,
    "الأربعاء": 2,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
    "الاحد": 6,
}
_AR_DAYS = "|".join(_AR_WEEKDAYS)
_AR_MONTHS = (
    "يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر"
    "|ديسمبر|كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني"
    "|كانون الأول"
)
_EN_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE_IN_TEXT = {
    "ar": re.compile(
        rf"(?<!\w)(?:(?:أمس|امس|اليوم|غدا|غداً)(?:\s+(?:{_AR_DAYS}))?"
        rf"|(?:يوم\s+)?(?:{_AR_DAYS})(?:\s+(?:المقبل|القادم|الماضي))?"
        rf"|\d{{1,2}}\s+(?:من\s+)?(?:{_AR_MONTHS})(?:\s*/\s*(?:{_AR_MONTHS}))?(?:\s+\d{{4}}|\s+الجاري)?"
        rf"|(?:{_AR_MONTHS})\s+\d{{4}})(?!\w)"
    ),
    "en": re.compile(
        rf"\b(?:(?:next|last|this)\s+)?(?:{_EN_DAYS})\b"
        rf"|\b(?:today|yesterday|tomorrow)\b"
        rf"|\b(?:{_EN_MONTHS})(?:\s+\d{{1,2}})?,?\s+\d{{4}}\b"
        rf"|\b\d{{1,2}}\s+(?:{_EN_MONTHS})(?:\s+\d{{4}})?\b"
    ),
}


_WEEKDAYS = {**{d: n for n, d in enumerate(_EN_DAYS.lower().split("|"))}, **_AR_WEEKDAYS}


def _weekday(text: str) -> int | None:
    """The day of the week an expression names alone ("الأحد", "on Monday"), or None."""
    words = [w.strip(".,،") for w in text.lower().split()]
    days = [_WEEKDAYS[w] for w in words if w in _WEEKDAYS]
    others = [w for w in words if w not in _WEEKDAYS and w not in ("on", "يوم", "this")]
    return days[0] if len(days) == 1 and not others else None


def date_in(text: str, language: str) -> str | None:
    """The first date expression a sentence writes ("الأحد", "on Monday", "December
    2011", "12 أبريل الجاري"), as written, for `resolve_date`; None if it has none."""
    pattern = _DATE_IN_TEXT.get(language)
    found = pattern.search(text) if pattern else None
    return found.group(0).strip() if found else None


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
