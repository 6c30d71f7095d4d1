"""Answers of the callbacks that depend on nothing but the request and the published release, kept per process.

The explore page's charts, headline strip and filter clicks read only the served release of the viewer's tier, the
reader's language and the request body (the view in the URL store, re-validated inside the callback). The same body
from a viewer of the same role, in the same language, while the same release version is served, gets the same
answer: so the answer is kept, and the next such request is answered with it before Dash (and the guard's checks,
already passed by that very body for that role) runs again. Only callbacks marked ``@cacheable`` are kept (never a
download, which writes an audit entry, nor anything of the steward's); only a 200 JSON answer is kept; the key holds
the release version ``current`` points at, and the whole cache is emptied as soon as that moves (publish or
rollback), so an answer of an older release is never served once the process sees the new one (within
``ReleaseStore.check_every``, as for every other request). Entries are dropped least recently used first past
``max_bytes``.

Marks are read from Dash's callback map, like the guard's ``@allow``: ``@cacheable`` goes *below* ``@callback``.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import flask

from dashboard import language
from dashboard.auth.identity import viewer_role

CACHE_ATTR: Final = "dashboard_cacheable"
CACHE_KEY: Final = "dashboard_callback_cache"  # the app's cache (or None) in ``server.extensions``
_G_KEY: Final = "dashboard_cache_key"

F = TypeVar("F", bound=Callable[..., Any])


def cacheable(func: F) -> F:
    """Mark a callback whose answer is a function of the request body, the viewer's tier and language, and the
    served release only (no side effect, no clock, no account): its answers may be kept (see the module)."""
    setattr(func, CACHE_ATTR, True)
    return func


def is_cacheable(callback_map: dict[str, Any], output: str) -> bool:
    entry = callback_map.get(output)
    return entry is not None and bool(getattr(entry.get("callback"), CACHE_ATTR, False))


@dataclass(frozen=True)
class Answer:
    body: bytes
    mimetype: str


class CallbackCache:
    """An LRU of callback answers by (viewer's role, release version, language, request body), at most ``max_bytes``
    of answer bodies; ``version`` names the release version served now (``ReleaseStore.version``)."""

    def __init__(self, max_bytes: int, version: Callable[[], str]) -> None:
        self.max_bytes = max_bytes
        self._version_of = version
        self._lock = threading.Lock()
        self._entries: OrderedDict[bytes, Answer] = OrderedDict()
        self._bytes = 0
        self._version: str | None = None
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def key(self, body: bytes) -> bytes:
        """The key of this request's answer; empties the cache first if the served version has moved."""
        version = self._version_of()
        if version != self._version:
            with self._lock:
                self._entries.clear()
                self._bytes = 0
                self._version = version
        digest = hashlib.blake2b(digest_size=20)
        for part in (viewer_role(), version, language.current()):
            digest.update(part.encode("utf-8") + b"\0")
        digest.update(body)
        return digest.digest()

    def get(self, key: bytes) -> Answer | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: bytes, answer: Answer) -> None:
        size = len(answer.body)
        if size > self.max_bytes // 8:  # one answer never pushes out most of the others
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = answer
            self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    # ------------------------------------------------------------------------------------------ in a request
    def answer(self, key: bytes) -> flask.Response | None:
        """The kept answer under ``key``, as a response, if there is one."""
        found = self.get(key)
        return None if found is None else flask.Response(found.body, status=200, mimetype=found.mimetype)

    @staticmethod
    def remember(key: bytes) -> None:
        """Keep this request's answer under ``key`` once it is made (``keep``): its callback is ``@cacheable``."""
        setattr(flask.g, _G_KEY, key)

    def keep(self, response: flask.Response) -> flask.Response:
        """Keep the answer of this request, if its key was remembered and it is a plain 200 JSON answer."""
        key = flask.g.pop(_G_KEY, None)
        if key is not None and self._keepable(response):
            self.put(key, Answer(response.get_data(), response.mimetype or "application/json"))
        return response

    @staticmethod
    def _keepable(response: flask.Response) -> bool:
        if response.status_code != 200 or response.direct_passthrough or response.mimetype != "application/json":
            return False
        # not compressed yet, and no cookie of the callback's own: an answer for anyone of that role
        return "Content-Encoding" not in response.headers and not response.headers.getlist("Set-Cookie")
