"""Names a reader would accept: people and places in made-up sentences of state-news style."""

from __future__ import annotations

import pytest

from kg.extract.analysis import person_spans
from kg.extract.nlp import ProvenWords, tag_spans
from kg.extract.place import place_name, place_spans
from kg.lexicon.names import is_transliteration, parse_authors, split_title, title_glued
from kg.lexicon.places import is_country_pair, is_pair_or_side, is_side


def _people(text: str) -> list[str]:
    tokens = tag_spans(text, [(0, len(text))])
    return [text[s:e] for s, e in person_spans(tokens, ProvenWords())]


def _places(text: str) -> list[str]:
    tokens = tag_spans(text, [(0, len(text))])
    people = person_spans(tokens, ProvenWords())
    out = []
    for i, t in enumerate(tokens):
        if t.tag == "LOC" and not any(s < t.end and t.start < e for s, e in people):
            out += [text[s:e] for s, e in place_spans(tokens, i)]
    return out


@pytest.mark.parametrize("text, absent", [
    ("向着新目标，奋楫再出发。", "奋楫"),
    ("向着新目标，奋楫扬帆再出发。", "奋楫扬帆"),
    ("广西蔗农喜获丰收。", "蔗农"),
    ("农民蔗农果农喜获丰收。", "蔗农果农"),
    ("冰雪旅游火爆，尔滨成为网红城市。", "尔滨"),
    ("中美双方同意加强沟通，美方表示欢迎。", "美方"),
    ("乌军称击落多架无人机，巴方对此表示谴责。", "乌军"),
    ("乌军称击落多架无人机，巴方对此表示谴责。", "巴方"),
    ("某国总统表示，韩中是近邻，两国关系源远流长。", "韩中"),
])
def test_lexicon_names_common_words_are_no_people(text, absent):
    assert absent not in _people(text)


@pytest.mark.parametrize("text, name", [
    ("会议委托李明副委员长作报告。", "李明"),
    ("张伟总书记主持会议。", "张伟"),
    ("某国总理内塔尼亚胡表示将继续行动。", "内塔尼亚胡"),
    ("某国外长易卜拉欣会见了中方代表。", "易卜拉欣"),
    ("全国政协副主席周华、帕巴拉·格列朗杰、张明出席。", "帕巴拉·格列朗杰"),
    ("某国总统卢拉·达席尔瓦、某国总统拉马福萨出席。", "卢拉·达席尔瓦"),
    ("某国总统卢拉·达席尔瓦、某国总统拉马福萨出席。", "拉马福萨"),
    ("某国总统托卡耶夫、某国总统扎帕罗夫出席。", "扎帕罗夫"),
    ("国务院副总理刘某某、马兴军、洛桑江村、苏梅出席了会议。", "洛桑江村"),
    ("某国总统埃尔多安同某国领导人会晤。", "埃尔多安"),
    ("副委员长咸辉出席。", "咸辉"),
    ("于这个问题，克林顿说，他将访问。", "克林顿"),
])
def test_lexicon_names_people_whole_and_without_title(text, name):
    people = _people(text)
    assert name in people
    assert not any(name != p and (name in p or p in name) for p in people)


@pytest.mark.parametrize("text, absent", [
    ("要加强团结协作，形成工作合力。", "团结协作"),
    ("安全责任重于泰山，必须抓细抓实。", "泰山"),
    ("某某同志遗体在京火化。", "京火化"),
    ("中美关系、中欧关系持续发展。", "中美"),
    ("中韩两国、日韩关系、印巴边境。", "日韩"),
    ("中韩两国、日韩关系、印巴边境。", "印巴"),
    ("推动中巴经济走廊建设。", "中巴经济"),
    ("推动高速公路建设。", "高速公路"),
    ("某国总理内塔尼亚胡表示。", "塔尼亚胡"),
])
def test_lexicon_names_generic_words_are_no_places(text, absent):
    assert absent not in _places(text)


@pytest.mark.parametrize("text, places", [
    ("习近平在北京人民大会堂同来访的某国总统举行会谈。", ["北京", "人民大会堂"]),
    ("代表团在上海市徐汇区考察。", ["上海市", "徐汇区"]),
    ("遗体在北京八宝山革命公墓火化。", ["北京", "八宝山革命公墓"]),
    ("某国总统抵达北京。", ["北京"]),
])
def test_lexicon_names_places_cut_from_glue(text, places):
    assert _places(text) == places


@pytest.mark.parametrize("word, pair, side", [
    ("中美", True, False), ("中俄", True, False), ("韩中", True, False), ("中吉乌", True, False),
    ("美方", False, True), ("俄军", False, True), ("日媒", False, True), ("中企", False, True),
    ("古巴", False, False), ("南非", False, False), ("中南海", False, False), ("张伟", False, False),
])
def test_lexicon_names_pairs_and_sides(word, pair, side):
    assert is_country_pair(word) is pair
    assert is_side(word) is side
    assert is_pair_or_side(word) is (pair or side)


@pytest.mark.parametrize("name, cut", [
    ("王某副委员长", ("王某", "副委员长")), ("某某总书记", ("某某", "总书记")), ("李建国同志", ("李建国", "同志")),
    ("李建国", ("李建国", "")),
])
def test_lexicon_names_split_title(name, cut):
    assert split_title(name) == cut


@pytest.mark.parametrize("name, following, k", [("王某副", "委员长", 1), ("张某总", "书记", 1), ("王某", "委员长", 0)])
def test_lexicon_names_title_glued(name, following, k):
    assert title_glued(name, following) == k


@pytest.mark.parametrize("name, translit", [
    ("马克龙", True), ("格列朗杰", True), ("帕巴拉·格列朗杰", True), ("奋楫", False), ("蔗农", False),
])
def test_lexicon_names_transliteration(name, translit):
    assert is_transliteration(name) is translit


@pytest.mark.parametrize("text, name", [
    ("某某市", "某某"), ("吉林市", "吉林市"), ("中华人民共和国", "中国"), ("山东省", "山东"), ("某某区", "某某区"),
])
def test_lexicon_names_place_name(text, name):
    assert place_name(text) == name


@pytest.mark.parametrize("line, names", [
    ("本报记者 张三 李四", ("张三", "李四")), ("方  颖", ("方颖",)), ("加强职业教育与培训", ()),
])
def test_lexicon_names_bylines_unchanged(line, names):
    assert parse_authors(line, page=True) == names
