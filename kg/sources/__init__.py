"""Input readers by name, files to Document records: page (.txt), plain (.text), markdown (.md), jsonl (.jsonl), html (.html)."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from pathlib import Path
from typing import Iterable, Iterator

from kg.errors import Errors, InputError, RecordError
from kg.io import OUTPUT_MARKER
from kg.model import Document, Meta, Skip
from kg.sources import html, jsonl, markdown, page, plain  # noqa: F401  (each registers its reader)
from kg.sources.common import READERS, Reader, Source, get_reader, path_id, reader_for, register, repair, shown
from kg.sources.decode import decode, read_text

__all__ = ["READERS", "Reader", "Source", "decode", "get_reader", "is_chinese", "iter_documents", "read_text", "reader_for", "register"]

log = logging.getLogger(__name__)


def iter_documents(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    input_format: str | None = None,
    strict: bool = False,
    meta: Meta | None = None,
    exclude: Iterable[str | os.PathLike] = (),
) -> Iterator[Document | Skip]:
    """Read input files and folders; yield one :class:`Document` per page or article, or a :class:`Skip`.

    Folders are walked recursively in sorted order, following symbolic links
    but never into a folder already seen (no loops); hidden files and folders
    are left out, and so are the ``.json`` sidecars of pages (``page.json``, or
    one named as a file beside it); any other file whose extension no reader
    takes (an image, a PDF) gives a ``Skip`` (``E141``). A file named explicitly
    is always read: with no reader for its extension it gives a ``Skip``
    (``E006``). A document that is not Chinese text (an English ``README.md``:
    fewer Chinese characters than a quarter of its Latin words, or none at all,
    :func:`is_chinese`) gives a ``Skip`` (``E140``). Each file that cannot be
    read, is empty, binary or undecodable gives a ``Skip`` whose ``reason`` is a
    one-line coded message; a bad record in a multi-record file gives a
    ``Skip`` with its line and the other records still come through. Document
    ids come from the path below the folder given (or from the file name) and
    are made unique within the call (``W005``).

    Parameters
    ----------
    paths : path or iterable of paths
        Files and folders.
    input_format : str, optional
        Reader name (``page``, ``plain``, ``markdown``, ``jsonl``, ``html``) for
        every file, instead of choosing by extension (folders still yield only
        files with an extension some reader takes).
    strict : bool
        Raise at the first ``Skip`` instead of yielding it.
    meta : Meta, optional
        Defaults (publisher, date, page …) under the metadata each file gives.
    exclude : paths, optional
        Folders never walked into (the output folder of the build that reads them). Folders
        that ``kg build`` wrote (they hold its marker file) are left out of every walk too.

    Returns
    -------
    iterator of Document or Skip
        In input order; files within a folder sorted by path.

    Raises
    ------
    InputError
        ``E001`` at once (before any file is read) if a path does not exist;
        with ``strict``, the reason of the first ``Skip`` (a ``RecordError``
        for a bad record).
    RegistryError
        ``E021`` at once if ``input_format`` names no reader.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "07.txt").write_text("●观 点\\n正文", encoding="utf-8")
    >>> _ = (d / "07.json").write_text('{"publisher": "工人日报", "page": "07"}', encoding="utf-8")
    >>> _ = (d / "empty.txt").write_bytes(b"")
    >>> _ = (d / "logo.png").write_bytes(b"\\x89PNG")
    >>> _ = (d / "README.md").write_text("# About\\n\\nThe pages of one day.", encoding="utf-8")
    >>> [(type(r).__name__, getattr(r, "id", "") or r.reason[:6]) for r in iter_documents([d])]
    [('Document', '07'), ('Skip', '[E140]'), ('Skip', '[E002]'), ('Skip', '[E141]')]
    >>> next(iter_documents(d, meta=Meta(date="2022-11-21"))).meta.page
    '7'
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    forced = get_reader(input_format) if input_format else None
    for p in paths:
        if not p.exists():
            raise InputError(Errors.E001.format(path=shown(p)))
    seen_dirs: set[tuple[int, int]] = set()
    for folder in exclude:
        try:
            st = os.stat(folder)
        except OSError:
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
    return _documents(paths, forced, strict, meta or Meta(), seen_dirs)


def _documents(paths: list[Path], forced: Reader | None, strict: bool, meta: Meta,
               seen_dirs: set[tuple[int, int]]) -> Iterator[Document | Skip]:
    seen_files: set[tuple[int, int]] = set()
    ids: set[str] = set()
    for arg in paths:
        if arg.is_dir():
            files = _walk(arg, seen_dirs)
            root = arg
        else:
            files = iter([(arg, "")])
            root = arg.parent
        for path, error in files:
            if error:
                results: Iterable[Document | Skip] = [Skip(shown(path), error)]
            else:
                try:
                    st = os.stat(path)
                    key = (st.st_dev, st.st_ino)
                except OSError:
                    key = None  # unreadable: _read gives the Skip
                if key in seen_files:
                    log.debug("%s: already read", path)
                    continue
                if key is not None:
                    seen_files.add(key)
                reader = forced or reader_for(path)
                if reader is None:
                    why = Errors.E006.format(path=shown(path), fmt=shown(path.suffix) or "(no extension)",
                                             choices=", ".join(READERS))
                    results = [Skip(shown(path), why)]
                else:
                    results = _read(path, root, reader, meta)
            for item in results:
                if isinstance(item, Skip):
                    if strict:
                        raise (RecordError if item.line else InputError)(item.reason)
                else:
                    item = repair(item)
                    if not is_chinese(item.title + "\n" + item.text):
                        item = _not_chinese(item)
                        if strict:
                            raise (RecordError if item.line else InputError)(item.reason)
                        yield item
                        continue
                    if item.id in ids:
                        item = _renamed(item, ids)
                ids.add(getattr(item, "id", ""))
                yield item


def _read(path: Path, root: Path, reader: Reader, meta: Meta) -> Iterator[Document | Skip]:
    name = shown(path)  # a name that is not UTF-8 (GBK on a UTF-8 system) with its bytes escaped
    log.debug("%s: reading as %s", name, reader.name)
    try:
        text, warnings = read_text(path, name)
    except InputError as exc:
        yield Skip(name, str(exc))
        return
    src = Source(name, path_id(name, shown(root)), dataclasses.replace(meta, source=name), warnings)
    try:
        yield from reader.read(text, src)
    except InputError as exc:
        yield Skip(name, str(exc), getattr(exc, "line", 0))


_CJK_CHARS = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LATIN_WORD = re.compile("[A-Za-z\u00c0-\u024f]+")


def is_chinese(text: str) -> bool:
    """Whether ``text`` is Chinese: it has Chinese characters, at least a quarter as many as words in Latin letters.

    Examples
    --------
    >>> is_chinese("会议强调，要加强 AI 治理。"), is_chinese("# About\\nThe pages of one day of the paper, with notes (新闻)."), is_chinese("2024-01-01")
    (True, False, False)
    """
    cjk = len(_CJK_CHARS.findall(text))
    return cjk > 0 and cjk * 4 >= len(_LATIN_WORD.findall(text))


def _not_chinese(doc: Document) -> Skip:
    where = f"{doc.path}:{doc.line}" if doc.line else doc.path or doc.id
    text = doc.title + "\n" + doc.text
    why = Errors.E140.format(path=where, cjk=len(_CJK_CHARS.findall(text)), words=len(_LATIN_WORD.findall(text)))
    return Skip(doc.path or doc.id, why, doc.line)


def _renamed(doc: Document, ids: set[str]) -> Document:
    n = 2
    while f"{doc.id}-{n}" in ids:
        n += 1
    new = f"{doc.id}-{n}"
    warning = Errors.W005.format(path=doc.path, old=doc.id, new=new)
    return dataclasses.replace(doc, id=new, warnings=doc.warnings + (warning,))


def _walk(top: Path, seen: set[tuple[int, int]]) -> Iterator[tuple[Path, str]]:
    """Files below ``top`` in sorted order, with an error message for folders that cannot be listed."""

    def listing(folder: Path):
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen:
                log.debug("%s: folder already walked (symbolic link loop?), or the build's output", folder)
                return None, ""
            seen.add((st.st_dev, st.st_ino))
            if folder != top and os.path.isfile(os.path.join(folder, OUTPUT_MARKER)):
                log.debug("%s: output of kg build; left out", folder)
                return None, ""
            with os.scandir(folder) as it:
                return iter(sorted(it, key=lambda e: e.name)), ""
        except OSError as exc:
            return None, Errors.E005.format(path=shown(folder), why=exc.strerror or type(exc).__name__)

    entries, error = listing(top)
    if error:
        yield top, error
    stack = [entries] if entries is not None else []
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            sub, error = listing(path)
            if error:
                yield path, error
            elif sub is not None:
                stack.append(sub)
        elif reader_for(path) is not None:
            yield path, ""
        elif _is_sidecar(path) or not _is_file(entry):
            log.debug("%s: metadata of the page beside it, or not a file; left out", path)
        else:
            yield path, Errors.E141.format(path=shown(path), fmt=shown(path.suffix) or "(no extension)",
                                           choices=", ".join(e for r in READERS.values() for e in r.extensions))


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_sidecar(path: Path) -> bool:
    """Whether ``path`` is the JSON metadata of the pages of its folder (``page.json``) or of the file named as it."""
    if path.suffix.lower() != ".json":
        return False
    return path.name == "page.json" or any(path.with_suffix(e).exists() for r in READERS.values() for e in r.extensions)
