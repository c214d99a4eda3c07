"""The lexicons' data: tab-separated files in ``kg/lexicon/data/``, read once per process.

Each file holds one entry per line, with the columns ``name``, ``kind``, ``other`` (other
names: short forms, abbreviations; ``|`` between them), ``parent`` and ``source``. Lines
starting with ``#`` are comments; ``#@source KEY: text`` says where the entries of source
``KEY`` come from, and every entry's source must be one of them. The modules of
:mod:`kg.lexicon` derive their tables (inverses, patterns) from these entries in code.

Examples
--------
>>> e = entries("state.tsv")[0]
>>> e.name, e.kind, e.other[:1], e.source
('中共中央', 'party', ('党中央',), 'party')
>>> "王" in names("names.tsv", "surname")
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from kg.errors import Errors, LexiconError

#: Where the data files are (package data).
DATA = Path(__file__).resolve().parent / "data"
COLUMNS = ("name", "kind", "other", "parent", "source")


@dataclass(frozen=True)
class Entry:
    """One entry of a lexicon file."""

    name: str
    kind: str
    other: tuple[str, ...] = ()
    parent: str = ""
    source: str = ""


@functools.lru_cache(maxsize=None)
def read(file: str) -> tuple[tuple[Entry, ...], dict[str, str]]:
    """The entries of ``DATA/file`` in file order, and its sources (key -> text).

    Raises
    ------
    LexiconError
        The file is missing, has no header, a line has the wrong number of columns, an empty
        name or kind, or a source the file does not describe (E220).
    """
    path = DATA / file
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(Errors.E220.format(path=path, line=0, why=exc)) from exc
    sources: dict[str, str] = {}
    out: list[Entry] = []
    header = False
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            if line.startswith("#@source "):
                key, _, text = line[len("#@source "):].partition(":")
                sources[key.strip()] = text.strip()
            continue
        cols = line.split("\t")
        if not header:
            if tuple(cols) != COLUMNS:
                raise LexiconError(Errors.E220.format(path=path, line=n, why=f"header is not {' '.join(COLUMNS)}"))
            header = True
            continue
        if len(cols) != len(COLUMNS):
            raise LexiconError(Errors.E220.format(path=path, line=n, why=f"{len(cols)} columns, not {len(COLUMNS)}"))
        name, kind, other, parent, source = cols
        if not name or not kind:
            raise LexiconError(Errors.E220.format(path=path, line=n, why="empty name or kind"))
        if source not in sources:
            raise LexiconError(Errors.E220.format(path=path, line=n, why=f"source {source!r} is not described"))
        out.append(Entry(name, kind, tuple(x for x in other.split("|") if x), parent, source))
    if not header:
        raise LexiconError(Errors.E220.format(path=path, line=0, why="no header"))
    return tuple(out), sources


def entries(file: str, *kinds: str) -> tuple[Entry, ...]:
    """The entries of ``file`` (of these ``kinds`` when given), in file order."""
    rows = read(file)[0]
    return rows if not kinds else tuple(e for e in rows if e.kind in kinds)


def names(file: str, *kinds: str) -> tuple[str, ...]:
    """The names of the entries of ``file`` of these ``kinds``, in file order, each once."""
    return tuple(dict.fromkeys(e.name for e in entries(file, *kinds)))
