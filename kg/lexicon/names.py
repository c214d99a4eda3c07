"""Chinese personal names: surnames, bylines and name-shaped strings."""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from kg.lexicon.posts import TITLES as POST_TITLES

#: Common single-character surnames (general knowledge: the Hundred Family Surnames and the
#: most frequent surnames of the national census).
SURNAMES_1 = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
    "莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪"
    "梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简"
    "车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄"
    "丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区"
    "郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍"
    "辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揣干但尉冶斯元束檀衣"
    "信展阴昝智幸奉植衡富尧闭由习"
)
#: Compound surnames.
SURNAMES_2 = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "公孙", "慕容", "尉迟", "长孙", "宇文", "司徒",
    "夏侯", "端木", "申屠", "轩辕", "西门", "独孤", "南宫", "万俟", "闻人", "澹台", "公冶", "宗政", "濮阳",
    "太叔", "呼延", "钟离", "百里", "东郭", "拓跋", "完颜", "第五",
}

#: Words that introduce the names on a byline line of a page and are not names themselves.
BYLINE_PREFIXES = re.compile(
    r"^[■□●◆▲★◎]?\s*(本报(特约)?(记者|通讯员|评论员)|新华社(记者)?|通讯员|记者|实习生|特约撰稿人|文[/／:：]|作者[:：]?|撰文[:：]?)\s*"
)
_SEP = "，,、;；/／"
#: Separators between names (spaces are read by :func:`parse_authors` apart from these).
NAME_SEP = re.compile(f"[{_SEP}]+")
#: Role words before the names of an author field ("作者：", "文/", "本报记者"); not names.
ROLES = re.compile(
    r"(?:\s*(?:(?:作者|撰文|文|图|记者|编译|整理|来源|by)\s*[:：/／|]|本报记者|本报通讯员|特约记者|通讯员|记者))+\s*", re.I
)
_SPACE = re.compile(r"\s+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_NAME = re.compile(f"^[{_CJK}·]{{2,5}}$")
_CJK_TOKEN = re.compile(f"[{_CJK}\\U00020000-\\U0003134f·•]+")


def has_surname(name: str) -> bool:
    """Whether ``name`` starts with a known surname.

    Examples
    --------
    >>> has_surname("张三"), has_surname("欧阳修"), has_surname("创新")
    (True, True, False)
    """
    return name[:2] in SURNAMES_2 or name[:1] in SURNAMES_1


def looks_like_name(token: str) -> bool:
    """A 2–4 character CJK token that starts with a surname (5 with a compound surname).

    Examples
    --------
    >>> looks_like_name("李建国"), looks_like_name("加强职业"), looks_like_name("张")
    (True, False, False)
    """
    if not _NAME.match(token) or not has_surname(token):
        return False
    n = len(token)
    return 2 <= n <= 3 or (n == 4 and (token[:2] in SURNAMES_2 or token[1] in SURNAMES_1)) or (
        n == 5 and "·" in token
    )


def parse_authors(value: object, *, page: bool = False) -> tuple[str, ...]:
    """Names of the authors in a byline: a line of a page, or an author field of metadata.

    Names are split on ``，,、;；/／`` and on spaces between full names; a name
    printed letter-spaced (``"方  颖"``) is joined again, and where single
    characters follow each other, wider gaps separate names (``"王 芳  李 明"``
    -> 王芳, 李明), or else two-character names where only those are name-shaped
    (``"王 芳 李 明"``); a lone character beside a name is part of it (``"欧阳 修"``).
    A name is given once, in the order first seen.

    Parameters
    ----------
    value
        The text; for metadata also a list of texts or of mappings with a ``"name"``,
        or None.
    page
        ``value`` is a line of a page, which holds names only if it looks like a
        byline: after the byline prefix words (:data:`BYLINE_PREFIXES`) at most 40
        characters in at most 8 names, each of them name-shaped
        (:func:`looks_like_name`), and a lone name of four characters only after a
        prefix or with a compound surname; otherwise ``()``. The names keep the
        line's characters, so they are found in it again. Without ``page`` the
        value is trusted metadata: it is NFC-normalised, role words
        (:data:`ROLES`) before a name are dropped, and Latin names are kept with
        single spaces between their words.

    Returns
    -------
    tuple of str
        The names; ``()`` when there are none.

    Examples
    --------
    >>> parse_authors("本报记者 张三 李四", page=True), parse_authors("方  颖", page=True)
    (('张三', '李四'), ('方颖',))
    >>> parse_authors("加强职业教育与培训", page=True), parse_authors("图/张三", page=True)
    ((), ())
    >>> parse_authors("王  芳  李建国、John  Smith"), parse_authors("王 芳 李 明", page=True)
    (('王芳', '李建国', 'John Smith'), ('王芳', '李明'))
    >>> parse_authors(["文/王海生", {"name": "欧阳 修"}]), parse_authors(None)
    (('王海生', '欧阳修'), ())
    """
    if value is None:
        return ()
    items = [value] if page or not isinstance(value, (list, tuple)) else value
    names: list[str] = []
    prefixed = False
    for item in items:
        if page:  # the page's own characters, after the byline prefix words
            text = str(item).strip()
            prefix = BYLINE_PREFIXES.match(text)
            text, prefixed = (text[prefix.end():], True) if prefix else (text, False)
            if len(text) > 40:
                return ()
        else:
            text = _without_roles(unicodedata.normalize("NFC", str(item.get("name", "") if isinstance(item, dict) else item)))
        for piece in NAME_SEP.split(text):
            names.extend(_split_piece(piece) if page else _names_after_roles(piece))
    found = _dedupe(names)
    if page and not _byline_shaped(found, prefixed):
        return ()
    return found


def _byline_shaped(names: tuple[str, ...], prefixed: bool) -> bool:
    """Whether the names of a page line make it a byline (see :func:`parse_authors`)."""
    if not names or len(names) > 8 or not all(map(looks_like_name, names)):
        return False
    return prefixed or len(names) > 1 or len(names[0]) <= 3 or names[0][:2] in SURNAMES_2


def _without_roles(text: str) -> str:
    """``text`` without the role words at its start and after each separator."""
    return "".join(_drop_role(part) for part in re.split(f"(?<=[{_SEP}])", text))


def _drop_role(text: str) -> str:
    m = ROLES.match(text)
    return text[m.end():] if m else text


def _names_after_roles(piece: str) -> list[str]:
    """Names of a piece of an author field; a name that starts with role words is read again without them."""
    names: list[str] = []
    for name in _split_piece(piece):
        rest = _drop_role(name)
        names.extend(_names_after_roles(rest) if rest != name else [name])
    return names


def _dedupe(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _is_cjk_token(tok: str) -> bool:
    return bool(_CJK_TOKEN.fullmatch(tok))


def _split_piece(piece: str) -> list[str]:
    """Names in one separator-free piece: whitespace is either letter-spacing or a gap between names."""
    tokens: list[str] = []
    gaps: list[int] = []  # gaps[i] is the width of the space before tokens[i + 1]
    pos = 0
    piece = piece.strip()
    for m in _SPACE.finditer(piece):
        tokens.append(piece[pos : m.start()])
        gaps.append(sum(2 if c == "\u3000" else 1 for c in m.group()))
        pos = m.end()
    tokens.append(piece[pos:])
    names: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok:
            i += 1
        elif not _is_cjk_token(tok):  # a Latin (or mixed) name: its words run until the next CJK token
            j = i
            while j + 1 < len(tokens) and not _is_cjk_token(tokens[j + 1]):
                j += 1
            names.append(" ".join(tokens[i : j + 1]))
            i = j + 1
        elif len(tok) == 1:  # a run of single characters: a letter-spaced name, or several
            j = i
            while j + 1 < len(tokens) and len(tokens[j + 1]) == 1 and _is_cjk_token(tokens[j + 1]):
                j += 1
            names.extend(_join_letters(tokens[i : j + 1], gaps[i:j]))
            i = j + 1
        else:
            names.append(tok)
            i += 1
    # A lone character beside a full name is part of it ("欧阳 修"), if the result is name-sized.
    out: list[str] = []
    for name in names:
        if out and (len(name) == 1 or len(out[-1]) == 1) and _is_cjk_token(name) and _is_cjk_token(out[-1]):
            if len(out[-1]) + len(name) <= 4:
                out[-1] += name
                continue
        out.append(name)
    return out


def _join_letters(letters: list[str], gaps: list[int]) -> list[str]:
    """Single characters set apart: names split at the wider gaps (one name if the gaps are even),
    or else two-character names if those are name-shaped and the split ones are not (``王 芳 李 明``)."""
    if len(letters) == 1:
        return letters
    narrow = min(gaps)
    groups, cur = [], [letters[0]]
    for gap, letter in zip(gaps, letters[1:]):
        if gap > narrow:
            groups.append("".join(cur))
            cur = []
        cur.append(letter)
    groups.append("".join(cur))
    if not all(map(looks_like_name, groups)) and len(letters) % 2 == 0:
        pairs = [letters[i] + letters[i + 1] for i in range(0, len(letters), 2)]
        if all(map(looks_like_name, pairs)):
            return pairs
    return groups


#: Characters of transliterated foreign names and of Tibetan, Uyghur and Mongolian names as
#: Chinese writes them (general knowledge: the characters of the Xinhua transliteration tables).
TRANSLIT = frozenset(
    "阿埃艾爱安昂奥澳巴拜班邦保鲍贝本比彼毕宾波伯勃博布卜查察楚达戴黛丹旦道德登迪蒂丁东杜敦多厄恩尔"
    "法凡菲费芬丰弗伏福富盖甘冈戈哥格根贡古瓜圭哈海汉罕豪赫亨洪侯胡霍基吉加迦贾杰捷喀卡凯坎康考柯科克"
    "肯库夸奎昆拉莱赖兰朗劳勒雷蕾里丽利莉连琳留卢鲁伦罗洛吕马玛迈麦曼芒梅门蒙孟米密敏摩莫默姆穆纳娜乃"
    "奈南楠瑙内妮尼涅纽努诺欧帕潘庞佩彭皮珀普奇齐恰乔切钦琴丘屈萨塞赛桑瑟森沙莎尚舍什施斯松苏索塔泰坦"
    "汤唐陶特提廷通图托瓦万旺威韦维温沃乌伍西希锡席夏谢辛欣休雅亚延耶伊因尤约扎泽詹兹佐卓祖"
    "列龙绍蓬策茨斐夫明顿琼林嘉措错次仁旺堆央顿珠平措群培赤坚赞江村强曲久确热吐孜买依力更合木牙衣其琴额呼那日乐"
)
#: Characters that never open a transliterated name glued in front of one (prepositions, conjunctions).
_NOT_TRANSLIT_START = frozenset("和与同在向对为将把被从到及等")

#: Titles a name is followed by in running text: the post titles, the leaders' titles of the
#: party and state, foreign titles and forms of address (general knowledge).
NAME_TITLES = tuple(sorted({
    *POST_TITLES, "总书记", "委员长", "总理", "国务委员", "总统", "首相", "外长", "外交部长", "大使", "国王", "王储", "女王",
    "议长", "总督", "秘书长", "总干事", "总司令", "司令员", "政委", "政治委员", "将军", "同志", "先生", "女士", "夫人",
    "主席团", "常务委员", "副主任", "总工", "厂长", "主任委员", "检察长", "审判长", "军长", "师长", "旅长",
}, key=len, reverse=True))
_TITLE_OPENERS = ("常务", "常务副", "副", "代", "原", "前", "总")
_TITLE_PREFIX = r"(?:常务副|副|代|原|前|总|党组|党委|名誉|执行)?"
_TITLE_TAIL = re.compile(f"{_TITLE_PREFIX}(?:{'|'.join(map(re.escape, NAME_TITLES))})$")
_TITLE_HEAD = re.compile(f"^{_TITLE_PREFIX}(?:{'|'.join(map(re.escape, NAME_TITLES))})")


def is_transliteration(name: str) -> bool:
    """Whether every character of ``name`` (apart from the middle dot) is one of transliterated
    names (:data:`TRANSLIT`), for at least two of them.

    Examples
    --------
    >>> is_transliteration("马克龙"), is_transliteration("格列朗杰"), is_transliteration("奋楫")
    (True, True, False)
    """
    core = name.replace("·", "")
    return len(core) >= 2 and all(c in TRANSLIT for c in core)


def can_open_transliteration(char: str) -> bool:
    """Whether a single character LAC cut off may be the first of a transliterated name.

    Examples
    --------
    >>> can_open_transliteration("内"), can_open_transliteration("和")
    (True, False)
    """
    return char in TRANSLIT and char not in _NOT_TRANSLIT_START


def split_title(name: str) -> tuple[str, str]:
    """(name, title) of a name LAC read with the title that follows it.

    Examples
    --------
    >>> split_title("王某副委员长"), split_title("某某总书记"), split_title("李建国")
    (('王某', '副委员长'), ('某某', '总书记'), ('李建国', ''))
    """
    m = _TITLE_TAIL.search(name)
    if m and m.start() >= 2:
        return name[:m.start()], m.group(0)
    return name, ""


def title_glued(name: str, following: str) -> int:
    """How many last characters of ``name`` open a title that ``following`` goes on with
    (王某副 + 委员长: 1); 0 when none.

    Examples
    --------
    >>> title_glued("王某副", "委员长"), title_glued("王某", "委员长"), title_glued("李建国", "表示")
    (1, 0, 0)
    """
    for k in (2, 1):
        if len(name) - k >= 2 and name[-k:] in _TITLE_OPENERS and _TITLE_HEAD.match(following):
            return k
    return 0


def is_title(word: str) -> bool:
    """Whether ``word`` is a post title or form of address (副主席, 总统, 同志).

    Examples
    --------
    >>> is_title("副主席"), is_title("总统"), is_title("会见")
    (True, True, False)
    """
    return bool(_TITLE_HEAD.match(word)) and bool(_TITLE_TAIL.search(word)) and _TITLE_HEAD.match(word).end() == len(word)
