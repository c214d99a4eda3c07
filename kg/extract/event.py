"""Events: party congresses and the meetings an article reports, with date, organizer and speakers."""

from __future__ import annotations

import re
from typing import Iterator

from kg.model import Label, Mention, Ref, Relation
from kg.extract.context import TEXT_BLOCKS, ArticleContext
from kg.extract.registry import register

_NUM = "一二三四五六七八九十"
CONGRESS = re.compile(rf"(?:中国共产党第([{_NUM}]{{1,3}})次全国代表大会|党的([{_NUM}]{{1,3}})大|(?<![\u4e00-\u9fff])([{_NUM}]{{2,3}})大(?=精神|报告|代表|以来|胜利|召开|的|是|，|、|。))")
MEETING = re.compile(
    r"(召开|举行|举办|主办|开幕|闭幕)(了)?([^，。；！？、“”]{2,40}?(座谈会|研讨会|报告会|推进会|交流会|发布会|研讨班|论坛|峰会|年会|大会|会议))"
)
#: Meetings named without a verb: plenums, national conferences, "两会".
NAMED = re.compile(
    rf"(?:党的)?(?:[{_NUM}]{{2,3}}届[{_NUM}]中全会)|全国两会|(?:中央|全国)(?:(?!召开|举行|举办|主办)[\u4e00-\u9fff]){{2,12}}?(?:工作会议|代表大会|表彰大会|座谈会)"
)
_DATE = re.compile(r"(?:(\d{4})年\s*)?(\d{1,2})月\s*(\d{1,2})日")


def congress_name(m: re.Match) -> tuple[str, tuple[str, ...]]:
    """Canonical name (党的二十大) and full name of a party congress match."""
    num = m.group(1) or m.group(2) or m.group(3)
    return f"党的{num}大", (f"中国共产党第{num}次全国代表大会", f"{num}大")


def date_of(text: str, page_date: str = "") -> str:
    """ISO date (or ``--MM-DD`` without a year) of the first date in ``text``.

    Examples
    --------
    >>> date_of("11月 10日，某智库召开座谈会"), date_of("11月 10日", "2022-11-21"), date_of("2021年3月5日")
    ('--11-10', '2022-11-10', '2021-03-05')
    """
    m = _DATE.search(text)
    if not m:
        return ""
    year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    if not year and re.match(r"\d{4}-\d{2}-\d{2}", page_date or ""):
        y, pm, pd = map(int, page_date[:10].split("-"))
        year = str(y if (month, day) <= (pm, pd) else y - 1)
    return f"{int(year):04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


@register("event", needs=("org_spans", "attributions"), makes=(Mention, Relation))
def events(ctx: ArticleContext) -> Iterator[Mention | Relation]:
    """Event mentions, and the organizer, date and speakers of meetings the article reports."""
    art = ctx.article
    orgs = ctx.org_spans
    meetings: list[Ref] = []
    for bs, be in ctx.block_spans(*TEXT_BLOCKS):
        text = ctx.text[bs:be]
        for m in CONGRESS.finditer(text):
            name, alts = congress_name(m)
            yield Mention(art.id, bs + m.start(), bs + m.end(), m.group(0), Label.EVENT, name, subtype="Congress", extractor="event", alts=alts)
        for m in NAMED.finditer(text):
            if CONGRESS.fullmatch(m.group(0)):
                continue
            yield Mention(art.id, bs + m.start(), bs + m.end(), m.group(0), Label.EVENT, m.group(0), subtype="Meeting", extractor="event")
        for m in MEETING.finditer(text):
            s, e = bs + m.start(3), bs + m.end(3)
            name = m.group(3)
            if name in ("大会", "会议") or re.match(r"^(的|了|这|此|本次|该|一次|一场|会上|上)", name):
                continue
            ref = Ref(Label.EVENT, name)
            meetings.append(ref)
            yield Mention(art.id, s, e, name, Label.EVENT, name, subtype="Meeting", extractor="event")
            ss, se = ctx.sentence_of(s)
            before = [o for o in orgs if ss <= o[0] and o[1] <= bs + m.start()]
            if before:
                yield Relation("organizer", ref, Ref(Label.ORGANIZATION, before[-1][2]), art.id, ss, se, "event")
            date = date_of(ctx.text[ss:s], art.meta.date)
            if date:
                yield Relation("startDate", ref, date, art.id, ss, se, "event")
    if len(meetings) == 1:
        for att in ctx.attributions:
            yield Relation("attendee", meetings[0], Ref(Label.PERSON, att.name), art.id, att.start, att.end, "event")
