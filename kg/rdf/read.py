"""The one graph reader: graph files and oxigraph store folders -> an rdflib Dataset, pyoxigraph quads or one Graph."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.errors import Errors, GraphParseError, InputError, one_line
from kg.rdf.vocab import PREFIXES

__all__ = [
    "GRAPH_FILES", "GRAPH_FORMATS", "GraphFormat", "existing_paths", "find_graph_file", "graph_format",
    "open_store_folder", "parse_data", "read_dataset", "read_into", "read_quads", "store_folder", "union",
]


@dataclass(frozen=True)
class GraphFormat:
    """How files of one suffix are read: the rdflib parser name and the pyoxigraph format."""

    rdflib: str
    oxigraph: ox.RdfFormat

    @property
    def named_graphs(self) -> bool:
        """Whether the format can hold named graphs (TriG, N-Quads, JSON-LD)."""
        return self.oxigraph.supports_datasets


_TURTLE = GraphFormat("turtle", ox.RdfFormat.TURTLE)
_TRIG = GraphFormat("trig", ox.RdfFormat.TRIG)
_NQUADS = GraphFormat("nquads", ox.RdfFormat.N_QUADS)
_NTRIPLES = GraphFormat("nt", ox.RdfFormat.N_TRIPLES)
_JSONLD = GraphFormat("json-ld", ox.RdfFormat.JSON_LD)
_N3 = GraphFormat("n3", ox.RdfFormat.N3)
_RDFXML = GraphFormat("xml", ox.RdfFormat.RDF_XML)

#: Graph file suffixes and how each is read, by rdflib and by pyoxigraph.
GRAPH_FORMATS: dict[str, GraphFormat] = {
    ".ttl": _TURTLE, ".turtle": _TURTLE,
    ".trig": _TRIG,
    ".nq": _NQUADS, ".nquads": _NQUADS,
    ".nt": _NTRIPLES, ".ntriples": _NTRIPLES,
    ".jsonld": _JSONLD, ".json": _JSONLD,
    ".n3": _N3,
    ".rdf": _RDFXML, ".xml": _RDFXML, ".owl": _RDFXML,
}

#: Files of a ``kg build`` folder that :func:`find_graph_file` picks, best first
#: (N-Quads parse fastest and keep graphs).
GRAPH_FILES = ("graph.nq", "graph.trig", "graph.ttl", "graph.nt", "graph.jsonld")

_STORE_MARKER = "CURRENT"  # a file every oxigraph (RocksDB) store folder holds


def existing_paths(path: str | os.PathLike | Sequence[str | os.PathLike]) -> list[Path]:
    """``path`` (one path or several) as a list of paths that exist.

    Raises
    ------
    InputError
        [E001] naming the first path that does not exist.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> [p.is_dir() for p in existing_paths(d)]
    [True]
    """
    paths = [Path(path)] if isinstance(path, (str, os.PathLike)) else [Path(p) for p in path]
    for p in paths:
        if not p.exists():
            raise InputError(Errors.E001.format(path=p))
    return paths


def graph_format(path: str | os.PathLike) -> GraphFormat:
    """How the graph file ``path`` is read, by its suffix (see ``GRAPH_FORMATS``).

    Raises
    ------
    InputError
        [E006] for a suffix not in ``GRAPH_FORMATS``.

    Examples
    --------
    >>> graph_format("output/graph.TTL").rdflib
    'turtle'
    >>> graph_format("g.nq").named_graphs
    True
    """
    path = Path(path)
    try:
        return GRAPH_FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(Errors.E006.format(path=path, fmt=path.suffix, choices=", ".join(GRAPH_FORMATS))) from None


def find_graph_file(path: str | os.PathLike) -> Path:
    """The graph file ``path`` names: itself, or the best ``graph.*`` of a ``kg build`` folder.

    A folder without such a file is returned as is (it may be an oxigraph store).

    Raises
    ------
    InputError
        [E001] when ``path`` does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("graph.ttl", "graph.nq"): _ = (d / name).write_text("")
    >>> find_graph_file(d).name
    'graph.nq'
    """
    (p,) = existing_paths(path)
    if p.is_dir():
        for name in GRAPH_FILES:
            if (p / name).is_file():
                return p / name
    return p


def store_folder(path: str | os.PathLike) -> Path | None:
    """The oxigraph store folder ``path`` is or holds (as ``path/store``), or None.

    Examples
    --------
    >>> import tempfile
    >>> store_folder(tempfile.mkdtemp()) is None
    True
    """
    path = Path(path)
    for cand in (path, path / "store"):
        if (cand / _STORE_MARKER).is_file():
            return cand
    return None


def open_store_folder(path: str | os.PathLike, *, read_only: bool = True) -> tuple[ox.Store, Path]:
    """Open the oxigraph store folder ``path`` is or holds; return the store and its folder.

    Raises
    ------
    GraphParseError
        [E010] when ``path`` is not (and holds no) store folder, or the store cannot be opened.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> ox.Store(str(d)).flush()
    >>> store, folder = open_store_folder(d.parent)
    >>> len(store), folder == d
    (0, True)
    """
    path = Path(path)
    folder = store_folder(path)
    if folder is None:
        raise GraphParseError(Errors.E010.format(path=path, why="folder is not an oxigraph store"))
    try:
        store = ox.Store.read_only(str(folder)) if read_only else ox.Store(str(folder))
    except OSError as exc:
        raise GraphParseError(Errors.E010.format(path=folder, why=f"cannot open oxigraph store: {exc}")) from exc
    return store, folder


def read_dataset(path: str | os.PathLike | Sequence[str | os.PathLike]) -> Dataset:
    """Read graph files (or oxigraph store folders) into one rdflib ``Dataset``.

    Triples of Turtle, N-Triples, N3 and RDF/XML files go to the default graph; TriG,
    N-Quads and JSON-LD keep their named graphs. The dataset's default graph is the
    union of all.

    Parameters
    ----------
    path : path or sequence of paths
        Graph files with a suffix of ``GRAPH_FORMATS`` (``.ttl``, ``.trig``, ``.nq``,
        ``.nt``, ``.jsonld`` ...), or store folders.

    Returns
    -------
    rdflib.Dataset

    Raises
    ------
    InputError
        [E001] when a path does not exist; [E006] for an unknown suffix.
    GraphParseError
        [E010] naming the file that cannot be parsed or the folder that is not a store.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
    >>> _ = p.write_text('<urn:a> <urn:b> "c" .')
    >>> len(read_dataset(p))
    1
    """
    paths = existing_paths(path)
    ds = Dataset(default_union=True)
    for p in paths:
        if p.is_dir():
            store, _ = open_store_folder(p)
            ds.parse(data=store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
            continue
        _add_file(ds, p, graph_format(p))
    return ds


def _add_file(ds: Dataset, path: Path, fmt: GraphFormat) -> None:
    """Parse ``path`` with pyoxigraph into ``ds``: it reads nothing but the file (a JSON-LD ``@context`` that
    names a URL or another file is an error, never fetched), unlike rdflib's parsers."""
    from kg.rdf.terms import _converter

    conv = _converter()
    graphs: dict = {}
    parser = ox.parse(path=str(path), format=fmt.oxigraph)
    try:
        for q in parser:
            g = q.graph_name
            target = graphs.get(g)
            if target is None:
                target = graphs[g] = ds.graph(conv(g))
            target.add((conv(q.subject), conv(q.predicate), conv(q.object)))
    except SyntaxError as exc:
        raise GraphParseError(Errors.E010.format(path=path, why=_why(exc))) from exc
    except OSError as exc:
        raise GraphParseError(Errors.E010.format(path=path, why=exc.strerror or one_line(exc))) from exc
    for prefix, ns in (parser.prefixes or {}).items():
        if prefix:
            ds.bind(prefix, ns, override=False)


def _why(exc: SyntaxError) -> str:
    why = one_line(exc)
    if "LoadDocumentCallback" in why:  # pyoxigraph's words for a context it would have to fetch
        return "a JSON-LD @context that names a URL or another file; remote and file contexts are not fetched"
    return why


def read_quads(path: str | os.PathLike) -> Iterator[ox.Quad]:
    """Stream the quads of a graph file or an oxigraph store folder, parsed by pyoxigraph.

    Triples of a file without named graphs are in the default graph.

    Raises
    ------
    InputError
        [E001] when ``path`` does not exist; [E006] for an unknown suffix.
    GraphParseError
        [E010] naming the file when it cannot be parsed (raised while iterating).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nq"
    >>> _ = p.write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\\n")
    >>> [q.graph_name.value for q in read_quads(p)]
    ['urn:g']
    """
    (p,) = existing_paths(path)
    if p.is_dir():
        store, _ = open_store_folder(p)
        return iter(store.quads_for_pattern(None, None, None, None))
    return _parsed(p, graph_format(p))


def _parsed(path: Path, fmt: GraphFormat) -> Iterator[ox.Quad]:
    try:
        yield from ox.parse(path=str(path), format=fmt.oxigraph)
    except SyntaxError as exc:
        raise GraphParseError(Errors.E010.format(path=path, why=_why(exc))) from exc
    except OSError as exc:
        raise GraphParseError(Errors.E010.format(path=path, why=exc.strerror or one_line(exc))) from exc


def parse_data(data: bytes, fmt: ox.RdfFormat, *, source: str = "data") -> list[ox.Quad]:
    """The quads of RDF ``data`` in memory (a part of our own files, an endpoint's answer), parsed by pyoxigraph.

    Like every reader here it fetches nothing: a JSON-LD ``@context`` that names a URL or a
    file is an error. Triples are in the default graph.

    Raises
    ------
    GraphParseError
        [E010] naming ``source`` when the data cannot be parsed.

    Examples
    --------
    >>> [q.object.value for q in parse_data(b'<urn:a> <urn:b> "c" .', ox.RdfFormat.N_TRIPLES)]
    ['c']
    """
    try:
        return list(ox.parse(data, format=fmt))
    except (SyntaxError, ValueError) as exc:
        raise GraphParseError(Errors.E010.format(path=source, why=_why(exc))) from exc


def read_into(store: ox.Store, path: str | os.PathLike, *, bulk: bool = False) -> None:
    """Parse the graph file ``path`` into the pyoxigraph ``store``.

    ``bulk`` uses the store's bulk loader (fast, not transactional: for a new store).

    Raises
    ------
    InputError
        [E006] for an unknown suffix.
    GraphParseError
        [E010] naming the file when it cannot be read or parsed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> _ = p.write_text("<urn:a> <urn:b> <urn:c> .\\n")
    >>> store = ox.Store(); read_into(store, p); len(store)
    1
    """
    path = Path(path)
    fmt = graph_format(path).oxigraph
    try:
        if bulk:
            store.bulk_load(path=str(path), format=fmt)
        else:
            store.load(path=str(path), format=fmt)
    except (SyntaxError, ValueError) as exc:
        raise GraphParseError(Errors.E010.format(path=path, why=_why(exc))) from exc
    except OSError as exc:
        raise GraphParseError(Errors.E010.format(path=path, why=exc.strerror or one_line(exc))) from exc


def union(graph: Graph) -> Graph:
    """All triples of a dataset's graphs in one ``Graph``, with the contract's prefixes bound.

    A plain ``Graph`` (not context-aware) is returned as it is.

    Examples
    --------
    >>> from rdflib import URIRef
    >>> ds = Dataset()
    >>> _ = ds.graph(URIRef("urn:g")).add((URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")))
    >>> _ = ds.add((URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:d")))
    >>> len(union(ds)), union(ds).context_aware
    (2, False)
    """
    if not getattr(graph, "context_aware", False):
        return graph
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    for s, p, o, _ in graph.quads((None, None, None, None)):
        g.add((s, p, o))
    return g
