"""The template CRF run by numpy (kg.extract.crf) and its training with crfsuite (kg.train.crf)."""

from __future__ import annotations

import numpy as np
import pytest

from kg.extract.crf import TemplateCRF, attributes
from kg.extract.weights import read, write

pycrfsuite = pytest.importorskip("pycrfsuite")
from kg.train.crf import fit  # noqa: E402


def _toy():
    seqs = [{"c0": list("在某论坛上"), "hd": ["", "", "B", "E", ""]},
            {"c0": list("某峰会开幕"), "hd": ["", "B", "E", "", ""]},
            {"c0": list("他说了话"), "hd": ["", "", "", ""]}] * 4
    labels = [["O", "B-EVT", "I-EVT", "I-EVT", "O"], ["B-EVT", "I-EVT", "I-EVT", "O", "O"], ["O"] * 4] * 4
    return seqs, labels


def test_crf_numpy_tags_as_crfsuite_does(tmp_path):
    seqs, labels = _toy()
    model = fit(seqs, labels, ("c0", "hd"), {"max_iterations": 60})
    trainer = pycrfsuite.Trainer(verbose=False)
    for v, y in zip(seqs, labels):
        trainer.append(attributes(v), y)
    trainer.set_params({"c1": 0.05, "c2": 0.05, "max_iterations": 60, "feature.possible_transitions": True})
    trainer.train(str(tmp_path / "m.crfsuite"))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / "m.crfsuite"))
    for v in seqs[:3]:
        assert [model.labels[i] for i in model.tag([v])[0]] == tagger.tag(attributes(v))


def test_crf_weights_round_trip_through_the_one_format(tmp_path):
    seqs, labels = _toy()
    model = fit(seqs, labels, ("c0", "hd"), {"max_iterations": 30})
    p = write(tmp_path / "toy-1.npz", "toy", "1", model.arrays(), {"seed": 0})
    again = TemplateCRF.from_arrays(read(p, "toy", "1").arrays)
    assert again.labels == model.labels and again.vocab == model.vocab
    e1, e2 = model.emissions(seqs[0]), again.emissions(seqs[0])
    assert np.allclose(e1, e2)
    assert model.spans(seqs[:2], [0, 10]) == [(1, 4, "EVT"), (10, 13, "EVT")]


def test_crf_prior_takes_a_proposed_span_the_model_does_not_read():
    m = TemplateCRF(("O", "B-X", "I-X"), ("c0",), {"c0": {}}, {"c0": np.zeros((1, 3), np.float32)},
                    np.array([1.0, 0.0, 0.0], np.float32), np.zeros((3, 3), np.float32))
    v = [{"c0": list("甲乙丙")}]
    assert m.spans(v, [0]) == []
    assert m.spans(v, [0], [[(0, 2, "X", 2.0)]]) == [(0, 2, "X")]
    assert m.spans(v, [0], [[(0, 2, "X", 0.5)]]) == []

