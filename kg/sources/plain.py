"""The ``plain`` reader: one article per text file, its title on the first non-empty line."""

from __future__ import annotations

from typing import Iterator

from kg.model import Document, Skip
from kg.sources.common import Source, article, read_sidecar, record_error, register, strip_blank_lines


@register("plain", extensions=(".text",))
def read_plain(text: str, src: Source) -> Iterator[Document | Skip]:
    """One article: title on the first non-empty line, body the rest.

    The body is kept as it is, less leading and trailing blank lines. A file
    with a title and no body is skipped (``E007``).

    Examples
    --------
    >>> doc, = read_plain("\\n坚持育用结合\\n\\n正文一\\n正文二\\n", Source("a.text", "a"))
    >>> doc.title, doc.text, doc.layout
    ('坚持育用结合', '正文一\\n正文二', 'article')
    """
    lines = text.split("\n")
    n = next(i for i, line in enumerate(lines) if line.strip())  # decode() refuses blank files
    body = strip_blank_lines("\n".join(lines[n + 1 :]))
    if not body:
        yield record_error(src, n + 1, "a title and no body")
        return
    warnings: list[str] = []
    meta = read_sidecar(src.path, warnings) if src.path else None
    yield article(src, "plain", lines[n].strip(), body, meta=meta, warnings=warnings)
