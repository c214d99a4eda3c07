"""Mentions -> entities: one node per real thing across a build, with its other names and parents."""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import quote

from kg.model import Measure, Mention, Ref, Relation, Statement
from kg.lexicon.orgs import canonical_org, parents_of

#: Extractors whose mentions are read from structure (bylines, notes) and are never dropped.
CERTAIN = ("byline", "notes", "attribution")
#: IRI folder of each label.
FOLDERS = {"Person": "person", "Organization": "organization", "Place": "place", "Policy": "policy", "Event": "event"}


def slug(name: str) -> str:
    """Percent-encoded name: stable, reversible, ASCII, valid in every RDF syntax.

    Examples
    --------
    >>> slug("山东")
    '%E5%B1%B1%E4%B8%9C'
    """
    return quote(name.strip(), safe="")


def short_hash(*parts: object) -> str:
    """A 16-hex-digit digest of ``parts``, stable between runs and machines."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


@dataclass
class Entity:
    """One real thing: its label, canonical name, finer kind and every other name."""

    label: str
    name: str
    kinds: Counter = field(default_factory=Counter)
    alts: set[str] = field(default_factory=set)

    @property
    def ref(self) -> Ref:
        return Ref(self.label, self.name)

    @property
    def kind(self) -> str:
        return self.kinds.most_common(1)[0][0] if self.kinds else ""


def drop_overlaps(mentions: Iterable[Mention]) -> list[Mention]:
    """Mentions of one article without those nested in a longer mention of another label.

    A name read from structure (byline, note, attribution) is kept; so is a place that
    is part of an administrative name (kind ``part``); a person inside a policy name
    (a leader's name inside the name of the thought named after them) is dropped.

    Examples
    --------
    >>> a = Mention("d", 0, 6, "“齐鲁工匠”", "Policy", "齐鲁工匠")
    >>> b = Mention("d", 1, 3, "齐鲁", "Place", "齐鲁")
    >>> [m.text for m in drop_overlaps([a, b])]
    ['“齐鲁工匠”']
    """
    ms = sorted(set(mentions), key=lambda m: (m.doc, m.start, -m.end, m.label, m.name))
    keys = [(m.doc, m.start) for m in ms]
    out = []
    active: list[Mention] = []  # earlier mentions of the same doc that reach past the current start
    for i, m in enumerate(ms):
        active = [o for o in active if o.doc == m.doc and o.end > m.start]
        same_start = ms[bisect.bisect_left(keys, keys[i]):bisect.bisect_right(keys, keys[i])]
        around = active + [o for o in same_start if o is not m]
        active.append(m)
        if m.extractor in CERTAIN or m.kind == "part":
            out.append(m)
            continue
        inside = any(o.label != m.label and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start) for o in around)
        same = any(o.start == m.start and o.end == m.end and o.label != m.label and o.extractor in CERTAIN for o in around)
        if not inside and not same:
            out.append(m)
    return out


@dataclass
class Resolution:
    """Entities of a build, the mentions kept, and the relations (read and derived)."""

    entities: dict[Ref, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    def entity(self, ref: Ref) -> Entity:
        e = self.entities.get(ref)
        if e is None:
            e = self.entities[ref] = Entity(ref.label, ref.name)
        return e


def page_view(records: Iterable[Mention | Relation | Measure | Statement]) -> Resolution:
    """The records of one page as they go into the graph: mentions without overlaps, by kind."""
    page = Resolution()
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for rec in records:
        if isinstance(rec, Mention):
            by_doc[rec.doc].append(rec)
        elif isinstance(rec, Relation):
            page.relations.append(rec)
        elif isinstance(rec, Measure):
            page.measures.append(rec)
        elif isinstance(rec, Statement):
            page.statements.append(rec)
    for doc in sorted(by_doc):
        page.mentions.extend(drop_overlaps(by_doc[doc]))
    return page


class Resolver:
    """Entities built page by page, so a build need not hold every page's records at once.

    :meth:`add` takes the records of one page and returns what of them goes into the
    graph (mentions without overlaps, relations, measures, statements); :meth:`finish`
    derives parent organizations and returns the entities of the whole build, with the
    records it derived by article (:attr:`derived`).

    Examples
    --------
    >>> r = Resolver()
    >>> page = r.add([Mention("d", 0, 8, "北京大学法学院", "Organization", "北京大学法学院")])
    >>> sorted(ref.name for ref in r.finish().entities)
    ['北京大学', '北京大学法学院']
    >>> [m.text for m in r.derived["d"] if isinstance(m, Mention)]
    ['北京大学']
    """

    def __init__(self) -> None:
        self.res = Resolution()
        self.first_org: dict[str, Mention] = {}
        self.derived: dict[str, list] = defaultdict(list)

    def add(self, records: Iterable[Mention | Relation | Measure | Statement]) -> Resolution:
        """Take one page's records into the entities; return what of them goes into the graph."""
        page = page_view(records)
        res = self.res
        for m in page.mentions:
            e = res.entity(m.key)
            if m.kind:
                e.kinds[m.kind] += 1
            for alt in (m.text, *m.alts):
                alt = re.sub(r"[“”《》\"]", "", alt).strip()
                if alt and alt != e.name and m.label != "Place":
                    e.alts.add(alt)
            if m.label == "Organization":
                self.first_org.setdefault(m.name, m)
        for rel in page.relations:
            if rel.subject.label != "Article":
                res.entity(rel.subject)
            if isinstance(rel.obj, Ref):
                res.entity(rel.obj)
        return page

    def attach_derived(self, res: Resolution, docs: Iterable[str] | None = None) -> Resolution:
        """Add to ``res`` the records :meth:`finish` derived for ``docs`` (every article when None)."""
        for doc in sorted(self.derived if docs is None else set(docs)):
            for rec in self.derived.get(doc, ()):
                (res.mentions if isinstance(rec, Mention) else res.relations).append(rec)
        return res

    def finish(self) -> Resolution:
        """Entities of the build, parent organizations derived (their records in :attr:`derived`)."""
        res = self.res
        seen: set[tuple[str, str]] = set()
        first = self.first_org
        for ref in sorted(r for r in list(res.entities) if r.label == "Organization"):
            for child, parent in parents_of(ref.name):
                parent_name, alts = canonical_org(parent)
                if (child, parent_name) in seen:
                    continue
                seen.add((child, parent_name))
                p = res.entity(Ref("Organization", parent_name))
                p.alts.update(a for a in alts if a != parent_name)
                m = first.get(child)
                if m is None:
                    continue
                if m.text.startswith(parent) and parent_name not in first:
                    pm = Mention(m.doc, m.start, m.start + len(parent), parent, "Organization", parent_name, extractor="orgstructure")
                    self.derived[m.doc].append(pm)
                    first[parent_name] = pm
                self.derived[m.doc].append(
                    Relation("parent", Ref("Organization", child), Ref("Organization", parent_name), m.doc, m.start, m.end, "orgstructure")
                )
        return res


def resolve(records: Iterable[Mention | Relation | Measure | Statement]) -> Resolution:
    """Entities, and every record that goes into the graph, of all the articles of a build.

    Examples
    --------
    >>> r = resolve([Mention("d", 0, 3, "省政协", "Organization", "山东省政协", alts=("省政协",))])
    >>> e = r.entities[Ref("Organization", "山东省政协")]
    >>> sorted(e.alts)
    ['省政协']
    """
    resolver = Resolver()
    page = resolver.add(records)
    res = resolver.finish()
    res.mentions, res.relations, res.measures, res.statements = page.mentions, page.relations, page.measures, page.statements
    return resolver.attach_derived(res)
