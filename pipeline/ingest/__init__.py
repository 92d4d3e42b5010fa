"""Read articles from any mix of files, folders and URLs: one function, every common news format."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import requests

from pipeline.ingest.build import RawArticle, build_article
from pipeline.ingest.decode import DEFAULT_MAX_BYTES, InputError, check_bytes, decode_bytes, gunzip
from pipeline.ingest.feeds import looks_like_feed, read_feed
from pipeline.ingest.fetch import DEFAULT_DEADLINE_S, DEFAULT_TIMEOUT_S, fetch_session, fetch_url
from pipeline.ingest.guard import guarded
from pipeline.ingest.html import read_html
from pipeline.ingest.plaintext import read_plaintext
from pipeline.ingest.tabular import read_csv, read_json, read_jsonl
from pipeline.records import Article, Problem, ReadSummary, valid_text

log = logging.getLogger(__name__)

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".rdf": "feed",
}
CONTENT_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "text/csv": "csv",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
}

# Paths that are no files to read, by their mode: reading a named pipe waits for a writer, possibly forever.
SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO), not a file: not read"),
    (stat.S_ISSOCK, "a socket, not a file: not read"),
    (stat.S_ISCHR, "a device, not a file: not read"),
    (stat.S_ISBLK, "a device, not a file: not read"),
    (stat.S_ISDIR, "a link to a folder: not followed (name the folder to read it)"),
)


@dataclass(frozen=True)
class ReadOptions:
    """How to read: a publication date that overrides all others, fetching, and the limits (``timeout``: seconds without a
    byte before a try of a fetch is given up; ``deadline``: seconds a whole fetch may take, ``pipeline.ingest.fetch``)."""

    published: date | None = None
    fetch_links: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT_S
    deadline: float = DEFAULT_DEADLINE_S


@dataclass(frozen=True)
class InputFile:
    """A file to read and the folder it was found under (its own folder when it was named on its own)."""

    path: Path
    root: Path

    @property
    def place(self) -> str:
        """Return where the file is under the folder given, e.g. ``"a/report.txt"``: part of an article's identity."""
        try:
            return input_name(self.path.relative_to(self.root).as_posix())
        except ValueError:
            return input_name(self.path.name)


def is_url(source: str | Path) -> bool:
    """Return True for ``http://`` and ``https://`` sources."""
    return str(source).lower().startswith(("http://", "https://"))


def file_format(path: Path) -> str:
    """Return the reader name for a path by its extension (``.gz`` looked through), or ""."""
    suffixes = path.suffixes[-2:] if path.suffix.lower() == ".gz" else path.suffixes[-1:]
    return FORMATS.get(suffixes[0].lower(), "") if suffixes else ""


def article_stem(path: Path) -> str:
    """Return a file's name without its extensions, e.g. ``a.html.gz`` gives ``a``."""
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    return name.rsplit(".", 1)[0] if "." in name else name


Source = str | Path | InputFile | Problem


def expand_sources(sources: Iterable[Source]) -> Iterator[str | InputFile | Problem]:
    """Yield URLs and readable files, walking folders; what is not a file to read becomes a problem: skipped when a folder
    holds it (another format, a named pipe), failed when it was named or is broken (a dangling link). A problem or a file
    given already expanded (``pipeline.store.sources.reading_plan``) is passed on."""
    for source in sources:
        if isinstance(source, Problem | InputFile):
            yield source
        else:
            yield from guarded(lambda: expanded(source), input_name(source))  # noqa: B023


def expanded(source: str | Path) -> Iterator[str | InputFile | Problem]:
    """Yield what one source given stands for: a URL, a file, or the files of a folder."""
    if is_url(source):
        yield str(source)
    elif Path(source).is_dir():
        yield from folder_inputs(Path(source))
    else:
        yield checked_input(Path(source), named=True)


def folder_inputs(folder: Path) -> Iterator[InputFile | Problem]:
    """Yield the files under a folder by path (hidden ones aside), and a problem for each entry or subfolder not read."""
    errors: list[OSError] = []
    entries = []
    for root, folders, names in os.walk(folder, onerror=errors.append):
        entries += [Path(root) / name for name in names if not name.startswith(".")]
        entries += [Path(root) / name for name in folders if not name.startswith(".") and (Path(root) / name).is_symlink()]
    for err in errors:
        yield Problem("failed", input_name(err.filename or folder), f"cannot list the folder ({err.strerror or err})")
    for path in sorted(entries):
        yield checked_input(path, named=False, root=folder)


def path_problem(path: Path, named: bool) -> Problem | None:
    """Return the problem of a path that is no file to read, None for a file: a missing or broken path failed; another kind of
    file (a named pipe, a link to a folder) failed when it was named, else skipped."""
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return Problem("failed", input_name(path), broken_path(path, err))
    if what := next((what for is_kind, what in SPECIAL_FILES if is_kind(mode)), ""):
        return Problem("failed" if named else "skipped", input_name(path), what)
    return None


def broken_path(path: Path, err: OSError) -> str:
    """Return why a path cannot be looked at: it does not exist, it is a link to nothing, or what the system said."""
    if not isinstance(err, FileNotFoundError):
        return f"cannot be looked at ({err.strerror or err})"
    if path.is_symlink():
        return f"a symbolic link to {valid_text(os.readlink(path))}, which does not exist"
    return "no such file or folder"


def checked_input(path: Path, named: bool, root: Path | None = None) -> InputFile | Problem:
    """Return a file to read (found under ``root``, by default its own folder), or the problem of a path that is none
    (``path_problem``) or of another format."""
    if problem := path_problem(path, named):
        return problem
    if not file_format(path):
        found = "".join(path.suffixes) or "no extension"
        kind = "failed" if named else "skipped"
        return Problem(kind, input_name(path), f"not an article format ({found}); expected one of {', '.join(sorted(FORMATS))}")
    return InputFile(path, root if root is not None else path.parent)


def input_name(source: str | Path) -> str:
    """Return how articles and problems name an input: its path or URL as valid text (``pipeline.records.valid_text``)."""
    return valid_text(os.fsdecode(source) if isinstance(source, bytes) else str(source))


def raw_articles(
    data: bytes, fmt: str, stem: str, origin: str, options: ReadOptions, session: requests.Session, url: str = ""
) -> Iterator[RawArticle | Problem]:
    """Yield what the reader for ``fmt`` finds in the bytes of one input (``session`` fetches a feed's linked pages)."""
    check_bytes(data, options.max_bytes)
    if fmt == "feed" or (fmt in {"html", "text"} and looks_like_feed(data)):
        fetch = functools.partial(linked_page, options=options, session=session) if options.fetch_links else None
        yield from read_feed(data, stem, origin, fetch)
        return
    text = decode_bytes(data)
    if fmt == "html":
        yield from read_html(text, stem, origin, url)
    elif fmt in {"text", "markdown"}:
        yield from read_plaintext(text, stem, origin, markdown=fmt == "markdown")
    elif fmt == "json":
        yield from read_json(text, stem, origin)
    elif fmt == "jsonl":
        yield from read_jsonl(text.splitlines(), stem, origin)
    elif fmt == "csv":
        yield from read_csv(text, stem, origin)


def linked_page(link: str, options: ReadOptions, session: requests.Session) -> RawArticle:
    """Return the article of the page a feed entry links to, or raise ``InputError`` saying why there is none."""
    for item in read_source(link, options, session):
        if isinstance(item, RawArticle):
            return item
        if item.kind == "failed":
            raise InputError(item.message)
    raise InputError("no article on the page")


def file_bytes(path: Path, max_bytes: int) -> bytes:
    """Return a file's bytes, refusing a file larger than ``max_bytes`` before reading it."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size > max_bytes:
            raise InputError(f"larger than the size cap of {max_bytes:,} bytes (--max-bytes)")
        data = handle.read()
    if len(data) > max_bytes:
        raise InputError(f"larger than the size cap of {max_bytes:,} bytes (--max-bytes)")
    return data


def raw_of_file(path: Path, options: ReadOptions, session: requests.Session) -> Iterator[RawArticle | Problem]:
    """Yield what one file holds; gzip files are opened first. The size cap holds for every format."""
    data = file_bytes(path, options.max_bytes)
    if path.suffix.lower() == ".gz":
        data = gunzip(data, options.max_bytes)
    yield from raw_articles(data, file_format(path), article_stem(path), input_name(path), options, session)


def raw_of_url(url: str, options: ReadOptions, session: requests.Session) -> Iterator[RawArticle | Problem]:
    """Yield what one URL serves, read by its content type (or its path's extension)."""
    fetched = fetch_url(url, options.max_bytes, options.timeout, options.deadline, session)
    fmt = CONTENT_TYPES.get(fetched.content_type) or file_format(Path(url.split("?")[0])) or "html"
    if fmt == "html" and looks_like_feed(fetched.data):
        fmt = "feed"
    stem = article_stem(Path(url.split("?")[0].rstrip("/"))) or "page"
    yield from raw_articles(fetched.data, fmt, stem, url, options, session, url=fetched.url)


def read_source(source: str | Path | InputFile, options: ReadOptions, session: requests.Session) -> Iterator[RawArticle | Problem]:
    """Yield what one file or URL holds (URLs fetched with ``session``, ``pipeline.ingest.fetch``); whatever goes wrong
    becomes one failed problem naming it (``guard.guarded``)."""
    path = source.path if isinstance(source, InputFile) else source
    if is_url(path):
        return guarded(lambda: raw_of_url(str(path), options, session), input_name(path))
    return guarded(lambda: raw_of_file(Path(path), options, session), input_name(path))


def place_of(source: str | InputFile) -> str:
    """Return where an input is, as an article's identity takes it: a file's path under the folder given, or the URL."""
    return source.place if isinstance(source, InputFile) else input_name(source)


def built_article(raw: RawArticle, options: ReadOptions, place: str = "") -> Iterator[Article | Problem]:
    """Yield the warnings met building an article from what a reader found at ``place``, then the article; a failure
    becomes a problem naming the record."""

    def build() -> Iterator[Article | Problem]:
        article, warnings = build_article(raw, options.published, place)
        yield from warnings
        yield article

    return guarded(build, raw.origin, raw.locator)


def read_articles(
    sources: Iterable[Source], options: ReadOptions | None = None, session: requests.Session | None = None
) -> Iterator[Article | Problem]:
    """Yield every article of every source once, and a problem for each input or record not read; URLs are fetched with
    ``session`` (by default one for this read: ``pipeline.ingest.fetch.fetch_session``).

    For example ``[a for a in read_articles(["data/demo"]) if isinstance(a, Article)]``.
    """
    options = options or ReadOptions()
    seen = ReadSoFar()
    with contextlib.ExitStack() as stack:
        session = session or stack.enter_context(fetch_session())
        for source in expand_sources(sources):
            if isinstance(source, Problem):
                yield source
                continue
            yield from articles_of_source(source, options, session, seen)


def articles_of_source(
    source: str | InputFile, options: ReadOptions, session: requests.Session, seen: ReadSoFar
) -> Iterator[Article | Problem]:
    """Yield the articles of one expanded source that this read has not yielded yet, and the problems met."""
    for raw in read_source(source, options, session):
        for item in [raw] if isinstance(raw, Problem) else built_article(raw, options, place_of(source)):
            yield item if isinstance(item, Problem) else seen.checked(item)


@dataclass
class ReadSoFar:
    """The articles one read has yielded, by content and by id: the same text is read once, and an id is one text."""

    by_hash: dict[str, str] = field(default_factory=dict)
    by_id: dict[str, str] = field(default_factory=dict)

    def checked(self, article: Article) -> Article | Problem:
        """Return the article when it is new to this read, else the problem that keeps it out: no text, a text read already,
        or an id read already with another text (the first kept; a later run replaces it, reported)."""
        if not article.text.strip():
            return Problem("failed", article.origin, "no text left after cleaning", article.locator)
        if article.content_hash in self.by_hash:
            return Problem(
                "duplicate", article.origin, f"same text as article {self.by_hash[article.content_hash]}; read once", article.locator
            )
        if article.article_id in self.by_id:
            first = self.by_id[article.article_id]
            return Problem(
                "duplicate",
                article.origin,
                f"article {article.article_id} was read from {first} with another text; the first kept (the source gives two texts one id)",
                article.locator,
            )
        self.by_hash[article.content_hash] = article.article_id
        self.by_id[article.article_id] = f"{article.origin}:{article.locator}" if article.locator else article.origin
        return article


def summarise(items: Iterable[Article | Problem]) -> ReadSummary:
    """Return the counts of a read from the articles and problems it yielded."""
    articles = [i for i in items if isinstance(i, Article)]
    problems = tuple(i for i in items if isinstance(i, Problem))
    whole_input = [p for p in problems if not p.locator]
    return ReadSummary(
        inputs_read=len({a.origin for a in articles}),
        inputs_skipped=sum(p.kind == "skipped" for p in whole_input),
        inputs_failed=sum(p.kind == "failed" for p in whole_input),
        articles=len(articles),
        duplicates=sum(p.kind == "duplicate" for p in problems),
        records_failed=sum(p.kind == "failed" and bool(p.locator) for p in problems),
        problems=problems,
    )
