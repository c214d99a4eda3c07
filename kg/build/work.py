"""The per-page work of a build, the same in this process, in a worker process or on a Dask worker."""

from __future__ import annotations

import logging
from typing import Sequence

from kg.extract import Extraction, extract_page, names
from kg.extract.nlp import lac
from kg.model import Document, Page
from kg.segment.layout import segment

log = logging.getLogger(__name__)


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


def init_worker(threads: int = 1) -> None:
    """Load the NER model once in this worker and keep it to ``threads`` CPU threads.

    A worker is one core: onnxruntime's default of one thread per core makes
    N workers fight over N cores.
    """
    model = lac()
    names()  # import every extractor module once
    session = getattr(model, "_session", None)
    if threads and session is not None and getattr(model, "_kg_threads", None) != threads:
        try:
            import onnxruntime as ort

            opts = ort.SessionOptions()
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            model._session = ort.InferenceSession(session._model_path, sess_options=opts, providers=session.get_providers())
            model._kg_threads = threads
        except Exception as exc:  # pragma: no cover - keep the model as loaded
            log.debug("cannot limit LAC to %d thread(s): %s", threads, exc)
