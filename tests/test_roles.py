"""The participation classifier (kg.extract.roles): its features, its model and its training."""

from __future__ import annotations

import numpy as np
import pytest

from kg.extract.roles import CLASSES, Classifier, Evidence, features, verbs_after
from kg.train.events import fit_logistic


@pytest.mark.parametrize("text, end, expected", [
    ("张三在会上讲话并主持，李四出席", 2, ["讲话", "主持"]),
    ("张三作了关于某事的工作报告。", 2, ["作报告"]),
    ("张三，李四出席", 2, []),
    ("张三共同主持会议", 2, ["共同主持"]),
])
def test_roles_verbs_after_a_person(text, end, expected):
    assert verbs_after(text, end, len(text)) == expected


def test_roles_features_name_what_the_rules_saw():
    ev = Evidence()
    ev.add("speaker", (0, 10), ["发言"], ["listed"])
    ev.add("near", (20, 30), [], ["same_sentence"])
    f = features(ev, "Meeting", False, 5, True)
    assert ev.span == (0, 10)
    assert {"rule:speaker", "rule:near", "verb:发言", "flag:listed", "flag:same_sentence", "kind:Meeting",
            "speaking_meeting", "events:3", "rv:speaker|发言"} <= set(f)
    assert "main" not in f


def test_roles_logistic_learns_and_round_trips():
    rows = [["bias", "rule:chair"]] * 5 + [["bias", "rule:attendee"]] * 5 + [["bias", "rule:near"]] * 5
    labels = ["speaker"] * 5 + ["attendee"] * 5 + ["none"] * 5
    m = fit_logistic(rows, labels, CLASSES, min_count=1)
    assert m.predict([["bias", "rule:chair"], ["bias", "rule:attendee"], ["bias", "rule:near"]]) == ["speaker", "attendee", "none"]
    again = Classifier.from_arrays(m.arrays())
    assert np.allclose(again.scores(rows), m.scores(rows))
    assert fit_logistic(rows, labels, CLASSES, min_count=1).arrays()["weights"].tolist() == m.arrays()["weights"].tolist()


def test_roles_shipped_classifier_reads_its_classes():
    from kg.extract.roles import shipped

    m = shipped()
    assert m.classes == CLASSES and m.vocab
