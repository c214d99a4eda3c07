"""Train a :class:`kg.extract.crf.TemplateCRF` with python-crfsuite and export it to numpy.

``fit(sequences, labels, templates, settings)`` trains on sequences of template values (the
same values the run-time model reads) and gives the exported model; crfsuite's model file is
a temporary file, gone when the call returns. Training is deterministic for the same input.

Examples
--------
>>> seqs = [{"c0": list("甲乙丙")}, {"c0": list("丙甲乙")}] * 5
>>> labs = [["B-X", "I-X", "O"], ["O", "B-X", "I-X"]] * 5
>>> m = fit(seqs, labs, ("c0",), {"max_iterations": 50})
>>> [m.labels[i] for i in m.tag([{"c0": list("丙甲乙")}])[0]]
['O', 'B-X', 'I-X']
"""

from __future__ import annotations

import os
import tempfile
from typing import Mapping, Sequence

import numpy as np

from kg.extract.crf import TemplateCRF, Values, attributes

#: crfsuite's settings unless told otherwise (L-BFGS with elastic net).
DEFAULTS = {"c1": 0.05, "c2": 0.05, "max_iterations": 200, "feature.possible_transitions": True}


def fit(sequences: Sequence[Values], labels: Sequence[Sequence[str]], templates: Sequence[str],
        settings: Mapping | None = None) -> TemplateCRF:
    """A CRF trained on ``sequences`` (template values per position) and their ``labels``."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for values, ys in zip(sequences, labels):
        if len(ys):
            trainer.append(attributes(values), list(ys))
    trainer.set_params({**DEFAULTS, **dict(settings or {})})
    fd, path = tempfile.mkstemp(suffix=".crfsuite")
    os.close(fd)
    try:
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
        tagger.close()
    finally:
        os.unlink(path)
    return export(info, templates)


def export(info, templates: Sequence[str]) -> TemplateCRF:
    """The numpy model of a crfsuite model's ``info()`` (features of weight zero dropped)."""
    labels = ("O", *sorted(x for x in info.labels if x != "O"))
    li = {x: i for i, x in enumerate(labels)}
    L = len(labels)
    vocab: dict[str, dict[str, int]] = {t: {} for t in templates}
    for (attr, _), w in sorted(info.state_features.items()):
        t, _, v = attr.partition(":")
        if w and t in vocab and v not in vocab[t]:
            vocab[t][v] = len(vocab[t]) + 1
    tables = {t: np.zeros((len(vocab[t]) + 1, L), dtype=np.float32) for t in templates}
    bias = np.zeros(L, dtype=np.float32)
    for (attr, lab), w in info.state_features.items():
        t, _, v = attr.partition(":")
        if not w:
            continue
        if t == "bias":
            bias[li[lab]] += w
        elif t in vocab:
            tables[t][vocab[t][v], li[lab]] += w
    trans = np.zeros((L, L), dtype=np.float32)
    for (a, b), w in info.transitions.items():
        trans[li[a], li[b]] = w
    return TemplateCRF(labels, tuple(templates), vocab, tables, bias, trans)
