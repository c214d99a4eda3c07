"""The ``markdown`` reader: one article per file, metadata from front matter and a byline line."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Iterator

from kg.model import Document, Meta, Skip
from kg.lexicon.names import byline_source, parse_authors, split_byline
from kg.sources.common import Source, article, iso_date, merge_meta, meta_from, page_number, record_error, register

_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:(?:\s+(.*?))?\s*$")
_ITEM = re.compile(r"^\s*-\s+(.*?)\s*$|^\s*-\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+")
_INLINE = (
    (re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"), ""),  # images
    (re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # links keep their text
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*"), r"\1"),
    (re.compile(r"(?<![A-Za-z0-9_])__(?=\S)(.+?)(?<=\S)__(?![A-Za-z0-9_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"(?<![*\\])\*(?=[^\s*])([^*\n]*?[^\s*\\])\*(?!\*)"), r"\1"),
    (re.compile(r"(?<![A-Za-z0-9_\\])_(?=[^\s_])([^_\n]*?[^\s_\\])_(?![A-Za-z0-9_])"), r"\1"),
    (re.compile(r"\\([!-/:-@\[-`{-~])"), r"\1"),  # backslash escapes
)
#: ``王某《工人日报》（2022年11月21日 第07版）``: who, publisher, date and page of the print edition.
BYLINE = re.compile(
    r"^(?P<who>[^《》。，！？；\n]{0,30}?)\s*《(?P<pub>[^《》\n]{1,30})》\s*[（(]\s*"
    r"(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
    r"\s*(?:[,，、]?\s*第?\s*(?P<page>[0-9０-９]+|[〇一二三四五六七八九十]+)\s*版)?\s*[）)]\s*[。.]?$"
)


class FrontMatterError(ValueError):
    """A front matter line that the simple parser does not understand."""

    def __init__(self, line: int, why: str):
        super().__init__(why)
        self.line = line


def split_front_matter(text: str) -> tuple[dict | None, int, str]:
    """Front matter mapping (None when absent), the 1-based line where the body starts, and the body.

    Raises
    ------
    FrontMatterError
        When the front matter is not closed or a line does not parse.

    Examples
    --------
    >>> split_front_matter("---\\ntitle: 观点\\nauthor: [王芳, 李建国]\\n---\\n正文")
    ({'title': '观点', 'author': ['王芳', '李建国']}, 5, '正文')
    """
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, 1, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            return parse_front_matter(lines[1:end], first_line=2), end + 2, "\n".join(lines[end + 1 :])
    raise FrontMatterError(1, "front matter not closed by a '---' line")


def parse_front_matter(lines: list[str], first_line: int = 1) -> dict:
    """The simple YAML subset of front matter: ``key: value``, ``[a, b]`` and ``- item`` lists, ``|`` and ``>`` blocks.

    Examples
    --------
    >>> parse_front_matter(["title: '观点：工会'", "author:", "  - 方  颖", "  - 张三", "date: 2022-11-21  # print"])
    {'title': '观点：工会', 'author': ['方  颖', '张三'], 'date': '2022-11-21'}
    """
    result: dict = {}
    key = listing = None
    block: tuple[str, list[str]] | None = None  # (style, lines) of a | or > block
    for i, line in enumerate(lines, first_line):
        if block is not None:
            if not line.strip() or line[:1] in " \t":
                block[1].append(line.strip())
                continue
            result[key] = _fold(*block)
            block = None
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM.match(line)
        if item and listing is not None:
            result[listing].append(_scalar(item.group(1) or "", i))
            continue
        listing = None
        m = _KEY.match(line)
        if not m or line[:1] in " \t":
            raise FrontMatterError(i, f"cannot read front matter line {line.strip()!r}")
        key, value = m.group(1).lower(), m.group(2) or ""
        if value in ("|", ">", "|-", ">-", "|+", ">+"):
            block = (value[0], [])
            result[key] = ""
        elif not value or value.startswith("#"):
            result[key] = []  # a list may follow; an empty list means no value
            listing = key
        else:
            result[key] = _value(value, i)
    if block is not None:
        result[key] = _fold(*block)
    return {k: ("" if v == [] else v) for k, v in result.items()}


def _fold(style: str, lines: list[str]) -> str:
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) if style == "|" else " ".join(x for x in lines if x)


def _value(value: str, line: int):
    if value.startswith("["):
        if not value.endswith("]"):
            raise FrontMatterError(line, f"list not closed: {value!r}")
        inner = value[1:-1].strip()
        return [_scalar(x.strip(), line) for x in _split_flow(inner)] if inner else []
    return _scalar(value, line)


def _split_flow(inner: str) -> list[str]:
    parts, cur, quote, escaped = [], "", "", False
    for c in inner:
        if quote:
            cur += c
            if escaped:
                escaped = False
            elif c == "\\" and quote == '"':
                escaped = True
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
            cur += c
        elif c == ",":
            parts.append(cur)
            cur = ""
        else:
            cur += c
    parts.append(cur)
    return parts


def _scalar(value: str, line: int) -> str:
    value = value.strip()
    if value[:1] == '"':
        try:
            out = json.loads(value)
        except ValueError:
            raise FrontMatterError(line, f"bad double-quoted string {value!r}") from None
        if not isinstance(out, str):
            raise FrontMatterError(line, f"bad double-quoted string {value!r}")
        return out
    if value[:1] == "'":
        if len(value) < 2 or not value.endswith("'"):
            raise FrontMatterError(line, f"bad single-quoted string {value!r}")
        return value[1:-1].replace("''", "'")
    if " #" in value:
        value = value[: value.index(" #")].rstrip()
    return "" if value in ("~", "null", "Null", "NULL") else value


def dump_front_matter(fields: dict) -> str:
    """Front matter text for ``fields`` (strings or lists of strings) that :func:`split_front_matter` reads back.

    Examples
    --------
    >>> print(dump_front_matter({"title": "观点", "author": ["方  颖"]}), end="")
    ---
    title: "观点"
    author: ["方  颖"]
    ---
    """
    out = ["---"]
    for key, value in fields.items():
        if isinstance(value, (list, tuple)):
            value = "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]"
        else:
            value = json.dumps(str(value), ensure_ascii=False)
        out.append(f"{key}: {value}")
    out.append("---")
    return "\n".join(out) + "\n"


def strip_inline(text: str) -> str:
    """Text without Markdown emphasis, code, link and image markup.

    Examples
    --------
    >>> strip_inline("要**加强**工会*劳动法律*监督，见[链接](http://x)。")
    '要加强工会劳动法律监督，见链接。'
    """
    if any(c in text for c in "*_~`[<\\"):
        for rx, repl in _INLINE:
            text = rx.sub(repl, text)
    return text


def parse_byline(line: str) -> tuple[tuple[str, ...], Meta] | None:
    """Authors and print-edition metadata of a byline line, or None if ``line`` is not one.

    Examples
    --------
    >>> parse_byline("王某《工人日报》（2022年11月21日 第07版）")
    (('王某',), Meta(date='2022-11-21', publisher='工人日报', page='7', column='', section='', url='', source=''))
    """
    m = BYLINE.match(line.strip())
    if not m:
        return None
    meta = Meta(date=iso_date(m["date"]), publisher=m["pub"].strip(), page=page_number(m["page"]) if m["page"] else "")
    return parse_authors(m["who"]), meta


def markdown_body(lines: list[str]) -> tuple[str, tuple[tuple[str, ...], Meta] | None]:
    """Plain text of Markdown body lines, and the first byline found (its line is dropped).

    Headings keep their text on a line of their own, between blank lines;
    block quote and bullet markers, rules, code fences and inline markup go.

    Examples
    --------
    >>> markdown_body(["> 王某《工人日报》（2022年11月21日 第07版）", "## 一、*背景*", "正文。"])[0]
    '一、背景\\n\\n正文。'
    """
    out: list[str] = []
    byline = None
    fenced = False
    for raw in lines:
        if _FENCE.match(raw):
            fenced = not fenced
            continue
        if fenced:
            out.append(raw)
            continue
        line, quoted = raw, False
        while _QUOTE.match(line):
            line, quoted = _QUOTE.sub("", line, count=1), True
        # A byline is a block quote, or a line that is only the citation (《报名》（日期 第N版）).
        if quoted or line.lstrip().startswith(("《", "来源", "稿件来源")):
            found = parse_byline(strip_inline(line))
            if found is not None:
                byline = byline or found
                continue
        heading = _HEADING.match(line)
        if heading:
            _heading(out, strip_inline(heading.group(2) or ""))
            continue
        if _SETEXT.match(line) and out and out[-1].strip():
            _heading(out, out.pop())
            continue
        if _RULE.match(line):
            out.append("")
            continue
        out.append(strip_inline(_BULLET.sub("", line)).rstrip(" \t"))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out))
    return text.strip("\n"), byline


def _heading(out: list[str], text: str) -> None:
    if not text.strip():
        return
    if out and out[-1].strip():
        out.append("")
    out.extend([text.strip(), ""])


@register("markdown", extensions=(".md", ".markdown"))
def read_markdown(text: str, src: Source) -> Iterator[Document | Skip]:
    """One article: YAML front matter (title, date, author, section, source_url) and a Markdown body.

    A body line like ``> 王某《工人日报》（2022年11月21日 第07版）`` is metadata:
    it gives publisher, date and page (and the author when the front matter has
    none) and is dropped. An agency the author field credits (``新华社记者 王某``) is the
    publisher when nothing else names one. Without front matter the first non-empty line is the
    title. Front matter without a title, or that does not parse, gives a
    ``Skip`` (``E007`` with the line).

    Examples
    --------
    >>> md = "---\\ntitle: 观点\\nauthor: 王  芳  李建国\\n---\\n> 《工人日报》（2022年11月21日 第7版）\\n\\n## 加强职业教育\\n正文"
    >>> doc, = read_markdown(md, Source("a.md", "a"))
    >>> doc.title, doc.authors, doc.meta.publisher, doc.meta.date, doc.text
    ('观点', ('王芳', '李建国'), '工人日报', '2022-11-21', '加强职业教育\\n\\n正文')
    """
    try:
        fields, body_line, body = split_front_matter(text)
    except FrontMatterError as exc:
        yield record_error(src, exc.line, str(exc))
        return
    lines = body.split("\n")
    if fields is None:
        n = next(i for i, line in enumerate(lines) if line.strip())
        title_line = lines[n]
        heading = _HEADING.match(title_line)
        title = strip_inline(heading.group(2) or "" if heading else title_line).strip()
        lines = lines[n + 1 :]
        fields, body_line = {}, n + 2
        if not title:
            yield record_error(src, n + 1, "no title")
            return
    else:
        title = fields.get("title")
        if not isinstance(title, str) or not title.strip():
            yield record_error(src, 1, "front matter has no title")
            return
        title = title.strip()
    warnings: list[str] = []
    meta = meta_from(fields, src.path, warnings)
    credited = split_byline(fields.get("author") or fields.get("authors") or None)
    authors = credited.people
    text, byline = markdown_body(lines)
    if byline is not None:
        by_authors, by_meta = byline
        authors = authors or by_authors
        meta = merge_meta(by_meta, meta)
    if not (meta.publisher or src.meta.publisher) and byline_source(credited):
        meta = dataclasses.replace(meta, publisher=byline_source(credited))  # 新华社记者 …: the agency is the source
    if not text.strip():
        yield record_error(src, body_line, "no body text")
        return
    yield article(src, "markdown", title, text, authors=authors, meta=meta, warnings=warnings)
