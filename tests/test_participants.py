"""Events with their participants (chair, speakers, attendees, accompaniers, sides of talks), places,
statements, and the documents a session passes."""

from __future__ import annotations

import pytest

from kg import extract
from kg.extract.nlp import ProvenWords
from kg.model import Article, Block, Meta, Relation, Statement
from kg.rdf.graph import build_dataset
from kg.rdf.vocab import NKG, SCHEMA
from kg.resolve import resolve
from kg.segment.layout import segment_page


def _records(text: str, date: str = "2024-05-06"):
    blocks = tuple(Block("paragraph", p, tuple(range(len(p)))) for p in text.split("\n"))
    ctx = extract.analyse(Article.build("t", "", blocks, meta=Meta(date=date)), proven=ProvenWords(()))
    return ctx, list(extract.get("event")(ctx))


def _roles(text: str, date: str = "2024-05-06") -> set[tuple[str, str, str]]:
    _, recs = _records(text, date)
    return {(r.subject.name.split("（")[0], r.obj.name, r.role) for r in recs if isinstance(r, Relation) and r.predicate == "attendee"}


@pytest.mark.parametrize("text, expected", [
    ("某某研究院6日召开专家座谈会。会议由院长张建国主持。李明华、王立新先后发言。",
     {("专家座谈会", "张建国", "chair"), ("专家座谈会", "李明华", "speaker"), ("专家座谈会", "王立新", "speaker")}),
    ("国务院总理赵立新6日主持召开国务院常务会议，研究某项工作。",
     {("国务院常务会议", "赵立新", "chair")}),
    ("某省委6日召开全省工作会议。省委书记周建华出席会议并讲话。",
     {("全省工作会议", "周建华", "speaker")}),   # one role per person: a speaker is also an attendee in the graph
    ("某省委6日召开全省工作会议，省委书记周建华主持。\n副省长孙立明，省政协副主席吴国庆出席会议。",
     {("全省工作会议", "周建华", "chair"), ("全省工作会议", "孙立明", "attendee"), ("全省工作会议", "吴国庆", "attendee")}),
    ("某某协会成立50周年庆祝大会6日在京举行。某某委员会副主席孙立明在会上宣读了贺信。某某会长周建华代表人民团体致贺词。",
     {("某某协会成立50周年庆祝大会", "孙立明", "speaker"), ("某某协会成立50周年庆祝大会", "周建华", "speaker")}),
    ("某委员会第三次会议6日举行全体会议。会议听取了副主任孙立明、委员吴国庆分别作的关于某某法草案审议结果的报告。",
     {("某委员会第三次会议", "孙立明", "speaker"), ("某委员会第三次会议", "吴国庆", "speaker")}),
])
def test_participants_roles_of_a_meeting(text, expected):
    assert expected <= _roles(text)


@pytest.mark.parametrize("text, absent", [
    # a speech named as a thing to study is no speech at this meeting
    ("某市委6日召开常委会会议，市委书记周建华主持。会议要求认真学习贯彻习近平总书记重要讲话精神。", "习近平"),
    # one asked to report to a later session did not speak at this one
    ("某委员会6日召开全体会议，主任周建华主持。会议决定委托副主任孙立明向下次会议作说明。", "孙立明"),
])
def test_participants_not_an_act_of_the_event(text, absent):
    assert absent not in {p for _, p, _ in _roles(text)}


def test_participants_talks_have_both_sides_and_those_present():
    roles = _roles("5月6日，国家主席赵立新在北京同来访的某国总统卡里莫夫举行会谈。孙立明参加上述活动。")
    sides = {(p, r) for _, p, r in roles}
    assert {("赵立新", "party"), ("卡里莫夫", "party"), ("孙立明", "attendee")} <= sides


def test_participants_of_a_talk_are_not_of_an_earlier_event():
    roles = _roles("7月3日，上海合作组织峰会在阿斯塔纳举行。\n7月4日，国家主席赵立新在阿斯塔纳会见某国总统卡里莫夫。\n"
                   "孙立明、周建华等参加会见。", "2024-07-04")
    assert {(p, r) for e, p, r in roles if "会见" in e} >= {("孙立明", "attendee"), ("周建华", "attendee")}
    assert not [e for e, p, _ in roles if p in ("孙立明", "周建华") and "峰会" in e]


def test_participants_of_a_banquet_are_not_of_the_summit_its_guests_came_for():
    title = "赵立新为出席中非合作论坛北京峰会的国际贵宾举行欢迎宴会"
    text = "9月4日晚，国家主席赵立新在北京人民大会堂举行宴会，欢迎来华出席中非合作论坛北京峰会的非方及国际贵宾。\n孙立明、周建华出席。"
    blocks = (Block("title", title, tuple(range(len(title)))),) + tuple(
        Block("paragraph", p, tuple(range(len(p)))) for p in text.split("\n"))
    ctx = extract.analyse(Article.build("t", title, blocks, meta=Meta(date="2024-09-05")), proven=ProvenWords(()))
    attendees = {r.obj.name for r in extract.get("event")(ctx) if isinstance(r, Relation) and r.predicate == "attendee"}
    assert not attendees & {"孙立明", "周建华"}


def test_participants_inspection_with_those_accompanying():
    roles = _roles("赵立新6日在江苏考察调研。\n6日上午，赵立新在省委书记周建华和省长孙立明陪同下，来到某企业。")
    assert {("赵立新", "party"), ("周建华", "accompanier"), ("孙立明", "accompanier")} <= {(p, r) for _, p, r in roles}


def test_participants_list_after_attended():
    roles = _roles("某某学会6日召开年度研讨会。出席会议的有周建华、孙立明、吴国庆等。")
    assert {"周建华", "孙立明", "吴国庆"} <= {p for _, p, r in roles if r == "attendee"}


def test_participants_statements_tie_speaker_and_event():
    ctx, recs = _records("某某研究院6日召开专家座谈会，院长张建国主持。张建国指出，要加强基础研究，培养青年人才。")
    st = [r for r in recs if isinstance(r, Statement)]
    assert [(s.speaker, s.text) for s in st] == [("张建国", "要加强基础研究，培养青年人才")]
    assert all(ctx.text[s.start:s.end] == s.text for s in st)


def test_participants_place_of_the_event():
    _, recs = _records("5月6日，国家主席赵立新在北京同来访的某国总统卡里莫夫举行会谈。")
    assert "北京" in {r.obj.name for r in recs if isinstance(r, Relation) and r.predicate == "location"}


def test_participants_in_the_graph_with_roles_and_adoptions():
    page = segment_page("某会闭幕\n\n某委员会第五次会议6日在北京闭幕。主任周建华主持会议。\n会议经表决，通过了《某某促进法》。\n周建华指出，要抓好法律实施。")
    ds = build_dataset([page], *resolve(extract.extract_page(page)))
    quads = {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}
    chairs = [(s, o) for s, p, o in quads if p == NKG.chair]
    assert chairs and all((s, SCHEMA.attendee, o) in quads for s, o in chairs)
    assert any(p == NKG.adoptedAt for _, p, _ in quads)
    events = {o for _, p, o in quads if p == NKG.atEvent}
    assert events and events <= {s for s, _ in chairs}


def test_participants_graph_uses_the_state_news_terms():
    page = segment_page(
        "某会闭幕\n\n某委员会第五次会议6日在北京闭幕。主任周建华主持会议。\n会议经表决，通过了《某某促进法》。\n"
        "会议听取了副主任李建平作的关于某某工作情况的报告。赵立新6日在江苏考察调研。省委书记孙立明陪同考察。")
    ds = build_dataset([page], *resolve(extract.extract_page(page)))
    quads = {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}
    used = {p for _, p, _ in quads}
    assert {NKG.chair, NKG.reporter, NKG.accompanier, NKG.party, NKG.adoptedAt} <= used
    reporters = [(s, o) for s, p, o in quads if p == NKG.reporter]
    assert all((s, NKG.speaker, o) in quads and (s, SCHEMA.attendee, o) in quads for s, o in reporters)


def test_participants_graph_uses_the_dated_membership_terms():
    """The terms of posts over time, which a theory page without a date never shows."""
    from kg.model import Document, Meta
    from kg.segment.layout import segment

    text = ("某某人事任免\n\n国务院任命王立军为交通运输部副部长，免去赵立新的交通运输部副部长职务。"
            "原某某省委书记孙立明同志逝世。中华全国总工会副主席李明华出席会议。")
    page = segment(Document("p", "article", text, title="某某人事任免", meta=Meta(date="2024-09-04")))
    ds = build_dataset([page], *resolve(extract.extract_page(page)))
    used = {p for _, p, _, _ in ds.quads((None, None, None, None))}
    assert {NKG.reportedOn, NKG.former, NKG.appointedOn, NKG.removedOn} <= used
