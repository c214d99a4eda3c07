"""The ``html`` reader: an article web page, read with the standard library's HTML parser."""

from __future__ import annotations

import dataclasses
import itertools
import re
from html.parser import HTMLParser
from typing import Iterator

from kg.errors import Errors
from kg.model import Document, Meta, Skip
from kg.lexicon.names import Byline, byline_source, split_byline
from kg.sources.common import Source, article, iso_date, record_error, register

#: Elements whose content is never article text.
DROP = frozenset({"nav", "header", "footer", "aside", "script", "style", "noscript", "template", "form", "svg", "iframe", "button", "select", "figcaption"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
#: Opening one of these closes an open <p> (HTML's implied end tag).
_CLOSES_P = frozenset({"p", "div", "article", "section", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "hr", "figure", "main", "nav", "header", "footer", "aside"})
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")
_AUTHOR_CLASS = re.compile(r"author|byline|writer|editor-name", re.I)
_DATE_CLASS = re.compile(r"\b(?:date|time|pubtime|publish)", re.I)
_CJK_EDGE = r"[\u2010-\u206f\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]"
_WS = re.compile(r"[ \t\n\r\f]+")
# A line break in the source between two CJK characters renders as nothing (CSS segment break
# transformation); spaces render as one space.
_SEGMENT = "\ue000"
_BREAK = re.compile(r"[ \t\r\f]*\n[ \t\n\r\f]*")
_CJK_GAP = re.compile(rf"(?<={_CJK_EDGE}){_SEGMENT}(?={_CJK_EDGE})")


#: Elements tried as the byline or the date at most: a page that nests thousands of them is not read in quadratic time.
_CANDIDATES = 32
_CODE = frozenset({"script", "style"})


class Node:
    """An element of the parsed page: tag, attributes, children (nodes and strings).

    ``hidden`` says an ancestor is one of :data:`DROP` (navigation, scripts …), ``code`` that one is
    a script or style: both known when the node is made, so no question about a node walks up the tree.
    """

    __slots__ = ("tag", "attrs", "children", "parent", "hidden", "code")

    def __init__(self, tag: str, attrs: dict[str, str], parent: "Node | None"):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent
        self.hidden = parent is not None and (parent.hidden or parent.tag in DROP)
        self.code = parent is not None and (parent.code or parent.tag in _CODE)

    def iter(self) -> Iterator["Node"]:
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed([c for c in node.children if isinstance(c, Node)]))

    def text(self) -> str:
        """Rendered text: whitespace runs collapsed (line breaks dropped between CJK characters), <br> as a line break."""
        parts: list[str] = []
        stack: list = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(_BREAK.sub(_SEGMENT, item))
            elif item.tag == "br":
                parts.append("\n")
            elif item.tag not in DROP:
                stack.extend(reversed(item.children))
        lines = [_WS.sub(" ", _CJK_GAP.sub("", x).replace(_SEGMENT, " ")).replace("\xa0", " ").strip() for x in "".join(parts).split("\n")]
        return "\n".join(x for x in lines if x)

    @property
    def classes(self) -> str:
        return " ".join((self.attrs.get("class") or "", self.attrs.get("id") or "", self.attrs.get("itemprop") or ""))


class _TreeBuilder(HTMLParser):
    """Builds the tree keeping a count of the open elements of each tag, so that whether one is open
    (to close it) is known without walking up the tree: linear in the page, however deep it nests."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root
        self.open: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        if tag in _CLOSES_P and self._open("p"):
            self._close("p")
        if tag == "li" and self.cur.tag == "li":
            self._close("li")
        node = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node
            self.open[tag] = self.open.get(tag, 0) + 1

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.cur))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self._open(tag):
            self._close(tag)

    def handle_data(self, data):
        self.cur.children.append(data)

    def _open(self, tag: str) -> bool:
        return self.open.get(tag, 0) > 0

    def _close(self, tag: str) -> None:
        while True:
            closed = self.cur
            self.open[closed.tag] -= 1
            self.cur = closed.parent
            if closed.tag == tag:
                return


def parse_html(text: str) -> Node:
    """The element tree of an HTML document (tolerant of unclosed tags).

    Examples
    --------
    >>> root = parse_html("<div><p>第一段<p>第二<br>段</div>")
    >>> [n.text() for n in root.iter() if n.tag == "p"]
    ['第一段', '第二\\n段']
    """
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def _meta(root: Node, *names: str) -> str:
    for node in root.iter():
        if node.tag == "meta":
            key = (node.attrs.get("property") or node.attrs.get("name") or node.attrs.get("itemprop") or "").lower()
            if key in names and node.attrs.get("content", "").strip():
                return node.attrs["content"].strip()
    return ""


def _first(root: Node, tag: str) -> Node | None:
    return next((n for n in root.iter() if n.tag == tag and not n.hidden), None)


def _body_container(root: Node) -> Node | None:
    """<article> (the one with most paragraph text), else the element holding the largest block of <p>."""
    nodes = list(root.iter())
    articles = [n for n in nodes if n.tag == "article" and not n.hidden]
    if articles:
        paragraphs = _paragraph_text(nodes)
        return max(articles, key=lambda a: paragraphs[id(a)])
    sizes: dict[int, tuple[int, Node]] = {}
    for p in nodes:
        if p.tag == "p" and p.parent is not None and not p.hidden:
            size, _ = sizes.get(id(p.parent), (0, p.parent))
            sizes[id(p.parent)] = (size + len(p.text()), p.parent)
    if not sizes:
        return None
    return max(sizes.values(), key=lambda s: s[0])[1]


def _paragraph_text(nodes: list[Node]) -> dict[int, int]:
    """For each node (by id), the characters of the ``<p>`` elements below it: one pass from the leaves up."""
    total: dict[int, int] = {}
    for node in reversed(nodes):  # children before their parents
        n = len(node.text()) if node.tag == "p" else 0
        total[id(node)] = n + sum(total[id(c)] for c in node.children if isinstance(c, Node))
    return total


def _byline(root: Node) -> tuple[Byline, Node | None]:
    named = _meta(root, "author", "article:author", "dc.creator")
    if named and not named.startswith("http"):
        return split_byline(named), None
    tried = 0
    for node in root.iter():
        if node.tag in ("meta", "link", "html", "body", "article") or node.code:
            continue
        if node.attrs.get("rel") == "author" or _AUTHOR_CLASS.search(node.classes):
            byline = split_byline(node.text())
            if byline.people:
                return byline, node
            tried += 1
            if tried >= _CANDIDATES:
                break
    return Byline(), None


def _date(root: Node) -> str:
    found = iso_date(_meta(root, "article:published_time", "datepublished", "pubdate", "publishdate", "date", "dc.date"))
    if found:
        return found
    times = (n for n in root.iter() if n.tag == "time")
    for node in itertools.islice(times, _CANDIDATES):
        found = iso_date(node.attrs.get("datetime") or node.text())
        if found:
            return found
    dated = (n for n in root.iter() if _DATE_CLASS.search(n.classes) and not n.code)
    for node in itertools.islice(dated, _CANDIDATES):
        found = iso_date(node.text())
        if found:
            return found
    return ""


@register("html", extensions=(".html", ".htm"))
def read_html(text: str, src: Source) -> Iterator[Document | Skip]:
    """One article web page: title, byline, date and body paragraphs.

    Title from ``<h1>``, else ``og:title``, else ``<title>``; authors from
    ``<meta name="author">`` or an element whose class names an author or
    byline; date from ``article:published_time``, ``<time datetime>`` or a
    date-classed element; body from the paragraphs (and sub-headings) of
    ``<article>`` or of the element with the largest block of ``<p>``, leaving
    out nav, header, footer, aside, script and style. Blocks are separated by a
    blank line.

    Examples
    --------
    >>> page = ('<html><head><title>站点</title><meta name="author" content="方  颖"></head><body>'
    ...         '<nav><p>首页</p></nav><article><h1>观点</h1><p>第一段\\n正文。</p><p>第二段。</p></article></body></html>')
    >>> doc, = read_html(page, Source("a.html", "a"))
    >>> doc.title, doc.authors, doc.text
    ('观点', ('方颖',), '第一段正文。\\n\\n第二段。')
    """
    root = parse_html(text)
    container = _body_container(root)
    # An <h1> in the article's own element first: a page-wide <h1> is often the site's logo.
    h1 = (_first(container, "h1") if container is not None else None) or _first(root, "h1")
    title_node = _first(root, "title")
    title = (h1.text() if h1 else "") or _meta(root, "og:title", "twitter:title") or (title_node.text() if title_node else "")
    title = " ".join(title.split("\n")).strip()
    if not title:
        yield record_error(src, 1, "no title (no <h1>, og:title or <title>)")
        return
    byline, byline_node = _byline(root)
    blocks = [b for b in _blocks(container, byline_node) if b != title] if container is not None else []
    if not blocks:
        yield Skip(src.path, Errors.E008.format(path=src.path))
        return
    meta = Meta(
        date=_date(root),
        publisher=_meta(root, "og:site_name", "publisher", "article:publisher"),
        section=_meta(root, "article:section"),
        url=_canonical(root) or _meta(root, "og:url"),
    )
    if meta.publisher.startswith("http"):
        meta = Meta(date=meta.date, section=meta.section, url=meta.url)
    if not (meta.publisher or src.meta.publisher) and byline_source(byline):
        meta = dataclasses.replace(meta, publisher=byline_source(byline))  # 新华社记者 …: the agency is the source
    yield article(src, "html", title, "\n\n".join(blocks), authors=byline.people, meta=meta)


def _blocks(container: Node, byline: Node | None) -> list[str]:
    """The text of each outermost block element of ``container`` (the container itself included when it is
    one), in document order, leaving out navigation and what is inside the byline. One pass: a block's
    descendants are not visited (their text is in it)."""
    if byline is not None and _within(container, byline):
        return []
    out: list[str] = []
    outer = container.parent
    while outer is not None and outer.tag not in _BLOCKS:
        outer = outer.parent
    stack = [container]
    while stack:
        node = stack.pop()
        if node is byline:
            continue
        if node.tag in _BLOCKS:
            if not node.hidden and (node is not container or outer is None):  # a container inside a block is not one
                text = node.text()
                if text:
                    out.append(text)
            if node is not container:
                continue
        stack.extend(reversed([c for c in node.children if isinstance(c, Node)]))
    return out


def _within(node: Node, outer: Node) -> bool:
    while node is not None:
        if node is outer:
            return True
        node = node.parent
    return False


def _canonical(root: Node) -> str:
    for node in root.iter():
        if node.tag == "link" and "canonical" in node.attrs.get("rel", "").split():
            return node.attrs.get("href", "").strip()
    return ""
