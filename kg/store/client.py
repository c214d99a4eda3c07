"""The one HTTP client of ``kg query URL`` and ``kg load``: requests for the protocol, urllib3's ``Retry``
for when to try again, and the limits a stranger's server must not lift.

Every answer is read in pieces up to ``max_bytes`` (more is :class:`AnswerTooLarge`, and the
connection is dropped), and the whole exchange, from connecting to the last byte of the answer,
must end within ``timeout`` seconds, whatever the server sends meanwhile (a watchdog closes the
socket then: :class:`AnswerTimeout`). Redirects are never followed (a POST re-sent elsewhere, or
as a GET, would lose what it carries). Retries (connection errors, and the statuses of
``retry_statuses``) wait as ``Retry-After`` says, capped at :data:`MAX_RETRY_AFTER`, else an
exponential backoff with jitter. Credentials, when given, are sent only when the server asks for
them (HTTP Digest, or Basic), never from ``~/.netrc``; proxies of the environment are used only
when asked, and never for loopback addresses.

Examples
--------
>>> client = HttpClient(timeout=5, max_bytes=1000, retries=0)
>>> client.send("GET", "http://127.0.0.1:9/")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.store.client.Unreachable: ...
"""

from __future__ import annotations

import base64
import ipaddress
import logging
import random
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Callable, Mapping

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.auth import HTTPDigestAuth
from requests.utils import get_environ_proxies, parse_dict_header
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import MaxRetryError, ProtocolError
from urllib3.util.retry import Retry

from kg import __version__
from kg.errors import one_line

__all__ = ["Answer", "AnswerTimeout", "AnswerTooLarge", "HttpClient", "MAX_RETRY_AFTER", "RETRY_STATUSES",
           "TransportError", "Unreachable", "is_loopback", "message_of"]

log = logging.getLogger(__name__)

#: Statuses worth asking again (the server is busy or failed for a while).
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
#: Longest wait a ``Retry-After`` header may ask for, in seconds.
MAX_RETRY_AFTER = 120.0
#: Share of a backoff added at random, so that clients that failed together do not retry together.
JITTER = 0.25
#: Bytes read from the socket at a time.
PIECE = 1 << 16

_TAG = re.compile(r"<[^>]*>")
_MAX_MESSAGE = 300


class TransportError(Exception):
    """The exchange failed; ``attempts`` is how many requests were sent."""

    def __init__(self, why: str, attempts: int = 1):
        super().__init__(why)
        self.why, self.attempts = why, attempts


class Unreachable(TransportError):
    """No answer: the server could not be reached, or the connection broke."""


class AnswerTimeout(TransportError):
    """No whole answer within the deadline."""


class AnswerTooLarge(TransportError):
    """An answer larger than the cap; it was not read further."""


@dataclass(frozen=True)
class Answer:
    """A whole answer: status, headers (case-insensitive), body, and the URL that gave it."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    @property
    def media_type(self) -> str:
        """The media type of the body, lower case, without parameters (``""`` when not said)."""
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    @property
    def location(self) -> str:
        """Where a redirect points, as an absolute URL (or "no Location given")."""
        where = self.headers.get("Location")
        return urllib.parse.urljoin(self.url, where) if where else "no Location given"


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` names this machine (``localhost``, ``127.0.0.1``, ``::1`` …).

    Examples
    --------
    >>> is_loopback("localhost"), is_loopback("127.0.0.5"), is_loopback("::1"), is_loopback("example.org")
    (True, True, True, False)
    """
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def message_of(body: bytes, reason: str = "") -> str:
    """A server's error body as one short line of text (tags removed), or ``reason`` when it says nothing.

    Examples
    --------
    >>> message_of(b"<html><body><h1>Bad</h1> query</body></html>")
    'Bad query'
    """
    text = " ".join(_TAG.sub(" ", body[:65536].decode("utf-8", "replace")).split()) or reason or "no message"
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE - 1] + "…"


# --------------------------------------------------------------------------- the deadline


class _Deadline:
    """Closes every socket of one exchange when its time is up (a blocked read then returns at once)."""

    _current = threading.local()

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.until = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    @property
    def left(self) -> float:
        return max(0.001, self.until - time.monotonic())

    def __enter__(self) -> "_Deadline":
        _Deadline._current.value = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        _Deadline._current.value = None

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    @classmethod
    def watch(cls, sock: socket.socket | None) -> None:
        """Put ``sock`` under the deadline of the exchange running in this thread, if any."""
        deadline = getattr(cls._current, "value", None)
        if deadline is None or sock is None:
            return
        with deadline._lock:
            deadline._sockets.append(sock)
            late = deadline.expired
        if late:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _Watched:
    """A urllib3 connection whose socket is put under the current exchange's deadline."""

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _Deadline.watch(self.sock)  # type: ignore[attr-defined]

    def request(self, *args, **kwargs):
        _Deadline.watch(self.sock)  # type: ignore[attr-defined]  # a kept-alive connection, used again
        return super().request(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_Watched, HTTPConnection):
    pass


class _HTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _Adapter(HTTPAdapter):
    """requests' adapter with connections under the deadline, and no retries of its own (ours read capped bodies)."""

    def __init__(self) -> None:
        super().__init__(max_retries=Retry(total=0, redirect=False, raise_on_redirect=False, raise_on_status=False))

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
        return manager


# --------------------------------------------------------------------------- retries


class _Retry(Retry):
    """urllib3's ``Retry`` with the wait of newskg: ``Retry-After`` when the server sends it (capped at
    :data:`MAX_RETRY_AFTER`), else ``backoff``, twice as long after each failure, plus up to a quarter
    more at random."""

    def get_backoff_time(self) -> float:
        failures = len(self.history)
        if failures == 0 or self.backoff_factor <= 0:
            return 0.0
        base = self.backoff_factor * 2 ** (failures - 1)
        return float(min(self.backoff_max, base + random.uniform(0, base * JITTER)))

    def wait(self, response=None) -> float:
        """Seconds to wait before the next attempt."""
        if response is not None and self.respect_retry_after_header:
            try:
                after = self.get_retry_after(response)
            except Exception:  # a Retry-After that is not a number or a date: use the backoff
                after = None
            if after is not None:
                return float(min(max(after, 0.0), MAX_RETRY_AFTER))
        return self.get_backoff_time()


# --------------------------------------------------------------------------- the client


class HttpClient:
    """Requests to one kind of server, each answer whole within ``timeout`` and at most ``max_bytes``.

    Parameters
    ----------
    timeout : float
        Seconds for each exchange: connecting, sending, and reading the whole answer.
    max_bytes : int
        Largest answer body read.
    retries : int
        Further attempts after a connection error or a status of ``retry_statuses``.
    backoff : float
        Seconds before the first retry (twice as long each time after, plus jitter), unless the
        server says ``Retry-After``.
    auth : (user, password), optional
        Sent only when the server asks (HTTP Digest or Basic).
    env_proxies : bool
        Use the proxies of the environment (``http_proxy``, ``no_proxy`` …), never for loopback.
    sleep : callable
        How to wait between attempts (tests pass their own).
    on_retry : callable, optional
        Called with ``(url, why, seconds, attempt, retries)`` before each wait.
    """

    def __init__(self, *, timeout: float, max_bytes: int, retries: int = 0, backoff: float = 0.5,
                 retry_statuses: frozenset[int] = RETRY_STATUSES, auth: tuple[str, str] | None = None,
                 env_proxies: bool = False, sleep: Callable[[float], None] = time.sleep,
                 on_retry: Callable[[str, str, float, int, int], None] | None = None) -> None:
        self.timeout, self.max_bytes, self.retries, self.backoff = timeout, max_bytes, retries, backoff
        self.retry_statuses, self.auth, self.env_proxies = retry_statuses, auth, env_proxies
        self.sleep, self.on_retry = sleep, on_retry
        self.requests = 0  # sent, retries included
        self.retried = 0
        self.session = requests.Session()
        self.session.trust_env = False  # no ~/.netrc credentials, no proxies unless asked (below)
        self.session.mount("http://", _Adapter())
        self.session.mount("https://", _Adapter())
        self.session.headers.update({"User-Agent": f"newskg/{__version__}", "Accept-Encoding": "identity"})
        self._challenge: str | None = None  # the Authorization scheme the server asked for

    def close(self) -> None:
        self.session.close()

    def _policy(self) -> _Retry:
        return _Retry(total=self.retries, connect=None, read=None, status=None, other=None, redirect=False,
                      allowed_methods=None, status_forcelist=self.retry_statuses, backoff_factor=self.backoff,
                      respect_retry_after_header=True, raise_on_redirect=False, raise_on_status=False)

    def send(self, method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None,
             *, retry: bool = True, final: Callable[[Answer], bool] | None = None) -> Answer:
        """Send one request (again, as the retry policy says); the last answer, whatever its status.

        ``final(answer)`` true means the answer is not worth asking again for, whatever its status.

        Raises
        ------
        Unreachable
            No answer after every attempt.
        AnswerTimeout
            No whole answer within ``timeout``, after every attempt.
        AnswerTooLarge
            An answer over ``max_bytes`` (not retried).
        """
        policy = self._policy() if retry else _Retry(total=0)
        attempts = 0
        while True:
            attempts += 1
            self.requests += 1
            try:
                answer, raw = self._exchange(method, url, body, headers or {})
            except AnswerTooLarge as exc:
                exc.attempts = attempts
                raise
            except TransportError as exc:
                exc.attempts = attempts
                try:
                    policy = policy.increment(method, url, error=ProtocolError(exc.why))
                except MaxRetryError:
                    raise exc from None
                self._wait(policy, None, url, exc.why, attempts)
                continue
            if (final is not None and final(answer)) or not policy.is_retry(method, answer.status,
                                                                             "Retry-After" in answer.headers):
                return answer
            try:
                policy = policy.increment(method, url, response=raw)
            except MaxRetryError:
                return answer
            self._wait(policy, raw, url, f"HTTP {answer.status}: {message_of(answer.body)}", attempts)

    def _wait(self, policy: _Retry, raw, url: str, why: str, attempt: int) -> None:
        seconds = policy.wait(raw)
        self.retried += 1
        if self.on_retry is not None:
            self.on_retry(url, why, seconds, attempt, self.retries)
        self.sleep(seconds)

    def _exchange(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str]):
        """One request and its whole answer (a 401 that asks for credentials answered once more with them)."""
        answer, raw = self._once(method, url, body, headers)
        if answer.status == 401 and self.auth is not None:
            authorization = self._authorization(answer, method, url)
            if authorization:
                answer, raw = self._once(method, url, body, {**headers, "Authorization": authorization})
        return answer, raw

    def _authorization(self, answer: Answer, method: str, url: str) -> str | None:
        """The Authorization header the server's challenge asks for (Digest or Basic), or None."""
        challenge = answer.headers.get("WWW-Authenticate") or ""
        user, password = self.auth or ("", "")
        if challenge.lower().startswith("digest "):
            digest = HTTPDigestAuth(user, password)
            digest.init_per_thread_state()
            digest._thread_local.chal = parse_dict_header(challenge[len("digest "):])
            return digest.build_digest_header(method, url)
        if challenge.lower().startswith("basic"):
            token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
            return f"Basic {token}"
        return None

    def _proxies(self, url: str) -> dict[str, str]:
        host = urllib.parse.urlsplit(url).hostname
        if not self.env_proxies or is_loopback(host):
            return {}
        return get_environ_proxies(url)

    def _once(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str]):
        seconds = self.timeout
        with _Deadline(seconds) as deadline:
            try:
                resp = self.session.request(method, url, data=body, headers=dict(headers), stream=True,
                                            allow_redirects=False, proxies=self._proxies(url),
                                            timeout=(deadline.left, deadline.left))
                try:
                    data = self._read(resp, url)
                finally:
                    resp.close()
            except AnswerTooLarge:
                raise
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
                if deadline.expired or isinstance(exc, (requests.Timeout, socket.timeout, TimeoutError)):
                    raise AnswerTimeout(f"no whole answer within {seconds:g} s") from None
                raise Unreachable(_reason(exc)) from None
            if deadline.expired:
                raise AnswerTimeout(f"no whole answer within {seconds:g} s")
        return Answer(resp.status_code, resp.headers, data, url), resp.raw

    def _read(self, resp: requests.Response, url: str) -> bytes:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise AnswerTooLarge(f"{url} announced an answer of {int(declared):,} bytes; at most {self.max_bytes:,}")
        parts, size = [], 0
        while True:
            piece = resp.raw.read(PIECE, decode_content=True)
            if not piece:
                return b"".join(parts)
            size += len(piece)
            if size > self.max_bytes:
                raise AnswerTooLarge(f"{url} sent an answer of more than {self.max_bytes:,} bytes")
            parts.append(piece)


def _reason(exc: BaseException) -> str:
    """The root cause of a requests / urllib3 error, in a few words."""
    seen = set()
    while True:
        inner = getattr(exc, "reason", None) or (exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None)
        if inner is None or id(inner) in seen:
            break
        seen.add(id(inner))
        exc = inner
    text = one_line(exc) or type(exc).__name__
    text = re.sub(r"^<[^>]*>: ", "", text)
    return text
