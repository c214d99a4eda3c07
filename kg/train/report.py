"""Each model's figures in ``docs/MODELS.md``: one section per model, rewritten by its training run.

A section sits between ``<!-- model:NAME -->`` and ``<!-- /model:NAME -->``; the text around
the sections is written by hand and never touched.

Examples
--------
>>> from kg.train.cv import Counts, Report
>>> r = Report(None, {"Event": Counts(9, 1, 1)}, {"Event": Counts(7, 3, 3)})
>>> print(figures_table(r.table()))
| row | training set P / R / F1 | cross-validated P / R / F1 |
| --- | --- | --- |
| Event | 0.90 / 0.90 / 0.90 | 0.70 / 0.70 / 0.70 |
>>> print(replace_section("intro\\n", "toy", "figures\\n"))
intro
<!-- model:toy -->
figures
<!-- /model:toy -->
<BLANKLINE>
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.io import write_text

MODELS_MD = Path(__file__).resolve().parents[2] / "docs" / "MODELS.md"


def figures_table(table: dict) -> str:
    """A Markdown table of training-set and cross-validated figures (``Report.table()``)."""
    lines = ["| row | training set P / R / F1 | cross-validated P / R / F1 |", "| --- | --- | --- |"]
    for row in sorted(set(table["train"]) | set(table["cv"])):
        cells = []
        for part in ("train", "cv"):
            f = table[part].get(row)
            cells.append(f"{f['P']:.2f} / {f['R']:.2f} / {f['F1']:.2f}" if f else "–")
        lines.append(f"| {row} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def replace_section(doc: str, name: str, body: str) -> str:
    """``doc`` with the section of model ``name`` replaced by ``body`` (added at the end if new)."""
    start, end = f"<!-- model:{name} -->", f"<!-- /model:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.S)
    if pattern.search(doc):
        return pattern.sub(lambda _: block, doc, count=1)
    return doc.rstrip("\n") + ("\n" if doc.strip() else "") + block


def write_section(name: str, body: str, path: Path = MODELS_MD) -> None:
    """Rewrite the section of model ``name`` in ``docs/MODELS.md``."""
    doc = path.read_text(encoding="utf-8") if path.exists() else ""
    write_text(path, replace_section(doc, name, body))
