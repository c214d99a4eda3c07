"""Short stable digests for ids and IRIs: the same parts give the same digits on every run and machine."""

from __future__ import annotations

import hashlib


def short_hash(*parts: object, n: int = 16) -> str:
    """The first ``n`` hex digits of the SHA-1 of ``parts`` (as text, joined by U+001F).

    Examples
    --------
    >>> short_hash("理论", n=10), len(short_hash("a", 1, n=6)), short_hash("a", "b") == short_hash("a\\x1fb")
    ('4a576e0bad', 6, True)
    """
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:n]
