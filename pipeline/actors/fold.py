"""Fold text for alias matching, one character for one so that spans in the folded text are spans in the original.

``fold_text("Erdoğan’s Kim Jong-un")`` gives ``"erdogan s kim jong un"``: accents dropped, case lowered,
every character that is not a letter, a digit, "+" or "&" (hyphen, apostrophe, dot...) turned into a space.
"""

from __future__ import annotations

import unicodedata

# Characters from U+0000 to here get a folding rule; the rest (CJK, emoji...) pass unchanged.
FOLDED_RANGE = 0x3000
# Symbols that are part of names, kept: "OPEC+" is not "OPEC", "AT&T" is not "AT T".
KEPT_SYMBOLS = frozenset("+&")
# Letters that Unicode does not decompose into a base letter plus accents.
EXTRA_BASE_LETTERS = {"ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "ħ": "h", "Ħ": "H"}


def base_letter(char: str) -> str:
    """Return ``char`` without accents when that is one character, e.g. ``"ğ"`` gives ``"g"``."""
    if char in EXTRA_BASE_LETTERS:
        return EXTRA_BASE_LETTERS[char]
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if len(base) == 1 else char


def one_char_lower(char: str) -> str:
    """Return the lowercase of ``char`` when that is one character, else ``char``."""
    lower = char.lower()
    return lower if len(lower) == 1 else char


def cased_table() -> dict[int, str]:
    """Return the translation table that drops accents and blanks punctuation but keeps case."""
    return {cp: base_letter(chr(cp)) if chr(cp).isalnum() else chr(cp) if chr(cp) in KEPT_SYMBOLS else " " for cp in range(FOLDED_RANGE)}


def folding_table() -> dict[int, str]:
    """Return the translation table that also lowers case."""
    return {cp: one_char_lower(char) for cp, char in cased_table().items()}


CASED = cased_table()
FOLDED = folding_table()


def fold_text(text: str) -> str:
    """Return ``text`` folded for case-insensitive matching, the same length as ``text``."""
    return text.translate(FOLDED)


def cased_text(text: str) -> str:
    """Return ``text`` folded but with its case kept, for case-sensitive aliases: ``"U.S."`` gives ``"U S "``."""
    return text.translate(CASED)


def alias_key(text: str) -> str:
    """Return the key an alias is matched by: folded, with runs of spaces squeezed, e.g. ``"U.S."`` gives ``"u s"``."""
    return " ".join(fold_text(text).split())


def cased_key(text: str) -> str:
    """Return the case-keeping key of an alias, to check a case-sensitive match: ``"U.S."`` gives ``"U S"``."""
    return " ".join(cased_text(text).split())


def slug(text: str) -> str:
    """Return an ASCII identifier for a name, e.g. ``slug("Recep Tayyip Erdoğan")`` gives ``"recep_tayyip_erdogan"``."""
    return "_".join(alias_key(text).encode("ascii", "ignore").decode().split())
