"""Pages, entities and relations -> an RDF dataset: one named graph per article, a default graph for the rest."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg import __version__
from kg.extract import Extraction
from kg.model import Article, Label, Page, Ref, Relation
from kg.rdf.iris import IRIs
from kg.rdf.labels import POLICY_CLASSES, info
from kg.rdf.vocab import ITSRDF, NIF, NKG, ORG, PREFIXES, PROV, RDF, RDFS, SCHEMA, XSD
from kg.resolve import Entities

#: Relation predicates -> RDF properties (facts that are also reified with their evidence).
PREDICATES = {
    "author": SCHEMA.author, "contributor": SCHEMA.contributor, "affiliation": SCHEMA.affiliation,
    "parent": SCHEMA.parentOrganization, "organizer": SCHEMA.organizer, "attendee": SCHEMA.attendee,
    "startDate": SCHEMA.startDate, "publisher": SCHEMA.publisher, "location": SCHEMA.location,
}

#: The role a participant took in an event -> the subproperty of schema:attendee that says it.
ROLE_PROPERTIES = {"chair": NKG.chair, "speaker": NKG.speaker, "accompanier": NKG.accompanier, "party": NKG.party}


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def nonneg(n: int) -> Literal:
    return Literal(n, datatype=XSD.nonNegativeInteger)


def date_literal(value: str) -> Literal:
    """``--11-10`` as xsd:gMonthDay, ``2022-11-10`` as xsd:date."""
    if value.startswith("--"):
        return Literal(value, datatype=XSD.gMonthDay)
    return Literal(value, datatype=XSD.date)


def new_dataset() -> Dataset:
    """An empty dataset with the contract's prefixes bound."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    return ds


def build_dataset(pages: Iterable[Page], records: Extraction, entities: Entities | None = None, *,
                  base: str | None = None, extractors: Iterable[str] = ()) -> Dataset:
    """The RDF dataset of a build.

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
    rdflib.Dataset
        One named graph per article (``id/graph/<article>``) and the default graph.

    Examples
    --------
    >>> from kg.segment.layout import segment_page
    >>> from kg.extract import extract_page
    >>> from kg.resolve import resolve
    >>> page = segment_page("标题\\n\\n张三\\n\\n正文。")
    >>> ds = build_dataset([page], *resolve(extract_page(page)))
    >>> len(list(ds.graphs())) >= 2
    True
    """
    iris = IRIs.under(base)
    ds = new_dataset()
    default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    pages = list(pages)
    articles = {a.id: a for p in pages for a in p.articles}
    dates = {a.id: a.meta.date or p.meta.date for p in pages for a in p.articles}
    graphs: dict[str, Graph] = {aid: ds.graph(iris.graph(aid)) for aid in articles}

    def g_of(article_id: str) -> Graph:
        return graphs.get(article_id, default)

    used_extractors: set[str] = set()
    for page in pages:
        _page(default, iris, page)
        for art in page.articles:
            _article(graphs[art.id], iris, page, art)
    # entities
    for ref, ent in sorted(entities.by_ref.items()) if entities is not None else ():
        node = iris.entity(ref)
        default.add((node, RDF.type, info(ref.label).cls))
        if ref.label == Label.POLICY and ent.subtype in POLICY_CLASSES:
            default.add((node, RDF.type, POLICY_CLASSES[ent.subtype]))
        default.add((node, SCHEMA.name, zh(ent.name)))
        for alt in sorted(ent.alts):
            default.add((node, SCHEMA.alternateName, zh(alt)))
    # mentions
    for m in records.mentions:
        g = g_of(m.article_id)
        node = iris.span(m.article_id, m.start, m.end)
        ent = iris.entity(m.key)
        g.add((node, RDF.type, NIF.Phrase))
        g.add((node, NIF.referenceContext, iris.context(m.article_id)))
        g.add((node, NIF.beginIndex, nonneg(m.start)))
        g.add((node, NIF.endIndex, nonneg(m.end)))
        g.add((node, NIF.anchorOf, zh(m.text)))
        g.add((node, ITSRDF.taIdentRef, ent))
        g.add((node, ITSRDF.taClassRef, info(m.label).cls))
        g.add((node, PROV.wasAttributedTo, iris.extractor(m.extractor)))
        used_extractors.add(m.extractor)
        if m.article_id in articles:
            g.add((iris.article(m.article_id), SCHEMA.mentions, ent))
    # relations
    for rel in sorted(records.relations, key=_rel_key):
        used_extractors.add(rel.extractor)
        _relation(default, g_of(rel.article_id), iris, rel, dates.get(rel.article_id, ""))
    # measures
    policies = defaultdict(list)
    for m in records.mentions:
        if m.label == Label.POLICY:
            policies[m.article_id].append(m)
    for ms in sorted(records.measures, key=lambda m: (m.article_id, m.start)):
        _measure(g_of(ms.article_id), iris, ms, policies.get(ms.article_id, []), articles.get(ms.article_id))
        used_extractors.add(ms.extractor)
    # documents passed by a session: the policies named in the span of an "adopts" record
    for rel in sorted(records.relations, key=_rel_key):
        if rel.predicate == "adopts":
            _adopted(default, g_of(rel.article_id), iris, rel, policies.get(rel.article_id, []))
    # statements: tied to the events of their article that their speaker took part in
    meetings: dict[tuple[str, str], set[Ref]] = defaultdict(set)
    for rel in records.relations:
        if rel.predicate == "attendee":
            meetings[(rel.article_id, rel.obj.name)].add(rel.subject)
    for st in sorted(records.statements, key=lambda s: (s.article_id, s.start)):
        g = g_of(st.article_id)
        node = iris.of("statement", st.article_id, st.start, st.end)
        g.add((node, RDF.type, NKG.Statement))
        g.add((node, SCHEMA.text, zh(st.text)))
        g.add((node, SCHEMA.author, iris.entity(Ref(Label.PERSON, st.speaker))))
        g.add((node, SCHEMA.isPartOf, iris.article(st.article_id)))
        for ev in sorted(meetings.get((st.article_id, st.speaker), ())):
            g.add((node, NKG.atEvent, iris.entity(ev)))
        _evidence(g, iris, node, st.article_id, st.start, st.end, st.extractor)
        used_extractors.add(st.extractor)
    for name in sorted(used_extractors | set(extractors)) if entities is not None else ():
        node = iris.extractor(name)
        default.add((node, RDF.type, NKG.Extractor))
        default.add((node, RDF.type, PROV.SoftwareAgent))
        default.add((node, RDFS.label, Literal(name)))
        default.add((node, SCHEMA.softwareVersion, Literal(__version__)))
    return ds


def _rel_key(r: Relation) -> tuple:
    return (r.article_id, r.start, r.end, r.predicate, r.subject, str(r.obj), r.role)


def _page(g: Graph, iris: IRIs, page: Page) -> None:
    node = iris.page(page.id)
    g.add((node, RDF.type, NKG.Page))
    if page.meta.source:
        g.add((node, SCHEMA.name, Literal(page.meta.source.rsplit("/", 1)[-1])))
    if page.meta.column:
        g.add((node, NKG.column, zh(page.meta.column)))
    _publication(g, iris, node, page.meta)


def _publication(g: Graph, iris: IRIs, node: URIRef, meta) -> None:
    if meta.date:
        g.add((node, SCHEMA.datePublished, date_literal(meta.date[:10])))
    if meta.publisher:
        org = iris.entity(Ref(Label.ORGANIZATION, meta.publisher))
        g.add((node, SCHEMA.publisher, org))
        g.add((org, RDF.type, SCHEMA.Organization))
        g.add((org, SCHEMA.name, zh(meta.publisher)))
    if meta.page:
        g.add((node, SCHEMA.pagination, Literal(meta.page)))
    if meta.url:
        g.add((node, SCHEMA.url, URIRef(meta.url) if meta.url.startswith(("http://", "https://")) else Literal(meta.url)))
    if meta.section:
        g.add((node, SCHEMA.articleSection, zh(meta.section)))


def _article(g: Graph, iris: IRIs, page: Page, art: Article) -> None:
    node = iris.article(art.id)
    ctx = iris.context(art.id)
    g.add((node, RDF.type, SCHEMA.NewsArticle))
    g.add((node, SCHEMA.headline, zh(art.title)))
    g.add((node, SCHEMA.isPartOf, iris.page(page.id)))
    g.add((node, SCHEMA.identifier, Literal(art.id)))
    _publication(g, iris, node, art.meta)
    if art.abstract:
        g.add((node, SCHEMA.abstract, zh(art.abstract)))
    g.add((ctx, RDF.type, NIF.Context))
    g.add((ctx, NIF.isString, zh(art.text)))
    g.add((ctx, NIF.sourceUrl, node))
    section = None
    n_section = 0
    for start, block in zip(art.starts, art.blocks):
        if block.role == "heading":
            n_section += 1
            section = iris.section(art.id, n_section)
            g.add((section, RDF.type, NKG.Section))
            g.add((section, SCHEMA.name, zh(block.text)))
            g.add((section, SCHEMA.position, Literal(n_section)))
            g.add((node, SCHEMA.hasPart, section))
        if block.role not in ("title", "subtitle", "paragraph", "heading", "abstract") or not block.text:
            continue
        span = iris.span(art.id, start, start + len(block.text))
        g.add((span, RDF.type, NIF.Title if block.role in ("title", "subtitle", "heading") else NIF.Paragraph))
        g.add((span, NIF.referenceContext, ctx))
        g.add((span, NIF.beginIndex, nonneg(start)))
        g.add((span, NIF.endIndex, nonneg(start + len(block.text))))
        if block.offsets and block.offsets[0] >= 0:
            g.add((span, NKG.pageBeginIndex, nonneg(block.source_start)))
            g.add((span, NKG.pageEndIndex, nonneg(block.source_end)))
        if section is not None and block.role == "paragraph":
            g.add((span, NKG.inSection, section))


def _evidence(g: Graph, iris: IRIs, node: URIRef, article_id: str, start: int, end: int, extractor: str) -> None:
    span = iris.span(article_id, start, end)
    g.add((span, RDF.type, NIF.String))
    g.add((span, NIF.referenceContext, iris.context(article_id)))
    g.add((span, NIF.beginIndex, nonneg(start)))
    g.add((span, NIF.endIndex, nonneg(end)))
    g.add((node, PROV.wasDerivedFrom, span))
    g.add((node, PROV.wasAttributedTo, iris.extractor(extractor)))


#: Qualifiers of a post (``member:<status>``): the Membership's nkg property, set to the reporting date.
_POST_STATUS = {"appointed": "appointedOn", "removed": "removedOn"}


def _membership(default: Graph, g: Graph, iris: IRIs, rel: Relation, subj: URIRef, date: str) -> None:
    """An org:Membership: one node per person, body, role and status (current or former), dated by the
    articles that report it (``nkg:reportedOn``); a former post (原…, 曾任…, 免去…) is ``nkg:former true``,
    an appointment or removal carries its date (``nkg:appointedOn``, ``nkg:removedOn``)."""
    status = rel.predicate.partition(":")[2]
    former = status in ("former", "removed")
    org = iris.entity(rel.obj)
    m = iris.of("membership", rel.subject.name, rel.obj.name, rel.role, *(["former"] if former else []))
    role = iris.role(rel.role)
    default.add((m, RDF.type, ORG.Membership))
    default.add((m, ORG.member, subj))
    default.add((m, ORG.organization, org))
    default.add((m, ORG.role, role))
    default.add((role, RDF.type, ORG.Role))
    default.add((role, RDFS.label, zh(rel.role)))
    if former:
        default.add((m, NKG.former, Literal(True)))
    if date and len(date) >= 10:
        day = date_literal(date[:10])
        default.add((m, NKG.reportedOn, day))
        if status in _POST_STATUS:
            default.add((m, NKG[_POST_STATUS[status]], day))
    _evidence(g, iris, m, rel.article_id, rel.start, rel.end, rel.extractor)


def _relation(default: Graph, g: Graph, iris: IRIs, rel: Relation, date: str = "") -> None:
    subj = iris.article(rel.subject.name) if rel.subject.label == Label.ARTICLE else iris.entity(rel.subject)
    if rel.predicate.split(":")[0] == "member":
        _membership(default, g, iris, rel, subj, date)
        return
    if rel.predicate == "adopts":
        return  # written by _adopted, once the policies of the article are known
    pred = PREDICATES[rel.predicate]
    obj = date_literal(rel.obj) if isinstance(rel.obj, str) else iris.entity(rel.obj)
    target = g if rel.subject.label == Label.ARTICLE else default
    target.add((subj, pred, obj))
    if rel.predicate == "attendee" and rel.role in ROLE_PROPERTIES:
        pred = ROLE_PROPERTIES[rel.role]  # the role said, a subproperty of schema:attendee; its evidence below
        target.add((subj, pred, obj))
    fact = iris.of("fact", subj, pred, obj, rel.article_id, rel.start)
    g.add((fact, RDF.type, RDF.Statement))
    g.add((fact, RDF.subject, subj))
    g.add((fact, RDF.predicate, pred))
    g.add((fact, RDF.object, obj))
    _evidence(g, iris, fact, rel.article_id, rel.start, rel.end, rel.extractor)


def _adopted(default: Graph, g: Graph, iris: IRIs, rel: Relation, policies: list) -> None:
    """``?policy nkg:adoptedAt ?event`` for each policy named in the span of an ``adopts`` record, with its evidence."""
    event = iris.entity(rel.subject)
    for m in policies:
        if rel.start <= m.start and m.end <= rel.end:
            policy = iris.entity(m.key)
            default.add((policy, NKG.adoptedAt, event))
            fact = iris.of("fact", policy, NKG.adoptedAt, event, rel.article_id, m.start)
            g.add((fact, RDF.type, RDF.Statement))
            g.add((fact, RDF.subject, policy))
            g.add((fact, RDF.predicate, NKG.adoptedAt))
            g.add((fact, RDF.object, event))
            _evidence(g, iris, fact, rel.article_id, m.start, m.end, rel.extractor)


def _measure(g: Graph, iris: IRIs, ms, policies: list, art: Article | None) -> None:
    node = iris.of("measure", ms.article_id, ms.start, ms.end)
    g.add((iris.article(ms.article_id), NKG.proposes, node))
    g.add((node, RDF.type, NKG.Measure))
    g.add((node, SCHEMA.description, zh(ms.text)))
    g.add((node, SCHEMA.position, Literal(ms.position)))
    if ms.marker:
        g.add((node, NKG.marker, zh(ms.marker)))
    if ms.section and art is not None:
        for n, heading in enumerate(art.sections, 1):
            if heading == ms.section:
                g.add((node, NKG.inSection, iris.section(ms.article_id, n)))
    for actor in ms.actors:
        a = iris.actor(actor)
        g.add((node, NKG.addresses, a))
        g.add((a, RDF.type, SCHEMA.Audience))
        g.add((a, SCHEMA.name, zh(actor)))
    for m in policies:
        if ms.start <= m.start and m.end <= ms.end:
            g.add((node, SCHEMA.mentions, iris.entity(m.key)))
    _evidence(g, iris, node, ms.article_id, ms.start, ms.end, ms.extractor)
