"""Benchmark the article reader on the ../shared corpora: body F1, publication dates, robustness, throughput.

Run ``python bench/bench_ingest.py all`` (or one of ``extraction``, ``dates``, ``robustness``,
``throughput``). Each check prints one ``FIGURE`` line, and skips with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import math
import pstats
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.ingest import read_articles  # noqa: E402
from pipeline.records import Article, Problem  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
EXTRACTION = CORPORA / "html_extraction"
DATED = CORPORA / "html_dated"
DATED_SETS = ("mediacloud_2020", "bbaw_selected")
BOILERPLATE = CORPORA / "html_boilerplate" / "pages"
ROBUSTNESS_FOLDERS = (CORPORA / "feeds", CORPORA / "html_boilerplate")
JSONL_FILES = ("statedept_2021_2022.jsonl", "whitehouse_2021_2022.jsonl", "reuters21578.jsonl")
# A token is a run of word characters, lowercased: "U.S.-led" gives "u", "s", "led".
TOKEN = re.compile(r"\w+")

log = logging.getLogger("bench_ingest")


# ---- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What reading one file gave: its articles, its problems, and the exception if one escaped."""

    path: Path
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]
    crash: str = ""


def read_file(path: Path) -> Outcome:
    """Return everything ``read_articles`` yields for one file; an escaped exception is recorded, not raised."""
    items: list[Article | Problem] = []
    try:
        items.extend(read_articles([path]))
    except Exception as err:  # noqa: BLE001 - counting what escapes the reader is what this check is for
        return Outcome(path, (), (), f"{type(err).__name__}: {err}")
    articles = tuple(i for i in items if isinstance(i, Article))
    return Outcome(path, articles, tuple(i for i in items if isinstance(i, Problem)))


def first_article(path: Path) -> Article | None:
    """Return the first article read from a file, or None when there is none."""
    outcome = read_file(path)
    return outcome.articles[0] if outcome.articles else None


def sampled(items: list, sample: int) -> list:
    """Return every k-th item so that about ``sample`` are kept (all of them when ``sample`` is 0)."""
    if not sample or sample >= len(items):
        return items
    step = len(items) / sample
    return [items[int(i * step)] for i in range(sample)]


# ---- 1. body extraction --------------------------------------------------------------------------


def tokens(text: str) -> Counter[str]:
    """Return the bag of lowercase word tokens of a text, e.g. ``tokens("A a b")`` gives ``{"a": 2, "b": 1}``."""
    return Counter(TOKEN.findall(text.lower()))


@dataclass(frozen=True)
class Overlap:
    """Bag-of-tokens precision, recall and F1 of an extracted text against a reference."""

    precision: float
    recall: float
    f1: float


def token_overlap(found: str, reference: str) -> Overlap:
    """Return the multiset token overlap of two texts; an empty extraction scores 0."""
    got, want = tokens(found), tokens(reference)
    common = sum((got & want).values())
    if not common:
        return Overlap(0.0, 0.0, 0.0)
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return Overlap(precision, recall, 2 * precision * recall / (precision + recall))


@dataclass(frozen=True)
class PageScore:
    """The score of one page: body alone and body with captions; ``read`` is False when no article came out."""

    name: str
    read: bool
    body: Overlap
    with_captions: Overlap


def extraction_pages() -> list[tuple[Path, str]]:
    """Return every page of the extraction corpus with its reference body (the file name is the key)."""
    truth = json.loads((EXTRACTION / "ground-truth.json").read_text(encoding="utf-8"))
    pages = sorted((EXTRACTION / "html").glob("*.html.gz"))
    return [(p, truth[p.name.split(".")[0]]["articleBody"]) for p in pages]


def page_score(path: Path, reference: str) -> PageScore:
    """Return how close the reader's body text of one page is to its reference body."""
    article = first_article(path)
    if article is None:
        return PageScore(path.name, False, Overlap(0.0, 0.0, 0.0), Overlap(0.0, 0.0, 0.0))
    with_captions = "\n".join((article.text, *article.captions))
    return PageScore(path.name, True, token_overlap(article.text, reference), token_overlap(with_captions, reference))


def extraction_scores(sample: int = 0) -> list[PageScore]:
    """Return the score of every page (or a sample) of the extraction corpus."""
    return [page_score(path, reference) for path, reference in sampled(extraction_pages(), sample)]


def mean(values: Iterable[float]) -> float:
    """Return the arithmetic mean, or 0 for no values."""
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def report_extraction(args: argparse.Namespace) -> None:
    """Print the mean token F1 of the body text against the reference bodies."""
    scores = extraction_scores(args.sample)
    for score in sorted(scores, key=lambda s: s.body.f1)[: args.worst]:
        print(f"  worst: F1 {score.body.f1:.3f} P {score.body.precision:.3f} R {score.body.recall:.3f}  {score.name}")
    print(
        f"  {len(scores)} pages, {sum(not s.read for s in scores)} not read (F1 0); "
        f"precision {mean(s.body.precision for s in scores):.3f}, recall {mean(s.body.recall for s in scores):.3f}; "
        f"body + captions F1 {mean(s.with_captions.f1 for s in scores):.3f}"
    )
    print(f"FIGURE extraction: mean token F1 (body) {mean(s.body.f1 for s in scores):.3f} over {len(scores)} pages (floor 0.90)")


# ---- 2. publication dates ------------------------------------------------------------------------


@dataclass(frozen=True)
class DatedPage:
    """One page of the dated corpus: the file, its URL and its true day (None when the gold has none)."""

    path: Path
    url: str
    expected: date | None


@dataclass(frozen=True)
class DateResult:
    """The date the reader gave for one page, next to the true one."""

    page: DatedPage
    found: date | None
    source: str

    @property
    def correct(self) -> bool:
        return self.found == self.page.expected


def gold_day(value: object) -> date | None:
    """Return the gold date of an entry; the corpus marks pages with no known date by NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return date.fromisoformat(str(value)[:10])


def dated_pages() -> list[DatedPage]:
    """Return every page of the dated corpora, in file order."""
    pages = []
    for name in DATED_SETS:
        folder = DATED / name
        for url, entry in json.loads((folder / "expected_dates.json").read_text(encoding="utf-8")).items():
            pages.append(DatedPage(folder / entry["file"], url, gold_day(entry["date"])))
    return sorted(pages, key=lambda p: str(p.path))


def date_result(page: DatedPage) -> DateResult:
    """Return the publication date the reader gives for one page."""
    article = first_article(page.path)
    if article is None:
        return DateResult(page, None, "not read")
    return DateResult(page, article.published, article.published_source)


def date_results(sample: int = 0) -> list[DateResult]:
    """Return the reader's date for every page (or a sample) that has a gold date."""
    return [date_result(p) for p in sampled([p for p in dated_pages() if p.expected], sample)]


def date_accuracy(results: list[DateResult]) -> float:
    """Return the share of pages dated to the exact day."""
    return mean(r.correct for r in results)


def report_dates(args: argparse.Namespace) -> None:
    """Print the exact-day accuracy of ``Article.published`` on the dated pages."""
    results = date_results(args.sample)
    for result in [r for r in results if not r.correct][: args.worst]:
        where = f"{result.page.path.parent.name}/{result.page.path.name}"
        print(f"  wrong: found {result.found} ({result.source}) expected {result.page.expected}  {where}")
    for name in DATED_SETS:
        part = [r for r in results if r.page.path.parent.name == name]
        print(f"  {name}: {date_accuracy(part):.3f} of {len(part)}")
    sources = Counter(r.source for r in results)
    undated = [p for p in dated_pages() if p.expected is None]
    print(f"  date sources {dict(sources)}; {len(undated)} pages without a gold date left out")
    print(f"FIGURE dates: exact-day accuracy {date_accuracy(results):.3f} over {len(results)} pages (floor 0.90)")


# ---- 3. robustness and boilerplate ---------------------------------------------------------------


def every_file(folders: Iterable[Path]) -> list[Path]:
    """Return every file under the folders, hidden ones included."""
    return sorted(p for folder in folders for p in folder.rglob("*") if p.is_file())


def message_kind(problem: Problem) -> str:
    """Return a problem's kind and message with its numbers and quoted parts made ``…``, to count alike messages together."""
    return re.sub(r"\d[\d,]*|'[^']*'", "…", f"{problem.kind}: {problem.message}")[:120]


def report_robustness(args: argparse.Namespace) -> None:
    """Print how many files were read, rejected and crashed, and the messages given."""
    outcomes = [read_file(path) for path in every_file(ROBUSTNESS_FOLDERS)]
    crashed = [o for o in outcomes if o.crash]
    read = [o for o in outcomes if o.articles]
    rejected = [o for o in outcomes if not o.articles and not o.crash]
    silent = [o for o in rejected if not o.problems]
    messages = Counter(message_kind(p) for o in outcomes for p in o.problems)
    examples = {message_kind(p): p for o in outcomes for p in reversed(o.problems)}
    for message, count in messages.most_common(args.worst):
        print(f"  {count:4d} × {message}\n         e.g. {examples[message]}")
    for outcome in crashed + silent:
        print(f"  NOT CLEAN: {outcome.path}: {outcome.crash or 'no article and no message'}")
    print(f"  {sum(len(o.articles) for o in read)} articles from {len(read)} files")
    print(
        f"FIGURE robustness: {len(outcomes)} files: {len(read)} read, {len(rejected)} rejected with a message, "
        f"{len(crashed)} crashed, {len(silent)} rejected silently"
    )


@dataclass(frozen=True)
class SnippetCheck:
    """How many snippets of one page that must and must not be extracted were found, in the body and with the captions."""

    name: str
    must: int
    must_found: int
    must_not: int
    must_not_found: int
    must_not_with_captions: int


def squeezed(text: str) -> str:
    """Return text with every run of whitespace made one space, so a snippet matches across line breaks."""
    return " ".join(text.split())


def found_in(snippets: list[str], text: str) -> int:
    """Return how many of the snippets the text holds, whitespace aside."""
    return sum(squeezed(s) in text for s in snippets)


def snippet_check(article: Article | None, entry: dict) -> SnippetCheck:
    """Return how many snippets of one page are found in its body text (``Article.text``), and with its captions."""
    body = squeezed(article.text) if article else ""
    everything = squeezed("\n".join((article.text, *article.captions))) if article else ""
    with_, without = entry["with"], entry["without"]
    return SnippetCheck(
        entry["file"], len(with_), found_in(with_, body), len(without), found_in(without, body), found_in(without, everything)
    )


def snippet_checks(sample: int = 0, read: Callable[[Path], Article | None] = first_article) -> list[SnippetCheck]:
    """Return the snippet check of every page (or a sample) of the boilerplate corpus, each page read by ``read``."""
    entries = json.loads((BOILERPLATE / "evaldata_subset.json").read_text(encoding="utf-8")).values()
    chosen = sampled(sorted(entries, key=lambda e: e["file"]), sample)
    return [snippet_check(read(BOILERPLATE / e["file"]), e) for e in chosen]


def snippet_rates(checks: list[SnippetCheck], with_captions: bool = False) -> tuple[float, float]:
    """Return the share of must-contain snippets found in the body and of must-not-contain ones (optionally with the captions)."""
    must = sum(c.must for c in checks) or 1
    must_not = sum(c.must_not for c in checks) or 1
    leaked = sum(c.must_not_with_captions if with_captions else c.must_not_found for c in checks)
    return sum(c.must_found for c in checks) / must, leaked / must_not


def report_snippets(args: argparse.Namespace) -> None:
    """Print the share of must-contain and must-not-contain snippets found in the body text."""
    checks = snippet_checks(args.sample)
    for check in [c for c in checks if c.must_found < c.must or c.must_not_with_captions][: args.worst]:
        print(
            f"  miss: {check.must_found}/{check.must} wanted, {check.must_not_found}/{check.must_not} unwanted "
            f"({check.must_not_with_captions} with captions)  {check.name}"
        )
    found, leaked = snippet_rates(checks)
    print(
        f"  {sum(c.must for c in checks)} must-contain, {sum(c.must_not for c in checks)} must-not-contain snippets; "
        f"with the captions counted as text, must-not-contain found {snippet_rates(checks, with_captions=True)[1]:.1%}"
    )
    print(
        f"FIGURE boilerplate: in the body text, must-contain found {found:.1%}, must-not-contain found {leaked:.1%} "
        f"over {len(checks)} pages (floors 90% / 10%)"
    )


# ---- 4. throughput -------------------------------------------------------------------------------


def read_count(paths: list[Path]) -> tuple[int, int]:
    """Return the number of articles and of problems read from the files."""
    counts = Counter(isinstance(item, Article) for item in read_articles(paths))
    return counts[True], counts[False]


def report_throughput(args: argparse.Namespace) -> None:
    """Print the articles read and cleaned per second from the JSON Lines corpora, in one process.

    Wall time counts what else the machine runs; CPU time is what one core spent on the reading.
    """
    paths = [CORPORA / name for name in JSONL_FILES]
    profiler = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    articles, problems = read_count(paths)
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(
        f"  {articles} articles and {problems} problems from {articles + problems} records; {wall:.1f} s wall, {cpu:.1f} s CPU; "
        f"{(articles + problems) / wall:.0f} records/s wall"
    )
    print(
        f"FIGURE throughput: {articles / cpu:.0f} articles/s per CPU second, {articles / wall:.0f} articles/s wall, one process (floor 300)"
    )


# ---- command line --------------------------------------------------------------------------------

CHECKS: dict[str, tuple[Path, Callable[[argparse.Namespace], None]]] = {
    "extraction": (EXTRACTION, report_extraction),
    "dates": (DATED, report_dates),
    "robustness": (CORPORA / "feeds", report_robustness),
    "boilerplate": (BOILERPLATE, report_snippets),
    "throughput": (CORPORA / JSONL_FILES[0], report_throughput),
}


def chosen_checks(name: str) -> Iterator[tuple[str, Path, Callable[[argparse.Namespace], None]]]:
    """Yield the checks to run: one by name, or all of them."""
    for check, (needs, run) in CHECKS.items():
        if name in {"all", check}:
            yield check, needs, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("check", choices=["all", *CHECKS], nargs="?", default="all")
    parser.add_argument("--sample", type=int, default=0, help="score about this many pages per check (default: all)")
    parser.add_argument("--worst", type=int, default=10, help="list this many of the worst pages or commonest messages")
    parser.add_argument("--profile", action="store_true", help="profile the throughput check with cProfile")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    for name, needs, run in chosen_checks(args.check):
        print(f"== {name}")
        if not needs.exists():
            print(f"SKIP {name}: needs {needs} (the ../shared corpora are not in a user's fresh clone)")
            continue
        run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
