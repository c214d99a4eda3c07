"""Instance IRIs: ``id/`` + type folder + the name (percent-encoded only where an IRI needs it), or a short digest."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import quote, unquote

from rdflib import URIRef

from kg.ids import short_hash
from kg.model import Ref
from kg.rdf.labels import info
from kg.rdf.vocab import ID, PREFIXES, RDF

#: Prefixes IRIs are shown with (tables, the view, validation reports): the contract's, rdf and id.
DISPLAY_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()} | {"rdf": str(RDF), "id": str(ID)}


#: Code points an IRI path may hold as they are (RFC 3987 ``iunreserved``): ASCII letters,
#: digits and ``-._~``, and the ``ucschar`` ranges. Spaces, controls, format characters,
#: private-use and unassigned code points are percent-encoded all the same.
_UCSCHAR = ((0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF), (0x10000, 0xEFFFD))
_ASCII_OK = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _keep(c: str) -> bool:
    if c in _ASCII_OK:
        return True
    o = ord(c)
    if not any(lo <= o <= hi for lo, hi in _UCSCHAR) or (o & 0xFFFF) >= 0xFFFE:
        return False
    return unicodedata.category(c) not in ("Zs", "Zl", "Zp", "Cc", "Cf", "Co", "Cs", "Cn")


def slug(name: str) -> str:
    """A name as one IRI path segment, readable: Chinese stays as it is, what an IRI cannot
    hold (``/``, ``#``, ``%``, spaces, quotes, controls …) is percent-encoded. Stable and
    reversible (:func:`urllib.parse.unquote`), so the IRI a user sees is the IRI to query.

    Examples
    --------
    >>> slug("山东"), slug("A/B 100%")
    ('山东', 'A%2FB%20100%25')
    """
    name = name.strip()
    if _PLAIN.match(name):
        return name
    return "".join(c if _keep(c) else quote(c, safe="") for c in name)


#: Names made only of characters every IRI holds as they are (the common case, checked at once).
_PLAIN = re.compile(r"[A-Za-z0-9\-._~\u3400-\u4dbf\u4e00-\u9fff]*\Z")


@dataclass(frozen=True)
class IRIs:
    """Instance IRIs under one base: every IRI the graph mints is made here.

    Examples
    --------
    >>> from kg.model import Ref
    >>> iris = IRIs()
    >>> str(iris.entity(Ref("Person", "张三")))
    'https://w3id.org/newskg/id/person/张三'
    >>> str(iris.span("a1", 0, 2))
    'https://w3id.org/newskg/id/context/a1#char=0,2'
    """

    base: str = str(ID)
    make: Callable[[str], Any] = URIRef  # the term made of an IRI: rdflib's URIRef, or pyoxigraph's NamedNode

    def page(self, pid: str):
        return self.make(f"{self.base}page/{slug(pid)}")

    def article(self, aid: str):
        return self.make(f"{self.base}article/{slug(aid)}")

    def context(self, aid: str):
        return self.make(f"{self.base}context/{slug(aid)}")

    def span(self, aid: str, start: int, end: int):
        return self.make(f"{self.base}context/{slug(aid)}#char={start},{end}")

    def section(self, aid: str, n: int):
        return self.make(f"{self.base}article/{slug(aid)}/section/{n}")

    def graph(self, aid: str):
        return self.make(f"{self.base}graph/{slug(aid)}")

    def entity(self, ref: Ref):
        return self.make(f"{self.base}{info(ref.label).folder}/{slug(ref.name)}")

    def extractor(self, name: str):
        return self.make(f"{self.base}extractor/{slug(name)}")

    def role(self, label: str):
        return self.make(f"{self.base}role/{slug(label)}")

    def actor(self, name: str):
        return self.make(f"{self.base}actor/{slug(name)}")

    def of(self, folder: str, *parts: object):
        return self.make(f"{self.base}{folder}/{short_hash(*parts)}")

    def scoped(self) -> tuple[str, ...]:
        """Starts of the IRIs minted for one article alone: its node and sections, its text and
        spans, and its facts, measures and statements (their digests include the article id)."""
        return tuple(f"{self.base}{folder}/" for folder in ("article", "context", "fact", "measure", "statement"))

    @classmethod
    def under(cls, base: str | None, make: Callable[[str], Any] = URIRef) -> "IRIs":
        """IRIs under ``base`` (the default base when None), made by ``make``."""
        return cls(str(base) if base else str(ID), make)


def display_prefixes(extra: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(prefix, namespace) pairs for showing IRIs, one per namespace, the longest namespace first."""
    table = dict(DISPLAY_PREFIXES)
    if extra:
        table.update({k: v for k, v in extra.items() if k and v})
    # one name per namespace; longest namespace first so the most specific wins
    by_ns: dict[str, str] = {}
    for name, ns in table.items():
        by_ns.setdefault(ns, name)
    return sorted(((name, ns) for ns, name in by_ns.items()), key=lambda p: -len(p[1]))


def short_name(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """A readable prefixed name for ``iri``: ``schema:Person``, ``id:person/李小华``.

    Percent-encoded local parts are decoded; IRIs under no known namespace are
    written ``<iri>``.

    Examples
    --------
    >>> short_name("https://schema.org/Person")
    'schema:Person'
    >>> short_name("https://w3id.org/newskg/id/person/%E5%BC%A0")
    'id:person/张'
    >>> short_name("urn:x")
    '<urn:x>'
    """
    return shorten(iri, display_prefixes(prefixes))


def shorten(iri: str, table: list[tuple[str, str]]) -> str:
    """``iri`` under the first namespace of ``table`` that holds it, else ``<iri>``."""
    for name, ns in table:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{name}:{unquote(iri[len(ns):])}"
    return f"<{iri}>"
