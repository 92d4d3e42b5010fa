"""The fetch policy (issue 18, item 6): an overall deadline per fetch, retries with backoff that honour Retry-After for
transient failures, one connection pool per run, the same code for the CLI's URLs and the app's URL box. Against a local
server that misbehaves on purpose."""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from store_helpers import fixed_extraction

from dashboard import uploads
from pipeline.ingest import ReadOptions, read_articles
from pipeline.ingest.decode import InputError
from pipeline.ingest.fetch import fetch_session, fetch_url
from pipeline.records import Article, Problem

PAGE = (
    b"<html><head><title>Talks</title></head><body><article><p>"
    + b"Xi Jinping met Vladimir Putin in Moscow. " * 20
    + b"</p></article></body></html>"
)


class Misbehaving(BaseHTTPRequestHandler):
    """Pages that fail in the ways real servers do; ``hits`` counts requests per path, ``ports`` the client ports seen."""

    protocol_version = "HTTP/1.1"  # keep-alive: one connection serves several requests
    hits: ClassVar[collections.Counter[str]] = collections.Counter()
    ports: ClassVar[set[int]] = set()

    def do_GET(self) -> None:
        self.hits[self.path] += 1
        self.ports.add(self.client_address[1])
        count = self.hits[self.path]
        if self.path == "/trickle":  # a byte every 0.2 s: never a read timeout, never done
            self.headers_then(200, 10_000)
            for _ in range(200):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        elif self.path == "/trickle-headers":  # the status line, then a header byte every 0.2 s
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(200):
                self.wfile.write(b"X")
                self.wfile.flush()
                time.sleep(0.2)
        elif self.path == "/flaky" and count <= 2:  # busy twice, then the page
            self.headers_then(503, 0, {"Retry-After": "1"})
        elif self.path == "/busy":  # always too many requests
            self.headers_then(429, 0, {"Retry-After": "0"})
        elif self.path == "/later":  # asks to come back in an hour
            self.headers_then(503, 0, {"Retry-After": "3600"})
        elif self.path == "/reset" and count == 1:  # the connection dropped without an answer
            self.close_connection = True
            self.connection.shutdown(2)
        else:
            self.headers_then(200, len(PAGE), {"Content-Type": "text/html; charset=utf-8"})
            self.wfile.write(PAGE)

    def headers_then(self, status: int, length: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def server() -> Iterator[str]:
    Misbehaving.hits.clear()
    Misbehaving.ports.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def failure(url: str, **limits: float) -> tuple[str, float]:
    """Return the message a fetch that fails gives and how long it took."""
    started = time.monotonic()
    with pytest.raises(InputError) as err:
        fetch_url(url, 1_000_000, **limits)
    return str(err.value), time.monotonic() - started


@pytest.mark.parametrize("path", ["/trickle", "/trickle-headers"])
def test_fetch_slow_server_ends_at_the_deadline(server: str, path: str) -> None:
    message, took = failure(server + path, timeout=5, deadline=1.5)
    assert "no complete answer within 1.5 s" in message
    assert 1.4 < took < 3.0


def test_fetch_deadline_through_read_articles_is_one_problem(server: str) -> None:
    started = time.monotonic()
    (problem,) = read_articles([server + "/trickle"], ReadOptions(timeout=5, deadline=1.0))
    assert isinstance(problem, Problem) and problem.kind == "failed" and "within 1 s" in problem.message
    assert time.monotonic() - started < 2.5


def test_fetch_retries_a_busy_server_honouring_retry_after(server: str) -> None:
    started = time.monotonic()
    fetched = fetch_url(server + "/flaky", 1_000_000)
    assert fetched.data == PAGE and Misbehaving.hits["/flaky"] == 3
    assert time.monotonic() - started >= 2.0  # Retry-After: 1, twice


def test_fetch_retries_a_dropped_connection(server: str) -> None:
    assert fetch_url(server + "/reset", 1_000_000).data == PAGE
    assert Misbehaving.hits["/reset"] == 2


def test_fetch_gives_up_after_the_retries_saying_so(server: str) -> None:
    message, _ = failure(server + "/busy")
    assert message == "the server answered 429 Too Many Requests (after 4 tries)"


def test_fetch_does_not_wait_past_the_deadline(server: str) -> None:
    message, took = failure(server + "/later", deadline=5)
    assert "503" in message and took < 1.0 and Misbehaving.hits["/later"] == 1


def test_fetch_one_connection_pool_per_run(server: str) -> None:
    urls = [f"{server}/page{i}.html" for i in range(3)]
    articles = [a for a in read_articles(urls) if isinstance(a, Article)]
    assert len(articles) == 1  # the same page three times: read once
    assert sum(Misbehaving.hits.values()) == 3 and len(Misbehaving.ports) == 1  # one connection, kept alive


def test_fetch_app_url_box_uses_the_fetch_policy(server: str, monkeypatch, tmp_path: Path) -> None:
    sessions = []

    def counted_session():
        sessions.append(fetch_session())
        return sessions[-1]

    monkeypatch.setattr(uploads, "fetch_session", counted_session)
    monkeypatch.setattr(uploads, "in_process", fixed_extraction({}))
    report = uploads.add_articles([(server + "/flaky", server + "/flaky")], tmp_path / "store", lambda *_: None)
    assert report.added == 1 and report.sources[0].ok
    assert len(sessions) == 1 and Misbehaving.hits["/flaky"] == 3  # retried, as the CLI retries
