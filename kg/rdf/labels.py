"""The one label table: each entity label's class IRI, IRI folder, Chinese name, and colour and shape in the view."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox
from rdflib import URIRef

from kg.model import ENTITY_LABELS, Label
from kg.rdf.vocab import NKG, SCHEMA

__all__ = ["LABELS", "POLICY_CLASSES", "LabelInfo", "info"]


@dataclass(frozen=True)
class LabelInfo:
    """What one label is in the graph and in the view.

    ``folder`` is the path segment of its instance IRIs (``id/person/…``); ``classes`` are
    the classes a node of this label may carry, its own class first.
    """

    label: Label
    cls: URIRef
    folder: str
    name_zh: str
    colour: str
    shape: str
    classes: tuple[URIRef, ...] = ()

    @cached_property
    def ox(self) -> ox.NamedNode:
        """The class as a pyoxigraph node (the graph is made of pyoxigraph quads)."""
        return ox.NamedNode(str(self.cls))


#: Subclasses of nkg:Policy by the finer type extractors give a policy mention.
POLICY_CLASSES = {
    "Law": NKG.Law, "Regulation": NKG.Regulation, "Strategy": NKG.Strategy, "System": NKG.System,
    "Programme": NKG.Programme, "Formulation": NKG.Formulation,
}

#: Every entity label, in :data:`kg.model.ENTITY_LABELS` order.
LABELS: dict[Label, LabelInfo] = {
    i.label: i
    for i in (
        LabelInfo(Label.PERSON, SCHEMA.Person, "person", "人物", "#e15759", "dot"),
        LabelInfo(Label.ORGANIZATION, SCHEMA.Organization, "organization", "机构", "#4e79a7", "square"),
        LabelInfo(Label.PLACE, SCHEMA.Place, "place", "地点", "#59a14f", "triangle"),
        LabelInfo(Label.POLICY, NKG.Policy, "policy", "政策", "#f28e2b", "diamond", tuple(POLICY_CLASSES.values())),
        LabelInfo(Label.EVENT, SCHEMA.Event, "event", "事件", "#d4a017", "star"),
    )
}
assert tuple(LABELS) == ENTITY_LABELS


def info(label: str) -> LabelInfo:
    """The row of ``label`` (a :class:`~kg.model.Label` or its value).

    Examples
    --------
    >>> info("Person").folder, str(info(Label.POLICY).cls)
    ('person', 'https://w3id.org/newskg/ontology#Policy')
    """
    return LABELS[Label(label)]
