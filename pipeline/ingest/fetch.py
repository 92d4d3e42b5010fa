"""The one fetch policy: every ``http(s)://`` read (URLs given to the CLI, feeds' linked pages, the app's URL box) uses a
session from ``fetch_session`` (one connection pool per run) and ``fetch_url``.

A fetch has an overall deadline, retries included: at the deadline its connection is shut, whatever the server does (a
server that sends a byte every few seconds never trips a per-read timeout). Transient failures (429, 5xx, a connection
reset or refused) are tried again with exponential backoff, honouring ``Retry-After``, while the deadline allows.
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self, cast

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import ConnectionPool, HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import MaxRetryError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from pipeline.ingest.decode import InputError
from pipeline.records import one_line

USER_AGENT = "Eventline/0.1 (+https://github.com/eventline; news event extraction)"
# Seconds to connect, and without a byte before a try is given up (then tried again while the deadline allows).
CONNECT_TIMEOUT_S = 10.0
DEFAULT_TIMEOUT_S = 15.0
# Seconds a whole fetch may take, retries and their waits included: a 50 MB page at 1 MB/s.
DEFAULT_DEADLINE_S = 60.0
# Tries after the first, waiting 0, 1 and 2 s (urllib3: BACKOFF_S * 2 ** (n - 1) from the second) or what Retry-After
# asks, at most RETRY_AFTER_MAX_S; never past the deadline. A refused connection or an unknown host is tried once more
# only: it is seldom transient.
RETRIES = 3
CONNECT_RETRIES = 1
BACKOFF_S = 0.5
RETRY_AFTER_MAX_S = 30
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK_BYTES = 65536

# The deadline (time.monotonic) of the fetch this thread runs, and the connections it opened: ``DeadlineRetry`` and the
# watched connections read them.
DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("fetch_deadline", default=None)
CONNECTIONS: contextvars.ContextVar[list[HTTPConnection] | None] = contextvars.ContextVar("fetch_connections", default=None)


@dataclass(frozen=True)
class Fetched:
    """The bytes of a fetched URL and what the server said they are."""

    url: str
    content_type: str
    data: bytes


class DeadlineRetry(Retry):
    """urllib3's ``Retry`` that tries again only when the wait it would make (backoff or ``Retry-After``) ends before the
    current fetch's deadline."""

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        """Return the retry state after a failure; raise ``MaxRetryError`` when the retries are spent or the deadline near."""
        new = super().increment(method, url, response, error, _pool, _stacktrace)
        deadline = DEADLINE.get()
        wait = max(new.get_backoff_time(), self.asked_wait(response))
        if deadline is not None and time.monotonic() + wait >= deadline:
            raise MaxRetryError(cast(ConnectionPool, _pool), url, error or OSError("no time left for another try"))
        return new

    def asked_wait(self, response: BaseHTTPResponse | None) -> float:
        """Return the seconds a response's ``Retry-After`` asks for (at most ``retry_after_max``), 0 without one."""
        if response is None or not self.respect_retry_after_header or response.status not in self.RETRY_AFTER_STATUS_CODES:
            return 0.0
        try:
            return self.get_retry_after(response) or 0.0
        except ValueError:  # urllib3's InvalidHeader
            return 0.0


def watched(connection: HTTPConnection) -> None:
    """Note a connection the current fetch uses, so that its deadline can shut it."""
    connections = CONNECTIONS.get()
    if connections is not None:
        connections.append(connection)


class WatchedHTTPConnection(HTTPConnection):
    """An HTTP connection that the deadline of the fetch using it can shut."""

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        watched(self)
        return super().getresponse(*args, **kwargs)


class WatchedHTTPSConnection(HTTPSConnection):
    """An HTTPS connection that the deadline of the fetch using it can shut."""

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        watched(self)
        return super().getresponse(*args, **kwargs)


class WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


class WatchedAdapter(HTTPAdapter):
    """requests' adapter whose connections the fetch deadline can shut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": WatchedHTTPPool, "https": WatchedHTTPSPool}


def retry_policy() -> Retry:
    """Return the retry policy of every fetch: ``RETRIES`` tries more for transient failures, backoff, ``Retry-After``."""
    return DeadlineRetry(
        total=RETRIES,
        connect=CONNECT_RETRIES,
        backoff_factor=BACKOFF_S,
        status_forcelist=TRANSIENT_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        retry_after_max=RETRY_AFTER_MAX_S,
        raise_on_status=False,
    )


def fetch_session() -> requests.Session:
    """Return a session for one run's fetches: one connection pool, the retry policy, Eventline's user agent. E.g.
    ``with fetch_session() as session: fetch_url(url, 50_000_000, session=session)``."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    adapter = WatchedAdapter(max_retries=retry_policy())
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def shut(connections: list[HTTPConnection], expired: threading.Event) -> None:
    """Shut the sockets of a fetch's connections (a read blocked on one of them returns at once) and say it expired."""
    expired.set()
    for connection in connections:
        sock = getattr(connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def deadline_of(seconds: float) -> Iterator[threading.Event]:
    """Run a fetch that must end within ``seconds``: its retries stop short of the deadline, and at the deadline its
    connections are shut and the event it yields is set (what was read by then is cut short: not an answer)."""
    connections: list[HTTPConnection] = []
    expired = threading.Event()
    tokens = (DEADLINE.set(time.monotonic() + seconds), CONNECTIONS.set(connections))
    timer = threading.Timer(seconds, shut, args=(connections, expired))
    timer.daemon = True
    timer.start()
    try:
        yield expired
    finally:
        timer.cancel()
        DEADLINE.reset(tokens[0])
        CONNECTIONS.reset(tokens[1])


def body(response: requests.Response, max_bytes: int) -> bytes:
    """Return a response's body, refusing more than ``max_bytes``."""
    data = bytearray()
    for chunk in response.iter_content(chunk_size=CHUNK_BYTES):
        data.extend(chunk)
        if len(data) > max_bytes:
            raise InputError(f"larger than the size cap of {max_bytes:,} bytes")
    return bytes(data)


def fetch_url(
    url: str,
    max_bytes: int,
    timeout: float = DEFAULT_TIMEOUT_S,
    deadline: float = DEFAULT_DEADLINE_S,
    session: requests.Session | None = None,
) -> Fetched:
    """Return the body of a URL within ``deadline`` seconds, or raise ``InputError`` saying why it could not be had."""
    late = InputError(f"no complete answer within {deadline:g} s (the deadline of a fetch)")
    with contextlib.ExitStack() as stack:
        session = session or stack.enter_context(fetch_session())
        expired = stack.enter_context(deadline_of(deadline))
        try:
            response = stack.enter_context(session.get(url, timeout=(min(CONNECT_TIMEOUT_S, timeout), timeout), stream=True))
            response.raise_for_status()
            fetched = Fetched(response.url, content_type(response), body(response, max_bytes))
        except requests.RequestException as err:
            raise late if expired.is_set() else failed_fetch(err, timeout) from None
        if expired.is_set():
            raise late
        return fetched


def content_type(response: requests.Response) -> str:
    """Return the media type a response says its body is, e.g. ``"text/html"``."""
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def failed_fetch(err: requests.RequestException, timeout: float) -> InputError:
    """Return why a fetch failed, in words a user understands."""
    if isinstance(err, requests.HTTPError) and err.response is not None:
        return InputError(f"the server answered {err.response.status_code} {err.response.reason}{tries(err.response)}")
    if isinstance(err, requests.Timeout):
        return InputError(f"no answer within {timeout:g} s{tries(err.response)}")
    cause = root_cause(err)
    if isinstance(cause, OSError) and cause.strerror:
        return InputError(f"unreachable ({one_line(cause.strerror)})")
    return InputError(f"unreachable ({type(cause).__name__}: {one_line(str(cause))})")


def root_cause(err: BaseException) -> BaseException:
    """Return the innermost error a fetch error wraps (requests wraps urllib3's, which wraps the socket's: "Connection
    refused", "Name or service not known")."""
    inner = err.__cause__ or err.__context__ or getattr(err, "reason", None)
    return root_cause(inner) if isinstance(inner, BaseException) and inner is not err else err


def tries(response: requests.Response | None) -> str:
    """Return " (after N tries)" when a response came after retries, else ""."""
    retries = getattr(getattr(response, "raw", None), "retries", None)
    count = len(retries.history) if retries is not None else 0
    return f" (after {count + 1} tries)" if count else ""
