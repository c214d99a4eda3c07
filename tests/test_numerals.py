"""Chinese numerals, read and written (kg.numerals), and those who read them."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from kg.numerals import cn_int, cn_num, to_int


@pytest.mark.parametrize("s, n", [
    ("一", 1), ("十", 10), ("十四", 14), ("二十", 20), ("三十八", 38), ("一百零二", 102), ("一百二十七", 127),
    ("两千", 2000), ("三万五千", 35000), ("二〇二四", 2024), ("一九九八", 1998), ("〇", 0),
])
def test_numerals_read(s, n):
    assert cn_int(s) == n


@pytest.mark.parametrize("s", ["", "x", "十x", "12"])
def test_numerals_not_a_numeral_is_zero(s):
    assert cn_int(s) == 0


@given(st.integers(min_value=0, max_value=999))
def test_numerals_round_trip(n):
    assert cn_int(cn_num(n)) == n


@pytest.mark.parametrize("s, n", [("07", 7), ("１２", 12), ("十二", 12), ("A3", 0)])
def test_numerals_to_int(s, n):
    assert to_int(s) == n


def test_numerals_read_by_page_numbers_and_measures():
    from kg.extract.measure import MARKER
    from kg.sources.common import page_number

    assert page_number("第十二版") == "12" and page_number("07") == "7" and page_number("A3") == "A3"
    assert MARKER.search("。三是加强保障").group(1) == "三"
