"""The one projection of a built graph onto networkx: typed nodes with their names, view type,
articles and evidence, and the links between them. The HTML view and the GEXF / GraphML files draw it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import unquote

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.model import Label
from kg.rdf.labels import LABELS, LabelInfo
from kg.rdf.read import read_dataset, union
from kg.rdf.vocab import ITSRDF, NIF, NKG, ORG, PROV, RDF, RDFS, SCHEMA, SKOS
from kg.rdf.iris import short_name

__all__ = ["NODE_TYPES", "PARTICIPANT_ROLES", "PROVENANCE_TYPES", "Evidence", "Participant", "Post", "ViewType",
           "to_networkx"]


@dataclass(frozen=True)
class ViewType:
    """How one kind of node is drawn: its key, labels, colour and vis-network shape, and its classes."""

    key: str
    label: str
    label_zh: str
    color: str
    shape: str
    classes: tuple[URIRef, ...]

    @classmethod
    def of_label(cls, row: LabelInfo) -> ViewType:
        """The view type of an entity label's row of :data:`kg.rdf.labels.LABELS`.

        Examples
        --------
        >>> from kg.rdf.labels import info
        >>> t = ViewType.of_label(info("Person"))
        >>> t.key, t.label_zh, t.color, t.shape
        ('person', '人物', '#e15759', 'dot')
        """
        key = str(row.label).lower()
        return cls(key, key, row.name_zh, row.colour, row.shape, (row.cls, *row.classes))


#: Articles and the measures of policies are drawn too; they are not entity labels.
_ARTICLE = ViewType("article", "article", "文章", "#c9d4e3", "box", (SCHEMA.NewsArticle, SCHEMA.Article))
_MEASURE = ViewType("measure", "measure", "措施", "#b07aa1", "hexagon", (NKG.Measure,))


def _node_types() -> tuple[ViewType, ...]:
    rows = [_ARTICLE]
    for row in LABELS.values():
        rows.append(ViewType.of_label(row))
        if row.label is Label.POLICY:
            rows.append(_MEASURE)  # a policy's measures come right after it
    return tuple(rows)


#: The node types of the view, in legend order: articles, the entity labels of
#: :data:`kg.rdf.labels.LABELS` and measures; a node takes the first type whose class it has.
NODE_TYPES: tuple[ViewType, ...] = _node_types()
_CLASS_TYPE = {c: i for i, t in enumerate(NODE_TYPES) for c in t.classes}

#: Classes of the nodes that record where facts were read, left out unless asked for.
PROVENANCE_TYPES = frozenset({NIF.Context, NIF.Phrase, NIF.Paragraph, NIF.Title, NIF.String, NIF.RFC5147String,
                              RDF.Statement, NKG.Extractor, PROV.SoftwareAgent})

_LABEL_PROPS = (SCHEMA.name, SCHEMA.headline, RDFS.label, SCHEMA.description, NIF.anchorOf)  # Gephi's label
_GENERIC = frozenset({NKG.Policy, PROV.SoftwareAgent})
#: Properties whose literals are a node's names, best first.
_NAME_PROPS = (SCHEMA.name, SCHEMA.headline, SKOS.prefLabel, RDFS.label, SCHEMA.alternateName, SKOS.altLabel,
               SCHEMA.description)
_SENTENCE_END = "。！？!?；;\n"
_CONTEXT_CHARS = 120  # at most this many characters of a sentence on each side of a span


@dataclass(frozen=True)
class Evidence:
    """One sentence a node was read in.

    ``context`` and ``article`` are the IRIs of the ``nif:Context`` and of its article
    (``None`` when the context names none); ``begin`` is the smallest offset in the context
    of a span read there (for ordering). ``spans`` are offsets in ``sentence``, sorted: the
    spans of the node's names when it was read there as a name, else those of the facts.
    ``vias`` are the ways it was read there: ``mention`` first, then the others sorted
    (``author``, ``post``, ``source``, ``statement`` …).
    """

    context: str
    article: str | None
    sentence: str
    begin: int
    spans: tuple[tuple[int, int], ...]
    vias: tuple[str, ...]

    def sort_key(self) -> tuple:
        """Article, then place in the context: the order a node's evidence is listed in."""
        return (self.article is not None, self.article or "", self.begin, self.context, self.sentence, self.spans)


@dataclass(frozen=True)
class Post:
    """One post a person holds (an ``org:Membership``): the role's label, the organization (IRI and name),
    the dates of the articles that report it (``nkg:reportedOn``, sorted), whether it is reported as held
    before (``nkg:former``), and the dates of an appointment or removal when reported."""

    role: str
    organization: str
    organization_name: str
    reported: tuple[str, ...] = ()
    former: bool = False
    appointed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def sort_key(self) -> tuple:
        """Current posts first, then by first report, organization and role."""
        return (self.former, self.reported[:1] or ("~",), self.organization_name, self.role, self.organization)


@dataclass(frozen=True)
class Participant:
    """One person who took part in an event: IRI, name, and the roles the graph states (keys of
    :data:`PARTICIPANT_ROLES`, in its order; ``("attendee",)`` when nothing more is known)."""

    person: str
    name: str
    roles: tuple[str, ...]


#: The roles of a participant: key, the property (a subproperty of ``schema:attendee``), label in Chinese.
PARTICIPANT_ROLES: tuple[tuple[str, URIRef, str], ...] = (
    ("chair", NKG.chair, "主持"), ("speaker", NKG.speaker, "发言"), ("party", NKG.party, "会谈方"),
    ("accompanier", NKG.accompanier, "陪同"), ("attendee", SCHEMA.attendee, "出席"))


def _label(g: Graph, node: URIRef) -> str:
    for prop in _LABEL_PROPS:
        values = sorted(g.objects(node, prop), key=lambda v: (getattr(v, "language", None) != "zh", str(v)))
        if values:
            return str(values[0])
    return short_name(str(node))


def _type(types: set[URIRef]) -> str:
    specific = sorted(types - _GENERIC) or sorted(types)
    return short_name(str(specific[0])) if specific else ""


def _names(g: Graph, node: Node) -> tuple[str, ...]:
    out: list[str] = []
    for prop in _NAME_PROPS:
        lits = [o for o in g.objects(node, prop) if isinstance(o, Literal)]
        lits.sort(key=lambda lit: (lit.language != "zh", lit.language is not None, str(lit)))
        for lit in lits:
            text = " ".join(str(lit).split())
            if text and text not in out:
                out.append(text)
    return tuple(out)


def _tail(node: Node) -> str:
    text = unquote(str(node)).rstrip("/#")
    return re.split(r"[/#]", text)[-1] or text


def _one(g: Graph, node: Node, prop: URIRef) -> Node | None:
    """The smallest object of ``(node, prop, ?)``: one value, the same whatever order the store keeps."""
    found = None
    for o in g.objects(node, prop):
        if found is None or o < found:
            found = o
    return found


def _int(g: Graph, node: Node, prop: URIRef) -> int | None:
    val = _one(g, node, prop)
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


class _Sentence:
    """What is known of one sentence a node was read in, gathered in any order."""

    __slots__ = ("article", "begin", "names", "facts", "vias")

    def __init__(self, article: str | None, begin: int):
        self.article, self.begin = article, begin
        self.names: set[tuple[int, int]] = set()
        self.facts: set[tuple[int, int]] = set()
        self.vias: set[str] = set()

    def evidence(self, context: str, sentence: str) -> Evidence:
        vias = sorted(self.vias - {"mention"})
        if "mention" in self.vias:
            vias.insert(0, "mention")
        # a name's own spans are a better highlight than a whole fact's
        return Evidence(context, self.article, sentence, self.begin, tuple(sorted(self.names or self.facts)),
                        tuple(vias))


class _Projection:
    """Reads the projection out of one flat graph: nodes, links, and for the view's nodes their evidence."""

    def __init__(self, g: Graph, provenance: bool):
        self.g = g
        types: dict[URIRef, set[URIRef]] = {}
        for s, t in g.subject_objects(RDF.type):
            if isinstance(s, URIRef) and isinstance(t, URIRef):
                types.setdefault(s, set()).add(t)
        self.types = {s: ts for s, ts in types.items() if provenance or not ts <= PROVENANCE_TYPES}
        self.keys: dict[URIRef, str] = {}  # the view's nodes and their type keys
        for s, ts in self.types.items():
            found = [_CLASS_TYPE[t] for t in ts if t in _CLASS_TYPE]
            if found:
                self.keys[s] = NODE_TYPES[min(found)].key
        self.articles: dict[URIRef, set[str]] = {s: set() for s in self.keys}
        self.sentences: dict[URIRef, dict[tuple[str, str], _Sentence]] = {s: {} for s in self.keys}
        self.titles: dict[str, str] = {}
        self.dates: dict[str, str] = {}
        self.contexts: dict[Node, tuple[str, Node | None] | None] = {}

    def _article(self, article: Node) -> str:
        """The IRI of ``article``, its title noted in ``titles``."""
        key = str(article)
        if key not in self.titles:
            names = _names(self.g, article)
            self.titles[key] = names[0] if names else _tail(article)
            date = _one(self.g, article, SCHEMA.datePublished)
            if isinstance(date, Literal):
                self.dates[key] = str(date)
        return key

    def _context(self, ctx: Node) -> tuple[str, Node | None] | None:
        if ctx not in self.contexts:
            text = _one(self.g, ctx, NIF.isString)
            self.contexts[ctx] = (str(text), _one(self.g, ctx, NIF.sourceUrl)) if text is not None else None
        return self.contexts[ctx]

    def _add_evidence(self, node: Node, span: Node, via: str) -> None:
        sentences = self.sentences.get(node)
        ctx = _one(self.g, span, NIF.referenceContext)
        b, e = _int(self.g, span, NIF.beginIndex), _int(self.g, span, NIF.endIndex)
        if sentences is None or ctx is None or b is None or e is None:
            return
        found = self._context(ctx)
        if found is None or not 0 <= b <= e <= len(found[0]):
            return
        text, article = found
        article_key = None
        if article is not None:
            article_key = self._article(article)
            self.articles[node].add(article_key)
        sent, sb, se = _sentence(text, b, e)
        got = sentences.get((str(ctx), sent))  # one sentence is shown once, with every span and way it was read
        if got is None:
            got = sentences[(str(ctx), sent)] = _Sentence(article_key, b)
        got.begin = min(got.begin, b)
        got.vias.add(via)
        (got.names if via == "mention" else got.facts).add((sb, se))

    def _read_articles(self) -> None:
        for node, key in self.keys.items():
            if key == "article":
                self.articles[node].add(self._article(node))
        for s, o in self.g.subject_objects(SCHEMA.mentions):
            if self.keys.get(s) == "article" and o in self.keys:
                self.articles[o].add(self._article(s))

    def _read_evidence(self) -> None:
        g = self.g
        for mention, node in g.subject_objects(ITSRDF.taIdentRef):
            self._add_evidence(node, mention, "mention")
        for thing, span in g.subject_objects(PROV.wasDerivedFrom):
            if thing in self.keys:
                self._add_evidence(thing, span, "source")
                continue
            pred = _one(g, thing, RDF.predicate)
            if pred is not None:  # a reified fact: evidence for both ends
                nodes, via = [_one(g, thing, RDF.subject), _one(g, thing, RDF.object)], _tail(pred)
            elif (thing, RDF.type, ORG.Membership) in g:
                nodes, via = [_one(g, thing, ORG.member), _one(g, thing, ORG.organization)], "post"
            elif (thing, RDF.type, NKG.Statement) in g:
                nodes = [*g.objects(thing, SCHEMA.author), *g.objects(thing, NKG.atEvent)]
                via = "statement"
            else:
                continue
            for node in nodes:
                if node in self.keys:
                    self._add_evidence(node, span, via)

    def _posts(self) -> dict[Node, list[Post]]:
        g, out = self.g, {}
        for m in g.subjects(RDF.type, ORG.Membership):
            person, org = _one(g, m, ORG.member), _one(g, m, ORG.organization)
            if person not in self.keys or org is None:
                continue
            role = _one(g, m, ORG.role)
            role_names = _names(g, role) if role is not None else ()
            org_names = _names(g, org)
            dates = lambda prop: tuple(sorted({str(d) for d in g.objects(m, prop)}))  # noqa: E731
            out.setdefault(person, []).append(Post(
                role_names[0] if role_names else "", str(org), org_names[0] if org_names else _tail(org),
                dates(NKG.reportedOn), any(v.toPython() is True for v in g.objects(m, NKG.former)),
                dates(NKG.appointedOn), dates(NKG.removedOn)))
        return {p: sorted(set(posts), key=Post.sort_key) for p, posts in out.items()}

    def _participants(self, event: Node) -> tuple[Participant, ...]:
        g, roles = self.g, {}
        for key, prop, _ in PARTICIPANT_ROLES:
            for person in g.objects(event, prop):
                if isinstance(person, URIRef):
                    roles.setdefault(person, []).append(key)
        out = []
        order = {key: i for i, (key, _, _) in enumerate(PARTICIPANT_ROLES)}
        for person, keys in roles.items():
            specific = [k for k in keys if k != "attendee"] or ["attendee"]
            names = _names(g, person)
            out.append(Participant(str(person), names[0] if names else _tail(person),
                                   tuple(sorted(set(specific), key=order.__getitem__))))
        # who presided first, then who spoke ..., then by name
        return tuple(sorted(out, key=lambda p: (order[p.roles[0]], p.name, p.person)))

    def graph(self) -> nx.MultiDiGraph:
        g, types, keys = self.g, self.types, self.keys
        self._read_articles()
        self._read_evidence()
        posts = self._posts()
        out = nx.MultiDiGraph()
        for node in sorted(types):
            names = _names(g, node) or (_tail(node),)
            attrs = {"label": _label(g, node), "type": _type(types[node]), "iri": str(node),
                     "key": keys.get(node), "names": names}
            if node in keys:
                evidence = sorted((s.evidence(ctx, sent) for (ctx, sent), s in self.sentences[node].items()),
                                  key=Evidence.sort_key)
                articles = tuple(sorted(self.articles[node]))
                attrs.update(articles=articles, count=len(articles), evidence=tuple(evidence),
                             posts=tuple(posts.get(node, ())),
                             participants=self._participants(node) if keys[node] == "event" else ())
            out.add_node(str(node), **attrs)
        for s, p, o in sorted(g):
            if p != RDF.type and s in types and o in types and not isinstance(o, Literal):
                out.add_edge(str(s), str(o), label=short_name(str(p)), relation=_tail(p))
        for m in sorted(g.subjects(RDF.type, ORG.Membership)):
            person, org = _one(g, m, ORG.member), _one(g, m, ORG.organization)
            if person in types and org in types and person != org:
                role = _one(g, m, ORG.role)
                names = _names(g, role) if role is not None else ()
                out.add_edge(str(person), str(org), label=short_name(str(ORG.Membership)),
                             relation=names[0] if names else "member", via=str(m))
        out.graph["titles"] = dict(sorted(self.titles.items()))
        out.graph["dates"] = dict(sorted(self.dates.items()))
        return out


def to_networkx(graph: Graph | str | os.PathLike, *, provenance: bool = False) -> nx.MultiDiGraph:
    """The typed IRI nodes of ``graph`` and the links between them, as one networkx graph.

    Each node is an IRI with an ``rdf:type``, keyed by the IRI; its attributes are ``iri``,
    ``label`` (its Chinese ``schema:name``, headline or ``rdfs:label``), ``type`` (the most
    specific class, as a prefixed name), ``names`` (every name, best first) and ``key``
    (the key of its :data:`NODE_TYPES` row, ``None`` when the view does not draw it). A node
    the view draws also has ``articles`` (the IRIs of the articles it is read in, sorted),
    ``count`` (how many) and ``evidence`` (the :class:`Evidence` of each sentence it is read
    in, by article and place), ``posts`` (a person's :class:`Post` list, current first) and
    ``participants`` (an event's :class:`Participant` list, who presided first). Each triple linking two nodes is an edge with ``label`` (the
    property's prefixed name) and ``relation`` (its local name); each ``org:Membership`` is
    also a shortcut edge from the member to the organization whose ``relation`` is the
    role's name (``member`` when it has none), ``via`` the membership's IRI and ``label``
    ``org:Membership``. The graph attribute ``titles`` maps each of those articles to its
    title, ``dates`` those that have a ``schema:datePublished`` to it (as written, ``2023-01-02``). Named graphs are merged; everything is in a fixed order, whatever the order of
    the input.

    Parameters
    ----------
    graph : rdflib.Graph or path
        A graph or dataset, or a graph file / store folder that :func:`kg.rdf.read.read_dataset` reads.
    provenance : bool
        Keep NIF contexts, mentions, reified facts and extractors as nodes (left out by default).

    Returns
    -------
    networkx.MultiDiGraph

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> a, p = URIRef("urn:x:a"), URIRef("urn:x:p")
    >>> _ = g.add((a, RDF.type, SCHEMA.NewsArticle)); _ = g.add((a, SCHEMA.headline, Literal("标题", lang="zh")))
    >>> _ = g.add((p, RDF.type, SCHEMA.Person)); _ = g.add((a, SCHEMA.author, p))
    >>> n = to_networkx(g)
    >>> n.nodes["urn:x:a"]["label"], [(u, v, d["label"]) for u, v, d in n.edges(data=True)]
    ('标题', [('urn:x:a', 'urn:x:p', 'schema:author')])
    >>> n.nodes["urn:x:p"]["key"], n.nodes["urn:x:p"]["names"], n.nodes["urn:x:a"]["count"]
    ('person', ('urn:x:p',), 1)
    """
    if not isinstance(graph, Graph):
        graph = read_dataset(graph)
    return _Projection(union(graph), provenance).graph()
