"""Chinese personal names: surnames, bylines and name-shaped strings."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from kg.lexicon import table
from kg.lexicon.orgs import canonical_org
from kg.lexicon.posts import TITLES as POST_TITLES

#: Common single-character surnames (general knowledge: the most frequent surnames of the
#: national census; ``data/names.tsv`` says where each list comes from).
SURNAMES_1 = frozenset(table.names("names.tsv", "surname"))
#: Compound surnames (the Hundred Family Surnames).
SURNAMES_2 = frozenset(table.names("names.tsv", "compound-surname"))
#: Rarer surnames of the census, for names in running text (:data:`SURNAMES_1` is the byline list).
RARE_SURNAMES = frozenset(table.names("names.tsv", "rare-surname"))

#: Words that introduce the names on a byline line of a page and are not names themselves.
BYLINE_PREFIXES = re.compile(
    r"^[■□●◆▲★◎]?\s*(本报(特约)?(记者|通讯员|评论员)|新华社(记者)?|通讯员|记者|实习生|特约撰稿人|文[/／:：]|作者[:：]?|撰文[:：]?)\s*"
)
_SEP = "，,、;；/／"
#: Separators between names (spaces are read by :func:`parse_authors` apart from these).
NAME_SEP = re.compile(f"[{_SEP}]+")

#: News agencies, broadcasters and national papers whose name stands before a reporter's
#: (新华社记者 …): general knowledge, the short forms bylines and datelines print.
AGENCIES = table.names("names.tsv", "agency")
#: Desks that name the paper, station or site the text is printed in (本报记者, 本台消息).
OWN_DESKS = table.names("names.tsv", "own-desk")
#: Role words of the people of a byline or credit: reporters and correspondents.
ROLE_WORDS = table.names("names.tsv", "byline-role")
_ALT = lambda words: "|".join(map(re.escape, sorted(words, key=len, reverse=True)))  # noqa: E731
#: An organization by its shape: a paper, station, agency or site not in :data:`AGENCIES`.
_SHAPED_AGENCY = (r"[\u3400-\u9fff]{2,10}?(?:日报社|日报|晚报|早报|商报|时报|青年报|报社|通讯社|新闻社|"
                  r"广播电视台|电视台|广播电台|新闻网|融媒体中心|杂志社)")
#: The name of an agency or desk (:data:`AGENCIES`, :data:`OWN_DESKS`, or a shaped one), as a pattern.
AGENCY_PATTERN = f"(?:{_ALT(AGENCIES + OWN_DESKS)}|{_SHAPED_AGENCY})"
#: A role word (:data:`ROLE_WORDS`), as a pattern.
ROLE_PATTERN = f"(?:{_ALT(ROLE_WORDS)})"
#: An organization credited with its reporters: 新华社记者, 本报特约记者, 某某日报通讯员.
CREDIT = re.compile(f"(?:^|(?<=[\\s{_SEP}:：]))(?P<org>{AGENCY_PATTERN})\\s*(?P<role>{ROLE_PATTERN})")
_AGENCY_ONLY = re.compile(f"{AGENCY_PATTERN}")
_LEAD_CREDIT = re.compile(f"[■□●◆▲★◎]?\\s*(?P<org>{AGENCY_PATTERN})\\s*(?P<role>{ROLE_PATTERN})\\s*")
#: Role words before the names of an author field ("作者：", "文/", "本报记者"); not names.
ROLES = re.compile(
    r"(?:\s*(?:(?:作者|撰文|文|图|记者|编译|整理|来源|by|(?:本期)?(?:主讲|讲述|口述)人)\s*[:：/／|]|本报记者|本报通讯员|"
    + ROLE_PATTERN + r"))+\s*", re.I
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


@dataclass(frozen=True)
class Byline:
    """What a byline credits: the people (authors) and the organizations (agencies, desks) they write for.

    ``agencies`` are the names as written, in the order first seen; a desk of the paper
    itself (:data:`OWN_DESKS`: 本报, 本台) stands for the publisher (see :func:`is_own_desk`).
    """

    people: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()


def is_own_desk(name: str) -> bool:
    """Whether ``name`` is a desk of the paper itself (本报, 本台), which stands for the publisher.

    Examples
    --------
    >>> is_own_desk("本报"), is_own_desk("新华社")
    (True, False)
    """
    return name in OWN_DESKS


def byline_source(byline: Byline) -> str:
    """The organization a byline credits as the article's source: its first agency that is not a
    desk of the paper itself (:func:`is_own_desk`), by its canonical name; ``""`` when none.

    A reader gives it as the article's publisher when the metadata names none.

    Examples
    --------
    >>> byline_source(split_byline("本报记者 张三、新华社记者 李四")), byline_source(split_byline("本报记者 张三"))
    ('新华通讯社', '')
    """
    agency = next((a for a in byline.agencies if not is_own_desk(a)), "")
    return canonical_org(agency)[0] if agency else ""


def parse_authors(value: object, *, page: bool = False) -> tuple[str, ...]:
    """Names of the authors in a byline: a line of a page, or an author field of metadata.

    Names are split on ``，,、;；/／`` and on spaces between full names; a name
    printed letter-spaced (``"方  颖"``) is joined again, and where single
    characters follow each other, wider gaps separate names (``"王 芳  李 明"``
    -> 王芳, 李明), or else two-character names where only those are name-shaped
    (``"王 芳 李 明"``); a lone character beside a name is part of it (``"欧阳 修"``).
    A name is given once, in the order first seen. An agency or desk credited with
    its reporters (``新华社记者``, ``本报记者``, ``某某日报通讯员``: :data:`CREDIT`) is
    no name; :func:`split_byline` gives it apart.

    Parameters
    ----------
    value
        The text; for metadata also a list of texts or of mappings with a ``"name"``,
        or None.
    page
        ``value`` is a line of a page, which holds names only if it looks like a
        byline: after the byline prefix words (:data:`BYLINE_PREFIXES`, or an agency
        and a role word) at most 40 characters in at most 8 names, each of them
        name-shaped (:func:`looks_like_name`), and a lone name of four characters only
        after a prefix or with a compound surname; otherwise ``()``. The names keep the
        line's characters, so they are found in it again. Without ``page`` the
        value is trusted metadata: it is NFC-normalised, agencies with their role
        words and role words (:data:`ROLES`) before a name are dropped, a piece that
        is only an agency's name is no name, and Latin names are kept with single
        spaces between their words.

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
    >>> parse_authors("新华社记者 王某 李某某")
    ('王某', '李某某')
    """
    return split_byline(value, page=page).people


def split_byline(value: object, *, page: bool = False) -> Byline:
    """The people and the agencies of a byline (see :func:`parse_authors` for ``value`` and ``page``).

    Examples
    --------
    >>> split_byline("新华社记者 王某 李某某")
    Byline(people=('王某', '李某某'), agencies=('新华社',))
    >>> split_byline("本报记者张三、某某日报记者李四")
    Byline(people=('张三', '李四'), agencies=('本报', '某某日报'))
    >>> split_byline("新华社记者 王某", page=True), split_byline("新华社")
    (Byline(people=('王某',), agencies=('新华社',)), Byline(people=(), agencies=('新华社',)))
    """
    if value is None:
        return Byline()
    items = [value] if page or not isinstance(value, (list, tuple)) else value
    names: list[str] = []
    agencies: list[str] = []
    prefixed = False
    for item in items:
        if page:  # the page's own characters, after the byline prefix words
            text = str(item).strip()
            prefix = BYLINE_PREFIXES.match(text)
            cut = prefix.end() if prefix else -1
            credit = _LEAD_CREDIT.match(text)
            if credit:
                agencies.append(credit["org"])
                cut = max(cut, credit.end())
            text, prefixed = (text[cut:], True) if cut >= 0 else (text, False)
            if len(text) > 40:
                return Byline()
            pieces = NAME_SEP.split(text)
        else:
            text = unicodedata.normalize("NFC", str(item.get("name", "") if isinstance(item, dict) else item))
            agencies.extend(m["org"] for m in CREDIT.finditer(text))
            text = _without_roles(CREDIT.sub("、", text))
            pieces = NAME_SEP.split(text)
        for piece in pieces:
            for name in _split_piece(piece) if page else _names_after_roles(piece):
                (agencies if not page and _AGENCY_ONLY.fullmatch(name) else names).append(name)
    found = _dedupe(names)
    if page and not _byline_shaped(found, prefixed):
        return Byline()
    return Byline(found, _dedupe(agencies))


@dataclass(frozen=True)
class Credit:
    """A credit in running text (a dateline, a bracketed reporters' line): names with their spans.

    ``people`` and ``agencies`` are ``(name, start, end)`` with ``text[start:end]`` the
    name as printed (letter-spaced names keep their spaces); ``start``/``end`` span the
    whole credit.
    """

    start: int
    end: int
    people: tuple[tuple[str, int, int], ...] = ()
    agencies: tuple[tuple[str, int, int], ...] = ()


_CJK_DIGIT = "0-9０-９"
#: A dateline at the head of a body: an agency or desk, a place, a date and 电 or 讯
#: (新华社某地6月1日电, 本报讯), and the reporters in brackets after it.
DATELINE = re.compile(
    f"[ \u3000]*(?P<org>{AGENCY_PATTERN})(?P<place>[\u3400-\u9fff]{{0,8}}?)"
    f"(?P<date>[{_CJK_DIGIT}]{{1,2}}月[{_CJK_DIGIT}]{{1,2}}日)?(?:电|讯)"
)
_BRACKET = re.compile("[ \u3000]*[（(](?P<inner>[^（）()\n]{1,80})[）)]")
_CREDIT_PART = re.compile(f"(?:(?P<org>{AGENCY_PATTERN})[ \u3000]*)?(?P<role>{ROLE_PATTERN})[ \u3000:：]*")
_CREDIT_NAME = re.compile(f"[{_CJK}·]{{2,6}}")


def parse_credit(text: str) -> Credit | None:
    """The credit at the head of ``text`` (a paragraph): a dateline, the reporters in brackets, or both.

    Reads ``本报某地6月1日电（记者 甲 乙）``, ``新华社某地6月1日电（记者甲、乙）``,
    ``本报讯（记者 甲 通讯员 乙）``, ``新华社某地6月1日电`` alone and ``（记者 甲）`` alone.
    The brackets hold role words (:data:`ROLE_WORDS`, an agency may stand before
    one) and names of two to six characters; anything else in them (a photo credit
    ending in 摄, a word) means they are no credit. A dateline without a date must
    be followed by a space, a bracket or a colon (本报电视… is no dateline).

    Returns
    -------
    Credit or None
        None when ``text`` opens with no credit.

    Examples
    --------
    >>> c = parse_credit("新华社某地6月1日电（记者 王某 李某某）正文")
    >>> c.start, c.end, c.agencies, c.people
    (0, 21, (('新华社', 0, 3),), (('王某', 14, 16), ('李某某', 17, 20)))
    >>> parse_credit("本报讯（记者 张  三 通讯员 李四）").people
    (('张三', 7, 11), ('李四', 16, 18))
    >>> parse_credit("（记者 张三 摄）"), parse_credit("本报电视节目"), parse_credit("会议指出，要加强。")
    (None, None, None)
    """
    head = DATELINE.match(text)
    agencies: list[tuple[str, int, int]] = []
    if head is not None:
        follow = text[head.end(): head.end() + 1]
        if not head["date"] and follow not in ("", " ", "\u3000", "（", "(", "：", ":"):
            head = None
        elif not head["date"] and not re.fullmatch(f"{_ALT(AGENCIES + OWN_DESKS)}", head["org"]):
            head = None  # a shaped name without a date: too loose to be a dateline
    if head is not None:
        agencies.append((head["org"], head.start("org"), head.end("org")))
    pos = head.end() if head else 0
    bracket = _BRACKET.match(text, pos)
    people = _credit_people(text, bracket.start("inner"), bracket.end("inner")) if bracket else None
    if people is None:
        if head is None:
            return None
        return Credit(head.start("org"), head.end(), (), tuple(agencies))
    names, more = people
    start = head.start("org") if head else bracket.start() + len(bracket.group()) - len(bracket.group().lstrip(" \u3000"))
    return Credit(start, bracket.end(), names, tuple(agencies + more))


def _credit_people(text: str, start: int, end: int):
    """People (and agencies) of the inside of a credit's brackets, ``text[start:end]``; None if it is none."""
    inner = text[start:end].rstrip(" \u3000")
    if inner.endswith("摄"):
        return None
    if inner.endswith("报道"):
        inner = inner[:-2]
    parts = list(_CREDIT_PART.finditer(inner))
    if not parts or parts[0].start() != len(inner) - len(inner.lstrip(" \u3000")):
        return None
    people: list[tuple[str, int, int]] = []
    agencies = [(m["org"], start + m.start("org"), start + m.end("org")) for m in parts if m["org"]]
    for m, nxt in zip(parts, parts[1:] + [None]):
        run_start, run_end = m.end(), nxt.start() if nxt else len(inner)
        run = inner[run_start:run_end]
        if not run.strip(" \u3000" + _SEP):
            return None  # a role word with no name
        pos = 0
        for piece in NAME_SEP.split(run):
            for name in _split_piece(piece):
                if not _CREDIT_NAME.fullmatch(name):
                    return None
                m2 = re.compile(r"[ \u3000]*".join(map(re.escape, name))).search(run, pos)
                pos = m2.end()
                people.append((name, start + run_start + m2.start(), start + run_start + m2.end()))
    if not people:
        return None
    return tuple(people), agencies


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
        if rest == name and len(name) > 5 and _TITLE_TAIL.search(name):
            continue  # the posts before a name (某某委员会副主任  某某), not a name
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
TRANSLIT = frozenset(table.names("names.tsv", "transliteration"))
#: Characters that never open a transliterated name glued in front of one (prepositions, conjunctions).
_NOT_TRANSLIT_START = frozenset(table.names("names.tsv", "not-transliteration-start"))

#: Titles a name is followed by in running text: the post titles, the leaders' titles of the
#: party and state, foreign titles and forms of address (general knowledge).
NAME_TITLES = tuple(sorted({*POST_TITLES, *table.names("names.tsv", "name-title")}, key=len, reverse=True))
_TITLE_OPENERS = ("常务", "常务副", "副", "代", "原", "前", "总")
#: The word that opens a narrator's line (讲述人：某某银行行长  王  某): an attribution before what they tell.
NARRATOR = r"(?:讲述人|讲述者|口述人|主讲人)[：:]"
#: :data:`NARRATOR` compiled, for a line's start.
NARRATOR_LINE = re.compile(NARRATOR)
_TITLE_PREFIX = r"(?:常务副|副|代|原|前|总|党组|党委|名誉|执行)?"
_TITLE_TAIL = re.compile(f"{_TITLE_PREFIX}(?:{'|'.join(map(re.escape, NAME_TITLES))})$")
_TITLE_HEAD = re.compile(f"^{_TITLE_PREFIX}(?:{'|'.join(map(re.escape, NAME_TITLES))})")


def is_transliteration(name: str) -> bool:
    """Whether every character of ``name`` (apart from the middle dot) is one of transliterated
    names (:data:`TRANSLIT`), for at least two of them.

    Examples
    --------
    >>> is_transliteration("施泰因迈尔"), is_transliteration("格列朗杰"), is_transliteration("奋楫")
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
