"""Posts held (org:Membership): chains of titles, shared titles, titles after names, clauses, former posts."""

from __future__ import annotations

import pytest

from kg.extract.context import analyse
from kg.extract.post import posts
from kg.lexicon.posts import government_of, implied_body
from kg.model import Article, Block


def _posts(text: str) -> set[tuple[str, str, str, str]]:
    art = Article.build("t", "", (Block("paragraph", text, tuple(range(len(text)))),))
    return {(r.subject.name, r.role, r.obj.name, r.predicate) for r in posts(analyse(art))}


@pytest.mark.parametrize("text, expected", [
    ("中共中央政治局常委、国务院副总理张建国出席会议。",
     {("张建国", "常委", "中共中央政治局", "member"), ("张建国", "副总理", "国务院", "member")}),
    ("会议由中华全国总工会党组书记、副主席、书记处第一书记李明华主持。",
     {("李明华", "党组书记", "中华全国总工会", "member"), ("李明华", "副主席", "中华全国总工会", "member"),
      ("李明华", "书记处第一书记", "中华全国总工会", "member")}),
    ("河北省委常委、石家庄市委书记王建军参加活动。",
     {("王建军", "常委", "中共河北省委", "member"), ("王建军", "书记", "中共石家庄市委", "member")}),
    # 兼 joins two titles like 、 does (the 兼 of 兼职 does not)
    ("新西兰副总理兼外长史密斯会见了代表团。",
     {("史密斯", "副总理", "新西兰", "member"), ("史密斯", "外长", "新西兰", "member")}),
    ("中华全国总工会兼职副主席李明华出席会议。", {("李明华", "兼职副主席", "中华全国总工会", "member")}),
    # a title whose last character the tagger read in the name (国|王某某)
    ("泰国国王玛哈·瓦集拉隆功致贺电。", {("玛哈·瓦集拉隆功", "国王", "泰国", "member")}),
])
def test_posts_chain_before_name(text, expected):
    assert expected <= _posts(text)


@pytest.mark.parametrize("text, expected", [
    ("科学技术部党组书记、部长赵立新作报告。", {("赵立新", "书记", "科学技术部党组", "member"), ("赵立新", "党组书记", "科学技术部", "member")}),
    ("某某大学党委副书记孙立明出席。", {("孙立明", "副书记", "某某大学党委", "member")}),
])
def test_posts_party_group_is_a_body_of_its_own(text, expected):
    assert expected <= _posts(text)


def test_posts_title_shared_by_a_list_of_names():
    got = _posts("全国政协副主席张建国、李明华、王建军出席。")
    assert {(p, r, o) for p, r, o, _ in got} >= {(n, "副主席", "中国人民政治协商会议全国委员会") for n in ("张建国", "李明华", "王建军")}


def test_posts_mayor_is_not_a_post_of_the_party_committee():
    got = _posts("会议听取了石家庄市委副书记、市长王建军的汇报。")
    assert ("王建军", "副书记", "中共石家庄市委", "member") in got
    assert not any(o.endswith("市委") and r == "市长" for _, r, o, _ in got)


@pytest.mark.parametrize("text, expected", [
    ("会议决定任命张建国为交通运输部部长。", ("张建国", "部长", "交通运输部", "member:appointed")),
    ("会议决定免去李明华的交通运输部部长职务。", ("李明华", "部长", "交通运输部", "member:removed")),
])
def test_posts_appointments_and_removals(text, expected):
    assert expected in _posts(text)


def test_posts_former_post_is_marked_former():
    got = _posts("河北省人大常委会党组成员、原副主任王建军接受审查。")
    assert ("王建军", "党组成员", "河北省人大常委会", "member") in got
    assert ("王建军", "副主任", "河北省人大常委会", "member:former") in got


@pytest.mark.parametrize("role, expected", [
    ("国家主席", ("Place", "中国", "主席")), ("总理", ("Organization", "国务院", "总理")),
    ("副委员长", ("Organization", "全国人民代表大会常务委员会", "副委员长")), ("处长", None),
])
def test_posts_implied_body(role, expected):
    assert implied_body(role) == expected


def test_posts_government_of_local_committee():
    assert government_of("中共石家庄市委", "市长") == "石家庄市"
    assert government_of("中共石家庄市委", "书记") == ""


def test_posts_membership_is_dated_and_former_in_graph():
    from kg.extract import extract_page
    from kg.model import Meta, Page
    from kg.rdf.graph import build_dataset
    from kg.rdf.vocab import NKG, ORG, RDF
    from kg.resolve import resolve
    text = "会议决定免去李明华的交通运输部部长职务，任命张建国为交通运输部部长。"
    art = Article.build("t", "标题", (Block("paragraph", text, tuple(range(len(text)))),), meta=Meta(date="2023-04-01"))
    page = Page("p", text, (art,), Meta(date="2023-04-01"))
    ds = build_dataset([page], *resolve(extract_page(page)))
    ms = set(ds.subjects(RDF.type, ORG.Membership))
    assert ms and all(str(d) == "2023-04-01" for m in ms for d in ds.objects(m, NKG.reportedOn))
    assert any(ds.value(m, NKG.former) is not None for m in ms)
    assert any(ds.value(m, NKG.appointedOn) is not None for m in ms)


@pytest.mark.parametrize("text, pairs", [
    ("国家能源集团旗下的国华电力公司投产。", [("国华电力公司", "国家能源集团")]),
    ("中国科学院下设的上海生命科学研究院发布成果。", [("上海生命科学研究院", "中国科学院")]),
    ("国家能源集团和国华电力公司签约。", []),
])
def test_posts_structure_parents_the_text_states(text, pairs):
    from kg.extract.structure import parents

    a = Article.build("x", "", (Block("paragraph", text, tuple(range(len(text)))),))
    assert [(r.subject.name, r.obj.name) for r in parents(analyse(a))] == pairs


@pytest.mark.parametrize("text, expected, wrong", [
    # a foreign head of government: the post of that country, not of the State Council
    ("新西兰总理史密斯会见了代表团。", ("史密斯", "总理", "新西兰"), ("史密斯", "总理", "国务院")),
    # a chain of a foreign party and state: the state's title belongs to that country
    ("老挝人民革命党中央总书记、国家主席万通会见了中方代表。", ("万通", "国家主席", "老挝"), ("万通", "主席", "中国")),
    # a fused title of a country's ministry is the country's
    ("伊拉克外交部长哈米德表示，两国将加强合作。", ("哈米德", "外交部长", "伊拉克"), ("哈米德", "长", "伊拉克外交部")),
])
def test_posts_foreign_titles_belong_to_their_country(text, expected, wrong):
    got = {(p, r, o) for p, r, o, _ in _posts(text)}
    assert expected in got
    assert wrong not in got


def test_posts_title_never_runs_over_a_name():
    got = _posts("国务院总理王建国同比利时首相德克鲁会谈。")
    assert not any("王建国" in r or "同" in r for _, r, _, _ in got)
