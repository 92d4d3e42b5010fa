"""An article as the store keeps it: its sentences that report events, each with every event's trigger and actors
highlighted as safe Markdown (``evidence.marked``: all article text escaped); no Streamlit here.

The store keeps no article's full text, only the sentences events were read from (each mention's evidence, with the
sentence's number in the cleaned text): the article view shows those, in the article's order, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.evidence import Evidence, Span, evidence_items, marked


@dataclass(frozen=True)
class ArticleSentence:
    """One stored sentence of an article, with the highlights and the events of every mention it reports."""

    index: int  # its number in the article's cleaned text (-1: not recorded)
    sentence: str
    spans: tuple[Span, ...]
    events: tuple[str, ...]  # each event it reports: ``warning (evt-…)``
    is_caption: bool


def article_sentences(mentions: pd.DataFrame) -> list[ArticleSentence]:
    """Return the sentences of one article's mentions (``queries.article_mentions``), each once, in the article's order,
    with the highlights and events of every mention read from it."""
    reports: dict[tuple[int, str], list[tuple[str, Evidence]]] = {}
    for _, mention in mentions.iterrows():
        label = f"{mention['event_type']} ({mention['event_id'] or 'no event: flagged wrong'})"
        for item in evidence_items(mention):
            reports.setdefault((item.sentence_index, item.sentence), []).append((label, item))
    return [sentence_of(index, sentence, found) for (index, sentence), found in sorted(reports.items())]


def sentence_of(index: int, sentence: str, found: list[tuple[str, Evidence]]) -> ArticleSentence:
    """Return one sentence with the highlights and events of every mention read from it."""
    spans = tuple(dict.fromkeys(span for _, item in found for span in item.spans))
    events = tuple(dict.fromkeys(label for label, _ in found))
    return ArticleSentence(index, sentence, spans, events, any(item.is_caption for _, item in found))


def sentence_markdown(item: ArticleSentence) -> str:
    """Return a stored sentence as Markdown, every event's trigger and actors highlighted, all its text escaped."""
    return marked(item.sentence, item.spans)


def article_heading(article: pd.Series) -> str:
    """Return an article's title, publisher, date and address as plain text (shown with ``st.text``, never as Markdown)."""
    by = " · ".join(str(article[c]) for c in ("publisher", "published") if article[c])
    lines = [str(article["title"] or "untitled article") + (f" — {by}" if by else ""), str(article["url"] or "")]
    return "\n".join(line for line in lines if line)
