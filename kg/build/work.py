"""The per-page work of a build, the same in this process, in a worker process or on a Dask worker.

Engines hand a worker a chunk of documents (:func:`process_documents`), so LAC reads the
sentences of many pages in one batch.
"""

from __future__ import annotations

from typing import Sequence

from kg.extract import Extraction, extract_page, names
from kg.extract.extraction import page_words
from kg.extract.nlp import runner
from kg.model import Document, Page
from kg.rdf.graph import page_part
from kg.rdf.serialize import Part
from kg.resolve import keep
from kg.segment.layout import segment


def process_document(doc: Document, only: Sequence[str] | None = None) -> tuple[Page, Extraction]:
    """Segment one document and extract the records of its articles: a pure function of ``doc``.

    Examples
    --------
    >>> page, x = process_document(Document("p", "page", "标题\\n\\n张三\\n\\n正文。"))
    >>> page.id, len(page.articles), [m.name for m in x.mentions]
    ('p', 1, ['张三'])
    """
    page = segment(doc)
    return page, (extract_page(page, only) if page.articles else Extraction())


def process_documents(docs: Sequence[Document], only: Sequence[str] | None = None) -> list[tuple[Page, Extraction]]:
    """:func:`process_document` of each document, the sentences of all of them tagged by LAC in one batch.

    The results are those of :func:`process_document` on each document; the batch only lets
    the model read many sentences per call. This is the work an engine runs per chunk.

    Examples
    --------
    >>> docs = [Document(f"p{i}", "page", f"标题{i}\\n\\n张三\\n\\n正文。") for i in range(2)]
    >>> process_documents(docs) == [process_document(d) for d in docs]
    True
    """
    pages = [segment(doc) for doc in docs]
    words = iter(page_words([p for p in pages if p.articles]))
    return [(page, extract_page(page, only, words=next(words)) if page.articles else Extraction()) for page in pages]


def render_documents(docs: Sequence[Document], only: Sequence[str] | None = None,
                     base: str | None = None) -> list[tuple[Page, Extraction, Part | None]]:
    """:func:`process_documents`, each page also rendered into its part of the graph files
    (:func:`kg.rdf.graph.page_part` of the records resolution keeps), so the workers write too.

    Examples
    --------
    >>> [(p.id, part.quads > 0) for p, _, part in render_documents([Document("p", "page", "标题\\n\\n张三\\n\\n正文。")])]
    [('p', True)]
    """
    return [(page, x, page_part(page, keep(x), base=base) if page.articles else None)
            for page, x in process_documents(docs, only)]


def init_worker(threads: int = 1) -> None:
    """Load the NER model once in this worker and keep it to ``threads`` CPU threads.

    A worker is one core: onnxruntime's default of one thread per core makes
    N workers fight over N cores.
    """
    runner(threads=threads or None)
    names()  # import every extractor module once
