"""``kg extract`` as a library function: the mentions of a file, per article or per line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator, Sequence

from kg.pipeline.work import process_document
from kg.errors import Errors, InputError
from kg.extract import analyse, extract_article
from kg.model import Article, Block, Skip
from kg.rdf.iris import IRIs
from kg.resolve import drop_overlaps
from kg.sources import decode, iter_documents

#: Extractors that read running text (the others read bylines, notes and attributions).
TEXT_EXTRACTORS = ("ner", "place", "policy", "event")


def line_article(i: int, line: str) -> Article:
    """An article made of one line, whose text is the line itself.

    Examples
    --------
    >>> line_article(0, "张三在北京。").text
    '张三在北京。'
    """
    return Article.build(str(i), "", (Block("paragraph", line, tuple(range(len(line)))),))


def iter_mentions(path: str, *, input_format: str | None = None, only: Sequence[str] | None = None,
                  base: str | None = None) -> Iterator[dict]:
    """One dict per mention: text, type, start, end, entity, name, doc.

    Examples
    --------
    >>> import tempfile, os
    >>> f = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8")
    >>> _ = f.write("张三在北京工作。\\n"); f.close()
    >>> [(m["text"], m["type"], m["doc"]) for m in iter_mentions(f.name, input_format="lines")]
    [('张三', 'Person', 0), ('北京', 'Place', 0)]
    """
    iris = IRIs.under(base)
    if input_format == "lines":
        if path == "-":
            lines = sys.stdin.read().split("\n")
        else:
            p = Path(path)
            if not p.is_file():
                raise InputError(Errors.E001.format(path=path))
            text, _ = decode(p.read_bytes(), str(p))
            lines = text.split("\n")
        names = only or TEXT_EXTRACTORS
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            mentions = extract_article(analyse(line_article(i, line)), names).mentions
            for m in sorted(drop_overlaps(mentions), key=lambda m: (m.start, m.end)):
                yield _record(m, i, iris)
        return
    for item in iter_documents([path], input_format=input_format):
        if isinstance(item, Skip):
            raise InputError(item.reason)
        _, extraction = process_document(item, only)
        for m in sorted(drop_overlaps(extraction.mentions), key=lambda m: (m.article_id, m.start, m.end)):
            yield _record(m, m.article_id, iris)


def _record(m, doc, iris: IRIs) -> dict:
    return {"text": m.text, "type": str(m.label), "start": m.start, "end": m.end, "entity": str(iris.entity(m.key)),
            "name": m.name, "doc": doc}
