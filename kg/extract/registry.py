"""The registry of extractors: each registers by name what it needs of the article context and what it makes.

An extractor is a pure function of a :class:`~kg.extract.context.ArticleContext` that yields
frozen records::

    @register("post", needs=("org_spans", "person_spans"), makes=(Relation,))
    def posts(ctx: ArticleContext) -> Iterator[Relation]: ...

The registry checks both sides: a need the context does not provide is an error when the
extractor registers (E022), and a record of a type the extractor did not declare is an error
when it is made (E023). Every member of the context rests on one need
(:data:`kg.extract.context.MEMBER_NEEDS`; the article itself is every extractor's), and the
tests trace what each extractor reads on real text and hold it to what it declares, as spaCy's
``analyze_pipes`` holds components to their ``assigns`` and ``requires``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

from kg.errors import Errors, RegistryError
from kg.extract.context import PROVIDES, ArticleContext
from kg.model import Measure, Mention, Relation, Statement

Record = Mention | Relation | Measure | Statement

#: The record types an extractor may make.
RECORD_TYPES = (Mention, Relation, Measure, Statement)

#: Modules of this package that hold extractors, in the order they run.
MODULES = ("byline", "notes", "attribution", "ner", "post", "structure", "place", "policy", "event", "measure")


@dataclass(frozen=True)
class Extractor:
    """A registered extractor: its name, what it needs and makes, and the function."""

    name: str
    func: Callable[[ArticleContext], Iterable[Record]]
    needs: tuple[str, ...]
    makes: tuple[type, ...]
    summary: str = ""

    def __call__(self, ctx: ArticleContext) -> Iterator[Record]:
        for record in self.func(ctx):
            if not isinstance(record, self.makes):
                raise RegistryError(Errors.E023.format(
                    name=self.name, record=type(record).__name__, makes=", ".join(t.__name__ for t in self.makes)))
            yield record


_REGISTRY: dict[str, Extractor] = {}


def register(name: str, *, needs: Sequence[str] = (), makes: Sequence[type]) -> Callable:
    """Decorator that registers an extractor function under ``name``.

    Raises
    ------
    RegistryError
        A need the article context does not provide, a type that is not a record, or a name
        registered twice.

    Examples
    --------
    >>> register("nothing", needs=("horoscope",), makes=(Mention,))(lambda ctx: ())
    Traceback (most recent call last):
    ...
    kg.errors.RegistryError: [E022] extractor 'nothing' needs 'horoscope', which the extraction context does not provide (article, attributions, org_spans, person_spans, proven, province, sentences, titles, tokens)
    """
    for need in needs:
        if need not in PROVIDES:
            raise RegistryError(Errors.E022.format(name=name, need=need, choices=", ".join(sorted(PROVIDES))))
    for t in makes:
        if t not in RECORD_TYPES:
            raise RegistryError(Errors.E023.format(name=name, record=getattr(t, "__name__", t),
                                                   makes=", ".join(r.__name__ for r in RECORD_TYPES)))

    def deco(func: Callable[[ArticleContext], Iterable[Record]]) -> Callable:
        old = _REGISTRY.get(name)
        if old is not None and old.func.__qualname__ != func.__qualname__:
            raise RegistryError(Errors.E024.format(name=name, first=old.func.__module__, second=func.__module__))
        summary = (func.__doc__ or "").strip().split("\n")[0]
        _REGISTRY[name] = Extractor(name, func, tuple(needs), tuple(makes), summary)
        return func

    return deco


_LOADED: list[bool] = []  # set once every extractor module is imported (the registry is complete)


def _load_all() -> None:
    if not _LOADED:
        for mod in MODULES:
            importlib.import_module(f"kg.extract.{mod}")
        _LOADED.append(True)


def get(name: str) -> Extractor:
    """The extractor registered as ``name``.

    Examples
    --------
    >>> e = get("byline")
    >>> e.name, e.needs, [t.__name__ for t in e.makes]
    ('byline', (), ['Mention', 'Relation'])
    """
    _load_all()
    if name not in _REGISTRY:
        raise RegistryError(Errors.E020.format(name=name, choices=", ".join(names())))
    return _REGISTRY[name]


def names() -> tuple[str, ...]:
    """Names of every extractor, in running order.

    Examples
    --------
    >>> names()[:3]
    ('byline', 'notes', 'attribution')
    """
    _load_all()
    return tuple(n for m in MODULES for n, e in _REGISTRY.items() if e.func.__module__ == f"kg.extract.{m}")
