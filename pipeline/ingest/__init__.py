"""Read articles from any mix of files, folders and URLs: one function, every common news format."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.ingest.build import RawArticle, build_article
from pipeline.ingest.decode import DEFAULT_MAX_BYTES, InputError, check_bytes, decode_bytes, gunzip
from pipeline.ingest.feeds import looks_like_feed, read_feed
from pipeline.ingest.fetch import DEFAULT_TIMEOUT_S, fetch_url
from pipeline.ingest.html import read_html
from pipeline.ingest.plaintext import read_plaintext
from pipeline.ingest.tabular import read_csv, read_json, read_jsonl
from pipeline.records import Article, Problem, ReadSummary

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


@dataclass(frozen=True)
class ReadOptions:
    """How to read: a publication date that overrides all others, fetching, and the limits."""

    published: date | None = None
    fetch_links: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT_S


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


def expand_sources(sources: Iterable[str | Path]) -> Iterator[str | Path | Problem]:
    """Yield URLs and readable files, walking folders; other files become skipped problems."""
    for source in sources:
        if is_url(source):
            yield str(source)
            continue
        path = Path(source)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                yield (
                    child
                    if file_format(child)
                    else Problem("skipped", str(child), f"not an article format ({''.join(child.suffixes) or 'no extension'})")
                )
        elif path.is_file():
            yield (
                path
                if file_format(path)
                else Problem(
                    "skipped",
                    str(path),
                    f"unsupported format ({''.join(path.suffixes) or 'no extension'}); expected one of {', '.join(sorted(FORMATS))}",
                )
            )
        else:
            yield Problem("failed", str(path), "no such file or folder")


def raw_articles(data: bytes, fmt: str, stem: str, origin: str, options: ReadOptions, url: str = "") -> Iterator[RawArticle | Problem]:
    """Yield what the reader for ``fmt`` finds in the bytes of one input."""
    check_bytes(data, options.max_bytes)
    if fmt == "feed" or (fmt in {"html", "text"} and looks_like_feed(data)):
        fetch = (lambda link: next(iter(raw_of_url(link, options)))) if options.fetch_links else None
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


def raw_of_file(path: Path, options: ReadOptions) -> Iterator[RawArticle | Problem]:
    """Yield what one file holds; gzip files are opened first."""
    if path.stat().st_size > options.max_bytes and file_format(path) != "jsonl":
        raise InputError(f"larger than the size cap of {options.max_bytes:,} bytes")
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        data = gunzip(data, options.max_bytes)
    jsonl_options = ReadOptions(options.published, options.fetch_links, max(options.max_bytes, len(data)), options.timeout)
    yield from raw_articles(
        data, file_format(path), article_stem(path), str(path), jsonl_options if file_format(path) == "jsonl" else options
    )


def raw_of_url(url: str, options: ReadOptions) -> Iterator[RawArticle | Problem]:
    """Yield what one URL serves, read by its content type (or its path's extension)."""
    fetched = fetch_url(url, options.max_bytes, options.timeout)
    fmt = CONTENT_TYPES.get(fetched.content_type) or file_format(Path(url.split("?")[0])) or "html"
    if fmt == "html" and looks_like_feed(fetched.data):
        fmt = "feed"
    stem = article_stem(Path(url.split("?")[0].rstrip("/"))) or "page"
    yield from raw_articles(fetched.data, fmt, stem, url, options, url=fetched.url)


def read_source(source: str | Path, options: ReadOptions) -> Iterator[RawArticle | Problem]:
    """Yield what one file or URL holds; a broken input becomes one failed problem."""
    try:
        yield from raw_of_url(str(source), options) if is_url(source) else raw_of_file(Path(source), options)
    except InputError as err:
        yield Problem("failed", str(source), str(err))
    except OSError as err:
        yield Problem("failed", str(source), f"cannot read ({err.strerror or err})")


def read_articles(sources: Iterable[str | Path], options: ReadOptions | None = None) -> Iterator[Article | Problem]:
    """Yield every article of every source once, and a problem for each input or record not read.

    For example ``[a for a in read_articles(["data/demo"]) if isinstance(a, Article)]``.
    """
    options = options or ReadOptions()
    seen: dict[str, str] = {}
    for source in expand_sources(sources):
        if isinstance(source, Problem):
            yield source
            continue
        for item in read_source(source, options):
            if isinstance(item, Problem):
                yield item
                continue
            article, warnings = build_article(item, options.published)
            yield from warnings
            if not article.text.strip():
                yield Problem("failed", article.origin, "no text left after cleaning", article.locator)
            elif article.content_hash in seen:
                yield Problem("duplicate", article.origin, f"same text as article {seen[article.content_hash]}; read once", article.locator)
            else:
                seen[article.content_hash] = article.article_id
                yield article


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
