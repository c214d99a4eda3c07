"""Event names as an open class: a character CRF trained on the annotated sets decides where they are.

The rules of :mod:`kg.extract.event` propose candidates (the grammar of sessions, plenums and
congresses, bodies' meetings, names before a verb of holding); this model reads every sentence
that has an event head word (:data:`kg.lexicon.meetings.EVENT_HEADS`) or a candidate, and tags
the event names in it (``B-EVT``/``I-EVT``). Its features, per character: the characters at
offsets -2..2 and the bigrams around it, LAC's word (tag and place, and the word itself when it
is short) at offsets -1..1, and flags (B/I/E/S of a match) of the head words, the editions and
numbers names carry (第八届, 2026, 76周年), the rule candidates (with their kind), the people and
organizations the article's analysis read, and whether the character is inside quotation or title marks. The weights are trained by ``python -m kg.train
events`` (``docs/MODELS.md``) and ship as ``kg/extract/data/events-VERSION.npz``.

Examples
--------
>>> flags(8, [(1, 3), (4, 5)], "hd")
['', 'B', 'E', '', 'S', '', '', '']
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Sequence

from kg.extract.crf import TemplateCRF
from kg.extract.nlp import Token
from kg.extract.weights import Weights, load
from kg.lexicon.meetings import EDITION, EVENT_HEADS, SHORT_FAIR

#: The weights this code reads: ``kg/extract/data/events-VERSION.npz``.
NAME, VERSION = "events", "1"
#: The templates, in the order the model holds them.
TEMPLATES = ("c-2", "c-1", "c0", "c1", "c2", "b-1", "b0", "w-1", "w0", "w1", "wt", "hd", "ed", "rc", "q", "en")
PAD = "\x02"

_HEADS = re.compile("|".join(map(re.escape, EVENT_HEADS)) + "|" + SHORT_FAIR.pattern)
_QUOTED = re.compile(r"“[^“”]{1,40}”|《[^《》]{1,40}》|「[^「」]{1,40}」")


def flags(n: int, spans: Sequence[tuple[int, int]], _name: str = "", kinds: Sequence[str] = ()) -> list[str]:
    """Per position of a piece of length ``n``: B/I/E/S of the span it is in ('' for none), with the span's kind."""
    out = [""] * n
    for k, (s, e) in enumerate(spans):
        s, e = max(s, 0), min(e, n)
        if e <= s:
            continue
        tail = f"-{kinds[k]}" if kinds else ""
        if e - s == 1:
            out[s] = "S" + tail
            continue
        out[s] = "B" + tail
        for i in range(s + 1, e - 1):
            out[i] = "I" + tail
        out[e - 1] = "E" + tail
    return out


def values(text: str, start: int, end: int, tokens: Sequence[Token],
           candidates: Sequence[tuple[int, int, str]] = (),
           entities: Sequence[tuple[int, int, str]] = ()) -> dict[str, list[str]]:
    """The template values of each character of ``text[start:end]`` (one sentence).

    ``tokens`` are the LAC words of the article (any order; those of the sentence are used),
    ``candidates`` the rule candidates ``(start, end, kind)`` and ``entities`` the people and
    organizations the article's analysis read ``(start, end, "PER" | "ORG")``, in article offsets.
    """
    piece = text[start:end]
    n = len(piece)
    s = PAD * 2 + piece + PAD * 2
    out: dict[str, list[str]] = {}
    for k in (-2, -1, 0, 1, 2):
        out[f"c{k}"] = list(s[2 + k: 2 + k + n])
    out["b-1"] = [s[i + 1:i + 3] for i in range(n)]
    out["b0"] = [s[i + 2:i + 4] for i in range(n)]
    word = [""] * (n + 2)
    wt = [""] * n
    for t in tokens:
        a, b = max(t.start, start) - start, min(t.end, end) - start
        if b <= a:
            continue
        if b - a == 1:
            word[a + 1] = f"{t.tag}-S"
        else:
            word[a + 1] = f"{t.tag}-B"
            for i in range(a + 2, b):
                word[i] = f"{t.tag}-I"
            word[b] = f"{t.tag}-E"
        if 2 <= b - a <= 6:
            for i in range(a, b):
                wt[i] = t.text
    out["w-1"], out["w0"], out["w1"] = word[0:n], word[1:n + 1], word[2:n + 2]
    out["wt"] = wt
    out["hd"] = flags(n, [m.span() for m in _HEADS.finditer(piece)])
    out["ed"] = flags(n, [m.span() for m in EDITION.finditer(piece)])
    inside = [(a - start, b - start, kind) for a, b, kind in candidates if a < end and start < b]
    out["rc"] = flags(n, [(a, b) for a, b, _ in inside], kinds=[k for _, _, k in inside])
    q = [""] * n
    for m in _QUOTED.finditer(piece):
        for i in range(m.start(), m.end()):
            q[i] = "1"
    out["q"] = q
    named = [(a - start, b - start, kind) for a, b, kind in entities if a < end and start < b]
    out["en"] = flags(n, [(a, b) for a, b, _ in named], kinds=[k for _, _, k in named])
    return out


def pieces(text: str, sentences: Sequence[tuple[int, int]], candidates: Sequence[tuple[int, int, str]] = ()) -> list[tuple[int, int]]:
    """The sentences the model reads: those with a head word or a rule candidate.

    Examples
    --------
    >>> t = "今天天气好。某论坛开幕。"
    >>> pieces(t, [(0, 6), (6, 12)])
    [(6, 12)]
    """
    joined: list[tuple[int, int]] = []
    for s, e in sentences:  # a sentence cut inside quotation marks (“你好！中国”) is read whole
        if joined and _open_quote(text[joined[-1][0]:joined[-1][1]]) and not text[joined[-1][1]:s].strip():
            joined[-1] = (joined[-1][0], e)
        else:
            joined.append((s, e))
    out = []
    for s, e in joined:
        if _HEADS.search(text, s, e) or any(a < e and s < b for a, b, _ in candidates):
            out.append((s, e))
    return out


def _open_quote(s: str) -> bool:
    return s.count("“") > s.count("”") or s.count("《") > s.count("》")


def has_head(s: str) -> bool:
    """Whether ``s`` holds an event head word."""
    return bool(_HEADS.search(s))


def model(weights: Weights | None = None) -> TemplateCRF:
    """The shipped event tagger (or the one in ``weights``)."""
    return TemplateCRF.from_arrays((weights or load(NAME, VERSION)).arrays)


def find(text: str, sentences: Sequence[tuple[int, int]], tokens: Sequence[Token],
         candidates: Sequence[tuple[int, int, str]] = (), crf: TemplateCRF | None = None,
         prior: float | None = None, entities: Sequence[tuple[int, int, str]] = ()) -> list[tuple[int, int]]:
    """Spans of the event names the model tags in ``sentences`` of ``text``.

    The rule candidates and the ``entities`` (see :func:`values`) are features, and those of the loose rules (kinds ending in 0 or 1) are
    also a prior of weight ``prior`` (default: the one the model was trained with, :func:`prior_of`)
    on their span: the model takes them unless its own evidence against them is stronger.
    """
    crf = crf or _shipped()
    prior = prior_of(crf) if prior is None else prior
    ps = pieces(text, sentences, candidates)
    if not ps:
        return []
    toks = sorted(tokens, key=lambda t: t.start)
    starts = [t.start for t in toks]
    seqs = []
    for s, e in ps:
        lo = max(bisect.bisect_right(starts, s) - 1, 0)
        hi = bisect.bisect_left(starts, e)
        seqs.append(values(text, s, e, toks[lo:hi], candidates, entities))
    priors = [[(a - s, b - s, "EVT", prior) for a, b, kind in candidates if s <= a and b <= e and kind[-1:] in "01"]
              for s, e in ps] if prior else ()
    out = []
    for s, e, _ in crf.spans(seqs, [s for s, _ in ps], priors):
        out += split(text, s, e)
    return _everywhere(text, sentences, out)


def _everywhere(text: str, sentences: Sequence[tuple[int, int]], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` and every other place the article writes one of their names (of 4 characters or more):
    one name, one reading, wherever the model read it.

    Examples
    --------
    >>> t = "甲乙论坛开幕。甲乙论坛闭幕。"
    >>> _everywhere(t, [(0, 7), (7, 14)], [(0, 4)])
    [(0, 4), (7, 11)]
    """
    names = {text[s:e] for s, e in spans if e - s >= 4}
    if not names:
        return spans
    taken = sorted(spans)
    out = list(spans)
    pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
    for lo, hi in sentences:
        for m in pattern.finditer(text, lo, hi):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                out.append(m.span())
                taken.append(m.span())
    return sorted(out)


_HEAD_END = re.compile(rf"(?:{_HEADS.pattern}|全会|届|次会议)$")


_QUOTE_LIST = re.compile(r"[”」』][“「『]")


def _quoted_parts(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``parts`` cut between a closing and an opening quotation mark."""
    out = []
    for a, b in parts:
        for m in _QUOTE_LIST.finditer(text, a, b):
            out.append((a, m.start() + 1))
            a = m.start() + 1
        out.append((a, b))
    return out


def split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A tagged span cut where it joins several names: at punctuation, and at 和、及、与 between two names
    that each end with a head word (某峰会和某会议 is two events; 某某与某某会谈 is one).

    Examples
    --------
    >>> t = "出席甲论坛和乙会议"
    >>> [t[s:e] for s, e in split(t, 2, 9)]
    ['甲论坛', '乙会议']
    >>> t = "“甲论坛”“乙峰会”“丙”"
    >>> [t[s:e] for s, e in split(t, 0, len(t))]
    ['“甲论坛”', '“乙峰会”']
    >>> t = "中美经贸会谈"
    >>> [t[s:e] for s, e in split(t, 0, 6)]
    ['中美经贸会谈']
    """
    parts = []
    s = start
    for m in re.finditer(r"[，。；：！？,;:]", text[start:end]):
        parts.append((s, start + m.start()))
        s = start + m.end()
    parts.append((s, end))
    if _QUOTE_LIST.search(text, start, end):  # “甲”“乙”“丙”: a list of quoted words; only a part with a head word is a name
        parts = [(a, b) for a, b in _quoted_parts(text, parts) if _HEADS.search(text, a, b)]
    out = []
    for a, b in parts:
        cut = a
        for m in re.finditer(r"和|及|与|、", text[a:b]):
            left, right = text[cut:a + m.start()], text[a + m.end():b]
            if len(left) >= 3 and len(right) >= 3 and _HEAD_END.search(left) and _HEADS.search(right):
                out.append((cut, a + m.start()))
                cut = a + m.end()
        if b - cut >= 2:
            out.append((cut, b))
    return out


def prior_of(crf: TemplateCRF) -> float:
    """The prior the model was trained with (kept with its weights as the array ``prior``)."""
    return crf.prior


@functools.lru_cache(maxsize=1)
def _shipped() -> TemplateCRF:
    """The shipped model, read once per process."""
    return model()
