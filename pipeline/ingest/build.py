"""Build an ``Article`` from the fields a reader found: clean the text, settle the date and language."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

import py3langid

from pipeline.clean import clean_text
from pipeline.ingest.bounds import bounded_text
from pipeline.ingest.identity import Identity, article_identity, raw_content
from pipeline.pubdate import infer_published, parse_date_value, stated_published
from pipeline.publishers import local_zone
from pipeline.records import Article, Problem, valid_text

# Language detection reads this many characters: enough for a stable guess, cheap on long texts.
LANGUAGE_SAMPLE_CHARS = 1500


@dataclass(frozen=True)
class RawArticle:
    """What a reader found in one input, before cleaning: ``label`` is the readable part of an id made from where it came
    from (the file's stem, with the record's number), ``source_id`` the source's own id of the article, if it gives one."""

    label: str
    title: str
    body: str
    origin: str
    locator: str = ""
    published: object = None
    author: str = ""
    publisher: str = ""
    url: str = ""
    language: str = ""
    captions: tuple[str, ...] = ()
    source_id: str = ""


def detected_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language, e.g. ``"en"``."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    return py3langid.classify(sample)[0] if sample.strip() else ""


def without_title(body: str, title: str) -> str:
    """Return the body without a first line that repeats the title."""
    first, _, rest = body.lstrip().partition("\n")
    return rest if title and first.strip() == title.strip() else body


def settled_date(raw: RawArticle, text: str, captions: tuple[str, ...], user_date: date | None) -> tuple[date | None, str, list[Problem]]:
    """Return the publication date, which source gave it (user, metadata, text, none) and any warning."""
    if user_date:
        return user_date, "user", []
    problems = []
    if raw.published not in (None, ""):
        if found := parse_date_value(raw.published, local_zone(raw.url)):
            return found, "metadata", []
        problems.append(
            Problem("warning", raw.origin, f"cannot parse the date {str(raw.published)[:60]!r}; inferring it from the text", raw.locator)
        )
    if inferred := stated_published(raw.body) or infer_published(text, captions):
        return inferred, "text", problems
    return None, "none", problems


def valid_raw(raw: RawArticle) -> RawArticle:
    """Return what a reader found with every text valid UTF-8 (``valid_text``): the article's id, text and names have one
    spelling whatever bytes the file name or the record held."""
    texts = {f.name: valid_text(value) for f in fields(raw) if isinstance(value := getattr(raw, f.name), str)}
    return replace(raw, **texts, captions=tuple(valid_text(c) for c in raw.captions))


def raw_identity(raw: RawArticle, place: str) -> Identity:
    """Return the identity of what a reader found at ``place`` (the file's path under the folder given, or a URL)."""
    return article_identity(raw.source_id, raw.url, place, raw.locator, raw_content(raw.title, raw.body), raw.label)


def build_article(raw: RawArticle, user_date: date | None = None, place: str = "") -> tuple[Article, list[Problem]]:
    """Return the cleaned article, its id made from its identity (``pipeline.ingest.identity``), and the warnings met on the
    way; ``place`` is where it came from (the file's path under the folder given, else its origin)."""
    raw = valid_raw(raw)
    article_id = raw_identity(raw, place or raw.origin).article_id
    bounded = bounded_text(without_title(raw.body, raw.title))
    cleaned = clean_text(bounded.text)
    captions = tuple(dict.fromkeys(raw.captions + cleaned.captions))
    published, published_source, problems = settled_date(raw, cleaned.text, captions, user_date)
    if bounded.note:
        problems.append(Problem("warning", raw.origin, f"article {article_id}: {bounded.note}", raw.locator))
    article = Article(
        article_id=article_id,
        title=" ".join(raw.title.split()),
        text=cleaned.text,
        published=published,
        published_source=published_source,
        author=raw.author or cleaned.author,
        publisher=raw.publisher,
        url=raw.url,
        language=(raw.language or detected_language(cleaned.text)).split("-")[0].lower(),
        captions=captions,
        origin=raw.origin,
        locator=raw.locator,
    )
    return article, problems
