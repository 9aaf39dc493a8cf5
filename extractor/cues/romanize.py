"""Arabic names in Latin letters, for an actor's `name_en` where no English name is known.

A deterministic, simplified ALA-LC romanization: one Latin value per letter from the
pack's `romanization` table (ث th, خ kh, ش sh, ع ', ة a …), the article ال as "al-",
و and ي as the long vowels u and i between two consonants and as w and y elsewhere;
short vowels are not written in Arabic, so none are guessed ("محمد" is "Mhmd", "سامح
شكري" is "Samh Shkri"). No diacritics, each word capitalized: readable, searchable and
always the same for the same spelling, which a reader of English output needs more
than an Arabic name repeated.
"""

from __future__ import annotations

from ..lang.lexicon import Lexicon
from ..models import Actor
from .rulebook import rule

_LONG = {"و": "long و", "ي": "long ي"}


def romanize(name: str, lex: Lexicon) -> str:
    """`name` in Latin letters by the pack's table; letters it lacks are kept as they are."""
    table = dict(lex.romanization)
    words = []
    for word in name.split():
        prefix = ""
        if word.startswith("ال") and len(word) > 3:
            prefix, word = table.get("article", "al-"), word[2:]
        out = []
        for i, ch in enumerate(word):
            between = 0 < i < len(word) - 1 or (i == len(word) - 1 and i > 0)
            before = word[i - 1] if i else ""
            if ch in _LONG and between and before not in "اوي":
                out.append(table.get(_LONG[ch], table.get(ch, ch)))
            else:
                out.append(table.get(ch, ch))
        latin = "".join(out)
        words.append(prefix + (latin[:1].upper() + latin[1:] if latin else latin))
    return " ".join(words)


@rule(
    "actors.romanized-name-en",
    stage="actors",
    language="ar",
    purpose="A named person's Arabic name with no English name known gets a romanized "
    "name_en (simplified ALA-LC, no short vowels), not the Arabic repeated",
    example="قال سامر الحداد إن الميناء سيغلق.",
    off=None,
)
def romanized_name_en(actor: Actor, lex: Lexicon) -> str | None:
    """The romanized name of a named person whose `name_en` only repeats the Arabic.

    Descriptions ("مسؤول أمريكي كبير") and bodies ("وزارة الخارجية") are words to
    translate, not names to spell, so they keep their text.
    """
    if not lex.romanization or actor.name_en != actor.name:
        return None
    if actor.kind != "person" or actor.anonymous:
        return None
    if not any(ch in dict(lex.romanization) for ch in actor.name):
        return None
    return romanize(actor.name, lex)
