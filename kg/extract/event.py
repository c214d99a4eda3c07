"""Events: congresses, sessions, plenums and the meetings, talks and inspections an article reports.

Each event is a name the text makes a thing of, with its boundaries: no verb (召开, 举行) and no
determiner (今年, 此次) glued on. A meeting whose name carries no number (国务院常务会议,
专家学者座谈会) recurs, so its canonical name is the name with the date it was held
(``国务院常务会议（2024年9月4日）``, and its organizer when the name does not say it), while the
name read stays an other name; a numbered one (第十二次会议, 四中全会, 二十大) is its own name.
Dates are resolved with the article's date (9月4日, 4日, 今天, 昨天); 日前 and 近日 give none.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Iterator

from kg.dates import Found, date_of, find_dates  # noqa: F401  (date_of and Found: this module's API before kg.dates)
from kg.lexicon.meetings import (
    ACCOMPANY_UNDER, ACCOMPANY_VERBS, ADOPT_VERBS, AT_PLACE, ATTEND_LIST, ATTEND_VERBS, CHAIR_VERBS, MEETING_BODIES,
    EDITION, EVENT_HEADS, MEETING_WORDS, NOT_AN_ACT, NUMBERED, NUMBERING_BODIES, SPEAKING_MEETINGS, SPEECH_VERBS, STATEMENT_VERBS, TOPIC,
    is_generic_meeting, named_meetings,
)
from kg.lexicon.orgs import PROVINCES, canonical_org
from kg.lexicon.names import NARRATOR_LINE
from kg.model import Label, Mention, Ref, Relation, Statement
from kg.extract import event_spans
from kg.extract.context import TEXT_BLOCKS, ArticleContext
from kg.extract.crf import TemplateCRF
from kg.extract import roles as _roles
from kg.extract.roles import Classifier, Evidence, verbs_after
from kg.extract.place import place_name, place_spans
from kg.extract.registry import register

_NUM = "一二三四五六七八九十"
CONGRESS = re.compile(rf"(?:中国共产党第([{_NUM}]{{1,3}})次全国代表大会|(?:党的|中共)([{_NUM}]{{1,3}})大(?![会学])|(?<![\u4e00-\u9fff])([{_NUM}]{{2,3}})大(?=精神|报告|代表|以来|胜利|召开|的|是|，|、|。))")
_WORDS = "|".join(MEETING_WORDS)
_HOLD = "召开|举行|举办|主办|开幕|闭幕|承办"
MEETING = re.compile(rf"({_HOLD})(了)?((?:(?!召开|举行|主持|出席|参加)[^，。；！？、\n]){{2,40}}?({_WORDS}))")
#: A meeting named first, then held: "某某论坛 9日在京开幕".
PRE_NAMED = re.compile(
    rf"(?:^|(?<=[，。；！？：\n]))((?:(?!召开|举行|举办|主办|主持|出席|参加|会见|[在于])[^，。；！？：、\n]){{2,30}}?(?:{_WORDS}))"
    rf"(?=(?:\d{{1,2}}月)?(?:\d{{1,2}}日)?(?:[上下]午|晚间?)?(?:将)?(?:[在于][^，。；！？]{{1,20}}?)?(?:隆重|正式|顺利)?(?:开幕|闭幕|举行|召开|落幕|启幕))"
)
#: Meetings named without a verb: national conferences, "两会".
NAMED = re.compile(
    r"全国两会|(?<![共])(?:中央|全国)(?:(?!召开|举行|举办|主办|主持|出席|参加|总书记|主席|总理|书记|[在于的])[\u4e00-\u9fff]){2,12}?(?:工作会议|代表大会|表彰大会|座谈会)"
)
_BODY = "|".join(sorted(map(re.escape, NUMBERING_BODIES), key=len, reverse=True))
_RECUR_BODY = "|".join(sorted(map(re.escape, MEETING_BODIES), key=len, reverse=True))
#: A body's numbered meeting: 中央财经委员会第三次会议, 中共中央政治局第十次集体学习.
BODY_NUMBERED = re.compile(rf"({_BODY})(?:[^，。；！？\n]{{0,20}}?进行)?(第[{_NUM}百]{{1,5}}次(?:全体会议|常务会议|会议|集体学习|专题学习))")
#: A body's recurring meeting under its own name: 政治局会议, 国务院常务会议.
BODY_RECURRING = re.compile(rf"({_RECUR_BODY})(常务会议|全体会议|常务委员会会议|会议|集体学习)(?![精纪])")
#: A body holding a meeting it names by itself: 中共中央政治局8月29日召开会议, 国务院召开常务会议.
BODY_HOLDS = re.compile(rf"({_RECUR_BODY})((?:\d{{1,2}}月)?(?:\d{{1,2}}日)?(?:[上下]午|全天|晚间?)?(?:在[^，。；]{{1,10}}?)?召开(?:了)?)(常务会议|全体会议|会议)(?![室])")
#: Talks between two people: 甲同乙举行会谈, 甲会见乙.
TALKS = re.compile(r"(同|与|和)([^，。；！？\n]{1,40}?)(?:举行(?:了)?(会谈|会晤|视频会晤)|(通(?:了)?电话|视频通话))")
MEETS = re.compile(r"(会见|会晤)(了)?([^，。；！？\n]{1,40})")
#: An inspection: 在某地考察, 赴某地调研.
INSPECTION = re.compile(r"(?:在|赴|到)([\u4e00-\u9fff]{2,8}?)(考察调研|调研考察|考察|调研)(?=时|并|期间|，|。|；)")
_PLACE_END = ("省", "市", "县", "区", "州", "盟", "旗", "镇", "乡", "村", "自治区")
_LEAD = re.compile(r"^(?:了|这次|此次|本次|该|一次|一场|今年|明年|去年|本届|下届|上届|新一届|当天的|当日的|即将|将)")

_CLOSING = re.compile(r"闭幕|结束|落幕|闭会")


def congress_name(m: re.Match) -> tuple[str, tuple[str, ...]]:
    """Canonical name (党的二十大) and full name of a party congress match."""
    num = m.group(1) or m.group(2) or m.group(3)
    return f"党的{num}大", (f"中国共产党第{num}次全国代表大会", f"{num}大", f"中共{num}大")


def dated_name(name: str, iso: str, organizer: str = "") -> str:
    """The canonical name of a meeting that recurs: its name with its date (and organizer when the name lacks it).

    A numbered name, or a date without a year, leaves the name as it is.

    Examples
    --------
    >>> dated_name("国务院常务会议", "2024-09-04")
    '国务院常务会议（2024年9月4日）'
    >>> dated_name("专家座谈会", "2024-09-04", "某某研究院")
    '专家座谈会（某某研究院，2024年9月4日）'
    >>> dated_name("某委员会第三次会议", "2024-09-04"), dated_name("专家座谈会", "--09-04")
    ('某委员会第三次会议', '专家座谈会')
    """
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m or NUMBERED.search(name) or "系列" in name:  # a series is not one occurrence
        return name
    when = f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日"
    return f"{name}（{organizer}，{when}）" if organizer and organizer not in name else f"{name}（{when}）"


@dataclass(frozen=True)
class _Cand:
    """An event read in an article before its canonical name is known."""

    start: int
    end: int
    name: str  # the name without a date
    subtype: str
    alts: tuple[str, ...] = ()
    organizer: str = ""
    reported: bool = False  # read with a verb that holds it
    priority: int = 0
    host: str = ""  # for talks and inspections: whose they are
    guest: str = ""  # for talks: the other side
    co: tuple[str, ...] = ()  # organizers beside ``organizer`` (A和B共同主办)


def _strip_lead(name: str, start: int) -> tuple[str, int]:
    while True:
        m = _LEAD.match(name)
        if not m or len(name) - m.end() < 2:
            return name, start
        name, start = name[m.end():], start + m.end()


def _org_before(ctx: ArticleContext, ss: int, pos: int) -> str:
    """The organization that is the subject of a verb at ``pos``: the last one before it in its clause."""
    return next(iter(_orgs_before(ctx, ss, pos)), "")


def _orgs_before(ctx: ArticleContext, ss: int, pos: int) -> list[str]:
    """The organizations that are the subject of a verb at ``pos``: the last one before it in its clause, and
    those joined to it (A、B和C共同主办), the last one first; a body with a person after it is that person's
    post (某部部长某某举行…), no subject."""
    before = [o for o in ctx.org_spans if ss <= o.start and o.end <= pos and not re.search(r"[，；。！？]", ctx.text[o.end:pos])
              and not ctx.people_within(o.end, pos)]  # 某部部长某某举行…: the person holds it, the body is their post's
    if not before:
        return []
    out = [before[-1]]
    for o in reversed(before[:-1]):
        if not re.fullmatch(r"[、和与及同]|以及", ctx.text[o.end:out[-1].start]):
            break
        out.append(o)
    return [o.name for o in out]


#: Bodies that hold an event, after it: 论坛由A、B和C共同主办.
_BY_ORGS = re.compile(r"由([^。；！？，]{2,80}?)(?:共同|联合)?(?:主办|举办|承办|召开)")


def _organizers_by(ctx: ArticleContext, held: list[_Held]) -> Iterator[tuple[_Held, str, int, int]]:
    """``(event, organization, start, end)`` for each 由…主办 that names the bodies holding an event of its
    sentence (else of the sentence before)."""
    for bs, be in ctx.block_spans(*TEXT_BLOCKS):
        for m in _BY_ORGS.finditer(ctx.text, bs, be):
            ss, se = ctx.sentence_of(m.start())
            here = [h for h in held if h.held and ss <= h.cand.start < m.start()]
            if not here:
                here = [h for h in held if h.held and h.cand.start < ss and ctx.sentence_of(h.cand.start)[1] >= ss - 2]
            if not here:
                continue
            for o in ctx.org_spans:
                if m.start(1) <= o.start and o.end <= m.end(1):
                    yield here[-1], o.name, ss, se


def _person_before(ctx: ArticleContext, lo: int, pos: int) -> str:
    ps = [(s, e) for s, e in ctx.person_spans if lo <= s and e <= pos]
    return ctx.text[ps[-1][0]:ps[-1][1]] if ps else ""


def _person_in(ctx: ArticleContext, lo: int, hi: int, last: bool = True) -> str:
    ps = [(s, e) for s, e in ctx.person_spans if lo <= s and e <= hi]
    if not ps:
        return ""
    s, e = ps[-1] if last else ps[0]
    return ctx.text[s:e]


def _body(name: str, ctx: ArticleContext) -> str:
    return canonical_org(name, ctx.province)[0]


def _is_place(ctx: ArticleContext, s: int, e: int) -> bool:
    text = ctx.text[s:e]
    if text in PROVINCES or text in PROVINCES.values() or text.endswith(_PLACE_END):
        return True
    toks = ctx.tokens_in(s, e)
    return bool(toks) and all(t.tag == "LOC" for t in toks)


def _candidates(ctx: ArticleContext, bs: int, be: int) -> Iterator[_Cand]:
    text = ctx.text[bs:be]
    date = ctx.article.meta.date
    for m in CONGRESS.finditer(text):
        name, alts = congress_name(m)
        yield _Cand(bs + m.start(), bs + m.end(), name, "Congress", alts, priority=3)
    for x in named_meetings(text, date):
        yield _Cand(bs + x.start, bs + x.end, x.name, x.kind, x.alts, _body(x.organizer, ctx) if x.organizer else "", priority=3)
    for m in BODY_NUMBERED.finditer(text):
        body = _body(m.group(1), ctx)
        yield _Cand(bs + m.start(), bs + m.end(), body + m.group(2), "Meeting", (m.group(1) + m.group(2),), body, priority=2)
    for m in BODY_RECURRING.finditer(text):
        body = _body(m.group(1), ctx)
        yield _Cand(bs + m.start(), bs + m.end(), body + m.group(2), "Meeting", (m.group(1) + m.group(2),), body, priority=2)
    for m in BODY_HOLDS.finditer(text):
        body = _body(m.group(1), ctx)
        kind = m.group(3)
        yield _Cand(bs + m.start(), bs + m.end(), body + kind, "Meeting", (m.group(1) + kind,), body, reported=True, priority=2)
    for m in NAMED.finditer(text):
        if CONGRESS.fullmatch(m.group(0)):
            continue
        yield _Cand(bs + m.start(), bs + m.end(), m.group(0), "Meeting", priority=1)
    for pattern, group, verb_end in ((MEETING, 3, True), (PRE_NAMED, 1, False)):
        for m in pattern.finditer(text):
            name, s = _strip_lead(m.group(group), bs + m.start(group))
            e = bs + m.end(group)
            if name in MEETING_WORDS or is_generic_meeting(name) or re.match(r"^(的|这|此|会上|上|各|有关|相关)", name):
                continue
            if not re.search("[\u4e00-\u9fff]{2}", name[: -2] or "x") and len(name) < 4:
                continue
            ss, _ = ctx.sentence_of(s)
            verb = bs + m.start(1) if verb_end else s
            orgs = _orgs_before(ctx, ss, verb)
            yield _Cand(s, e, name, "Meeting", organizer=orgs[0] if orgs else "", reported=True, co=tuple(orgs[1:]))
    for m in TALKS.finditer(text):
        ss, se = ctx.sentence_of(bs + m.start())
        host = _person_before(ctx, ss, bs + m.start())
        guest = _person_in(ctx, bs + m.start(2), bs + m.end(2))
        if host and guest:
            g = 3 if m.group(3) else 4
            word = m.group(g).replace("了", "")
            yield _Cand(bs + m.start(g), bs + m.end(g), f"{host}同{guest}{word}", "Talks", reported=True, host=host, guest=guest)
    for m in MEETS.finditer(text):
        ss, se = ctx.sentence_of(bs + m.start())
        host = _person_before(ctx, ss, bs + m.start())
        guest = _person_in(ctx, bs + m.start(3), bs + m.end(3), last=False)
        if host and guest:
            yield _Cand(bs + m.start(1), bs + m.end(1), f"{host}{m.group(1)}{guest}", "Talks", reported=True, host=host, guest=guest)
    for m in INSPECTION.finditer(text):
        ps, pe = bs + m.start(1), bs + m.end(1)
        if not _is_place(ctx, ps, pe):
            continue
        ss, _ = ctx.sentence_of(ps)
        host = _person_before(ctx, ss, bs + m.start())
        if host:
            yield _Cand(ps, bs + m.end(2), f"{host}{m.group(1)}{m.group(2)}", "Inspection", reported=True, host=host)


def rule_candidates(ctx: ArticleContext) -> list[_Cand]:
    """Every candidate the rules propose in the article's running text, in order."""
    out: list[_Cand] = []
    for bs, be in ctx.block_spans(*TEXT_BLOCKS):
        out.extend(_candidates(ctx, bs, be))
    return sorted(out, key=lambda c: (c.start, c.end, c.name))


def candidate_kind(c: _Cand) -> str:
    """What a rule candidate is, as a feature of the event tagger (its kind and how sure the rule is)."""
    return f"{c.subtype}{c.priority}"


#: Words that hold an event in the clause that names it (the event was held, not only named).
_HELD_BY = re.compile(rf"{_HOLD}|主持|出席|参加|会见|会谈|会晤|启动|揭幕|开幕式|进行|发表|在[^，。；]{{0,20}}?上")
#: A name that is only a reference to an event named before (此次会议, 本届大会, 会上).
_ONLY_REFERENCE = re.compile(r"^(?:这|此|本|该|上|下|首|每|各|两|历)[次届场项个轮]?")


def entity_marks(ctx: ArticleContext) -> list[tuple[int, int, str]]:
    """The people and organizations of the article as features of the event tagger: ``(start, end, "PER" | "ORG")``."""
    return sorted([(o.start, o.end, "ORG") for o in ctx.org_spans] + [(s, e, "PER") for s, e in ctx.person_spans])


def _kind_of(name: str) -> str:
    return "Meeting" if any(name.endswith(w) for w in MEETING_WORDS) else "Event"


def decide(ctx: ArticleContext, rule: list[_Cand], found: list[tuple[int, int]]) -> list[_Cand]:
    """The event candidates of an article: the model's spans, named by the rules where they agree.

    The grammar's candidates (sessions, plenums, congresses, bodies' meetings, talks and
    inspections: priority 2 and up, and the parties of talks) stand on their own; a looser rule
    candidate (a name before or after a verb of holding) stands only where the model tags a name
    over it, and then with the model's boundaries. A span the model tags elsewhere is a new
    candidate; a span that is only a reference (此次会议, 会议) makes none.
    """
    out = [c for c in rule if c.priority >= 2 or c.subtype in ("Talks", "Inspection")]
    loose = [c for c in rule if c not in out]
    for s, e in found:
        name, s2 = _strip_lead(ctx.text[s:e], s)
        at = re.match(r"^[^在于]{1,6}?[在于](?=[\u4e00-\u9fff“《]{3})", name)  # 记者在某某大会: the name is after 在
        if at:
            name, s2 = name[at.end():], s2 + at.end()
        if len(name) < 3 or is_generic_meeting(name) or name in EVENT_HEADS or (_ONLY_REFERENCE.match(name) and len(name) <= 5):
            continue
        if any(c.start <= s2 and e <= c.end for c in out):
            continue  # inside a name the grammar reads
        if any(s2 <= c.start and c.end <= e and _trimmed(ctx.text[s2:c.start] + ctx.text[c.end:e]) for c in out):
            continue  # a name the grammar reads with a word or two about it (建议某会议): the grammar's reading
        if ctx.person_index.overlaps(s2, e):
            continue  # a person in a name makes it a person's act (甲同乙会谈), which the grammar reads
        over = [c for c in loose if c.start < e and s < c.end]
        for c in over:  # the rule's longer reading of the same name (its topic before it: 学习贯彻…座谈会)
            extra = ctx.text[c.start:s2]
            if c.end == e and c.start < s2 and not re.search(r"[，。；！？\n]|[和及与、]$", extra) and not event_spans.has_head(extra):
                name, s2 = c.name, c.start
        ss, se = ctx.sentence_of(s2)
        clause = ctx.text[_clause_start(ctx.text, ss, s2):(re.search(r"[，；。！？\n]|$", ctx.text[e:se]).start() + e)]
        held = bool(_HELD_BY.search(clause)) or any(c.reported for c in over)
        if _qualifies(ctx.text, e, se) and not any(c.reported for c in over):
            held = False  # 出席某峰会的贵宾: the name qualifies someone; the sentence reports another thing
        organizer = next((c.organizer for c in over if c.organizer), "")
        co = next((c.co for c in over if c.organizer), ())
        if not organizer and held:
            verb = re.search(rf"{_HOLD}", ctx.text[ss:s2])
            if verb:
                orgs = _orgs_before(ctx, ss, ss + verb.start())
                organizer, co = (orgs[0], tuple(orgs[1:])) if orgs else ("", ())
        out.append(_Cand(s2, e, name, _kind_of(name), reported=held, organizer=organizer, priority=1, co=co))
    return out


def _trimmed(extra: str) -> bool:
    """Whether what a tagged span adds to a name the grammar reads is only a word or two around it, not a name."""
    return 0 < len(extra) <= 3 and not event_spans.has_head(extra) and not re.search(r"[\d第届次]", extra)


def _without_overlaps(cands: list[_Cand]) -> list[_Cand]:
    """Candidates that are not inside a longer (or, at the same span, a stronger) one."""
    ordered = sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start, c.name))
    out: list[_Cand] = []
    for c in ordered:
        if any(o.start <= c.start and c.end <= o.end and (o.name != c.name or (o.start, o.end) == (c.start, c.end)) and not (
                o.subtype == c.subtype == "Plenum" and o.end == c.end) for o in out):
            continue
        if any(c.start < o.end and o.start < c.end and not (c.start <= o.start and o.end <= c.end)
               and not (o.start <= c.start and c.end <= o.end) for o in out):
            continue  # crossing: keep the stronger
        out = [o for o in out if not (c.start <= o.start and o.end <= c.end and (c.end - c.start) > (o.end - o.start) and o.priority <= c.priority)]
        out.append(c)
    return sorted(out, key=lambda c: (c.start, c.end))


#: What may stand between an event's name and the date after it (某会议30日闭幕, 某会议将于5日召开): function
#: words, not a noun that makes the date another thing's (某大会精神宣讲4日举行).
_DATE_GAP = re.compile(r"(?:[，,]|将|已|定|于|在|拟|计划|正式|隆重|今年|本月)*")


#: What follows an event's name that makes it qualify a noun (出席某峰会的贵宾, 出席甲峰会和乙活动的某总理).
_QUALIFIES = re.compile(r"(?:[和及与、][^，；。！？\n的]{2,40}?)?的(?![确])")


def _qualifies(text: str, end: int, limit: int) -> bool:
    """Whether the event named up to ``end`` stands in a phrase that qualifies a noun (…的贵宾), before ``limit``."""
    return bool(_QUALIFIES.match(text, end, limit))


def _date_for(ctx: ArticleContext, c: _Cand, others: list[_Cand] = ()) -> tuple[str, bool]:
    """The date an event was held, from its sentence, and whether it is the date it opened.

    A date after the name in its clause (某会议 30日 闭幕, 于2023年3月5日 召开) or the last one
    before it, when a verb holds the meeting and no other event stands between.
    """
    date = ctx.article.meta.date
    ss, se = ctx.sentence_of(c.start)
    if _qualifies(ctx.text, c.end, se):
        return "", False  # 4日会见来华出席某峰会的某总理: the day is the meeting's, not the summit's
    clause_end = re.search(r"[，；。！？\n]|$", ctx.text[c.end:se]).start() + c.end
    after_text = ctx.text[c.end:clause_end]
    closing = bool(_CLOSING.search(after_text))
    inside = find_dates(ctx.text[c.start:c.end], date) if c.subtype == "Meeting" and c.reported else []
    if inside:
        return inside[0].iso, not closing
    after = [f for f in find_dates(after_text, date) if f.start <= 4 and _DATE_GAP.fullmatch(after_text[:f.start])]
    if after:
        return after[0].iso, not closing
    before = find_dates(ctx.text[ss:c.start], date)
    if not before:
        return "", False
    last = before[-1]
    between = ctx.text[ss + last.end:c.start]
    if any(ss + last.end <= o.start and o.end <= c.start for o in others):
        return "", False
    if c.reported or _HELD_BY.search(between + after_text):
        return last.iso, not closing
    if re.fullmatch(r"\W{0,2}(?:是|为)", between) and c.name.endswith(("日", "节", "周")):  # 今天（7月28日）是某日
        return last.iso, True
    return "", False


def _same_name(short: str, long: str) -> bool:
    """Whether ``short`` is another name of the event named ``long``: inside it, or the same head with a
    longer common ending than the head word, and no number of its own (第三次集体学习 of 某部第三次集体学习)."""
    if len(short) >= len(long) or short[-2:] != long[-2:] or is_generic_meeting(short) or short in EVENT_HEADS:
        return False
    if set(EDITION.findall(short)) - set(EDITION.findall(long)):
        return False
    if short in long:  # 某会议 of 某会议预备会议 is the session, not the preparatory meeting's other name
        return len(short) >= 3 and not (long.startswith(short) and event_spans.has_head(long[len(short):]))
    k = 0
    while k < len(short) and short[-1 - k] == long[-1 - k]:
        k += 1
    head = max((len(w) for w in EVENT_HEADS if long.endswith(w)), default=2)
    return k >= 4 and k > head + 1


def _one_occurrence(dated: list[tuple[_Cand, str, bool]], nested: set[_Cand]) -> list[tuple[_Cand, str, bool]]:
    """One node for one occurrence named several ways in an article: a shorter name of a longer one (same
    head, no other number, no other day) takes the longer one's name, and keeps its own as an other name."""
    full = re.compile(r"\d{4}-\d{2}-\d{2}")
    free = [(c, iso) for c, iso, _ in dated if c not in nested and c.subtype not in ("Talks", "Inspection")]
    longest = sorted(free, key=lambda x: -len(x[0].name))
    anchor: dict[int, tuple[_Cand, str]] = {}
    for c, iso in free:
        for o, oiso in longest:
            if len(o.name) <= len(c.name):
                break
            if _same_name(c.name, o.name) and not (full.fullmatch(iso or "") and full.fullmatch(oiso or "") and iso != oiso):
                anchor[id(c)] = anchor.get(id(o), (o, oiso))
                break
    out = []
    for c, iso, opens in dated:
        if id(c) in anchor:
            o, oiso = anchor[id(c)]
            c = dataclasses.replace(c, name=o.name, alts=tuple(dict.fromkeys((*o.alts, c.name))), subtype=o.subtype,
                                    organizer=c.organizer or o.organizer)
        out.append((c, iso, opens))
    return out


@register("event", needs=("org_spans", "person_spans", "attributions", "tokens", "sentences", "province"), makes=(Mention, Relation, Statement))
def events(ctx: ArticleContext, crf: TemplateCRF | None = None, roles: Classifier | None = None) -> Iterator[Mention | Relation]:
    """Event mentions, and the organizer and date of the meetings the article reports, and their speakers.

    The rules propose candidates; the event tagger (:mod:`kg.extract.event_spans`, or ``crf``)
    decides which names are events (:func:`decide`); the role classifier (:mod:`kg.extract.roles`,
    or ``roles``) decides who took part in them and how (:func:`participation`).
    """
    records, held = read_events(ctx, crf)
    yield from records
    yield from participation(ctx, held, roles)


def read_events(ctx: ArticleContext, crf: TemplateCRF | None = None) -> tuple[list[Mention | Relation], list[_Held]]:
    """The event records of an article (mentions, organizers, dates) and its events as :class:`_Held`."""
    out: list[Mention | Relation] = []
    art = ctx.article
    rule = rule_candidates(ctx)
    found = event_spans.find(ctx.text, ctx.read, ctx.tokens, [(c.start, c.end, candidate_kind(c)) for c in rule], crf,
                             entities=entity_marks(ctx))
    cands = _without_overlaps(decide(ctx, rule, found))
    # an event named inside another's name (党的二十大 in a 座谈会 on it) was not held there
    nested = {c for c in cands if any(o is not c and o.start <= c.start and c.end <= o.end for o in cands)}
    dated = [(c, *(("", False) if c in nested else _date_for(ctx, c, cands))) for c in cands]
    dated = _one_occurrence(dated, nested)
    # one meeting of a name per article unless the article gives it several dates
    days: dict[str, set[str]] = {}
    orgs: dict[str, str] = {}
    for c, iso, _ in dated:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
            days.setdefault(c.name, set()).add(iso)
        if c.organizer:
            orgs.setdefault(c.name, c.organizer)
    meetings: list[Ref] = []
    held_events: list[_Held] = []
    said: set[tuple[str, Ref, str]] = set()
    for c, iso, opens in dated:
        own = iso if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso) else ""
        if not own and len(days.get(c.name, ())) == 1:
            own = next(iter(days[c.name]))
        held = c.reported or bool(iso)
        organizer = "" if c in nested or not (held or c.subtype == "Meeting") else c.organizer or orgs.get(c.name, "")
        shown = organizer if c.subtype not in ("Talks", "Inspection") else ""
        name = dated_name(c.name, own, shown) if not (NUMBERED.search(c.name) or c.subtype in ("Session", "Plenum", "Congress")) else c.name
        alts = tuple(dict.fromkeys(a for a in (c.name, *c.alts) if a != name))
        ref = Ref(Label.EVENT, name)
        held_events.append(_Held(c, ref, own or iso, c not in nested and held))
        out.append(Mention(art.id, c.start, c.end, ctx.text[c.start:c.end], Label.EVENT, name, subtype=c.subtype, extractor="event", alts=alts))
        if c.reported and c.subtype == "Meeting" and ref not in meetings:
            meetings.append(ref)
        ss, se = ctx.sentence_of(c.start)
        for org in (organizer, *(c.co if organizer == c.organizer else ())):
            if org and ("organizer", ref, org) not in said:
                said.add(("organizer", ref, org))
                out.append(Relation("organizer", ref, Ref(Label.ORGANIZATION, org), art.id, ss, se, "event"))
        start_date = iso if iso and opens else ""
        if start_date and not any(k == "startDate" and r == ref for k, r, _ in said):
            said.add(("startDate", ref, start_date))
            out.append(Relation("startDate", ref, start_date, art.id, ss, se, "event"))
    if len(meetings) == 1:
        for att in ctx.attributions:
            if NARRATOR_LINE.match(ctx.text, att.start):
                continue  # a narrator tells their own story, not what they said at the meeting
            out.append(Relation("attendee", meetings[0], Ref(Label.PERSON, att.name), art.id, att.start, att.end, "event",
                                role="speaker"))
    for h, org, ss, se in _organizers_by(ctx, held_events):
        if ("organizer", h.ref, org) not in said and h.cand.subtype not in ("Talks", "Inspection"):
            said.add(("organizer", h.ref, org))
            out.append(Relation("organizer", h.ref, Ref(Label.ORGANIZATION, org), art.id, ss, se, "event"))
    return out, held_events


# --------------------------------------------------------------------------- participants

@dataclass(frozen=True)
class _Held:
    """An event read in the article, with its canonical reference, its date and whether it was held there."""

    cand: _Cand
    ref: Ref
    iso: str
    held: bool


_BREAK = "，,；;。！？：:\n"
_PRONOUN = re.compile(r"(?:他|她)(?:在[^，。；]{0,8}?中|在会上|随后|还|也|并|进一步|最后|同时)?$")
_HELD_KINDS = ("Meeting", "Session", "Plenum", "Congress")


def _clause_start(text: str, lo: int, pos: int) -> int:
    i = pos
    while i > lo and text[i - 1] not in _BREAK:
        i -= 1
    return i


def _people_in(ctx: ArticleContext, lo: int, hi: int) -> list[tuple[int, int]]:
    return ctx.people_within(lo, hi)


def _acts(ctx: ArticleContext, cs: int, e: int, pos: int, limit: int = 40) -> bool:
    """Whether the person ending at ``e`` is the subject of the verb at ``pos`` (a clause opening at ``cs``);
    one who 作 right after their name reports even where the meeting 听取 it (听取某某作的汇报, 听取甲、乙分别作的报告)."""
    gap = ctx.text[e:pos]
    if len(gap) > limit or "的" in gap:
        return False
    return not NOT_AN_ACT.search(ctx.text[cs:pos]) or (gap in ("", "分别", "先后", "依次") and ctx.text[pos:pos + 1] == "作")


def subjects(ctx: ArticleContext, pos: int, many: bool = False, limit: int = 40) -> list[str]:
    """The people who are the subject of a verb at ``pos``: the last person of its clause, or for ``many``
    the list the verb closes, over the clauses before it that are each a person (甲，乙，丙出席会议).

    Examples
    --------
    >>> from kg.extract.context import analyse
    >>> from kg.model import Article, Block
    >>> t = "会上，张建国、李明华先后发言。"
    >>> ctx = analyse(Article.build("x", "", (Block("paragraph", t, tuple(range(len(t)))),)))
    >>> subjects(ctx, t.index("先后"), many=True)
    ['张建国', '李明华']
    """
    ss, _ = ctx.sentence_of(pos)
    cs = _clause_start(ctx.text, ss, pos)
    people = _people_in(ctx, cs, pos)
    topic = TOPIC.search(ctx.text, cs, pos)
    if topic and people and people[0][1] <= topic.start():  # 甲、乙围绕某事作发言: the subjects before the topic
        people = [p for p in people if p[1] <= topic.start()]
        if not many:
            acts = not NOT_AN_ACT.search(ctx.text[cs:topic.start()])
            return [ctx.text[people[-1][0]:people[-1][1]]] if acts else []
        gap = ctx.text[people[-1][1]:topic.start()]
        if len(gap) <= 4 and "的" not in gap and not NOT_AN_ACT.search(ctx.text[cs:topic.start()]):
            pos = topic.start()
    if not people or not _acts(ctx, cs, people[-1][1], pos, limit):
        if not many or people:
            return []
    if not many:
        return [ctx.text[people[-1][0]:people[-1][1]]]
    found = list(people)
    while cs - 1 > ss and ctx.text[cs - 1] in "，,":
        pcs = _clause_start(ctx.text, ss, cs - 1)
        before = _people_in(ctx, pcs, cs - 1)
        tail = ctx.text[before[-1][1]:cs - 1] if before else "x"
        if not before or not re.fullmatch(r"(?:等|等同志|同志)?", tail) or NOT_AN_ACT.search(ctx.text[pcs:cs]):
            break
        found = before + found
        cs = pcs
    return [ctx.text[s:e] for s, e in found]


def _event_at(ctx: ArticleContext, held: list[_Held], main: _Held | None, ss: int, se: int, vs: int, ve: int) -> _Held | None:
    """The event a verb at ``vs:ve`` is about: one named right after it (主持召开某会议) or right before it in its
    clause (某全会审议通过), else the event held in its sentence, else the article's main event. A verb whose
    object is a talk (参加会见, 陪同会谈) is about the talks of the article before it, never another event."""
    if _BANQUET.search(ctx.text, vs, min(ve + 8, se)):
        return None  # 出席欢迎宴会的有…: a happening with no name of its own
    if _TALK_OBJECT.match(ctx.text, ve) or _TALK_OBJECT.match(ctx.text, ve - 2, ve):
        talks = [h for h in held if h.cand.subtype == "Talks" and h.cand.start < vs]
        return talks[-1] if talks else None
    for h in held:
        if ve <= h.cand.start <= ve + 4 and h.cand.start < se:
            return h
    for h in held:
        if ss <= h.cand.start and h.cand.end <= vs and vs - h.cand.end <= 3 and not re.search(f"[{_BREAK}]", ctx.text[h.cand.end:vs]):
            return h
    here = [h for h in held if h.held and ss <= h.cand.start < se]
    if here:
        return here[0]
    if _GENERIC_HELD.search(ctx.text, max(0, ss - 150), vs):
        return None  # 举行宴会，欢迎…。某某出席: those present are the banquet's, which has no name
    bs, _ = _block_of(ctx, vs)
    earlier = [h for h in held if h.held and bs <= h.cand.start < vs and not _later(h, ctx.article.meta.date)]
    return earlier[-1] if earlier else main


#: A happening held without a name of its own (宴会, 欢迎仪式), and one reported held (举行宴会, 举行欢迎仪式):
#: the verbs after it are about it.
_BANQUET = re.compile(r"宴会|晚宴|午宴|欢迎仪式")
_GENERIC_HELD = re.compile(rf"举行(?:了)?(?:盛大|隆重|国宴|欢迎|招待)?(?:{_BANQUET.pattern})")
#: The object of a verb of taking part that makes it part of talks: 参加会见, 出席会谈, 陪同会见.
_TALK_OBJECT = re.compile(r"(?:了)?(?:会见|会谈|会晤|通话|见面)(?![\u4e00-\u9fff]{0,6}(?:会|式|活动))")


def _block_of(ctx: ArticleContext, i: int) -> tuple[int, int]:
    for s, e in ctx.block_spans(*TEXT_BLOCKS):
        if s <= i < e:
            return s, e
    return i, i


def _later(h: _Held, date: str) -> bool:
    """Whether an event is dated after the article: one set for later, not reported held."""
    return bool(date) and bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", h.iso)) and h.iso > date[:10]


def _main_event(ctx: ArticleContext, held: list[_Held]) -> _Held | None:
    """The event an article reports: the first it says was held (not one set for later), else the session,
    plenum or meeting its title names."""
    for h in held:
        if h.held and not _later(h, ctx.article.meta.date):
            return h
    titles = ctx.block_spans("title")
    for h in held:
        if h.cand.subtype in _HELD_KINDS and any(s <= h.cand.start < e for s, e in titles):
            return h
    return None


def _speaking(h: _Held) -> bool:
    return h.cand.subtype == "Meeting" and any(h.cand.name.endswith(w) or w in h.cand.name for w in SPEAKING_MEETINGS)


_AT_MEETING = re.compile(r"会上|在[^，。；]{0,24}?(?:会|式|典礼|论坛|活动|仪式|学习)(?:上|中)")
_SPEECH_BEFORE = re.compile(r"强调|指出|表示|说|认为|讲话|致辞|发言|宣讲|解读|阐述")
_ABOUT = re.compile(r"宣讲|解读|学习|传达|贯彻|领会|辅导")


def _pair_flags(ctx: ArticleContext, h: _Held, who: str, ss: int, se: int) -> list[str]:
    """Where a person stands against an event: same sentence, before or after its name, how far, in a list …"""
    pos = ctx.text.find(who, ss, se)
    out = []
    hs, _ = ctx.sentence_of(h.cand.start)
    if hs == ss:
        out.append("same_sentence")
        if _SPEECH_BEFORE.search(ctx.text[ss:h.cand.start]):
            out.append("event_in_speech")
    else:
        out.append("before_sentence" if h.cand.start > se else "after_sentence")
    if pos >= 0:
        out.append("person_first" if pos < h.cand.start else "event_first")
        if pos and ctx.text[pos - 1] in "、" or ctx.text[pos + len(who):pos + len(who) + 1] == "、":
            out.append("listed")
        if ctx.text[ss:pos].count("“") > ctx.text[ss:pos].count("”"):
            out.append("quoted")
        if _AT_MEETING.search(ctx.text[ss:se]):
            out.append("at_meeting")
    if _ABOUT.search(ctx.text[ss:se]):
        out.append("about")
    if any(s <= h.cand.start < e for s, e in ctx.block_spans("title")):
        out.append("event_in_title")
    if not h.held:
        out.append("not_held")
    return out


def proposals(ctx: ArticleContext, held: list[_Held]) -> tuple[dict[tuple[Ref, str], tuple[_Held, Evidence]], list[Statement]]:
    """The (event, person) pairs the rules propose, with what they saw of each, and the statements read.

    Roles proposed: ``chair`` (主持), ``speaker`` (讲话, 发言, 致辞, 通报, 作报告), ``attendee`` (出席, 参加,
    列席, 出席会议的有…), ``accompanier`` (陪同), ``party`` (a side of talks, the one who makes an
    inspection), ``said`` (quoted in the event's report), ``near`` (named in the sentence that names
    the event). A verb's event is the one it names, else the one held in its sentence, else the
    article's main event (the first it reports held, not one set for later).
    """
    main = _main_event(ctx, held)
    found: dict[tuple[Ref, str], tuple[_Held, Evidence]] = {}
    statements: list[Statement] = []

    def propose(h: _Held | None, who: str, role: str, ss: int, se: int) -> None:
        if h is None or not who:
            return
        ev = found.setdefault((h.ref, who), (h, Evidence()))[1]
        pos = ctx.text.find(who, ss, se)
        verbs = verbs_after(ctx.text, pos + len(who), se) if pos >= 0 else []
        flags = _pair_flags(ctx, h, who, ss, se) + (["main"] if h is main else [])
        ev.add(role, (ss, se), verbs, flags)

    for h in held:
        if h.held and h.cand.subtype in ("Talks", "Inspection"):
            ss, se = ctx.sentence_of(h.cand.start)
            for who in (h.cand.host, h.cand.guest):
                propose(h, who, "party", ss, se)
    for h in held:
        ss, se = ctx.sentence_of(h.cand.start)
        for s, e in _people_in(ctx, ss, se):
            propose(h, ctx.text[s:e], "near", ss, se)
    spans = ctx.block_spans(*TEXT_BLOCKS)
    for bs, be in spans:
        text = ctx.text[bs:be]
        for pattern, role, many in ((CHAIR_VERBS, "chair", False), (SPEECH_VERBS, "speaker", True),
                                    (ATTEND_VERBS, "attendee", True), (ACCOMPANY_VERBS, "accompanier", True)):
            for m in pattern.finditer(text):
                vs, ve = bs + m.start(), bs + m.end()
                ss, se = ctx.sentence_of(vs)
                h = _event_at(ctx, held, main, ss, se, vs, ve)
                for who in subjects(ctx, vs, many):
                    propose(h, who, role, ss, se)
        for pattern, role in ((ATTEND_LIST, "attendee"), (ACCOMPANY_UNDER, "accompanier")):
            for m in pattern.finditer(text):
                vs, ve = bs + m.start(), bs + m.end()
                ss, se = ctx.sentence_of(vs)
                lo, hi = (ve, se) if role == "attendee" else (bs + m.start(1), bs + m.end(1))
                h = _event_at(ctx, held, main, ss, se, vs, ve) if role == "attendee" else main
                for s, e in _people_in(ctx, lo, hi):
                    propose(h, ctx.text[s:e], role, ss, se)
    # what was said: 某某指出，…; “…”某某说
    last = ""
    stated: set[tuple[str, int]] = set()
    for bs, be in spans:
        text = ctx.text[bs:be]
        for m in re.finditer(r"“([^“”]{4,})”([^“”。，；]{0,40}?)(?:说|表示)", text):
            people = _people_in(ctx, bs + m.start(2), bs + m.end(2))
            if not people:
                continue
            who = ctx.text[people[-1][0]:people[-1][1]]
            s, e = bs + m.start(1), bs + m.end(1)
            stated.add((who, s))
            statements.append(Statement(ctx.article.id, who, ctx.text[s:e], s, e, extractor="event"))
            ss, se = ctx.sentence_of(bs + m.end(2))
            propose(main, who, "said", ss, se)
        for m in STATEMENT_VERBS.finditer(text):
            vs, ve = bs + m.start(), bs + m.end()
            ss, se = ctx.sentence_of(vs)
            cs = _clause_start(ctx.text, ss, vs)
            who = next(iter(subjects(ctx, vs, limit=12)), "")
            if not who and last and _PRONOUN.search(ctx.text[cs:vs]):
                who = last
            if not who:
                continue
            last = who
            s = ve + (1 if ve < se and ctx.text[ve] in "，：:," else 0)
            e = se
            while e > s and ctx.text[e - 1] in "。！？；\n ":
                e -= 1
            if e - s < 4 or any(w == who and s <= p < e for w, p in stated):
                continue
            stated.add((who, s))
            statements.append(Statement(ctx.article.id, who, ctx.text[s:e], s, e, extractor="event"))
            propose(_event_at(ctx, held, main, ss, se, vs, ve), who, "said", ss, se)
    return found, statements


#: Verbs of reporting to a meeting (the role ``reporter``).
_REPORTING = {"作报告", "作汇报", "汇报", "作说明", "通报"}


def pair_features(h: _Held, ev: Evidence, held: list[_Held]) -> list[str]:
    """The classifier's features of one proposed pair."""
    n = sum(1 for x in held if x.held)
    return _roles.features(ev, h.cand.subtype, "main" in ev.flags, n, _speaking(h))


def participation(ctx: ArticleContext, held: list[_Held], classifier: Classifier | None = None) -> Iterator[Relation | Statement]:
    """Who took part in the article's events and how, where they were held, what was said and passed there.

    The rules propose pairs (:func:`proposals`); the role classifier (:mod:`kg.extract.roles`)
    decides each: ``speaker`` gives the rules' role (chair, party, else speaker), ``attendee``
    gives attendee or accompanier, ``none`` nothing. Places come from 在某地召开; documents passed
    (表决通过, 审议通过) are ``adopts`` records whose span holds the documents' names.

    Examples
    --------
    >>> from kg.extract.context import analyse
    >>> from kg.model import Article, Block, Meta
    >>> t = "某某研究院3日召开专家座谈会。会议由院长张建国主持。李明华、王立新先后发言。"
    >>> ctx = analyse(Article.build("x", "", (Block("paragraph", t, tuple(range(len(t)))),), meta=Meta(date="2024-05-03")))
    >>> sorted((r.role, r.obj.name) for r in events(ctx) if getattr(r, "predicate", "") == "attendee")
    [('chair', '张建国'), ('speaker', '李明华'), ('speaker', '王立新')]
    """
    art = ctx.article
    main = _main_event(ctx, held)
    said: set[tuple] = set()
    found, statements = proposals(ctx, held)
    yield from statements
    keys = list(found)
    decided = (classifier or _roles.shipped()).predict([pair_features(*found[k], held) for k in keys])
    for key, cls in zip(keys, decided):
        h, ev = found[key]
        if h.cand.subtype in ("Talks", "Inspection"):  # the sides of talks and who came along: by the grammar
            cls = next((c for r, c in (("party", "speaker"), ("accompanier", "attendee"), ("attendee", "attendee"),
                                       ("chair", "speaker"), ("speaker", "speaker")) if r in ev.roles), "none")
        if cls == "speaker":  # every role of this class the rules read (主持…并讲话: chair and speaker)
            roles = [r for r in ("chair", "party") if r in ev.roles]
            if "speaker" in ev.roles or not roles:
                roles.append("reporter" if ev.verbs & _REPORTING else "speaker")
        elif cls == "attendee":
            roles = ["accompanier" if "accompanier" in ev.roles else "attendee"]
        else:
            continue
        for role in roles:
            yield Relation("attendee", h.ref, Ref(Label.PERSON, key[1]), art.id, ev.span[0], ev.span[1], "event", role=role)
    spans = ctx.block_spans(*TEXT_BLOCKS)
    # where: 在某地召开
    for h in held:
        if not h.held:
            continue
        ss, se = ctx.sentence_of(h.cand.start)
        for m in AT_PLACE.finditer(ctx.text, ss, se):
            if m.start() > h.cand.end + 12 or ctx.org_index.overlaps(m.start(1), m.end(1)):
                continue
            for i in ctx.token_range(m.start(1), m.end(1)):
                t = ctx.tokens[i]
                if t.tag != "LOC" or not (m.start(1) <= t.start and t.end <= m.end(1)):
                    continue
                if ctx.person_index.overlaps(t.start, t.end):
                    continue
                for s, e in place_spans(ctx.tokens, i):
                    place = place_name(ctx.text[s:e])
                    if ("location", h.ref, place) not in said:
                        said.add(("location", h.ref, place))
                        yield Relation("location", h.ref, Ref(Label.PLACE, place), art.id, ss, se, "event")
    # documents passed: 会议表决通过了…
    for bs, be in spans:
        text = ctx.text[bs:be]
        for m in ADOPT_VERBS.finditer(text):
            vs, ve = bs + m.start(), bs + m.end()
            ss, se = ctx.sentence_of(vs)
            h = _event_at(ctx, held, main, ss, se, vs, ve)
            if h is None or h.cand.subtype not in _HELD_KINDS:
                continue
            end = re.search(r"[；。]|$", ctx.text[ve:se]).start() + ve
            if end > ve:
                yield Relation("adopts", h.ref, ctx.text[ve:end], art.id, ve, end, "event")
