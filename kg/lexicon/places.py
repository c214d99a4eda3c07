"""Places as a reader knows them: countries and their one-character short forms, province
abbreviations, the endings of place names, and the words a place name never ends with.

The provinces, countries and regions are read from ``data/places.tsv`` by :mod:`kg.lexicon.orgs`; this module
adds what tells a place from a word that only looks like one (中美, 美方, 京 in 在京火化).
"""

from __future__ import annotations

import re

from kg.lexicon import table
from kg.lexicon.orgs import COUNTRY_NAMES, PROVINCES, REGIONS

#: One-character short forms of countries and continents, as news writes them in pairs
#: (中美, 中俄, 日韩, 巴以) and sides (美方, 俄军, 日媒). General knowledge (``data/places.tsv``). The
#: directional characters (东南西北) and 亚 are left out: 中东, 中亚, 南非 are places of their own.
COUNTRY_SHORT = frozenset(table.names("places.tsv", "abbreviation", "abbreviation-core"))

#: Short forms that pair with each other without 中 (日韩, 巴以, 俄乌, 美欧); the others only pair with 中.
PAIR_CORE = frozenset(table.names("places.tsv", "abbreviation-core"))

#: Words a country's short form makes a side of: the side, its army, its media, its firms.
SIDE_SUFFIXES = table.names("places.tsv", "side-suffix")

#: Words after which two short forms are two countries, not the place of that name (中非合作, 中欧班列).
PAIR_NOUNS = tuple(sorted(table.names("places.tsv", "pair-noun"), key=len, reverse=True))

#: Names made of country short forms that are places of their own (a city; the countries and regions are known places).
PAIR_PLACES = frozenset(table.names("places.tsv", "city"))

#: One-character abbreviations of the provinces (京 for 北京, 沪 for 上海 …).
PROVINCE_ABBREVIATIONS = frozenset(a for e in table.entries("places.tsv", "province") for a in e.other if len(a) == 1)

#: Formal and other names of countries, one node each with the common name: 中华人民共和国 -> 中国.
FORMAL_NAMES = {n: c for n, c in COUNTRY_NAMES.items() if n != c}

#: Endings of the names of places: administrative units, natural features, sites and buildings.
PLACE_SUFFIXES = tuple(sorted(table.names("places.tsv", "suffix"), key=len, reverse=True))

#: Endings of names that LAC may tag as places but name a line, a network or a system.
NOT_PLACE_ENDINGS = table.names("places.tsv", "not-ending")

#: Endings of names of documents a place name is glued to (亚美尼亚共和国 + 引渡条约).
DOCUMENT_ENDINGS = re.compile(r"(条约|协定|公约|议定书|宣言|声明|备忘录|法|条例|规划|纲要|决定)$")

_KNOWN = frozenset({*PROVINCES, *PROVINCES.values(), *COUNTRY_NAMES, *REGIONS})


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


def is_pair_before(word: str, after: str) -> bool:
    """Whether ``word``, a place whose name is two short forms with 中 (中非, 中欧), names the two countries
    because a word of relations follows it (中非合作, 中欧班列).

    Examples
    --------
    >>> is_pair_before("中欧", "班列开行"), is_pair_before("中欧", "国家"), is_pair_before("北京", "合作")
    (True, False, False)
    """
    return (len(word) == 2 and "中" in word and all(c in COUNTRY_SHORT for c in word)
            and after.startswith(PAIR_NOUNS))
