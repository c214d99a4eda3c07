"""Property tests of kg.lexicon.names: the one parser of author names, for page bylines and metadata."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.lexicon.names import parse_authors

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Pieces of bylines and author fields: surnames and other hanzi, Latin letters, spaces of
#: both widths, separators, role and prefix words, and a few odd characters.
PIECE = st.one_of(
    st.sampled_from(list("王李张刘陈欧阳司马方颖芳明建国冬梅炜景芝文修三四的了·")),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.sampled_from(list("JohnSmithby")),
    st.sampled_from([" ", "  ", "\u3000", "\t"]),
    st.sampled_from(list("，,、;；/／|:：")),
    st.sampled_from(["本报记者", "记者", "通讯员", "作者：", "文/", "图/", "撰文", "新华社", "实习生", "■", "by:"]),
)
TEXT = st.lists(PIECE, max_size=14).map("".join)


def _flat(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("page", [False, True])
@SETTINGS
@given(text=TEXT)
@example(text="本报记者  彭  波")
@example(text="王  芳  李建国、John  Smith")
@example(text="王 芳 李 明")
@example(text="文/徐海荣，记者 张三 记者")
def test_lexicon_parse_authors_names_come_from_the_text_and_read_back(page, text):
    names = parse_authors(text, page=page)
    source = _flat(text if page else unicodedata.normalize("NFC", text))
    assert all(name and _flat(name) in source for name in names)
    assert len(set(names)) == len(names)
    # a lone name of four characters is a byline only after a prefix word
    again = parse_authors("本报记者 " + "、".join(names), page=True) if page else parse_authors("、".join(names))
    assert again == names
