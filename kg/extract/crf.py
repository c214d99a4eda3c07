"""A linear-chain CRF over named feature templates, run with numpy.

A template is a name (``c0``, ``w-1``, ``head``) and, at each position of a sequence, one
string value ('' where it has none). The model holds, per template, a vocabulary of the values
it learned and a weight table (one row per value, row 0 for a value never seen), a bias per
label and a transition matrix. The emission scores of a sequence are the sums of the rows its
values pick; decoding is the batched Viterbi of :mod:`kg.extract.tagger`.

Training (``kg.train.crf``) writes crfsuite attributes ``TEMPLATE:VALUE`` (and ``bias``)
from the same values, so training and tagging read one feature function. The weights ship in
the one format of :mod:`kg.extract.weights` (arrays ``labels``, ``trans``, ``bias``,
``templates`` and, per template ``T``, ``T/vocab`` and ``T/table``).

Examples
--------
>>> import numpy as np
>>> m = TemplateCRF(("O", "B-X", "I-X"), ("c0",), {"c0": {"甲": 1}},
...                 {"c0": np.array([[0, 0, 0], [0, 2, 0]], dtype=np.float32)},
...                 np.zeros(3, dtype=np.float32), np.zeros((3, 3), dtype=np.float32))
>>> [p.tolist() for p in m.tag([{"c0": ["乙", "甲", "乙"]}])]
[[0, 1, 0]]
>>> attributes({"c0": ["甲", ""]})
[['bias', 'c0:甲'], ['bias']]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from kg.extract.tagger import decode, viterbi

Values = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class TemplateCRF:
    """The weights of one CRF: labels (``O`` first), templates, their vocabularies and tables."""

    labels: tuple[str, ...]
    templates: tuple[str, ...]
    vocab: Mapping[str, Mapping[str, int]]
    tables: Mapping[str, np.ndarray]  # template -> (len(vocab) + 1, L)
    bias: np.ndarray  # (L,)
    trans: np.ndarray  # (L, L): from label, to label
    prior: float = 0.0  # the weight of spans a rule proposes (see :meth:`tag`), chosen in training

    def emissions(self, values: Values) -> np.ndarray:
        """Emission scores (positions, labels) of one sequence given its template values."""
        n = len(next(iter(values.values()))) if values else 0
        e = np.array(np.broadcast_to(self.bias, (n, len(self.labels))), dtype=np.float32)
        for t in self.templates:
            vs = values.get(t)
            if vs is None:
                continue
            get = self.vocab[t].get
            ids = np.fromiter((get(v, 0) for v in vs), dtype=np.int32, count=n)
            e = e + self.tables[t][ids]
        return e

    def emissions_of(self, sequences: Sequence[Values]) -> list[np.ndarray]:
        """Emission scores of several sequences, computed in one pass over their positions."""
        lengths = [len(next(iter(v.values()))) if v else 0 for v in sequences]
        n = sum(lengths)
        e = np.array(np.broadcast_to(self.bias, (n, len(self.labels))), dtype=np.float32)
        zeros = itertools.repeat(0)
        for t in self.templates:
            if not all(t in v for v in sequences):
                for k, v in enumerate(sequences):  # a template some sequences lack: one by one
                    if t in v:
                        lo = sum(lengths[:k])
                        get = self.vocab[t].get
                        e[lo:lo + lengths[k]] += self.tables[t][np.fromiter(map(get, v[t], zeros), dtype=np.int32, count=lengths[k])]
                continue
            values = list(itertools.chain.from_iterable(v[t] for v in sequences))
            ids = np.fromiter(map(self.vocab[t].get, values, zeros), dtype=np.int32, count=n)
            e += self.tables[t][ids]
        cuts = np.cumsum([0, *lengths])
        return [e[cuts[i]:cuts[i + 1]] for i in range(len(sequences))]

    def tag(self, sequences: Sequence[Values], priors: Sequence[Sequence[tuple[int, int, str, float]]] = ()) -> list[np.ndarray]:
        """The best label ids of each sequence (batched Viterbi).

        ``priors[i]`` are spans ``(start, end, type, weight)`` of sequence ``i`` that a rule proposes:
        their labels (``B-type`` then ``I-type``) get ``weight`` added, so the model takes them unless
        its own evidence against them is stronger.
        """
        emit = self.emissions_of(sequences)
        index = {x: i for i, x in enumerate(self.labels)}
        for e, spans in zip(emit, priors):
            for s, t, typ, w in spans:
                b, i = index.get(f"B-{typ}"), index.get(f"I-{typ}")
                if b is None or i is None or not 0 <= s < t <= len(e):
                    continue
                e[s, b] += w
                e[s + 1:t, i] += w
        return viterbi(emit, self.trans)

    def spans(self, sequences: Sequence[Values], bases: Sequence[int],
              priors: Sequence[Sequence[tuple[int, int, str, float]]] = ()) -> list[tuple[int, int, str]]:
        """``(start, end, type)`` of the BIO spans of each sequence, offsets from its base."""
        out = []
        for path, base in zip(self.tag(sequences, priors), bases):
            out += [(s.start, s.end, s.type) for s in decode(path, self.labels, base)]
        return out

    def arrays(self) -> dict[str, np.ndarray]:
        """The model as named arrays (for :func:`kg.extract.weights.write`)."""
        out = {"labels": np.array(self.labels), "templates": np.array(self.templates),
               "bias": self.bias.astype(np.float32), "trans": self.trans.astype(np.float32),
               "prior": np.array(self.prior, dtype=np.float32)}
        for t in self.templates:
            words = sorted(self.vocab[t], key=self.vocab[t].get)
            out[f"{t}/vocab"] = np.array(words if words else [""])
            out[f"{t}/table"] = self.tables[t].astype(np.float32)
        return out

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> "TemplateCRF":
        """The model from the arrays :meth:`arrays` gave (a :class:`kg.extract.weights.Weights` will do)."""
        templates = tuple(str(x) for x in arrays["templates"].tolist())
        vocab = {}
        for t in templates:
            words = [str(x) for x in arrays[f"{t}/vocab"].tolist()]
            vocab[t] = {w: i + 1 for i, w in enumerate(words) if w}
        return cls(tuple(str(x) for x in arrays["labels"].tolist()), templates, vocab,
                   {t: np.asarray(arrays[f"{t}/table"], dtype=np.float32) for t in templates},
                   np.asarray(arrays["bias"], dtype=np.float32), np.asarray(arrays["trans"], dtype=np.float32),
                   float(arrays["prior"]) if "prior" in arrays else 0.0)


def attributes(values: Values) -> list[list[str]]:
    """The crfsuite attributes of each position (``bias`` and ``TEMPLATE:VALUE`` for every value)."""
    n = len(next(iter(values.values()))) if values else 0
    out = [["bias"] for _ in range(n)]
    for t, vs in values.items():
        for i, v in enumerate(vs):
            if v:
                out[i].append(f"{t}:{v}")
    return out
