"""Read plain-text and Markdown articles: a title line, optional header lines, then the body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast

from pipeline.ingest.build import RawArticle

HEADER = re.compile(r"^(?P<key>title|date|published|source|publisher|url|link|author|language|id)\s*:\s*(?P<value>.*)$", re.I)
HEADER_FIELDS = {
    "title": "title",
    "date": "published",
    "published": "published",
    "source": "publisher",
    "publisher": "publisher",
    "url": "url",
    "link": "url",
    "author": "author",
    "language": "language",
    "id": "article_id",
}


def split_headers(text: str) -> tuple[dict[str, str], str]:
    """Return the ``Key: value`` header lines at the top of a text and the rest."""
    headers: dict[str, str] = {}
    lines = text.lstrip("\ufeff").split("\n")
    index = 0
    while index < len(lines) and (match := HEADER.match(lines[index].strip())):
        headers[HEADER_FIELDS[match.group("key").lower()]] = match.group("value").strip()
        index += 1
    return headers, "\n".join(lines[index:])


def title_and_body(text: str, markdown: bool) -> tuple[str, str]:
    """Return the first non-empty line as the title, and the rest."""
    stripped = text.strip()
    title, _, body = stripped.partition("\n")
    if markdown:
        title = title.lstrip("#").strip().strip("*_")
    return title.strip(), body


def read_plaintext(text: str, stem: str, origin: str, markdown: bool = False) -> Iterator[RawArticle]:
    """Yield the one article of a .txt or .md file; an ``Id:`` header is the source's id, else the file's stem labels its id."""
    headers, rest = split_headers(text)
    if "title" in headers:
        title, body = headers.pop("title"), rest
    else:
        title, body = title_and_body(rest, markdown)
    if markdown:
        body = re.sub(r"^#{1,6}\s+", "", body, flags=re.M)
    yield RawArticle(
        label=stem,
        source_id=headers.pop("article_id", ""),
        title=title,
        body=body,
        origin=origin,
        **cast(dict[str, Any], headers),  # only the header keys RawArticle takes, each a string
    )
