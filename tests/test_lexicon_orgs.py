"""Organizations as the state is built: the lexicon of the party and state, canonical names,
parents, and bodies found in running text (made-up sentences)."""

from __future__ import annotations

import pytest

from kg.extract.analysis import org_spans
from kg.lexicon import state
from kg.lexicon.orgs import canonical_org, parents_of, structural_parent
from kg.extract import Extraction
from kg.model import Label, Mention, Ref
from kg.resolve import Resolver


def _orgs(text: str, province: str = "") -> list[tuple[str, str]]:
    """(text read, canonical name) of every organization in ``text``, read as the pipeline reads it (the tagger's names)."""
    from kg.extract.context import analyse
    from kg.model import Article, Block

    ctx = analyse(Article.build("t", "", (Block("paragraph", text, tuple(range(len(text)))),)))
    return [(text[o.start:o.end], o.name) for o in org_spans(text, ctx.tokens, province)]


@pytest.mark.parametrize(
    "name, canonical, also",
    [
        ("国办", "国务院办公厅", "国办"),
        ("中办", "中共中央办公厅", "中央办公厅"),
        ("中央政治局", "中共中央政治局", "中央政治局"),
        ("中国共产党第二十届中央政治局", "中共中央政治局", "中央政治局"),
        ("全国人大", "全国人民代表大会", "全国人大"),
        ("十四届全国人大常委会", "全国人民代表大会常务委员会", "全国人大常委会"),
        ("政协第十四届全国委员会", "中国人民政治协商会议全国委员会", "全国政协"),
        ("全总", "中华全国总工会", "全国总工会"),
        ("工信部", "工业和信息化部", "工信部"),
        ("国家发改委", "国家发展和改革委员会", "国家发展改革委"),
        ("市场监管总局", "国家市场监督管理总局", "市场监管总局"),
        ("民革中央", "中国国民党革命委员会中央委员会", "民革中央"),
        ("九三学社中央", "九三学社中央委员会", "九三学社中央"),
        ("台盟中央", "台湾民主自治同盟中央委员会", "台盟中央"),
        ("全国工商联", "中华全国工商业联合会", "全国工商联"),
        ("中国外交部", "外交部", "中华人民共和国外交部"),
        ("市场监管总局某某司", "国家市场监督管理总局某某司", "市场监管总局某某司"),
        ("某某市委", "中共某某市委", "某某市委"),
    ],
)
def test_lexicon_orgs_canonical_org_short_forms_are_one_node(name, canonical, also):
    got, alts = canonical_org(name)
    assert got == canonical
    assert also in (got, *alts)
    assert canonical_org(also)[0] == canonical or also == canonical


@pytest.mark.parametrize("name", ["马来西亚交通部", "俄罗斯国家杜马", "美国国务院", "某国外交部"])
def test_lexicon_orgs_foreign_bodies_keep_their_country(name):
    assert canonical_org(name) == (name, ())


@pytest.mark.parametrize(
    "name, chain",
    [
        ("全国人大常委会法制工作委员会", [("全国人大常委会法制工作委员会", "全国人民代表大会常务委员会"), ("全国人民代表大会常务委员会", "全国人民代表大会")]),
        ("国家市场监督管理总局某某司", [("国家市场监督管理总局某某司", "国家市场监督管理总局"), ("国家市场监督管理总局", "国务院")]),
        ("中共某省委某部", [("中共某省委某部", "中共某省委")]),
        ("中共山东省委统战部", [("中共山东省委统战部", "中共山东省委")]),
        ("中共中央政治局常务委员会", [("中共中央政治局常务委员会", "中共中央政治局"), ("中共中央政治局", "中共中央")]),
        ("国务院办公厅", [("国务院办公厅", "国务院")]),
        ("国家能源局", [("国家能源局", "国家发展和改革委员会"), ("国家发展和改革委员会", "国务院")]),
        ("中国人民解放军某某法院", [("中国人民解放军某某法院", "中国人民解放军")]),
        ("中国民主促进会中央委员会", [("中国民主促进会中央委员会", "中国民主促进会")]),
        ("某某省人大常委会", [("某某省人大常委会", "某某省人大")]),
        ("中央军事委员会", []),
        ("中共中央纪律检查委员会", []),
        ("中国科学院", []),
    ],
)
def test_lexicon_orgs_parents_of_nested_bodies(name, chain):
    assert parents_of(name) == chain


def test_lexicon_orgs_every_parent_is_a_body_and_every_name_one_body():
    names = [n for b in state.BODIES for n in b.names]
    assert len(names) == len(set(names))
    assert all(state.body(b.parent) is not None for b in state.BODIES if b.parent)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("座谈会上，民革中央主席某某和致公党中央主席某某先后发言。",
         [("民革中央", "中国国民党革命委员会中央委员会"), ("致公党中央", "中国致公党中央委员会")]),
        ("中央纪委国家监委对某某给予处分。", [("中央纪委", "中共中央纪律检查委员会"), ("国家监委", "国家监察委员会")]),
        ("会议表决通过了全国人大某某委员会提出的报告。", [("全国人大某某委员会", "全国人民代表大会某某委员会")]),
        ("中办、国办近日印发通知。", [("中办", "中共中央办公厅"), ("国办", "国务院办公厅")]),
        ("某省委常委、长沙市委书记某某出席。", [("长沙市委", "中共长沙市委")]),
        ("马来西亚交通部部长某某会见了代表团。", [("马来西亚交通部", "马来西亚交通部")]),
        ("俄罗斯国家杜马主席某某表示欢迎。", [("俄罗斯国家杜马", "俄罗斯国家杜马")]),
        ("外交部发言人某某答记者问。", [("外交部", "外交部")]),
        ("各地公安部门和财政部门要加强配合。", []),
        ("央视网消息（新闻联播）：今天的会议在北京举行。", []),
        ("新华社北京5月1日电 某某在会上讲话。", []),
        ("市场监管总局网监司负责人答记者问。", [("市场监管总局网监司", "国家市场监督管理总局网监司")]),
    ],
)
def test_lexicon_orgs_org_spans_find_bodies_in_running_text(sentence, expected):
    assert _orgs(sentence) == expected


def test_lexicon_orgs_joint_name_is_split_into_its_bodies():
    n = "中央纪委国家监委"
    assert [n[s:e] for s, e in state.split_joint(n)] == ["中央纪委", "国家监委"]


def test_lexicon_orgs_resolver_links_structural_parents_only_when_named():
    def mention(start, text):
        name, alts = canonical_org(text)
        return Mention("a", start, start + len(text), text, Label.ORGANIZATION, name, alts=alts)

    alone = Resolver()
    alone.add(Extraction.of([mention(0, "民进中央")]))
    assert {e.name for e in alone.finish()} == {"中国民主促进会中央委员会"}

    named = Resolver()
    named.add(Extraction.of([mention(0, "全国人大常委会"), mention(10, "全国人大")]))
    rels = named.finish().derived["a"].relations
    assert [(r.subject.name, r.obj.name) for r in rels] == [("全国人民代表大会常务委员会", "全国人民代表大会")]

    unit = Resolver()
    unit.add(Extraction.of([mention(0, "全国人大常委会法制工作委员会")]))
    ents = unit.finish()
    assert Ref(Label.ORGANIZATION, "全国人民代表大会常务委员会") in ents.by_ref
    assert Ref(Label.ORGANIZATION, "全国人民代表大会") not in ents.by_ref


def test_lexicon_orgs_structural_parent_is_not_read_from_spelling():
    assert structural_parent("北京大学法学院") == ""
