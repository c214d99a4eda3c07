"""Instance IRIs: ``id/`` + type folder + percent-encoded name, or a short digest of what a node is made of."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from rdflib import Namespace, URIRef

from kg.ids import short_hash
from kg.model import Ref
from kg.rdf.labels import info
from kg.rdf.vocab import ID


def slug(name: str) -> str:
    """Percent-encoded name: stable, reversible, ASCII, valid in every RDF syntax.

    Examples
    --------
    >>> slug("山东")
    '%E5%B1%B1%E4%B8%9C'
    """
    return quote(name.strip(), safe="")


@dataclass(frozen=True)
class IRIs:
    """Instance IRIs under one base: every IRI the graph mints is made here.

    Examples
    --------
    >>> from kg.model import Ref
    >>> iris = IRIs()
    >>> str(iris.entity(Ref("Person", "张三")))
    'https://w3id.org/newskg/id/person/%E5%BC%A0%E4%B8%89'
    >>> str(iris.span("a1", 0, 2))
    'https://w3id.org/newskg/id/context/a1#char=0,2'
    """

    base: Namespace = ID

    def page(self, pid: str) -> URIRef:
        return self.base[f"page/{slug(pid)}"]

    def article(self, aid: str) -> URIRef:
        return self.base[f"article/{slug(aid)}"]

    def context(self, aid: str) -> URIRef:
        return self.base[f"context/{slug(aid)}"]

    def span(self, aid: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.context(aid)}#char={start},{end}")

    def section(self, aid: str, n: int) -> URIRef:
        return self.base[f"article/{slug(aid)}/section/{n}"]

    def graph(self, aid: str) -> URIRef:
        return self.base[f"graph/{slug(aid)}"]

    def entity(self, ref: Ref) -> URIRef:
        return self.base[f"{info(ref.label).folder}/{slug(ref.name)}"]

    def extractor(self, name: str) -> URIRef:
        return self.base[f"extractor/{slug(name)}"]

    def role(self, label: str) -> URIRef:
        return self.base[f"role/{slug(label)}"]

    def actor(self, name: str) -> URIRef:
        return self.base[f"actor/{slug(name)}"]

    def of(self, kind: str, *parts: object) -> URIRef:
        return self.base[f"{kind}/{short_hash(*parts)}"]

    @classmethod
    def under(cls, base: str | None) -> "IRIs":
        """IRIs under ``base`` (the default base when None)."""
        return cls(Namespace(base) if base else ID)
