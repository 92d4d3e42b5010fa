"""Read web pages: main text and metadata with trafilatura, the date with htmldate, captions apart."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import htmldate
import lxml.html
import trafilatura
from lxml import etree
from lxml.html.clean import Cleaner

from pipeline.ingest.build import RawArticle
from pipeline.ingest.decode import InputError
from pipeline.records import Problem

# Tags after which text continues on a new line when a fragment is turned into text.
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "tr", "section", "article"}
FRAGMENT_CLEANER = Cleaner(scripts=True, javascript=True, style=True, comments=True, forms=True, embedded=True, frames=True)
# trafilatura's settings, chosen with ``bench/bench_ingest.py`` (2026-11-28) over the 181 pages of
# ../shared/corpora/html_extraction (mean token F1 of the body) and the 62 of html_boilerplate (share of the
# snippets that must / must not be in the body), with the cleaning of data/cleaning.yaml:
#   balanced, tables       F1 0.962, 95.1% / 9.6%      favor_precision, tables     F1 0.967, 90.7% / 9.1%
#   balanced, no tables    F1 0.959, 94.5% / 9.1%      favor_precision, no tables  F1 0.957, 83.0% / 7.0%
#   favor_recall, tables   F1 0.962, 90.7% / 11.8%
# Balanced with tables keeps the most of the text that must be kept, for 0.005 of F1 against favor_precision.
EXTRACTION_OPTIONS: dict[str, Any] = {"favor_precision": False, "favor_recall": False, "include_tables": True, "include_comments": False}
# Where the body of a page comes from, tried in order; a page with none of them is not an article.
BODY_SOURCES = ("main text", "structured data", "description")
# trafilatura's text shorter than this share of the page's schema.org ``articleBody`` means it missed the
# article (scmp.com keeps its text in scripts: 151 characters against 4,312). On the 16 pages of
# html_extraction that carry an articleBody, trafilatura's text is 0.74 to 10 times its length.
MIN_SHARE_OF_ARTICLE_BODY = 1 / 3
# htmldate's answer as a timestamp, so that a UTC time can be matched with the same instant given in local time.
STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
OFFSET_STAMP = re.compile(r"(?<![\d-])(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d)?)(?:\.\d+)?([+-]\d\d):?(\d\d)(?!\d)")

for noisy in ("trafilatura", "htmldate", "charset_normalizer"):
    logging.getLogger(noisy).setLevel(logging.ERROR)


def parse_tree(html: str) -> lxml.html.HtmlElement:
    """Return the lxml tree of a page, or raise ``InputError`` when it holds no HTML."""
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8", remove_comments=True))
    except (etree.ParserError, ValueError) as err:
        raise InputError(f"not parseable as HTML ({err})") from None
    return tree


def figure_captions(tree: lxml.html.HtmlElement) -> tuple[str, ...]:
    """Return the text of every ``<figcaption>`` of a page."""
    texts = (" ".join(node.text_content().split()) for node in tree.iter("figcaption"))
    return tuple(dict.fromkeys(t for t in texts if t))


def page_language(tree: lxml.html.HtmlElement) -> str:
    """Return the language the page declares in ``<html lang>``, or ""."""
    return (tree.get("lang") or "").strip()


def page_date(tree: lxml.html.HtmlElement, url: str, html: str = "") -> str:
    """Return the page's original publication date as ISO text, or "".

    htmldate's settings were chosen with ``bench/bench_ingest.py dates`` (2026-11-28) on the 273 dated pages
    of ../shared/corpora/html_dated: extensive search with the original date 0.897 exact days; without
    ``original_date`` 0.879; without extensive search 0.857; deferring the URL's date 0.894. Passing the
    page's URL changes nothing: htmldate reads the canonical link itself.
    """
    found = htmldate.find_date(tree, extensive_search=True, original_date=True, url=url or None, outputformat=STAMP_FORMAT)
    return local_day(found, html) if found else ""


def local_day(found: str, html: str) -> str:
    """Return the day of a timestamp, in the publisher's time zone when the page gives the same UTC instant with an offset.

    Pages often carry the publication time twice: ``2023-11-09T02:11:03+00:00`` in a meta tag and
    ``2023-11-08T21:11:03-05:00`` in the article; the day the publisher dates the article is its local one.
    """
    if not found.endswith("+0000"):
        return found[:10]
    instant = datetime.strptime(found, STAMP_FORMAT)
    for match in OFFSET_STAMP.finditer(html):
        stamp = offset_stamp(match)
        if stamp is not None and stamp.utcoffset() and stamp == instant:
            return stamp.date().isoformat()
    return found[:10]


def offset_stamp(match: re.Match[str]) -> datetime | None:
    """Return the aware datetime of an ``OFFSET_STAMP`` match, or None when it is no valid time."""
    day, clock, hours, minutes = match.groups()
    try:
        return datetime.fromisoformat(f"{day}T{clock}{hours}:{minutes}")
    except ValueError:
        return None


def json_ld_objects(tree: lxml.html.HtmlElement) -> Iterator[dict]:
    """Yield every object, nested ones included, of the page's JSON-LD scripts."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            stack = [json.loads(script.text_content())]
        except (ValueError, RecursionError):
            continue
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                yield item
            if isinstance(item, dict | list):
                stack.extend(v for v in (item.values() if isinstance(item, dict) else item) if isinstance(v, dict | list))


def structured_body(tree: lxml.html.HtmlElement) -> str:
    """Return the longest schema.org ``articleBody`` of the page's JSON-LD, as text, or ""."""
    bodies = [o["articleBody"] for o in json_ld_objects(tree) if isinstance(o.get("articleBody"), str)]
    return fragment_text(max(bodies, key=len)).strip() if bodies else ""


def page_description(tree: lxml.html.HtmlElement) -> str:
    """Return the page's own summary (``og:description`` or ``description`` meta tag), or ""."""
    for xpath in ('//meta[@property="og:description"]/@content', '//meta[@name="description"]/@content'):
        if found := " ".join(" ".join(tree.xpath(xpath)[:1]).split()):
            return found
    return ""


def page_body(main_text: str, tree: lxml.html.HtmlElement) -> tuple[str, str]:
    """Return the page's body and which of ``BODY_SOURCES`` gave it; ("", "") when none did.

    The main text comes first, unless the page's articleBody is much longer: then the main text missed the article.
    """
    main, structured, description = BODY_SOURCES
    article_body = structured_body(tree)
    if article_body and len(main_text.strip()) < MIN_SHARE_OF_ARTICLE_BODY * len(article_body):
        return article_body, structured
    if main_text.strip():
        return main_text, main
    summary = page_description(tree)
    return (summary, description) if summary else ("", "")


def read_html(html: str, stem: str, origin: str, url: str = "") -> Iterator[RawArticle | Problem]:
    """Yield the article of one page, with a warning when only the page's description stands for it; its URL (canonical where
    the page names one) is its identity, else the file's stem labels its id."""
    tree = parse_tree(html)
    captions = figure_captions(tree)
    language = page_language(tree)
    published = page_date(tree, url, html)
    found = trafilatura.bare_extraction(tree, url=url or None, with_metadata=True, **EXTRACTION_OPTIONS)
    document = None if isinstance(found, dict) else found  # a dict only with as_dict=True, which is not asked for
    body, source = page_body((document.text or "") if document else "", tree)
    if not body:
        raise InputError("no article text found in the page (no main text, no articleBody, no description)")
    if source == BODY_SOURCES[-1]:
        yield Problem("warning", origin, "no article text found in the page; kept its description as a teaser")
    yield RawArticle(
        label=stem,
        title=(document.title if document else "") or page_title(tree),
        body=body,
        origin=origin,
        published=published or (document.date if document else None),
        author=(document.author if document else "") or "",
        publisher=(document.sitename if document else "") or "",
        url=(document.url if document else "") or url,
        language=language,
        captions=captions,
    )


def page_title(tree: lxml.html.HtmlElement) -> str:
    """Return the text of the page's ``<title>``, or ""."""
    return " ".join(" ".join(tree.xpath("//title//text()")[:1]).split())


def fragment_text(html: str) -> str:
    """Return the text of an HTML fragment (a feed entry, an API's body field), a paragraph a line."""
    if "<" not in html:
        return html
    try:
        root = FRAGMENT_CLEANER.clean_html(lxml.html.fragment_fromstring(html, create_parent="div"))
    except (etree.ParserError, ValueError):
        return html
    for node in root.iter(*BLOCK_TAGS):
        node.tail = "\n" + (node.tail or "")
    return "\n".join(" ".join(line.split()) for line in root.text_content().split("\n"))
