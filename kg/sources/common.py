"""What every reader shares: the registry, the reading context, ids, dates, documents."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Callable, Iterator

from kg.errors import Errors, RegistryError
from kg.dates import iso_date  # noqa: F401  (the readers' date of a metadata field)
from kg.ids import short_hash
from kg.model import Document, Meta, Skip
from kg.numerals import to_int


@dataclass(frozen=True)
class Source:
    """One decoded input file handed to a reader.

    ``id`` is the document id derived from the file's path below its input root;
    ``meta`` holds the defaults given on the command line (and ``source``);
    ``warnings`` are the decoder's.
    """

    path: str
    id: str
    meta: Meta = Meta()
    warnings: tuple[str, ...] = ()


#: A reader: decoded text and its source in, documents (or skipped records) out.
ReadFn = Callable[[str, Source], Iterator["Document | Skip"]]


@dataclass(frozen=True)
class Reader:
    """An input format: its name, the file extensions it takes, and its read function."""

    name: str
    extensions: tuple[str, ...]
    read: ReadFn
    help: str = ""


#: Readers by name; filled by :func:`register` when ``kg.sources`` is imported.
READERS: dict[str, Reader] = {}


def register(name: str, *, extensions: tuple[str, ...] = ()) -> Callable[[ReadFn], ReadFn]:
    """Decorator that registers a read function as the reader ``name``.

    Examples
    --------
    >>> @register("demo", extensions=(".demo",))
    ... def read_demo(text, src):
    ...     yield Document(src.id, "page", text)
    >>> READERS.pop("demo").extensions
    ('.demo',)
    """

    def deco(fn: ReadFn) -> ReadFn:
        doc = (fn.__doc__ or "").strip().splitlines()
        READERS[name] = Reader(name, tuple(e.lower() for e in extensions), fn, doc[0] if doc else "")
        return fn

    return deco


def get_reader(name: str) -> Reader:
    """The reader registered as ``name``.

    Raises
    ------
    RegistryError
        ``E021`` when no reader has that name.

    Examples
    --------
    >>> import kg.sources
    >>> get_reader("markdown").extensions
    ('.md', '.markdown')
    """
    try:
        return READERS[name]
    except KeyError:
        raise RegistryError(Errors.E021.format(name=name, choices=", ".join(sorted(READERS)))) from None


def reader_for(path: str | PurePath) -> Reader | None:
    """The reader that takes files with the extension of ``path``, or None.

    Examples
    --------
    >>> import kg.sources
    >>> reader_for("p/07.TXT").name, reader_for("p/07.json")
    ('page', None)
    """
    name = os.path.basename(os.fspath(path))
    suffix = os.path.splitext(name)[1].lower()
    if not suffix:
        return None
    for reader in READERS.values():
        if suffix in reader.extensions:
            return reader
    return None


# --------------------------------------------------------------------------- ids

_ID_OK = re.compile(r"[A-Za-z0-9._-]+")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def sanitize_id(part: str, prefix: str = "p") -> str:
    """An id made of ``[A-Za-z0-9._-]`` only, stable for a given ``part``.

    Clean parts are kept; other ASCII parts are cleaned and given a short hash so
    that ``"a b"`` and ``"a_b"`` stay apart; non-ASCII parts become ``prefix`` plus
    a short SHA-1.

    Examples
    --------
    >>> sanitize_id("page-07"), sanitize_id("工人日报"), sanitize_id("a b")
    ('page-07', 'p148ac4056a', 'a_b-7dbde9')
    """
    if _ID_OK.fullmatch(part):
        return part
    if part.isascii():
        cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", part).strip("_")
        return f"{cleaned}-{short_hash(_nfc(part), n=6)}" if cleaned else prefix + short_hash(_nfc(part), n=10)
    return prefix + short_hash(_nfc(part), n=10)


def shown(path: str | os.PathLike) -> str:
    """A path as text any file or terminal can hold: the bytes of a name that is not UTF-8 shown escaped.

    Examples
    --------
    >>> shown("in/理论.txt"), shown(os.fsdecode(b"in/\\xd0\\xc2.txt"))
    ('in/理论.txt', 'in/\\\\xd0\\\\xc2.txt')
    """
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")


def path_id(path: str | PurePath, root: str | PurePath | None = None) -> str:
    """Document id of a file: its path below ``root`` without extension, parts joined by dots.

    Examples
    --------
    >>> path_id("in/2022/11/07.txt", "in"), path_id("in/理论.txt", "in")
    ('2022.11.07', 'p4a576e0bad')
    """
    path = PurePath(path)
    try:
        rel = path.relative_to(root) if root is not None else PurePath(path.name)
    except ValueError:
        rel = PurePath(path.name)
    parts = [*rel.parent.parts, rel.stem if rel.suffix else rel.name]
    return ".".join(sanitize_id(p) for p in parts if p not in ("", ".", ".."))


# --------------------------------------------------------------------------- metadata

def page_number(value: object) -> str:
    """A page number without padding (``"07"`` -> ``"7"``, ``"第七版"`` -> ``"7"``); other names as given.

    Examples
    --------
    >>> page_number("07"), page_number(7), page_number("第十二版"), page_number("A3")
    ('7', '7', '12', 'A3')
    """
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    m = re.fullmatch(r"第?\s*(\d+|[〇一二三四五六七八九十]+)\s*[版页]?", text)
    return str(to_int(m[1])) if m else text


def merge_meta(base: Meta, over: Meta) -> Meta:
    """``over``'s non-empty fields on top of ``base``.

    Examples
    --------
    >>> merge_meta(Meta(publisher="工人日报", page="1"), Meta(page="7")).page
    '7'
    """
    return Meta(**{f.name: getattr(over, f.name) or getattr(base, f.name) for f in dataclasses.fields(Meta)})


#: Fields a metadata mapping (sidecar, front matter, JSON record) may give, and their aliases.
META_KEYS = {
    "date": ("date", "published", "pubdate", "datePublished"),
    "publisher": ("publisher", "newspaper", "source"),
    "page": ("page", "edition"),
    "column": ("column",),
    "section": ("section", "category"),
    "url": ("url", "source_url", "link"),
}


def meta_from(record: dict, path: str, warnings: list[str]) -> Meta:
    """A :class:`Meta` from a mapping's known keys; odd values become ``W004`` warnings.

    Examples
    --------
    >>> meta_from({"date": "2022年11月21日", "page": "07", "source": "工人日报"}, "x", [])
    Meta(date='2022-11-21', publisher='工人日报', page='7', column='', section='', url='', source='')
    """
    values = {}
    for field, keys in META_KEYS.items():
        value = next((record[k] for k in keys if record.get(k) not in (None, "", [])), None)
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            warnings.append(Errors.W004.format(path=path, what=f"{field} {value!r}", why="not a single value"))
            continue
        if field == "date":
            iso = iso_date(value)
            if not iso:
                warnings.append(Errors.W004.format(path=path, what=f"date {value!r}", why="not a date"))
            values[field] = iso
        elif field == "page":
            values[field] = page_number(value)
        else:
            values[field] = str(value).strip()
    return Meta(**values)


def read_sidecar(path: str | Path, warnings: list[str]) -> Meta:
    """Metadata from ``page.json`` and ``<stem>.json`` beside ``path`` (the latter wins).

    A sidecar that cannot be read or parsed is ignored with a ``W004`` warning.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "page.json").write_text('{"publisher": "工人日报", "page": 1}', encoding="utf-8")
    >>> _ = (d / "07.json").write_text('{"page": "07"}', encoding="utf-8")
    >>> read_sidecar(d / "07.txt", []).page, read_sidecar(d / "08.txt", []).page
    ('7', '1')
    """
    path = Path(path)
    meta = Meta()
    for side in dict.fromkeys((path.with_name("page.json"), path.with_suffix(".json"))):
        if side == path or not os.path.isfile(side):
            continue
        try:
            record = json.loads(side.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            warnings.append(Errors.W004.format(path=path, what=f"sidecar {side.name}", why=str(exc)[:120]))
            continue
        if not isinstance(record, dict):
            warnings.append(Errors.W004.format(path=path, what=f"sidecar {side.name}", why="not a JSON object"))
            continue
        meta = merge_meta(meta, meta_from(record, str(side), warnings))
    return meta


# --------------------------------------------------------------------------- documents


def strip_blank_lines(text: str) -> str:
    """``text`` without leading and trailing whitespace-only lines; inner text unchanged.

    Examples
    --------
    >>> strip_blank_lines("\\n \\n　　正文\\n\\n")
    '　　正文'
    """
    lines = text.split("\n")
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


def article(src: Source, fmt: str, title: str, text: str, *, authors=(), meta: Meta | None = None, id: str = "", line: int = 0, warnings=()) -> Document:
    """An article :class:`Document` with the source's meta under ``meta`` and its warnings first.

    Examples
    --------
    >>> article(Source("a.md", "a", Meta(publisher="工人日报")), "markdown", "观点", "正文", meta=Meta(page="7")).meta.publisher
    '工人日报'
    """
    return Document(
        id=id or src.id,
        layout="article",
        text=text,
        path=src.path,
        format=fmt,
        title=title,
        authors=tuple(authors),
        meta=merge_meta(src.meta, meta or Meta()),
        line=line,
        warnings=src.warnings + tuple(warnings),
    )


#: Code points some RDF file cannot hold: lone surrogates, U+FFFE, U+FFFF, and the C0 controls XML 1.0 forbids
#: even escaped (RDF/XML, GEXF and GraphML are XML); tab, line feed and carriage return are text.
_BAD_CHARS = re.compile("[\ud800-\udfff\ufffe\uffff\x00-\x08\x0b\x0c\x0e-\x1f]")

#: Characters an IRI cannot hold as they are (RFC 3987): percent-encoded in a record's URL.
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


def clean_text(value: str) -> tuple[str, int]:
    """``value`` with every code point some RDF file cannot hold (lone surrogates, U+FFFE, U+FFFF, NUL and
    the other C0 controls but tab and line breaks, which XML forbids) replaced by U+FFFD, and how many were replaced.

    Examples
    --------
    >>> clean_text("标\\ud800题"), clean_text("标\\x0b题\\t")
    (('标\\ufffd题', 1), ('标\\ufffd题\\t', 1))
    """
    out, n = _BAD_CHARS.subn("\ufffd", value)
    return out, n


def clean_url(url: str) -> str:
    """A record's URL as an IRI: characters an IRI cannot hold percent-encoded (spaces, quotes, ``<>``).

    Examples
    --------
    >>> clean_url('https://example.org/a b"c')
    'https://example.org/a%20b%22c'
    """
    return _IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url.strip())


def repair(doc: Document) -> Document:
    """``doc`` as the graph can hold it: bad code points replaced in every text field, the URL an IRI;
    each repair is a ``W013`` warning naming the file, the line and the field.

    Examples
    --------
    >>> d = repair(Document("x", "article", "正文\\ud800", path="a.jsonl", line=3, meta=Meta(url="https://e.org/a b")))
    >>> d.text, d.meta.url, d.warnings
    ('正文\\ufffd', 'https://e.org/a%20b', ('[W013] a.jsonl:3: text: 1 character(s) no RDF file can hold replaced by U+FFFD',))
    """
    warnings = list(doc.warnings)
    where = f"{doc.path or doc.id}:{doc.line}" if doc.line else (doc.path or doc.id)

    def fix(field: str, value: str) -> str:
        new, n = clean_text(value)
        if n:
            warnings.append(Errors.W013.format(where=where, field=field, count=n))
        return new

    changes: dict = {}
    for field in ("id", "text", "title"):
        value = getattr(doc, field)
        new = fix(field, value)
        if new != value:
            changes[field] = new
    authors = tuple(fix("author", a) for a in doc.authors)
    if authors != doc.authors:
        changes["authors"] = authors
    meta_changes = {}
    for f in dataclasses.fields(Meta):
        value = getattr(doc.meta, f.name)
        new = fix(f.name, value) if isinstance(value, str) else value
        if f.name == "url" and new:
            new = clean_url(new)
        if new != value:
            meta_changes[f.name] = new
    if meta_changes:
        changes["meta"] = dataclasses.replace(doc.meta, **meta_changes)
    if not changes:
        return doc
    return dataclasses.replace(doc, **changes, warnings=tuple(warnings))


def record_error(src: Source, line: int, why: str) -> Skip:
    """A ``Skip`` for a bad record at ``line`` (``E007``).

    Examples
    --------
    >>> record_error(Source("a.jsonl", "a"), 3, "no title").reason
    '[E007] a.jsonl:3: bad record: no title'
    """
    return Skip(src.path, Errors.E007.format(path=src.path, line=line, why=why), line)
