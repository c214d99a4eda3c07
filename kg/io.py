"""Atomic output: write to a temporary file beside the target, then rename."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from kg.errors import Errors, OutputError

#: The file that marks a folder as the output of ``kg build`` (:mod:`kg.pipeline.output`); input walks leave such folders out.
OUTPUT_MARKER = ".newskg-output"


def no_space(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or the user's quota) is full, by its errno or, for the errors the
    store's database raises without one, by its words.

    Examples
    --------
    >>> no_space(OSError(errno.ENOSPC, "No space left on device")), no_space(OSError("IO error: No space left on device"))
    (True, True)
    >>> no_space(OSError(errno.EACCES, "Permission denied"))
    False
    """
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc)
    return "No space left on device" in text or "Disk quota exceeded" in text


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file that replaces ``path`` only when the block succeeds.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_write(p) as f:
    ...     _ = f.write("done")
    >>> p.read_text()
    'done'
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(Errors.E050.format(path=path, why=exc.strerror or exc)) from exc
    if "b" in mode:
        encoding = None
    try:
        with os.fdopen(fd, mode, encoding=encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_write(path) as f:
        f.write(text)
