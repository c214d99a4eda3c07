"""Chinese numerals, read and written: the one place they are parsed.

Editions and sessions (第十四届, 第一百二十七次), page numbers (第十二版), enumerations (一是, 第三),
and years written with 〇 (二〇二四) all read their numbers here.

Examples
--------
>>> cn_int("十四"), cn_int("一百二十七"), cn_int("二〇二四"), cn_int("两千"), cn_int("x")
(14, 127, 2024, 2000, 0)
>>> to_int("07"), to_int("三十"), to_int("１２")
(7, 30, 12)
>>> cn_num(127)
'一百二十七'
"""

from __future__ import annotations

import unicodedata

#: The characters of a Chinese numeral (digits and the units up to 万).
DIGITS = "〇零一二两三四五六七八九"
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
NUMERALS = DIGITS + "".join(UNITS)
_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def cn_int(s: str) -> int:
    """The value of a Chinese numeral (0 when ``s`` is not one).

    A string of digits alone (二〇二四, 一九九八) is read digit by digit; otherwise units count
    (一百零二 = 102, 十四 = 14, 三万五千 = 35000).

    Examples
    --------
    >>> [cn_int(s) for s in ("十", "二十", "三十八", "一百零二", "一九九八", "五万", "")]
    [10, 20, 38, 102, 1998, 50000, 0]
    """
    if not s or any(c not in NUMERALS for c in s):
        return 0
    if all(c in DIGITS for c in s):
        return int("".join(str(_VALUE[c]) for c in s)) if len(s) > 1 else _VALUE[s]
    total, section, cur = 0, 0, 0
    for c in s:
        if c in _VALUE:
            cur = _VALUE[c]
        elif c == "万":
            total += (section + cur) * 10000
            section, cur = 0, 0
        else:
            section += (cur or 1) * UNITS[c]
            cur = 0
    return total + section + cur


def to_int(s: str) -> int:
    """A number in Arabic digits (full-width too) or in Chinese numerals; 0 when it is neither.

    Examples
    --------
    >>> to_int("12"), to_int("十二"), to_int("A3")
    (12, 12, 0)
    """
    t = unicodedata.normalize("NFKC", s or "").strip()
    if t.isdigit():
        return int(t)
    return cn_int(t)


def cn_num(n: int) -> str:
    """A number up to 999 as editions and sessions write it (1 -> 一, 14 -> 十四, 102 -> 一百零二, 110 -> 一百一十).

    Examples
    --------
    >>> [cn_num(n) for n in (0, 1, 10, 14, 20, 38, 102, 110)]
    ['零', '一', '十', '十四', '二十', '三十八', '一百零二', '一百一十']
    """
    d = "零一二三四五六七八九"
    if n < 10:
        return d[n]
    if n < 20:
        return "十" + (d[n % 10] if n % 10 else "")
    if n < 100:
        return d[n // 10] + "十" + (d[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + cn_num(rest) if rest < 10 else (cn_num(rest) if rest >= 20 else "一" + cn_num(rest)))
    return d[n // 100] + "百" + tail
