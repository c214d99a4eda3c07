"""Short stable digests for ids and IRIs: the same parts give the same digits on every run and machine."""

from __future__ import annotations

import hashlib
import os  # noqa: F401  (the doctest)


def short_hash(*parts: object, n: int = 16) -> str:
    """The first ``n`` hex digits of the SHA-1 of ``parts`` (as text, joined by U+001F).

    Examples
    --------
    >>> short_hash("理论", n=10), len(short_hash("a", 1, n=6)), short_hash("a", "b") == short_hash("a\\x1fb")
    ('4a576e0bad', 6, True)
    >>> short_hash(os.fsdecode("新闻".encode("gbk")), n=10) == short_hash(os.fsdecode("新闻".encode("gbk")), n=10)
    True
    """
    # surrogateescape: a file name that is not UTF-8 (a GBK name on a UTF-8 system) hashes as its bytes
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8", "surrogateescape")).hexdigest()[:n]
