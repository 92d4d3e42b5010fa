"""Read web pages: main text and metadata with trafilatura, the date with htmldate, captions apart."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import htmldate
import lxml.html
import trafilatura
from lxml import etree
from lxml.html.clean import Cleaner

from pipeline.ingest.build import RawArticle
from pipeline.ingest.decode import InputError

# Tags after which text continues on a new line when a fragment is turned into text.
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "tr", "section", "article"}
FRAGMENT_CLEANER = Cleaner(scripts=True, javascript=True, style=True, comments=True, forms=True, embedded=True, frames=True)

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


def page_date(tree: lxml.html.HtmlElement, url: str) -> str:
    """Return the page's original publication date as ISO text, or ""."""
    return htmldate.find_date(tree, extensive_search=True, original_date=True, url=url or None) or ""


def read_html(html: str, stem: str, origin: str, url: str = "") -> Iterator[RawArticle]:
    """Yield the article of one page; its id is the file's stem."""
    tree = parse_tree(html)
    captions = figure_captions(tree)
    language = page_language(tree)
    published = page_date(tree, url)
    document = trafilatura.bare_extraction(tree, url=url or None, with_metadata=True, include_comments=False)
    if document is None or not (document.text or "").strip():
        raise InputError("no article text found in the page")
    yield RawArticle(
        article_id=stem,
        title=document.title or "",
        body=document.text,
        origin=origin,
        published=published or document.date,
        author=document.author or "",
        publisher=document.sitename or "",
        url=document.url or url,
        language=language,
        captions=captions,
    )


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
