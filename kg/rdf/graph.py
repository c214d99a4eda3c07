"""Pages, entities and relations -> RDF quads: one named graph per article, a default graph for the rest.

The quads are pyoxigraph's (:func:`build_quads`), which Rust code serializes and loads;
:func:`build_dataset` gives the same quads as an rdflib ``Dataset``.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partialmethod
from typing import Iterable

import pyoxigraph as ox
from rdflib import Dataset

from kg import __version__
from kg.extract import Extraction
from kg.model import Article, Label, Page, Ref, Relation
from kg.rdf.iris import IRIs
from kg.rdf.labels import POLICY_CLASSES, info
from kg.rdf.serialize import Part, render
from kg.rdf.terms import DEFAULT, ITSRDF, NIF, NKG, ORG, PROV, RDF, RDFS, SCHEMA, XSD, to_dataset
from kg.resolve import Entities, Entity

N = ox.NamedNode

#: Relation predicates -> RDF properties (facts that are also reified with their evidence).
PREDICATES = {
    "author": SCHEMA.author, "contributor": SCHEMA.contributor, "affiliation": SCHEMA.affiliation,
    "parent": SCHEMA.parentOrganization, "organizer": SCHEMA.organizer, "attendee": SCHEMA.attendee,
    "startDate": SCHEMA.startDate, "publisher": SCHEMA.publisher, "location": SCHEMA.location,
}

#: The role a participant took in an event -> the subproperty of schema:attendee that says it.
ROLE_PROPERTIES = {"chair": NKG.chair, "speaker": NKG.speaker, "reporter": NKG.reporter, "accompanier": NKG.accompanier,
                   "party": NKG.party}

TRUE = ox.Literal("true", datatype=XSD.boolean)


def zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


def nonneg(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD.nonNegativeInteger)


def integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD.integer)


def date_literal(value: str) -> ox.Literal:
    """``--11-10`` as xsd:gMonthDay, ``2022-11-10`` as xsd:date."""
    if value.startswith("--"):
        return ox.Literal(value, datatype=XSD.gMonthDay)
    return ox.Literal(value, datatype=XSD.date)


class Sink:
    """The quads of a graph as they are made: each once, in the order first made."""

    __slots__ = ("quads",)

    def __init__(self) -> None:
        self.quads: dict[ox.Quad, None] = {}

    def add(self, g, s, p, o) -> None:
        """Add ``s p o`` to graph ``g`` (a graph name or :data:`DEFAULT`)."""
        self.quads[ox.Quad(s, p, o, g)] = None


class _Iris:
    """The build's IRIs (made by :class:`kg.rdf.iris.IRIs`) as pyoxigraph nodes, the repeated ones made once."""

    __slots__ = ("iris", "_memo")

    def __init__(self, base: str | None) -> None:
        self.iris = IRIs.under(base, N)
        self._memo: dict = {}

    def _node(self, kind: str, part):
        key = (kind, part)
        n = self._memo.get(key)
        if n is None:
            n = self._memo[key] = getattr(self.iris, kind)(part)
        return n

    #: page, article, context and graph by id, entity by Ref, extractor, role and actor by name
    page = partialmethod(_node, "page")
    article = partialmethod(_node, "article")
    context = partialmethod(_node, "context")
    graph = partialmethod(_node, "graph")
    entity = partialmethod(_node, "entity")
    extractor = partialmethod(_node, "extractor")
    role = partialmethod(_node, "role")
    actor = partialmethod(_node, "actor")

    def section(self, aid: str, n: int) -> ox.NamedNode:
        return self.iris.section(aid, n)

    def span(self, aid: str, start: int, end: int) -> ox.NamedNode:
        return self.iris.span(aid, start, end)

    def of(self, folder: str, *parts) -> ox.NamedNode:
        return self.iris.of(folder, *(p.value if isinstance(p, (ox.NamedNode, ox.Literal)) else p for p in parts))


def build_dataset(pages: Iterable[Page], records: Extraction, entities: Entities | None = None, *,
                  base: str | None = None, extractors: Iterable[str] = ()) -> Dataset:
    """The quads of :func:`build_quads` as an rdflib ``Dataset`` (parameters as there).

    Examples
    --------
    >>> from kg.segment.layout import segment_page
    >>> from kg.extract import extract_page
    >>> from kg.resolve import resolve
    >>> page = segment_page("标题\\n\\n张三\\n\\n正文。")
    >>> ds = build_dataset([page], *resolve(extract_page(page)))
    >>> len([g for g in ds.graphs() if len(g)]) >= 2
    True
    """
    return to_dataset(build_quads(pages, records, entities, base=base, extractors=extractors))


def build_quads(pages: Iterable[Page], records: Extraction, entities: Entities | None = None, *,
                base: str | None = None, extractors: Iterable[str] = ()) -> list[ox.Quad]:
    """The RDF quads of a build, each once.

    Parameters
    ----------
    pages : iterable of Page
        The segmented inputs.
    records : Extraction
        Mentions, relations, measures and statements of those pages, as resolved.
    entities : Entities, optional
        The entities to describe, with the extractors (the corpus part of the default
        graph); None for none: a streaming build describes them once, after its pages.
    base : str, optional
        Base of instance IRIs (default ``https://w3id.org/newskg/id/``).
    extractors : iterable of str
        Extractors to describe besides those the records name.

    Returns
    -------
    list of pyoxigraph.Quad
        One named graph per article (``id/graph/<article>``) and the default graph.

    Examples
    --------
    >>> from kg.segment.layout import segment_page
    >>> from kg.extract import extract_page
    >>> from kg.resolve import resolve
    >>> page = segment_page("标题\\n\\n张三\\n\\n正文。")
    >>> quads = build_quads([page], *resolve(extract_page(page)))
    >>> sorted({q.graph_name.value.rsplit("/", 2)[-2] for q in quads if q.graph_name != DEFAULT})
    ['graph']
    """
    iris = _Iris(base)
    sink = Sink()
    add = sink.add
    pages = list(pages)
    articles = {a.id: a for p in pages for a in p.articles}
    dates = {a.id: a.meta.date or p.meta.date for p in pages for a in p.articles}
    graphs = {aid: iris.graph(aid) for aid in articles}

    def g_of(article_id: str):
        return graphs.get(article_id, DEFAULT)

    used_extractors: set[str] = set()
    for page in pages:
        _page(sink, iris, page)
        for art in page.articles:
            _article(sink, graphs[art.id], iris, page, art)
    # entities
    for ref, ent in sorted(entities.by_ref.items()) if entities is not None else ():
        node = iris.entity(ref)
        add(DEFAULT, node, RDF.type, info(ref.label).ox)
        if ref.label == Label.POLICY and ent.subtype in POLICY_CLASSES:
            add(DEFAULT, node, RDF.type, N(POLICY_CLASSES[ent.subtype]))
        add(DEFAULT, node, SCHEMA.name, zh(ent.name))
        for alt in sorted(ent.alts):
            add(DEFAULT, node, SCHEMA.alternateName, zh(alt))
    # mentions
    for m in records.mentions:
        g = g_of(m.article_id)
        node = iris.span(m.article_id, m.start, m.end)
        ent = iris.entity(m.key)
        add(g, node, RDF.type, NIF.Phrase)
        add(g, node, NIF.referenceContext, iris.context(m.article_id))
        add(g, node, NIF.beginIndex, nonneg(m.start))
        add(g, node, NIF.endIndex, nonneg(m.end))
        add(g, node, NIF.anchorOf, zh(m.text))
        add(g, node, ITSRDF.taIdentRef, ent)
        add(g, node, ITSRDF.taClassRef, info(m.label).ox)
        add(g, node, PROV.wasAttributedTo, iris.extractor(m.extractor))
        used_extractors.add(m.extractor)
        if m.article_id in articles:
            add(g, iris.article(m.article_id), SCHEMA.mentions, ent)
    # relations
    for rel in sorted(records.relations, key=_rel_key):
        used_extractors.add(rel.extractor)
        _relation(sink, g_of(rel.article_id), iris, rel, dates.get(rel.article_id, ""))
    # measures
    policies = defaultdict(list)
    for m in records.mentions:
        if m.label == Label.POLICY:
            policies[m.article_id].append(m)
    for ms in sorted(records.measures, key=lambda m: (m.article_id, m.start)):
        _measure(sink, g_of(ms.article_id), iris, ms, policies.get(ms.article_id, []), articles.get(ms.article_id))
        used_extractors.add(ms.extractor)
    # documents passed by a session: the policies named in the span of an "adopts" record
    for rel in sorted(records.relations, key=_rel_key):
        if rel.predicate == "adopts":
            _adopted(sink, g_of(rel.article_id), iris, rel, policies.get(rel.article_id, []))
    # statements: tied to the events of their article that their speaker took part in
    meetings: dict[tuple[str, str], set[Ref]] = defaultdict(set)
    for rel in records.relations:
        if rel.predicate == "attendee":
            meetings[(rel.article_id, rel.obj.name)].add(rel.subject)
    for st in sorted(records.statements, key=lambda s: (s.article_id, s.start)):
        g = g_of(st.article_id)
        node = iris.of("statement", st.article_id, st.start, st.end)
        add(g, node, RDF.type, NKG.Statement)
        add(g, node, SCHEMA.text, zh(st.text))
        add(g, node, SCHEMA.author, iris.entity(Ref(Label.PERSON, st.speaker)))
        add(g, node, SCHEMA.isPartOf, iris.article(st.article_id))
        for ev in sorted(meetings.get((st.article_id, st.speaker), ())):
            add(g, node, NKG.atEvent, iris.entity(ev))
        _evidence(sink, g, iris, node, st.article_id, st.start, st.end, st.extractor)
        used_extractors.add(st.extractor)
    for name in sorted(used_extractors | set(extractors)) if entities is not None else ():
        node = iris.extractor(name)
        add(DEFAULT, node, RDF.type, NKG.Extractor)
        add(DEFAULT, node, RDF.type, PROV.SoftwareAgent)
        add(DEFAULT, node, RDFS.label, ox.Literal(name))
        add(DEFAULT, node, SCHEMA.softwareVersion, ox.Literal(__version__))
    return list(sink.quads)


def page_part(page: Page, records: Extraction, *, base: str | None = None) -> Part:
    """One page's part of the graph files (:class:`kg.rdf.serialize.Part`): its quads, rendered.

    Examples
    --------
    >>> from kg.segment.layout import segment_page
    >>> from kg.extract import extract_page
    >>> from kg.resolve import keep
    >>> page = segment_page("标题\\n\\n张三\\n\\n正文。")
    >>> part = page_part(page, keep(extract_page(page)))
    >>> part.quads > 10, b"schema:headline" in part.trig
    (True, True)
    """
    return render(build_quads([page], records, None, base=base), IRIs.under(base).scoped())


def entity_stubs(records: Extraction, *, base: str | None = None) -> list[ox.Quad]:
    """What the corpus part will say of the entities ``records`` name (their class and name), so a
    chunk of pages can be validated before the entities of the whole build are known.

    Examples
    --------
    >>> from kg.model import Mention
    >>> [q.predicate.value.rsplit("/", 1)[-1] for q in entity_stubs(Extraction.of([Mention("a", 0, 2, "张三", "Person", "张三")]))]
    ['22-rdf-syntax-ns#type', 'name']
    """
    refs = {m.key for m in records.mentions}
    for rel in records.relations:
        if rel.subject.label != Label.ARTICLE:
            refs.add(rel.subject)
        if isinstance(rel.obj, Ref):
            refs.add(rel.obj)
    refs.update(Ref(Label.PERSON, st.speaker) for st in records.statements)
    stubs = Entities({ref: Entity(ref.label, ref.name) for ref in refs})
    return build_quads([], Extraction(), stubs, base=base)


def _rel_key(r: Relation) -> tuple:
    return (r.article_id, r.start, r.end, r.predicate, r.subject, str(r.obj), r.role)


def _page(sink: Sink, iris: _Iris, page: Page) -> None:
    node = iris.page(page.id)
    sink.add(DEFAULT, node, RDF.type, NKG.Page)
    if page.meta.source:
        sink.add(DEFAULT, node, SCHEMA.name, ox.Literal(page.meta.source.rsplit("/", 1)[-1]))
    if page.meta.column:
        sink.add(DEFAULT, node, NKG.column, zh(page.meta.column))
    _publication(sink, DEFAULT, iris, node, page.meta)


def _publication(sink: Sink, g, iris: _Iris, node, meta) -> None:
    add = sink.add
    if meta.date:
        add(g, node, SCHEMA.datePublished, date_literal(meta.date[:10]))
    if meta.publisher:
        org = iris.entity(Ref(Label.ORGANIZATION, meta.publisher))
        add(g, node, SCHEMA.publisher, org)
        # what the publisher is goes to the default graph once, not into every article's graph
        add(DEFAULT, org, RDF.type, SCHEMA.Organization)
        add(DEFAULT, org, SCHEMA.name, zh(meta.publisher))
    if meta.page:
        add(g, node, SCHEMA.pagination, ox.Literal(str(meta.page)))
    if meta.url:
        add(g, node, SCHEMA.url, _url(meta.url))
    if meta.section:
        add(g, node, SCHEMA.articleSection, zh(meta.section))


def _url(url: str):
    """A web address as an IRI; anything else (or an address no IRI can be made of) as a literal."""
    if url.startswith(("http://", "https://")):
        try:
            return N(url)
        except ValueError:
            pass
    return ox.Literal(url)


def _article(sink: Sink, g, iris: _Iris, page: Page, art: Article) -> None:
    add = sink.add
    node = iris.article(art.id)
    ctx = iris.context(art.id)
    add(g, node, RDF.type, SCHEMA.NewsArticle)
    add(g, node, SCHEMA.headline, zh(art.title))
    add(g, node, SCHEMA.isPartOf, iris.page(page.id))
    add(g, node, SCHEMA.identifier, ox.Literal(art.id))
    _publication(sink, g, iris, node, art.meta)
    if art.abstract:
        add(g, node, SCHEMA.abstract, zh(art.abstract))
    add(g, ctx, RDF.type, NIF.Context)
    add(g, ctx, NIF.isString, zh(art.text))
    add(g, ctx, NIF.sourceUrl, node)
    section = None
    n_section = 0
    for start, block in zip(art.starts, art.blocks):
        if block.role == "heading":
            n_section += 1
            section = iris.section(art.id, n_section)
            add(g, section, RDF.type, NKG.Section)
            add(g, section, SCHEMA.name, zh(block.text))
            add(g, section, SCHEMA.position, integer(n_section))
            add(g, node, SCHEMA.hasPart, section)
        if block.role not in ("title", "subtitle", "paragraph", "heading", "abstract") or not block.text:
            continue
        span = iris.span(art.id, start, start + len(block.text))
        add(g, span, RDF.type, NIF.Title if block.role in ("title", "subtitle", "heading") else NIF.Paragraph)
        add(g, span, NIF.referenceContext, ctx)
        add(g, span, NIF.beginIndex, nonneg(start))
        add(g, span, NIF.endIndex, nonneg(start + len(block.text)))
        if block.offsets and block.offsets[0] >= 0:
            add(g, span, NKG.pageBeginIndex, nonneg(block.source_start))
            add(g, span, NKG.pageEndIndex, nonneg(block.source_end))
        if section is not None and block.role == "paragraph":
            add(g, span, NKG.inSection, section)


def _evidence(sink: Sink, g, iris: _Iris, node, article_id: str, start: int, end: int, extractor: str) -> None:
    add = sink.add
    span = iris.span(article_id, start, end)
    add(g, span, RDF.type, NIF.String)
    add(g, span, NIF.referenceContext, iris.context(article_id))
    add(g, span, NIF.beginIndex, nonneg(start))
    add(g, span, NIF.endIndex, nonneg(end))
    add(g, node, PROV.wasDerivedFrom, span)
    add(g, node, PROV.wasAttributedTo, iris.extractor(extractor))


#: Qualifiers of a post (``member:<status>``): the Membership's nkg property, set to the reporting date.
_POST_STATUS = {"appointed": "appointedOn", "removed": "removedOn"}


def _membership(sink: Sink, g, iris: _Iris, rel: Relation, subj, date: str) -> None:
    """An org:Membership: one node per person, body, role and status (current or former), dated by the
    articles that report it (``nkg:reportedOn``); a former post (原…, 曾任…, 免去…) is ``nkg:former true``,
    an appointment or removal carries its date (``nkg:appointedOn``, ``nkg:removedOn``)."""
    add = sink.add
    status = rel.predicate.partition(":")[2]
    former = status in ("former", "removed")
    org = iris.entity(rel.obj)
    m = iris.of("membership", rel.subject.name, rel.obj.name, rel.role, *(["former"] if former else []))
    role = iris.role(rel.role)
    add(DEFAULT, m, RDF.type, ORG.Membership)
    add(DEFAULT, m, ORG.member, subj)
    add(DEFAULT, m, ORG.organization, org)
    add(DEFAULT, m, ORG.role, role)
    add(DEFAULT, role, RDF.type, ORG.Role)
    add(DEFAULT, role, RDFS.label, zh(rel.role))
    if former:
        add(DEFAULT, m, NKG.former, TRUE)
    if date and len(date) >= 10:
        day = date_literal(date[:10])
        add(DEFAULT, m, NKG.reportedOn, day)
        if status in _POST_STATUS:
            add(DEFAULT, m, NKG[_POST_STATUS[status]], day)
    _evidence(sink, g, iris, m, rel.article_id, rel.start, rel.end, rel.extractor)


def _relation(sink: Sink, g, iris: _Iris, rel: Relation, date: str = "") -> None:
    add = sink.add
    subj = iris.article(rel.subject.name) if rel.subject.label == Label.ARTICLE else iris.entity(rel.subject)
    if rel.predicate.split(":")[0] == "member":
        _membership(sink, g, iris, rel, subj, date)
        return
    if rel.predicate == "adopts":
        return  # written by _adopted, once the policies of the article are known
    pred = PREDICATES[rel.predicate]
    obj = date_literal(rel.obj) if isinstance(rel.obj, str) else iris.entity(rel.obj)
    target = g if rel.subject.label == Label.ARTICLE else DEFAULT
    add(target, subj, pred, obj)
    if rel.predicate == "attendee" and rel.role in ROLE_PROPERTIES:
        pred = ROLE_PROPERTIES[rel.role]  # the role said, a subproperty of schema:attendee; its evidence below
        add(target, subj, pred, obj)
        if rel.role == "reporter":  # a reporter is a speaker: both said, no reasoner needed
            add(target, subj, NKG.speaker, obj)
    fact = iris.of("fact", subj, pred, obj, rel.article_id, rel.start)
    add(g, fact, RDF.type, RDF.Statement)
    add(g, fact, RDF.subject, subj)
    add(g, fact, RDF.predicate, pred)
    add(g, fact, RDF.object, obj)
    _evidence(sink, g, iris, fact, rel.article_id, rel.start, rel.end, rel.extractor)


def _adopted(sink: Sink, g, iris: _Iris, rel: Relation, policies: list) -> None:
    """``?policy nkg:adoptedAt ?event`` for each policy named in the span of an ``adopts`` record, with its evidence."""
    add = sink.add
    event = iris.entity(rel.subject)
    for m in policies:
        if rel.start <= m.start and m.end <= rel.end:
            policy = iris.entity(m.key)
            add(DEFAULT, policy, NKG.adoptedAt, event)
            fact = iris.of("fact", policy, NKG.adoptedAt, event, rel.article_id, m.start)
            add(g, fact, RDF.type, RDF.Statement)
            add(g, fact, RDF.subject, policy)
            add(g, fact, RDF.predicate, NKG.adoptedAt)
            add(g, fact, RDF.object, event)
            _evidence(sink, g, iris, fact, rel.article_id, m.start, m.end, rel.extractor)


def _measure(sink: Sink, g, iris: _Iris, ms, policies: list, art: Article | None) -> None:
    add = sink.add
    node = iris.of("measure", ms.article_id, ms.start, ms.end)
    add(g, iris.article(ms.article_id), NKG.proposes, node)
    add(g, node, RDF.type, NKG.Measure)
    add(g, node, SCHEMA.description, zh(ms.text))
    add(g, node, SCHEMA.position, integer(ms.position))
    if ms.marker:
        add(g, node, NKG.marker, zh(ms.marker))
    if ms.section and art is not None:
        for n, heading in enumerate(art.sections, 1):
            if heading == ms.section:
                add(g, node, NKG.inSection, iris.section(ms.article_id, n))
    for actor in ms.actors:
        a = iris.actor(actor)
        add(g, node, NKG.addresses, a)
        add(g, a, RDF.type, SCHEMA.Audience)
        add(g, a, SCHEMA.name, zh(actor))
    for m in policies:
        if ms.start <= m.start and m.end <= ms.end:
            add(g, node, SCHEMA.mentions, iris.entity(m.key))
    _evidence(sink, g, iris, node, ms.article_id, ms.start, ms.end, ms.extractor)
