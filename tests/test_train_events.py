"""Training the event models on tiny annotated data (kg.train.events): runs without ../shared."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("pycrfsuite")

from kg.train import events as train_events  # noqa: E402
from kg.train import gold  # noqa: E402
from kg.train.cv import cross_validate  # noqa: E402

RECORDS = [
    ("a1", "2024-05-10", "第三届东方论坛开幕", "第三届东方论坛10日在北京开幕。王建国出席开幕式并致辞。李立新主持开幕式。"),
    ("a2", "2024-06-02", "西部博览会举行", "第五届西部博览会2日在成都举行。赵明出席并发表讲话。"),
    ("a3", "2024-07-08", "南方峰会闭幕", "首届南方峰会8日在广州闭幕。陈海主持闭幕式。"),
    ("a4", "2024-08-01", "东方论坛筹备", "第四届东方论坛将于明年举行。孙平在会上介绍筹备情况。"),
]
GOLD = {
    "articles": [{"id": i, "title": t, "authors": []} for i, _, t, _ in RECORDS],
    "entities": {"Person": [{"name": n} for n in ("王建国", "李立新", "赵明", "陈海", "孙平")],
                 "Event": [{"name": "第三届东方论坛", "date": "2024-05-10"}, {"name": "第五届西部博览会", "date": "2024-06-02"},
                           {"name": "首届南方峰会"}, {"name": "第四届东方论坛"}]},
    "optional": {"Place": ["北京", "成都", "广州"], "Event": ["开幕式", "闭幕式"]},
    "relations": {"speaker": [["第三届东方论坛", "王建国"], ["第三届东方论坛", "李立新"], ["第五届西部博览会", "赵明"],
                              ["首届南方峰会", "陈海"]]},
    "optional_relations": {},
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    (root / "shared" / "corpus").mkdir(parents=True)
    (root / "shared" / "corpus" / "tiny.jsonl").write_text("".join(
        json.dumps({"id": i, "title": t, "date": d, "text": x}, ensure_ascii=False) + "\n" for i, d, t, x in RECORDS),
        encoding="utf-8")
    (root / "ann").mkdir()
    (root / "ann" / "tiny.gold.json").write_text(json.dumps({"texts": "tiny.jsonl", **GOLD}, ensure_ascii=False), encoding="utf-8")
    sets = gold.load(shared=root / "shared", annotations=root / "ann")
    return train_events.examples(sets)


def test_train_events_examples_carry_their_gold_spans(tiny):
    assert [ex.key for ex in tiny] == [("tiny", i) for i, *_ in RECORDS]
    spans = {(s.text, s.optional) for ex in tiny for d in ex.docs for s in d.gold}
    assert ("第三届东方论坛", False) in spans and ("开幕式", True) in spans


def test_train_events_span_data_labels_the_gold_names(tiny):
    seqs, labels = train_events.span_data([d for ex in tiny for d in ex.docs])
    assert len(seqs) == len(labels) and seqs
    tagged = ["".join(v["c0"][i] for i, y in enumerate(ys) if y != "O") for v, ys in zip(seqs, labels)]
    assert any("第三届东方论坛" in t for t in tagged)
    assert all(len(v["c0"]) == len(ys) for v, ys in zip(seqs, labels))


def test_train_events_fit_and_cross_validate(tiny):
    r = cross_validate(tiny, train_events.fit_models, train_events.evaluate, k=2, seed=3, key=lambda ex: ex.key)
    assert {"Event", "speaker", "event_date", "organizer", "pair speaker", "pair attendee"} <= set(r.cv)
    assert r.train["Event"].tp >= 3          # the training set is learnt
    assert r.train["speaker"].tp >= 2
    again = train_events.fit_models(tiny)    # no randomness: the same data give the same weights
    assert again.roles.arrays()["weights"].tolist() == r.model.roles.arrays()["weights"].tolist()
    assert again.spans.arrays()["c0/table"].tolist() == r.model.spans.arrays()["c0/table"].tolist()


def test_train_events_pair_labels_follow_the_gold(tiny):
    labels = train_events.role_data(tiny, train_events.fit_spans(tiny))[1]
    assert "speaker" in labels
