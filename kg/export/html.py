"""The interactive HTML view of a graph: one offline file with legend, search, filters and evidence.

The page is the template ``assets/view.html`` with its style ``assets/view.css`` and script
``assets/view.js`` (package files) and vis-network from pyvis put inline; what it shows is
read from :func:`kg.export.project.to_networkx`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import networkx as nx
from rdflib import Graph

from kg.errors import Errors, InputError
from kg.export.project import NODE_TYPES, PARTICIPANT_ROLES, Evidence, Participant, Post, ViewType, to_networkx
from kg.io import atomic_write
from kg.rdf.read import union

__all__ = ["View", "ViewNode", "ViewStats", "build_view", "collapse", "render_html", "render_view", "timeline",
           "write_html", "write_view"]

_TYPE_KEYS = tuple(t.key for t in NODE_TYPES)
_TYPE_ORDER = {t.key: i for i, t in enumerate(NODE_TYPES)}

_MAX_EVIDENCE = 40  # evidence items kept per node in the page
_LABEL_CHARS = 18
_LAYOUT_BUDGET_MS = 3000  # the layout stops after this long, settled or not, so large graphs open quickly
_COLLAPSE_ABOVE = 150  # a view of more nodes draws each node's most linked neighbours first, the rest behind "+N"
_SHOWN = (6, 3)  # neighbours of one type drawn at first around the focus (or a starting node), and around others
_EDGE, _BOX_EDGE = 90, 170  # spring lengths (pixels): between two nodes, and to a box (an article)
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


@dataclass(frozen=True)
class ViewNode:
    """One node of a view: its IRI, type, names (best first), the articles it is read in,
    the sentences it is read in, its degree among the view's nodes, a person's posts and an event's
    participants."""

    iri: str
    type: ViewType
    names: tuple[str, ...]
    articles: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    degree: int = 0
    posts: tuple[Post, ...] = ()
    participants: tuple[Participant, ...] = ()


# --------------------------------------------------------------------------- reading


# --------------------------------------------------------------------------- the view model


def _resolve_types(types: Iterable[str] | None) -> set[str]:
    if types is None:
        return set(_TYPE_KEYS)
    wanted: set[str] = set()
    for name in types:
        for part in str(name).split(","):
            part = part.strip().lower()
            if not part:
                continue
            if part not in _TYPE_KEYS:
                raise InputError(Errors.E061.format(name=part, choices=", ".join(_TYPE_KEYS)))
            wanted.add(part)
    return wanted


def _find(items: dict[str, ViewNode], name: str) -> str:
    if name in items:  # an IRI, exactly as the graph has it
        return name
    want = name.strip().casefold()
    exact = [n for n, it in items.items() if want == n.casefold() or any(want == x.casefold() for x in it.names)]
    if not exact:
        exact = [n for n, it in items.items() if any(want in x.casefold() for x in it.names)]
    if len(exact) == 1 or (exact and all(items[n].names == items[exact[0]].names for n in exact)):
        return sorted(exact)[0]
    if not exact:
        raise InputError(Errors.E060.format(name=name, hint=""))
    picks = sorted({items[n].names[0] for n in exact})
    raise InputError(Errors.E060.format(name=name, hint=f" (it is part of several: {', '.join(picks[:6])})"))


@dataclass(frozen=True)
class View:
    """What a view shows: the chosen nodes (in drawing order), edges between them (as indexes
    into ``items``, with their labels), the articles their evidence comes from (IRI, title,
    index of the article's node and its ``schema:datePublished`` or ``""``), the statistics,
    the note shown when limited and the focus node."""

    items: tuple[ViewNode, ...]
    edges: tuple[tuple[int, int, str], ...]
    articles: tuple[tuple[str, str, int | None, str], ...]
    stats: ViewStats
    note: str | None
    focus: int | None
    around: dict | None = None


def build_view(graph: Graph, *, max_nodes: int = 2000, focus: str | None = None,
               types: Iterable[str] | None = None, depth: int = 2) -> View:
    """Select what a view of ``graph`` shows; ``render_html`` draws it.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
        A built graph; all quads of a Dataset are used.
    max_nodes : int
        Show at most this many nodes, the most central ones (degree centrality).
    focus : str, optional
        A node's name or IRI: show it and its neighbours up to ``depth``.
    types : iterable of str, optional
        Node types to keep (keys of ``kg.export.project.NODE_TYPES``: ``person``, ``policy`` ...).
    depth : int
        How many links away from ``focus`` a node may be.

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
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise InputError(Errors.E062.format(value=max_nodes))
    wanted = _resolve_types(types)
    net = to_networkx(union(graph))
    kinds = {t.key: t for t in NODE_TYPES}
    nodes = {n: d for n, d in net.nodes(data=True) if d["key"] in wanted}
    # one edge per relation between two nodes, however many triples say it
    relations = sorted({(s, o, d["relation"]) for s, o, d in net.edges(data=True)
                        if s in nodes and o in nodes and s != o})
    full = nx.MultiDiGraph()
    full.add_nodes_from(nodes)
    for s, o, label in relations:
        full.add_edge(s, o, label=label)
    total_nodes, total_edges = full.number_of_nodes(), len(set(full.edges()))
    items = {n: ViewNode(n, kinds[d["key"]], d["names"], d["articles"], d["evidence"], full.degree(n),
                         d.get("posts", ()), d.get("participants", ()))
             for n, d in nodes.items()}
    keep = set(items)
    focus_node = None
    if focus:
        focus_node = _find(items, focus)
        keep = set(nx.ego_graph(full.to_undirected(as_view=True), focus_node, radius=depth))
    note = None
    limited = False
    if len(keep) > max_nodes:
        sub = full.subgraph(keep).to_undirected(as_view=True)
        central = nx.degree_centrality(sub)
        order = sorted(keep, key=lambda n: (n != focus_node, -central[n], -len(items[n].articles), n))
        dropped = len(keep) - max_nodes
        keep = set(order[:max_nodes])
        limited = True
        note = (f"Showing the {max_nodes:,} most central of {max_nodes + dropped:,} nodes (degree centrality); "
                f"use kg view --max-nodes, --focus or --types to see others.")
    chosen = sorted(keep, key=lambda n: (_TYPE_ORDER[items[n].type.key], items[n].names[0], n))
    index = {n: i for i, n in enumerate(chosen)}
    labels: dict[tuple[int, int], set[str]] = defaultdict(set)
    for s, o, d in full.subgraph(keep).edges(data=True):
        labels[(index[s], index[o])].add(d["label"])
    # parallel relations between the same two nodes are drawn as one edge with every label
    edges = sorted((s, o, " · ".join(sorted(ls))) for (s, o), ls in labels.items())
    articles = {ev.article for n in chosen for ev in items[n].evidence if ev.article is not None}
    articles.update(a for n in chosen for a in items[n].articles)
    titles, dates = net.graph["titles"], net.graph["dates"]
    article_list = sorted(((a, titles[a], index.get(a), dates.get(a, "")) for a in articles),
                          key=lambda x: (x[1], x[0]))
    counts = {t.key: 0 for t in NODE_TYPES}
    for n in chosen:
        counts[items[n].type.key] += 1
    stats = ViewStats(nodes=len(chosen), edges=len(edges), total_nodes=total_nodes, total_edges=total_edges,
                      limited=limited, focus=focus_node, types=counts)
    return View(tuple(items[n] for n in chosen), tuple(edges), tuple(article_list), stats, note,
                index[focus_node] if focus_node is not None else None)


# --------------------------------------------------------------------------- what a busy view draws first


def collapse(view: View, *, above: int = _COLLAPSE_ABOVE, shown: tuple[int, int] = _SHOWN) -> dict:
    """What a busy view draws at first: each node's most linked neighbours, the others behind a "+N" node.

    The nodes are read breadth first from the focus (else from the most linked node of each part
    of the graph): each node is the ``parent`` of the neighbours it reaches first. Of a node's
    children of one type, the ``shown[0]`` most linked (``shown[1]`` below the first node) are
    drawn; the others go into one group, drawn as a "+N" node of that type that the page expands
    on a click. A child is drawn when its parent is and it is drawn at first or its group was
    expanded. A view of ``above`` nodes or fewer draws everything.

    Returns
    -------
    dict
        ``{"parent": [...], "group": [...], "groups": [{"hub", "type", "members"}]}``: for each node
        (by index) its parent (-1 for a first node) and its group (-1 when drawn at first).

    Examples
    --------
    >>> from kg.export.project import NODE_TYPES
    >>> kinds = {t.key: t for t in NODE_TYPES}
    >>> hub = ViewNode("urn:x:a", kinds["article"], ("a",), (), (), degree=5)
    >>> leaves = [ViewNode(f"urn:x:p{i}", kinds["policy"], (f"p{i}",), (), (), degree=1 + (i == 3)) for i in range(5)]
    >>> v = View((hub, *leaves), tuple((0, i, "mentions") for i in range(1, 6)), (), ViewStats(6, 5, 6, 5), None, None)
    >>> c = collapse(v, above=0, shown=(2, 2))
    >>> c["parent"], c["group"], c["groups"]
    ([-1, 0, 0, 0, 0, 0], [-1, -1, 0, 0, -1, 0], [{'hub': 0, 'type': 'policy', 'members': [2, 3, 5]}])
    """
    n = len(view.items)
    parent, group, groups = [-1] * n, [-1] * n, []
    if n <= above:
        return {"parent": parent, "group": group, "groups": groups}
    adj: dict[int, set[int]] = defaultdict(set)
    for s, o, _label in view.edges:
        adj[s].add(o)
        adj[o].add(s)

    def rank(i: int) -> tuple:
        it = view.items[i]
        return -len(adj[i]), -it.degree, -len(it.articles), it.names[0], it.iri

    seen: set[int] = set()
    starts = ([view.focus] if view.focus is not None else []) + sorted(range(n), key=rank)
    for start in starts:
        if start in seen:
            continue
        seen.add(start)
        queue = [start]
        while queue:
            hub = queue.pop(0)
            most = shown[0] if hub == start else shown[1]
            children = sorted((c for c in adj[hub] if c not in seen), key=rank)
            seen.update(children)
            by_type: dict[str, list[int]] = defaultdict(list)
            for c in children:
                parent[c] = hub
                by_type[view.items[c].type.key].append(c)
            for key in sorted(by_type, key=lambda k: _TYPE_ORDER[k]):
                kids = by_type[key]
                if len(kids) > most + 1:  # "+1" alone would hide as much as it shows
                    groups.append({"hub": hub, "type": key, "members": sorted(kids[most:])})
                    for c in kids[most:]:
                        group[c] = len(groups) - 1
            queue.extend(children)
    return {"parent": parent, "group": group, "groups": groups}


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
                          "springConstant": 0.05, "damping": 0.4, "avoidOverlap": 1.0,
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
        t = it.type
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
    boxes = {i for i, it in enumerate(view.items) if it.type.shape == "box"}
    for s, o, label in view.edges:
        # the relation is shown when the edge is hovered or its node selected (view.js), not on every edge;
        # an edge to a box is longer, so that what it links sits outside the box
        net.add_edge(s, o, rel=label, title=label, length=_BOX_EDGE if s in boxes or o in boxes else _EDGE)
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


_ROLE_ZH = {key: zh for key, _, zh in PARTICIPANT_ROLES}


def _posts_payload(posts: Sequence[Post], index: dict[str, int]) -> list[dict]:
    """A person's posts for the evidence panel: role, organization (and its node when drawn), dates, former.

    Examples
    --------
    >>> _posts_payload([Post("主席", "urn:x:o", "某省总工会", ("2023-01-02",))], {"urn:x:o": 3})
    [{'role': '主席', 'org': '某省总工会', 'node': 3, 'reported': ['2023-01-02'], 'former': False, 'appointed': [], 'removed': []}]
    """
    return [{"role": p.role, "org": p.organization_name, "node": index.get(p.organization, -1),
             "reported": list(p.reported), "former": p.former, "appointed": list(p.appointed),
             "removed": list(p.removed)} for p in posts]


def _participants_payload(people: Sequence[Participant], index: dict[str, int]) -> list[dict]:
    """An event's participants for the evidence panel: name, node when drawn, roles and their Chinese labels.

    Examples
    --------
    >>> _participants_payload([Participant("urn:x:p", "张三", ("chair", "speaker"))], {})
    [{'name': '张三', 'node': -1, 'roles': ['chair', 'speaker'], 'zh': ['主持', '发言']}]
    """
    return [{"name": p.name, "node": index.get(p.person, -1), "roles": list(p.roles),
             "zh": [_ROLE_ZH.get(r, r) for r in p.roles]} for p in people]


def timeline(articles: Iterable[str], posts: Sequence[Post], dates: dict[str, str]) -> list[list]:
    """A node's timeline: ``[month, articles, posts]`` for every month from its first to its last,
    counting the articles it is read in (by their date) and its posts reported (``nkg:reportedOn``).

    Articles without a date are left out; months with neither are ``0, 0``.

    Examples
    --------
    >>> timeline(["a1", "a2", "a3"], [Post("主席", "urn:x:o", "某会", ("2023-03-05",))],
    ...          {"a1": "2023-01-02", "a2": "2023-01-20", "a3": "2023-03-01"})
    [['2023-01', 2, 0], ['2023-02', 0, 0], ['2023-03', 1, 1]]
    >>> timeline(["a1"], [], {})
    []
    """
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in set(articles):
        month = dates.get(a, "")[:7]
        if re.fullmatch(r"\d{4}-\d{2}", month):
            counts[month][0] += 1
    for p in posts:
        for month in {d[:7] for d in p.reported if re.fullmatch(r"\d{4}-\d{2}", d[:7])}:
            counts[month][1] += 1
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        out.append([key, *counts.get(key, (0, 0))])
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _payload(view: View, title: str) -> dict:
    art_index = {a: i for i, (a, _, _, _) in enumerate(view.articles)}
    art_dates = {a: d for a, _, _, d in view.articles if d}
    node_index = {it.iri: i for i, it in enumerate(view.items)}
    nodes = []
    for i, it in enumerate(view.items):
        evidence = [[art_index.get(ev.article, -1), ev.sentence, [list(sp) for sp in ev.spans], " · ".join(ev.vias)]
                    for ev in it.evidence]  # in the projection's order: by article and place
        nodes.append({
            "id": i, "iri": it.iri, "type": it.type.key, "names": it.names,
            "keys": _pinyin(it.names), "count": len(it.articles), "degree": it.degree,
            "articles": sorted(art_index[a] for a in it.articles if a in art_index),
            "evidence": evidence[:_MAX_EVIDENCE], "more": max(0, len(evidence) - _MAX_EVIDENCE),
            "posts": _posts_payload(it.posts, node_index),
            "participants": _participants_payload(it.participants, node_index),
            "timeline": timeline(it.articles, it.posts, art_dates) if it.type.key != "article" else [],
        })
    return {
        "title": title,
        "types": [{"key": t.key, "label": t.label, "zh": t.label_zh, "color": t.color, "shape": t.shape,
                   "count": view.stats.types.get(t.key, 0)} for t in NODE_TYPES],
        "articles": [{"iri": a, "title": t, "node": n, "date": d} for a, t, n, d in view.articles],
        "nodes": nodes,
        "note": view.note,
        "focus": view.focus,
        "around": view.around,
        "budget_ms": _LAYOUT_BUDGET_MS,
        "tree": collapse(view),
        "stats": {"nodes": view.stats.nodes, "edges": view.stats.edges,
                  "total_nodes": view.stats.total_nodes, "total_edges": view.stats.total_edges},
    }


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


def _asset(name: str) -> str:
    """The text of the package file ``assets/<name>``: the page's template, style or script."""
    return resources.files("kg.export").joinpath("assets").joinpath(name).read_text(encoding="utf-8")


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


def render_view(view: View, title: str) -> str:
    """The HTML page of a ``View`` already selected (by :func:`build_view` or :func:`kg.export.around.around_view`).

    Examples
    --------
    >>> from rdflib import Graph
    >>> from kg.rdf.vocab import SCHEMA, ID, RDF
    >>> g = Graph(); _ = g.add((ID["person/a"], RDF.type, SCHEMA.Person))
    >>> render_view(build_view(g), "demo").startswith("<!DOCTYPE html>")
    True
    """
    return _render(view, title)


def write_view(view: View, path: str | os.PathLike, *, title: str = "newskg") -> ViewStats:
    """Write the HTML page of ``view`` to ``path`` atomically; return its statistics.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from rdflib import Graph
    >>> from kg.rdf.vocab import SCHEMA, ID, RDF
    >>> g = Graph(); _ = g.add((ID["person/a"], RDF.type, SCHEMA.Person))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "v.html"
    >>> write_view(build_view(g), out).nodes, out.exists()
    (1, True)
    """
    page = _render(view, title)
    with atomic_write(path) as f:
        f.write(page)
    return view.stats


def _render(view: View, title: str) -> str:
    nodes, edges, options = _build_network(view)
    data = _payload(view, title)
    data["vis"] = {"nodes": nodes, "edges": edges}
    vis_js, vis_css = _vis_assets()
    app_js = _asset("view.js")
    csp = ("default-src 'none'; script-src " + _csp_hash(vis_js) + " " + _csp_hash(app_js)
           + "; style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    parts = {
        "TITLE": html.escape(title, quote=True),
        "CSP": html.escape(csp, quote=False),
        "VIS_CSS": vis_css,
        "APP_CSS": _asset("view.css").replace("@@FONTS@@", _FONT_STACK),
        "VIS_JS": vis_js,
        "APP_JS": app_js,
        "DATA": _json_for_script(data),
        "OPTIONS": _json_for_script(options),
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], _asset("view.html"))


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
