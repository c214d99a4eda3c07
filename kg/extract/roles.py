"""Who took part in an event, and how: a classifier over (event, person) pairs, trained on the gold pairs.

The rules of :mod:`kg.extract.event` propose pairs (a person who is the subject of 主持, 讲话,
发言, 致辞, 作汇报, 出席, 陪同 …; the sides of talks; a person quoted in the report of an
event; a person named in the sentence that names the event) and record what they saw: the
:class:`Evidence` of a pair. This model reads the evidence as binary features (the roles the
rules proposed, the verbs after the person in their clause, where the person stands against
the event's name, what kind of event it is and whether it is the article's main one, whether
the event is named inside someone's speech or the person only lectured about it) and gives
one of :data:`CLASSES`: ``speaker`` (presided, spoke, reported, a side of a named meeting),
``attendee`` (only attended or accompanied), or ``none``. The role written into the graph is
then the rules' finer one for that class (chair, reporter, speaker; attendee, accompanier). The
sides of talks and visits (party) and those who come along are the grammar's to decide: by the
annotation conventions they are optional, so the gold teaches nothing about them.

A multinomial logistic regression (numpy), trained by ``python -m kg.train events``; weights
``kg/extract/data/roles-VERSION.npz``.

Examples
--------
>>> import numpy as np
>>> m = Classifier(("none", "attendee", "speaker"), {"rule:chair": 0}, np.array([[0., 0., 3.]]), np.zeros(3))
>>> m.predict([["rule:chair"], ["x"]])
['speaker', 'none']
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from kg.extract.weights import Weights, load

NAME, VERSION = "roles", "1"
#: What the classifier decides for a pair.
CLASSES = ("none", "attendee", "speaker")

#: Verbs read in the clause after a person (and the words that say where they acted).
VERBS = re.compile(
    r"共同主持|主持|讲话|发言|致辞|致感谢答辞|答辞|致开幕词|致闭幕词|致贺词|致欢迎词|致答谢词|宣读|主旨演讲|演讲|作(?:了)?[^，。；]{0,12}?(?:报告|汇报|说明|讲座|辅导)"
    r"|汇报|介绍|通报|出席|参加|列席|就座|聆听|观看|会见|会谈|会晤|通电话|陪同|强调|指出|表示|说|建议|提出|认为|希望|宣讲"
    r"|解读|答记者问|回答|主讲|授课|考察|调研|视察|签署|见证|接受|采访|讲解")


@dataclass
class Evidence:
    """What the rules saw of one (event, person) pair in an article (mutable while it is collected)."""

    roles: set[str] = field(default_factory=set)  # roles proposed: chair, speaker, attendee, accompanier, party, said, near
    verbs: set[str] = field(default_factory=set)  # verbs after the person in their clause
    flags: set[str] = field(default_factory=set)  # where and how: same_sentence, quoted, listed, …
    span: tuple[int, int] = (0, 0)  # the evidence's span (the first sentence that gave it)

    def add(self, role: str, span: tuple[int, int], verbs: Sequence[str] = (), flags: Sequence[str] = ()) -> None:
        if not self.roles:
            self.span = span
        self.roles.add(role)
        self.verbs.update(verbs)
        self.flags.update(flags)


def verbs_after(text: str, end: int, limit: int) -> list[str]:
    """The verbs of :data:`VERBS` in ``text[end:limit]`` before the clause ends (作…报告 read as 作报告).

    Examples
    --------
    >>> verbs_after("张三在会上讲话并主持，李四出席", 2, 15)
    ['讲话', '主持']
    """
    stop = re.search(r"[，。；！？：\n]", text[end:limit])
    clause = text[end:end + stop.start()] if stop else text[end:limit]
    out = []
    for m in VERBS.finditer(clause):
        v = m.group(0)
        out.append("作" + v[-2:] if v.startswith("作") and len(v) > 3 else v)
    return out


def features(ev: Evidence, kind: str, main: bool, n_events: int, speaking: bool) -> list[str]:
    """The binary features of a pair: its evidence, and the event's kind, whether it is the main one, how many there are.

    Examples
    --------
    >>> ev = Evidence({"chair"}, {"主持"}, {"same_sentence"})
    >>> features(ev, "Meeting", True, 1, False)
    ['bias', 'rule:chair', 'verb:主持', 'flag:same_sentence', 'kind:Meeting', 'main', 'events:1', 'rv:chair|主持', 'kind_rule:Meeting|chair']
    """
    out = ["bias"]
    out += [f"rule:{r}" for r in sorted(ev.roles)]
    out += [f"verb:{v}" for v in sorted(ev.verbs)]
    out += [f"flag:{f}" for f in sorted(ev.flags)]
    out.append(f"kind:{kind}")
    if main:
        out.append("main")
    if speaking:
        out.append("speaking_meeting")
    out.append(f"events:{min(n_events, 3)}")
    out += [f"rv:{r}|{v}" for r in sorted(ev.roles) for v in sorted(ev.verbs)][:12]
    out += [f"kind_rule:{kind}|{r}" for r in sorted(ev.roles)]
    return out


@dataclass(frozen=True)
class Classifier:
    """A multinomial logistic regression over binary features: ``classes``, feature ids, weights (F, C), bias (C,)."""

    classes: tuple[str, ...]
    vocab: Mapping[str, int]
    weights: np.ndarray
    bias: np.ndarray

    def scores(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """Class probabilities of each row of features."""
        out = np.tile(self.bias.astype(np.float64), (len(rows), 1))
        for i, row in enumerate(rows):
            ids = [self.vocab[f] for f in row if f in self.vocab]
            if ids:
                out[i] += self.weights[ids].sum(0)
        out -= out.max(1, keepdims=True)
        p = np.exp(out)
        return p / p.sum(1, keepdims=True)

    def predict(self, rows: Sequence[Sequence[str]]) -> list[str]:
        """The most probable class of each row."""
        if not rows:
            return []
        return [self.classes[k] for k in self.scores(rows).argmax(1)]

    def arrays(self) -> dict[str, np.ndarray]:
        names = sorted(self.vocab, key=self.vocab.get)
        return {"classes": np.array(self.classes), "features": np.array(names if names else [""]),
                "weights": self.weights.astype(np.float32), "bias": self.bias.astype(np.float32)}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> "Classifier":
        names = [str(x) for x in arrays["features"].tolist()]
        return cls(tuple(str(x) for x in arrays["classes"].tolist()), {n: i for i, n in enumerate(names) if n},
                   np.asarray(arrays["weights"], dtype=np.float64), np.asarray(arrays["bias"], dtype=np.float64))


def model(weights: Weights | None = None) -> Classifier:
    """The shipped classifier (or the one in ``weights``)."""
    return Classifier.from_arrays((weights or load(NAME, VERSION)).arrays)


@functools.lru_cache(maxsize=1)
def shipped() -> Classifier:
    """The shipped classifier, read once per process."""
    return model()
