"""The actor dictionary: read the YAML files of data/actors/ (and users' files), index them once, cache the result."""

from __future__ import annotations

import calendar
import functools
import hashlib
import logging
import os
import pickle
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import yaml

from pipeline.actors.fold import alias_key
from pipeline.actors.lexicon import AGENTS_FILE, Lexicon, load_lexicon
from pipeline.actors.matcher import AliasRule, PhraseIndex, alias_groups, phrase_index
from pipeline.actors.records import Actor, Alias, Membership, Role

log = logging.getLogger(__name__)
# libyaml's loader parses the dictionary several times faster; the pure-Python one is the fallback.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "actors"
# The Arabic article before a family name, dropped in a second form: "al-Assad" is also "Assad".
ARABIC_ARTICLES = ("al-", "el-", "al ", "el ")
# Files of data/actors/ that are not actor lists.
NOT_ACTOR_FILES = frozenset({AGENTS_FILE.name})
# Bump when the pickled layout changes; the code files' own stamps also key the cache.
CACHE_FORMAT = 1
# Cache files kept: one per set of user files in use, roughly.
CACHE_FILES_KEPT = 4


class DictionaryError(ValueError):
    """An actor file that cannot be read: not YAML, not a list, or an entry without id, name or kind."""


@dataclass(frozen=True)
class Parsed:
    """The records of some actor files, one entry per id."""

    actors: tuple[Actor, ...] = ()
    roles: tuple[Role, ...] = ()
    memberships: tuple[Membership, ...] = ()
    aliases: tuple[Alias, ...] = ()


@dataclass(frozen=True)
class EntryRecords:
    """The records of one entry."""

    actor: Actor
    roles: tuple[Role, ...] = ()
    memberships: tuple[Membership, ...] = ()
    aliases: tuple[Alias, ...] = ()


def builtin_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Return the actor files shipped in ``data_dir``, sorted by name."""
    return sorted(p for p in data_dir.glob("*.yaml") if p.name not in NOT_ACTOR_FILES)


def read_yaml_list(path: Path) -> list:
    """Return the list of entries of a YAML actor file; raise DictionaryError when it is not one."""
    try:
        with path.open(encoding="utf-8") as f:
            data = yaml.load(f, Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError, ValueError) as error:  # ValueError: a date such as 2020-13-01
        raise DictionaryError(f"{path}: cannot read: {error}") from error
    if data is None:
        return []
    if not isinstance(data, list):
        raise DictionaryError(f"{path}: expected a YAML list of actors, got {type(data).__name__}")
    return data


def date_bound(value: object, end: bool = False) -> date | None:
    """Return a date from a YAML value: a date, ``2023`` or ``"2023-04"``, widened to the period's last day for an ``end``."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    parts = [int(p) for p in str(value).strip().split("-")]
    if len(parts) == 3:
        return date(*parts)
    year, month = parts[0], parts[1] if len(parts) == 2 else (12 if end else 1)
    return date(year, month, calendar.monthrange(year, month)[1] if end else 1)


def as_list(value: object) -> list:
    """Return a YAML value as a list: None gives [], a scalar gives [scalar]."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def actor_from_entry(entry: dict, origin: str) -> Actor:
    """Return the actor of a dictionary entry; raise DictionaryError when id, name or kind is missing."""
    missing = [k for k in ("id", "name", "kind") if not entry.get(k)]
    if missing:
        raise DictionaryError(f"missing {', '.join(missing)}")
    return Actor(
        id=str(entry["id"]),
        name=str(entry["name"]),
        kind=str(entry["kind"]),
        country=str(entry.get("country") or ""),
        wikidata=str(entry.get("wikidata") or ""),
        gender=str(entry.get("gender") or ""),
        parent=str(entry.get("parent") or ""),
        sector=str(entry.get("sector") or ""),
        capital=str(entry.get("capital") or ""),
        members=tuple(str(m) for m in as_list(entry.get("members"))),
        origin=origin,
    )


def role_from_entry(actor_id: str, spec: dict) -> Role:
    """Return one role of a person entry."""
    if not isinstance(spec, dict):
        raise DictionaryError(f"role {spec!r} is not a mapping")
    return Role(
        actor_id=actor_id,
        parent=str(spec.get("parent") or ""),
        sector=str(spec.get("sector") or ""),
        role=str(spec.get("role") or ""),
        title=str(spec.get("title") or ""),
        start=date_bound(spec.get("start")),
        end=date_bound(spec.get("end"), end=True),
        approx=bool(spec.get("approx")),
    )


def memberships_from_entry(entry: dict) -> list[Membership]:
    """Return the members of an organisation entry with the dates they joined and left."""
    since, until = entry.get("member_since") or {}, entry.get("member_until") or {}
    members = dict.fromkeys([str(m) for m in as_list(entry.get("members"))] + [str(m) for m in since] + [str(m) for m in until])
    return [Membership(str(entry["id"]), m, date_bound(since.get(m)), date_bound(until.get(m), end=True)) for m in members]


def explicit_alias(actor_id: str, value: object, source: str) -> Alias:
    """Return an alias written as a string or as ``{text, case_sensitive, ambiguous}``."""
    if isinstance(value, dict):
        if not value.get("text"):
            raise DictionaryError(f"alias {value!r} has no text")
        return Alias(str(value["text"]), actor_id, source, bool(value.get("case_sensitive")), bool(value.get("ambiguous")))
    return Alias(str(value), actor_id, source)


def family_names(name: str, country: str, lexicon: Lexicon) -> list[str]:
    """Return what a person is called alone: "Stoltenberg", "von der Leyen" and "Von der Leyen", "Xi" for Xi Jinping."""
    words = [w for w in name.split() if w.rstrip(".,") not in lexicon.suffixes]
    if len(words) < 2 or "of" in words or country in lexicon.no_family_name:  # "Abdullah II of Jordan" has none
        return []
    if country in lexicon.surname_first:
        return [words[0]]
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in lexicon.particles:
        start -= 1
    family = " ".join(words[start:])
    forms = [family, family[0].upper() + family[1:]] if family[0].islower() else [family]
    return forms + article_free(family)


def article_free(family: str) -> list[str]:
    """Return an Arabic family name without its article, the way news also writes it: "al-Bashir" gives "Bashir"."""
    for article in ARABIC_ARTICLES:
        if family.lower().startswith(article) and len(family) > len(article) + 1:
            return [family[len(article) :]]
    return []


def entry_aliases(actor: Actor, entry: dict, lexicon: Lexicon) -> list[Alias]:
    """Return every alias of an entry: its name, aliases, demonyms, capital and metonyms, and a person's family name."""
    aliases = [Alias(actor.name, actor.id, "name")]
    aliases += [explicit_alias(actor.id, a, "alias") for a in as_list(entry.get("aliases"))]
    aliases += [explicit_alias(actor.id, a, "demonym") for a in as_list(entry.get("demonyms"))]
    aliases += [explicit_alias(actor.id, a, "metonym") for a in [*as_list(entry.get("capital")), *as_list(entry.get("metonyms"))]]
    if actor.kind == "person":
        aliases += [Alias(f, actor.id, "surname") for f in person_family_names(actor, entry, lexicon)]
    return with_shared_flags(aliases)


def person_family_names(actor: Actor, entry: dict, lexicon: Lexicon) -> list[str]:
    """Return a person's family names: ``family_name`` when the entry gives it, else derived from the canonical name.

    Aliases are not used: "William Lai" or "Nakatani Gen" would give a given name.
    """
    if entry.get("family_name"):
        return [str(f) for f in as_list(entry["family_name"])]
    return family_names(actor.name, actor.country, lexicon)


def with_shared_flags(aliases: list[Alias]) -> list[Alias]:
    """Return the aliases with the flags of one spelling applied to every alias of the actor folding to it.

    ``name: Chad`` plus ``aliases: [{text: Chad, case_sensitive: true, ambiguous: true}]`` makes the name ambiguous too.
    """
    keys = [alias_key(a.text) for a in aliases]
    flagged = [(k, a) for k, a in zip(keys, aliases, strict=True) if a.case_sensitive or a.ambiguous]
    if not flagged:
        return aliases
    case_sensitive = {k for k, a in flagged if a.case_sensitive}
    ambiguous = {k for k, a in flagged if a.ambiguous}
    return [
        replace(a, case_sensitive=a.case_sensitive or k in case_sensitive, ambiguous=a.ambiguous or k in ambiguous)
        for k, a in zip(keys, aliases, strict=True)
    ]


def entry_records(entry: dict, origin: str, lexicon: Lexicon) -> EntryRecords:
    """Return the records of one dictionary entry."""
    if not isinstance(entry, dict):
        raise DictionaryError(f"expected a mapping, got {entry!r}")
    actor = actor_from_entry(entry, origin)
    return EntryRecords(
        actor=actor,
        roles=tuple(role_from_entry(actor.id, r) for r in as_list(entry.get("roles"))),
        memberships=tuple(memberships_from_entry(entry)) if actor.kind == "organisation" else (),
        aliases=tuple(entry_aliases(actor, entry, lexicon)),
    )


def parse_files(paths: Iterable[Path], lexicon: Lexicon) -> tuple[list[EntryRecords], list[str]]:
    """Return the records of every entry of some actor files, and the entries that cannot be read."""
    records: list[EntryRecords] = []
    errors: list[str] = []
    for path in paths:
        for number, entry in enumerate(read_yaml_list(path), start=1):
            try:
                records.append(entry_records(entry, str(path), lexicon))
            except (DictionaryError, ValueError, TypeError, AttributeError) as error:
                label = entry.get("id", "") if isinstance(entry, dict) else ""
                errors.append(f"{path}: entry {number} {label}: {error}")
    return records, errors


def merged(records: Iterable[EntryRecords]) -> Parsed:
    """Return the records with one entry per id: an entry read later (a user's file) replaces an earlier one."""
    last = list({r.actor.id: r for r in records}.values())
    return Parsed(
        actors=tuple(r.actor for r in last),
        roles=tuple(x for r in last for x in r.roles),
        memberships=tuple(x for r in last for x in r.memberships),
        aliases=tuple(x for r in last for x in r.aliases),
    )


class ActorDictionary:
    """Actors, their dated roles and memberships, and the alias automaton: built once from the actor files."""

    def __init__(self, parsed: Parsed, lexicon: Lexicon, sources: Sequence[Path] = ()) -> None:
        self.sources = tuple(str(p) for p in sources)
        self.lexicon = lexicon
        self.actors: dict[str, Actor] = {a.id: a for a in parsed.actors}
        self.roles: dict[str, tuple[Role, ...]] = group_by(parsed.roles, lambda r: r.actor_id)
        self.holders: dict[tuple[str, str], tuple[Role, ...]] = group_by(parsed.roles, lambda r: (r.parent, r.role))
        self.memberships: dict[str, tuple[Membership, ...]] = group_by(parsed.memberships, lambda m: m.organisation)
        self.children: dict[str, tuple[Actor, ...]] = group_by((a for a in parsed.actors if a.parent), lambda a: a.parent)
        self.aliases = parsed.aliases
        keys, rules = alias_groups(a for a in parsed.aliases if a.actor_id in self.actors)
        self.alias_keys: tuple[str, ...] = tuple(keys)
        self.alias_rules: tuple[tuple[AliasRule, ...], ...] = tuple(rules)
        self.alias_index: PhraseIndex = phrase_index(keys)

    @classmethod
    def from_files(cls, paths: Sequence[Path], agents: Path = AGENTS_FILE) -> ActorDictionary:
        """Return the dictionary of some actor files, uncached; raise DictionaryError when an entry is unreadable."""
        lexicon = load_lexicon(agents)
        records, errors = parse_files(paths, lexicon)
        if errors:
            raise DictionaryError("; ".join(errors))
        return cls(merged(records), lexicon, paths)

    @classmethod
    def load(cls, extra_files: Sequence[Path] = ()) -> ActorDictionary:
        """Return the dictionary of data/actors/*.yaml plus users' files, cached per process and on disk."""
        return cached_dictionary(tuple(Path(p).resolve() for p in (*builtin_files(), *extra_files)))

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors.values())

    def __len__(self) -> int:
        return len(self.actors)

    def get(self, actor_id: str) -> Actor | None:
        """Return the actor with this id, or None."""
        return self.actors.get(actor_id)

    def roles_on(self, actor_id: str, on: date) -> list[Role]:
        """Return the roles an actor held on a date, most senior first."""
        roles = [r for r in self.roles.get(actor_id, ()) if r.valid_on(on)]
        return sorted(roles, key=lambda r: self.lexicon.role_rank(r.role))

    def holder(self, parent: str, role: str, on: date) -> Actor | None:
        """Return who held ``role`` in ``parent`` on a date (on a handover day, the newcomer): NATO's secretary general."""
        holding = [r for r in self.holders.get((parent, role), ()) if r.valid_on(on)]
        if not holding:
            return None
        latest = max(holding, key=lambda r: r.start or date.min)
        return self.actors.get(latest.actor_id)

    def holder_within(self, parent: str, role: str, on: date) -> Actor | None:
        """Return who held ``role`` in ``parent`` or in one of its bodies on a date: the EU's high representative (EEAS)."""
        for body in (parent, *(c.id for c in self.children.get(parent, ()))):
            if (found := self.holder(body, role, on)) is not None:
                return found
        return None

    def members_on(self, organisation: str, on: date) -> list[str]:
        """Return the ids of an organisation's members on a date."""
        return [m.member for m in self.memberships.get(organisation, ()) if (m.since or date.min) <= on <= (m.until or date.max)]


def group_by(records: Iterable, key) -> dict:
    """Return records grouped in tuples by ``key(record)``, in order."""
    groups: dict = {}
    for record in records:
        groups.setdefault(key(record), []).append(record)
    return {k: tuple(v) for k, v in groups.items()}


def cache_dir() -> Path:
    """Return the folder of the dictionary cache: $EVENTLINE_CACHE, else $XDG_CACHE_HOME/eventline, else ~/.cache/eventline."""
    if os.environ.get("EVENTLINE_CACHE"):
        return Path(os.environ["EVENTLINE_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "eventline"


def cache_key(paths: Sequence[Path]) -> str:
    """Return a key that changes when any actor file, the agents file or this package's code changes."""
    code = sorted(Path(__file__).parent.glob("*.py"))
    stamps = [f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size}" for p in (*paths, AGENTS_FILE, *code)]
    return hashlib.sha256("\n".join([str(CACHE_FORMAT), *stamps]).encode()).hexdigest()[:24]


def read_cache(path: Path) -> ActorDictionary | None:
    """Return the pickled dictionary at ``path``, or None when it is missing or unreadable."""
    try:
        with path.open("rb") as f:
            found = pickle.load(f)
    except FileNotFoundError:
        return None
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError) as error:
        log.debug("ignoring actor cache %s: %s", path, error)
        return None
    return found if isinstance(found, ActorDictionary) else None


def write_cache(path: Path, dictionary: ActorDictionary) -> None:
    """Pickle the dictionary at ``path`` atomically; a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as f:
            pickle.dump(dictionary, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
        prune_cache(path.parent)
    except (OSError, pickle.PickleError) as error:
        log.debug("cannot write actor cache %s: %s", path, error)


def prune_cache(folder: Path, keep: int = CACHE_FILES_KEPT) -> None:
    """Delete all but the ``keep`` newest dictionary cache files."""
    stale = sorted(folder.glob("actors-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)[keep:]
    for path in stale:
        path.unlink(missing_ok=True)


@functools.lru_cache(maxsize=8)
def cached_dictionary(paths: tuple[Path, ...]) -> ActorDictionary:
    """Return the dictionary of these files from the disk cache, building and caching it when stale."""
    path = cache_dir() / f"actors-{cache_key(paths)}.pickle"
    if (found := read_cache(path)) is not None:
        return found
    dictionary = ActorDictionary.from_files(paths)
    write_cache(path, dictionary)
    return dictionary
