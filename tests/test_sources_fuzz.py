"""Property tests of kg.sources: decoding round trips, random bytes, front matter, readers on any text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.model import Document, Skip
from kg.sources import READERS, decode
from kg.lexicon.names import parse_authors
from kg.sources.common import Source
from kg.sources.markdown import dump_front_matter, read_markdown, split_front_matter

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Characters of newspaper text: common and traditional hanzi, CJK punctuation, full-width
#: space, ASCII letters and digits (all of them in GBK, so every encoding can hold them).
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PUNCT = st.sampled_from(list("，。、；：？！“”‘’（）《》——…·　 ●"))
ASCII = st.sampled_from(list("abcXYZ0123456789-.%"))
NEWLINE = st.sampled_from(["\n", "\r\n", "\r"])
TEXT = st.lists(st.one_of(CJK, CJK, CJK, PUNCT, ASCII, NEWLINE), min_size=1, max_size=300).map("".join)


def normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", "gbk"])
@SETTINGS
@given(text=TEXT)
def test_sources_fuzz_decode_round_trip(encoding, text):
    assume(text.strip())
    data = text.encode(encoding)
    if encoding in ("gb18030", "gbk"):
        assume(not is_utf8(data))  # a GB byte string that is also valid UTF-8 is read as UTF-8, by design
    got, warnings = decode(data, "x.txt")
    assert got == normalised(text)
    assert all(w.startswith("[W001]") for w in warnings)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@SETTINGS
@given(text=TEXT)
def test_sources_fuzz_decode_bomless_utf16_with_ascii(encoding, text):
    data = text.encode(encoding)
    ascii_chars = sum(c.isascii() for c in text)  # each puts a NUL on the "ASCII side"
    low_zero = sum(ord(c) & 0xFF == 0 and not c.isascii() for c in text)  # 一 (U+4E00) puts one on the other
    # Detectable: NULs mostly on the ASCII side, and bytes that are not UTF-8 unless NULs are plentiful.
    assume(text.strip() and ascii_chars >= 2 and ascii_chars > low_zero)
    assume(not is_utf8(data) or ascii_chars >= 0.25 * len(text))
    got, warnings = decode(data, "x.txt")
    assert got == normalised(text)
    assert warnings == ("[W001] x.txt: decoded as UTF-16 (no byte order mark), not UTF-8",)


@settings(max_examples=400, deadline=None)
@given(data=st.binary(max_size=400))
@example(data=b"\xff\xfe\x00\x00a")
@example(data=b"\xfe\xff\xd8\x00")
@example(data=b"a\x00b\x00\xff")
@example(data=b"\x00\x00")
def test_sources_fuzz_random_bytes_raise_only_input_error(data):
    try:
        text, warnings = decode(data, "x.bin")
    except InputError as exc:
        assert str(exc)[:6] in ("[E002]", "[E003]", "[E004]")
        return
    assert text.strip() and "\r" not in text and "\0" not in text
    assert isinstance(warnings, tuple)


@SETTINGS
@given(data=st.binary(max_size=200), prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", "工会".encode("gb18030")]))
def test_sources_fuzz_prefixed_bytes_raise_only_input_error(data, prefix):
    try:
        decode(prefix + data, "x.bin")
    except InputError:
        pass


FIELD_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(lambda s: s.strip() == s and s.strip())


@SETTINGS
@given(
    title=FIELD_TEXT,
    section=FIELD_TEXT,
    authors=st.lists(FIELD_TEXT, max_size=4),
    date=st.dates().map(lambda d: d.isoformat()),
)
def test_sources_fuzz_front_matter_round_trip(title, section, authors, date):
    fields = {"title": title, "date": date, "author": authors, "section": section}
    parsed, body_line, body = split_front_matter(dump_front_matter(fields) + "正文")
    expected = dict(fields, author=authors or "")  # an empty list reads back as no value
    assert parsed == expected and body == "正文" and body_line == 7


NAME = st.lists(CJK, min_size=2, max_size=3).map("".join)


@SETTINGS
@given(title=st.lists(st.one_of(CJK, PUNCT), min_size=1, max_size=30).map("".join).filter(lambda s: s.strip()), names=st.lists(NAME, min_size=1, max_size=3, unique=True), spaced=st.booleans())
def test_sources_fuzz_markdown_reads_back_title_and_authors(title, names, spaced):
    author = "、".join("  ".join(n) if spaced else n for n in names)
    md = dump_front_matter({"title": title, "author": author}) + "\n正文第一段。\n"
    doc = next(read_markdown(md, Source("x.md", "x")))
    assert (doc.title, doc.authors, doc.text) == (title.strip(), tuple(names), "正文第一段。")
    assert parse_authors(author) == tuple(names)


ANY_TEXT = st.text(st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(list("<>/\"'=-:#*>[]{}《》（）\n "))), min_size=1, max_size=300)


@pytest.mark.parametrize("name", sorted(READERS))
@SETTINGS
@given(text=ANY_TEXT)
def test_sources_fuzz_readers_never_raise(name, text):
    text = normalised(text.replace("\0", ""))
    assume(text.strip())
    for item in READERS[name].read(text, Source("", "x")):
        assert isinstance(item, (Document, Skip))
        if isinstance(item, Skip):
            assert item.reason.startswith(("[E007]", "[E008]"))
