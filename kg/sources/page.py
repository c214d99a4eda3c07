"""The ``page`` reader: a newspaper page as plain text, with optional JSON sidecar metadata."""

from __future__ import annotations

from typing import Iterator

from kg.model import Document, Skip
from kg.sources.common import Source, merge_meta, read_sidecar, register


@register("page", extensions=(".txt",))
def read_page(text: str, src: Source) -> Iterator[Document | Skip]:
    """A layout page holding several articles (segmented later by kg.segment.layout).

    Metadata comes from ``page.json`` or ``<stem>.json`` beside the file
    (``publisher``, ``date``, ``page``, ``column``, ``section``, ``url``), over
    the defaults in ``src.meta``.

    Examples
    --------
    >>> doc, = read_page("●观 点\\n正文", Source("07.txt", "07"))
    >>> doc.layout, doc.id, doc.text
    ('page', '07', '●观 点\\n正文')
    """
    warnings: list[str] = []
    meta = read_sidecar(src.path, warnings) if src.path else None
    yield Document(
        id=src.id,
        layout="page",
        text=text,
        path=src.path,
        format="page",
        meta=merge_meta(src.meta, meta) if meta else src.meta,
        warnings=src.warnings + tuple(warnings),
    )
