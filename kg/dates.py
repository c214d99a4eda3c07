"""Dates: the one place they are read, from metadata and from running text (with tense).

:func:`iso_date` reads the date a metadata field gives (``2022年11月21日``, ``2022-11-21T08:00``,
``20221121``). :func:`find_dates` reads the days running text gives, resolved against the
article's date: a full date as it is; a month and day (9月4日) in the article's year, or the year
before when it falls after the article's day, unless the text speaks of the future (将, 定于,
明年 …), which keeps it ahead; 今年/去年/明年 X月X日 in that year; a day alone (4日) in the
article's month (the month before when it falls after the article's day, the month after when
the text speaks of the future); 今天, 昨天, 前天, 明天, 后天 from the article's date. A range
(1月12日至14日) gives its first day, and its last day is no date. Periods (自…起, 以来) and
dispatch lines (…电) are not days of events; 日前 and 近日 give none.

Examples
--------
>>> [f.iso for f in find_dates("会议同意明年1月12日至14日召开全会。", "2025-12-25")]
['2026-01-12']
>>> [f.iso for f in find_dates("9月4日，某会召开；5日闭幕。", "2024-09-06")]
['2024-09-04', '2024-09-05']
>>> [f.iso for f in find_dates("自1月1日起施行，日前通过", "2025-06-30")]
[]
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

_META = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_META8 = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")


def iso_date(value: object) -> str:
    """ISO date (``YYYY-MM-DD``) a metadata value gives, or ``""``.

    Examples
    --------
    >>> iso_date("2022年11月21日"), iso_date("2022-11-21T08:00:00+08:00"), iso_date("20221121"), iso_date("11月")
    ('2022-11-21', '2022-11-21', '2022-11-21', '')
    """
    text = unicodedata.normalize("NFKC", str(value or ""))
    for rx in (_META, _META8):
        for m in rx.finditer(text):
            try:
                return datetime.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError:
                continue
    return ""


_PREFIX = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def iso_prefix(text: str) -> str:
    """``text`` when it is a year, a month or a day in ISO form (``2023``, ``2023-02``, ``2023-02-28``), else ``""``.

    What a date bound on the command line (``--from``, ``--to``) may be.

    Examples
    --------
    >>> iso_prefix("2023"), iso_prefix("2023-02"), iso_prefix("2023-02-28"), iso_prefix("2023-02-30"), iso_prefix("23-2")
    ('2023', '2023-02', '2023-02-28', '', '')
    """
    m = _PREFIX.fullmatch(str(text or "").strip())
    if not m:
        return ""
    try:
        datetime.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return ""
    return m.group(0)


def day_of(page_date: str) -> datetime.date | None:
    """The day of an ISO date (its first ten characters), or None."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", page_date or "")
    if not m:
        return None
    try:
        return datetime.date(*map(int, m.groups()))
    except ValueError:
        return None


@dataclass(frozen=True)
class Found:
    """A day the text gives: where it is and its ISO form (``--MM-DD`` when no year is known)."""

    start: int
    end: int
    iso: str


_YEAR_WORD = {"今年": 0, "去年": -1, "前年": -2, "明年": 1}
_FULL = re.compile(r"(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日")
_MD = re.compile(r"(?:(今年|去年|前年|明年)|(?<![\d年]))(\d{1,2})月\s*(\d{1,2})日")
_D = re.compile(r"(?:(上月|本月|下月)|(?<![\d月\s]))(\d{1,2})日")
_REL = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1, "明日": 1, "后天": 2}
_RELRE = re.compile("|".join(_REL))
_RANGE = re.compile(r"^\s*(?:至|到|—|－|-|~|～)\s*(?:\d{4}年)?(?:\d{1,2}月)?\s*\d{1,2}日")
_NOT_A_DAY = re.compile(r"^\s*(?:电|起|以来|之前|以前|以后|之后|前|后|至|到|—|－|-|~|～)")
#: Words that put what follows in the future (将于, 定于, 拟, 计划, 即将, 同意…召开).
FUTURE = re.compile(r"将|定于|拟于|拟|计划|即将|预计|同意[^，。；]{0,6}$|决定[^，。；]{0,6}$|明年|下月|下周")


def _iso(y: int | None, m: int, d: int) -> str:
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return ""
    try:
        if y:
            datetime.date(y, m, d)
    except ValueError:
        return ""
    return f"{y:04d}-{m:02d}-{d:02d}" if y else f"--{m:02d}-{d:02d}"


def _future(text: str, start: int) -> bool:
    """Whether the sentence before ``start`` speaks of the future."""
    lo = max(text.rfind(p, 0, start) for p in "。；！？\n")
    return bool(FUTURE.search(text[lo + 1:start]))


def find_dates(text: str, page_date: str = "") -> list[Found]:
    """Every day ``text`` gives, in order, resolved against the article's ``page_date`` (ISO).

    Examples
    --------
    >>> [f.iso for f in find_dates("昨天上午举行。今天下午召开。", "2024-03-01")]
    ['2024-02-29', '2024-03-01']
    >>> [f.iso for f in find_dates("大会将于28日开幕，12月3日闭幕", "2024-11-20")]
    ['2024-11-28', '2024-12-03']
    >>> [f.iso for f in find_dates("去年12月30日", "2025-02-01")], [f.iso for f in find_dates("11月 10日")]
    (['2024-12-30'], ['--11-10'])
    """
    page = day_of(page_date)
    out: list[Found] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken)

    def keep(s: int, e: int, iso: str) -> None:
        rng = _RANGE.match(text[e:])
        if rng:
            taken.append((e, e + rng.end()))  # the range's last day is no date of its own
        elif _NOT_A_DAY.match(text[e:]):
            return
        if iso:
            out.append(Found(s, e, iso))

    for x in _FULL.finditer(text):
        taken.append(x.span())
        keep(x.start(), x.end(), _iso(int(x.group(1)), int(x.group(2)), int(x.group(3))))
    for x in _MD.finditer(text):
        if not free(*x.span()):
            continue
        taken.append(x.span())
        month, day = int(x.group(2)), int(x.group(3))
        year = None
        if page:
            if x.group(1):
                year = page.year + _YEAR_WORD[x.group(1)]
            elif (month, day) <= (page.month, page.day):  # past, unless the future it speaks of is next year's
                year = page.year + (1 if page.month - month > 6 and _future(text, x.start()) else 0)
            else:  # later in the year: the future said, or later this month; else last year's
                year = page.year if month == page.month or _future(text, x.start()) else page.year - 1
        keep(x.start(), x.end(), _iso(year, month, day))
    if page:
        for x in _D.finditer(text):
            if not free(*x.span()):
                continue
            taken.append(x.span())
            day = int(x.group(2))
            shift = {"上月": -1, "本月": 0, "下月": 1}.get(x.group(1) or "")
            if shift is None:
                shift = 0 if day <= page.day else (0 if _future(text, x.start()) else -1)
            y, mo = page.year, page.month + shift
            if mo < 1:
                y, mo = y - 1, 12
            elif mo > 12:
                y, mo = y + 1, 1
            keep(x.start(), x.end(), _iso(y, mo, day))
        for x in _RELRE.finditer(text):
            if free(*x.span()):
                out.append(Found(x.start(), x.end(), (page + datetime.timedelta(days=_REL[x.group(0)])).isoformat()))
    return sorted(out, key=lambda f: f.start)


def date_of(text: str, page_date: str = "") -> str:
    """ISO date (or ``--MM-DD`` without a year) of the first day ``text`` gives.

    Examples
    --------
    >>> date_of("11月 10日，某智库召开座谈会"), date_of("11月 10日", "2022-11-21"), date_of("2021年3月5日")
    ('--11-10', '2022-11-10', '2021-03-05')
    """
    found = find_dates(text, page_date)
    return found[0].iso if found else ""
