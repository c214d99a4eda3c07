"""One weights format for every trained model, and its one loader.

A model ``NAME`` of format version ``VERSION`` ships as two files of package data:

- ``kg/extract/data/NAME-VERSION.npz``: the arrays the model runs on (numpy, read with
  ``allow_pickle=False``, so a weights file can never run code), plus two scalars ``model``
  and ``version`` naming what it is;
- ``kg/extract/data/NAME-VERSION.json``: what it was trained on, with which settings and
  seed, and its figures (training-set and cross-validated); never read at run time.

:func:`write` is what ``python -m kg.train NAME`` calls; :func:`load` is what the extractors
call (each file is read once per process).

Examples
--------
>>> import tempfile, numpy as np
>>> d = Path(tempfile.mkdtemp())
>>> p = write(d / "toy-1.npz", "toy", "1", {"w": np.arange(3, dtype=np.float32)}, {"seed": 1})
>>> w = read(p, "toy", "1")
>>> w.name, w.version, w["w"].tolist(), w.meta["seed"]
('toy', '1', [0.0, 1.0, 2.0], 1)
>>> read(p, "toy", "2")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.errors.ModelError: [E026] ...toy-1.npz: weights of 'toy' version '1', the code reads version '2'; rebuild them with python -m kg.train toy
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np

from kg.errors import Errors, ModelError
from kg.io import atomic_write

#: Where the shipped weights are (package data).
DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Weights:
    """A trained model's arrays (read-only) and its metadata (``meta``, from the ``.json`` beside it)."""

    name: str
    version: str
    arrays: Mapping[str, np.ndarray]
    meta: Mapping = field(default_factory=dict)

    def __getitem__(self, key: str) -> np.ndarray:
        return self.arrays[key]

    def __contains__(self, key: str) -> bool:
        return key in self.arrays

    def strings(self, key: str) -> list[str]:
        """An array of strings as a list of ``str``."""
        return [str(x) for x in self.arrays[key].tolist()]


def path_of(name: str, version: str, data: Path = DATA) -> Path:
    """Where the weights of ``name`` at ``version`` are shipped."""
    return data / f"{name}-{version}.npz"


def write(path: str | os.PathLike, name: str, version: str, arrays: Mapping[str, np.ndarray],
          meta: Mapping) -> Path:
    """Write ``arrays`` (and the scalars ``model``, ``version``) to ``path`` and ``meta`` beside it as JSON.

    Both files are written atomically; the JSON is sorted so that a retrained model differs
    from the last only where its content does.
    """
    path = Path(path)
    for key in ("model", "version"):
        if key in arrays:
            raise ValueError(f"array name {key!r} is reserved")
    with atomic_write(path, "wb") as f:
        np.savez_compressed(f, model=np.array(name), version=np.array(version), **dict(arrays))
    with atomic_write(path.with_suffix(".json")) as f:
        f.write(json.dumps(dict(meta), ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return path


def read(path: str | os.PathLike, name: str, version: str) -> Weights:
    """The weights in ``path``, checked to be ``name`` at ``version``.

    Raises
    ------
    ModelError
        The file is missing, unreadable, holds objects, or is another model or version (E026).
    """
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, EOFError) as exc:
        raise ModelError(Errors.E026.format(path=path, why=exc, name=name)) from exc
    got = (str(arrays.pop("model", "")), str(arrays.pop("version", "")))
    if got != (name, version):
        why = f"weights of {got[0]!r} version {got[1]!r}, the code reads version {version!r}"
        raise ModelError(Errors.E026.format(path=path, why=why, name=name))
    for a in arrays.values():
        a.setflags(write=False)
    meta_path = path.with_suffix(".json")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    except (OSError, ValueError) as exc:
        raise ModelError(Errors.E026.format(path=meta_path, why=exc, name=name)) from exc
    return Weights(name, version, arrays, meta)


@functools.lru_cache(maxsize=None)
def load(name: str, version: str) -> Weights:
    """The shipped weights of ``name`` at ``version``, read once per process (read-only arrays)."""
    return read(path_of(name, version), name, version)
