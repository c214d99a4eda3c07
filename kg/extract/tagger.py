"""Our own sequence labeller: a linear-chain CRF over characters, run with numpy.

Two small CRFs read each sentence: one tags people, places and organizations (``PER``,
``LOC``, ``ORG``; trained on People's Daily text), one tags post titles (``TITLE``; trained
on CLUENER ``position`` and ResumeNER ``TITLE``). Their features are the characters at
offsets -2..2, the character bigrams before and after, the LAC word each of the characters
-1..1 is in (its tag and the character's place in it) and flags from lexicons of general
knowledge (surnames, post titles, institution suffixes, place names). The weights were
trained with python-crfsuite (``python -m kg.train ner``) and exported to numpy arrays that
ship as ``kg/extract/data/ner-<version>.npz``; they are loaded once per process. Tagging
needs no crfsuite: emissions are sums of rows of the weight tables (one dictionary look-up
per character for its character and one for its bigram), and Viterbi runs batched over the
sentences. See ``docs/NER.md``.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import operator
import re
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np

from kg.extract import weights
from kg.extract.nlp import Token

#: The version of the weights file this code reads (``kg/extract/data/ner-<version>.npz``).
MODEL_VERSION = "2"
#: The model's name in :mod:`kg.extract.weights`.
NAME = "ner"
#: The entity types the tagger finds.
TYPES = ("PER", "LOC", "ORG", "TITLE")
#: Longest piece of text read at once; longer sentences are cut into windows of this size.
WINDOW = 160
#: Sentences per Viterbi batch.
BATCH = 256

PAD = "\x02"
_NEVER = -1e4  # score of a label a CRF does not have
HALO = 2  # pad characters on each side of a piece: the reach of the widest template

#: Offsets of the character templates, of the bigram templates (the bigram starting at
#: i + k) and of the LAC-word templates.
CHAR_OFFSETS = (-2, -1, 0, 1, 2)
BIGRAM_OFFSETS = (-1, 0)
WORD_OFFSETS = (-1, 0, 1)
#: Lexicon flags, each with its value B/M/E/S (the character's place in the match).
FLAGS = ("sur", "title", "orgsfx", "place", "body")
_PLACE_CODE = {1: "B", 2: "M", 3: "E", 4: "S"}


@dataclass(frozen=True)
class Span:
    """A tagged span: ``text[start:end]`` is a name of ``type`` (one of :data:`TYPES`)."""

    start: int
    end: int
    type: str


# ---------------------------------------------------------------------------------------
# features (shared with kg.train.ner, which writes them as crfsuite attribute strings)


def layout(pieces: Sequence[str]) -> tuple[str, list[int]]:
    """The pieces joined with :data:`HALO` pad characters on each side; the start of each piece in it.

    Examples
    --------
    >>> s, starts = layout(["甲乙", "丙"])
    >>> len(s), starts, s[starts[1]]
    (11, [2, 8], '丙')
    """
    parts, starts, pos = [], [], 0
    for p in pieces:
        parts.append(PAD * HALO + p + PAD * HALO)
        starts.append(pos + HALO)
        pos += len(p) + 2 * HALO
    return "".join(parts), starts


def word_values(n: int, starts: Sequence[int], words: Sequence[Sequence[tuple[int, int, str]]]) -> list[str]:
    """For each position of a layout of length ``n``: ``TAG-P`` of the LAC word there (P in B/M/E/S), or ''.

    ``words[j]`` are the words of piece ``j`` as ``(start, end, tag)`` relative to the piece.

    Examples
    --------
    >>> word_values(7, [2], [[(0, 2, "PER"), (2, 3, "v")]])
    ['', '', 'PER-B', 'PER-E', 'v-S', '', '']
    """
    out = [""] * n
    for base, ws in zip(starts, words):
        for s, e, tag in ws:
            if e - s == 1:
                out[base + s] = f"{tag}-S"
                continue
            out[base + s] = f"{tag}-B"
            for i in range(base + s + 1, base + e - 1):
                out[i] = f"{tag}-M"
            out[base + e - 1] = f"{tag}-E"
    return out


def lexicon_patterns(lexicon: dict[str, Sequence[str]]) -> dict[str, re.Pattern]:
    """One regular expression per flag from the word lists the model was trained with (the longest word
    at each place, as a trie: the same matches as the words' alternation, longest first, in less time)."""
    pats = {}
    for flag in FLAGS:
        words = set(lexicon.get(flag, ()))
        pats[flag] = re.compile(_trie(words)) if words else re.compile(r"(?!x)x")
    return pats


def _trie(words: Iterable[str]) -> str:
    """A pattern matching the longest of ``words`` at a place.

    Examples
    --------
    >>> p = re.compile(_trie(["中国", "中国人民银行", "中央"]))
    >>> [m.group() for m in p.finditer("中国人民银行和中央和中国人民")]
    ['中国人民银行', '中央', '中国']
    """
    root: dict = {}
    for w in words:
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


def flag_codes(s: str, patterns: dict[str, re.Pattern]) -> dict[str, np.ndarray]:
    """For each flag, a code per position of ``s``: 0 none, 1 B, 2 M, 3 E, 4 S (place in the match).

    Examples
    --------
    >>> codes = flag_codes("王部长", lexicon_patterns({"title": ["部长"], "sur": ["王"]}))
    >>> codes["title"].tolist(), codes["sur"].tolist()
    ([0, 1, 3], [4, 0, 0])
    """
    out = {}
    for flag, pat in patterns.items():
        a = np.zeros(len(s), dtype=np.int8)
        for m in pat.finditer(s):
            i, j = m.span()
            if j - i == 1:
                a[i] = 4
            else:
                a[i], a[i + 1 : j - 1], a[j - 1] = 1, 2, 3
        out[flag] = a
    return out


def attributes(piece: str, words: Sequence[tuple[int, int, str]], patterns: dict[str, re.Pattern]) -> list[list[str]]:
    """The crfsuite attributes of each character of one piece (what training sees).

    Examples
    --------
    >>> att = attributes("张三", [(0, 2, "PER")], lexicon_patterns({"sur": ["张"]}))
    >>> att[0]
    ['bias', 'c-2:\\x02', 'c-1:\\x02', 'c0:张', 'c1:三', 'c2:\\x02', 'b0:张三', 'w0:PER-B', 'w1:PER-E', 'sur:S']
    """
    s, (start,) = layout([piece])
    wv = word_values(len(s), [start], [words])
    codes = flag_codes(s, patterns)
    out = []
    for i in range(start, start + len(piece)):
        att = ["bias", *(f"c{k}:{s[i + k]}" for k in CHAR_OFFSETS)]
        for k in BIGRAM_OFFSETS:
            bg = s[i + k : i + k + 2]
            if PAD not in bg:
                att.append(f"b{k}:{bg}")
        att += [f"w{k}:{wv[i + k]}" for k in WORD_OFFSETS if wv[i + k]]
        att += [f"{f}:{_PLACE_CODE[int(codes[f][i])]}" for f in FLAGS if codes[f][i]]
        out.append(att)
    return out


# ---------------------------------------------------------------------------------------
# the model


@dataclass(frozen=True)
class CRF:
    """One exported CRF: label names, transitions and a weight table per template."""

    labels: tuple[str, ...]
    trans: np.ndarray  # (L, L): from label, to label
    tables: dict[str, np.ndarray]  # template -> (vocabulary size, L); row 0 is "unknown"
    bias: np.ndarray  # (L,)


@dataclass(frozen=True)
class Model:
    """The tagger's weights: shared vocabularies, the lexicons of its flags, and its CRFs."""

    version: str
    chars: dict[str, int]
    bigrams: dict[str, int]
    words: dict[str, int]
    patterns: dict[str, re.Pattern]
    crfs: tuple[CRF, ...]


def model_path(version: str = MODEL_VERSION) -> Path:
    """Where the shipped weights of ``version`` are."""
    return weights.path_of(NAME, version)


def model_from(arrays: Mapping[str, np.ndarray], version: str = MODEL_VERSION) -> Model:
    """The tagger of exported arrays (what :func:`kg.train.ner.export` makes; no file needed)."""

    def vocab(key: str) -> dict[str, int]:
        return {w: i + 1 for i, w in enumerate(arrays[key].tolist())}

    lexicon = {f: arrays[f"lex_{f}"].tolist() if f"lex_{f}" in arrays else [] for f in FLAGS}
    crfs = []
    for name in str(arrays["crfs"]).split(","):
        labels = tuple(arrays[f"{name}/labels"].tolist())
        tables = {k.split("/", 1)[1][2:]: np.asarray(v, dtype=np.float32) for k, v in arrays.items() if k.startswith(f"{name}/t_")}
        crfs.append(CRF(labels, np.asarray(arrays[f"{name}/trans"], dtype=np.float32), tables,
                        np.asarray(arrays[f"{name}/bias"], dtype=np.float32)))
    return Model(version, vocab("chars"), vocab("bigrams"), vocab("words"), lexicon_patterns(lexicon), tuple(crfs))


def read_model(path: str | Path) -> Model:
    """Read an exported weights file, checking that it is the tagger's at :data:`MODEL_VERSION` (else E026)."""
    w = weights.read(path, NAME, MODEL_VERSION)
    return model_from(w.arrays, w.version)


def load() -> Model:
    """The process's tagger model (read once from the package data; later calls return the same object)."""
    return _shipped(MODEL_VERSION)


@functools.lru_cache(maxsize=None)
def _shipped(version: str) -> Model:
    return model_from(weights.load(NAME, version).arrays, version)


# ---------------------------------------------------------------------------------------
# tagging


def _windows(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in spans:
        while e - s > WINDOW:
            out.append((s, s + WINDOW))
            s += WINDOW
        if e > s:
            out.append((s, e))
    return out


def _piece_words(pieces: Sequence[tuple[int, int]], tokens: Sequence[Token]) -> list[list[tuple[int, int, str]]]:
    """The LAC words of each piece, clipped to it, relative to its start."""
    toks = sorted(tokens, key=lambda t: t.start)
    starts = [t.start for t in toks]

    out = []
    for s, e in pieces:
        ws = []
        j = max(bisect.bisect_right(starts, s) - 1, 0)
        while j < len(toks) and toks[j].start < e:
            t = toks[j]
            a, b = max(t.start, s), min(t.end, e)
            if b > a:
                ws.append((a - s, b - s, t.tag))
            j += 1
        out.append(ws)
    return out


def emissions(m: Model, s: str, starts: Sequence[int], words: Sequence[Sequence[tuple[int, int, str]]],
              lengths: Sequence[int]) -> list[np.ndarray]:
    """Emission scores (positions, labels) of every CRF for the real characters of a layout."""
    n = len(s)
    cget, bget, wget = m.chars.get, m.bigrams.get, m.words.get
    zeros = itertools.repeat(0)
    cid = np.fromiter(map(cget, s, zeros), dtype=np.int32, count=n)
    # the bigram at i is s[i:i + 2]: two characters, the last one alone
    bid = np.fromiter(map(bget, itertools.chain(map(operator.add, s, s[1:]), s[-1:]), zeros), dtype=np.int32, count=n)
    wid = np.zeros(n, dtype=np.int32)
    for base, ws in zip(starts, words):
        for a, b, tag in ws:
            if b - a == 1:
                wid[base + a] = wget(f"{tag}-S", 0)
            else:
                wid[base + a] = wget(f"{tag}-B", 0)
                wid[base + a + 1 : base + b - 1] = wget(f"{tag}-M", 0)
                wid[base + b - 1] = wget(f"{tag}-E", 0)
    codes = flag_codes(s, m.patterns)
    pos = np.concatenate([np.arange(b, b + k) for b, k in zip(starts, lengths)]) if starts else np.zeros(0, np.int64)
    out = []
    for crf in m.crfs:
        e = np.broadcast_to(crf.bias, (len(pos), len(crf.labels))).copy()
        for k in CHAR_OFFSETS:
            e += crf.tables[f"c{k}"][cid[pos + k]]
        for k in BIGRAM_OFFSETS:
            e += crf.tables[f"b{k}"][bid[pos + k]]
        for k in WORD_OFFSETS:
            e += crf.tables[f"w{k}"][wid[pos + k]]
        for f in FLAGS:
            if f in crf.tables:
                e += crf.tables[f][codes[f][pos]]
        out.append(e)
    return out


def viterbi(emit: Sequence[np.ndarray], trans: np.ndarray, which: Sequence[int] | None = None) -> list[np.ndarray]:
    """Best label sequence of each emission matrix (T_i, L) under ``trans`` (L, L), batched.

    With ``which``, ``trans`` is a stack (K, L, L) and sequence i is read with ``trans[which[i]]``
    (so several CRFs share one pass).

    Examples
    --------
    >>> e = [np.array([[0., 1.], [1., 0.]]), np.array([[2., 0.]])]
    >>> [p.tolist() for p in viterbi(e, np.array([[0., 0.], [-5., 1.]]))]
    [[1, 1], [0]]
    """
    out: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(emit)
    order = sorted(range(len(emit)), key=lambda i: len(emit[i]))
    if which is None:
        trans, which = trans[None], [0] * len(emit)
    L = trans.shape[-1]
    for c in range(0, len(order), BATCH):
        idx = [i for i in order[c : c + BATCH] if len(emit[i])]
        if not idx:
            continue
        lens = np.array([len(emit[i]) for i in idx])
        T, B = int(lens.max()), len(idx)
        E = np.zeros((B, T, L), dtype=np.float32)
        for b, i in enumerate(idx):
            E[b, : lens[b]] = emit[i]
        tr = trans[[which[i] for i in idx]]  # (B, L, L)
        score = E[:, 0].copy()
        back = np.zeros((T, B, L), dtype=np.int64)
        live = np.arange(T)[:, None, None] < lens[None, :, None]  # (T, B, 1)
        for t in range(1, T):
            cand = score[:, :, None] + tr
            back[t] = cand.argmax(1)
            score = np.where(live[t], cand.max(1) + E[:, t], score)
        path = np.zeros((B, T), dtype=np.int64)
        last = score.argmax(1)
        path[:, T - 1] = last
        rows = np.arange(B)
        for t in range(T - 1, 0, -1):
            last = np.where(live[t, :, 0], back[t, rows, last], last)
            path[:, t - 1] = last
        for b, i in enumerate(idx):
            out[i] = path[b, : lens[b]]
    return out


def decode(path: Sequence[int], labels: Sequence[str], base: int) -> list[Span]:
    """Spans of a BIO label-id sequence (label 0 is O), offsets from ``base``; an I- after another type starts a span.

    Examples
    --------
    >>> decode([0, 1, 2, 4, 0], ("O", "B-PER", "I-PER", "B-LOC", "I-LOC"), 10)
    [Span(start=11, end=13, type='PER'), Span(start=13, end=14, type='LOC')]
    """
    out: list[Span] = []
    start, typ, prev = 0, None, -2
    for i in np.flatnonzero(np.asarray(path)).tolist():
        kind, _, t = labels[path[i]].partition("-")
        if typ is not None and (kind != "I" or t != typ or i != prev + 1):
            out.append(Span(base + start, base + prev + 1, typ))
            typ = None
        if typ is None:
            start, typ = i, t
        prev = i
    if typ is not None:
        out.append(Span(base + start, base + prev + 1, typ))
    return out


def tag(text: str, spans: Sequence[tuple[int, int]], tokens: Sequence[Token], *, model: Model | None = None,
        types: Sequence[str] = TYPES) -> list[Span]:
    """Names and post titles in the sentences ``spans`` of ``text``, read with LAC's ``tokens``.

    ``spans`` and ``tokens`` are those :func:`kg.extract.context.analyse` makes (the sentences
    of running text and LAC's words of them). The spans never overlap: names come first and
    a post title read over a name keeps only its part outside it (see :func:`merge`). Only the
    CRFs that read one of ``types`` run (names alone are ``NAME_TAGS``).

    Examples
    --------
    >>> from kg.extract.nlp import tag_spans
    >>> t = "外交部部长张大明访问河北省。"
    >>> [(t[s.start:s.end], s.type) for s in tag(t, [(0, len(t))], tag_spans(t, [(0, len(t))]))]
    [('外交部', 'ORG'), ('部长', 'TITLE'), ('张大明', 'PER'), ('河北省', 'LOC')]
    """
    return tag_many([(text, spans, tokens)], model=model, types=types)[0]


def tag_many(items: Sequence[tuple[str, Sequence[tuple[int, int]], Sequence[Token]]], *, model: Model | None = None,
             types: Sequence[str] = TYPES) -> list[list[Span]]:
    """:func:`tag` of each ``(text, spans, tokens)``, all of them read in one pass.

    The sentences of every text are laid out together (each padded on its own, so no feature
    reaches across two of them), their emissions computed at once and decoded by one batched
    Viterbi: the spans of each text are those :func:`tag` gives it alone, in fewer, larger
    numpy calls (a build tags the articles of a whole chunk so).

    Examples
    --------
    >>> from kg.extract.nlp import tag_spans
    >>> a, b = "外交部部长张大明访问河北省。", "李四去上海。"
    >>> items = [(t, [(0, len(t))], tag_spans(t, [(0, len(t))])) for t in (a, b)]
    >>> tag_many(items) == [tag(*item) for item in items]
    True
    """
    m = model or load()
    wanted = tuple(c for c in m.crfs if set(types) & _types_of(c))
    if len(wanted) < len(m.crfs):
        m = dataclasses.replace(m, crfs=wanted)
    if not m.crfs:
        return [[] for _ in items]
    pieces: list[tuple[int, int]] = []
    words: list[list[tuple[int, int, str]]] = []
    owner: list[int] = []  # the item of each piece
    texts: list[str] = []
    for i, (text, spans, tokens) in enumerate(items):
        ps = _windows(spans)
        pieces += ps
        words += _piece_words(ps, tokens) if ps else []
        owner += [i] * len(ps)
        texts += [text[a:b] for a, b in ps]
    if not pieces:
        return [[] for _ in items]
    s, starts = layout(texts)
    lengths = [b - a for a, b in pieces]
    cuts = np.cumsum([0, *lengths])
    L = max(len(c.labels) for c in m.crfs)
    emit, which, trans = [], [], np.full((len(m.crfs), L, L), _NEVER, dtype=np.float32)
    for k, (crf, e) in enumerate(zip(m.crfs, emissions(m, s, starts, words, lengths))):
        n = len(crf.labels)
        trans[k, :n, :n] = crf.trans
        if n < L:  # labels a CRF lacks are never chosen
            e = np.concatenate([e, np.full((len(e), L - n), _NEVER, dtype=np.float32)], 1)
        emit += [e[cuts[j] : cuts[j + 1]] for j in range(len(pieces))]
        which += [k] * len(pieces)
    paths = viterbi(emit, trans, which)
    found: list[list[list[Span]]] = [[[] for _ in m.crfs] for _ in items]
    for k, crf in enumerate(m.crfs):
        ps = paths[k * len(pieces) : (k + 1) * len(pieces)]
        for i, (a, _), path in zip(owner, pieces, ps):
            found[i][k] += decode(path, crf.labels, a)
    out = []
    for per_crf in found:
        spans_ = per_crf[0]
        for more in per_crf[1:]:
            spans_ = merge(spans_, more)
        out.append(sorted(spans_, key=lambda x: (x.start, x.end)))
    return out


def _types_of(crf: CRF) -> set[str]:
    """The span types a CRF reads (its labels without their B-/I- prefix)."""
    return {label.split("-", 1)[1] for label in crf.labels if "-" in label}


def merge(first: Sequence[Span], second: Sequence[Span]) -> list[Span]:
    """``first`` with the spans of ``second`` that do not overlap them, cut to their part outside.

    A title read over a name (国务院总理 over the organization 国务院) keeps its part after
    the name (总理), else its part before it; a title inside a name is dropped.

    Examples
    --------
    >>> merge([Span(0, 3, "ORG")], [Span(0, 5, "TITLE"), Span(6, 8, "TITLE"), Span(1, 2, "TITLE")])
    [Span(start=0, end=3, type='ORG'), Span(start=3, end=5, type='TITLE'), Span(start=6, end=8, type='TITLE')]
    """

    base = sorted(first, key=lambda x: x.start)
    starts = [x.start for x in base]
    out = list(base)
    for sp in second:
        a, b = sp.start, sp.end
        j = bisect.bisect_left(starts, b)
        for x in base[max(bisect.bisect_right(starts, a) - 2, 0) : j]:
            if x.end <= a or x.start >= b:
                continue
            if x.end < b:
                a = max(a, x.end)
            elif x.start > a:
                b = min(b, x.start)
            else:
                a = b
        if b > a and not any(x.start < b and a < x.end for x in base[max(bisect.bisect_right(starts, a) - 2, 0) : j]):
            out.append(Span(a, b, sp.type))
    return sorted(out, key=lambda x: (x.start, x.end))


#: What the tagger's names replace in LAC's words: LAC's own name tags.
NAME_TAGS = ("PER", "LOC", "ORG")


def retag(tokens: Sequence[Token], names: Sequence[Span], text: str) -> list[Token]:
    """LAC's words with the names ``names`` put in: each name one word of its type.

    A word that crosses a name's boundary is cut there, and a piece of a word LAC tagged as
    a name keeps its text with the plain noun tag ``n``; a word no name touches is kept as it is. ``names`` are spans of ``text`` that
    never overlap (see :func:`corrections` for which of the tagger's names to put in).

    Examples
    --------
    >>> t = "张三丰在北京市工作"
    >>> toks = [Token(0, 4, "张三丰在", "PER"), Token(4, 7, "北京市", "LOC"), Token(7, 9, "工作", "v")]
    >>> [(x.text, x.tag) for x in retag(toks, [Span(0, 3, "PER"), Span(4, 6, "LOC")], t)]
    [('张三丰', 'PER'), ('在', 'n'), ('北京', 'LOC'), ('市', 'n'), ('工作', 'v')]
    """
    names = sorted((n for n in names if n.type in NAME_TAGS), key=lambda n: n.start)
    if not names:
        return list(tokens)
    same = {(t.start, t.end): t.tag for t in tokens if t.tag in NAME_TAGS}
    if all(same.get((n.start, n.end)) == n.type for n in names):
        return list(tokens)  # every name is one of LAC's words already, with its type
    out: list[Token] = []
    k = 0
    for tok in tokens:
        while k < len(names) and names[k].end <= tok.start:
            k += 1
        if k == len(names) or tok.end <= names[k].start:
            out.append(tok)  # no name touches it
            continue
        pos = tok.start
        while pos < tok.end:
            while k < len(names) and names[k].end <= pos:
                k += 1
            name = names[k] if k < len(names) else None
            if name is not None and name.start <= pos:
                if not out or out[-1].start != name.start:
                    out.append(Token(name.start, name.end, text[name.start:name.end], name.type))
                pos = min(tok.end, name.end)
                continue
            end = min(tok.end, name.start) if name is not None else tok.end
            whole = (pos, end) == (tok.start, tok.end)
            tag = "n" if tok.tag in NAME_TAGS and not whole else tok.tag
            out.append(Token(pos, end, text[pos:end], tag))
            pos = end
    return out


def plain(tokens: Sequence[Token], names: Sequence[Span]) -> list[Token]:
    """LAC's words, those LAC tagged as a name that are not one of the tagger's ``names`` made plain nouns.

    The tagger decides the names (exact-span F1 .95 / .92 / .89 for people, places and bodies
    on the People's Daily against LAC's .79 / .72 / .63): a word LAC took for a name where the
    tagger reads none, or reads another, is a word like any other (``n``). :func:`retag` then
    puts the tagger's names in.

    Examples
    --------
    >>> toks = [Token(0, 4, "京同来华", "LOC"), Token(4, 6, "进行", "v"), Token(6, 9, "王小明", "PER")]
    >>> [(t.text, t.tag) for t in plain(toks, [Span(0, 1, "LOC"), Span(6, 9, "PER")])]
    [('京同来华', 'n'), ('进行', 'v'), ('王小明', 'PER')]
    """
    same = {(x.start, x.end, x.type) for x in names}
    return [t if t.tag not in NAME_TAGS or (t.start, t.end, t.tag) in same else Token(t.start, t.end, t.text, "n") for t in tokens]
