"""The output folder changes as a whole: a build writes a new generation beside it and switches in one rename.

:class:`Generation` holds a lock beside the output folder (two builds into one folder do not
interleave), gives the build a staging folder beside it, and on :meth:`Generation.commit`
swaps the staging folder with the output folder (``renameat2(RENAME_EXCHANGE)`` where the
system has it: one atomic step; else two renames), keeping the output folder's path and
the page cache inside it. A build that fails, or is interrupted, before the switch leaves the
previous output as it was and removes its staging folder; the staging folders of builds that
were killed are removed by the next build into the same folder, under its lock.

Nothing a build did not write is removed or replaced. A build writes a marker file,
:data:`MARKER`, into every output folder with the names of what it wrote there; a folder
that is neither empty nor marked is refused before any work ([E056]), and a marked folder
that holds files of its own keeps them: only the names the marker lists are replaced, and a
file of the user's named like one the build would write is refused as well.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from kg.errors import Errors, OutputError
from kg.io import OUTPUT_MARKER, no_space

log = logging.getLogger(__name__)

#: The file that marks a folder as the output of ``kg build`` and lists what the build wrote there.
MARKER = OUTPUT_MARKER

#: What a build may write into its output folder (a marker lists those it did write).
OURS = frozenset({
    "graph.ttl", "graph.trig", "graph.nq", "graph.nt", "graph.jsonld", "graph.rdf", "graph.html", "graph.gexf",
    "report.json", "void.ttl", "store", "cache", "mentions.jsonl",
})

#: Attempts at taking the lock when another build removes its lock file meanwhile.
_LOCK_ATTEMPTS = 20
#: Names shown when a folder is refused.
_SHOWN = 3


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


def written_by_kg(folder: str | os.PathLike) -> frozenset[str] | None:
    """The names a build wrote into ``folder`` by its marker, or None when no build marked it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> written_by_kg(d) is None
    True
    >>> _ = (d / MARKER).write_text('{"tool": "newskg", "files": ["graph.ttl"]}')
    >>> sorted(written_by_kg(d))
    ['graph.ttl']
    """
    path = Path(folder) / MARKER
    try:
        if not path.is_file():
            return None
        with open(path, "rb") as f:
            data = json.loads(f.read(1 << 16).decode("utf-8"))
        names = data["files"] if isinstance(data, dict) and data.get("tool") == "newskg" else None
    except (OSError, ValueError, KeyError):
        return None
    if not isinstance(names, list):
        return None
    # only names a build writes count, whatever a marker says: a forged marker cannot make us delete other files
    return frozenset(n for n in names if isinstance(n, str) and n in OURS)


def _write_marker(folder: Path, names: Iterable[str]) -> None:
    data = json.dumps({"tool": "newskg", "files": sorted(set(names) & OURS)}) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f"{MARKER}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, folder / MARKER)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _listing(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except FileNotFoundError:
        return []


class Generation:
    """A build's next output folder: staged beside ``output``, locked, switched in by :meth:`commit`.

    ``output`` may be a symbolic link to a folder: the build writes into the folder it points
    at and the link stays. ``writes`` names what the build may write (the clash check: a
    file of the user's by one of these names refuses the build before any work).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with Generation(out, writes=("report.json",)) as gen:
    ...     _ = (gen.stage / "report.json").write_text("{}")
    ...     gen.commit()
    >>> sorted(p.name for p in out.iterdir())
    ['.newskg-output', 'report.json']
    >>> sorted(p.name for p in out.parent.iterdir())  # no lock, no staging folder left beside it
    ['out']
    """

    def __init__(self, output: str | os.PathLike, *, keep: tuple[str, ...] = ("cache",),
                 writes: Iterable[str] = ()) -> None:
        self.output = Path(output)
        self.target = Path(os.path.realpath(self.output))  # where a link to a folder points
        self.keep = keep
        self.writes = frozenset(writes)
        self.stage: Path = self.target
        self._lock_fd: int | None = None
        self._committed = False
        self._created = False

    @property
    def lock_path(self) -> Path:
        return self.target.parent / f".{self.target.name}.lock"

    def check(self) -> frozenset[str]:
        """Refuse an output that is a file ([E054]) or a folder of someone else's ([E056]); return what
        a build wrote there before (nothing for a new or empty folder)."""
        out = self.target
        if out.exists() and not out.is_dir():
            raise OutputError(Errors.E054.format(path=self.output))
        names = [n for n in _listing(out) if n != MARKER]
        ours = written_by_kg(out)
        if ours is None:
            if names or (out / MARKER).exists():
                raise OutputError(Errors.E056.format(path=self.output, names=_names(names)))
            return frozenset()
        clash = [n for n in names if n not in ours and n in self.writes]
        if clash:
            raise OutputError(Errors.E057.format(path=self.output, names=_names(clash)))
        return ours

    def __enter__(self) -> "Generation":
        out = self.target
        if out == out.parent:  # / : never an output folder, whatever it holds
            raise OutputError(Errors.E056.format(path=self.output, names="(the root of the file system)"))
        self.check()  # before anything is created
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            self._lock()
            ours = self.check()  # again, under the lock
            self._remove_stale()
            if not out.exists():
                out.mkdir()
                self._created = True
            # new or empty: ours from now on; and the page cache may be made in it before the switch
            claim = ours | {name for name in self.keep if name in self.writes and not (out / name).exists()}
            if written_by_kg(out) is None or claim != ours:
                _write_marker(out, claim)
            self.stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".new", dir=out.parent))
            _write_marker(self.stage, ())  # a staging folder is known as ours by its marker
            os.chmod(self.stage, 0o777 & ~_umask())
        except OSError as exc:
            self._abandon()
            if no_space(exc):
                raise OutputError(Errors.E052.format(path=self.output)) from exc
            raise OutputError(Errors.E050.format(path=self.output, why=exc.strerror or exc)) from exc
        except BaseException:
            self._abandon()
            raise
        return self

    def _lock(self) -> None:
        """Take the lock file beside the output folder; [E053] when another build holds it.

        The lock file is removed when the build ends, so a build that opened it just before
        may lock a file that is gone: it checks that the file it locked is the one at the path,
        and tries again otherwise.
        """
        import fcntl

        for _ in range(_LOCK_ATTEMPTS):
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EAGAIN, errno.EACCES):
                    raise OutputError(Errors.E053.format(path=self.output, lock=self.lock_path)) from exc
                raise
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.lock_path, follow_symlinks=False))
            except FileNotFoundError:
                same = False
            if same:
                self._lock_fd = fd
                return
            os.close(fd)
        raise OutputError(Errors.E053.format(path=self.output, lock=self.lock_path))

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.lock_path)  # while it is held: a build waiting on it sees it gone and starts again
            os.close(self._lock_fd)
            self._lock_fd = None

    def _remove_stale(self) -> None:
        """Remove the staging folders (``.NAME.*.new``, ``.NAME.*.old``) of builds that were killed:
        under the lock no other build is using one. Only folders our marker names as ours go."""
        out = self.target
        for name in _listing(out.parent):
            if not (name.startswith(f".{out.name}.") and name.endswith((".new", ".old"))):
                continue
            path = out.parent / name
            if path.is_symlink() or not path.is_dir():
                continue
            inner = path / out.name if name.endswith(".old") else path
            if written_by_kg(inner) is not None or (name.endswith(".old") and not _listing(path)):
                log.info("%s: staging folder of an interrupted build; removed", path)
                shutil.rmtree(path, ignore_errors=True)

    def commit(self) -> None:
        """Put the staged folder in place of the output folder (what it keeps, such as the cache, moved over)."""
        out, stage = self.target, self.stage
        try:
            ours = self.check()
            names = [n for n in _listing(out) if n != MARKER]
            for name in self.keep:
                if name in ours and (out / name).exists() and not (stage / name).exists():
                    os.replace(out / name, stage / name)
            written = [n for n in _listing(stage) if n != MARKER]
            foreign = [n for n in names if n not in ours and n not in self.keep]
            if foreign:
                self._replace_each(ours, written)
                return
            _write_marker(stage, written)
            if not _exchange(stage, out):
                old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
                os.replace(out, old / out.name)
                os.replace(stage, out)
                stage = old
        except OSError as exc:
            if no_space(exc):
                raise OutputError(Errors.E052.format(path=self.output)) from exc
            raise OutputError(Errors.E050.format(path=self.output, why=exc.strerror or exc)) from exc
        self._committed = True
        shutil.rmtree(stage, ignore_errors=True)  # the previous generation: only what builds wrote

    def _replace_each(self, ours: frozenset[str], written: list[str]) -> None:
        """A marked folder that holds files of the user's: replace ours one by one (each atomically),
        the report and the marker last; remove what the last build wrote and this one did not."""
        out, stage = self.target, self.stage
        log.debug("%s holds files of its own: output files replaced one by one", out)
        for name in sorted(written, key=lambda n: n == "report.json"):
            target = out / name
            if target.is_dir() and not target.is_symlink():
                old = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".old", dir=out))
                os.replace(target, old / name)
                os.replace(stage / name, target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(stage / name, target)
        for name in sorted(ours - set(written) - set(self.keep)):
            p = out / name
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            elif p.exists() or p.is_symlink():
                p.unlink()
        kept = [n for n in self.keep if (out / n).exists() and (n in ours or n in written)]
        _write_marker(out, [*written, *kept])
        self._committed = True
        shutil.rmtree(stage, ignore_errors=True)

    def _abandon(self) -> None:
        """Undo what a build that did not switch made: its staging folder, and an output folder it
        created that holds nothing yet."""
        if not self._committed and self.stage != self.target:
            shutil.rmtree(self.stage, ignore_errors=True)
            self.stage = self.target
        if self._created and not self._committed and _listing(self.target) == [MARKER]:
            with contextlib.suppress(OSError):
                os.unlink(self.target / MARKER)
                os.rmdir(self.target)
        self._unlock()

    def __exit__(self, *exc) -> None:
        self._abandon()


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")
