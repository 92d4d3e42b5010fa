"""Add articles from the dashboard: uploaded files, pasted text and URLs through the pipeline into the store. No Streamlit here.

``add_articles(sources, store, progress)`` reads each source as ``python -m pipeline ingest`` does (every format
it reads), extracts the events in this process and commits them in one batch; it reports each source's
articles and problems, so the page can show an error per file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from requests import Session

from pipeline.ingest import InputFile, ReadOptions, checked_input, read_articles
from pipeline.ingest.fetch import fetch_session
from pipeline.records import Article, Problem, one_line
from pipeline.store import StoreError, StoreLockedError, ingest_articles
from pipeline.store.rows import Extracted

# The largest file (or page behind a URL) the app takes: the pipeline's cap is 50 MB, but the app holds uploads in memory.
MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
# What the page says of a line of the URL box that is not one http(s) URL.
NOT_A_URL = "not a URL: give one http:// or https:// address per line"
# How long adding articles waits while another ingest writes the store (a command-line ingest holds it for its whole run,
# so waiting longer rarely helps, and the page stays frozen meanwhile). Reading the store takes no lock: the views go on.
LOCK_WAIT_SECONDS = 2.0

Progress = Callable[[float, str], object]


@dataclass(frozen=True)
class SourceReport:
    """What one uploaded file, pasted text or URL gave: its articles and the problems met reading or extracting it."""

    source: str
    articles: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Return True when the source gave articles and no problem."""
        return self.articles > 0 and not self.problems


@dataclass(frozen=True)
class AddReport:
    """What adding articles did: per source, then the store's counts, or the error that stopped the commit."""

    sources: tuple[SourceReport, ...]
    added: int = 0
    already_stored: int = 0
    events: int = 0
    error: str = ""
    replaced_ids: tuple[str, ...] = ()  # stored articles that new text of the same article replaced
    extracted: int = 0  # the events the added articles gave, before merging with the stored ones


def safe_name(name: str) -> str:
    """Return an uploaded file's name with only its last part and safe characters: ``report.html``."""
    return UNSAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).strip("._") or "upload"


def saved_uploads(files: Sequence[tuple[str, bytes]], folder: Path) -> tuple[list[tuple[str, InputFile]], list[SourceReport]]:
    """Write uploaded files to a folder, each in a subfolder of its own under its own name (so that its articles' identity
    is its name and content, not its position among the uploads); return (display name, file) of each kept one and a
    report for each refused one: too large, or of a format the pipeline does not read, as ``python -m pipeline ingest``
    says of a file named to it."""
    kept, refused = [], []
    for index, (name, data) in enumerate(files, 1):
        if len(data) > MAX_UPLOAD_BYTES:
            refused.append(SourceReport(name, 0, (f"larger than the upload limit of {MAX_UPLOAD_MB} MB",)))
            continue
        root = folder / f"upload-{index}"
        root.mkdir()
        path = root / safe_name(name)
        path.write_bytes(data)
        found = checked_input(path, named=True, root=root)
        if isinstance(found, Problem):
            refused.append(SourceReport(name, 0, (problem_line(found),)))
        else:
            kept.append((name, found))
    return kept, refused


def pasted_file(text: str, title: str, folder: Path) -> InputFile:
    """Write pasted article text as a text file (a ``Title:`` header line when a title is given) and return it: every paste
    is ``pasted.txt`` in a folder of its own, so that its identity is its content."""
    root = folder / f"pasted-{len(list(folder.iterdir())) + 1}"
    root.mkdir()
    path = root / "pasted.txt"
    header = f"Title: {' '.join(title.split())}\n\n" if title.strip() else ""
    path.write_text(header + text.strip() + "\n", encoding="utf-8")
    return InputFile(path, root)


def url_sources(text: str) -> tuple[list[str], list[SourceReport]]:
    """Return the URLs of the URL box, one per line, each once, and a report for each other line that is not blank:
    ``url_sources("https://a.example\nsee below")`` gives ``["https://a.example"]`` and "see below: not a URL ..."."""
    lines = list(dict.fromkeys(" ".join(line.split()) for line in text.splitlines() if line.strip()))
    urls = [line for line in lines if is_url(line)]
    return urls, [SourceReport(one_line(line), 0, (NOT_A_URL,)) for line in lines if not is_url(line)]


def is_url(line: str) -> bool:
    """Return True when a line is one http(s) URL."""
    return line.lower().startswith(("http://", "https://")) and " " not in line


def problem_line(problem: Problem) -> str:
    """Return a problem of a source as its report lists it: ``failed: not an article format (.pdf); ...``."""
    return f"{problem.kind}: {problem.message}" + (f" ({problem.locator})" if problem.locator else "")


def read_source(name: str, source: str | InputFile, options: ReadOptions, session: Session) -> tuple[list[Article], SourceReport]:
    """Return the articles of one source and its report (problems with the uploaded name, not the temporary path); URLs are
    fetched with ``session``, as ``python -m pipeline ingest`` fetches them (``pipeline.ingest.fetch``)."""
    articles, problems = [], []
    for item in read_articles([source], options, session):
        if isinstance(item, Problem):
            problems.append(problem_line(item))
        else:
            articles.append(item)
    return articles, SourceReport(name, len(articles), tuple(problems))


Extraction = Callable[[Iterable[Article]], Iterator[Extracted]]


def counted(extraction: Extraction, total: int, progress: Progress, given: set[str], done: dict[str, int]) -> Extraction:
    """Return an extraction that reports its progress after each article and records the ids it was given and, for those
    extracted, how many events each gave (the store passes on only the articles it lacks)."""

    def taken(articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            given.add(article.article_id)
            yield article

    def run(articles: Iterable[Article]) -> Iterator[Extracted]:
        for item in extraction(taken(articles)):
            if not item.error:
                done[item.article.article_id] = len(item.events)
            progress(0.1 + 0.85 * len(done) / max(total, 1), f"extracted {len(done)} of {total} articles")
            yield item

    return run


def in_process(articles: Iterable[Article]) -> Iterator[Extracted]:
    """Yield each article with its events, extracted in this process (the model loads once per app)."""
    from pipeline.parallel import extracted

    return extracted(articles, workers=1)


def add_articles(
    sources: Sequence[tuple[str, str | InputFile]], store: Path, progress: Progress, published: date | None = None
) -> AddReport:
    """Read each (display name, file or URL) source, extract its articles' events and commit them to the store."""
    options = ReadOptions(published=published, max_bytes=MAX_UPLOAD_BYTES)
    articles, reports = [], []
    with fetch_session() as session:
        for index, (name, source) in enumerate(sources):
            progress(0.1 * index / max(len(sources), 1), f"reading {name}")
            found, report = read_source(name, source, options, session)
            articles += found
            reports.append(report)
    given: set[str] = set()
    done: dict[str, int] = {}
    extraction = counted(in_process, len(articles), progress, given, done)
    try:
        result = ingest_articles(articles, store, extraction, lock_timeout=LOCK_WAIT_SECONDS)
    except StoreLockedError:
        return AddReport(tuple(reports), error=busy_text(store))
    except StoreError as err:
        return AddReport(tuple(reports), error=str(err))
    progress(1.0, "done")
    failed = given - done.keys()
    reports = [with_failures(r, articles, failed, sources) for r in reports]
    return AddReport(
        tuple(reports), result.added, result.already_stored, result.events, replaced_ids=result.replaced_ids, extracted=sum(done.values())
    )


def busy_text(store: Path) -> str:
    """Return what the page says when another ingest is writing the store: nothing was added, the views show what that
    ingest has committed so far, add the articles again in a moment."""
    return (
        f"Another ingest is writing to the store at {store} right now (from the command line, or another session of this app), "
        "so these articles were not added. The views show what it has committed so far; add the articles again in a moment."
    )


def with_failures(
    report: SourceReport, articles: list[Article], failed: set[str], sources: Sequence[tuple[str, str | InputFile]]
) -> SourceReport:
    """Return a source's report with a problem for each of its articles whose extraction failed."""
    origins = {str(s.path if isinstance(s, InputFile) else s) for n, s in sources if n == report.source}
    lost = [a.article_id for a in articles if a.article_id in failed and a.origin in origins]
    if not lost:
        return report
    return SourceReport(report.source, report.articles - len(lost), (*report.problems, *(f"failed: extracting {i}" for i in lost)))
