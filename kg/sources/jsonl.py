"""The ``jsonl`` reader: JSON Lines, one article record a line."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from typing import Iterator

from kg.errors import Errors
from kg.model import Document, Skip
from kg.lexicon.names import byline_source, split_byline
from kg.sources.common import Source, article, clean_text, meta_from, record_error, register, sanitize_id


@register("jsonl", extensions=(".jsonl", ".ndjson"))
def read_jsonl(text: str, src: Source) -> Iterator[Document | Skip]:
    """One article a line: ``{"id", "title", "date", "author", "source", "url", "text"}``.

    ``author`` (or ``authors``) is a string or a list; ``source`` is the
    publisher, and without one the agency the author field credits
    (``新华社记者 王某``: :func:`~kg.lexicon.names.split_byline`) is. A line
    that does not parse, is not an object or lacks ``title`` or ``text``
    gives a ``Skip`` (``E007`` with its line number); the other lines still
    come through. Blank lines are ignored. The document id is the file's
    id, a dot, and the record's id (sanitised; ``L<line>`` when missing).

    Examples
    --------
    >>> docs = list(read_jsonl('{"id": "a1", "title": "T", "text": "正文", "author": "方  颖"}\\n{"title": 1', Source("x.jsonl", "x")))
    >>> docs[0].id, docs[0].authors, docs[0].line
    ('x.a1', ('方颖',), 1)
    >>> docs[1].reason
    "[E007] x.jsonl:2: bad record: not JSON (Expecting ',' delimiter: line 1 column 12 (char 11))"
    """
    seen: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield record_error(src, number, f"not JSON ({exc})")
            continue
        except RecursionError:
            yield record_error(src, number, "nested too deep")
            continue
        if not isinstance(record, dict):
            yield record_error(src, number, f"not a JSON object but {type(record).__name__}")
            continue
        if _deeper(record, MAX_DEPTH):
            yield record_error(src, number, f"nested more than {MAX_DEPTH} levels deep")
            continue
        record, bad = _clean(record)
        title, body = record.get("title"), record.get("text", record.get("body"))
        missing = [k for k, v in (("title", title), ("text", body)) if not isinstance(v, str) or not v.strip()]
        if missing:
            yield record_error(src, number, "no " + " and no ".join(missing))
            continue
        rid = _record_id(record.get("id"), number)
        warnings: list[str] = []
        if bad:
            warnings.append(Errors.W013.format(where=f"{src.path}:{number}", field="record", count=bad))
        if rid in seen:
            new = f"{rid}-L{number}"
            warnings.append(Errors.W005.format(path=f"{src.path}:{number}", old=rid, new=new))
            rid = new
        seen[rid] = number
        meta = meta_from(record, f"{src.path}:{number}", warnings)
        body = body.replace("\r\n", "\n").replace("\r", "\n")
        byline = split_byline(record.get("author", record.get("authors")))
        authors = byline.people
        if not (meta.publisher or src.meta.publisher) and byline_source(byline):
            meta = dataclasses.replace(meta, publisher=byline_source(byline))  # 新华社记者 …: the agency is the source
        yield article(src, "jsonl", title.strip(), body, authors=authors, meta=meta,
                      id=f"{src.id}.{rid}", line=number, warnings=warnings)


#: Deepest nesting of a record read: an article is a flat object, a few lists and objects at most.
MAX_DEPTH = 64


def _deeper(value, limit: int) -> bool:
    """Whether ``value`` nests lists and objects more than ``limit`` deep (without recursion).

    Examples
    --------
    >>> _deeper({"a": [[1]]}, 3), _deeper({"a": [[1]]}, 2)
    (False, True)
    """
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return False


def _clean(value):
    """A JSON value with every string's unrepresentable code points (an escaped lone surrogate) replaced; and how many."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        items = [_clean(v) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    if isinstance(value, dict):
        items = {clean_text(k)[0]: _clean(v) for k, v in value.items()}
        return {k: v for k, (v, _) in items.items()}, sum(n for _, n in items.values())
    return value, 0


def _record_id(value, number: int) -> str:
    """A record's own id, kept as it is (its IRI percent-encodes what an IRI cannot hold);
    ``L<line>`` when it has none; a digest only for an id no text can show (controls, newlines).

    Examples
    --------
    >>> _record_id("新华社-2023/01 a", 3), _record_id(None, 3), _record_id(17, 3), _record_id("a\\nb", 3)[:3]
    ('新华社-2023/01 a', 'L3', '17', 'a_b')
    """
    if value in (None, "") or isinstance(value, (dict, list)):
        return f"L{number}"
    rid = unicodedata.normalize("NFC", str(value)).strip()
    if not rid:
        return f"L{number}"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in rid):
        return sanitize_id(rid, prefix="r")
    return rid
