"""The structure of the Chinese party and state: national bodies, their short forms and parents.

General knowledge, as any handbook of Chinese institutions lists it: the central organs of
the party, the National People's Congress and its committees, the CPPCC, the State Council
and its ministries, commissions and bureaus, the courts and procuratorates, the eight
democratic parties and their central committees, the people's organizations and the
military. Each :class:`Body` has its name (the form official documents use, the canonical
name of its node), its other names (short forms: one node, other names) and its parent.

Joint names. 中央纪委国家监委 names two bodies that share one office (合署办公) but stay
two bodies in law (the party's discipline commission, elected by the party congress, and
the state's supervisory commission, elected by the NPC); a text that names them jointly
names both, so :func:`split_joint` cuts the joint name into its two bodies, each its own
node, rather than minting a third node for the pair.

Term numbers (十四届全国人大常委会, 政协第十四届全国委员会) name the same body in one of
its terms: :func:`body` reads through them, so they are other names of the one node.

Parents. A parent recorded here is the body the child is an organ, office, department or
bureau of (政治局 of the Central Committee, 办公厅 of the State Council, a 国家局 of the
ministry that manages it). The party's decision-making commissions (中央财经委员会 …),
the discipline commission and the military commission, elected or set up beside the
Central Committee rather than inside it, have none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Body:
    """A national body: its name (canonical), other names (short forms) and parent's name."""

    name: str
    short: tuple[str, ...] = ()
    parent: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.short)


_CC = "中共中央"
_NPC = "全国人民代表大会"
_NPCSC = "全国人民代表大会常务委员会"
_CPPCC = "中国人民政治协商会议全国委员会"
_SC = "国务院"
_CMC = "中央军事委员会"
_PLA = "中国人民解放军"


def _b(name: str, *short: str, parent: str = "") -> Body:
    return Body(name, tuple(short), parent)


def _central_departments() -> list[Body]:
    out = [
        _b(_CC, "党中央", "中国共产党中央委员会", "中共中央委员会"),
        _b("中国共产党", "中共"),
        _b("中共中央政治局", "中央政治局", "中国共产党中央委员会政治局", parent=_CC),
        _b("中共中央政治局常务委员会", "中共中央政治局常委会", "中央政治局常委会", "中央政治局常务委员会", parent="中共中央政治局"),
        _b("中共中央书记处", "中央书记处", "中国共产党中央委员会书记处", parent=_CC),
        _b("中共中央纪律检查委员会", "中央纪律检查委员会", "中央纪委", "中纪委", "中共中央纪委", "中国共产党中央纪律检查委员会"),
        _b("国家监察委员会", "国家监委", "中华人民共和国国家监察委员会"),
        _b(_CMC, "中央军委", "中共中央军事委员会", "中共中央军委", "中华人民共和国中央军事委员会"),
    ]
    for full, *short in (
        ("办公厅", "中办"), ("组织部", "中组部"), ("宣传部", "中宣部"), ("统一战线工作部", "中央统战部"),
        ("对外联络部", "中联部"), ("政法委员会", "中央政法委"), ("政策研究室", "中央政研室"), ("社会工作部", "中央社会工作部"),
        ("台湾工作办公室", "中台办"), ("外事工作委员会办公室", "中央外办"), ("机构编制委员会办公室", "中央编办"),
        ("直属机关工作委员会", "中央直属机关工委"), ("党史和文献研究院", "中央党史和文献研究院"), ("党校", "中央党校", "国家行政学院"),
        ("网络安全和信息化委员会办公室", "中央网信办"), ("香港工作办公室", "中央港澳办"), ("保密委员会办公室", "中央保密办"),
    ):
        names = [f"中央{full}", f"中国共产党中央委员会{full}", *short]
        out.append(_b(f"中共中央{full}", *dict.fromkeys(n for n in names if n != f"中共中央{full}"), parent=_CC))
    for full, *short in (
        ("中央财经委员会", "中央财经委"), ("中央全面深化改革委员会", "中央深改委"), ("中央外事工作委员会", "中央外事委"),
        ("中央国家安全委员会", "中央国安委"), ("中央网络安全和信息化委员会", "中央网信委"), ("中央全面依法治国委员会", "中央依法治国委"),
        ("中央审计委员会",), ("中央机构编制委员会", "中央编委"), ("中央金融委员会", "中央金融委"), ("中央科技委员会", "中央科技委"),
        ("中央精神文明建设指导委员会", "中央文明委"), ("中央和国家机关工作委员会", "中央和国家机关工委", "中央国家机关工委"),
        ("中央巡视工作领导小组",), ("中央社会主义学院",),
    ):
        out.append(_b(full, *short))
    return out


def _npc() -> list[Body]:
    out = [
        _b(_NPC, "全国人大"),
        _b(_NPCSC, "全国人大常委会", "全国人民代表大会常委会", parent=_NPC),
    ]
    for c, *short in (
        ("民族委员会",), ("宪法和法律委员会",), ("监察和司法委员会", "监察司法委员会"), ("财政经济委员会", "财经委"),
        ("教育科学文化卫生委员会", "教科文卫委"), ("外事委员会", "外事委"), ("华侨委员会", "华侨委"),
        ("环境与资源保护委员会", "环资委"), ("农业与农村委员会", "农业农村委员会", "农委"), ("社会建设委员会", "社会委"),
    ):
        out.append(_b(f"全国人民代表大会{c}", f"全国人大{c}", *(f"全国人大{s}" for s in short), parent=_NPC))
    for c, *short in (
        ("法制工作委员会", "法工委"), ("预算工作委员会", "预工委"), ("代表工作委员会", "代表工委"), ("办公厅",),
        ("代表资格审查委员会",), ("香港特别行政区基本法委员会",), ("澳门特别行政区基本法委员会",),
    ):
        out.append(_b(f"全国人民代表大会常务委员会{c}", f"全国人大常委会{c}", *(f"全国人大常委会{s}" for s in short), parent=_NPCSC))
    out.append(_b(f"{_NPC}主席团", "全国人大主席团", parent=_NPC))
    return out


def _cppcc() -> list[Body]:
    out = [
        _b("中国人民政治协商会议", "人民政协"),
        _b(_CPPCC, "全国政协", "政协全国委员会", parent="中国人民政治协商会议"),
        _b(f"{_CPPCC}常务委员会", "全国政协常委会", "政协全国委员会常务委员会", parent=_CPPCC),
        _b(f"{_CPPCC}办公厅", "全国政协办公厅", parent=_CPPCC),
    ]
    for c in ("提案委员会", "经济委员会", "农业和农村委员会", "人口资源环境委员会", "教科卫体委员会", "社会和法制委员会",
              "民族和宗教委员会", "港澳台侨和外事委员会", "文化文史和学习委员会", "科技界别委员会"):
        out.append(_b(f"{_CPPCC}{c}", f"全国政协{c}", f"政协全国委员会{c}", parent=_CPPCC))
    return out


#: The State Council's ministries, commissions and bodies: (name, short forms ...).
_STATE_COUNCIL = (
    ("国务院办公厅", "国办"), ("外交部",), ("国防部",),
    ("国家发展和改革委员会", "国家发展改革委", "国家发改委", "发展改革委", "发改委"), ("教育部",),
    ("科学技术部", "科技部"), ("工业和信息化部", "工信部"), ("国家民族事务委员会", "国家民委"), ("公安部",),
    ("国家安全部",), ("民政部",), ("司法部",), ("财政部",), ("人力资源和社会保障部", "人力资源社会保障部", "人社部"),
    ("自然资源部",), ("生态环境部",), ("住房和城乡建设部", "住房城乡建设部", "住建部"), ("交通运输部",), ("水利部",),
    ("农业农村部",), ("商务部",), ("文化和旅游部", "文旅部"), ("国家卫生健康委员会", "国家卫生健康委", "国家卫健委"),
    ("退役军人事务部",), ("应急管理部",), ("中国人民银行", "人民银行", "央行"), ("审计署",),
    ("国务院国有资产监督管理委员会", "国务院国资委", "国资委"), ("海关总署",), ("国家税务总局", "税务总局"),
    ("国家市场监督管理总局", "市场监管总局", "国家市场监管总局"), ("国家金融监督管理总局", "金融监管总局"),
    ("国家广播电视总局", "广电总局"), ("国家体育总局", "体育总局"),
    ("国家信访局",), ("国家统计局",), ("国家国际发展合作署",), ("国家医疗保障局", "国家医保局"), ("国务院参事室",),
    ("国家机关事务管理局", "国管局"), ("国务院研究室",), ("国务院新闻办公室", "国务院新闻办", "国新办"),
    ("国务院台湾事务办公室", "国台办"), ("国务院港澳事务办公室", "国务院港澳办"), ("国家数据局",), ("国家知识产权局",),
)

#: Institutions directly under the State Council (直属事业单位): no parent is recorded, as for
#: any public institution, since news names them as bodies of their own.
_INSTITUTIONS = (
    ("新华通讯社", "新华社"), ("中国科学院", "中科院"), ("中国社会科学院", "中国社科院"), ("中国工程院",),
    ("国务院发展研究中心",), ("中央广播电视总台",), ("中国气象局",), ("中国证券监督管理委员会", "中国证监会", "证监会"),
)

#: National bureaus managed by a ministry or commission: (name, managing body, short forms ...).
_BUREAUS = (
    ("国家粮食和物资储备局", "国家发展和改革委员会", "国家粮食和储备局"), ("国家能源局", "国家发展和改革委员会"),
    ("国家数据局", "国家发展和改革委员会"), ("国家国防科技工业局", "工业和信息化部", "国防科工局"),
    ("国家烟草专卖局", "工业和信息化部"), ("国家移民管理局", "公安部"), ("国家林业和草原局", "自然资源部", "国家林草局"),
    ("国家铁路局", "交通运输部"), ("中国民用航空局", "交通运输部", "中国民航局", "民航局"), ("国家邮政局", "交通运输部"),
    ("国家文物局", "文化和旅游部"), ("国家中医药管理局", "国家卫生健康委员会"), ("国家疾病预防控制局", "国家卫生健康委员会", "国家疾控局"),
    ("国家矿山安全监察局", "应急管理部"), ("国家消防救援局", "应急管理部"), ("国家外汇管理局", "中国人民银行", "外汇局"),
    ("国家药品监督管理局", "国家市场监督管理总局", "国家药监局"), ("国家知识产权局", "国家市场监督管理总局"),
    ("国家公务员局", "中共中央组织部"), ("国家版权局", "中共中央宣传部"), ("国家新闻出版署", "中共中央宣传部"),
    ("国家互联网信息办公室", "中共中央网络安全和信息化委员会办公室", "国家网信办"),
)


def _state() -> list[Body]:
    out = [_b(_SC, "中华人民共和国国务院", "中央人民政府")]
    managed = {name: (parent, short) for name, parent, *short in _BUREAUS}
    for name, *short in _STATE_COUNCIL:
        if name in managed:
            continue
        prc = [f"中华人民共和国{name}"] if not name.startswith(("国务院", "中国", "中央")) else []
        out.append(_b(name, *short, *prc, parent=_SC))
    for name, (parent, short) in managed.items():
        out.append(_b(name, *short, parent=parent))
    out += [_b(name, *short) for name, *short in _INSTITUTIONS]
    out += [
        _b("国家国防动员委员会", "国家国动委"),
        _b("最高人民法院", "最高法", "中华人民共和国最高人民法院"),
        _b("最高人民检察院", "最高检", "中华人民共和国最高人民检察院"),
    ]
    return out


def _parties_and_people() -> list[Body]:
    out = []
    for full, short in (
        ("中国国民党革命委员会", "民革"), ("中国民主同盟", "民盟"), ("中国民主建国会", "民建"), ("中国民主促进会", "民进"),
        ("中国农工民主党", "农工党"), ("中国致公党", "致公党"), ("九三学社", ""), ("台湾民主自治同盟", "台盟"),
    ):
        out.append(_b(full, *([short] if short else [])))
        out.append(_b(f"{full}中央委员会", (short or full) + "中央", *([f"{full}中央"] if short else []), parent=full))
    out += [
        _b("中华全国工商业联合会", "全国工商联"),
        _b("中华全国总工会", "全国总工会", "全总"),
        _b("中国共产主义青年团", "共青团"),
        _b("中国共产主义青年团中央委员会", "共青团中央", "团中央", parent="中国共产主义青年团"),
        _b("中华全国妇女联合会", "全国妇联", "妇联"),
        _b("中华全国青年联合会", "全国青联"),
        _b("中华全国学生联合会", "全国学联"),
        _b("中国科学技术协会", "中国科协"),
        _b("中华全国归国华侨联合会", "中国侨联", "全国侨联"),
        _b("中华全国台湾同胞联谊会", "全国台联"),
        _b("中国文学艺术界联合会", "中国文联"),
        _b("中国作家协会", "中国作协"),
        _b("中国残疾人联合会", "中国残联"),
        _b("中国红十字会", "中国红十字会总会"),
        _b("中国人民对外友好协会", "全国友协"),
        _b("中华全国新闻工作者协会", "中国记协"),
        # the central news organs
        _b("人民日报社", "人民日报"), _b("求是杂志社", "求是杂志"), _b("光明日报社", "光明日报"), _b("经济日报社", "经济日报"),
        _b("中国日报社", "中国日报"),
    ]
    return out


def _military() -> list[Body]:
    out = [
        _b(_PLA, "解放军", "人民解放军"),
        _b("中国人民武装警察部队", "武警部队", "中国武警"),
    ]
    for c, *short in (
        ("办公厅",), ("联合参谋部",), ("政治工作部",), ("后勤保障部",), ("装备发展部",), ("训练管理部",), ("国防动员部",),
        ("纪律检查委员会", "军委纪委"), ("政法委员会", "军委政法委"), ("科学技术委员会", "军委科技委"), ("审计署",),
    ):
        out.append(_b(f"中央军委{c}", f"中央军事委员会{c}", *short, parent=_CMC))
    for arm in ("陆军", "海军", "空军", "火箭军", "军事航天部队", "网络空间部队", "信息支援部队", "联勤保障部队"):
        out.append(_b(f"{_PLA}{arm}", f"解放军{arm}", parent=_PLA))
    for zone in ("东部战区", "南部战区", "西部战区", "北部战区", "中部战区"):
        out.append(_b(f"{_PLA}{zone}", zone, f"解放军{zone}", parent=_PLA))
    out += [_b("中国人民解放军军事科学院", "军事科学院", "军科院", parent=_PLA), _b("中国人民解放军国防大学", "国防大学", parent=_PLA),
            _b("中国人民解放军国防科技大学", "国防科技大学", parent=_PLA)]
    return out


def _international() -> list[Body]:
    """International and regional organizations China takes part in, as Chinese news names them."""
    un = "联合国"
    return [
        _b(un, "联合国组织"),
        _b("联合国安全理事会", "联合国安理会", "安理会", parent=un), _b("联合国大会", "联大", parent=un),
        _b("联合国教育、科学及文化组织", "联合国教科文组织", "教科文组织", parent=un),
        _b("联合国儿童基金会", parent=un), _b("联合国粮食及农业组织", "联合国粮农组织", "粮农组织", parent=un),
        _b("联合国人权理事会", parent=un), _b("联合国开发计划署", parent=un),
        _b("世界卫生组织", "世卫组织"), _b("国际劳工组织"), _b("世界贸易组织", "世贸组织"), _b("国际货币基金组织"),
        _b("世界银行", "世行"), _b("国际原子能机构"), _b("世界知识产权组织"), _b("国际电信联盟"), _b("国际奥林匹克委员会", "国际奥委会"),
        _b("东南亚国家联盟", "东盟"), _b("欧洲联盟", "欧盟"), _b("非洲联盟", "非盟"), _b("阿拉伯国家联盟", "阿盟"),
        _b("上海合作组织", "上合组织"), _b("亚太经济合作组织", "亚太经合组织"), _b("二十国集团"), _b("金砖国家"),
        _b("北大西洋公约组织", "北约"), _b("石油输出国组织", "欧佩克"), _b("海湾阿拉伯国家合作委员会", "海合会"),
        _b("亚洲基础设施投资银行", "亚投行"), _b("新开发银行", "金砖国家新开发银行"), _b("世界经济论坛"), _b("博鳌亚洲论坛"),
    ]


#: Every body the lexicon knows: the national ones, and the international organizations.
BODIES: tuple[Body, ...] = tuple(
    _central_departments() + _npc() + _cppcc() + _state() + _parties_and_people() + _military() + _international()
)

_BY_NAME: dict[str, Body] = {}
for _body in BODIES:
    for _n in _body.names:
        _BY_NAME.setdefault(_n, _body)

#: Every name of every body, longest first (for matching in running text).
NAMES: tuple[str, ...] = tuple(sorted(_BY_NAME, key=lambda n: (-len(n), n)))

#: A term number inside a name: 十四届, 第十四届.
TERM = re.compile(r"第?[一二三四五六七八九十]{1,3}届")


def body(name: str) -> Body | None:
    """The national body ``name`` names (a full name, a short form, or either with a term number).

    Examples
    --------
    >>> body("国办").name, body("十四届全国人大常委会").name, body("政协第十四届全国委员会").name
    ('国务院办公厅', '全国人民代表大会常务委员会', '中国人民政治协商会议全国委员会')
    >>> body("交通部") is None
    True
    """
    b = _BY_NAME.get(name)
    if b is None and TERM.search(name):
        b = _BY_NAME.get(TERM.sub("", name, count=1))
    return b


def parent_of(name: str) -> str:
    """Name of the body ``name`` is an organ, office or bureau of, or "".

    Examples
    --------
    >>> parent_of("中央政治局"), parent_of("市场监管总局"), parent_of("国家能源局"), parent_of("中央军委")
    ('中共中央', '国务院', '国家发展和改革委员会', '')
    """
    b = body(name)
    return b.parent if b else ""


#: Pieces that join two bodies named as one (中央纪委国家监委), empty or a conjunction.
_JOINS = ("", "、", "和", "与")


def split_joint(name: str) -> list[tuple[int, int]]:
    """Spans of the bodies in a joint name (two or more bodies written as one), or [].

    Examples
    --------
    >>> n = "中央纪委国家监委"
    >>> [n[s:e] for s, e in split_joint(n)]
    ['中央纪委', '国家监委']
    >>> split_joint("国家监委")
    []
    """
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(name):
        for n in NAMES:
            if name.startswith(n, i):
                out.append((i, i + len(n)))
                i += len(n)
                break
        else:
            if out and name[i] in "、和与":
                i += 1
                continue
            return []
    return out if len(out) >= 2 else []
