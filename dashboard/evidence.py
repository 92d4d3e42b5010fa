"""The evidence of an event as safe Markdown: article text escaped, the trigger and actors highlighted; no Streamlit here.

Nothing an article supplies is rendered as HTML or as Markdown: every ASCII punctuation character of it is
backslash-escaped (CommonMark allows it for each), so that no tag, link, image, emphasis, colour directive
or formula can come from an article. Highlights use Streamlit's colour syntax around the escaped words:
``highlighted("Russia warned Finland.", (7, 13), [])`` gives ``Russia :red-background[**warned**] Finland\\.``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pandas as pd

ASCII_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
WHITESPACE = re.compile(r"\s+")
# The colour of each highlighted part: the trigger, then the actors by role.
HIGHLIGHT_COLOURS = {"trigger": "red", "source": "blue", "target": "orange", "participant": "violet"}
# Characters kept as they are in a link's URL; the rest are percent-encoded (brackets, spaces, quotes...).
URL_SAFE = "/:?#&=%~+@!$,;*-._"


@dataclass(frozen=True)
class Span:
    """A highlighted part of a sentence: its characters [start, end) and what it is (``trigger`` or an actor's role)."""

    start: int
    end: int
    kind: str
    name: str = ""


@dataclass(frozen=True)
class Evidence:
    """One sentence that reports an event, with where it was read and how it was dated."""

    sentence: str
    spans: tuple[Span, ...]
    title: str
    publisher: str
    published: str
    url: str
    date: str
    date_text: str
    date_precision: str
    status: str
    confidence: float
    is_caption: bool = False
    article_id: str = ""
    sentence_index: int = -1  # the sentence's number in the article's cleaned text (-1: not recorded)


def escaped(text: object) -> str:
    """Return text that Markdown shows as written, on one line: ``"[a](b)"`` gives ``"\\[a\\]\\(b\\)"``."""
    return ASCII_PUNCTUATION.sub(r"\\\1", WHITESPACE.sub(" ", str(text or "")).strip())


def kept_spans(spans: Sequence[Span], length: int) -> list[Span]:
    """Return the spans that lie inside the sentence, by start, dropping any that overlap one kept before."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if 0 <= span.start < span.end <= length and (not kept or span.start >= kept[-1].end):
            kept.append(span)
    return kept


def highlighted(sentence: str, trigger: Sequence[int] | None, actors: Sequence[Span]) -> str:
    """Return a sentence as Markdown with its trigger in bold red and each actor coloured by role, all text escaped."""
    spans = [*actors]
    if trigger and len(trigger) == 2:
        spans.append(Span(int(trigger[0]), int(trigger[1]), "trigger"))
    return marked(sentence, spans)


def marked(sentence: str, spans: Sequence[Span]) -> str:
    """Return a sentence as Markdown with each span highlighted (triggers in bold red, actors coloured by role), all
    text escaped; of overlapping spans the first (the longest at a start) is kept."""
    parts, at = [], 0
    for span in kept_spans(spans, len(sentence)):
        parts.append(escaped_part(sentence[at : span.start]))
        colour = HIGHLIGHT_COLOURS.get(span.kind, "gray")
        words = escaped(sentence[span.start : span.end])
        parts.append(f":{colour}-background[**{words}**]" if span.kind == "trigger" else f":{colour}-background[{words}]")
        at = span.end
    parts.append(escaped_part(sentence[at:]))
    return "".join(parts).strip()


def escaped_part(text: str) -> str:
    """Return a piece of a sentence escaped, keeping a single space at its ends (so words stay apart)."""
    inner = escaped(text)
    if not inner:
        return " " if text[:1].isspace() or text[-1:].isspace() else ""
    return (" " if text[:1].isspace() else "") + inner + (" " if text[-1:].isspace() else "")


def actor_spans(items: object) -> tuple[Span, ...]:
    """Return the actor spans of an evidence item (a list of ``{start, end, role, name}``), skipping malformed ones."""
    spans = []
    for item in items if isinstance(items, list) else []:
        try:
            spans.append(Span(int(item["start"]), int(item["end"]), str(item.get("role") or "participant"), str(item.get("name") or "")))
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(spans)


def trigger_span(item: dict[str, object]) -> tuple[int, int] | None:
    """Return an evidence item's trigger span, None when it has none."""
    value = item.get("trigger")
    try:
        return (int(value[0]), int(value[1])) if isinstance(value, list) and len(value) == 2 else None
    except (TypeError, ValueError):
        return None


def evidence_items(mention: pd.Series) -> list[Evidence]:
    """Return the evidence sentences of one mention row (``Store.mentions``), each with its article and dating."""
    try:
        items = json.loads(str(mention.get("evidence") or "[]"))
    except ValueError:
        items = []
    items = [i for i in items if isinstance(i, dict) and i.get("sentence")] or [{"sentence": mention.get("sentence", "")}]
    return [evidence_of(mention, item) for item in items]


def evidence_of(mention: pd.Series, item: dict[str, object]) -> Evidence:
    """Return one evidence sentence with its mention's article, date, status and confidence."""
    spans = actor_spans(item.get("actors"))
    trigger = trigger_span(item)
    return Evidence(
        sentence=str(item.get("sentence") or ""),
        spans=spans + ((Span(trigger[0], trigger[1], "trigger"),) if trigger else ()),
        title=str(mention.get("article_title") or ""),
        publisher=str(mention.get("publisher") or ""),
        published=str(mention.get("published") or ""),
        url=str(mention.get("article_url") or ""),
        date=str(mention.get("date") or ""),
        date_text=str(item.get("date_text") or mention.get("date_text") or ""),
        date_precision=str(mention.get("date_precision") or ""),
        status=str(mention.get("status") or ""),
        confidence=float(mention.get("confidence") or 0.0),
        is_caption=bool(item.get("is_caption")),
        article_id=str(mention.get("article_id") or ""),
        sentence_index=sentence_number(item),
    )


def sentence_number(item: dict[str, object]) -> int:
    """Return an evidence item's sentence number in its article, -1 when it has none."""
    value = item.get("sentence_index")
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def evidence_markdown(item: Evidence) -> str:
    """Return one evidence sentence as Markdown, its trigger and actors highlighted."""
    trigger = next(((s.start, s.end) for s in item.spans if s.kind == "trigger"), None)
    return highlighted(item.sentence, trigger, [s for s in item.spans if s.kind != "trigger"])


def span_notes(sentence: str, spans: Sequence[Span]) -> list[str]:
    """Return what each highlight of a sentence is, as plain text: ``trigger: warned``, ``source: Moscow (Russia)``."""
    notes = []
    for span in kept_spans(spans, len(sentence)):
        words = sentence[span.start : span.end]
        notes.append(f"{span.kind}: {words}" + (f" ({span.name})" if span.name and span.name != words else ""))
    return notes


def safe_url(url: str) -> str:
    """Return an http(s) URL with brackets, spaces and quotes percent-encoded, "" for any other scheme."""
    url = url.strip()
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return ""
    return quote(url, safe=URL_SAFE)


def source_markdown(item: Evidence) -> str:
    """Return an evidence sentence's source as Markdown: the escaped title linked to its article (when the URL is
    http or https), the publisher and publication date."""
    title = escaped(item.title) or "untitled article"
    url = safe_url(item.url)
    linked = f"[{title}]({url})" if url else title
    by = " · ".join(escaped(x) for x in (item.publisher, item.published) if x)
    return f"{linked} — {by}" if by else linked


def dating_text(item: Evidence) -> str:
    """Return how an evidence sentence was dated and judged, as plain text."""
    words = f"from “{item.date_text}”" if item.date_text else "from the publication date (no date words)"
    caption = " · in a photo caption" if item.is_caption else ""
    dated = f"date {item.date or '?'} ({item.date_precision or 'none'}) {words}"
    return f"{dated} · status {item.status or '?'} · confidence {item.confidence:.2f}{caption}"


def reported_by(n_articles: int, n_publishers: int) -> str:
    """Return how widely an event was reported, e.g. ``reported_by(7, 6)`` gives ``"reported by 6 outlets in 7 articles"``
    (articles with no publisher named count as none)."""
    outlets = f"{n_publishers} outlet{'s' if n_publishers != 1 else ''}"
    articles = f"{n_articles} article{'s' if n_articles != 1 else ''}"
    return f"reported by {outlets} in {articles}" if n_publishers else f"reported in {articles}"
