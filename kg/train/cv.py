"""One way to train and measure every model: k-fold cross-validation over annotated items.

A model is trained by a ``fit(items) -> model`` function and measured by an
``evaluate(model, items) -> Figures`` function that counts true positives, false positives
and false negatives per row (``Counts``). :func:`cross_validate` splits the items into ``k``
folds (stratified by set, fixed seed), trains on ``k - 1`` folds and counts on the one left
out, for each fold; the cross-validated figure of a row is computed from the counts summed
over the folds (micro-averaged). The training-set figure comes from the model fitted on
every item and measured on the same items: the two side by side show how much of a figure
is memory.

Examples
--------
>>> items = [("a", i) for i in range(10)]
>>> [len(f) for f in folds(items, 5, seed=1, key=lambda x: x)]
[2, 2, 2, 2, 2]
>>> def fit(train):                       # a "model" that remembers the numbers it saw
...     return {n for _, n in train}
>>> def evaluate(model, test):
...     seen = sum(n in model for _, n in test)
...     return {"seen": Counts(seen, 0, len(test) - seen)}
>>> r = cross_validate(items, fit, evaluate, k=5, seed=1, key=lambda x: x)
>>> r.train["seen"].f1, r.cv["seen"].f1
(1.0, 0.0)
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Generic, Hashable, Mapping, Sequence, TypeVar

T = TypeVar("T")
M = TypeVar("M")


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of one row; sums with ``+``.

    >>> c = Counts(8, 2, 0) + Counts(0, 0, 2)
    >>> c, round(c.p, 2), round(c.r, 2), round(c.f1, 2)
    (Counts(tp=8, fp=2, fn=2), 0.8, 0.8, 0.8)
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0

    @classmethod
    def of(cls, found: set, gold: set, ignore: set = frozenset()) -> "Counts":
        """Counts of ``found`` against ``gold``; what is in ``ignore`` (and not gold) counts neither way."""
        found = found - (ignore - gold)
        return cls(len(found & gold), len(found - gold), len(gold - found))


Figures = Mapping[str, Counts]


def add(a: Figures, b: Figures) -> dict[str, Counts]:
    """Row-wise sum of two figure tables."""
    return {k: a.get(k, Counts()) + b.get(k, Counts()) for k in sorted(set(a) | set(b))}


@dataclass(frozen=True)
class Report(Generic[M]):
    """What :func:`cross_validate` measured: training-set figures, cross-validated figures, per fold."""

    model: M
    train: dict[str, Counts]
    cv: dict[str, Counts]
    folds: tuple[dict[str, Counts], ...] = ()
    sizes: tuple[int, ...] = field(default=())

    def table(self) -> dict:
        """The figures as plain data (for the weights' JSON and ``docs/MODELS.md``)."""
        def rows(f: Mapping[str, Counts]) -> dict:
            return {k: {"P": round(c.p, 4), "R": round(c.r, 4), "F1": round(c.f1, 4),
                        "tp": c.tp, "fp": c.fp, "fn": c.fn} for k, c in f.items()}
        return {"train": rows(self.train), "cv": rows(self.cv), "folds": len(self.folds),
                "fold_sizes": list(self.sizes)}


def folds(items: Sequence[T], k: int = 5, *, seed: int = 0,
          key: Callable[[T], tuple[str, Hashable]]) -> list[list[T]]:
    """``items`` dealt into ``k`` folds, stratified by set: ``key(item) == (set name, item id)``.

    Items are sorted by key, shuffled within their set by ``seed`` and dealt in turn, so every
    fold holds a share of every set, and the split depends only on the ids and the seed.
    """
    by_set: dict[str, list[T]] = {}
    for it in sorted(items, key=lambda x: tuple(map(str, key(x)))):
        by_set.setdefault(str(key(it)[0]), []).append(it)
    rng = random.Random(seed)
    out: list[list[T]] = [[] for _ in range(k)]
    turn = 0
    for name in sorted(by_set):
        group = by_set[name]
        rng.shuffle(group)
        for it in group:
            out[turn % k].append(it)
            turn += 1
    return out


def cross_validate(items: Sequence[T], fit: Callable[[Sequence[T]], M],
                   evaluate: Callable[[M, Sequence[T]], Figures], *, k: int = 5, seed: int = 0,
                   key: Callable[[T], tuple[str, Hashable]], log: Callable[[str], None] | None = None) -> Report[M]:
    """Train on ``k - 1`` folds and count on the one left out, for each fold; then fit on all items.

    Returns the model fitted on every item (the one to ship), its training-set figures, and the
    cross-validated figures (counts summed over the folds).
    """
    parts = folds(items, k, seed=seed, key=key)
    per_fold = []
    for i, test in enumerate(parts):
        train = [it for j, p in enumerate(parts) if j != i for it in p]
        figs = dict(evaluate(fit(train), test))
        per_fold.append(figs)
        if log:
            log(f"fold {i + 1}/{k}: " + ", ".join(f"{r} F1 {c.f1:.3f}" for r, c in sorted(figs.items())))
    cv: dict[str, Counts] = {}
    for f in per_fold:
        cv = add(cv, f)
    model = fit(list(items))
    train_figs = dict(evaluate(model, list(items)))
    if log:
        log("cross-validated: " + ", ".join(f"{r} F1 {c.f1:.3f}" for r, c in sorted(cv.items())))
        log("training set:    " + ", ".join(f"{r} F1 {c.f1:.3f}" for r, c in sorted(train_figs.items())))
    return Report(model, train_figs, cv, tuple(per_fold), tuple(len(p) for p in parts))
