"""RDF files of a build, written by pyoxigraph's serializers from quads in a stable order.

The same quads give the same bytes: quads are sorted (by graph, then as N-Quads lines),
prefix declarations are our own sorted header, and a file is written atomically.
A build writes its files part by part (:class:`GraphFiles`); :func:`serialize` writes a
whole graph at once, for an rdflib ``Dataset`` as well as for pyoxigraph quads.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Sequence

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.io import atomic_write
from kg.rdf.read import parse_data, read_quads
from kg.rdf.terms import DEFAULT, to_ox
from kg.rdf.vocab import PREFIXES, RDF

__all__ = ["FORMATS", "DEFAULT_FORMATS", "PREFIX_TABLE", "Part", "GraphFiles", "render", "serialize", "write"]

#: format name -> (file name, pyoxigraph format)
FORMATS = {
    "ttl": ("graph.ttl", ox.RdfFormat.TURTLE),
    "trig": ("graph.trig", ox.RdfFormat.TRIG),
    "nq": ("graph.nq", ox.RdfFormat.N_QUADS),
    "nt": ("graph.nt", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("graph.jsonld", ox.RdfFormat.JSON_LD),
    "rdfxml": ("graph.rdf", ox.RdfFormat.RDF_XML),
}

#: What :class:`GraphFiles` writes part by part (the others are converted from these).
PART_FORMATS = ("ttl", "trig", "nq", "jsonld")

#: What ``kg build`` writes unless told otherwise.
DEFAULT_FORMATS = ("ttl", "trig", "nq", "jsonld")

#: The prefixes of the Turtle, TriG and RDF/XML files: the contract's and rdf.
PREFIX_TABLE = {p: str(ns) for p, ns in {**PREFIXES, "rdf": RDF}.items()}

_HEADER = "".join(sorted(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIX_TABLE.items())).encode("utf-8") + b"\n"


def _quad_key(q: ox.Quad) -> tuple[str, str]:
    return ("" if q.graph_name == DEFAULT else q.graph_name.value, str(q))


def _sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    return sorted(set(quads), key=_quad_key)


def _sorted_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    return sorted(set(triples), key=str)


def _body(data: Sequence, fmt: ox.RdfFormat) -> bytes:
    """Turtle or TriG of ``data`` with the prefixed names of the header and no prefix lines of its own."""
    if not data:
        return b""
    text = ox.serialize(data, format=fmt, prefixes=PREFIX_TABLE)
    lines = text.split(b"\n")
    i = 0
    while i < len(lines) and lines[i].startswith(b"@prefix "):
        i += 1
    return b"\n".join(lines[i:]).strip(b"\n") + b"\n"


def _jsonld(data: Sequence) -> bytes:
    """The objects of the JSON-LD array of ``data``, without the brackets, to join with those of other parts."""
    return ox.serialize(data, format=ox.RdfFormat.JSON_LD).strip()[1:-1] if data else b""


def _lines(data: Sequence, fmt: ox.RdfFormat) -> list[bytes]:
    return ox.serialize(data, format=fmt).splitlines(keepends=True) if data else []


@dataclass(frozen=True)
class Part:
    """What one page (or the corpus tail) adds to the graph files, rendered and ready to write.

    ``nq``, ``trig``, ``jsonld`` and ``ttl`` are the page's own part: its article graphs as
    N-Quads lines, TriG blocks and JSON-LD graph objects, and the triples only this page can have (those about its articles, their
    text, mentions, facts, measures and statements) in Turtle. ``default`` (N-Triples lines of
    default-graph triples) and ``shared`` (N-Triples lines of article-graph triples about
    things other pages also describe) may repeat across pages: the writer keeps the first.
    """

    nq: bytes = b""
    trig: bytes = b""
    ttl: bytes = b""
    jsonld: bytes = b""
    default: tuple[bytes, ...] = ()
    shared: tuple[bytes, ...] = ()
    quads: int = 0


def render(quads: Iterable[ox.Quad], local: tuple[str, ...] = ()) -> Part:
    """Render quads as a :class:`Part`; a named-graph triple whose subject IRI starts with one
    of ``local`` belongs to this part alone.

    Examples
    --------
    >>> from kg.rdf.terms import SCHEMA
    >>> s, g = ox.NamedNode("urn:x:article/1"), ox.NamedNode("urn:x:graph/1")
    >>> p = render([ox.Quad(s, SCHEMA.name, ox.Literal("一"), g), ox.Quad(s, SCHEMA.name, ox.Literal("一"))], ("urn:x:article/",))
    >>> p.nq.decode()
    '<urn:x:article/1> <https://schema.org/name> "一" <urn:x:graph/1> .\\n'
    >>> p.default, p.quads
    ((b'<urn:x:article/1> <https://schema.org/name> "\\xe4\\xb8\\x80" .\\n',), 2)
    """
    ordered = _sorted_quads(quads)
    named = [q for q in ordered if q.graph_name != DEFAULT]
    default = [q.triple for q in ordered if q.graph_name == DEFAULT]
    own, shared = [], []
    for q in named:
        (own if q.subject.value.startswith(local) else shared).append(q.triple)
    return Part(
        nq=b"".join(_lines(named, ox.RdfFormat.N_QUADS)),
        trig=_body(named, ox.RdfFormat.TRIG),
        ttl=_body(_sorted_triples(own), ox.RdfFormat.TURTLE),
        jsonld=_jsonld(named),
        default=tuple(_lines(default, ox.RdfFormat.N_TRIPLES)),
        shared=tuple(_lines(_sorted_triples(shared), ox.RdfFormat.N_TRIPLES)),
        quads=len(ordered),
    )


def _digest(line: bytes) -> bytes:
    return hashlib.blake2b(line, digest_size=12).digest()


class GraphFiles:
    """Turtle, TriG, N-Quads and JSON-LD written part by part: each part in the order given, each line once.

    Default-graph triples and shared triples seen in an earlier part are left out, so the
    files hold each triple (quad) once; memory holds a 12-byte digest of each of those, never
    the graph. Used as a context manager: the files appear (atomically) on a clean exit.
    """

    def __init__(self, out_dir: str | Path, formats: Iterable[str] = ("ttl", "trig", "nq")) -> None:
        self.out_dir = Path(out_dir)
        self.formats = [f for f in PART_FORMATS if f in set(formats)]
        self.quads = 0
        self._seen_default: set[bytes] = set()
        self._seen_union: set[bytes] = set()
        self._stack = contextlib.ExitStack()
        self._files: dict[str, IO[bytes]] = {}

    def __enter__(self) -> "GraphFiles":
        for f in self.formats:
            self._files[f] = self._stack.enter_context(atomic_write(self.out_dir / FORMATS[f][0], "wb", encoding=None))
        for f in ("ttl", "trig"):
            if f in self._files:
                self._files[f].write(_HEADER)
        if "jsonld" in self._files:
            self._files["jsonld"].write(b"[")
        self._jsonld_items = 0
        return self

    def __exit__(self, *exc) -> bool | None:
        if exc[0] is None and "jsonld" in self._files:
            self._files["jsonld"].write(b"]\n")
        return self._stack.__exit__(*exc)

    def _jsonld_add(self, items: bytes) -> None:
        if items:
            self._files["jsonld"].write((b",\n" if self._jsonld_items else b"\n") + items)
            self._jsonld_items += 1

    @property
    def paths(self) -> list[Path]:
        return [self.out_dir / FORMATS[f][0] for f in self.formats]

    def add(self, part: Part) -> None:
        """Write one part."""
        fresh_default = [line for line in part.default if self._fresh(self._seen_default, line)]
        self.quads += part.nq.count(b"\n") + len(fresh_default)
        files = self._files
        if "nq" in files:
            files["nq"].write(part.nq)
            files["nq"].write(b"".join(fresh_default))
        if "trig" in files:
            if fresh_default:
                files["trig"].write(_body(_parse_lines(fresh_default), ox.RdfFormat.TURTLE) + b"\n")
            if part.trig:
                files["trig"].write(part.trig + b"\n")
        if "jsonld" in files:
            if fresh_default:
                self._jsonld_add(_jsonld(_parse_lines(fresh_default)))
            self._jsonld_add(part.jsonld)
        if "ttl" in files:
            fresh = [line for line in (*fresh_default, *part.shared) if self._fresh(self._seen_union, line)]
            if part.ttl:
                files["ttl"].write(part.ttl + b"\n")
            if fresh:
                files["ttl"].write(_body(_sorted_triples(_parse_lines(fresh)), ox.RdfFormat.TURTLE) + b"\n")

    @staticmethod
    def _fresh(seen: set[bytes], line: bytes) -> bool:
        key = _digest(line)
        if key in seen:
            return False
        seen.add(key)
        return True


def _parse_lines(lines: Sequence[bytes]) -> list[ox.Triple]:
    return [q.triple for q in parse_data(b"".join(lines), ox.RdfFormat.N_TRIPLES)]


def convert(source: Path, target: Path, fmt: str) -> Path:
    """Write ``source`` (a graph file of this build) again as ``fmt``, streaming, atomically.

    N-Triples and RDF/XML are read from the Turtle file (the union of the graphs, each
    triple once), JSON-LD from a dataset file (N-Quads, TriG).
    """
    rdf_format = FORMATS[fmt][1]
    with atomic_write(target, "wb", encoding=None) as f:
        items = read_quads(source)
        if fmt in ("nt", "rdfxml"):
            items = (q.triple for q in items)
        ox.serialize(items, f, rdf_format, prefixes=PREFIX_TABLE if fmt == "rdfxml" else None)
    return target


def _as_quads(data) -> list[ox.Quad]:
    if isinstance(data, Graph):
        aware = getattr(data, "context_aware", False) and isinstance(data, Dataset)
        out = []
        if aware:
            for s, p, o, g in data.quads((None, None, None, None)):
                gid = getattr(g, "identifier", g)
                out.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(gid)))
        else:
            out = [ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in data]
        return out
    return list(data)


def serialize(data, fmt: str) -> str:
    """Text of a whole graph (pyoxigraph quads or an rdflib graph) in ``fmt``, the same bytes for the same quads.

    Examples
    --------
    >>> serialize([], "nq")
    ''
    >>> from kg.rdf.terms import SCHEMA
    >>> print(serialize([ox.Quad(ox.NamedNode("urn:s"), SCHEMA.name, ox.Literal("甲", language="zh"))], "ttl"), end="")
    @prefix dcterms: <http://purl.org/dc/terms/> .
    ...
    <urn:s> schema:name "甲"@zh .
    """
    if fmt not in FORMATS:
        raise ValueError(fmt)
    quads = _sorted_quads(_as_quads(data))
    if fmt in ("ttl", "nt", "rdfxml"):
        triples = _sorted_triples(q.triple for q in quads)
        if fmt == "ttl":
            return (_HEADER + _body(triples, ox.RdfFormat.TURTLE)).decode("utf-8")
        return ox.serialize(triples, format=FORMATS[fmt][1], prefixes=PREFIX_TABLE if fmt == "rdfxml" else None).decode("utf-8")
    if fmt == "trig":
        return (_HEADER + _body(quads, ox.RdfFormat.TRIG)).decode("utf-8")
    return ox.serialize(quads, format=FORMATS[fmt][1]).decode("utf-8") if quads else ""


def write(data, out_dir: str | Path, formats: Sequence[str] = DEFAULT_FORMATS) -> list[Path]:
    """Write each format of a whole graph to ``out_dir`` atomically; return the paths written."""
    out = []
    for fmt in formats:
        path = Path(out_dir) / FORMATS[fmt][0]
        with atomic_write(path) as f:
            f.write(serialize(data, fmt))
        out.append(path)
    return out
