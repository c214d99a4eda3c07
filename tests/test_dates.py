"""Dates from metadata and from running text, with tense (kg.dates)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from kg.dates import date_of, day_of, find_dates, iso_date


@pytest.mark.parametrize("text, page_date, expected", [
    # a range gives its first day; its last day is no date of its own
    ("会议同意明年1月12日至14日召开全体会议。", "2025-12-25", ["2026-01-12"]),
    ("论坛于10月12日至14日在京举行。", "2024-10-15", ["2024-10-12"]),
    ("活动12日—14日举行。", "2024-10-15", ["2024-10-12"]),
    # the future keeps a day ahead of the article
    ("大会将于28日开幕，12月3日闭幕。", "2024-11-20", ["2024-11-28", "2024-12-03"]),
    ("峰会定于1月20日举行。", "2025-12-30", ["2026-01-20"]),
    # the past: a later month is last year's, a later day last month's
    ("去年12月30日，某会议召开。", "2025-02-01", ["2024-12-30"]),
    ("12月30日，某会议召开。", "2025-02-01", ["2024-12-30"]),
    ("28日，某会议召开。", "2025-02-05", ["2025-01-28"]),
    ("上月28日召开。", "2025-03-29", ["2025-02-28"]),
    # relative days
    ("今天（7月28日）是某纪念日。", "2025-07-28", ["2025-07-28", "2025-07-28"]),
    ("前天举行，后天闭幕。", "2024-03-01", ["2024-02-28", "2024-03-03"]),
    # periods, datelines and vague days are no days of events
    ("自2025年1月1日起施行。日前，某会召开。近日举行。", "2025-06-30", []),
    ("新华社北京3月5日电 某会议召开。", "2025-03-06", []),
])
def test_dates_find_with_tense(text, page_date, expected):
    assert [f.iso for f in find_dates(text, page_date)] == expected


def test_dates_without_article_date_keep_no_year():
    assert date_of("11月10日召开") == "--11-10"
    assert find_dates("10日召开") == []


@pytest.mark.parametrize("value, expected", [
    ("2022年11月21日", "2022-11-21"), ("2022-11-21T08:00:00+08:00", "2022-11-21"), ("20221121", "2022-11-21"),
    ("2022/2/30", ""), ("11月", ""), (None, ""), ("２０２２年１１月２１日", "2022-11-21"),
])
def test_dates_iso_date_of_metadata(value, expected):
    assert iso_date(value) == expected


def test_dates_day_of():
    assert day_of("2024-02-29").isoformat() == "2024-02-29"
    assert day_of("2023-02-29") is None and day_of("") is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789年月日今天昨明前后至起电将于，。一二十", max_size=40),
       st.dates().map(lambda d: d.isoformat()))
def test_dates_find_never_fails_and_points_into_the_text(text, page_date):
    found = find_dates(text, page_date)
    assert [f.start for f in found] == sorted(f.start for f in found)
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", f.iso)
        assert day_of(f.iso) is not None
