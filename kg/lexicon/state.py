"""The structure of the Chinese party and state: national bodies, their short forms and parents.

General knowledge, as any handbook of Chinese institutions lists it (``data/state.tsv``, with
the source of each entry): the central organs of
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

from kg.lexicon import table


@dataclass(frozen=True)
class Body:
    """A national body: its name (canonical), other names (short forms) and parent's name."""

    name: str
    short: tuple[str, ...] = ()
    parent: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.short)


#: Every body the lexicon knows (``data/state.tsv``): the national ones, and the international organizations.
BODIES: tuple[Body, ...] = tuple(Body(e.name, e.other, e.parent) for e in table.entries("state.tsv"))

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
