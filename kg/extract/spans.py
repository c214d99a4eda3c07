"""Questions about a fixed set of spans answered by bisection: any span overlapping, holding or containing another.

They give the same answers as ``any(...)`` over the spans, in logarithmic time, so that an
extractor asking them once per word of a long article stays linear in its length.
"""

from __future__ import annotations

import bisect
from itertools import accumulate
from typing import Iterable


class SpanIndex:
    """A fixed set of spans ``(start, end)`` asked, in logarithmic time, whether any of them
    overlaps, holds or contains a span or a character (the same answers as ``any`` over them).

    Examples
    --------
    >>> ix = SpanIndex([(5, 8), (0, 2)])
    >>> ix.overlaps(1, 3), ix.overlaps(2, 5), ix.holds(7), ix.holds(8), ix.contains(5, 8), ix.contains(4, 6)
    (True, False, True, False, True, False)
    >>> ix.contains(5, 8, strict=True), SpanIndex([(5, 9)]).contains(5, 8, strict=True)
    (False, True)
    """

    __slots__ = ("_starts", "_ends", "_max_end")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        spans = sorted((s, e) for s, e in spans)
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]
        self._max_end = list(accumulate(self._ends, max))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a span ``(s, e)`` has ``s < end and start < e``."""
        k = bisect.bisect_left(self._starts, end)
        return k > 0 and self._max_end[k - 1] > start

    def holds(self, i: int) -> bool:
        """Whether a span ``(s, e)`` has ``s <= i < e``."""
        k = bisect.bisect_right(self._starts, i)
        return k > 0 and self._max_end[k - 1] > i

    def contains(self, start: int, end: int, strict: bool = False) -> bool:
        """Whether a span ``(s, e)`` has ``s <= start and end <= e`` (and, if ``strict``, is not ``(start, end)``)."""
        if not strict:
            k = bisect.bisect_right(self._starts, start)
            return k > 0 and self._max_end[k - 1] >= end
        lo = bisect.bisect_left(self._starts, start)
        if lo > 0 and self._max_end[lo - 1] >= end:
            return True
        hi = bisect.bisect_right(self._starts, start)
        return hi > lo and self._ends[hi - 1] > end
