"""Places as a reader knows them: countries and their one-character short forms, province
abbreviations, the endings of place names, and the words a place name never ends with.

Provinces and the countries most often named are in :mod:`kg.lexicon.orgs`; this module
adds what tells a place from a word that only looks like one (中美, 美方, 京 in 在京火化).
"""

from __future__ import annotations

import re

from kg.lexicon import table
from kg.lexicon.orgs import COUNTRIES, PROVINCES

#: One-character short forms of countries and continents, as news writes them in pairs
#: (中美, 中俄, 日韩, 巴以) and sides (美方, 俄军, 日媒). General knowledge. The directional
#: characters (东南西北) and 亚 are left out: 中东, 中亚, 南非 are places of their own.
COUNTRY_SHORT = frozenset(
    "中美俄英法德日韩朝印巴越老柬泰缅菲马新澳加墨古乌土叙伊以埃沙阿蒙哈吉塔厄秘智委葡意荷比瑞挪芬丹波希"
    "奥匈捷塞罗保孟斯尼肯坦津黎约卡科欧非拉文蒙"
)

#: Short forms that pair with each other without 中 (日韩, 巴以, 俄乌, 美欧); the others only pair with 中.
PAIR_CORE = frozenset("美俄英法德日韩朝印巴越以伊乌土叙欧非阿")

#: Words a country's short form makes a side of: the side, its army, its media, its firms.
SIDE_SUFFIXES = table.names("places.tsv", "side-suffix")

#: Two-character names made of country short forms that are places of their own.
PAIR_PLACES = frozenset({"古巴", "巴中", "中非共和国", "以色列", "加纳", "秘鲁", "乌干达", "马里", "中亚", "中东"})

#: One-character abbreviations of the provinces (京 for 北京, 沪 for 上海 …).
PROVINCE_ABBREVIATIONS = frozenset(a for e in table.entries("places.tsv", "province") for a in e.other if len(a) == 1)

#: Formal names of countries that news also gives by their short name, one node each.
FORMAL_NAMES = {"中华人民共和国": "中国"}

#: Further countries, and the continents, regions and oceans, named as places (the common ones are in :data:`kg.lexicon.orgs.COUNTRIES`).
MORE_COUNTRIES = frozenset(
    "阿富汗 阿联酋 阿曼 阿塞拜疆 阿尔及利亚 阿尔巴尼亚 埃塞俄比亚 爱沙尼亚 安哥拉 巴勒斯坦 巴拿马 白俄罗斯 保加利亚 "
    "秘鲁 玻利维亚 朝鲜 东帝汶 多哥 厄瓜多尔 厄立特里亚 斐济 刚果 哥伦比亚 哥斯达黎加 格鲁吉亚 古巴 圭亚那 "
    "吉尔吉斯斯坦 几内亚 加纳 加蓬 柬埔寨 津巴布韦 喀麦隆 卡塔尔 科威特 克罗地亚 肯尼亚 拉脱维亚 老挝 黎巴嫩 "
    "立陶宛 利比亚 卢旺达 罗马尼亚 马达加斯加 马尔代夫 马里 毛里塔尼亚 蒙古 孟加拉国 缅甸 摩洛哥 莫桑比克 "
    "纳米比亚 尼泊尔 尼日尔 尼日利亚 塞尔维亚 塞内加尔 塞浦路斯 沙特 斯里兰卡 斯洛伐克 斯洛文尼亚 苏丹 "
    "塔吉克斯坦 坦桑尼亚 突尼斯 土库曼斯坦 委内瑞拉 文莱 乌干达 乌拉圭 乌兹别克斯坦 叙利亚 牙买加 亚美尼亚 "
    "也门 伊拉克 约旦 赞比亚 乍得 智利 中非 冰岛 卢森堡 摩纳哥 梵蒂冈 黑山 北马其顿 波黑 摩尔多瓦 "
    "美洲 大洋洲 拉美 拉丁美洲 北美 南美 中美洲 加勒比 中东 中亚 西亚 南亚 东亚 东南亚 东北亚 北非 西非 东非 南部非洲 "
    "东欧 西欧 中欧 北欧 南欧 中东欧 太平洋 大西洋 印度洋 北冰洋 南极 北极".split()
)

#: Endings of the names of places: administrative units, natural features, sites and buildings.
PLACE_SUFFIXES = tuple(sorted(table.names("places.tsv", "suffix"), key=len, reverse=True))

#: Endings of names that LAC may tag as places but name a line, a network or a system.
NOT_PLACE_ENDINGS = table.names("places.tsv", "not-ending")

#: Endings of names of documents a place name is glued to (亚美尼亚共和国 + 引渡条约).
DOCUMENT_ENDINGS = re.compile(r"(条约|协定|公约|议定书|宣言|声明|备忘录|法|条例|规划|纲要|决定)$")

_KNOWN = frozenset({*PROVINCES, *PROVINCES.values(), *COUNTRIES, *MORE_COUNTRIES})


def is_known_place(name: str) -> bool:
    """Whether ``name`` is a province, a country or a continent by name.

    Examples
    --------
    >>> is_known_place("山东省"), is_known_place("叙利亚"), is_known_place("中美")
    (True, True, False)
    """
    return name in _KNOWN


def place_suffix(name: str) -> str:
    """The place-name ending ``name`` has after at least one character, or "".

    Examples
    --------
    >>> place_suffix("某某区"), place_suffix("某某革命公墓"), place_suffix("团结协作")
    ('区', '公墓', '')
    """
    for s in PLACE_SUFFIXES:
        if name.endswith(s) and len(name) > len(s):
            return s
    return ""


def is_country_pair(word: str) -> bool:
    """Two or more one-character country short forms run together (中美, 日韩, 中吉乌): a
    relation between countries, not a place or a person.

    Examples
    --------
    >>> is_country_pair("中美"), is_country_pair("韩中"), is_country_pair("古巴"), is_country_pair("张伟")
    (True, True, False, False)
    """
    if len(word) < 2 or len(word) > 4 or word in PAIR_PLACES or is_known_place(word):
        return False
    if not all(c in COUNTRY_SHORT for c in word):
        return False
    return "中" in word or all(c in PAIR_CORE for c in word)


def is_side(word: str) -> bool:
    """A country's side, army, media or firms by its short form (美方, 俄军, 日媒, 中企).

    Examples
    --------
    >>> is_side("美方"), is_side("俄军"), is_side("中美方"), is_side("对方")
    (True, True, True, False)
    """
    return (2 <= len(word) <= 4 and word.endswith(SIDE_SUFFIXES)
            and all(c in COUNTRY_SHORT for c in word[:-1]))


def is_pair_or_side(word: str) -> bool:
    """:func:`is_country_pair` or :func:`is_side`, also with a pair in front of the rest of
    a word LAC glued to it (中巴经济).

    Examples
    --------
    >>> is_pair_or_side("中俄"), is_pair_or_side("巴方"), is_pair_or_side("中巴经济"), is_pair_or_side("中南海")
    (True, True, True, False)
    """
    if is_country_pair(word) or is_side(word):
        return True
    return len(word) > 2 and is_country_pair(word[:2]) and not place_suffix(word)
