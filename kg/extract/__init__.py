"""Extractors: pure functions from an analysed article to mentions, relations, measures and statements.

Every extractor lives in a module of this package and registers itself by name::

    @register("policy", produces=("Mention",))
    def policies(doc: Doc) -> Iterator[Mention]: ...

It takes a :class:`Doc` (the article, its sentences and LAC tokens, the names the
page proves) and yields frozen records; it never changes its input.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

from kg.errors import Errors, RegistryError
from kg.model import Article, Measure, Mention, Relation, Statement
from kg.extract.nlp import Token, sentences, tag_spans

Record = Mention | Relation | Measure | Statement

#: Modules of this package that hold extractors, in the order they run.
MODULES = ("byline", "notes", "attribution", "ner", "post", "place", "policy", "event", "measure")


@dataclass(frozen=True)
class Extractor:
    """A registered extractor: its name, what it yields, and the function."""

    name: str
    func: Callable[["Doc"], Iterable[Record]]
    produces: tuple[str, ...]
    doc: str = ""

    def __call__(self, doc: "Doc") -> Iterator[Record]:
        yield from self.func(doc)


REGISTRY: dict[str, Extractor] = {}


def register(name: str, *, produces: Sequence[str]) -> Callable:
    """Decorator that registers an extractor function under ``name``."""

    def deco(func: Callable[["Doc"], Iterable[Record]]) -> Callable:
        REGISTRY[name] = Extractor(name, func, tuple(produces), (func.__doc__ or "").strip().split("\n")[0])
        return func

    return deco


def _load_all() -> None:
    for mod in MODULES:
        importlib.import_module(f"{__name__}.{mod}")


def get(name: str) -> Extractor:
    """The extractor registered as ``name``.

    Examples
    --------
    >>> get("policy").name
    'policy'
    """
    _load_all()
    if name not in REGISTRY:
        raise RegistryError(Errors.E020.format(name=name, choices=", ".join(sorted(REGISTRY))))
    return REGISTRY[name]


def names() -> tuple[str, ...]:
    """Names of every extractor, in running order."""
    _load_all()
    return tuple(n for m in MODULES for n, e in REGISTRY.items() if e.func.__module__.endswith("." + m))


@dataclass(frozen=True)
class Doc:
    """An article ready for extraction: text, sentences, LAC tokens and page-proven names."""

    article: Article
    sentences: tuple[tuple[int, int], ...]
    tokens: tuple[Token, ...]
    proven_people: frozenset[str] = frozenset()
    province: str = ""  # the province the article is about, for short forms (省总工会)
    _by_start: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    def sentence_of(self, i: int) -> tuple[int, int]:
        """Span of the sentence holding character ``i``."""
        for s, e in self.sentences:
            if s <= i < e:
                return s, e
        return i, i + 1

    def tokens_in(self, start: int, end: int) -> list[Token]:
        return [t for t in self.tokens if start <= t.start and t.end <= end]

    def block_spans(self, *kinds: str) -> list[tuple[int, int]]:
        """Spans of the article's blocks of these kinds."""
        a = self.article
        return [(s, s + len(b.text)) for s, b in zip(a.starts, a.blocks) if b.kind in kinds]


#: Blocks whose running text is read by the statistical and pattern extractors.
TEXT_BLOCKS = ("title", "subtitle", "abstract", "heading", "paragraph")


def analyse(article: Article, *, proven_people: Iterable[str] = (), province: str = "") -> Doc:
    """Sentences and LAC tokens of an article's running text.

    Examples
    --------
    >>> from kg.model import Article, Block
    >>> a = Article.build("x", "T", (Block("paragraph", "张三在北京工作。", tuple(range(8))),))
    >>> [t.text for t in analyse(a).tokens if t.tag == "PER"]
    ['张三']
    """
    sents: list[tuple[int, int]] = []
    spans: list[tuple[int, int]] = []  # the sentences of running text, which LAC reads
    for s, b in zip(article.starts, article.blocks):
        block_sents = [(s + x, s + y) for x, y in sentences(b.text)]
        sents += block_sents
        if b.kind in TEXT_BLOCKS:
            spans += block_sents
    tokens = tag_spans(article.text, spans)
    return Doc(article, tuple(sents), tuple(tokens), frozenset(proven_people), province)


def run(doc: Doc, only: Sequence[str] | None = None) -> list[Record]:
    """Records of every extractor (or of those named in ``only``), in a stable order."""
    out: list[Record] = []
    for name in only or names():
        out.extend(get(name)(doc))
    return out
