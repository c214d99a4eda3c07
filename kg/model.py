"""Frozen records that flow through the pipeline: pages, articles, mentions, relations."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Label(StrEnum):
    """What a :class:`Ref` points at: the five entity labels, and an article (the subject of its bylines).

    A member compares and hashes as its value, so ``Label.PERSON == "Person"``; its class IRI,
    IRI folder and colour in the view are in one table, :data:`kg.rdf.labels.LABELS`.

    Examples
    --------
    >>> Label("Person") is Label.PERSON, Label.PERSON == "Person", [str(x) for x in ENTITY_LABELS][:2]
    (True, True, ['Person', 'Organization'])
    """

    PERSON = "Person"
    ORGANIZATION = "Organization"
    PLACE = "Place"
    POLICY = "Policy"
    EVENT = "Event"
    ARTICLE = "Article"


#: Entity labels the extractors produce, in the order reports count them.
ENTITY_LABELS = (Label.PERSON, Label.ORGANIZATION, Label.PLACE, Label.POLICY, Label.EVENT)


@dataclass(frozen=True)
class Block:
    """One piece of an article: a title, a paragraph, a heading, an author note ...

    ``text`` is the rejoined text (line breaks and letter-spacing removed);
    ``offsets[i]`` is the character offset in the source text of ``text[i]``, so
    ``source[offsets[0]:offsets[-1] + 1]`` is exactly what was read.

    Examples
    --------
    >>> b = Block.of("paragraph", "ab\\nc", 10)
    >>> b.text, b.source_start, b.source_end
    ('abc', 10, 14)
    """

    role: str
    text: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, role: str, raw: str, start: int) -> "Block":
        """Block from raw source text at ``start``, dropping line breaks."""
        chars = [(c, start + i) for i, c in enumerate(raw) if c not in "\r\n"]
        return cls(role, "".join(c for c, _ in chars), tuple(i for _, i in chars))

    @property
    def source_start(self) -> int:
        return self.offsets[0] if self.offsets else -1

    @property
    def source_end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else -1


@dataclass(frozen=True)
class Meta:
    """What is known of where an article or page was published."""

    date: str = ""  # ISO date, or "" when unknown
    publisher: str = ""  # newspaper name
    page: str = ""  # page number or name, e.g. "7"
    column: str = ""  # the page's column heading (版面栏目)
    section: str = ""  # section of the newspaper, from metadata
    url: str = ""
    source: str = ""  # path of the input file


@dataclass(frozen=True)
class Article:
    """An article: its blocks in reading order and what its byline says.

    ``text`` is the article's context string (blocks joined by newlines);
    ``starts[i]`` is where block ``i`` begins in it.
    """

    id: str
    title: str
    blocks: tuple[Block, ...]
    authors: tuple[str, ...] = ()
    compilers: tuple[str, ...] = ()
    meta: Meta = field(default_factory=Meta)
    page_id: str = ""
    text: str = ""
    starts: tuple[int, ...] = ()

    @classmethod
    def build(cls, id: str, title: str, blocks: tuple[Block, ...], **kw) -> "Article":
        """Article whose ``text`` and ``starts`` are derived from ``blocks``.

        Examples
        --------
        >>> a = Article.build("x", "T", (Block("title", "T", (0,)), Block("paragraph", "正文", (2, 3))))
        >>> a.text, a.starts
        ('T\\n正文', (0, 2))
        """
        starts, pos = [], 0
        for b in blocks:
            starts.append(pos)
            pos += len(b.text) + 1
        return cls(id, title, tuple(blocks), text="\n".join(b.text for b in blocks), starts=tuple(starts), **kw)

    def blocks_of(self, role: str) -> tuple[tuple[int, Block], ...]:
        """``(start in text, block)`` for every block of ``role``."""
        return tuple((s, b) for s, b in zip(self.starts, self.blocks) if b.role == role)

    @property
    def abstract(self) -> str:
        return "".join(b.text for b in self.blocks if b.role == "abstract")

    @property
    def sections(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.role == "heading")

    @property
    def body(self) -> str:
        """Paragraph text only, one paragraph a line."""
        return "\n".join(b.text for b in self.blocks if b.role == "paragraph")

    def source_offset(self, i: int) -> int:
        """Offset in the source text of character ``i`` of ``self.text`` (-1 for a separator)."""
        for s, b in zip(self.starts, self.blocks):
            if s <= i < s + len(b.text):
                return b.offsets[i - s]
        return -1


@dataclass(frozen=True)
class Page:
    """One input text (a newspaper page, or a one-article file) and its articles."""

    id: str
    text: str
    articles: tuple[Article, ...]
    meta: Meta = field(default_factory=Meta)


@dataclass(frozen=True)
class Mention:
    """A name read in an article: ``article.text[start:end] == text``.

    ``name`` is the canonical name the mention stands for (a short form
    resolved to its full name), ``subtype`` a finer class (``Law``, ``Strategy``, ``Meeting``;
    ``part`` for a place inside an administrative name).
    """

    article_id: str
    start: int
    end: int
    text: str
    label: str
    name: str = ""
    subtype: str = ""
    extractor: str = ""
    alts: tuple[str, ...] = ()

    @property
    def key(self) -> "Ref":
        return Ref(self.label, self.name or self.text)


@dataclass(frozen=True, order=True)
class Ref:
    """A reference to an entity by label and canonical name, before it has an IRI."""

    label: str
    name: str


@dataclass(frozen=True)
class Relation:
    """A fact between two things, with the span of article text it was read from.

    ``obj`` is a :class:`Ref` or a literal string (a date); ``role`` qualifies a
    post held (``predicate == "member"``).
    """

    predicate: str
    subject: Ref
    obj: "Ref | str"
    article_id: str
    start: int
    end: int
    extractor: str
    role: str = ""


@dataclass(frozen=True)
class Measure:
    """An action an article proposes (一是…, 第一，…)."""

    article_id: str
    position: int
    text: str
    start: int
    end: int
    section: str = ""
    marker: str = ""
    extractor: str = "measure"
    actors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statement:
    """What a speaker said, as reported by an article."""

    article_id: str
    speaker: str
    text: str
    start: int
    end: int
    extractor: str = "statement"


@dataclass(frozen=True)
class Document:
    """What a reader gives: a decoded input, before segmentation.

    ``layout`` is ``"page"`` (a layout page holding several articles, segmented by
    :mod:`kg.segment.layout`) or ``"article"`` (one article whose ``title``, ``authors``
    and ``meta`` came from metadata and whose ``text`` is the body).
    ``line`` is the 1-based line of the record in its file (JSON Lines), else 0.
    """

    id: str
    layout: str
    text: str
    path: str = ""
    format: str = ""
    title: str = ""
    authors: tuple[str, ...] = ()
    meta: Meta = field(default_factory=Meta)
    line: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skip:
    """An input (file or record) that was not built, and why."""

    path: str
    reason: str
    line: int = 0
