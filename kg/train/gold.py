"""The annotated sets as training data: each item's articles as the pipeline reads them, and its gold.

An annotated set is a gold file in the shape ``../shared/eval/score.py`` reads (``articles``,
``entities`` by type with ``name``/``aliases``/``date``, ``optional``, ``relations``,
``optional_relations``) and the texts it annotates. The sets are:

- the tune sets of ``../shared/eval/dev/`` (:data:`TUNE`), texts in ``../shared/corpus/dev/``;
- our own annotations of bench items, ``annotations/*.gold.json`` in the repository, made by
  the same conventions; each names its texts (``"texts"``, a path under ``../shared/corpus/``).

The check set (:data:`CHECK`) is refused (E027): it is read only as figures, by ``score.py``.

Names are set-wide in a gold file; an item's gold is what of it its own text names:
:meth:`GoldSet.spans` finds every gold name and alias in an article's text (after the
normalisation ``score.py`` applies: NFKC, no spaces, quotes or title marks), longest first.

Examples
--------
>>> spans = find_names("会见美国总统甲乙和美国国务卿。", {("Person", "甲乙"): False, ("Place", "美国"): False})
>>> [(s.start, s.end, s.label, s.name) for s in spans]
[(2, 4, 'Place', '美国'), (6, 8, 'Person', '甲乙'), (9, 11, 'Place', '美国')]
>>> [(s.text, s.name) for s in find_names("签署《巴黎 协定》", {("Policy", "巴黎协定"): False})]
[('巴黎 协定', '巴黎协定')]
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from kg.errors import Errors, ModelError
from kg.model import ENTITY_LABELS, Article

#: The repository's top folder; the shared data sit beside it.
ROOT = Path(__file__).resolve().parents[2]
#: The shared data (``$KG_SHARED`` when set, e.g. for a git worktree that does not sit beside them).
SHARED = Path(os.environ.get("KG_SHARED") or ROOT.parent / "shared")
#: Our own annotations of bench items (same conventions as the dev sets).
ANNOTATIONS = ROOT / "annotations"

#: Sets to train and tune on: name -> (texts under shared/corpus, gold under shared/eval).
TUNE: dict[str, tuple[str, str]] = {
    "xwlb-dev": ("dev/xwlb-dev.jsonl", "dev/xwlb-dev.gold.json"),
    "pd-dev": ("dev/pd", "dev/pd-dev.gold.json"),
    "xwlb-dev2a": ("dev/xwlb-dev2a.jsonl", "dev/xwlb-dev2a.gold.json"),
    "pd-dev2": ("dev/pd2", "dev/pd-dev2.gold.json"),
}
#: The check set: never read here.
CHECK = "xwlb-dev2b"
#: Our annotated batches that no model learns from: news that no trained part saw, scored by
#: ``bench/eval_annotated.py`` (the event models trained with them did worse on the check set).
HELD_OUT = ("xwlb-bench-3", "xwlb-bench-4", "xwlb-bench-5", "xwlb-bench-6")

_STRIP = re.compile(r"[\s“”\"'‘’《》〈〉「」『』]")


def norm(s: str) -> str:
    """A name as ``score.py`` compares it: NFKC, without spaces, quotes and title marks.

    >>> norm("《中华人民共和国 民法典》")
    '中华人民共和国民法典'
    """
    return _STRIP.sub("", unicodedata.normalize("NFKC", s))


@dataclass(frozen=True)
class GoldEntity:
    """One gold entity: its label, name, aliases, and for events the date and organizer given."""

    label: str
    name: str
    aliases: tuple[str, ...] = ()
    date: str = ""
    organizer: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class GoldSpan:
    """A gold name found in an article: ``text[start:end] == self.text``; ``optional`` counts neither way."""

    start: int
    end: int
    text: str
    label: str
    name: str
    optional: bool = False


@dataclass(frozen=True)
class Item:
    """One annotated input (a record or a file): its id, date and its articles as the pipeline reads them."""

    set: str
    id: str
    date: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class GoldSet:
    """An annotated set: its items and its gold, set-wide as the gold file gives it."""

    name: str
    items: tuple[Item, ...]
    entities: tuple[GoldEntity, ...]
    optional: Mapping[str, frozenset[str]] = field(default_factory=dict)
    relations: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    optional_relations: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    def names(self) -> dict[tuple[str, str], bool]:
        """``(label, name or alias) -> optional`` for every gold name of the set."""
        out: dict[tuple[str, str], bool] = {}
        for label, names in self.optional.items():
            for n in names:
                out[(label, n)] = True
        for e in self.entities:
            for n in e.names:
                out[(e.label, n)] = False
        return out

    def spans(self, article: Article) -> list[GoldSpan]:
        """Every gold (and optional) name of the set found in ``article.text``, longest first."""
        return find_names(article.text, self.names())

    def entity(self, label: str, name: str) -> GoldEntity | None:
        """The gold entity of ``label`` one of whose names is ``name`` (normalised), if any."""
        key = norm(name)
        for e in self.entities:
            if e.label == label and any(norm(n) == key for n in e.names):
                return e
        return None


def find_names(text: str, names: Mapping[tuple[str, str], bool]) -> list[GoldSpan]:
    """Non-overlapping occurrences of ``names`` (``(label, name) -> optional``) in ``text``, by position.

    Matching is on normalised text (:func:`norm`), so a name found across a space or inside
    title marks is found, and the span covers what the text holds. Longer names win over the
    names inside them; of equal length, a required name wins over an optional one.
    """
    kept, mapping = [], []
    for i, c in enumerate(text):
        n = norm(c)
        kept.append(n)
        mapping.extend([i] * len(n))
    flat = "".join(kept)
    found = []
    for (label, name), optional in names.items():
        key = norm(name)
        if not key:
            continue
        pos = flat.find(key)
        while pos >= 0:
            start, end = mapping[pos], mapping[pos + len(key) - 1] + 1
            found.append((-(end - start), optional, start, end, label, name))
            pos = flat.find(key, pos + 1)
    taken = [False] * len(text)
    out = []
    for _, optional, start, end, label, name in sorted(found):
        if any(taken[start:end]):
            continue
        taken[start:end] = [True] * (end - start)
        out.append(GoldSpan(start, end, text[start:end], label, name, optional))
    return sorted(out, key=lambda s: (s.start, s.end))


def _rows(table: Mapping | None) -> dict[str, tuple[tuple[str, ...], ...]]:
    return {k: tuple(tuple(str(x) for x in row) for row in v) for k, v in (table or {}).items()}


def read_set(name: str, texts: Path, gold: Path) -> GoldSet:
    """The annotated set ``name``: ``gold`` (a gold JSON file) over the inputs in ``texts``.

    Raises
    ------
    ModelError
        The check set is asked for (E027), or a file cannot be read (E028).
    """
    from kg.segment.layout import segment
    from kg.sources import iter_documents
    from kg.model import Document

    if CHECK in name or CHECK in str(texts) or CHECK in str(gold):
        raise ModelError(Errors.E027.format(name=name))
    try:
        g = json.loads(Path(gold).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(Errors.E028.format(path=gold, why=exc)) from exc
    if not Path(texts).exists():
        raise ModelError(Errors.E028.format(path=texts, why="no such file or folder"))
    wanted = {a["id"]: a.get("date", "") for a in g.get("articles", [])}
    by_title = {norm(t): a["id"] for a in g.get("articles", []) for t in (a.get("title", ""), *a.get("aliases", ())) if t}
    found: dict[str, Item] = {}
    by_headline = []
    for doc in iter_documents([Path(texts)]):
        if not isinstance(doc, Document):
            continue
        # a gold article is named by its record's id (a JSON Lines document id is the file's
        # stem, a dot and the record's id), or else, as score.py does, by its headline
        gid = next((x for x in (doc.id, doc.id.partition(".")[2]) if x in wanted), None)
        if gid is not None and gid not in found:
            found[gid] = Item(name, gid, wanted[gid] or doc.meta.date, segment(doc).articles)
        elif gid is None and norm(doc.title) in by_title or doc.layout == "page":
            by_headline.append(doc)
    for doc in by_headline:
        page = segment(doc)
        gid = next((by_title[norm(a.title)] for a in page.articles if norm(a.title) in by_title), None)
        if gid is not None and gid not in found:
            found[gid] = Item(name, gid, wanted[gid] or doc.meta.date, page.articles)
    items = list(found.values())
    missing = sorted(set(wanted) - {i.id for i in items})
    if missing:
        raise ModelError(Errors.E028.format(path=texts, why=f"no text for {len(missing)} article(s): {missing[:3]}"))
    entities = tuple(
        GoldEntity(label, e["name"], tuple(e.get("aliases", ())), e.get("date", ""), e.get("organizer", ""))
        for label in map(str, ENTITY_LABELS) for e in g.get("entities", {}).get(label, ()))
    optional = {k: frozenset(v) for k, v in (g.get("optional") or {}).items() if isinstance(v, list)}
    return GoldSet(name, tuple(sorted(items, key=lambda i: i.id)), entities, optional,
                   _rows(g.get("relations")), _rows(g.get("optional_relations")))


def available(shared: Path = SHARED, annotations: Path = ANNOTATIONS) -> dict[str, tuple[Path, Path]]:
    """Every annotated set whose files are here: ``name -> (texts, gold)``."""
    out = {}
    for name, (texts, gold) in TUNE.items():
        t, g = shared / "corpus" / texts, shared / "eval" / gold
        if t.exists() and g.exists():
            out[name] = (t, g)
    for g in sorted(annotations.glob("*.gold.json")) if annotations.is_dir() else ():
        try:
            texts = json.loads(g.read_text(encoding="utf-8")).get("texts", "")
        except (OSError, ValueError) as exc:
            raise ModelError(Errors.E028.format(path=g, why=exc)) from exc
        t = shared / "corpus" / texts
        if texts and t.exists():
            out[g.name.removesuffix(".gold.json")] = (t, g)
    return out


def load(names: Iterable[str] | None = None, *, shared: Path = SHARED,
         annotations: Path = ANNOTATIONS) -> list[GoldSet]:
    """The annotated sets ``names`` (default: every one available but :data:`HELD_OUT`), read and segmented."""
    sets = available(shared, annotations)
    chosen = [n for n in sets if n not in HELD_OUT] if names is None else list(names)
    out = []
    for name in chosen:
        if CHECK in name:
            raise ModelError(Errors.E027.format(name=name))
        if name not in sets:
            raise ModelError(Errors.E028.format(path=name, why=f"not available; have {', '.join(sets) or 'none'}"))
        out.append(read_set(name, *sets[name]))
    return out


def items_of(sets: Sequence[GoldSet]) -> list[tuple[GoldSet, Item]]:
    """Every ``(set, item)`` of ``sets``, in a stable order."""
    return [(s, i) for s in sets for i in s.items]
