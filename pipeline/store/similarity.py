"""How alike two mentions' evidence is: TF-IDF vectors of their sentence, trigger and article title, weighted over the
mentions of one merge block, compared by cosine; and of their article titles alone, without the words of a series."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from pipeline.store.merge_data import merge_data

# A word: a run of letters or digits; words this short say little ("U.S." gives "u", "s").
WORD = re.compile(r"[a-z0-9]+")
MIN_WORD_LENGTH = 3
# A title word found in the titles of this many publication days of a block names a series of articles ("Press Briefing by
# Press Secretary Jen Psaki, July 14, 2021"), not a story. Read on every 6th article of ../shared/corpora: at 5 days the
# titles of daily briefings no longer join their mentions; see bench/README_merge.md.
SERIES_DAYS = 5

Vector = dict[str, float]


def evidence_words(text: str) -> list[str]:
    """Return the words of a text that say which act it reports: lowercased, no stopwords or short words, a plural's
    final s dropped ("platforms" is "platform"), e.g. ``["iranian", "oil", "platform"]``."""
    stop = merge_data().stopwords
    words = (w for w in WORD.findall(text.lower()) if len(w) >= MIN_WORD_LENGTH and w not in stop)
    return [w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w for w in words]


def evidence_text(row: Mapping[str, object]) -> str:
    """Return the text of a mention that its similarity is measured on: its sentence, its trigger and its article's title."""
    return " ".join(str(row.get(c) or "") for c in ("sentence", "trigger", "article_title"))


def tfidf_vectors(texts: Sequence[str]) -> list[Vector]:
    """Return each text's TF-IDF vector (unit length): log-scaled counts times the smoothed inverse document frequency of
    each word over these texts (a word in every text still counts once)."""
    return word_vectors([evidence_words(t) for t in texts])


def headline_vectors(titles: Sequence[str], days: Sequence[str]) -> list[Vector]:
    """Return the TF-IDF vector of each article title, published on the given day, over the distinct titles and without the
    words of a series of titles: words in the titles of ``SERIES_DAYS`` or more publication days ("Department Press
    Briefing – July 12, 2021" and "... July 13, 2021" say nothing of which act either reports)."""
    words = {title: evidence_words(title) for title in dict.fromkeys(titles)}
    days_of: dict[str, set[str]] = {}
    for title, day in zip(titles, days, strict=True):
        for word in words[title]:
            days_of.setdefault(word, set()).add(day)
    distinct = [[w for w in title_words if len(days_of[w]) < SERIES_DAYS] for title_words in words.values()]
    vectors = dict(zip(words, word_vectors(distinct), strict=True))
    return [vectors[title] for title in titles]


def word_vectors(texts: Sequence[Sequence[str]]) -> list[Vector]:
    """Return the TF-IDF vector of each list of words (see ``tfidf_vectors``)."""
    counts = [Counter(words) for words in texts]
    frequency = Counter(w for c in counts for w in c)
    total = len(texts)
    vectors = []
    for count in counts:
        weights = {w: (1.0 + math.log(n)) * (1.0 + math.log((1 + total) / (1 + frequency[w]))) for w, n in count.items()}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        vectors.append({w: v / norm for w, v in weights.items()})
    return vectors


def cosine(a: Vector, b: Vector) -> float:
    """Return the cosine of two unit vectors (0 when they share no word)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())
