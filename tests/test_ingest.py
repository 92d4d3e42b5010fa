"""Reading articles: every reader, bad input, cleaning and publication dates."""

from __future__ import annotations

import gzip
import json
import re
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.clean import clean_text
from pipeline.ingest import ReadOptions, read_articles, summarise
from pipeline.records import Article, Problem

INGEST = Path(__file__).resolve().parent / "fixtures" / "ingest"

SEED_LIKE = """Allies weigh new aid for Kyiv, says alliance chief

FILE - Defence ministers pose for a photo before their talks in Brussels, Belgium, Feb. 14, 2023. (Lena Ortiz, Pool Photo via AP, File)
By Ana Souza
3 Min Read

The alliance's chief told reporters on Thursday that members were close to a decision.

[pp id=12345]

Ministers met in Brussels on Tuesday, Feb. 14, 2023, and will meet again next Friday. (AP Photo/Olivier Matthys)

Share This Article
"""


def articles_of(*sources: str | Path, **options: object) -> list[Article]:
    return [i for i in read_articles(sources, ReadOptions(**options)) if isinstance(i, Article)]  # type: ignore[arg-type]


def problems_of(*sources: str | Path, **options: object) -> list[Problem]:
    return [i for i in read_articles(sources, ReadOptions(**options)) if isinstance(i, Problem)]  # type: ignore[arg-type]


def label(article_id: str) -> str:
    """Return the readable part of an id made from a place or a URL (``pipeline.ingest.identity``): the id without its hash."""
    return re.sub(r"-[0-9a-f]{16}$", "", article_id)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_ingest_plaintext_title_body_and_stem_id(tmp_path: Path) -> None:
    path = write(tmp_path, "2023-04-04-finland.txt", "\n\nFinland joins NATO\n\nFinland joined NATO on Tuesday, April 4, 2023.\n")
    (article,) = articles_of(path)
    assert (label(article.article_id), article.title) == ("2023-04-04-finland", "Finland joins NATO")
    assert article.text == "Finland joined NATO on Tuesday, April 4, 2023."
    assert (article.published, article.published_source) == (date(2023, 4, 4), "text")
    assert article.language == "en"


def test_ingest_plaintext_headers_are_honoured(tmp_path: Path) -> None:
    text = (
        "Title: Xi arrives in Moscow\nDate: 2023-03-20\nSource: Meridian Wire\nURL: https://example.org/xi\n\n"
        "Xi arrived in Moscow on Monday.\n"
    )
    (article,) = articles_of(write(tmp_path, "xi.txt", text))
    assert article.title == "Xi arrives in Moscow"
    assert (article.published, article.published_source) == (date(2023, 3, 20), "metadata")
    assert (article.publisher, article.url) == ("Meridian Wire", "https://example.org/xi")
    assert article.text == "Xi arrived in Moscow on Monday."


def test_ingest_markdown_title_loses_its_hashes(tmp_path: Path) -> None:
    (article,) = articles_of(write(tmp_path, "a.md", "# Summit ends\n\n## Day two\n\nLeaders left Vilnius on Wednesday.\n"))
    assert article.title == "Summit ends"
    assert "#" not in article.text


def test_ingest_cleaning_removes_boilerplate_and_keeps_captions_apart(tmp_path: Path) -> None:
    (article,) = articles_of(write(tmp_path, "seed_like.txt", SEED_LIKE))
    for junk in ("Share This Article", "3 Min Read", "[pp id", "By Ana Souza", "AP Photo", "FILE -"):
        assert junk not in article.text
    assert article.author == "Ana Souza"
    assert article.captions == (
        "Defence ministers pose for a photo before their talks in Brussels, Belgium, Feb. 14, 2023.",
        "Ministers met in Brussels on Tuesday, Feb. 14, 2023, and will meet again next Friday.",
    )


def test_ingest_infers_published_from_caption_date_and_named_weekday(tmp_path: Path) -> None:
    # The captions are dated Tuesday Feb. 14; the body says "on Thursday": published Thursday Feb. 16.
    # "next Friday" looks forward and is not a clue.
    (article,) = articles_of(write(tmp_path, "seed_like.txt", SEED_LIKE))
    assert (article.published, article.published_source) == (date(2023, 2, 16), "text")


def test_ingest_user_date_overrides_everything(tmp_path: Path) -> None:
    (article,) = articles_of(write(tmp_path, "seed_like.txt", SEED_LIKE), published=date(2023, 2, 20))
    assert (article.published, article.published_source) == (date(2023, 2, 20), "user")


def test_ingest_no_date_anywhere_is_none(tmp_path: Path) -> None:
    (article,) = articles_of(write(tmp_path, "a.txt", "Talks\n\nThe two sides met on Monday."))
    assert (article.published, article.published_source) == (None, "none")


@pytest.mark.parametrize("name", ["page.html", "page.html.gz"])
def test_ingest_html_main_text_and_metadata(name: str) -> None:
    (article,) = articles_of(INGEST / name)
    assert label(article.article_id) == "grain-accord"  # from its canonical URL
    assert article.title == "Leaders sign grain accord in Istanbul"
    assert article.published == date(2022, 7, 22) and article.published_source == "metadata"
    assert article.publisher == "Harbour Post"
    assert article.url == "https://example.org/world/grain-accord"
    assert "Mira Kovac" in article.author
    assert article.language == "en"
    assert article.text.startswith("Russia and Ukraine signed separate agreements")
    assert "beacon of hope" in article.text
    for junk in ("Share This Article", "Related stories", "newsletter", "All rights reserved", "Sport"):
        assert junk not in article.text
    assert article.captions == (
        "Delegations attend the signing ceremony in Istanbul, Friday, July 22, 2022. (Photo by Harbour Post/Staff)",
    )


def test_ingest_html_not_utf8_is_decoded_by_its_declared_charset() -> None:
    (article,) = articles_of(INGEST / "page_cp1252.html")
    assert "Ukraine’s Black Sea ports" in article.text
    assert "Pedro Sánchez’s guest" in article.text


def test_ingest_json_list_object_and_envelope(tmp_path: Path) -> None:
    record = {
        "id": "a1",
        "title": "T",
        "body": "Blinken met Wang Yi in Beijing on Sunday.",
        "published_at": "2023-06-18T10:00:00Z",
        "link": "https://e.org/a1",
        "publisher": {"name": "Atlas Daily"},
    }
    write(tmp_path, "one.json", json.dumps(record))
    write(tmp_path, "many.json", json.dumps([{**record, "id": "a2", "body": "Second text."}]))
    write(tmp_path, "env.json", json.dumps({"status": "ok", "articles": [{**record, "id": "a3", "body": "Third text."}]}))
    articles = {a.article_id: a for a in articles_of(tmp_path)}
    assert set(articles) == {"a1", "a2", "a3"}
    a1 = articles["a1"]
    assert (a1.published, a1.url, a1.publisher) == (date(2023, 6, 18), "https://e.org/a1", "Atlas Daily")
    assert a1.locator == "record 1"


def test_ingest_jsonl_bad_line_is_skipped_with_its_number(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "x1", "text": "First."}),
        "{not json",
        "",
        json.dumps({"id": "x2", "title": "no text"}),
        json.dumps({"id": "x3", "content": "Third."}),
    ]
    path = write(tmp_path, "wire.jsonl", "\n".join(lines))
    items = list(read_articles([path]))
    assert [a.article_id for a in items if isinstance(a, Article)] == ["x1", "x3"]
    problems = [str(p) for p in items if isinstance(p, Problem)]
    assert problems[0].startswith(f"failed: {path}:line 2: invalid JSON")
    assert problems[1].startswith(f"failed: {path}:line 4: no text")
    summary = summarise(items)
    assert (summary.inputs_read, summary.articles, summary.records_failed) == (1, 2, 2)


def test_ingest_csv_with_alternative_column_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "export.csv",
        'id,title,content,pubDate,url,source\nc1,"A, title","Text with ""quotes"", commas.",2023-05-21,https://e.org/c1,Atlas\n',
    )
    (article,) = articles_of(path)
    assert (article.article_id, article.title, article.text) == ("c1", "A, title", 'Text with "quotes", commas.')
    assert article.published == date(2023, 5, 21)


def test_ingest_csv_without_text_column_names_the_columns(tmp_path: Path) -> None:
    (problem,) = problems_of(write(tmp_path, "bad.csv", "id,title\n1,x\n"))
    assert problem.kind == "failed" and "no text column" in problem.message and "id, title" in problem.message


def test_ingest_rss_entries_with_full_content_and_no_script() -> None:
    articles = articles_of(INGEST / "feed.rss")
    finland = articles[0]
    assert finland.title == "Finland becomes NATO's 31st member"
    assert finland.published == date(2023, 4, 4) and finland.published_source == "metadata"
    assert finland.author == "Lena Virtanen" and finland.publisher == "Atlas Daily World"
    assert "raised the Finnish flag" in finland.text and "alert" not in finland.text
    assert finland.locator == "entry 1"
    assert articles[1].text == "A short teaser about a visit to Kyiv."


def test_ingest_atom_entry() -> None:
    (article,) = articles_of(INGEST / "feed.atom")
    assert (article.title, article.published, article.author) == ("Allies meet in Vilnius", date(2023, 7, 11), "Jonas Petraitis")


def test_ingest_feed_teaser_fetch_failure_keeps_teaser_with_warning(tmp_path: Path, closed_port: int) -> None:
    feed = tmp_path / "feed.rss"
    text = (INGEST / "feed.rss").read_text(encoding="utf-8")
    feed.write_text(text.replace("127.0.0.1:9/", f"127.0.0.1:{closed_port}/"), encoding="utf-8")
    items = list(read_articles([feed], ReadOptions(fetch_links=True, timeout=2)))
    warnings = [i for i in items if isinstance(i, Problem) and i.kind == "warning"]
    assert len(warnings) == 1 and f"cannot fetch http://127.0.0.1:{closed_port}/teaser" in warnings[0].message
    assert sum(isinstance(i, Article) for i in items) == 2


def test_ingest_folder_recurses_and_skips_other_files(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "A\n\nFirst article text.")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "b.txt", "B\n\nSecond article text.")
    write(tmp_path / "sub", "photo.jpg", b"\xff\xd8\xff")
    items = list(read_articles([tmp_path]))
    assert sorted(label(a.article_id) for a in items if isinstance(a, Article)) == ["a", "b"]
    (skipped,) = [i for i in items if isinstance(i, Problem)]
    assert skipped.kind == "skipped" and skipped.origin.endswith("photo.jpg")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"   \n", "empty file"),
        ("binary.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("broken.json", b'{"id": 1,', "invalid JSON at line 1"),
        ("broken.html.gz", b"not gzip at all", "not a valid gzip file"),
        ("nothing.rss", b"<rss><channel></channel></rss>", "not a readable RSS/Atom feed"),
    ],
)
def test_ingest_bad_file_gives_one_clear_problem(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = write(tmp_path, name, content)
    good = write(tmp_path, "good.txt", "Good\n\nThe good article is still read.")
    items = list(read_articles([path, good]))
    (problem,) = [i for i in items if isinstance(i, Problem)]
    assert problem.kind == "failed" and problem.origin == str(path) and message in problem.message
    assert [label(a.article_id) for a in items if isinstance(a, Article)] == ["good"]


def test_ingest_file_over_size_cap(tmp_path: Path) -> None:
    (problem,) = problems_of(write(tmp_path, "big.txt", "Big\n\n" + "word " * 1000), max_bytes=1000)
    assert "size cap of 1,000 bytes" in problem.message


def test_ingest_gzip_bomb_is_capped(tmp_path: Path) -> None:
    (problem,) = problems_of(write(tmp_path, "bomb.html.gz", gzip.compress(b"<p>" + b"a" * 200_000)), max_bytes=10_000)
    assert "decompresses to more than the size cap" in problem.message


def test_ingest_missing_path(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "nope.txt")
    assert problem.kind == "failed" and problem.message == "no such file or folder"


def test_ingest_unparseable_date_warns_and_reads_on(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", json.dumps({"id": "d1", "text": "Talks ended.", "date": "the day after the storm"}))
    items = list(read_articles([path]))
    (warning,) = [i for i in items if isinstance(i, Problem)]
    assert warning.kind == "warning" and "cannot parse the date" in warning.message and warning.locator == "line 1"
    (article,) = [i for i in items if isinstance(i, Article)]
    assert article.published is None


def test_ingest_same_article_twice_is_read_once(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Same\n\nIdentical   body text.\n")
    write(tmp_path, "b.txt", "Same\n\nIdentical body text.")
    items = list(read_articles([tmp_path]))
    assert [label(a.article_id) for a in items if isinstance(a, Article)] == ["a"]
    assert summarise(items).duplicates == 1


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/page.html":
            body, status, kind = (INGEST / "page.html").read_bytes(), 200, "text/html; charset=utf-8"
        elif self.path == "/feed":
            body, status, kind = (INGEST / "feed.atom").read_bytes(), 200, "application/atom+xml"
        else:
            body, status, kind = b"missing", 404, "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_ingest_urls_from_a_local_server(local_server: str) -> None:
    items = list(read_articles([f"{local_server}/page.html", f"{local_server}/feed", f"{local_server}/gone"]))
    titles = [a.title for a in items if isinstance(a, Article)]
    assert titles == ["Leaders sign grain accord in Istanbul", "Allies meet in Vilnius"]
    (problem,) = [i for i in items if isinstance(i, Problem)]
    assert problem.origin.endswith("/gone") and "404" in problem.message


def test_ingest_url_over_size_cap(local_server: str) -> None:
    (problem,) = problems_of(f"{local_server}/page.html", max_bytes=100)
    assert "size cap" in problem.message


def test_ingest_unreachable_url(closed_port: int) -> None:
    (problem,) = problems_of(f"http://127.0.0.1:{closed_port}/x", timeout=2)
    assert problem.kind == "failed" and "unreachable" in problem.message


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".csv", ".rss", ".xml", ".html.gz"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_ingest_no_bytes_crash_any_reader(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    for item in read_articles([path]):
        assert isinstance(item, Article | Problem)


@pytest.mark.parametrize(
    ("line", "dropped"),
    [
        ("Share This Article", True),
        ("4 Min Read", True),
        ("Advertisement", True),
        ("Read more: Allies meet", True),
        ("Share on Facebook", True),
        ("Sharing intelligence is vital, the minister said.", False),
        ("Read the statement in full below, officials said.", False),
    ],
)
def test_clean_drops_boilerplate_lines_only(line: str, dropped: bool) -> None:
    cleaned = clean_text(f"Body sentence one.\n{line}")
    assert (line not in cleaned.text) is dropped


@pytest.mark.parametrize(
    ("line", "author"),
    [("By Dénes Albert", "Dénes Albert"), ("By Jane Doe and John Roe", "Jane Doe and John Roe"), ("By then, the talks had collapsed.", "")],
)
def test_clean_byline_goes_to_author(line: str, author: str) -> None:
    assert clean_text(f"{line}\nBody.").author == author


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-16", "utf-32"])
def test_ingest_utf16_and_utf32_text_is_read(tmp_path: Path, codec: str) -> None:
    path = write(tmp_path, "wide.txt", "Talks\n\nXi Jinping met Vladimir Putin in Moscow.\n".encode(codec))
    (article,) = articles_of(path)
    assert article.text == "Xi Jinping met Vladimir Putin in Moscow."


def test_ingest_utf8_with_one_stray_byte_stays_utf8(tmp_path: Path) -> None:
    data = "Talks\n\nErdoğan met Stoltenberg in Brussels. ".encode() * 20 + b"\xff"
    (article,) = articles_of(write(tmp_path, "stray.txt", data))
    assert "Erdoğan met Stoltenberg" in article.text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("[Syrian] forces withdrew, the official said.", "[Syrian]"),
        ("He met [senior administration official] aides.", "[senior administration official]"),
    ],
)
def test_clean_keeps_bracketed_words_that_are_not_shortcodes(text: str, kept: str) -> None:
    assert kept in clean_text(text).text


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009", "\u3000", "\t"])
def test_clean_makes_every_space_plain(space: str) -> None:
    assert clean_text(f"U.S.{space}{space}officials met.").text == "U.S. officials met."


def test_clean_drops_a_paragraph_that_is_only_a_photo_credit() -> None:
    cleaned = clean_text("Body sentence one.\n(AP Photo/Efrem Lukatsky)\nBody sentence two.")
    assert cleaned.text == "Body sentence one.\n\nBody sentence two."


WRAPPED_WIRE = (
    "The finance ministers of seven industrial nations agreed on\n"
    "Sunday to keep their currencies near current levels, officials\n"
    "said after the meeting ended in Paris.\n"
    "    The ministers also called on Japan and West Germany to\n"
    "stimulate domestic demand, the officials said, adding that\n"
    "talks would resume next month in Washington.\n"
)


def test_clean_joins_hard_wrapped_lines_into_paragraphs() -> None:
    paragraphs = clean_text(WRAPPED_WIRE).text.split("\n\n")
    assert paragraphs == [
        "The finance ministers of seven industrial nations agreed on Sunday to keep their currencies near current levels,"
        " officials said after the meeting ended in Paris.",
        "The ministers also called on Japan and West Germany to stimulate domestic demand, the officials said, adding that"
        " talks would resume next month in Washington.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Short line one.\nShort line two.\nShort line three.\nShort line four.\nShort line five.",
        "A paragraph a line, as copied news text has it, and this one runs well past the width of a wire story's lines.\n"
        "The second paragraph is also long, far longer than ninety characters, so the text is not hard-wrapped at all.\n"
        "Third.\nFourth.",
    ],
)
def test_clean_keeps_a_paragraph_a_line_when_lines_are_not_wrapped(text: str) -> None:
    assert clean_text(text).text.split("\n\n") == text.split("\n")


@pytest.mark.parametrize(
    ("url", "stamp", "expected"),
    [
        ("https://www.whitehouse.gov/briefing-room/readout/", "2022-03-06T00:56:59+00:00", "2022-03-05"),
        ("https://www.state.gov/secretary-call/", "Sun, 06 Mar 2022 03:10:00 GMT", "2022-03-05"),
        ("https://www.state.gov/secretary-call/", "2022-03-06T15:00:00+00:00", "2022-03-06"),
        ("https://news.example.com/story/", "2022-03-06T00:56:59+00:00", "2022-03-06"),
    ],
)
def test_ingest_official_release_is_dated_in_its_publishers_time_zone(tmp_path: Path, url: str, stamp: str, expected: str) -> None:
    path = tmp_path / "feed.jsonl"
    record = {"id": "r1", "title": "Readout", "text": "The President spoke this evening with the Chancellor.", "date": stamp, "url": url}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [article] = [a for a in read_articles([path]) if isinstance(a, Article)]
    assert article.published.isoformat() == expected
