"""Organization and place names: suffix lexicons, canonical forms, short forms, parent bodies."""

from __future__ import annotations

import re

from kg.lexicon import state, table

#: Provinces, autonomous regions and municipalities (``data/places.tsv``): short name -> full name.
PROVINCES = {e.other[0]: e.name for e in table.entries("places.tsv", "province")}
_FULL_TO_SHORT = {v: k for k, v in PROVINCES.items()}
_FULL_TO_SHORT.update({"内蒙古": "内蒙古", "广西自治区": "广西", "新疆自治区": "新疆", "宁夏自治区": "宁夏"})

#: The countries of the world by the names news gives them (``data/places.tsv``; formal names in :data:`COUNTRY_NAMES`).
COUNTRIES = frozenset(table.names("places.tsv", "country"))
#: Every name of a country, formal and other names included: name -> the country's common name.
COUNTRY_NAMES = {n: e.name for e in table.entries("places.tsv", "country") for n in (e.name, *e.other)}
#: Continents, world regions and oceans (非洲, 中东, 太平洋).
REGIONS = frozenset(table.names("places.tsv", "region"))

#: Suffixes that end the name of an institution (longest first when matched).
ORG_SUFFIXES = tuple(sorted(table.names("orgs.tsv", "suffix"), key=len, reverse=True))

#: Further endings of names LAC tags ORG (teams, parties, news agencies, agencies, firms).
LOOSE_SUFFIXES = table.names("orgs.tsv", "loose-suffix")
#: Suffixes naming a kind of body: such a name needs a proper part (a place, 中国 …) to be one body.
KIND_SUFFIXES = table.names("orgs.tsv", "kind-suffix")

#: Suffixes of a unit inside a larger body: a department, institute, centre or office.
UNIT_SUFFIXES = table.names("orgs.tsv", "unit-suffix")
#: Suffixes of bodies that have units.
PARENT_SUFFIXES = table.names("orgs.tsv", "parent-suffix")
#: Endings of institutions named like their building (某某纪念馆, 某某博物馆, 某某档案馆): a body that holds
#: collections and exhibitions, an organization by the annotation conventions (its hall a place as well).
VENUE_SUFFIXES = tuple(table.names("orgs.tsv", "venue-suffix"))

#: Well-known names of national bodies (general knowledge, :mod:`kg.lexicon.state`): name -> (canonical, other names).
SHORT_FORMS: dict[str, tuple[str, tuple[str, ...]]] = {n: (b.name, b.short) for n in state.NAMES for b in [state.body(n)]}

#: Names that look like institutions but name a kind of body, not one body.
GENERIC_QUALIFIERS = table.names("orgs.tsv", "generic-qualifier")
GENERIC_KINDS = table.names("orgs.tsv", "generic-kind")
GENERIC = re.compile(f"^({'|'.join(GENERIC_QUALIFIERS)})*({'|'.join(GENERIC_KINDS)})$")
#: A generic body a unit is named after (公司国际部: the company's international department): a reference, not a name.
_REFERENCE = re.compile(r"^(本|该|这家|这所)?(公司|企业|集团|学校|医院|单位|工厂|厂里|院里)(?=.)")
_PROPER = re.compile("|".join(sorted(map(re.escape, [*PROVINCES, *COUNTRY_NAMES, *REGIONS, *SHORT_FORMS, "中华", "中共", "全国", "国际", "首都"]), key=len, reverse=True)))

_PARTY_PREFIXES = ("省委", "市委", "县委", "区委", "自治区党委")


def province_of(name: str) -> str:
    """Short name of the province a name starts with, or "".

    Examples
    --------
    >>> province_of("山东省总工会"), province_of("中共江苏省委党校"), province_of("北京大学")
    ('山东', '江苏', '北京')
    """
    n = name[2:] if name.startswith("中共") else name
    for short in sorted(PROVINCES, key=len, reverse=True):
        if n.startswith(short):
            return short
    return ""


def org_suffix(name: str) -> str:
    """The institution suffix ``name`` ends with, or "".

    Examples
    --------
    >>> org_suffix("中国劳动关系学院"), org_suffix("劳动关系")
    ('学院', '')
    """
    for s in ORG_SUFFIXES:
        if name.endswith(s) and len(name) > len(s):
            return s
    return ""


def generic_org(name: str) -> bool:
    """Whether ``name`` names a kind of body rather than one body (基层工会, 该公司, 公司国际部, 新时代工会).

    Examples
    --------
    >>> generic_org("各级工会"), generic_org("该公司"), generic_org("某某大学"), generic_org("新华社")
    (True, True, False, False)
    """
    return len(name) < 2 or bool(GENERIC.match(name) or _REFERENCE.match(name)) or name.startswith(("新时代", "新征程"))


def is_org_name_loose(name: str) -> bool:
    """Whether a name LAC tagged ORG is kept: :func:`is_org_name`, or a name of three or more
    characters (or a two-character party/agency/team name) with an institution ending that
    does not merely name a kind of body.

    Examples
    --------
    >>> is_org_name_loose("新华社"), is_org_name_loose("巴西队"), is_org_name_loose("劳动法律监督委员会"), is_org_name_loose("国际劳工")
    (True, True, False, False)
    >>> is_org_name_loose("公司国际部"), is_org_name_loose("该公司")
    (False, False)
    """
    if is_org_name(name):
        return True
    if len(name) < 2 or len(name) > 30 or GENERIC.match(name) or _REFERENCE.match(name) or name.startswith(("新时代", "新征程")):
        return False
    if name.endswith(KIND_SUFFIXES) and not _PROPER.search(name):
        return False
    if not (org_suffix(name) or name.endswith(LOOSE_SUFFIXES)):
        return False
    return len(name) >= 3 or name[-1] in "社部党委队军院局办联"


def is_org_name(name: str) -> bool:
    """Whether ``name`` names one body: it ends with an institution suffix, is not generic,
    and carries a proper element (a place, 中国/中华/中共/全国/国际, or a proper first part).

    Examples
    --------
    >>> is_org_name("中国人民大学"), is_org_name("基层工会"), is_org_name("劳动法律监督委员会")
    (True, False, False)
    """
    if name in SHORT_FORMS:
        return True
    if len(name) < 3 or len(name) > 40 or GENERIC.match(name) or _REFERENCE.match(name):
        return False
    suffix = org_suffix(name)
    if not suffix:
        return False
    if _PROPER.search(name):
        return True
    # a proper first part: at least four characters before a strong suffix (清华大学, 某某研究院)
    return suffix in ("大学", "研究院", "科学院", "党校", "集团", "公司", "银行", "报社", "出版社") and len(name) - len(suffix) >= 2


def national_body(name: str) -> state.Body | None:
    """The national body ``name`` names, read through a term number and a 中国/中华人民共和国 prefix.

    Examples
    --------
    >>> national_body("中国外交部").name, national_body("中国共产党第二十届中央政治局").name
    ('外交部', '中共中央政治局')
    >>> national_body("马来西亚交通部") is None
    True
    """
    b = state.body(name)
    if b is None and name.startswith("中国共产党") and state.TERM.match(name, 5):
        b = state.body("中共" + name[state.TERM.match(name, 5).end():])
    if b is None:
        for prefix in ("中华人民共和国", "中国"):
            if name.startswith(prefix) and len(name) > len(prefix) + 1:
                b = state.body(name[len(prefix):])
                break
    return b


#: Endings of a unit of a national body (a 司 of a 总局, an office of a committee, its 党组).
STATE_UNIT = re.compile(r"(司|局|室|厅|处|署|中心|委员会|工委|部|办公室|办|法院|检察院|研究院|研究所|学院|党组|机关党委|分会)$")


#: Schools of a party committee or government: bodies of their own (省委党校 is no unit of the 省委).
_SCHOOLS = table.names("orgs.tsv", "school")


def _lexicon_head(name: str) -> tuple[str, str] | None:
    """(canonical name of the body, unit) when ``name`` is the name of a national or provincial
    body (:func:`state_spans`) followed by one of its units (某总局某某司, 某省委某部)."""
    m = _STATE_SCAN.match(name)
    if not m or len(name) - m.end() < 2 or m.end() < 3 or m.group() in ("中国共产党", "中华人民共和国"):
        return None
    head, tail = m.group(), name[m.end():]
    if not STATE_UNIT.search(tail) or state.body(tail) or province_of(tail) or _STATE_SCAN.match(tail) or tail.startswith(_SCHOOLS):
        return None
    body = national_body(head)
    return (body.name if body else head), tail


#: A local party committee: place + 市委/县委/区委/州委 (its 中共 prefix is added).
_LOCAL_PARTY = re.compile(r"^(?![各该本全我每])[\u4e00-\u9fff]{1,6}?(市|县|区|州|盟)委(?=$|[\u4e00-\u9fff]{1,6}(部|办公室|办|委员会)$)")


def canonical_org(name: str, province: str = "") -> tuple[str, tuple[str, ...]]:
    """Canonical name of an organization and the other names it goes by.

    A national body of :mod:`kg.lexicon.state` (by a full name, a short form, or either
    with a term number) gets its name and every other name; a unit of one (市场监管总局法规司)
    gets the body's name in front. ``province`` resolves short forms that start with 省
    ("省总工会" in a Shandong context is 山东省总工会); local party committees get their
    中共 prefix.

    Examples
    --------
    >>> canonical_org("省总工会", "山东")
    ('山东省总工会', ('省总工会',))
    >>> canonical_org("山东省委统战部")
    ('中共山东省委统战部', ('山东省委统战部',))
    >>> canonical_org("某省委党校（某行政学院）")[0]
    '某省委党校'
    >>> canonical_org("国办")
    ('国务院办公厅', ('国办',))
    >>> canonical_org("市场监管总局某某司")
    ('国家市场监督管理总局某某司', ('市场监管总局某某司',))
    >>> canonical_org("某国外交部")
    ('某国外交部', ())
    """
    alts: list[str] = []
    raw = name
    m = re.match(r"^(.+?)[（(](.+?)[）)]$", name)
    if m:
        name = m.group(1)
        alts += [m.group(2), raw]
    for prefix in ("新时代新征程", "新时代", "新征程"):
        if name.startswith(prefix) and len(name) > len(prefix) + 2:
            name = name[len(prefix):]
    body = national_body(name)
    if body is not None:
        canon = body.name
        return canon, tuple(dict.fromkeys(x for x in (name, *body.short, *alts) if x != canon))
    head = _lexicon_head(name)
    if head is not None and national_body(name[: len(name) - len(head[1])]):
        canon = head[0] + head[1]
        return canon, tuple(dict.fromkeys(x for x in (name, *alts) if x != canon))
    if province and name.startswith(("省", "市", "自治区")) and not province_of(name):
        full = PROVINCES.get(province, province + "省")
        level = "市" if full.endswith("市") else "省"
        alts.append(name)
        if name.startswith("省"):
            name = province + level + name[1:]
        elif name.startswith("市") and level == "市":
            name = province + name
        else:
            name = province + name
    prov = province_of(name)
    if prov and not name.startswith("中共"):
        rest = name[len(prov):]
        if rest.startswith(("省委", "市委", "自治区党委")):
            alts.append(name)
            name = "中共" + name
    elif not prov and not name.startswith("中共") and _LOCAL_PARTY.match(name):
        alts.append(name)
        name = "中共" + name
    if name.startswith("中共") and (province_of(name) or _LOCAL_PARTY.match(name[2:])):
        alts.append(name[2:])
    return name, tuple(dict.fromkeys(a for a in alts if a and a != name))


#: A local people's congress's standing committee and the congress it is the standing body of.
_LOCAL_STANDING = re.compile(r"^(.{2,12}?(?:省|市|自治区|县|区|州))(人大|人民代表大会|政协)(常委会|常务委员会)$")


def structural_parent(name: str) -> str:
    """The body ``name`` is an organ of by the structure of the state (not by its spelling), or "".

    National bodies by :mod:`kg.lexicon.state`; a local standing committee by the local
    congress (or CPPCC committee) it is the standing body of.

    Examples
    --------
    >>> structural_parent("全国人民代表大会常务委员会"), structural_parent("某某省人大常委会")
    ('全国人民代表大会', '某某省人大')
    >>> structural_parent("北京大学法学院")
    ''
    """
    body = national_body(name)
    if body is not None:
        return body.parent
    m = _LOCAL_STANDING.match(name)
    if m:
        return m.group(1) + m.group(2)
    return ""


def parents_of(name: str) -> list[tuple[str, str]]:
    """Chain of (child, parent) pairs: by the structure of the state, or hidden in a compound name.

    Examples
    --------
    >>> parents_of("北京大学法学院国际法研究所")
    [('北京大学法学院国际法研究所', '北京大学法学院'), ('北京大学法学院', '北京大学')]
    >>> parents_of("中共江苏省委党校")
    []
    >>> parents_of("某某重型机械集团某某模锻有限责任公司"), parents_of("某某能源集团有限公司")
    ([('某某重型机械集团某某模锻有限责任公司', '某某重型机械集团')], [])
    >>> parents_of("全国人大常委会法制工作委员会")
    [('全国人大常委会法制工作委员会', '全国人民代表大会常务委员会'), ('全国人民代表大会常务委员会', '全国人民代表大会')]
    """
    out: list[tuple[str, str]] = []
    child = name
    while len(out) < 8:
        parent = structural_parent(child)
        if not parent and national_body(child) is None:
            head = _lexicon_head(child)
            if head is not None:
                parent = child[: len(child) - len(head[1])]
            else:
                cut = _parent_cut(child)
                parent = child[:cut] if cut else ""
        if not parent or parent == child:
            return out
        out.append((child, parent))
        child = parent
    return out


#: Legal forms a company's name ends with (longest first): no company by themselves.
_COMPANY_FORMS = table.names("orgs.tsv", "company-form")


def _subsidiary(tail: str) -> bool:
    """Whether ``tail``, after a group or company's name, is a company of its own (德阳某某有限公司), not its legal form.

    Examples
    --------
    >>> _subsidiary("某某模锻有限责任公司"), _subsidiary("有限公司"), _subsidiary("超高压公司")
    (True, False, True)
    """
    form = next((f for f in _COMPANY_FORMS if tail.endswith(f)), "")
    return bool(form) and len(tail) - len(form) >= 2


def _parent_cut(name: str) -> int:
    """Longest proper prefix of ``name`` that is a body with units, when the rest is a unit."""
    best = 0
    for i in range(2, len(name) - 1):
        head, tail = name[:i], name[i:]
        if not head.endswith(PARENT_SUFFIXES) or len(tail) < 2:
            continue
        if head.endswith(("集团", "公司")) and _subsidiary(tail):
            best = i
            continue
        if not tail.endswith(UNIT_SUFFIXES):
            continue
        if head.endswith(("省委", "市委", "县委", "区委")) and not tail.endswith(("部", "办公室", "办", "委员会")):
            continue  # 省委党校 is a school of its own
        if len(head) >= 4 or head in SHORT_FORMS:
            best = i
    return best


def places_in(name: str) -> list[tuple[int, str]]:
    """Places named inside an administrative name: (offset, short name).

    Only where the place is followed by an administrative word (省, 市, 省委, 工会,
    行政学院 …), so 山东省总工会 gives 山东 and 北京大学 gives nothing.

    Examples
    --------
    >>> places_in("中共江苏省委党校"), places_in("北京大学"), places_in("山东工会")
    ([(2, '江苏')], [], [(0, '山东')])
    """
    out = []
    for short in sorted(PROVINCES, key=len, reverse=True):
        for m in re.finditer(re.escape(short), name):
            rest = name[m.end():]
            if re.match(r"(省|市|自治区|壮族|回族|维吾尔)?(委|政府|人大|政协|总工会|工会|行政学院|党校|高级人民法院|人民检察院|团委|妇联|军区|籍)", rest):
                if not any(o <= m.start() < o + len(p) for o, p in out):
                    out.append((m.start(), short))
    return sorted(out)


_TERM_RE = r"(?:(?:中国共产党|中共)?第?[一二三四五六七八九十]{1,3}届)?"


def _name_pattern(n: str) -> str:
    """A name as a pattern: a term number may stand before a central or national body (十四届全国人大),
    or before 全国委员会 (政协第十四届全国委员会)."""
    p = re.escape(n)
    if "全国委员会" in n and not n.startswith("全国委员会"):
        return p.replace("全国委员会", "(?:第[一二三四五六七八九十]{1,3}届)?全国委员会", 1)
    if n.startswith(("全国人", "中央", "中共中央")):
        return _TERM_RE + p
    return p


_LEVEL = "(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)"
_ORGAN = "(?:人民代表大会常务委员会|人大常委会|人民代表大会|人大|人民政府|政府|政协|纪委监委|纪委|监委|党委|委|高级人民法院|人民检察院|总工会|妇联|团委)"
_PROVINCE_NAMES = "|".join(sorted(PROVINCES, key=len, reverse=True))
#: Names of the bodies of the lexicon and of the provinces' bodies, longest first at each place.
_FIRST = "".join(sorted({n[0] for n in state.NAMES} | set("中第一二三四五六七八九十") | {p[0] for p in PROVINCES}))
_ALTERNATIVES = [(f"(?:中共)?(?:{_PROVINCE_NAMES}){_LEVEL}{_ORGAN}(?!员)", {p[0] for p in PROVINCES} | {"中"})] + [
    (_name_pattern(n), {n[0]} | (set("中第一二三四五六七八九十") if _name_pattern(n).startswith(_TERM_RE) else set()))
    for n in state.NAMES
]
_STATE_SCAN = re.compile(f"(?=[{_FIRST}])(?:" + "|".join(a for a, _ in _ALTERNATIVES) + ")")
#: The same alternatives, in the same order, split by the character a match can start with: at a
#: position only those can match, so trying them alone finds the same name, much faster.
_SCAN_AT = {
    c: re.compile("|".join(a for a, firsts in _ALTERNATIVES if c in firsts))
    for c in sorted({c for _, firsts in _ALTERNATIVES for c in firsts})
}


def state_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the names of national bodies (:mod:`kg.lexicon.state`) and of provincial bodies
    (X省委, X省人民政府, X省人大常委会, X省政协 …) in ``text``: leftmost, longest.

    Examples
    --------
    >>> t = "某某在十四届全国人大常委会和湖南省政协讲话，中央纪委国家监委通报。"
    >>> [t[s:e] for s, e in state_spans(t)]
    ['十四届全国人大常委会', '湖南省政协', '中央纪委', '国家监委']
    """
    out, i, n = [], 0, len(text)
    at = _SCAN_AT.get
    while i < n:
        pattern = at(text[i])
        m = pattern.match(text, i) if pattern is not None else None
        if m and m.end() > i:
            out.append(m.span())
            i = m.end()
        else:
            i += 1
    return out
