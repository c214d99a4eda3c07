"""Mentions -> entities: one node per real thing across a build, with its other names and parents.

A :class:`Resolver` takes the extraction of each page in turn (:meth:`Resolver.add` returns
what of it goes into the graph) and, once every page is in, :meth:`Resolver.finish` returns
the build's :class:`Entities`: frozen, with the parent organizations it derived and the
records that say so. Nothing is changed after it is handed on.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from kg.extract import Extraction
from kg.lexicon.orgs import STATE_UNIT, canonical_org, parents_of, structural_parent
from kg.model import ENTITY_LABELS, Label, Mention, Ref, Relation

#: Extractors whose mentions are read from structure (bylines, notes) and are never dropped.
CERTAIN = ("byline", "notes", "attribution")


@dataclass(frozen=True)
class Entity:
    """One real thing: its label, canonical name, finer type and every other name (sorted)."""

    label: Label
    name: str
    subtype: str = ""
    alts: tuple[str, ...] = ()

    @property
    def ref(self) -> Ref:
        return Ref(self.label, self.name)


@dataclass(frozen=True)
class Entities:
    """The entities of a build, by reference, and what resolution derived, by article.

    ``derived`` holds, for each article, the records :meth:`Resolver.finish` made there
    (the mention of a parent organization inside a compound name, and the parent relation).
    """

    by_ref: Mapping[Ref, Entity] = field(default_factory=dict)
    derived: Mapping[str, Extraction] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.by_ref.values())

    def __len__(self) -> int:
        return len(self.by_ref)

    def derived_for(self, articles: Iterable[str] | None = None) -> Extraction:
        """The derived records of ``articles`` (every article when None), in article order."""
        ids = sorted(self.derived if articles is None else set(articles))
        return Extraction.concat(self.derived[a] for a in ids if a in self.derived)

    def counts(self) -> dict[str, int]:
        """Entities by label, every label present.

        Examples
        --------
        >>> Entities().counts()["Person"]
        0
        """
        c = Counter(ref.label for ref in self.by_ref)
        return {str(k): c.get(k, 0) for k in ENTITY_LABELS}


def drop_overlaps(mentions: Iterable[Mention]) -> list[Mention]:
    """Mentions of one article without those nested in a longer mention of another label.

    A name read from structure (byline, note, attribution) is kept; so is a place that
    is part of an administrative name (subtype ``part``), and a region written out in full
    inside a policy's name (a province's regulation); a person inside a policy name (a
    leader's name inside the name of the thought named after them) is dropped.

    Examples
    --------
    >>> a = Mention("d", 0, 6, "“齐鲁工匠”", "Policy", "齐鲁工匠")
    >>> b = Mention("d", 1, 3, "齐鲁", "Place", "齐鲁")
    >>> [m.text for m in drop_overlaps([a, b])]
    ['“齐鲁工匠”']
    >>> law = Mention("d", 0, 9, "某某省安全生产条例", "Policy", "某某省安全生产条例")
    >>> [m.text for m in drop_overlaps([law, Mention("d", 0, 3, "某某省", "Place", "某某")])]
    ['某某省安全生产条例', '某某省']
    """
    ms = sorted(set(mentions), key=lambda m: (m.article_id, m.start, -m.end, m.label, m.name))
    keys = [(m.article_id, m.start) for m in ms]
    out = []
    active: list[Mention] = []  # earlier mentions of the same article that reach past the current start
    for i, m in enumerate(ms):
        active = [o for o in active if o.article_id == m.article_id and o.end > m.start]
        same_start = ms[bisect.bisect_left(keys, keys[i]):bisect.bisect_right(keys, keys[i])]
        around = active + [o for o in same_start if o is not m]
        active.append(m)
        if m.extractor in CERTAIN or m.subtype == "part":
            out.append(m)
            continue
        containers = [o for o in around
                      if o.label != m.label and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)]
        inside = bool(containers) and not _named_region_in_policy(m, containers)
        same = any(o.start == m.start and o.end == m.end and o.label != m.label and o.extractor in CERTAIN for o in around)
        if not inside and not same:
            out.append(m)
    return out


#: Endings of an administrative region's full name: a law or plan named after one mentions it.
_REGION_ENDINGS = ("特别行政区", "自治区", "自治州", "省", "市", "县")


def _named_region_in_policy(m: Mention, containers: list[Mention]) -> bool:
    """A region written out in full inside the names of policies only (某某省促进条例): the article names it."""
    return m.label == Label.PLACE and m.text.endswith(_REGION_ENDINGS) and all(o.label == Label.POLICY for o in containers)


def keep(extraction: Extraction) -> Extraction:
    """The records of one page as they go into the graph: each article's mentions without overlaps."""
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in extraction.mentions:
        by_article[m.article_id].append(m)
    mentions = tuple(m for a in sorted(by_article) for m in drop_overlaps(by_article[a]))
    return Extraction(mentions, extraction.relations, extraction.measures, extraction.statements)


@dataclass
class _Draft:
    """An entity while pages come in (the resolver's own, never handed on)."""

    subtypes: Counter = field(default_factory=Counter)
    alts: set[str] = field(default_factory=set)


class Resolver:
    """Entities built page by page, so a build need not hold every page's records at once.

    Examples
    --------
    >>> r = Resolver()
    >>> x = r.add(Extraction.of([Mention("d", 0, 7, "北京大学法学院", "Organization", "北京大学法学院")]))
    >>> ents = r.finish()
    >>> sorted(e.name for e in ents)
    ['北京大学', '北京大学法学院']
    >>> [m.text for m in ents.derived["d"].mentions]
    ['北京大学']
    """

    def __init__(self) -> None:
        self._drafts: dict[Ref, _Draft] = {}
        self._first_org: dict[str, Mention] = {}

    def _draft(self, ref: Ref) -> _Draft:
        d = self._drafts.get(ref)
        if d is None:
            d = self._drafts[ref] = _Draft()
        return d

    def add(self, extraction: Extraction, kept: Extraction | None = None) -> Extraction:
        """Take one page's records into the entities; return what of them goes into the graph.

        ``kept`` is ``keep(extraction)`` when it was made already (by the worker that rendered the page).
        """
        page = kept if kept is not None else keep(extraction)
        for m in page.mentions:
            d = self._draft(m.key)
            if m.subtype:
                d.subtypes[m.subtype] += 1
            name = m.name or m.text
            for alt in (m.text, *m.alts):
                alt = re.sub(r"[“”《》\"]", "", alt).strip()
                if alt and alt != name and m.label != Label.PLACE:
                    d.alts.add(alt)
            if m.label == Label.ORGANIZATION:
                # the first mention in article order, whatever order the pages come in
                first = self._first_org.get(m.name)
                if first is None or _where(m) < _where(first):
                    self._first_org[m.name] = m
        for rel in page.relations:
            if rel.subject.label != Label.ARTICLE:
                self._draft(rel.subject)
            if isinstance(rel.obj, Ref):
                self._draft(rel.obj)
        return page

    def _spelled_inside(self, child: str, parent: str) -> bool:
        """Whether a name of ``child`` begins with a name of ``parent`` (the nesting shows in the name)."""
        parents = _names(self._drafts.get(Ref(Label.ORGANIZATION, parent)), parent)
        return any(c.startswith(p) and len(c) > len(p) for c in _names(self._drafts.get(Ref(Label.ORGANIZATION, child)), child) for p in parents)

    def finish(self) -> Entities:
        """The entities of the build, with the parent organizations of compound names derived.

        A parent spelled inside the child's name (北京大学 in 北京大学法学院, a ministry in the
        name of one of its 司) is a node of its own, read there. A parent known only from the
        structure of the state (the NPC of its Standing Committee, a democratic party of its
        central committee) is linked only when the build names it and one of the child's names
        begins with one of the parent's (中央政治局 is also 中共中央政治局; a ministry's names do
        not show the State Council): no node is made for a body no article names.
        """
        seen: set[tuple[str, str]] = set()
        first = dict(self._first_org)
        derived: dict[str, list] = defaultdict(list)
        pending: list[tuple[str, str, Mention]] = []

        def relation(child: str, parent_name: str, m: Mention) -> None:
            derived[m.article_id].append(Relation(
                "parent", Ref(Label.ORGANIZATION, child), Ref(Label.ORGANIZATION, parent_name), m.article_id, m.start, m.end, "orgstructure"))

        for ref in sorted(r for r in list(self._drafts) if r.label == Label.ORGANIZATION):
            for child, parent in parents_of(ref.name):
                parent_name, alts = canonical_org(parent)
                child = canonical_org(child)[0] if child not in first else child
                if (child, parent_name) in seen or child == parent_name:
                    continue
                seen.add((child, parent_name))
                m = first.get(child) or first.get(ref.name)
                if m is None:
                    continue
                prefix = max((n for n in (parent, parent_name, *alts) if m.text.startswith(n) and len(n) < len(m.text)), key=len, default="")
                if structural_parent(child) == parent and not (prefix and STATE_UNIT.search(m.text[len(prefix):])):
                    pending.append((child, parent_name, m))
                    continue
                self._draft(Ref(Label.ORGANIZATION, parent_name)).alts.update(a for a in alts if a != parent_name)
                if prefix and parent_name not in first:
                    pm = Mention(m.article_id, m.start, m.start + len(prefix), prefix, Label.ORGANIZATION, parent_name, extractor="orgstructure")
                    derived[m.article_id].append(pm)
                    first[parent_name] = pm
                relation(child, parent_name, m)
        for child, parent_name, m in pending:
            if Ref(Label.ORGANIZATION, parent_name) in self._drafts and self._spelled_inside(child, parent_name):
                relation(child, parent_name, m)
        by_ref = {ref: Entity(ref.label, ref.name, _subtype(d.subtypes), tuple(sorted(d.alts))) for ref, d in self._drafts.items()}
        return Entities(by_ref, {a: Extraction.of(recs) for a, recs in sorted(derived.items())})


def _where(m: Mention) -> tuple[str, int, int]:
    return (m.article_id, m.start, m.end)


def _subtype(counts: Counter) -> str:
    """The subtype most mentions give; of those given equally often, the first by name (not by page order)."""
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counts else ""


def _names(draft: _Draft | None, name: str) -> tuple[str, ...]:
    return (name, *canonical_org(name)[1], *(draft.alts if draft else ()))


def resolve(extraction: Extraction) -> tuple[Extraction, Entities]:
    """What of one extraction goes into the graph (derived records included), and its entities.

    Examples
    --------
    >>> x = Extraction.of([Mention("d", 0, 3, "省政协", "Organization", "山东省政协", alts=("省政协",))])
    >>> records, entities = resolve(x)
    >>> entities.by_ref[Ref("Organization", "山东省政协")].alts
    ('省政协',)
    """
    resolver = Resolver()
    page = resolver.add(extraction)
    entities = resolver.finish()
    return page + entities.derived_for(), entities
