"""Benchmarks of the actor step: dictionary load time, alias matching speed, the seed article, PLOVER countries.

Run ``python bench/bench_actors.py [load|speed|resolve|seed|plover|all] [-v]``; figures are kept in bench/README_actors.md.
Needs ../shared (the eval and corpora folders); skips a part with a message when its input is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.actors import ActorDictionary, ActorMention, find_actors, match_aliases  # noqa: E402
from pipeline.actors.dictionary import builtin_files, cached_dictionary  # noqa: E402

SHARED = ROOT.parent / "shared"
SEED_TEXT = SHARED / "eval" / "seed" / "000_07e17540711d636a.txt"
SEED_GOLD = SHARED / "eval" / "seed" / "gold.jsonl"
SEED_PUBLISHED = date(2023, 2, 23)
PLOVER = SHARED / "eval" / "plover" / "plover_gsr_flat.jsonl"
# The records' placeholder date: the sentences come from wire stories of about 2000 (plover/ABOUT.md).
PLOVER_DATE = date(2000, 1, 1)
REUTERS = SHARED / "corpora" / "reuters21578.jsonl"
SPEED_ARTICLES = 5000
RESOLVE_ARTICLES = 300

# Roles on 2023-02-23 from the public record. Wang Yi had left the foreign ministry (Qin Gang held it from
# 2022-12-30) and headed the CCP's foreign affairs office, which the role vocabulary has no name for.
SEED_ROLES: dict[str, Callable[[str], bool]] = {
    "Jens Stoltenberg": lambda r: r == "secretary general",
    "Volodymyr Zelensky": lambda r: r == "head of state",
    "Xi Jinping": lambda r: r == "head of state",
    "Vladimir Putin": lambda r: r == "head of state",
    "Joe Biden": lambda r: r == "head of state",
    "Antony Blinken": lambda r: r == "foreign minister",
    "Recep Tayyip Erdogan": lambda r: r == "head of state",
    "Wang Yi": lambda r: r != "foreign minister",
}
# PLOVER codes that are not ISO 3166 but plainly mean a country (typos of the re-coding), and codes that are not countries.
PLOVER_CODE_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
# Verbs that report another event: "X will do Y, officials said" is about doing Y.
REPORTING_LEMMAS = frozenset({"say", "tell", "announce", "report", "add", "state", "confirm", "quote"})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
OBJECT_DEPS = ("dobj", "dative", "attr", "oprd")
CHAIN_DEPS = ("xcomp", "ccomp", "acomp", "conj", "advcl")
# Prepositions whose object is a recipient, most likely first; others ("after", "during") are circumstances.
TARGET_PREPS = ("to", "against", "with", "toward", "towards", "on", "upon", "into", "at", "for", "from", "over", "in", "of")


def timed(run: Callable[[], object]) -> tuple[float, object]:
    """Return the seconds a call took and what it returned."""
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


# ---------------------------------------------------------------- load

LOAD_SNIPPET = (
    "import time; t = time.perf_counter(); from pipeline.actors import ActorDictionary; t1 = time.perf_counter(); "
    "d = ActorDictionary.load(); print(time.perf_counter() - t1, time.perf_counter() - t, len(d))"
)


def bench_load() -> dict[str, float]:
    """Return the seconds to build the dictionary from YAML, and to load it from the cache in a fresh process."""
    build_s, dictionary = timed(lambda: ActorDictionary.from_files(builtin_files()))
    cached_dictionary(tuple(p.resolve() for p in builtin_files()))  # make sure the cache file exists
    out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return {
        "actors": len(dictionary),
        "aliases": len(dictionary.aliases),
        "keys": len(dictionary.alias_keys),
        "build_s": build_s,
        "cached_load_s": float(out[0]),
        "import_and_load_s": float(out[1]),
    }


# ---------------------------------------------------------------- speed


def reuters_texts(limit: int) -> list[str]:
    """Return the first ``limit`` Reuters-21578 article texts."""
    with REUTERS.open(encoding="utf-8") as f:
        return [t for t in (json.loads(line).get("text", "") for line, _ in zip(f, range(limit), strict=False)) if t]


def bench_speed(dictionary: ActorDictionary, repeats: int = 3) -> dict[str, float]:
    """Return words per second of match_aliases over Reuters articles (best of ``repeats``), one core."""
    texts = reuters_texts(SPEED_ARTICLES)
    words = sum(len(t.split()) for t in texts)
    best = min(timed(lambda: [match_aliases(t, dictionary) for t in texts])[0] for _ in range(repeats))
    matches = sum(len(match_aliases(t, dictionary)) for t in texts)
    return {"articles": len(texts), "words": words, "seconds": best, "words_per_s": words / best, "matches": matches}


def bench_resolve(dictionary: ActorDictionary, limit: int = RESOLVE_ARTICLES) -> dict[str, float]:
    """Return the time find_actors takes on parsed Reuters articles, the parse itself excluded."""
    from pipeline.nlp import load_nlp

    docs = list(load_nlp().pipe(reuters_texts(limit)))
    words = sum(len(d.text.split()) for d in docs)
    seconds, found = timed(lambda: [find_actors(d, date(1987, 3, 1), dictionary) for d in docs])
    return {
        "articles": len(docs),
        "words": words,
        "seconds": seconds,
        "ms_per_article": 1000 * seconds / len(docs),
        "words_per_s": words / seconds,
        "mentions": sum(len(f) for f in found),
    }


# ---------------------------------------------------------------- seed


def seed_gold_actors() -> list[str]:
    """Return every actor name the seed's gold events give, in order of first appearance."""
    names: dict[str, None] = {}
    for line in SEED_GOLD.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        names.update(dict.fromkeys(event["source"] + event["target"]))
    return list(names)


def bench_seed(dictionary: ActorDictionary, verbose: bool = False) -> dict[str, object]:
    """Return which gold actors of the seed article resolve, and which people get the wrong role on 2023-02-23."""
    from pipeline.nlp import load_nlp

    mentions = find_actors(load_nlp()(SEED_TEXT.read_text(encoding="utf-8")), SEED_PUBLISHED, dictionary)
    names = {m.name for m in mentions}
    gold = seed_gold_actors()
    roles = {m.name: m.role for m in mentions if m.kind == "person" and m.how in ("alias", "title")}
    wrong_roles = {n: roles.get(n, "") for n, ok in SEED_ROLES.items() if not ok(roles.get(n, ""))}
    if verbose:
        for m in mentions:
            print(f"  {m.start_char:5} {m.text[:40]!r:44} {m.actor_id:30} {m.country:4} {m.sector:12} {m.role:18} {m.how}")
    return {
        "gold_actors": len(gold),
        "resolved": sum(n in names for n in gold),
        "missing": [n for n in gold if n not in names],
        "people_checked": len(SEED_ROLES),
        "wrong_roles": wrong_roles,
        "mentions": len(mentions),
    }


# ---------------------------------------------------------------- plover


@dataclass(frozen=True)
class Sides:
    """The mentions picked as the actor and the recipient of one sentence."""

    actor: tuple[ActorMention, ...]
    recipient: tuple[ActorMention, ...]


def children(token, deps: Sequence[str]) -> list:
    """Return a token's children with one of the dependency labels."""
    return [c for c in token.children if c.dep_ in deps]


def event_verb(root):
    """Return the verb of the event: the root, or the clause before a reporting root ("X did Y, officials said")."""
    reported = [c for c in children(root, ("ccomp",)) if c.i < root.i]
    if root.lemma_ in REPORTING_LEMMAS and reported:
        return reported[0]
    clauses = [c for c in children(root, ("ccomp",)) if children(c, SUBJECT_DEPS)]
    return clauses[0] if clauses and not children(root, SUBJECT_DEPS) else root  # "Newly appointed X has refused": a misparse


def conj_top(token):
    """Return the first conjunct of a coordination a token belongs to ("Romania" for "Poland" in "Romania and Poland")."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


def root_of(doc, mention: ActorMention):
    """Return the syntactic head of a mention's span."""
    return doc.char_span(mention.start_char, mention.end_char, alignment_mode="expand").root


def is_actor_again(mention: ActorMention, actor: Sequence[ActorMention]) -> bool:
    """Return True when a mention is the actor again, so not its recipient: the same span, a pronoun or family name
    standing for it ("their", "themselves"), or the same person, organisation or group. A state may act on itself
    named again ("the Sudanese government ... Darfur"): its government on its own people or regions."""
    same = [a for a in actor if a.actor_id == mention.actor_id]
    return any(a.start_char == mention.start_char for a in same) or bool(same and (mention.kind != "state" or mention.how == "coref"))


def mentions_under(token, mentions: Sequence[ActorMention], actor: Sequence[ActorMention] = ()) -> list[ActorMention]:
    """Return the mentions of a token's phrase: the one covering its head (else the first), with those coordinated to it.

    Mentions that are the ``actor`` again are skipped (``is_actor_again``).
    """
    doc, lo, hi = token.doc, token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)
    inside = [m for m in mentions if lo <= m.start_char and m.end_char <= hi and not is_actor_again(m, actor)]
    if not inside:
        return []
    first = next((m for m in inside if m.start_char <= token.idx < m.end_char), inside[0])
    top = conj_top(root_of(doc, first))
    return [m for m in inside if m is first or conj_top(root_of(doc, m)) == top or coordinated_into(doc, m, first)]


def coordinated_into(doc, mention: ActorMention, first: ActorMention) -> bool:
    """Return True when a mention's word is coordinated with a word of ``first`` ("US" in "US and British forces")."""
    words = doc.char_span(first.start_char, first.end_char, alignment_mode="expand")
    conjuncts = {t.i for t in root_of(doc, mention).conjuncts}
    return any(t.i in conjuncts for t in words)


def subject_of(verb):
    """Return the subject of a verb, looking up through xcomp/conj chains ("X agreed to do Y")."""
    while verb is not None:
        found = children(verb, SUBJECT_DEPS)
        if found:
            return found[0]
        verb = verb.head if verb.dep_ in CHAIN_DEPS and verb.head is not verb else None
    return None


def verb_chain(verb, depth: int = 3) -> list:
    """Return a verb and the verbs it governs through xcomp, ccomp, acomp, conj and advcl, nearest first."""
    chain, layer = [verb], [verb]
    for _ in range(depth):
        layer = [c for v in layer for c in children(v, CHAIN_DEPS)]
        chain += layer
    return chain


def verb_objects(verb) -> list:
    """Return one verb's recipient candidates, best first: objects, passive subjects, subjects of its clauses, prepositions."""
    objects = children(verb, OBJECT_DEPS) + children(verb, ("nsubjpass",))
    clauses = [h for c in children(verb, ("ccomp", "advcl")) for h in children(c, ("nsubj",))]
    preps = [(p.lower_, h) for p in children(verb, ("prep",)) for h in children(p, ("pobj",))]
    ranked = sorted((TARGET_PREPS.index(word), i, h) for i, (word, h) in enumerate(preps) if word in TARGET_PREPS)
    return objects + [h for _, _, h in ranked] + clauses


def object_heads(verb) -> list:
    """Return the recipient candidates of a verb chain, verb by verb, nearest verb first, except that a verb's own
    prepositions and clauses come after the candidates of its complement ("agreed to lift embargoes on sales to Iran,
    Libya ... and, with strings attached, Cuba": Iran and the rest before Cuba)."""
    candidates = [h for v in verb_chain(verb) for h in verb_objects(v)]
    complements = [h for c in children(verb, ("xcomp",)) for h in verb_objects(c)]
    if not complements:
        return candidates
    objects = children(verb, OBJECT_DEPS)
    own = [h for h in verb_objects(verb) if h not in objects]
    rest = [h for h in candidates if h not in own]
    after = max(rest.index(h) for h in complements) + 1
    return rest[:after] + own + rest[after:]


def passive_agent(verb):
    """Return the "by" phrase of a passive verb ("was attacked by X"), or None."""
    found = [p for a in children(verb, ("agent",)) for p in children(a, ("pobj",))]
    return found[0] if found else None


def noun_root_verb(root):
    """Return the verb of a sentence whose parse made a noun its root and the verb a clause of it, or None."""
    if root.pos_ not in ("NOUN", "PROPN"):
        return None
    return next((t for t in root.subtree if t.pos_ == "VERB" and t.dep_ in ("acl", "relcl") and t.i > root.i), None)


def pick_sides(doc, mentions: Sequence[ActorMention]) -> Sides:
    """Return the actor (subject of the event verb) and the recipient (its first object holding a mention)."""
    sentence = max(doc.sents, key=len)
    headline = noun_root_verb(sentence.root)  # "Doctors from two aid groups donated ...": a misparse with a noun root
    verb = event_verb(sentence.root) if headline is None else headline
    active = children(verb, ("nsubj", "csubj"))
    named = passive_agent(verb) or (active[0] if active else None) or subject_of(verb)
    subject = sentence.root if headline is not None else named
    if subject is not None and subject.dep_ == "nsubjpass":
        subject = None  # "US servicemen were killed": the passive subject is the recipient, the actor unnamed
    elif subject is None or not mentions_under(subject, mentions):
        subject = subject_of(sentence.root) if sentence.root is not verb else subject  # "X did Y, officials said"
    actor = mentions_under(subject, mentions) if subject is not None and subject.dep_ != "nsubjpass" else []
    if not actor and subject is None:
        actor = last_before(verb, mentions)
    for head in object_heads(verb):
        if head is not subject and (recipient := mentions_under(head, mentions, actor)):
            return Sides(tuple(actor), tuple(recipient))
    return Sides(tuple(actor), tuple(first_after(verb, mentions, actor)))


def last_before(verb, mentions: Sequence[ActorMention]) -> list[ActorMention]:
    """Return the last mention before the event verb in its clause: the actor when the parse gives the verb no subject."""
    before = [m for m in mentions if verb.left_edge.idx <= m.start_char and m.end_char <= verb.idx]
    return before[-1:]


def first_after(verb, mentions: Sequence[ActorMention], actor: Sequence[ActorMention]) -> list[ActorMention]:
    """Return the first mention after the event verb that is not the actor, inside the verb's sentence part: the
    recipient when no object or preposition of the verb holds one ("riots against Israeli military policies")."""
    lo, hi = verb.idx, verb.right_edge.idx + len(verb.right_edge.text)
    later = [m for m in mentions if lo < m.start_char and m.end_char <= hi and not is_actor_again(m, actor)]
    return later[:1]


def plover_records() -> list[dict]:
    """Return the PLOVER gold records."""
    return [json.loads(line) for line in PLOVER.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_code(entry: dict, states: set[str]) -> str:
    """Return the ISO3 country of a gold actor entry, or "" when its code is not a country (IGO, NGO...)."""
    code = PLOVER_CODE_FIXES.get(entry.get("code") or "", entry.get("code") or "")
    return code if code in states else ""


def side_scores(record: dict, sides: Sides, states: set[str]) -> list[tuple[str, bool]]:
    """Return (side, right) for each gold actor and recipient with a country code; reciprocal records accept either side."""
    ours = {"actor": {m.country for m in sides.actor}, "recipient": {m.country for m in sides.recipient}}
    if record.get("reciprocal"):
        ours["actor"] = ours["recipient"] = ours["actor"] | ours["recipient"]
    scores = []
    for side in ("actor", "recipient"):
        for entry in record.get(side) or []:
            if isinstance(entry, dict) and (code := gold_code(entry, states)):
                scores.append((side, code in ours[side]))
    return scores


def assigned_scores(record: dict, sides: Sides, states: set[str]) -> list[bool]:
    """Return, for each side the gold gives a country and we fill with a country, whether all our countries are the gold's
    (reciprocal records pool both sides). The main figure counts gold entries; this one counts what we assign."""
    ours = {side: {m.country for m in getattr(sides, side)} - {""} for side in ("actor", "recipient")}
    gold = {s: {c for e in (record.get(s) or []) if isinstance(e, dict) and (c := gold_code(e, states))} for s in ("actor", "recipient")}
    if record.get("reciprocal"):
        ours["actor"] = ours["recipient"] = ours["actor"] | ours["recipient"]
        gold["actor"] = gold["recipient"] = gold["actor"] | gold["recipient"]
    return [ours[s] <= gold[s] for s in ("actor", "recipient") if gold[s] and ours[s]]


def span_scores(record: dict, mentions: Sequence[ActorMention], states: set[str]) -> list[bool]:
    """Return, for each gold entry with a country, whether the mention overlapping its text has that country."""
    text, found = record["text"], []
    for entry in [*(record.get("actor") or []), *(record.get("recipient") or [])]:
        code = gold_code(entry, states) if isinstance(entry, dict) else ""
        start = text.find(entry.get("text", "")) if code else -1
        if start >= 0:
            end = start + len(entry["text"])
            found.append(any(m.country == code for m in mentions if m.start_char < end and start < m.end_char))
    return found


def bench_plover(dictionary: ActorDictionary, verbose: bool = False) -> dict[str, object]:
    """Return the share of PLOVER gold actors and recipients with a country code whose country we assign right."""
    from pipeline.nlp import load_nlp

    nlp, states = load_nlp(), {a.id for a in dictionary if a.kind == "state"}
    records = plover_records()
    scores: list[tuple[str, bool]] = []
    spans: list[bool] = []
    assigned: list[bool] = []
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records), strict=True):
        mentions = find_actors(doc, PLOVER_DATE, dictionary)
        sides = pick_sides(doc, mentions)
        found = side_scores(record, sides, states)
        scores += found
        spans += span_scores(record, mentions, states)
        assigned += assigned_scores(record, sides, states)
        if verbose and not all(ok for _, ok in found):
            print(
                f"  {record['id']}: {record['markup']}\n    ours: actor={[(m.text, m.country) for m in sides.actor]} "
                f"recipient={[(m.text, m.country) for m in sides.recipient]}"
            )

    def share(side: str) -> float:
        picked = [ok for s, ok in scores if s == side]
        return sum(picked) / max(len(picked), 1)

    return {
        "records": len(records),
        "gold_with_country": len(scores),
        "accuracy": sum(ok for _, ok in scores) / max(len(scores), 1),
        "actor_accuracy": share("actor"),
        "recipient_accuracy": share("recipient"),
        "assigned_sides": len(assigned),
        "assigned_sides_right": sum(assigned) / max(len(assigned), 1),
        "span_resolution_accuracy": sum(spans) / max(len(spans), 1),
        "span_gold": len(spans),
    }


# ---------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks and print their figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("part", nargs="?", default="all", choices=("load", "speed", "resolve", "seed", "plover", "all"))
    parser.add_argument("-v", "--verbose", action="store_true", help="print the mentions (seed) or the misses (plover)")
    args = parser.parse_args(argv)
    if not SHARED.is_dir() and args.part != "load":
        print(f"skipped: {SHARED} is absent (the benchmarks need ../shared)")
        return 0
    dictionary = ActorDictionary.load()
    parts = {
        "load": bench_load,
        "speed": lambda: bench_speed(dictionary),
        "resolve": lambda: bench_resolve(dictionary),
        "seed": lambda: bench_seed(dictionary, args.verbose),
        "plover": lambda: bench_plover(dictionary, args.verbose),
    }
    for name, run in parts.items():
        if args.part in (name, "all"):
            print(json.dumps({name: run()}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
