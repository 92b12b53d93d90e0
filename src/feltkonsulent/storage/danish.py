"""Danish text for people: the order lists sort in (the `danish` collation every connection has)
and the folding search matches by. docs/desktop.md, "Søgning", states both rules for users.

Order (as Danish dictionaries and phone books, and ICU's `da`): the letters a–z, then æ, ø, å;
"aa" is å (Aabenraa after Ørsted, Aalborg after Ærø); case does not count (aalborg beside
Aalborg); ä sorts as æ, ö as ø, ü as y; other letters with accents as their base letter
(é as e); spaces and digits before letters. Names equal in that order are ordered by their
exact text, so the order is total (an index needs that) and stable.

Folding (search): both the text indexed and the words typed are lower-cased, æ becomes "ae",
ø "o", å "a", accents are dropped (é → e, ü → u, ö → o, ä → a), and then "aa" becomes "a" and
"oe" "o". So "orsted", "oersted" and "ørsted" are one word, "aarhus", "århus" and "arhus" are
one, "aero" and "ærø" are one. Search matches the start of words, so the rule is written to
keep that: a folded prefix is a prefix of the folded word.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

COLLATION = "danish"

# Letters after z in the sort key: three characters that follow "z" in code point order.
_AFTER_Z = {"æ": "{", "ø": "|", "å": "}"}
# Letters Danish sorts as one of its own (DS 377), before accents are dropped.
_SORTS_AS = {"ä": "æ", "ö": "ø", "ü": "y", "ő": "ø", "ű": "y", "œ": "ø", "ǿ": "ø", "ę": "e"}
# The characters the key uses for æ, ø, å, met in a name: treated as punctuation.
_TAKEN = {"{": "!", "|": "!", "}": "!", "~": "!"}


@lru_cache(maxsize=4096)
def _sort_char(char: str) -> str:
    char = _SORTS_AS.get(char, char)
    if char in _AFTER_Z:
        return _AFTER_Z[char]
    if char in _TAKEN:
        return _TAKEN[char]
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return base if base or unicodedata.combining(char) else char


@lru_cache(maxsize=65536)
def sort_key(text: str) -> str:
    """The text as the order compares it first (equal for Aalborg and aalborg)."""
    folded = text.casefold().replace("aa", "å")
    return "".join(_sort_char(char) for char in folded)


def order(text: str) -> tuple[str, str]:
    """The collation's order as a Python sort key: `sorted(names, key=order)`."""
    return sort_key(text), text


def collate(left: str, right: str) -> int:
    """The `danish` collation: negative, 0 or positive as `left` sorts before, with, after `right`."""
    a, b = order(left), order(right)
    return -1 if a < b else (1 if a > b else 0)


# -- folding for search ---------------------------------------------------------------------
_FOLD_FIRST = {"æ": "ae", "ø": "o", "å": "a", "œ": "oe", "ß": "ss", "ð": "d", "đ": "d",
               "þ": "th", "ł": "l"}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _FOLD_FIRST:
        return _FOLD_FIRST[char]
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))


class _FoldTable(dict[int, str]):
    """Each character's folding, worked out the first time it is met, for str.translate (C speed:
    a visit note is folded whole for every hit shown)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """The text as search compares it (see the module's docstring): "Ørsted" → "orsted",
    "Aarhus" → "arhus", "Ærø" → "aero"."""
    folded = text.casefold()
    if not folded.isascii():
        folded = folded.translate(_FOLD_TABLE)
    return folded.replace("aa", "a").replace("oe", "o")
