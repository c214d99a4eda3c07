"""Meeting names: the grammar of sessions, plenums and congresses, and the words that end a meeting.

What is here is general knowledge of how Chinese state news names its meetings:

- sessions of the people's congress and of the political consultative conference, by term (届)
  and session (次): ``十四届全国人大常委会第十二次会议``, ``全国政协十三届四次会议`` and their full
  forms (``中国人民政治协商会议第十三届全国委员会第四次会议``);
- plenums of the party's central committee and of its discipline commission:
  ``十九届六中全会``, ``中国共产党第十九届中央委员会第六次全体会议``, ``二十届中央纪委四次全会``;
- national congresses of the mass organizations and democratic parties (``中国妇女第十三次全国代表大会``,
  ``中国妇女十三大``);
- the bodies that hold recurring meetings (the Politburo, the State Council) and the words a
  meeting's name ends with (座谈会, 论坛, 峰会 …).

A term without its number (``全国人大常委会第八次会议``) is resolved from the date: the national
congress and the consultative conference are elected every five years, in March (the sixth in
1983), the party's central committee in the autumn (the twelfth in 1982).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.numerals import cn_int, cn_num  # noqa: F401  (cn_int: read by the grammar, and this module's API before kg.numerals)

#: Chinese numerals as the names of sessions write them.
NUMERALS = "〇零一二三四五六七八九十百"
_N = f"[{NUMERALS}]{{1,4}}"

#: Words that end the name of a meeting, longest first.
MEETING_WORDS = tuple(sorted(
    "座谈会 研讨会 报告会 推进会 交流会 发布会 新闻发布会 见面会 记者会 记者见面会 招待会 恳谈会 通气会 现场会 调度会 "
    "联席会议 电视电话会议 视频会议 工作会议 全体会议 常务会议 论坛 峰会 博览会 交易会 展览会 洽谈会 年会 大会 会议 "
    "集体学习 研讨班 表彰大会 纪念大会 茶话会 团拜会 动员会 部署会 讲座".split(),
    key=len, reverse=True,
))

#: Head words that end the names of events of every kind (meetings, talks, forums, expos, ceremonies,
#: games, commemorations, study sessions, historic happenings and disasters): the grammar of event
#: names in Chinese news, a feature of the event tagger (:mod:`kg.extract.event_spans`), not a list
#: of events. Source: the head nouns of event names in the Modern Chinese dictionary's senses of
#: 会, 仪式, 节, 日, 赛, and the kinds of events the dev sets' conventions name.
EVENT_HEADS = tuple(sorted(set(MEETING_WORDS) | set(
    "会晤 会谈 会见 通话 峰会 论坛 博览会 交易会 展览会 洽谈会 推介会 招待会 宴会 仪式 典礼 开幕式 闭幕式 揭牌仪式 签约仪式 "
    "启动仪式 升旗仪式 颁奖典礼 发布会 见面会 吹风会 说明会 大会 全会 年会 例会 运动会 奥运会 亚运会 "
    "冬奥会 残奥会 全运会 锦标赛 联赛 大赛 比赛 音乐会 晚会 庙会 灯会 艺术节 文化节 电影节 旅游节 博物馆日 纪念日 "
    "公祭日 宣传日 宣传周 活动周 文化年 旅游年 交流年 周年 专题学习 集体学习 研讨班 培训班 演讲 审判 大屠杀 "
    "惨案 事变 战争 战役 地震 台风 洪水 阅兵 活动 集采 巡视 访问 国事访问 演习 联演 谈判 磋商 对话会 对话 晚宴 两会 考察 奥会".split()),
    key=len, reverse=True))
#: Short names of expos and fairs end in one of these (进博会, 广交会, 服贸会).
SHORT_FAIR = re.compile(r"[博贸交洽展]会|(?:中共|党的)[一二三四五六七八九十]{1,3}大|[世国][^，。；、]{2,8}日(?=[，。；、）”]|$)")
#: Editions and numbers inside an event name: 第八届, 二十届, 第二十九次, 首届, 2026, 76周年.
EDITION = re.compile(r"第[〇零一二三四五六七八九十百千\d]{1,6}[届次批轮期]|[〇零一二三四五六七八九十百]{1,4}[届次]|首[届次批]|\d{4}年?|[\d〇零一二三四五六七八九十百]{1,4}周年")

#: Words that may stand between a body and its meeting word without making the name specific.
GENERIC_WORDS = ("党组扩大", "党组", "扩大", "专题", "全体", "常务", "工作", "视频", "电视电话", "座谈", "新闻", "记者", "联席")

#: Bodies that hold a recurring meeting under their own name (政治局会议, 国务院常务会议).
MEETING_BODIES = (
    "中共中央政治局常务委员会", "中央政治局常务委员会", "中央政治局常委会", "中共中央政治局", "中央政治局",
    "中共中央书记处", "中央书记处", "中共中央", "国务院", "中央军委", "中央军事委员会",
)

#: Central commissions that number their meetings (中央财经委员会第三次会议).
NUMBERING_BODIES = (
    "中央全面深化改革委员会", "中央财经委员会", "中央外事工作委员会", "中央国家安全委员会", "中央全面依法治国委员会",
    "中央审计委员会", "中央科技委员会", "中央金融委员会", "中央网络安全和信息化委员会", "中央军民融合发展委员会",
    "中央全面深化改革领导小组", "中央财经领导小组", "中央机构编制委员会",
    *MEETING_BODIES,
)

#: Bodies that hold national congresses: short form -> full name (中国妇女十三大 = 中国妇女第十三次全国代表大会).
CONGRESS_BODIES = {
    "中国工会": "中国工会", "共青团": "中国共产主义青年团", "中国共产主义青年团": "中国共产主义青年团",
    "中国妇女": "中国妇女", "中国科协": "中国科学技术协会", "中国科学技术协会": "中国科学技术协会",
    "中国文联": "中国文学艺术界联合会", "中国作协": "中国作家协会", "中国侨联": "中华全国归国华侨联合会",
    "中国残联": "中国残疾人联合会", "民革": "中国国民党革命委员会", "中国国民党革命委员会": "中国国民党革命委员会",
    "民盟": "中国民主同盟", "中国民主同盟": "中国民主同盟", "民建": "中国民主建国会", "中国民主建国会": "中国民主建国会",
    "民进": "中国民主促进会", "中国民主促进会": "中国民主促进会", "农工党": "中国农工民主党", "中国农工民主党": "中国农工民主党",
    "致公党": "中国致公党", "中国致公党": "中国致公党", "九三学社": "九三学社", "台盟": "台湾民主自治同盟",
    "台湾民主自治同盟": "台湾民主自治同盟",
}
_FULL_TO_SHORT_BODY = {"中国共产主义青年团": "共青团", "中国科学技术协会": "中国科协", "中国文学艺术界联合会": "中国文联",
                       "中国作家协会": "中国作协", "中华全国归国华侨联合会": "中国侨联", "中国残疾人联合会": "中国残联",
                       "中国国民党革命委员会": "民革", "中国民主同盟": "民盟", "中国民主建国会": "民建", "中国民主促进会": "民进",
                       "中国农工民主党": "农工党", "中国致公党": "致公党", "台湾民主自治同盟": "台盟"}


def congress_term(date: str) -> int:
    """The term (届) of the national people's congress and the consultative conference at ``date``.

    Both are elected every five years and first meet in March (the sixth in 1983); 0 when the
    date is unknown or falls in a March that opens a new term.

    Examples
    --------
    >>> congress_term("2025-06-24"), congress_term("2022-12-30"), congress_term("2023-04-26"), congress_term("")
    (14, 13, 14, 0)
    """
    m = re.match(r"(\d{4})-(\d{2})", date or "")
    if not m:
        return 0
    year, month = int(m.group(1)), int(m.group(2))
    if (year - 1983) % 5 == 0 and month == 3:
        return 0
    return (year - 1983 - (month < 3)) // 5 + 6


@dataclass(frozen=True)
class NamedMeeting:
    """A meeting named by the grammar: where it is in the text, its canonical name and other names.

    ``kind`` is ``Session``, ``Plenum`` or ``Congress``; ``organizer`` the body that convenes it
    where the annotation conventions name one ("" for the sessions of the people's congresses and the
    CPPCC, plenums and congresses: the conventions give them no organizer).
    """

    start: int
    end: int
    name: str
    alts: tuple[str, ...]
    kind: str
    organizer: str = ""


def _npc(term: int, session: int, standing: bool) -> tuple[str, tuple[str, ...], str]:
    t, s = cn_num(term), cn_num(session)
    if standing:
        return f"{t}届全国人大常委会第{s}次会议", (f"第{t}届全国人民代表大会常务委员会第{s}次会议",), ""
    return f"{t}届全国人大{s}次会议", (f"第{t}届全国人民代表大会第{s}次会议",), ""


def _cppcc(term: int, session: int, standing: bool) -> tuple[str, tuple[str, ...], str]:
    t, s = cn_num(term), cn_num(session)
    if standing:
        return (f"全国政协{t}届常委会第{s}次会议",
                (f"中国人民政治协商会议第{t}届全国委员会常务委员会第{s}次会议", f"政协第{t}届全国委员会常务委员会第{s}次会议"),
                "")
    return (f"全国政协{t}届{s}次会议",
            (f"中国人民政治协商会议第{t}届全国委员会第{s}次会议", f"政协第{t}届全国委员会第{s}次会议", f"政协{t}届{s}次会议"),
            "")


def _plenum(term: int, session: int) -> tuple[str, tuple[str, ...], str]:
    t, s = cn_num(term), cn_num(session)
    return f"{t}届{s}中全会", (f"党的{t}届{s}中全会", f"中共{t}届{s}中全会", f"中国共产党第{t}届中央委员会第{s}次全体会议"), ""


def _ccdi(term: int, session: int) -> tuple[str, tuple[str, ...], str]:
    t, s = cn_num(term), cn_num(session)
    return f"{t}届中央纪委{s}次全会", (f"中国共产党第{t}届中央纪律检查委员会第{s}次全体会议", f"{t}届中央纪委第{s}次全体会议"), ""


def _congress(body: str, n: int) -> tuple[str, tuple[str, ...], str]:
    full = CONGRESS_BODIES[body]
    short = _FULL_TO_SHORT_BODY.get(full, full)
    return f"{full}第{cn_num(n)}次全国代表大会", (f"{short}{cn_num(n)}大",), ""


_CONGRESS_BODY = "|".join(sorted(map(re.escape, CONGRESS_BODIES), key=len, reverse=True))

#: (pattern, kind, maker): a maker takes the match and the date and gives name, alts, organizer (or None).
_GRAMMAR: tuple[tuple[re.Pattern, str, object], ...] = (
    (re.compile(rf"(?:中华人民共和国)?第(?P<t>{_N})届全国人民代表大会(?P<sc>常务委员会)?第(?P<s>{_N})次会议"), "Session", "npc"),
    (re.compile(rf"第?(?P<t>{_N})届全国人大(?P<sc>常委会)?第?(?P<s>{_N})次会议"), "Session", "npc"),
    (re.compile(rf"全国人大(?P<sc>常委会)?第?(?P<t>{_N})届第?(?P<s>{_N})次会议"), "Session", "npc"),
    (re.compile(rf"(?<!届)(?:全国人大常委会|全国人民代表大会常务委员会)第(?P<s>{_N})次会议"), "Session", "npcsc"),
    (re.compile(rf"(?:中国人民政治协商会议|政协)第(?P<t>{_N})届全国委员会(?P<sc>常务委员会)?第(?P<s>{_N})次会议"), "Session", "cppcc"),
    (re.compile(rf"(?:全国)?政协第?(?P<t>{_N})届(?P<sc>常委会)?第?(?P<s>{_N})次会议"), "Session", "cppcc"),
    (re.compile(rf"第?(?P<t>{_N})届全国政协(?P<sc>常委会)?第?(?P<s>{_N})次会议"), "Session", "cppcc"),
    (re.compile(rf"(?:中国共产党|中共|党的)?第(?P<t>{_N})届中央委员会第(?P<s>{_N})次全体会议"), "Plenum", "cc"),
    (re.compile(rf"(?:中国共产党)?第(?P<t>{_N})届中央纪律检查委员会第(?P<s>{_N})次全体会议"), "Plenum", "ccdi"),
    (re.compile(rf"(?:中共)?(?P<t>{_N})届中央纪委第?(?P<s>{_N})次全(?:体)?会(?:议)?"), "Plenum", "ccdi"),
    (re.compile(rf"中央纪委(?P<t>{_N})届(?P<s>{_N})次全会"), "Plenum", "ccdi"),
    (re.compile(rf"(?:党的|中共)?(?P<t>{_N})届(?P<s>{_N})中全会"), "Plenum", "cc"),
    (re.compile(rf"(?P<b>{_CONGRESS_BODY})第(?P<s>{_N})次全国代表大会"), "Congress", "body"),
    (re.compile(rf"(?P<b>{_CONGRESS_BODY})(?P<s>{_N})大(?![会学])"), "Congress", "body"),
)
#: Plenums named together: 二十届二中、三中全会.
_PLENUM_LIST = re.compile(rf"(?:党的|中共)?(?P<t>{_N})届(?P<list>{_N}中(?:[、和]{_N}中)+)全会")


def _make(maker: str, m: re.Match, date: str) -> tuple[str, tuple[str, ...], str] | None:
    groups = m.groupdict()
    s = cn_int(groups.get("s") or "")
    t = cn_int(groups.get("t") or "")
    if not s:
        return None
    if maker == "npc" and t:
        return _npc(t, s, bool(groups.get("sc")))
    if maker == "npcsc":
        t = congress_term(date)
        return _npc(t, s, True) if t else (m.group(0), (), "")
    if maker == "cppcc" and t:
        return _cppcc(t, s, bool(groups.get("sc")))
    if maker == "cc" and t:
        return _plenum(t, s)
    if maker == "ccdi" and t:
        return _ccdi(t, s)
    if maker == "body":
        return _congress(groups["b"], s)
    return None


def named_meetings(text: str, date: str = "") -> list[NamedMeeting]:
    """Sessions, plenums and congresses ``text`` names, longest first where names overlap.

    ``date`` (the article's, ISO) resolves a term the text leaves out. Every form of one
    meeting gets the same canonical name; the form read is among the other names.

    Examples
    --------
    >>> [(x.name, x.kind) for x in named_meetings("某市代表列席十四届全国人大常委会第九次会议。")]
    [('十四届全国人大常委会第九次会议', 'Session')]
    >>> named_meetings("会议通过了全国政协十四届三次会议的决议。")[0].alts[0]
    '中国人民政治协商会议第十四届全国委员会第三次会议'
    >>> named_meetings("全国人大常委会第五次会议审议草案。", "2023-08-28")[0].name
    '十四届全国人大常委会第五次会议'
    >>> [x.name for x in named_meetings("贯彻党的十九届五中、六中全会精神")]
    ['十九届五中全会', '十九届六中全会']
    >>> [x.name for x in named_meetings("中国科协九大在京开幕")]
    ['中国科学技术协会第九次全国代表大会']
    """
    found: list[NamedMeeting] = []
    for m in _PLENUM_LIST.finditer(text):
        t = cn_int(m.group("t"))
        parts = re.findall(rf"({_N})中", m.group("list"))
        pos = m.start("list")
        for i, p in enumerate(parts):
            name, alts, org = _plenum(t, cn_int(p))
            if i == 0:
                found.append(NamedMeeting(m.start(), m.end(), name, alts, "Plenum", org))
            else:
                s = text.index(p + "中", pos)
                found.append(NamedMeeting(s, m.end(), name, alts, "Plenum", org))
                pos = s
    listed = len(found)  # the plenums of a list share its end and are each kept
    for pattern, kind, maker in _GRAMMAR:
        for m in pattern.finditer(text):
            made = _make(maker, m, date)
            if made:
                name, alts, org = made
                found.append(NamedMeeting(m.start(), m.end(), name, alts, kind, org))
    keep = found[:listed]
    for x in sorted(found[listed:], key=lambda x: (x.start, -(x.end - x.start))):
        if not any(o.start <= x.start and x.end <= o.end for o in keep):
            keep.append(x)
    return sorted(keep, key=lambda x: (x.start, -(x.end - x.start)))


def is_generic_meeting(name: str) -> bool:
    """Whether ``name`` is only a kind of meeting (专题会议, 党组扩大会议), not the name of one.

    Examples
    --------
    >>> is_generic_meeting("专题会议"), is_generic_meeting("全体会议"), is_generic_meeting("民营企业座谈会")
    (True, True, False)
    >>> is_generic_meeting("第一次全体会议"), is_generic_meeting("某委员会第一次全体会议")
    (True, False)
    """
    rest = name
    for w in MEETING_WORDS:
        if rest.endswith(w):
            rest = rest[: -len(w)]
            break
    else:
        return False
    changed = True
    while rest and changed:
        changed = False
        for g in sorted(GENERIC_WORDS, key=len, reverse=True):
            if rest.endswith(g):
                rest, changed = rest[: -len(g)], True
                break
    if name.endswith("全体会议") and re.fullmatch(rf"第{_N}次", rest):
        return True  # 第一次全体会议 named bare: a sitting of the session the text names, not a name of its own
    return not rest or rest in ("一次", "这次", "此次", "本次", "该", "一场", "有关", "相关")


#: Numbers that make a name one meeting, not a recurring kind of meeting (第六次, 十四届, 2024年, 首届);
#: a congress named inside a topic (学习贯彻某次大会精神座谈会) is not the meeting's own number.
NUMBERED = re.compile(rf"第{_N}[次届期]|{_N}届|{_N}次|\d{{4}}|首届|首次")


# --------------------------------------------------------------------------- participation

#: The roles a person takes in an event, as the graph names them (``nkg:`` subproperties of
#: ``schema:attendee``); ``attendee`` is the plain ``schema:attendee``.
ROLES = ("chair", "speaker", "reporter", "attendee", "accompanier", "party")

#: Verbs of presiding: 主持, 主持召开; 由某某主持.
CHAIR_VERBS = re.compile(r"主持(?!人|词)")
#: Verbs of speaking at a meeting: 讲话, 发言, 致辞, 通报, 作报告, 作说明, 作汇报, 作讲座.
SPEECH_VERBS = re.compile(
    r"发表(?:了)?(?:重要|热情洋溢的|主旨|书面|视频)?(?:讲话|致辞|演讲|主旨演讲)|(?<!重要)讲话(?!精神|中|时|稿|要求)|致辞|致词|致开幕词|致闭幕词|致答辞|致感谢答辞"
    r"|致贺词|致欢迎词|致答谢词|宣读(?:了)?[^，。；]{0,12}?(?:贺信|贺电|致辞)"
    r"|(?<!听取)(?<!大家)发言(?!人|中|时)|通报(?:了)?|(?<![工创合动操写制协运])作(?:了)?(?:[^，。；：]{0,48}?)(?:工作报告|报告|汇报|说明|讲座|辅导|讲解)"
)
#: Verbs of attending, closing a list of people: 出席, 参加, 参会, 列席, 在主席台就座.
ATTEND_VERBS = re.compile(r"出席(?!委员|代表|人数)|参加(?!单位)|参会|列席|在主席台(?:前排)?就座")
#: A list of attendees after the verb: 出席会议的有…, 出席闭幕会的领导同志还有：….
ATTEND_LIST = re.compile(r"(?:出席|参加|列席)[^，。；：:]{0,12}?的[^，。；：:]{0,10}?(?:还)?有[：:]?")
#: Those accompanying a visit or an inspection: 在某某陪同下, 某某陪同考察.
ACCOMPANY_UNDER = re.compile(r"在([^。；]{2,300}?)(?:的)?陪同下")
ACCOMPANY_VERBS = re.compile(r"陪同(?!下)(?:考察|调研|视察|参观|出访|访问|会见|会谈)?")
#: Verbs of reported speech (what a speaker said): 指出, 强调, 表示, 要求 ….
STATEMENT_VERBS = re.compile(r"(?:指出|强调|表示|要求|提出|认为|希望|说|建议|介绍|呼吁|说明)(?=[，：:,]|“)")
#: Words that open the topic of what a list of people did (甲、乙围绕某事作发言): the subjects stand before them.
TOPIC = re.compile(r"围绕|就|关于|结合|聚焦|针对")
#: Words before a person that make a verb no act of this event (学习贯彻某某重要讲话, 委托某某作说明).
NOT_AN_ACT = re.compile(r"学习|贯彻|落实|领会|听取|根据|按照|依据|围绕|纪念|传达|关于|委托|提请|将由|曾|拟|邀请|欢迎")
#: Meetings whose format is speaking: those quoted in their report spoke there.
SPEAKING_MEETINGS = ("发布会", "见面会", "记者会", "吹风会", "座谈会", "研讨会", "交流会", "报告会", "宣讲会", "恳谈会", "论坛", "访谈")
#: A body passing documents: 表决通过, 审议通过, 会议经表决，通过了.
ADOPT_VERBS = re.compile(r"(?:表决|审议|讨论)(?:并)?通过(?:了)?|经表决[，,]?(?:通过|批准)(?:了)?|会议通过(?:了)?")
#: The place of an event: 在某地召开, 在某会堂同某某举行会谈.
AT_PLACE = re.compile(r"在([^，。；！？、]{2,20}?)(?=召开|举行|举办|开幕|闭幕|会见|会晤|会谈|同|与|出席|主持|考察|调研|视察)")
