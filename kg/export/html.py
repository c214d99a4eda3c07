"""The interactive HTML view of a graph: one offline file with legend, search, filters and evidence."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import Errors, GraphParseError, InputError
from kg.io import atomic_write
from kg.rdf.vocab import ITSRDF, NIF, NKG, ORG, PROV, RDF, RDFS, SCHEMA, SKOS

__all__ = [
    "NODE_TYPES", "GRAPH_FORMATS", "View", "ViewStats", "ViewType", "read_graph", "build_view", "render_html", "write_html",
]


@dataclass(frozen=True)
class ViewType:
    """How one kind of node is drawn: its key, labels, colour and vis-network shape."""

    key: str
    label: str
    label_zh: str
    color: str
    shape: str
    classes: tuple[URIRef, ...]


#: The node types of the view, in legend order; a node takes the first type whose class it has.
NODE_TYPES: tuple[ViewType, ...] = (
    ViewType("article", "article", "文章", "#c9d4e3", "box", (SCHEMA.NewsArticle, SCHEMA.Article)),
    ViewType("person", "person", "人物", "#e15759", "dot", (SCHEMA.Person,)),
    ViewType("organization", "organization", "机构", "#4e79a7", "square", (SCHEMA.Organization,)),
    ViewType("place", "place", "地点", "#59a14f", "triangle", (SCHEMA.Place,)),
    ViewType("policy", "policy", "政策", "#f28e2b", "diamond",
             (NKG.Policy, NKG.Law, NKG.Regulation, NKG.Strategy, NKG.System, NKG.Programme, NKG.Formulation)),
    ViewType("measure", "measure", "措施", "#b07aa1", "hexagon", (NKG.Measure,)),
    ViewType("event", "event", "事件", "#d4a017", "star", (SCHEMA.Event,)),
)
_TYPE_KEYS = tuple(t.key for t in NODE_TYPES)
_CLASS_TYPE = {c: i for i, t in enumerate(NODE_TYPES) for c in t.classes}

#: File suffixes ``read_graph`` understands, and the rdflib parser of each.
GRAPH_FORMATS = {
    ".ttl": "turtle", ".turtle": "turtle", ".trig": "trig", ".nq": "nquads", ".nquads": "nquads",
    ".nt": "nt", ".ntriples": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".n3": "n3",
    ".rdf": "xml", ".xml": "xml", ".owl": "xml",
}

#: Properties whose literals are a node's names, best first.
_NAME_PROPS = (SCHEMA.name, SCHEMA.headline, SKOS.prefLabel, RDFS.label, SCHEMA.alternateName, SKOS.altLabel,
               SCHEMA.description)
_SENTENCE_END = "。！？!?；;\n"
_MAX_EVIDENCE = 40  # evidence items kept per node in the page
_CONTEXT_CHARS = 120  # at most this many characters of a sentence on each side of a span
_LABEL_CHARS = 18
_LAYOUT_BUDGET_MS = 3000  # the layout stops after this long, settled or not, so large graphs open quickly
_FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", '
               '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif')


@dataclass(frozen=True)
class ViewStats:
    """What a view shows: counts of drawn nodes and edges, and of what the graph holds.

    ``limited`` is true when only the ``max_nodes`` most central nodes are shown.
    """

    nodes: int
    edges: int
    total_nodes: int
    total_edges: int
    limited: bool = False
    focus: str | None = None
    types: dict = field(default_factory=dict)


@dataclass
class _Item:
    iri: Node
    type: int
    names: list[str]
    articles: set = field(default_factory=set)
    evidence: list = field(default_factory=list)
    degree: int = 0


# --------------------------------------------------------------------------- reading


def read_graph(path: str | os.PathLike) -> Dataset:
    """Read an RDF file (Turtle, TriG, N-Quads, N-Triples, JSON-LD ...) into a Dataset.

    The format is chosen by the file suffix (see ``GRAPH_FORMATS``).

    Parameters
    ----------
    path : str or PathLike
        The graph file.

    Returns
    -------
    rdflib.Dataset
        Every quad of the file; triples of a Turtle file land in the default graph.

    Raises
    ------
    InputError
        ``[E001]`` when the file is missing, ``[E006]`` for an unknown suffix.
    GraphParseError
        ``[E010]`` naming the file when it cannot be parsed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
    >>> _ = p.write_text('<http://x/a> <http://x/b> "c" .', encoding="utf-8")
    >>> len(read_graph(p))
    1
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(Errors.E001.format(path=path))
    fmt = GRAPH_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(Errors.E006.format(path=path, fmt=path.suffix, choices=", ".join(sorted(GRAPH_FORMATS))))
    ds = Dataset()
    try:
        with open(path, "rb") as f:
            ds.parse(f, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        why = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)
        raise GraphParseError(Errors.E010.format(path=path, why=why[:200])) from exc
    return ds


def _flatten(graph: Graph) -> Graph:
    """All triples of a Graph, or of every named graph of a Dataset, in one Graph."""
    if not hasattr(graph, "quads"):
        return graph
    flat = Graph()
    for s, p, o, _ in graph.quads((None, None, None, None)):
        flat.add((s, p, o))
    return flat


# --------------------------------------------------------------------------- the view model


def _names(g: Graph, node: Node) -> list[str]:
    out: list[str] = []
    for prop in _NAME_PROPS:
        lits = [o for o in g.objects(node, prop) if isinstance(o, Literal)]
        lits.sort(key=lambda lit: (lit.language != "zh", lit.language is not None, str(lit)))
        for lit in lits:
            text = " ".join(str(lit).split())
            if text and text not in out:
                out.append(text)
    return out


def _tail(node: Node) -> str:
    from urllib.parse import unquote

    text = unquote(str(node)).rstrip("/#")
    return re.split(r"[/#]", text)[-1] or text


def _int(g: Graph, node: Node, prop: URIRef) -> int | None:
    val = g.value(node, prop)
    try:
        return int(val) if val is not None else None
    except (TypeError, ValueError):
        return None


def _sentence(text: str, begin: int, end: int) -> tuple[str, int, int]:
    """The sentence of ``text`` around ``[begin, end)``, and the span's offsets inside it.

    Examples
    --------
    >>> _sentence("甲说。乙在北京工作。丙", 4, 6)
    ('乙在北京工作。', 1, 3)
    """
    if end - begin > 2 * _CONTEXT_CHARS:  # a long span (a whole statement): its beginning is enough
        cut = text[begin:begin + 2 * _CONTEXT_CHARS]
        return cut + "…", 0, len(cut)
    start = max(text.rfind(c, 0, begin) for c in _SENTENCE_END) + 1
    if end > begin and text[end - 1] in _SENTENCE_END:
        stop = end - (text[end - 1] == "\n")
    else:
        stop = len(text)
        for c in _SENTENCE_END:
            k = text.find(c, end)
            if k != -1:
                stop = min(stop, k + (c != "\n"))
    prefix = suffix = ""
    if begin - start > _CONTEXT_CHARS:
        start, prefix = begin - _CONTEXT_CHARS, "…"
    if stop - end > _CONTEXT_CHARS:
        stop, suffix = end + _CONTEXT_CHARS, "…"
    raw = text[start:stop]
    lead = len(raw) - len(raw.lstrip())
    sent = prefix + raw.strip() + suffix
    b = begin - start - lead + len(prefix)
    return sent, b, b + (end - begin)


class _Reader:
    """Reads the view model (typed nodes, names, edges, evidence) out of one flat graph."""

    def __init__(self, g: Graph):
        self.g = g
        self.items: dict[Node, _Item] = {}
        self.article_title: dict[Node, str] = {}
        self.edges: dict[tuple[Node, Node, str], None] = {}
        self.contexts: dict[Node, tuple[str, Node | None]] = {}

    def read(self) -> None:
        g = self.g
        for node, cls in g.subject_objects(RDF.type):
            t = _CLASS_TYPE.get(cls)
            if t is None:
                continue
            item = self.items.get(node)
            if item is None:
                self.items[node] = _Item(node, t, [])
            elif t < item.type:
                item.type = t
        for node, item in self.items.items():
            item.names = _names(g, node) or [_tail(node)]
            if NODE_TYPES[item.type].key == "article":
                self.article_title[node] = item.names[0]
                item.articles.add(node)
        self._read_edges()
        self._read_mentions()
        self._read_derivations()

    def _title(self, article: Node | None) -> str:
        if article is None:
            return ""
        if article not in self.article_title:
            names = _names(self.g, article)
            self.article_title[article] = names[0] if names else _tail(article)
        return self.article_title[article]

    def _context(self, ctx: Node) -> tuple[str, Node | None] | None:
        if ctx not in self.contexts:
            text = self.g.value(ctx, NIF.isString)
            self.contexts[ctx] = (str(text), self.g.value(ctx, NIF.sourceUrl)) if text is not None else None
        return self.contexts[ctx]

    def _span(self, span: Node) -> tuple[Node, str, int, int, Node | None] | None:
        ctx = self.g.value(span, NIF.referenceContext)
        b, e = _int(self.g, span, NIF.beginIndex), _int(self.g, span, NIF.endIndex)
        if ctx is None or b is None or e is None:
            return None
        found = self._context(ctx)
        if found is None or not 0 <= b <= e <= len(found[0]):
            return None
        return ctx, found[0], b, e, found[1]

    def _add_evidence(self, node: Node, span: Node, via: str) -> None:
        item = self.items.get(node)
        got = self._span(span)
        if item is None or got is None:
            return
        ctx, text, b, e, article = got
        key = (str(ctx), b, e)
        sent, sb, se = _sentence(text, b, e)
        if article is not None:
            item.articles.add(article)
            self._title(article)
        for ev in item.evidence:  # one sentence is shown once, with every span and every way it was used
            if ev[0][0] == key[0] and ev[2] == sent:
                had_mention = "mention" in ev[4]
                if via not in ev[4]:
                    ev[4].append(via)
                if via == "mention" and not had_mention:
                    ev[3] = [(sb, se)]  # a name's own span is a better highlight than a whole fact's
                    ev[4].insert(0, ev[4].pop(ev[4].index("mention")))
                elif (via == "mention" or not had_mention) and (sb, se) not in ev[3]:
                    ev[3].append((sb, se))
                return
        item.evidence.append([key, article, sent, [(sb, se)], [via]])

    def _read_edges(self) -> None:
        g = self.g
        items = self.items
        for s in items:
            for p, o in g.predicate_objects(s):
                if o in items and o != s and p != RDF.type:
                    self.edges[(s, o, _tail(p))] = None
                if p == SCHEMA.mentions and o in items and NODE_TYPES[items[s].type].key == "article":
                    items[o].articles.add(s)
        for m in g.subjects(RDF.type, ORG.Membership):
            person, org = g.value(m, ORG.member), g.value(m, ORG.organization)
            if person in items and org in items and person != org:
                role = g.value(m, ORG.role)
                label = _names(g, role)[0] if role is not None and _names(g, role) else "member"
                self.edges[(person, org, label)] = None

    def _read_mentions(self) -> None:
        for mention, node in self.g.subject_objects(ITSRDF.taIdentRef):
            self._add_evidence(node, mention, "mention")

    def _read_derivations(self) -> None:
        g = self.g
        for thing, span in g.subject_objects(PROV.wasDerivedFrom):
            if thing in self.items:
                self._add_evidence(thing, span, "source")
                continue
            pred = g.value(thing, RDF.predicate)
            if pred is not None:  # a reified fact: evidence for both ends
                nodes, via = [g.value(thing, RDF.subject), g.value(thing, RDF.object)], _tail(pred)
            elif (thing, RDF.type, ORG.Membership) in g:
                nodes, via = [g.value(thing, ORG.member), g.value(thing, ORG.organization)], "post"
            elif (thing, RDF.type, NKG.Statement) in g:
                nodes = [*g.objects(thing, SCHEMA.author), *g.objects(thing, NKG.atEvent)]
                via = "statement"
            else:
                continue
            for node in nodes:
                if node in self.items:
                    self._add_evidence(node, span, via)


def _resolve_types(types: Iterable[str] | None) -> set[int]:
    if types is None:
        return set(range(len(NODE_TYPES)))
    wanted: set[int] = set()
    for name in types:
        for part in str(name).split(","):
            part = part.strip().lower()
            if not part:
                continue
            if part not in _TYPE_KEYS:
                raise InputError(Errors.E061.format(name=part, choices=", ".join(_TYPE_KEYS)))
            wanted.add(_TYPE_KEYS.index(part))
    return wanted


def _find(items: dict[Node, _Item], name: str) -> Node:
    want = name.strip().casefold()
    exact = [n for n, it in items.items() if want == str(n).casefold() or any(want == x.casefold() for x in it.names)]
    if not exact:
        exact = [n for n, it in items.items() if any(want in x.casefold() for x in it.names)]
    if len(exact) == 1 or (exact and all(items[n].names == items[exact[0]].names for n in exact)):
        return sorted(exact, key=str)[0]
    if not exact:
        raise InputError(Errors.E060.format(name=name, hint=""))
    picks = sorted({items[n].names[0] for n in exact})
    raise InputError(Errors.E060.format(name=name, hint=f" (it is part of several: {', '.join(picks[:6])})"))


@dataclass
class View:
    """What a view shows: the chosen nodes (in drawing order), edges between them, the articles
    their evidence comes from, the statistics, the note shown when limited and the focus node."""

    items: list[_Item]
    edges: list[tuple[int, int, str]]
    articles: list[tuple[Node, str, int | None]]
    stats: ViewStats
    note: str | None
    focus: int | None


def build_view(graph: Graph, *, max_nodes: int = 2000, focus: str | None = None,
               types: Iterable[str] | None = None) -> View:
    """Select what a view of ``graph`` shows; ``render_html`` draws it.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
        A built graph; all quads of a Dataset are used.
    max_nodes : int
        Show at most this many nodes, the most central ones (degree centrality).
    focus : str, optional
        A node's name: show it and its neighbours up to depth 2.
    types : iterable of str, optional
        Node types to keep (keys of ``NODE_TYPES``: ``person``, ``policy`` ...).

    Returns
    -------
    View
        The selected nodes and edges with their evidence, and a ``ViewStats``.

    Examples
    --------
    >>> from rdflib import Graph
    >>> from kg.rdf.vocab import SCHEMA, ID, RDF
    >>> g = Graph(); _ = g.add((ID["person/a"], RDF.type, SCHEMA.Person))
    >>> build_view(g).stats.nodes
    1
    """
    import networkx as nx

    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise InputError(Errors.E062.format(value=max_nodes))
    wanted = _resolve_types(types)
    reader = _Reader(_flatten(graph))
    reader.read()
    items = {n: it for n, it in reader.items.items() if it.type in wanted}
    full = nx.MultiDiGraph()
    full.add_nodes_from(items)
    for s, o, label in reader.edges:
        if s in items and o in items:
            full.add_edge(s, o, label=label)
    total_nodes, total_edges = full.number_of_nodes(), len(set(full.edges()))
    for n, deg in full.degree():
        items[n].degree = deg
    keep = set(items)
    focus_node = None
    if focus:
        focus_node = _find(items, focus)
        keep = set(nx.ego_graph(full.to_undirected(as_view=True), focus_node, radius=2))
    note = None
    limited = False
    if len(keep) > max_nodes:
        sub = full.subgraph(keep).to_undirected(as_view=True)
        central = nx.degree_centrality(sub)
        order = sorted(keep, key=lambda n: (n != focus_node, -central[n], -len(items[n].articles), str(n)))
        dropped = len(keep) - max_nodes
        keep = set(order[:max_nodes])
        limited = True
        note = (f"Showing the {max_nodes:,} most central of {max_nodes + dropped:,} nodes (degree centrality); "
                f"use kg view --max-nodes, --focus or --types to see others.")
    chosen = sorted(keep, key=lambda n: (items[n].type, items[n].names[0], str(n)))
    index = {n: i for i, n in enumerate(chosen)}
    labels: dict[tuple[int, int], set[str]] = defaultdict(set)
    for s, o, d in full.subgraph(keep).edges(data=True):
        labels[(index[s], index[o])].add(d["label"])
    # parallel relations between the same two nodes are drawn as one edge with every label
    edges = sorted((s, o, " · ".join(sorted(ls))) for (s, o), ls in labels.items())
    articles: dict[Node, None] = {}
    for n in chosen:
        for ev in items[n].evidence:
            if ev[1] is not None:
                articles[ev[1]] = None
        for a in sorted(items[n].articles, key=str):
            articles[a] = None
    article_list = sorted(((a, reader._title(a), index.get(a)) for a in articles), key=lambda x: (x[1], str(x[0])))
    counts = {t.key: 0 for t in NODE_TYPES}
    for n in chosen:
        counts[NODE_TYPES[items[n].type].key] += 1
    stats = ViewStats(nodes=len(chosen), edges=len(edges), total_nodes=total_nodes, total_edges=total_edges,
                      limited=limited, focus=str(focus_node) if focus_node is not None else None, types=counts)
    return View([items[n] for n in chosen], edges, article_list, stats, note,
                 index[focus_node] if focus_node is not None else None)


# --------------------------------------------------------------------------- rendering


def _vis_options(n_nodes: int, n_edges: int) -> dict:
    big = n_nodes > 400 or n_edges > 1200
    iterations = 1000 if n_nodes <= 200 else 400  # an upper bound: the page also stops at _LAYOUT_BUDGET_MS
    return {
        "autoResize": True,
        "layout": {"improvedLayout": n_nodes <= 150, "randomSeed": 7},
        "nodes": {
            "font": {"face": _FONT_STACK, "size": 14, "color": "#1f2933", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"min": 8, "max": 36, "label": {"enabled": True, "min": 12, "max": 26,
                                                        "maxVisible": 30, "drawThreshold": 7}},
            "borderWidth": 1,
            "borderWidthSelected": 3,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9aa5b1", "highlight": "#323f4b", "hover": "#323f4b", "inherit": False},
            "font": {"face": _FONT_STACK, "size": 10, "color": "#52606d", "strokeWidth": 3,
                     "strokeColor": "#ffffff", "align": "middle"},
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "width": 1,
            "selectionWidth": 2,
        },
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -3000, "centralGravity": 0.8, "springLength": 80,
                          "springConstant": 0.05, "damping": 0.4, "avoidOverlap": 0.6,
                          "theta": 0.8 if big else 0.5},
            "maxVelocity": 60,
            "minVelocity": 1.0,
            "timestep": 0.5,
            "adaptiveTimestep": True,
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
    }


def _build_network(view: View):
    """Nodes, edges and options as pyvis builds them for vis-network."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for i, it in enumerate(view.items):
        t = NODE_TYPES[it.type]
        label = it.names[0]
        most = _LABEL_CHARS if t.key != "measure" else _LABEL_CHARS * 2 // 3
        if len(label) > most:
            label = label[: most - 1] + "…"
        opts = {"value": it.degree + len(it.articles) + 1,
                "color": {"background": t.color, "border": "#3e4c59",
                          "highlight": {"background": t.color, "border": "#102a43"},
                          "hover": {"background": t.color, "border": "#102a43"}}}
        if t.shape == "box":
            opts["font"] = {"face": _FONT_STACK, "color": "#102a43", "size": 14, "strokeWidth": 0}
            opts["scaling"] = {"label": {"enabled": False}}
            opts["margin"] = 6
            opts["widthConstraint"] = {"maximum": 180}
        net.add_node(i, label=label, shape=t.shape, **opts)
    known = set(range(len(view.items)))
    net.node_ids = known  # set membership keeps add_edge linear for large graphs
    for s, o, label in view.edges:
        net.add_edge(s, o, label=label, title=label)
    net.options = _vis_options(len(view.items), len(view.edges))
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return nodes, edges, json.loads(options)


def _json_for_script(obj) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _pinyin(names: Sequence[str]) -> list[str]:
    """Toneless pinyin of names when the optional ``pypinyin`` package is installed."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        return []
    out = []
    for name in names[:3]:
        if re.search(r"[\u4e00-\u9fff]", name):
            syl = lazy_pinyin(name)
            out.extend(["".join(syl), "".join(s[:1] for s in syl)])
    return out


def _payload(view: View, title: str) -> dict:
    art_index = {str(a): i for i, (a, _, _) in enumerate(view.articles)}
    nodes = []
    for i, it in enumerate(view.items):
        evidence = []
        for key, article, sent, spans, vias in sorted(it.evidence, key=lambda ev: (str(ev[1]), ev[0][1], ev[0][0])):
            evidence.append([art_index.get(str(article), -1), sent, [list(sp) for sp in sorted(spans)],
                             " · ".join(vias)])
        nodes.append({
            "id": i, "iri": str(it.iri), "type": NODE_TYPES[it.type].key, "names": it.names,
            "keys": _pinyin(it.names), "count": len(it.articles), "degree": it.degree,
            "articles": sorted(art_index[str(a)] for a in it.articles if str(a) in art_index),
            "evidence": evidence[:_MAX_EVIDENCE], "more": max(0, len(evidence) - _MAX_EVIDENCE),
        })
    return {
        "title": title,
        "types": [{"key": t.key, "label": t.label, "zh": t.label_zh, "color": t.color, "shape": t.shape,
                   "count": view.stats.types.get(t.key, 0)} for t in NODE_TYPES],
        "articles": [{"iri": str(a), "title": t, "node": n} for a, t, n in view.articles],
        "nodes": nodes,
        "note": view.note,
        "focus": view.focus,
        "budget_ms": _LAYOUT_BUDGET_MS,
        "stats": {"nodes": view.stats.nodes, "edges": view.stats.edges,
                  "total_nodes": view.stats.total_nodes, "total_edges": view.stats.total_edges},
    }


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(graph: Graph, *, title: str = "newskg", max_nodes: int = 2000, focus: str | None = None,
                types: Iterable[str] | None = None) -> str:
    """The interactive view of ``graph`` as one self-contained HTML page.

    The page needs no network: vis-network (from pyvis's bundled files) is inline and
    text uses the system's CJK fonts. Every text taken from the graph is JSON-escaped
    data that the page's script puts into the DOM as text, and a Content-Security-Policy
    lets only the page's own scripts run.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
        A built graph (docs/GRAPH.md); all quads of a Dataset are used.
    title : str
        Title of the page.
    max_nodes : int
        Show at most this many nodes, the most central ones; the page says so.
    focus : str, optional
        A node's name: show only it and its neighbours up to depth 2.
    types : iterable of str, optional
        Node types to show (``article``, ``person``, ``organization``, ``place``,
        ``policy``, ``measure``, ``event``).

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    InputError
        ``[E060]`` when ``focus`` names no node, ``[E061]`` for an unknown type,
        ``[E062]`` for a bad ``max_nodes``.

    Examples
    --------
    >>> from rdflib import Graph, Literal
    >>> from kg.rdf.vocab import SCHEMA, ID, RDF
    >>> g = Graph()
    >>> _ = g.add((ID["person/a"], RDF.type, SCHEMA.Person))
    >>> _ = g.add((ID["person/a"], SCHEMA.name, Literal("<b>A</b>", lang="zh")))
    >>> page = render_html(g, title="demo")
    >>> "<b>A</b>" in page, "\\\\u003cb\\\\u003eA" in page
    (False, True)
    """
    return _render(build_view(graph, max_nodes=max_nodes, focus=focus, types=types), title)


def _render(view: View, title: str) -> str:
    nodes, edges, options = _build_network(view)
    data = _payload(view, title)
    data["vis"] = {"nodes": nodes, "edges": edges}
    vis_js, vis_css = _vis_assets()
    app_js = _APP_JS
    csp = ("default-src 'none'; script-src " + _csp_hash(vis_js) + " " + _csp_hash(app_js)
           + "; style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    parts = {
        "TITLE": html.escape(title, quote=True),
        "CSP": html.escape(csp, quote=False),
        "VIS_CSS": vis_css,
        "APP_CSS": _APP_CSS.replace("@@FONTS@@", _FONT_STACK),
        "VIS_JS": vis_js,
        "APP_JS": app_js,
        "DATA": _json_for_script(data),
        "OPTIONS": _json_for_script(options),
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], _PAGE)


def write_html(graph: Graph, path: str | os.PathLike, *, title: str = "newskg", max_nodes: int = 2000,
               focus: str | None = None, types: Iterable[str] | None = None) -> ViewStats:
    """Write the interactive view of ``graph`` to ``path`` atomically.

    Parameters are those of ``render_html``; ``path`` is the HTML file to write.

    Returns
    -------
    ViewStats
        Drawn nodes and edges, totals, and whether the view was limited.

    Raises
    ------
    InputError
        As ``render_html``.
    OutputError
        ``[E050]`` when the file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from rdflib import Graph
    >>> from kg.rdf.vocab import SCHEMA, ID, RDF
    >>> g = Graph(); _ = g.add((ID["person/a"], RDF.type, SCHEMA.Person))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.html"
    >>> write_html(g, out).nodes, out.exists()
    (1, True)
    """
    view = build_view(graph, max_nodes=max_nodes, focus=focus, types=types)
    page = _render(view, title)
    with atomic_write(path) as f:
        f.write(page)
    return view.stats


# --------------------------------------------------------------------------- the page

_PAGE = """<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="@@CSP@@">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>@@TITLE@@</title>
<style>@@VIS_CSS@@</style>
<style>@@APP_CSS@@</style>
</head>
<body>
<header id="kg-header">
  <h1 id="kg-title">@@TITLE@@</h1>
  <span id="kg-counts"></span>
  <span id="kg-note" hidden></span>
</header>
<div id="kg-main">
  <aside id="kg-controls">
    <section>
      <label for="kg-search" class="kg-h">Search · 搜索</label>
      <input id="kg-search" type="search" autocomplete="off" placeholder="name · 名称">
      <ol id="kg-results"></ol>
    </section>
    <section>
      <div class="kg-h">Types · 类型</div>
      <ul id="kg-legend"></ul>
    </section>
    <section>
      <label for="kg-article" class="kg-h">Article · 文章</label>
      <select id="kg-article"><option value="">All articles · 全部</option></select>
    </section>
    <section>
      <div class="kg-h">Neighbourhood · 邻域</div>
      <div class="kg-row">
        <select id="kg-depth" aria-label="depth"><option value="1">depth 1</option>
          <option value="2" selected>depth 2</option></select>
        <button id="kg-focus" type="button" disabled>Focus</button>
        <button id="kg-reset" type="button">Show all</button>
        <button id="kg-relayout" type="button" title="run the layout again for a few seconds">Re-layout</button>
      </div>
    </section>
    <p class="kg-help">Hover a node for its names; click it for the sentences it was read in.</p>
  </aside>
  <div id="kg-canvas-wrap">
    <div id="kg-network"></div>
    <div id="kg-loading"><div id="kg-loading-text">Laying out…</div>
      <div id="kg-bar"><div id="kg-bar-fill"></div></div></div>
  </div>
  <aside id="kg-panel" hidden>
    <button id="kg-close" type="button" aria-label="close">×</button>
    <div id="kg-panel-body"></div>
  </aside>
</div>
<script type="application/json" id="kg-data">@@DATA@@</script>
<script type="application/json" id="kg-options">@@OPTIONS@@</script>
<script>@@VIS_JS@@</script>
<script>@@APP_JS@@</script>
</body>
</html>
"""

_APP_CSS = """
html, body { margin: 0; height: 100%; font-family: @@FONTS@@; color: #1f2933; background: #f5f7fa; }
#kg-header { display: flex; align-items: baseline; gap: 1em; padding: 6px 14px; background: #243b53; color: #fff; }
#kg-title { font-size: 18px; margin: 0; font-weight: 600; }
#kg-counts { font-size: 13px; opacity: .85; }
#kg-note { font-size: 13px; background: #f0b429; color: #243b53; padding: 2px 8px; border-radius: 4px; }
#kg-main { display: flex; height: calc(100% - 38px); }
#kg-controls { width: 230px; flex: none; overflow-y: auto; padding: 8px 12px; background: #fff;
  border-right: 1px solid #d9e2ec; font-size: 13px; }
#kg-controls section { margin-bottom: 14px; }
.kg-h { display: block; font-weight: 600; margin-bottom: 4px; color: #334e68; }
#kg-search, #kg-article { width: 100%; box-sizing: border-box; padding: 4px 6px; font: inherit; }
#kg-results { list-style: none; margin: 4px 0 0; padding: 0; max-height: 220px; overflow-y: auto; }
#kg-results li { padding: 3px 4px; cursor: pointer; border-radius: 3px; }
#kg-results li:hover, #kg-results li.kg-active { background: #e3f8ff; }
#kg-results .kg-sub { color: #829ab1; font-size: 11px; margin-left: 4px; }
#kg-legend { list-style: none; margin: 0; padding: 0; }
#kg-legend li { display: flex; align-items: center; gap: 6px; padding: 2px 0; }
#kg-legend li.kg-empty { opacity: .45; }
#kg-legend svg { flex: none; }
#kg-legend .kg-count { margin-left: auto; color: #627d98; }
.kg-row { display: flex; gap: 4px; flex-wrap: wrap; }
.kg-row button, .kg-row select { font: inherit; padding: 2px 6px; }
.kg-help { color: #627d98; font-size: 12px; }
#kg-canvas-wrap { position: relative; flex: 1; min-width: 0; }
#kg-network { position: absolute; inset: 0; background: #fff; }
#kg-loading { position: absolute; inset: 0; display: flex; flex-direction: column; align-items: center;
  justify-content: center; background: rgba(245,247,250,.85); font-size: 14px; gap: 8px; }
#kg-loading.kg-done { display: none; }
#kg-bar { width: 240px; height: 8px; background: #d9e2ec; border-radius: 4px; overflow: hidden; }
#kg-bar-fill { width: 0; height: 100%; background: #2680c2; }
#kg-panel { width: 340px; flex: none; overflow-y: auto; padding: 10px 14px; background: #fff;
  border-left: 1px solid #d9e2ec; position: relative; font-size: 14px; }
#kg-close { position: absolute; right: 8px; top: 6px; border: none; background: none; font-size: 20px; cursor: pointer; }
#kg-panel h2 { font-size: 18px; margin: 4px 24px 2px 0; }
#kg-panel .kg-type { display: inline-block; font-size: 12px; color: #fff; padding: 1px 6px; border-radius: 3px; }
#kg-panel .kg-alt { color: #486581; font-size: 13px; margin: 4px 0; }
#kg-panel .kg-meta { color: #627d98; font-size: 12px; margin: 4px 0 10px; word-break: break-all; }
#kg-panel ol { padding-left: 18px; margin: 0; }
#kg-panel li { margin-bottom: 10px; }
#kg-panel .kg-art { font-weight: 600; color: #243b53; font-size: 13px; }
#kg-panel .kg-via { color: #829ab1; font-size: 11px; margin-left: 4px; }
#kg-panel .kg-sent { line-height: 1.6; }
#kg-panel mark { background: #ffe588; padding: 0 1px; }
.kg-tip { font-family: @@FONTS@@; font-size: 13px; max-width: 320px; }
.kg-tip b { font-size: 14px; }
div.vis-tooltip { white-space: normal; }
"""

_APP_JS = r"""
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('kg-data').textContent);
  var OPTIONS = JSON.parse(document.getElementById('kg-options').textContent);
  var INFO = DATA.nodes, TYPES = {}, i;
  DATA.types.forEach(function (t) { TYPES[t.key] = t; });
  var state = { types: {}, article: null, focusSet: null, selected: null };
  DATA.types.forEach(function (t) { state.types[t.key] = true; });
  var view = window.kgView = { ready: false, stabilized: false, stabilizedMs: null, data: DATA };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) {
      if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'cls') { e.className = attrs[k]; }
      else { e.setAttribute(k, attrs[k]); } }); }
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }
  function typeLabel(key) { var t = TYPES[key]; return t ? t.label + ' · ' + t.zh : key; }

  // hover tooltips are DOM elements built from text, never HTML strings
  function tooltip(n) {
    var box = el('div', { cls: 'kg-tip' });
    box.appendChild(el('b', { text: n.names[0] }));
    if (n.names.length > 1) { box.appendChild(el('div', { text: n.names.slice(1, 6).join(' · ') })); }
    box.appendChild(el('div', { text: typeLabel(n.type) }));
    box.appendChild(el('div', { text: n.type === 'article' ? 'article' :
      'mentioned in ' + n.count + (n.count === 1 ? ' article' : ' articles') + ' · 提及文章 ' + n.count }));
    return box;
  }

  var visNodes = DATA.vis.nodes.map(function (v) { v.title = tooltip(INFO[v.id]); return v; });
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(DATA.vis.edges.map(function (e, k) { e.id = k; return e; }));
  var adj = {};
  INFO.forEach(function (n) { adj[n.id] = []; });
  DATA.vis.edges.forEach(function (e) { adj[e.from].push(e.to); adj[e.to].push(e.from); });

  var counts = document.getElementById('kg-counts');
  if (DATA.note) { var note = document.getElementById('kg-note'); note.textContent = DATA.note; note.hidden = false; }

  var container = document.getElementById('kg-network');
  var t0 = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, OPTIONS);
  view.network = network; view.nodes = nodes; view.edges = edges;

  var bar = document.getElementById('kg-bar-fill'), loading = document.getElementById('kg-loading');
  view.iterations = 0; view.cut = false;
  network.on('stabilizationProgress', function (p) {
    bar.style.width = Math.round(100 * p.iterations / p.total) + '%';
    view.iterations = p.iterations;
    if (!view.cut && performance.now() - t0 > DATA.budget_ms) { view.cut = true; network.stopSimulation(); }
  });
  function settled() {
    if (view.stabilized) { return; }
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    view.stabilized = true;
    view.stabilizedMs = performance.now() - t0;
    loading.classList.add('kg-done');
    if (DATA.focus !== null && DATA.focus !== undefined) { select(DATA.focus, true); }
  }
  network.once('stabilizationIterationsDone', settled);
  network.once('stabilized', settled);
  document.getElementById('kg-relayout').addEventListener('click', function () {
    // more layout on demand, within the same time budget
    t0 = performance.now(); view.cut = false;
    network.setOptions({ physics: { enabled: true } });
    network.once('stabilizationIterationsDone', function () {
      network.setOptions({ physics: { enabled: false } }); network.fit({ animation: false });
    });
    network.stabilize(OPTIONS.physics.stabilization.iterations);
  });
  if (INFO.length === 0) { loading.querySelector('#kg-loading-text').textContent = 'No nodes to show · 无节点'; }

  // ---- visibility: types, article, neighbourhood
  function visible(n) {
    if (!state.types[n.type]) { return false; }
    if (state.article !== null) {
      var a = DATA.articles[state.article];
      if (!(n.articles.indexOf(state.article) >= 0 || n.id === a.node ||
            (a.node !== null && adj[a.node].indexOf(n.id) >= 0))) { return false; }
    }
    if (state.focusSet && !state.focusSet[n.id]) { return false; }
    return true;
  }
  function apply(fit) {
    var upd = [], shown = [];
    INFO.forEach(function (n) {
      var v = visible(n);
      if (v) { shown.push(n.id); }
      if (!!nodes.get(n.id).hidden === v) { upd.push({ id: n.id, hidden: !v }); }
    });
    if (upd.length) { nodes.update(upd); }
    var d = view.drawn();
    counts.textContent = d.nodes + ' / ' + INFO.length + ' nodes · ' + d.edges + ' / ' + DATA.vis.edges.length + ' edges';
    if (fit && shown.length) { network.fit({ nodes: shown, animation: false }); }
  }
  view.drawn = function () {
    var body = network.body, n = 0, m = 0;
    body.nodeIndices.forEach(function (id) { if (!body.nodes[id].options.hidden) { n += 1; } });
    body.edgeIndices.forEach(function (id) {
      var e = body.edges[id];
      if (e.connected && !e.options.hidden && !e.from.options.hidden && !e.to.options.hidden) { m += 1; }
    });
    return { nodes: n, edges: m };
  };

  // ---- legend with type filters
  var legend = document.getElementById('kg-legend');
  function swatch(t) {
    var ns = 'http://www.w3.org/2000/svg', svg = document.createElementNS(ns, 'svg'), s;
    svg.setAttribute('width', '16'); svg.setAttribute('height', '16'); svg.setAttribute('viewBox', '0 0 16 16');
    var pts = { triangle: '8,1 15,14 1,14', diamond: '8,1 15,8 8,15 1,8',
      hexagon: '4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8', star: '8,0.5 10,6 15.5,6 11,9.5 12.8,15 8,11.6 3.2,15 5,9.5 0.5,6 6,6' };
    if (t.shape === 'dot') { s = document.createElementNS(ns, 'circle'); s.setAttribute('cx', '8'); s.setAttribute('cy', '8'); s.setAttribute('r', '6.5'); }
    else if (pts[t.shape]) { s = document.createElementNS(ns, 'polygon'); s.setAttribute('points', pts[t.shape]); }
    else { s = document.createElementNS(ns, 'rect'); s.setAttribute('x', '1.5'); s.setAttribute('y', t.shape === 'box' ? '3.5' : '1.5');
      s.setAttribute('width', '13'); s.setAttribute('height', t.shape === 'box' ? '9' : '13'); s.setAttribute('rx', t.shape === 'box' ? '2' : '0'); }
    s.setAttribute('fill', t.color); s.setAttribute('stroke', '#3e4c59'); s.setAttribute('stroke-width', '1');
    svg.appendChild(s);
    return svg;
  }
  DATA.types.forEach(function (t) {
    var box = el('input', { type: 'checkbox', id: 'kg-type-' + t.key, 'data-type': t.key });
    box.checked = true;
    box.addEventListener('change', function () { state.types[t.key] = box.checked; apply(true); });
    var lab = el('label', { 'for': 'kg-type-' + t.key, text: t.label + ' · ' + t.zh });
    var li = el('li', { cls: t.count ? '' : 'kg-empty' }, [box, swatch(t), lab, el('span', { cls: 'kg-count', text: String(t.count) })]);
    legend.appendChild(li);
  });

  // ---- article filter
  var artSel = document.getElementById('kg-article');
  DATA.articles.forEach(function (a, k) { artSel.appendChild(el('option', { value: String(k), text: a.title })); });
  artSel.addEventListener('change', function () {
    state.article = artSel.value === '' ? null : Number(artSel.value); apply(true);
  });

  // ---- neighbourhood focus
  var focusBtn = document.getElementById('kg-focus'), depthSel = document.getElementById('kg-depth');
  function neighbourhood(id, depth) {
    var seen = {}, frontier = [id]; seen[id] = true;
    for (var d = 0; d < depth; d += 1) {
      var next = [];
      frontier.forEach(function (x) { adj[x].forEach(function (y) { if (!seen[y]) { seen[y] = true; next.push(y); } }); });
      frontier = next;
    }
    return seen;
  }
  view.focus = function (id, depth) {
    state.focusSet = neighbourhood(id, depth || Number(depthSel.value)); apply(true);
  };
  focusBtn.addEventListener('click', function () { if (state.selected !== null) { view.focus(state.selected); } });
  document.getElementById('kg-reset').addEventListener('click', function () {
    state.focusSet = null; state.article = null; artSel.value = '';
    DATA.types.forEach(function (t) { state.types[t.key] = true; document.getElementById('kg-type-' + t.key).checked = true; });
    apply(true);
  });

  // ---- the evidence panel
  var panel = document.getElementById('kg-panel'), body = document.getElementById('kg-panel-body');
  function showPanel(id) {
    var n = INFO[id], t = TYPES[n.type];
    body.textContent = '';
    var badge = el('span', { cls: 'kg-type', text: typeLabel(n.type) }); badge.style.background = t ? t.color : '#888';
    body.appendChild(badge);
    body.appendChild(el('h2', { text: n.names[0] }));
    if (n.names.length > 1) { body.appendChild(el('div', { cls: 'kg-alt', text: 'Also · 又名: ' + n.names.slice(1).join(' · ') })); }
    var iri = n.iri; try { iri = decodeURI(n.iri); } catch (e) { /* keep it encoded */ }
    body.appendChild(el('div', { cls: 'kg-meta', text: (n.type === 'article' ? '' : 'Mentioned in ' + n.count +
      (n.count === 1 ? ' article' : ' articles') + ' · ') + n.degree + ' links · ' + iri }));
    if (n.evidence.length) {
      body.appendChild(el('div', { cls: 'kg-h', text: 'Evidence · 出处' }));
      var list = el('ol', { id: 'kg-evidence' });
      n.evidence.forEach(function (ev) {
        var art = ev[0] >= 0 ? DATA.articles[ev[0]].title : '', s = ev[1], at = 0;
        var sent = el('div', { cls: 'kg-sent' });
        ev[2].forEach(function (sp) {  // the spans, sorted; an overlapping one is merged into the previous
          var b = Math.max(sp[0], at);
          if (sp[1] <= b) { return; }
          sent.appendChild(document.createTextNode(s.slice(at, b)));
          sent.appendChild(el('mark', { text: s.slice(b, sp[1]) }));
          at = sp[1];
        });
        sent.appendChild(document.createTextNode(s.slice(at)));
        list.appendChild(el('li', null, [el('span', { cls: 'kg-art', text: art ? '《' + art + '》' : '' }),
          el('span', { cls: 'kg-via', text: ev[3] }), sent]));
      });
      body.appendChild(list);
      if (n.more) { body.appendChild(el('div', { cls: 'kg-meta', text: '… ' + n.more + ' more' })); }
    } else {
      body.appendChild(el('div', { cls: 'kg-meta', text: 'No evidence sentence recorded for this node.' }));
    }
    var nb = adj[id].slice(0, 30);
    if (nb.length) {
      body.appendChild(el('div', { cls: 'kg-h', text: 'Linked · 关联' }));
      var ul = el('ul', { id: 'kg-links' });
      nb.forEach(function (k) {
        var li = el('li', { text: INFO[k].names[0] + ' (' + INFO[k].type + ')' });
        li.style.cursor = 'pointer'; li.addEventListener('click', function () { select(k, true); });
        ul.appendChild(li);
      });
      body.appendChild(ul);
    }
    panel.hidden = false;
  }
  function hidePanel() { panel.hidden = true; state.selected = null; focusBtn.disabled = true; }
  document.getElementById('kg-close').addEventListener('click', function () { network.unselectAll(); hidePanel(); });
  function select(id, move) {
    if (nodes.get(id).hidden) { state.focusSet = null; state.article = null; artSel.value = '';
      state.types[INFO[id].type] = true; document.getElementById('kg-type-' + INFO[id].type).checked = true; apply(false); }
    state.selected = id; focusBtn.disabled = false;
    network.selectNodes([id]);
    if (move) { network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false }); }
    showPanel(id);
  }
  view.select = select;
  network.on('click', function (p) {
    if (p.nodes.length) { select(p.nodes[0], false); } else if (!p.edges.length) { hidePanel(); }
  });

  // ---- search by any name (and pinyin when the page has it)
  var search = document.getElementById('kg-search'), results = document.getElementById('kg-results');
  var index = INFO.map(function (n) { return [n.id, n.names.concat(n.keys).map(function (s) { return s.toLowerCase(); })]; });
  view.search = function (q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    var exact = [], part = [];
    index.forEach(function (row) {
      if (row[1].indexOf(q) >= 0) { exact.push(row[0]); }
      else if (row[1].some(function (s) { return s.indexOf(q) >= 0; })) { part.push(row[0]); }
    });
    var byDegree = function (a, b) { return INFO[b].degree - INFO[a].degree; };
    return exact.sort(byDegree).concat(part.sort(byDegree));
  };
  function showResults() {
    results.textContent = '';
    view.search(search.value).slice(0, 30).forEach(function (id, k) {
      var li = el('li', { cls: k === 0 ? 'kg-active' : '', 'data-id': String(id) },
        [document.createTextNode(INFO[id].names[0]), el('span', { cls: 'kg-sub', text: INFO[id].type })]);
      li.addEventListener('click', function () { select(id, true); });
      results.appendChild(li);
    });
  }
  search.addEventListener('input', showResults);
  search.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') { var hits = view.search(search.value); if (hits.length) { select(hits[0], true); } }
  });

  apply(false);
  view.ready = true;
})();
"""
