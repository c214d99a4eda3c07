"""The output folder changes as a whole: a build writes a new generation beside it and switches in one rename.

:class:`Generation` holds a lock beside the output folder (two builds into one folder do not
interleave), gives the build a staging folder beside it, and on :meth:`Generation.commit`
swaps the staging folder with the output folder (``renameat2(RENAME_EXCHANGE)`` where the
system has it: one atomic step; else two renames), keeping the output folder's path and
the page cache inside it. A build that fails, or is interrupted, before the switch leaves the
previous output as it was and removes its staging folder.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import shutil
import tempfile
from pathlib import Path

from kg.errors import Errors, OutputError

log = logging.getLogger(__name__)

#: What a build writes into its output folder; a folder holding anything else is updated file by file.
OURS = frozenset({
    "graph.ttl", "graph.trig", "graph.nq", "graph.nt", "graph.jsonld", "graph.rdf", "graph.html", "graph.gexf",
    "report.json", "void.ttl", "store", "cache", "mentions.jsonl",
})


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where not supported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def no_space(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


class Generation:
    """A build's next output folder: staged beside ``output``, locked, switched in by :meth:`commit`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with Generation(out) as gen:
    ...     _ = (gen.stage / "report.json").write_text("{}")
    ...     gen.commit()
    >>> sorted(p.name for p in out.iterdir())
    ['report.json']
    """

    def __init__(self, output: str | os.PathLike, *, keep: tuple[str, ...] = ("cache",)) -> None:
        self.output = Path(output)
        self.keep = keep
        self.stage: Path = self.output
        self._lock_fd: int | None = None
        self._committed = False

    @property
    def lock_path(self) -> Path:
        return self.output.parent / f".{self.output.name}.lock"

    def __enter__(self) -> "Generation":
        out = self.output
        if out.exists() and not out.is_dir():
            raise OutputError(Errors.E054.format(path=out))
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            self._lock()
            self.stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".new", dir=out.parent))
            os.chmod(self.stage, 0o777 & ~_umask())
        except OSError as exc:
            self._unlock()
            if no_space(exc):
                raise OutputError(Errors.E052.format(path=out)) from exc
            raise OutputError(Errors.E050.format(path=out, why=exc.strerror or exc)) from exc
        return self

    def _lock(self) -> None:
        import fcntl

        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise OutputError(Errors.E053.format(path=self.output, lock=self.lock_path)) from exc
            raise
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the lock; the file stays, an unlocked file is no lock
            self._lock_fd = None

    def commit(self) -> None:
        """Put the staged folder in place of the output folder (what it keeps, such as the cache, moved over)."""
        out, stage = self.output, self.stage
        try:
            if out.is_dir():
                foreign = sorted(p.name for p in out.iterdir() if p.name not in OURS)
                for name in self.keep:
                    if (out / name).exists() and not (stage / name).exists():
                        os.replace(out / name, stage / name)
                if foreign:
                    self._replace_each(foreign)
                    return
                if not _exchange(stage, out):
                    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
                    os.replace(out, old / out.name)
                    os.replace(stage, out)
                    stage = old
            else:
                os.replace(stage, out)
                stage = None
        except OSError as exc:
            if no_space(exc):
                raise OutputError(Errors.E052.format(path=out)) from exc
            raise OutputError(Errors.E050.format(path=out, why=exc.strerror or exc)) from exc
        self._committed = True
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)  # the previous generation

    def _replace_each(self, foreign: list[str]) -> None:
        """A folder that holds files of its own: replace ours one by one (each atomically), report last."""
        out, stage = self.output, self.stage
        log.debug("%s holds %s: output files replaced one by one", out, ", ".join(foreign[:3]))
        names = sorted((p.name for p in stage.iterdir()), key=lambda n: n == "report.json")
        for name in names:
            target = out / name
            if target.is_dir() and not target.is_symlink():
                old = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".old", dir=out))
                os.replace(target, old / name)
                os.replace(stage / name, target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(stage / name, target)
        for name in OURS - set(names) - set(self.keep):
            p = out / name
            if p.is_file():
                p.unlink()
        self._committed = True
        shutil.rmtree(stage, ignore_errors=True)

    def __exit__(self, *exc) -> None:
        if not self._committed and self.stage != self.output:
            shutil.rmtree(self.stage, ignore_errors=True)
        self._unlock()  # the lock file stays: removing it could let two builds lock different files
