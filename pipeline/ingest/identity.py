"""An article's identity: what makes two readings the same article, and the article id made from it.

Tried in order (``BASES``), the first the source gives answering:

1. the source's own id (an ``Id:`` header, an ``id``/``guid`` field, a feed entry's id), kept as the article id when it is
   plain (one word of at most ``MAX_PLAIN_ID_CHARS`` characters);
2. the article's URL (canonical where the page names one), without its fragment and tracking parameters;
3. where it came from (the file's path under the folder given, or its name, and the record's locator) together with
   its content (the raw title and text, before cleaning, so that a change of Eventline's cleaning keeps the identity).

A stored article is replaced only when the same identity arrives with new text; with 3, new text is a new identity, so an
edited file or a CSV row of another day is a new article beside the old one. ``article_identity`` is the one place an
article id is made.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Hex digits of the identity's hash in an article id: 64 bits, so that a store of ten million articles made from
# places has a chance of about 3 in a million of two sharing an id.
ID_DIGEST_CHARS = 16
# A source's id longer than this, or with spaces in it, is hashed into the article id rather than kept as it is.
MAX_PLAIN_ID_CHARS = 100
# The readable part of an id made from a URL or a place is cut to this many characters (a place's is the file's stem as it
# is, a byte of a name that is not UTF-8 written ``\xNN``; a URL's is made of letters, digits, ``.``, ``_`` and ``-``).
MAX_LABEL_CHARS = 60
BASES = ("source id", "url", "place and content")
# Query parameters that say who linked to a page, not which page it is.
TRACKING_PARAMETER = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ocid)$", re.I)
NOT_LABEL = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class Identity:
    """What identifies an article (``basis``, one of ``BASES``, and its ``key``) and the id made from it."""

    basis: str
    key: str
    article_id: str


def digest(*parts: str) -> str:
    """Return the stable hash of text parts used in ids, e.g. ``digest("url", "https://a.org/x")`` (the same in every process)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", errors="surrogatepass")).hexdigest()[:ID_DIGEST_CHARS]


def normalised_url(url: str) -> str:
    """Return a URL as an identity: scheme and host lower-cased, no fragment, no tracking parameters, no trailing slash;
    "" for what is no http(s) URL. E.g. ``normalised_url("HTTPS://A.org/x/?utm_source=t#top")`` gives ``"https://a.org/x"``."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return ""
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMETER.match(k)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), query, ""))


def label(text: str) -> str:
    """Return the readable part of an id: the text with runs of other characters than letters, digits, ``.``, ``_`` and ``-``
    made ``-``, cut to ``MAX_LABEL_CHARS``; e.g. ``label("a b/c")`` gives ``"a-b-c"``."""
    return NOT_LABEL.sub("-", text).strip("-.")[:MAX_LABEL_CHARS].rstrip("-.") or "article"


def url_label(url: str) -> str:
    """Return the readable part of an id made from a URL: its last path segment without extension, else its host."""
    parts = urlsplit(url)
    segment = parts.path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return label(segment or parts.netloc)


def is_plain_id(source_id: str) -> bool:
    """Return True for a source's id kept as the article id: one word of at most ``MAX_PLAIN_ID_CHARS`` characters."""
    return 0 < len(source_id) <= MAX_PLAIN_ID_CHARS and not any(c.isspace() for c in source_id)


def raw_content(title: str, body: str) -> str:
    """Return the hash of an article's title and text as read (whitespace folded): the content part of a place identity."""
    return digest(" ".join(title.split()), " ".join(body.split()))


def article_identity(source_id: str, url: str, place: str, locator: str, content: str, place_label: str) -> Identity:
    """Return an article's identity and id: from the source's own id, else its URL, else its place (``place``: the file's
    path under the folder given; ``locator``: the record's line or entry) and ``content`` (``raw_content``). ``place_label``
    is the readable part of a place id (the file's stem, with the record's number). E.g.
    ``article_identity("", "", "a/report.txt", "", raw_content("T", "Text."), "report").article_id`` gives
    ``"report-<16 hex digits>"``; the same file name in another folder gives another id."""
    source_id = source_id.strip()
    if source_id:
        made = source_id if is_plain_id(source_id) else f"{label(source_id)}-{digest('source id', source_id)}"
        return Identity("source id", source_id, made)
    if normalised := normalised_url(url):
        return Identity("url", normalised, f"{url_label(normalised)}-{digest('url', normalised)}")
    key = "\x1f".join((place, locator, content))
    return Identity("place and content", key, f"{place_label[:MAX_LABEL_CHARS] or 'article'}-{digest('place', key)}")
