"""Events as things with exact names: sessions, plenums, congresses, recurring meetings, talks, inspections."""

from __future__ import annotations

import pytest

from kg import extract
from kg.extract.event import dated_name, find_dates
from kg.extract.nlp import ProvenWords
from kg.lexicon.meetings import cn_int, cn_num, congress_term, is_generic_meeting, named_meetings
from kg.model import Article, Block, Meta, Mention, Relation


def _events(text: str, date: str = "") -> tuple[dict[str, Mention], set[tuple[str, str, str]]]:
    blocks = (Block("paragraph", text, tuple(range(len(text)))),)
    ctx = extract.analyse(Article.build("t", "", blocks, meta=Meta(date=date)), proven=ProvenWords(()))
    recs = list(extract.get("event")(ctx))
    mentions = {m.name: m for m in recs if isinstance(m, Mention)}
    for m in mentions.values():
        assert ctx.text[m.start:m.end] == m.text
    rels = {(r.predicate, r.subject.name, r.obj if isinstance(r.obj, str) else r.obj.name) for r in recs if isinstance(r, Relation)}
    return mentions, rels


@pytest.mark.parametrize("text, date, name, alt", [
    ("某省代表团列席十四届全国人大常委会第九次会议。", "", "十四届全国人大常委会第九次会议", "第十四届全国人民代表大会常务委员会第九次会议"),
    ("第十五届全国人民代表大会第二次会议审议了报告。", "", "十五届全国人大二次会议", "第十五届全国人民代表大会第二次会议"),
    ("全国人大常委会第七次会议审议某法草案。", "2023-12-25", "十四届全国人大常委会第七次会议", "全国人大常委会第七次会议"),
    ("委员们出席全国政协十四届三次会议。", "", "全国政协十四届三次会议", "中国人民政治协商会议第十四届全国委员会第三次会议"),
    ("中国人民政治协商会议第十三届全国委员会第四次会议开幕。", "", "全国政协十三届四次会议", "政协十三届四次会议"),
    ("全会审议通过中国共产党第十九届中央委员会第六次全体会议公报。", "", "十九届六中全会", "中国共产党第十九届中央委员会第六次全体会议"),
    ("深入贯彻中共二十届五中全会精神。", "", "二十届五中全会", "中共二十届五中全会"),
    ("二十届中央纪委三次全会作出部署。", "", "二十届中央纪委三次全会", "中国共产党第二十届中央纪律检查委员会第三次全体会议"),
    ("某同志当选中国科协十大代表。", "", "中国科学技术协会第十次全国代表大会", "中国科协十大"),
])
def test_event_session_and_plenum_names(text, date, name, alt):
    mentions, _ = _events(text, date)
    assert name in mentions
    assert alt in (mentions[name].text, *mentions[name].alts)


@pytest.mark.parametrize("text, name", [
    ("十四届全国人大常委会第十次会议今天上午在京举行第一次全体会议。", "十四届全国人大常委会第十次会议"),
    ("全国政协十四届三次会议今天下午在人民大会堂开幕。", "全国政协十四届三次会议"),
])
def test_event_sessions_have_no_organizer_by_the_conventions(text, name):
    mentions, rels = _events(text, "2024-06-25")
    assert name in mentions
    assert not [r for r in rels if r[0] == "organizer" and r[1] == name]


def test_event_a_body_in_a_post_title_is_no_organizer():
    mentions, rels = _events("国务院副总理王建国将于11月26日访问甲国并举行中甲合作委员会第十一次会议。", "2023-11-24")
    assert "中甲合作委员会第十一次会议" in mentions
    assert not [r for r in rels if r[0] == "organizer"]


def test_event_plenums_named_together_are_each_a_node():
    mentions, _ = _events("全面贯彻党的二十大和二十届七中、八中全会精神。")
    assert {"党的二十大", "二十届七中全会", "二十届八中全会"} <= set(mentions)


@pytest.mark.parametrize("text, date, name, organizer, start", [
    ("某国务院总理9月4日主持召开国务院常务会议，研究某事。", "2024-09-04", "国务院常务会议（2024年9月4日）", "国务院", "2024-09-04"),
    ("中共中央政治局5日召开会议，研究某项工作。", "2024-07-06", "中共中央政治局会议（2024年7月5日）", "中共中央政治局", "2024-07-05"),
    ("今天，国务院召开常务会议，部署某项工作。", "2024-03-15", "国务院常务会议（2024年3月15日）", "国务院", "2024-03-15"),
    ("昨天，中共中央政治局召开会议，分析经济形势。", "2024-04-01", "中共中央政治局会议（2024年3月31日）", "中共中央政治局", "2024-03-31"),
    ("某总书记3日主持召开中央全面深化改革委员会第九次会议。", "2025-05-03", "中央全面深化改革委员会第九次会议", "中央全面深化改革委员会", "2025-05-03"),
])
def test_event_recurring_meeting_is_one_node_per_date(text, date, name, organizer, start):
    mentions, rels = _events(text, date)
    assert name in mentions
    bare = name.split("（")[0]
    assert bare == name or bare in mentions[name].alts
    assert ("organizer", name, organizer) in rels
    assert ("startDate", name, start) in rels


def test_event_same_meeting_two_dates_two_nodes():
    a, _ = _events("9月4日，国务院召开常务会议，研究某事。", "2024-09-10")
    b, _ = _events("9月10日，国务院召开常务会议，研究另一事。", "2024-09-10")
    assert set(a) != set(b)


@pytest.mark.parametrize("text, date, name", [
    ("今年亚太某组织领导人非正式会议将在某地举行。", "", "亚太某组织领导人非正式会议"),
    ("市政府举办了第三届某某产业博览会，吸引众多客商。", "", "第三届某某产业博览会"),
    ("第五届某某数字经济论坛10日在某市开幕。", "2024-06-12", "第五届某某数字经济论坛"),
])
def test_event_boundaries_without_verb_or_determiner(text, date, name):
    mentions, _ = _events(text, date)
    assert name in mentions


@pytest.mark.parametrize("text", [
    "某省委召开专题会议研究部署。",
    "会议强调，要抓好落实。",
    "某总书记主持座谈会并发表重要讲话。",
    "这是一次十分重要的大会。",
])
def test_event_generic_meetings_are_not_named(text):
    mentions, _ = _events(text)
    assert not [n for n in mentions if n.endswith(("专题会议", "会议", "座谈会", "大会")) and "总书记" in n or n in ("专题会议", "大会", "会议")]


@pytest.mark.parametrize("text, date, start", [
    ("某届全国人大常委会第三十次会议30日下午在北京闭幕。", "2024-06-30", None),
    ("十四届全国人大三次会议于2025年3月5日在北京召开。", "2024-12-25", "2025-03-05"),
])
def test_event_closing_day_is_not_a_start_date(text, date, start):
    _, rels = _events(text, date)
    starts = {o for p, s, o in rels if p == "startDate"}
    assert starts == ({start} if start else set())


def test_event_nested_congress_takes_no_date():
    _, rels = _events("11月 10日，某某智库召开学习宣传贯彻党的二十大精神座谈会。", "2022-11-21")
    assert ("startDate", "党的二十大", "2022-11-10") not in rels
    assert ("startDate", "学习宣传贯彻党的二十大精神座谈会（2022年11月10日）", "2022-11-10") in rels


@pytest.mark.parametrize("text, page_date, expected", [
    ("9月4日举行", "2024-10-01", ["2024-09-04"]),
    ("12月30日举行", "2025-01-05", ["2024-12-30"]),
    ("4日上午召开", "2024-09-05", ["2024-09-04"]),
    ("30日召开", "2024-10-02", ["2024-09-30"]),
    ("今天召开", "2024-09-04", ["2024-09-04"]),
    ("昨天召开", "2024-01-01", ["2023-12-31"]),
    ("日前召开", "2024-09-04", []),
    ("新华社北京9月3日电", "2024-09-04", []),
    ("自2026年1月1日起施行", "2025-07-01", []),
    ("2月30日", "2024-03-01", []),
])
def test_event_dates_resolved_with_the_article_date(text, page_date, expected):
    assert [f.iso for f in find_dates(text, page_date)] == expected


@pytest.mark.parametrize("name, iso, organizer, expected", [
    ("国务院常务会议", "2024-09-04", "国务院", "国务院常务会议（2024年9月4日）"),
    ("专家座谈会", "2024-09-04", "某研究院", "专家座谈会（某研究院，2024年9月4日）"),
    ("某某委员会第六次会议", "2024-09-04", "", "某某委员会第六次会议"),
    ("2024某某论坛", "2024-09-04", "", "2024某某论坛"),
    ("专家座谈会", "--09-04", "", "专家座谈会"),
])
def test_event_dated_name_table(name, iso, organizer, expected):
    assert dated_name(name, iso, organizer) == expected


@pytest.mark.parametrize("s, n", [("一", 1), ("十", 10), ("十四", 14), ("二十", 20), ("三十八", 38), ("一百零二", 102)])
def test_event_numerals_both_ways(s, n):
    assert cn_int(s) == n and cn_num(n) == s


@pytest.mark.parametrize("date, term", [("2018-06-01", 13), ("2023-02-20", 13), ("2023-04-26", 14), ("2028-05-01", 15), ("2023-03-08", 0)])
def test_event_congress_term_from_date(date, term):
    assert congress_term(date) == term


@pytest.mark.parametrize("name, generic", [("专题会议", True), ("党组扩大会议", True), ("电视电话会议", True), ("民营企业座谈会", False), ("某某论坛", False)])
def test_event_generic_meeting_words(name, generic):
    assert is_generic_meeting(name) is generic


def test_event_named_meetings_overlap_keeps_longest():
    found = named_meetings("中国人民政治协商会议第十四届全国委员会第二次会议开幕")
    assert [x.name for x in found] == ["全国政协十四届二次会议"]


@pytest.mark.parametrize("short, long, same", [
    ("第三次集体学习", "某部第三次集体学习", True),
    ("双周协商座谈会", "十三届全国政协第九次双周协商座谈会", True),
    ("两座大楼落成仪式", "某国议会大楼和政府大楼落成仪式", True),
    ("三中全会", "二十届四中全会", False),            # another number
    ("政治局会议", "政治局常委会会议", False),        # only the head word in common
    ("座谈会", "某某座谈会", False),                  # a bare head word is no name
    ("第二次会议", "某委员会第三次会议", False),
    ("某届全国人大三次会议", "某届全国人大三次会议预备会议", False),  # a meeting of the session is another event
])
def test_event_same_occurrence_named_two_ways(short, long, same):
    from kg.extract.event import _same_name

    assert _same_name(short, long) is same


def test_event_announced_session_dated_by_its_first_day():
    _, rels = _events("会议同意明年1月12日至14日召开十九届中央纪委六次全会。", "2025-12-25")
    assert ("startDate", "十九届中央纪委六次全会", "2026-01-12") in rels


def test_event_congress_short_forms_are_one_node():
    mentions, _ = _events("中共十九大以来，党的十九大精神深入人心。")
    assert set(mentions) == {"党的十九大"}
    assert "中共十九大" in mentions["党的十九大"].alts


def test_event_date_after_the_name_of_another_thing_is_not_its_date():
    # the day is the lecture's: the congress is only what it is about
    _, rels = _events("全省学习贯彻党的二十大精神宣讲4日在石家庄举行首场报告会。", "2022-11-05")
    assert not [r for r in rels if r[0] == "startDate" and r[1] == "党的二十大"]
    _, rels = _events("第五届丝路国际论坛将于5日在杭州开幕。", "2024-05-03")
    assert ("startDate", "第五届丝路国际论坛", "2024-05-05") in rels


def test_event_a_verb_before_a_session_is_not_part_of_its_name():
    mentions, _ = _events("主席会议审议通过了有关决定，建议全国政协十四届二次会议于2024年3月4日在北京召开。", "2023-12-29")
    assert "全国政协十四届二次会议" in mentions
    assert not [n for n in mentions if n.startswith("建议")]


@pytest.mark.parametrize("text, organizers", [
    ("韩正出席中英贸易合作70周年活动。当日，中英贸易合作70周年活动由中国国际贸易促进委员会与英中贸易协会共同在京举办。",
     {"中国国际贸易促进委员会", "英中贸易协会"}),
    ("第二届丝路国际会议由中国人民外交学会、广东省人民政府联合主办，3日在广州开幕。", {"中国人民外交学会", "广东省人民政府"}),
])
def test_event_bodies_that_hold_it_after_by(text, organizers):
    _, rels = _events(text, "2024-07-06")
    assert organizers <= {o for p, _, o in rels if p == "organizer"}


def test_event_named_to_qualify_a_guest_takes_not_the_day_of_the_sentence():
    # the day is the talks': the summit is only what the guest came for
    _, rels = _events("全国人大常委会委员长赵乐际3日下午在北京会见来华出席2025年上海合作组织峰会和纪念中国人民抗日战争暨世界"
                      "反法西斯战争胜利80周年活动的塔吉克斯坦总统拉赫蒙。", "2025-09-04")
    assert not [r for r in rels if r[0] == "startDate" and "峰会" in r[1]]
