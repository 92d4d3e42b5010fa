"""Find dictionary aliases in raw text in one pass of an Aho-Corasick automaton over the folded text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick
from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.actors.fold import alias_key, cased_key, fold_text
from pipeline.actors.records import ALIAS_SOURCES, Alias, AliasMatch

if TYPE_CHECKING:
    from pipeline.actors.dictionary import ActorDictionary
    from pipeline.actors.lexicon import Lexicon

# Aliases of this many letters or more written in capitals also match written as a word ("Nato", "Opec").
CAPITALISED_ACRONYM_MIN = 4
# Aliases this short with a capital inside ("LeT", "JeM", "BiH") are case-sensitive: "Let" is a word.
SHORT_MIXED_CASE = 4
# A middle initial and a capitalised word after a match: the match was someone's first name.
MIDDLE_INITIAL = re.compile(r" [A-Z]\. [A-Z]")


@dataclass(frozen=True, eq=False)
class PhraseIndex:
    """An automaton over folded phrases, padded with spaces so that it only finds whole words."""

    automaton: ahocorasick.Automaton
    lengths: tuple[int, ...]


@dataclass(frozen=True)
class AliasRule:
    """How one alias sharing a folded key must be written to match, and how strong its claim is."""

    actor_id: str
    source: str
    rank: int
    cased: str = ""  # the case-keeping key a case-sensitive alias must equal
    capitalised: bool = False  # written with a capital: never matches text all in lowercase
    ambiguous: bool = False
    surname: bool = False


def phrase_index(keys: Sequence[str]) -> PhraseIndex:
    """Return an automaton finding the folded ``keys`` (numbered by position) as whole words."""
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for number, key in enumerate(keys):
        automaton.add_word(f" {key} ", number)
    if keys:
        automaton.make_automaton()
    return PhraseIndex(automaton, tuple(len(k) for k in keys))


def phrase_spans(folded: str, index: PhraseIndex) -> list[tuple[int, int, int]]:
    """Return ``(start, end, key number)`` of every key in a folded text, overlapping ones included."""
    if not index.lengths:
        return []
    lengths = index.lengths
    return [(end - lengths[n] - 1, end - 1, n) for end, n in index.automaton.iter(f" {folded} ")]


def leftmost_longest(spans: Iterable[tuple[int, int, object]]) -> list:
    """Return the spans that do not overlap, taking the leftmost and then the longest first."""
    kept: list = []
    last_end = -1
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if span[0] >= last_end:
            kept.append(span)
            last_end = span[1]
    return kept


def alias_rule(alias: Alias) -> AliasRule:
    """Return the matching rule of an alias: ALL-CAPS, short mixed-case ones and family names are case-sensitive."""
    letters = [c for c in alias.text if c.isalpha()]
    all_caps = len(letters) > 1 and all(c.isupper() for c in letters)
    short_mixed = len(letters) <= SHORT_MIXED_CASE and any(c.isupper() for c in letters[1:])  # "LeT", "BiH" but not "Let"
    case_sensitive = alias.case_sensitive or all_caps or short_mixed or alias.source == "surname"
    return AliasRule(
        actor_id=alias.actor_id,
        source=alias.source,
        rank=ALIAS_SOURCES.index(alias.source),
        cased=cased_key(alias.text) if case_sensitive else "",
        capitalised=any(c.isupper() for c in letters),
        ambiguous=alias.ambiguous,
        surname=alias.source == "surname",
    )


def acronym_variants(alias: Alias) -> list[Alias]:
    """Return the alias, plus its capitalised form for a long one-word acronym: NATO gives NATO and Nato."""
    word = alias.text
    if alias.case_sensitive or not (word.isalpha() and word.isupper() and len(word) >= CAPITALISED_ACRONYM_MIN):
        return [alias]
    return [alias, Alias(word.capitalize(), alias.actor_id, alias.source, case_sensitive=True, ambiguous=alias.ambiguous)]


def alias_groups(aliases: Iterable[Alias]) -> tuple[list[str], list[tuple[AliasRule, ...]]]:
    """Return the folded keys of the aliases and, for each key, the rules of the aliases that fold to it."""
    groups: dict[str, dict[AliasRule, None]] = {}
    for alias in aliases:
        for variant in acronym_variants(alias):
            for key in alias_keys(variant.text):
                groups.setdefault(key, {})[alias_rule(variant)] = None
    return list(groups), [tuple(rules) for rules in groups.values()]


def alias_keys(text: str) -> set[str]:
    """Return the keys of an alias: folded with single spaces, and as folded when its punctuation makes double spaces.

    "Kurdistan Workers' Party" gives "kurdistan workers party" and "kurdistan workers  party", so the text matches
    written with or without the apostrophe ("'" then a space folds to two spaces in the text too).
    """
    return {k for k in (alias_key(text), fold_text(text).strip()) if k}


def word_before(text: str, start: int, skipped: frozenset[str] = frozenset()) -> str:
    """Return the word separated from ``start`` by spaces (and by ``skipped`` words, "El" in "Omar El Bashir"), or ``""``.

    One line break counts as a space (hard-wrapped text: "Christian\nDemocratic Party"); a blank line does not.
    """
    i, breaks = start, 0
    while i > 0 and (text[i - 1] in " -\t" or (text[i - 1] == "\n" and breaks == 0)):
        breaks += text[i - 1] == "\n"
        i -= 1
    j = i
    while j > 0 and text[j - 1].isalnum():
        j -= 1
    if i == start:
        return ""
    return word_before(text, j, skipped) if text[j:i].lower() in skipped and j < i else text[j:i]


def word_after(text: str, end: int) -> str:
    """Return the word separated from ``end`` by spaces only, or ``""``."""
    i = end
    while i < len(text) and text[i] == " ":
        i += 1
    j = i
    while j < len(text) and text[j].isalnum():
        j += 1
    return text[i:j] if i > end else ""


def is_name_word(word: str, name_words: frozenset[str]) -> bool:
    """Return True for a capitalised word that may be part of a name: "Smith", not "President", "The" or "In"."""
    return bool(word) and word[0].isupper() and word.lower() not in name_words and word.lower() not in STOP_WORDS


def glued_after_word(text: str, start: int) -> bool:
    """Return True when a hyphen joins the match to the word before it ("Shan-e-Mustafa")."""
    return start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()


def inside_longer_name(text: str, start: int, end: int, rule: AliasRule, lexicon: Lexicon) -> bool:
    """Return True when a capitalised word next to the match makes it part of a longer name ("Chad Smith").

    Particles are looked through: in "Omar El Bashir", "Omar" stands before "Bashir".
    """
    before = word_before(text, start, lexicon.particles if rule.surname else frozenset())
    if is_name_word(before, lexicon.name_words) or glued_after_word(text, start):
        return True
    if rule.surname and MIDDLE_INITIAL.match(text, end):
        return True  # "Lee H. Hamilton", "Jonathan P. Blair": a first name before a middle initial
    return rule.ambiguous and is_name_word(word_after(text, end), lexicon.name_words)


def cased_fits(written: str, cased: str) -> bool:
    """Return True when text written so matches a case-sensitive alias: as is, or all in capitals for a name
    ("BLINKEN" in a transcript, "CHAD" in a headline), not for a short one ("US" is not "Us")."""
    if written == cased:
        return True
    return len(cased) >= CAPITALISED_ACRONYM_MIN and written.isupper() and written == cased.upper()


def rule_fits(rule: AliasRule, span: str, text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Return True when the text span is written the way the alias rule asks."""
    if rule.cased and not cased_fits(cased_key(span), rule.cased):
        return False
    if rule.capitalised and span.islower():
        return False
    return not ((rule.ambiguous or rule.surname) and inside_longer_name(text, start, end, rule, lexicon))


def best_claims(rules: Sequence[AliasRule]) -> tuple[tuple[str, ...], AliasRule]:
    """Return the actors with the strongest claim among fitting rules (best rank), and the first such rule."""
    best = min(r.rank for r in rules)
    top = [r for r in rules if r.rank == best]
    return tuple(dict.fromkeys(r.actor_id for r in top)), top[0]


def alias_match(text: str, start: int, end: int, rules: Sequence[AliasRule], lexicon: Lexicon) -> AliasMatch | None:
    """Return the match of one key occurrence, or None when no alias sharing the key is written that way."""
    span = text[start:end]
    fitting = [r for r in rules if rule_fits(r, span, text, start, end, lexicon)]
    if not fitting:
        return None
    actor_ids, rule = best_claims(fitting)
    ambiguous = len(actor_ids) > 1 or any(r.ambiguous for r in fitting)
    if "." in span and text[end : end + 1] == ".":  # the abbreviation's last dot: "U.S."
        end += 1
    return AliasMatch(start, end, text[start:end], actor_ids, rule.source, ambiguous)


def match_aliases(text: str, dictionary: ActorDictionary) -> list[AliasMatch]:
    """Return the dictionary aliases in raw text, longest first where they overlap, e.g. "NATO's" gives NATO."""
    groups, lexicon = dictionary.alias_rules, dictionary.lexicon
    found = (alias_match(text, s, e, groups[n], lexicon) for s, e, n in phrase_spans(fold_text(text), dictionary.alias_index))
    return [m for _, _, m in leftmost_longest((m.start_char, m.end_char, m) for m in found if m is not None)]
