"""The queries newskg ships (package data ``kg/store/queries/*.rq``): the questions users of this domain ask.

Each is a SPARQL file whose first comment line says what it answers, whose ``# @param`` lines
declare its parameters (see :func:`kg.store.sparql.declared_params`), and whose name is its
file name: ``kg query output/ person_posts --param person=张三``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import Errors, QueryError
from kg.store.sparql import Param, declared_params

__all__ = ["QUERIES_DIR", "Shipped", "find", "is_name", "listing", "shipped"]

#: The folder of the shipped queries, inside the package.
QUERIES_DIR = Path(__file__).resolve().parent / "queries"

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Shipped:
    """One shipped query: its ``name``, the one line of what it answers, its parameters and its text."""

    name: str
    summary: str
    params: tuple[Param, ...]
    text: str
    path: Path


def _summary(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            break
        words = line.lstrip("#").strip()
        if words and not words.startswith("@"):
            return words
    return ""


def shipped() -> tuple[Shipped, ...]:
    """Every shipped query, by name.

    Examples
    --------
    >>> "person_posts" in [q.name for q in shipped()]
    True
    """
    out = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        out.append(Shipped(path.stem, _summary(text), declared_params(text), text, path))
    return tuple(out)


def is_name(arg: str) -> bool:
    """Whether ``arg`` reads as the name of a query (a word: not a file, not SPARQL text).

    Examples
    --------
    >>> is_name("person_posts"), is_name("q.rq"), is_name("ASK {}")
    (True, False, False)
    """
    return bool(_NAME.fullmatch(arg))


def find(name: str) -> Shipped:
    """The shipped query called ``name``.

    Raises
    ------
    QueryError
        [E108] no shipped query has that name.

    Examples
    --------
    >>> [str(p) for p in find("person_posts").params]
    ['person@zh']
    """
    for query in shipped():
        if query.name == name:
            return query
    raise QueryError(Errors.E108.format(name=name, choices=", ".join(q.name for q in shipped())))


def listing() -> str:
    """The shipped queries as ``kg query --list`` prints them: name, what it answers, its parameters.

    Examples
    --------
    >>> print(listing().split("\\n\\n")[0])  # doctest: +ELLIPSIS
    article_measures_policies
      Which measures does each article propose, and which policies do they rely on?
    """
    blocks = []
    for query in shipped():
        lines = [query.name, f"  {query.summary}"]
        for p in query.params:
            lines.append(f"  --param {p.name}=…  {p.what}{' (required)' if p.required else ''}"
                         f"{' [a literal @' + p.lang + ']' if p.lang else ' [an IRI]' if p.iri else ''}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"

