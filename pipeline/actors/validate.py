"""Check actor files: unique ids, known codes and parents, ordered dates, no alias two actors claim equally.

``python -m pipeline.actors.validate [FILE...]`` prints the problems of data/actors/, or of users' files given.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.actors.dictionary import EntryRecords, builtin_files, parse_files
from pipeline.actors.fold import alias_key
from pipeline.actors.lexicon import AGENTS_FILE, Lexicon, load_lexicon
from pipeline.actors.matcher import AliasRule, alias_rule
from pipeline.actors.records import KINDS, Role

STATE_ID = re.compile(r"[A-Z]{3}")
OTHER_ID = re.compile(r"[a-z0-9_]+")
WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")
GENDERS = ("m", "f")
STATE_ONLY_FIELDS = ("demonyms", "capital", "metonyms")
# Offices one person holds at a time: two holders on the same day (handover aside) is a data error.
SINGLE_HOLDER_ROLES = frozenset({"head of government", "secretary general", "foreign minister", "defence minister"})


@dataclass(frozen=True)
class DataProblem:
    """A problem of the actor data: ``error`` breaks resolution, ``warning`` is worth a look."""

    severity: str
    origin: str
    actor_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {Path(self.origin).name}: {self.actor_id}: {self.message}"


def id_problems(records: Sequence[EntryRecords]) -> Iterable[DataProblem]:
    """Yield ids defined twice, malformed ids, unknown kinds and non-ASCII names."""
    seen: dict[str, str] = {}
    for r in records:
        a = r.actor
        if a.id in seen:
            yield DataProblem("error", a.origin, a.id, f"id also defined in {Path(seen[a.id]).name}")
        seen.setdefault(a.id, a.origin)
        if a.kind not in KINDS:
            yield DataProblem("error", a.origin, a.id, f"kind {a.kind!r} is not one of {', '.join(KINDS)}")
        if not (STATE_ID if a.kind == "state" else OTHER_ID).fullmatch(a.id):
            yield DataProblem("error", a.origin, a.id, "id must be ISO3 uppercase for states, a lowercase slug otherwise")
        if not a.name.isascii():
            yield DataProblem("error", a.origin, a.id, f"name {a.name!r} is not ASCII (put the accented form in aliases)")


def field_problems(records: Sequence[EntryRecords], lexicon: Lexicon) -> Iterable[DataProblem]:
    """Yield unknown countries, parents and members, bad genders and Wikidata ids."""
    ids = {r.actor.id for r in records}
    states = {r.actor.id for r in records if r.actor.kind == "state"}
    for r in records:
        a = r.actor
        if a.country and a.country not in states:
            yield DataProblem("error", a.origin, a.id, f"country {a.country!r} is not a state id")
        if a.kind == "state" and a.country and a.country != a.id:
            yield DataProblem("error", a.origin, a.id, f"a state's country must be its id, not {a.country!r}")
        if a.parent and a.parent not in ids:
            yield DataProblem("error", a.origin, a.id, f"parent {a.parent!r} is not an actor id")
        for m in r.memberships:
            if m.member not in ids:
                yield DataProblem("error", a.origin, a.id, f"member {m.member!r} is not an actor id")
        if a.kind == "person" and a.gender not in GENDERS:
            yield DataProblem("warning" if not a.gender else "error", a.origin, a.id, f"gender {a.gender!r} is not m or f")
        if a.wikidata and not WIKIDATA_ID.fullmatch(a.wikidata):
            yield DataProblem("error", a.origin, a.id, f"wikidata {a.wikidata!r} is not a Q-id")
        if a.sector and a.sector not in lexicon.sectors:
            yield DataProblem("error", a.origin, a.id, f"sector {a.sector!r} is not in the sector vocabulary")
        if a.kind != "state" and any(x.source in ("demonym", "metonym") for x in r.aliases):
            yield DataProblem("error", a.origin, a.id, f"{'/'.join(STATE_ONLY_FIELDS)} are for states only")


def role_problems(records: Sequence[EntryRecords], lexicon: Lexicon) -> Iterable[DataProblem]:
    """Yield roles with unknown parents, sectors or role names, or dates out of order."""
    ids = {r.actor.id for r in records}
    for r in records:
        for role in r.roles:
            where = (r.actor.origin, r.actor.id)
            if role.parent not in ids:
                yield DataProblem("error", *where, f"role {role.role!r}: parent {role.parent!r} is not an actor id")
            if role.role not in lexicon.roles:
                yield DataProblem("error", *where, f"role {role.role!r} is not in the role vocabulary")
            if role.sector not in lexicon.sectors:
                yield DataProblem("error", *where, f"role {role.role!r}: sector {role.sector!r} is not in the sector vocabulary")
            if role.start and role.end and role.start > role.end:
                yield DataProblem("error", *where, f"role {role.role!r} ends ({role.end}) before it starts ({role.start})")
        for m in r.memberships:
            if m.since and m.until and m.since > m.until:
                yield DataProblem("error", r.actor.origin, r.actor.id, f"member {m.member!r} leaves before it joins")


def overlap_days(a: Role, b: Role) -> int:
    """Return how many days two roles overlap (0 when they do not; open ends run forever)."""
    start = max(a.start or date.min, b.start or date.min)
    end = min(a.end or date.max, b.end or date.max)
    return max((end - start).days, 0)


def holder_problems(records: Sequence[EntryRecords]) -> Iterable[DataProblem]:
    """Yield single-holder offices held by two people for more than a handover day."""
    by_office: dict[tuple[str, str], list[tuple[Role, str]]] = defaultdict(list)
    for r in records:
        for role in r.roles:
            if role.role in SINGLE_HOLDER_ROLES:
                by_office[(role.parent, role.role)].append((role, r.actor.origin))
    for (parent, office), held in by_office.items():
        for i, (a, origin) in enumerate(held):
            for b, _ in held[i + 1 :]:
                if a.actor_id != b.actor_id and overlap_days(a, b) > 1:
                    spans = f"{a.start}..{a.end} / {b.start}..{b.end}"
                    yield DataProblem("warning", origin, a.actor_id, f"{parent} {office} overlaps {b.actor_id} ({spans})")


def claims_by_key(records: Sequence[EntryRecords]) -> dict[str, list[AliasRule]]:
    """Return the alias rules of every actor, grouped by folded key."""
    claims: dict[str, list[AliasRule]] = defaultdict(list)
    for r in records:
        for alias in r.aliases:
            claims[alias_key(alias.text)].append(alias_rule(alias))
    return claims


def can_match_same_text(a: AliasRule, b: AliasRule) -> bool:
    """Return True when two aliases of one key could match the same written text."""
    return not (a.cased and b.cased and a.cased != b.cased)


def alias_problems(records: Sequence[EntryRecords]) -> Iterable[DataProblem]:
    """Yield aliases two actors claim with equal strength and no ``ambiguous`` flag to let context choose."""
    origin = {r.actor.id: r.actor.origin for r in records}
    for key, rules in claims_by_key(records).items():
        rules = [r for r in rules if r.source != "surname"]  # family names are chosen by context by design
        best = min((r.rank for r in rules), default=0)
        top = [r for r in rules if r.rank == best]
        clash = sorted({r.actor_id for r in top for s in top if s.actor_id != r.actor_id and can_match_same_text(r, s)})
        if clash and not all(r.ambiguous for r in top if r.actor_id in clash):
            others = ", ".join(clash[1:])
            message = f"alias {key!r} ({top[0].source}) also names {others}; flag it ambiguous or drop one"
            yield DataProblem("error", origin[clash[0]], clash[0], message)


def dictionary_problems(paths: Sequence[Path] | None = None, agents: Path = AGENTS_FILE) -> list[DataProblem]:
    """Return every problem of the actor files (data/actors/ by default), errors first."""
    lexicon = load_lexicon(agents)
    records, errors = parse_files(builtin_files() if paths is None else paths, lexicon)
    found = [DataProblem("error", e.split(":", 1)[0], "", e.split(":", 1)[1].strip()) for e in errors]
    checks = (
        id_problems(records),
        field_problems(records, lexicon),
        role_problems(records, lexicon),
        holder_problems(records),
        alias_problems(records),
    )
    for check in checks:
        found += check
    return sorted(found, key=lambda p: (p.severity != "error", p.origin, p.actor_id))


def user_file_problems(paths: Sequence[Path]) -> list[DataProblem]:
    """Return the problems of users' files checked together with data/actors/; redefining a built-in id is allowed."""
    names = {str(p) for p in paths}
    problems = dictionary_problems([*builtin_files(), *paths])
    return [p for p in problems if p.origin in names and not p.message.startswith("id also defined in")]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the problems of data/actors/, or of the files given (checked against data/actors/); 1 when there is an error."""
    args = list(sys.argv[1:] if argv is None else argv)
    problems = user_file_problems([Path(a) for a in args]) if args else dictionary_problems()
    sys.stdout.write("".join(f"{p}\n" for p in problems))
    return int(any(p.severity == "error" for p in problems))


if __name__ == "__main__":
    sys.exit(main())
