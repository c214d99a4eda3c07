"""Chinese personal names: surnames, bylines and name-shaped strings."""

from __future__ import annotations

import re

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

#: Words that introduce the names in a byline and are not names themselves.
BYLINE_PREFIXES = re.compile(
    r"^[■□●◆▲★◎]?\s*(本报(特约)?(记者|通讯员|评论员)|新华社(记者)?|通讯员|记者|实习生|特约撰稿人|文[/／:：]|作者[:：]?|撰文[:：]?)\s*"
)
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_NAME = re.compile(f"^[{_CJK}·]{{2,5}}$")


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


def split_byline(text: str) -> tuple[str, ...]:
    """Names of a byline line, or ``()`` when the line is not a byline.

    Names may be separated by spaces, 、 or ， ; a name set with letter-spacing
    ("方  颖") is joined when both halves are too short to be names.

    Examples
    --------
    >>> split_byline("王芳 李建国")
    ('王芳', '李建国')
    >>> split_byline("本报记者 张三 李四")
    ('张三', '李四')
    >>> split_byline("方  颖")
    ('方颖',)
    >>> split_byline("加强职业教育与培训")
    ()
    """
    t = text.strip()
    prefix = BYLINE_PREFIXES.match(t)
    rest = t[prefix.end():] if prefix else t
    if not rest or len(rest) > 40:
        return ()
    tokens = [x for x in re.split(r"[\s\u3000、，,；;/]+", rest) if x]
    merged: list[str] = []
    for tok in tokens:
        if merged and len(merged[-1]) == 1 and len(tok) <= 2:
            merged[-1] += tok  # letter-spaced name: 方 颖
        else:
            merged.append(tok)
    if not merged or len(merged) > 8:
        return ()
    if not all(looks_like_name(m) for m in merged):
        return ()
    if len(merged) == 1 and not prefix and len(merged[0]) > 3 and merged[0][:2] not in SURNAMES_2:
        return ()
    return tuple(merged)
