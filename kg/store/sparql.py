"""Reading SPARQL: the guards that run before any parser, rdflib's SPARQL 1.1 parser, and what its tree tells.

A query is read once by a real parser (rdflib's, which rdflib ships for its own engine) into
:class:`Parsed`: its form, the prefixes it declares and uses, whether it would fetch (``SERVICE``,
``LOAD``), its projection, its final ``LIMIT``, the variables its pattern binds, the terms of the
known vocabularies it names and the parameters it declares. Only three checks run before the
parser, because the parser itself is at risk without them: the size, control characters and the
nesting depth (:func:`check_text`).

The few changes made to a query's text are placed at tokens the parse confirmed
(:func:`rewrite`): an explicit projection for ``SELECT *``, one row past the final ``LIMIT``, a
``VALUES`` block of parameters and the standard prefixes for an endpoint. A parameter's value is
never pasted: it is an RDF term (:func:`bind`) that pyoxigraph binds by substitution, or that
pyoxigraph serializes into the ``VALUES`` block an endpoint is sent.
"""

from __future__ import annotations

import difflib
import functools
import re
import sys
import threading
import traceback
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import pyoxigraph as ox
from rdflib import URIRef, Variable
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, VOID, XSD

from kg.errors import Errors, QueryError, one_line
from kg.rdf.vocab import ITSRDF, NIF, NKG, PREFIXES

__all__ = ["MAX_DEPTH", "MAX_QUERY_CHARS", "QUERY_PREFIXES", "Param", "Parsed", "bind", "can_rewrite_limit",
           "check_text", "declared_params", "describe_params", "keyword_position", "on_big_stack", "parse", "rewrite",
           "where"]

#: Prefixes every query may use without declaring them.
QUERY_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()} | {"rdf": str(RDF)}

#: Deepest nesting of ``{``, ``(`` and ``[`` (a run of ``!``, ``-``, ``+`` or ``^`` counts too) a query
#: may have: parsers recurse once per level (oxigraph's overflows its stack at a few thousand).
MAX_DEPTH = 200

#: Longest query text accepted, in characters.
MAX_QUERY_CHARS = 1 << 20

# The lexer of the guards: enough to tell brackets and words from what strings, IRIs and comments hold.
_NAME_END = r"""[^\s{}()\[\],;.'"<>=!&|+*/^#?$]"""
_TOKEN = re.compile(r"""
    (?P<skip>\s+|\#[^\n\r]*)
  | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<open_string>["'])
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]""" + _NAME_END + r"""*)
  | (?P<word>(?:""" + _NAME_END + r"""|:)(?:(?:""" + _NAME_END + r"""|[.:-])*(?:""" + _NAME_END + r"""|[:-]))?)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<unary>[!+^-])
  | (?P<other>.)
""", re.X | re.S)
_ESCAPE = re.compile(r"\\\\|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")  # an escaped backslash first: "\\U0000" holds no escape
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PARAM = re.compile(r"^[ \t]*#[ \t]*@param[ \t]+([A-Za-z_][A-Za-z0-9_]*)(@[A-Za-z]+(?:-[A-Za-z0-9]+)*|:iri)?"
                    r"(?:[ \t]+(required))?(?:[ \t]+(.*?))?[ \t]*$", re.M)

_FORMS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct", "DescribeQuery": "construct"}
_FETCHING = {"ServiceGraphPattern": ("service", "a SERVICE clause"), "Load": ("load", "a LOAD update")}

#: SPARQL 1.1 keywords and function names, for "did you mean" on a misspelt one.
KEYWORDS = frozenset("""
    SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED LIMIT OFFSET ORDER BY GROUP
    HAVING OPTIONAL UNION MINUS FILTER BIND VALUES GRAPH SERVICE SILENT AS EXISTS NOT IN INSERT DELETE DATA
    WITH USING DEFAULT ALL CLEAR DROP CREATE LOAD COPY MOVE ADD TO INTO ASC DESC UNDEF SEPARATOR COUNT SUM
    MIN MAX AVG SAMPLE GROUP_CONCAT STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR
    ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH
    DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG
    STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRUE FALSE
""".split())


def _names(ns) -> frozenset[str]:
    return frozenset(getattr(ns, "__annotations__", {})) | frozenset(getattr(ns, "_extras", ()))


#: The vocabularies whose terms a query is checked against: namespace -> (what to call it, its terms).
VOCABULARIES = {
    str(ns._NS): (label, _names(ns)) for ns, label in (
        (SDO, "schema.org"), (ORG, "the W3C Organization Ontology"), (PROV, "PROV-O"), (RDF, "RDF"),
        (RDFS, "RDF Schema"), (XSD, "XML Schema datatypes"), (SKOS, "SKOS"), (DCTERMS, "DCMI terms"),
        (VOID, "VoID"), (OWL, "OWL"), (NKG, "the newskg ontology"), (NIF, "NIF, as newskg uses it"),
        (ITSRDF, "ITS RDF, as newskg uses it"))
}


@dataclass(frozen=True)
class Param:
    """A parameter a query declares with a comment line ``# @param NAME[@LANG|:iri] [required] WHAT``.

    ``NAME`` is the variable it binds (``?NAME``); ``@zh`` makes the value a literal in that
    language, ``:iri`` an IRI, neither a plain string.
    """

    name: str
    lang: str | None = None
    iri: bool = False
    required: bool = False
    what: str = ""

    def __str__(self) -> str:
        return f"{self.name}{'@' + self.lang if self.lang else ':iri' if self.iri else ''}"


@dataclass(frozen=True)
class Parsed:
    """What the parse of one query (or update) says; see :func:`parse`."""

    text: str
    form: str  # select, ask, construct (also DESCRIBE) or update
    declared: tuple[tuple[str, str], ...] = ()  # PREFIX declarations, in order
    used: tuple[str, ...] = ()  # prefixes its prefixed names use, in order
    star: bool = False  # SELECT *
    projection: tuple[str, ...] = ()  # the variables a SELECT names (an AS target too)
    order: tuple[str, ...] = ()  # every variable, in the order the query names it first
    bound: frozenset[str] = frozenset()  # the variables its pattern can bind
    limit: int | None = None  # the final LIMIT (of the query, not of a subquery)
    fetches: str | None = None  # "service" or "load" when it would make the machine fetch a URL
    template: bool = False  # a CONSTRUCT with a template (not CONSTRUCT WHERE)
    params: tuple[Param, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def prefixes(self) -> dict[str, str]:
        """The declared prefixes as a dict."""
        return dict(self.declared)


# ---------------------------------------------------------------- before any parser


def _tokens(text: str) -> Iterator[re.Match]:
    return (m for m in _TOKEN.finditer(text) if m.lastgroup != "skip")


def keyword_position(text: str, word: str) -> tuple[int, int]:
    """Line and column of the first ``word`` (a keyword, any case) outside strings, IRIs and comments.

    Examples
    --------
    >>> keyword_position('ASK { ?s ?p "service" } # service\\n SERVICE', "SERVICE")
    (2, 2)
    """
    for m in _tokens(text):
        if m.lastgroup == "word" and m.group().upper() == word:
            return where(text, m.start())
    return 1, 1


def where(text: str, pos: int) -> tuple[int, int]:
    """``(line, column)`` of character ``pos`` of ``text``, both from 1.

    Examples
    --------
    >>> where("ab\\ncd", 3)
    (2, 1)
    """
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def check_text(text: str, *, max_depth: int = MAX_DEPTH, max_chars: int = MAX_QUERY_CHARS) -> None:
    """Refuse, before any parser sees it, a query that is too long, holds control characters or nests too deep.

    Brackets ``{ ( [`` may nest ``max_depth`` deep (a run of unary operators ``! - + ^`` adds to
    it); what strings, IRIs and comments hold counts for nothing. The depth is measured on the text
    as oxigraph reads it and as it reads with every ``\\u`` escape expanded (as rdflib and SPARQL 1.1
    read it).

    Raises
    ------
    QueryError
        [E101] nested too deep; [E102] longer than ``max_chars``; [E103] a NUL or other control character.

    Examples
    --------
    >>> check_text('SELECT * { ?s ?p "{{{{" }', max_depth=3)
    >>> check_text("ASK { " + "{" * 300 + "}" * 300 + " }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: [E101] query nested more than 200 levels deep at line 1, column 206
    """
    if len(text) > max_chars:
        raise QueryError(Errors.E102.format(size=len(text), limit=max_chars))
    if bad := _CONTROL.search(text):
        line, column = where(text, bad.start())
        raise QueryError(Errors.E103.format(code=ord(bad.group()), line=line, column=column))
    _depth(text, max_depth)
    expanded = _ESCAPE.sub(lambda m: _unescape(m.group()), text)
    if expanded != text:
        _depth(expanded, max_depth)


def _unescape(escape: str) -> str:
    if escape == "\\\\":
        return escape  # an escaped backslash: no code point
    code = int(escape[2:], 16)
    return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else escape


def _depth(text: str, max_depth: int) -> None:
    depth = run = 0
    for m in _tokens(text):
        kind = m.lastgroup
        if kind == "open_string":
            return  # unterminated: the parser says where
        run = run + 1 if kind == "unary" else 0
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        if depth + run > max_depth:
            line, column = where(text, m.start())
            raise QueryError(Errors.E101.format(limit=max_depth, line=line, column=column))


# ---------------------------------------------------------------- the parser

_RECURSION_LOCK = threading.Lock()
_RECURSION_USERS = [0, 0]  # threads parsing now, the limit before the first of them
_STACK_BYTES = 512 << 20
_STACK_LOCK = threading.Lock()
#: Python frames the parser may use: rdflib's grammar recurses per nesting level and per triple.
_RECURSION = 1_000_000


def on_big_stack(fn: Callable[[], Any]) -> Any:
    """``fn()`` in a thread with a 512 MiB stack (address space only; pages are used as it grows).

    Parsers and engines recurse deeply on long chains (``a || b || …``, ``UNION``, thousands of
    triple patterns) even when the nesting is shallow. Exceptions are re-raised here, without
    their frames.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:  # re-raised in the caller, without the frames
            seen = exc
            while seen is not None:
                traceback.clear_frames(seen.__traceback__)
                seen = seen.__cause__ or seen.__context__
            box["error"] = exc.with_traceback(None)

    with _STACK_LOCK:
        previous = threading.stack_size(_STACK_BYTES)
        try:
            worker = threading.Thread(target=target, name="kg-sparql", daemon=True)
            worker.start()
        finally:
            threading.stack_size(previous)
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


def _deep(fn: Callable[[], Any]) -> Any:
    """``fn()`` with Python's recursion limit raised while it runs (on a big stack: see :func:`on_big_stack`)."""
    with _RECURSION_LOCK:
        if _RECURSION_USERS[0] == 0:
            _RECURSION_USERS[1] = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_RECURSION, _RECURSION_USERS[1]))
        _RECURSION_USERS[0] += 1
    try:
        return fn()
    finally:
        with _RECURSION_LOCK:
            _RECURSION_USERS[0] -= 1
            if _RECURSION_USERS[0] == 0:
                sys.setrecursionlimit(_RECURSION_USERS[1])


def _for_parser(text: str) -> str:
    """``text`` with each ``\\u`` escape (and each escaped backslash, so that ``"\\\\U0000"`` is read as
    oxigraph reads it: no escape) made letters of the same length.

    oxigraph reads escapes only inside strings and IRIs, rdflib everywhere before it parses:
    ``"a\\u005C" SERVICE …`` would be a string to rdflib and a SERVICE clause to oxigraph. Without
    escapes, both read the same structure (an escape outside a string is an error in oxigraph).
    """
    return _ESCAPE.sub(lambda m: "x" * len(m.group()), text)


@functools.lru_cache(maxsize=256)
def parse(text: str) -> Parsed:
    """Read a SPARQL 1.1 query or update with rdflib's parser and say what it is and does.

    Call :func:`check_text` first. The parse runs on a large stack with a high recursion limit
    (rdflib's grammar recurses per nesting level and per triple pattern); its result is cached by
    text. The query may use the prefixes of :data:`QUERY_PREFIXES` without declaring them; any
    other undeclared prefix is an error, not a query with no answer. Terms of the known
    vocabularies that do not exist, and projected variables the pattern never binds, are
    ``warnings`` (the query still runs).

    Raises
    ------
    QueryError
        [E011] a syntax error, an undeclared prefix or an empty query, with its line and column.

    Examples
    --------
    >>> p = parse("SELECT * WHERE { ?s schema:name ?name } LIMIT 5")
    >>> p.form, p.star, p.order, p.limit, p.used
    ('select', True, ('s', 'name'), 5, ('schema',))
    >>> parse("PREFIX ex: <urn:ex:> INSERT DATA { ex:a ex:b ex:c }").form
    'update'
    >>> parse("SELEC ?x WHERE { ?x ?p ?o }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: [E011] query syntax error at line 1, column 1: SELEC is not a SPARQL keyword (did you mean SELECT?)
    >>> parse("SELECT ?nmae WHERE { ?p schema:Persn ?name }").warnings  # doctest: +NORMALIZE_WHITESPACE
    ('[W132] line 1, column 25: schema:Persn is not a term of schema.org (did you mean schema:Person?); it matches nothing',
     '[W133] ?nmae is projected but never bound by the pattern (did you mean ?name?); its column is empty')
    """
    return on_big_stack(lambda: _deep(lambda: _parse(text)))


def _parse(text: str) -> Parsed:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not text.strip() or all(m.lastgroup == "skip" for m in _TOKEN.finditer(text)):
        raise QueryError(Errors.E011.format(line=1, column=1, why="the query is empty"))
    readable = _for_parser(text)
    try:
        tree, form = parseQuery(readable), None
    except Exception as query_error:  # pyparsing's ParseException, and what rdflib's parse actions raise
        try:
            tree, form = parseUpdate(readable), "update"
        except Exception as update_error:
            raise _syntax_error(text, query_error, update_error) from None
        if not _get(tree, "request"):  # a prologue alone is an empty update: no request at all
            raise _syntax_error(text, query_error) from None
    if form is None:
        form = _FORMS.get(getattr(tree[1], "name", ""), "select")
    nodes = list(_walk(tree))
    declared = tuple((str(_get(n, "prefix") or ""), str(_get(n, "iri"))) for n in nodes if _name(n) == "PrefixDecl")
    used = tuple(dict.fromkeys(str(_get(n, "prefix") or "") for n in nodes if _name(n) == "pname"))
    _check_prefixes(text, dict(declared), used)
    fetches = next((_FETCHING[_name(n)][0] for n in nodes if _name(n) in _FETCHING), None)
    star, projection, order, bound, limit, template = False, (), (), frozenset(), None, False
    if form != "update":
        query = tree[1]
        order = tuple(dict.fromkeys(str(n) for n in nodes if isinstance(n, Variable)))
        bound = frozenset(str(n) for n in _walk(_get(query, "where")) if isinstance(n, Variable))
        bound |= frozenset(str(n) for n in _walk(_get(query, "valuesClause")) if isinstance(n, Variable))
        if query.name == "SelectQuery":
            star = _get(query, "projection") is None
            projection = tuple(str(_get(v, "var") or _get(v, "evar")) for v in _get(query, "projection") or ())
            bound |= {str(_get(v, "evar")) for v in _get(query, "projection") or () if _get(v, "evar") is not None}
        limit_offset = _get(query, "limitoffset")
        if limit_offset is not None and _get(limit_offset, "limit") is not None:
            limit = int(_get(limit_offset, "limit"))
        template = query.name == "ConstructQuery" and _get(query, "template") is not None
    params = declared_params(text)
    warnings = _unknown_terms(text, dict(declared), nodes)
    if projection:
        warnings += _unbound(projection, bound, {p.name for p in params})
    return Parsed(text, form, declared, used, star, projection, order, bound, limit, fetches, template, params,
                  tuple(warnings))


def _get(node, key: str):
    """``node[key]`` of an rdflib CompValue, or None (its own ``get`` returns the key when it is missing)."""
    return dict.get(node, key) if isinstance(node, dict) else None


def _name(node) -> str:
    return getattr(node, "name", "") if isinstance(node, dict) else ""


def _walk(node) -> Iterator[Any]:
    """Every node of an rdflib parse tree, depth first, in the order of the text."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n is None:
            continue
        yield n
        if isinstance(n, dict):  # rdflib's CompValue
            stack.extend(reversed([v for k, v in n.items() if not str(k).startswith("_")]))
        elif isinstance(n, (list, tuple)) or type(n).__name__ == "ParseResults":
            stack.extend(reversed(list(n)))


def _syntax_error(text: str, *errors: BaseException) -> QueryError:
    """[E011] at the place the parse that got furthest stopped, saying what is there."""
    exc = max(errors, key=lambda e: getattr(e, "loc", -1))
    loc = getattr(exc, "loc", None)
    if loc is None:
        return QueryError(Errors.E011.format(line=1, column=1, why=one_line(exc)[:160] or type(exc).__name__))
    m = next((t for t in _TOKEN.finditer(text, min(loc, len(text))) if t.lastgroup != "skip"), None)
    if m is None:
        line, column = where(text, len(text.rstrip()))
        kinds = [t.lastgroup for t in _tokens(text)]
        hint = " (a closing } or ) missing?)" if kinds.count("open") > kinds.count("close") else ""
        return QueryError(Errors.E011.format(line=line, column=column, why=f"the query ends too soon{hint}"))
    line, column = where(text, m.start())
    token = m.group()
    word = token.upper()
    if m.lastgroup == "word" and ":" not in token and word not in KEYWORDS:
        near = difflib.get_close_matches(word, KEYWORDS, n=1, cutoff=0.75)
        hint = f" (did you mean {near[0]}?)" if near else ""
        why = f"{token} is not a SPARQL keyword{hint}"
    else:
        why = f"unexpected {token[:40]}{'…' if len(token) > 40 else ''}"
    return QueryError(Errors.E011.format(line=line, column=column, why=why))


def _position(text: str, prefixed: str) -> tuple[int, int]:
    """Line and column of the first word token that is or starts ``prefixed`` (a prefixed name)."""
    for m in _tokens(text):
        if m.lastgroup == "word" and (m.group() == prefixed or m.group().startswith(prefixed)):
            return where(text, m.start())
    return 1, 1


def _check_prefixes(text: str, declared: dict[str, str], used: tuple[str, ...]) -> None:
    for prefix in used:
        if prefix not in declared and prefix not in QUERY_PREFIXES:
            line, column = _position(text, f"{prefix}:")
            known = ", ".join(f"{p}:" for p in sorted(QUERY_PREFIXES))
            why = (f"prefix {prefix}: is not declared (add PREFIX {prefix}: <…>; these need no declaration: "
                   f"{known})")
            raise QueryError(Errors.E011.format(line=line, column=column, why=why))


def _unknown_terms(text: str, declared: dict[str, str], nodes: list) -> list[str]:
    """[W132] for each term of a known vocabulary that the vocabulary does not have, with the nearest one."""
    prefixes = QUERY_PREFIXES | declared
    short = {ns: p for p, ns in sorted(QUERY_PREFIXES.items(), reverse=True)}
    out, seen = [], set()
    for n in nodes:
        if _name(n) == "pname":
            prefix, local = str(_get(n, "prefix") or ""), str(_get(n, "localname") or "")
            iri, shown = prefixes.get(prefix, "") + local, f"{prefix}:{local}"
        elif isinstance(n, URIRef):
            iri, shown = str(n), f"<{n}>"
        else:
            continue
        ns = next((v for v in VOCABULARIES if iri.startswith(v)), None)
        if ns is None or iri in seen:
            continue
        seen.add(iri)
        label, terms = VOCABULARIES[ns]
        local = iri[len(ns):]
        if not local or local in terms:
            continue
        near = _nearest(local, terms)
        name = f"{short.get(ns, '')}:{near}" if short.get(ns) else f"<{ns}{near}>"
        hint = f" (did you mean {name}?)" if near else ""
        line, column = _position(text, shown) if shown[0] != "<" else _iri_position(text, iri)
        out.append(Errors.W132.format(line=line, column=column, term=shown, vocabulary=label, hint=hint))
    return out


def _iri_position(text: str, iri: str) -> tuple[int, int]:
    pos = text.find(f"<{iri}>")
    return where(text, pos) if pos >= 0 else (1, 1)


def _nearest(word: str, choices) -> str | None:
    """The choice nearest ``word`` (the same but for case first), or None."""
    lower = {c.lower(): c for c in choices}
    if word.lower() in lower:
        return lower[word.lower()]
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return near[0] if near else None


def _unbound(projection: tuple[str, ...], bound: frozenset[str], params: set[str]) -> list[str]:
    """[W133] for each projected variable that nothing in the pattern binds (a parameter is bound by its value)."""
    out = []
    for name in projection:
        if name not in bound and name not in params:
            near = _nearest(name, bound)
            hint = f" (did you mean ?{near}?)" if near else ""
            out.append(Errors.W133.format(var=name, hint=hint))
    return out


# ---------------------------------------------------------------- parameters


def declared_params(text: str) -> tuple[Param, ...]:
    """The parameters a query declares, each with a comment line ``# @param NAME[@LANG|:iri] [required] WHAT``.

    Examples
    --------
    >>> declared_params("# @param person@zh the person's name\\n# @param year required a year\\nSELECT …")
    (Param(name='person', lang='zh', iri=False, required=False, what="the person's name"), Param(name='year', lang=None, iri=False, required=True, what='a year'))
    """
    out = {}
    for m in _PARAM.finditer(text):
        kind = m.group(2) or ""
        out.setdefault(m.group(1), Param(m.group(1), kind[1:] if kind.startswith("@") else None, kind == ":iri",
                                         m.group(3) == "required", m.group(4) or ""))
    return tuple(out.values())


def bind(parsed: Parsed, values: dict[str, str] | None) -> dict[str, ox.NamedNode | ox.Literal]:
    """The RDF terms ``values`` give the parameters ``parsed`` declares, by name.

    A value becomes a literal (in the parameter's language, when it declares one) or, for an
    ``:iri`` parameter, an IRI; it is never pasted into the query's text.

    Raises
    ------
    QueryError
        [E104] an unknown parameter; [E105] a required one not given; [E106] a value that is not an
        IRI where one is due, or a parameter a SELECT does not project (SPARQL binds only those).

    Examples
    --------
    >>> p = parse("# @param person@zh the name\\nSELECT ?person WHERE { ?x schema:name ?person }")
    >>> bind(p, {"person": "张三"})
    {'person': <Literal value=张三 language=zh>}
    >>> bind(p, {"who": "张三"})
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: [E104] the query has no parameter 'who'; its parameters: person@zh (the name)
    """
    values = dict(values or {})
    declared = {p.name: p for p in parsed.params}
    for name in values:
        if name not in declared:
            raise QueryError(Errors.E104.format(name=name, params=describe_params(parsed.params)))
    missing = [p.name for p in parsed.params if p.required and p.name not in values]
    if missing:
        raise QueryError(Errors.E105.format(names=", ".join(missing), params=describe_params(parsed.params)))
    terms: dict[str, ox.NamedNode | ox.Literal] = {}
    for name, value in values.items():
        param = declared[name]
        if parsed.form == "select" and not parsed.star and name not in parsed.projection:
            raise QueryError(Errors.E106.format(name=name, why="the SELECT does not project it, and SPARQL binds "
                                                "only projected variables; add ?" + name + " to the SELECT"))
        if param.iri:
            try:
                terms[name] = ox.NamedNode(value)
            except ValueError as exc:
                raise QueryError(Errors.E106.format(name=name, why=f"{value!r} is not an IRI ({one_line(exc)})")) from None
        else:
            terms[name] = ox.Literal(value, language=param.lang) if param.lang else ox.Literal(value)
    return terms


def describe_params(params: tuple[Param, ...]) -> str:
    """``person@zh (the person's name), year (required: a year)``, or ``none``.

    Examples
    --------
    >>> describe_params((Param("year", required=True, what="a year"),))
    'year (required: a year)'
    """
    if not params:
        return "none (declare them with comment lines # @param NAME WHAT)"
    return ", ".join(f"{p}" + (f" ({'required: ' if p.required else ''}{p.what})" if p.what or p.required else "")
                     for p in params)


# ---------------------------------------------------------------- rewrites at the tokens the parse confirmed


def _where_brace(parsed: Parsed) -> int | None:
    """Offset of the ``{`` that opens the query's WHERE pattern (after a CONSTRUCT's template)."""
    depth, skip = 0, parsed.template
    for m in _tokens(parsed.text):
        if m.lastgroup == "open" and m.group() == "{":
            if depth == 0 and not skip:
                return m.start()
            depth += 1
        elif m.lastgroup == "close" and m.group() == "}":
            depth = max(0, depth - 1)
            if depth == 0:
                skip = False
    return None


def _limit_token(parsed: Parsed) -> re.Match | None:
    """The number of the query's own final ``LIMIT`` (outside every ``{ }``), when the parse found one."""
    depth, found, previous = 0, None, None
    for m in _tokens(parsed.text):
        if m.lastgroup == "open" and m.group() == "{":
            depth += 1
        elif m.lastgroup == "close" and m.group() == "}":
            depth = max(0, depth - 1)
        elif depth == 0 and previous is not None and previous.group().upper() == "LIMIT" and m.group().isdigit():
            found = m
        previous = m if m.lastgroup == "word" and depth == 0 else None
    if found is None or parsed.limit is None or int(found.group()) != parsed.limit:
        return None
    return found


def _star_token(parsed: Parsed) -> re.Match | None:
    """The ``*`` of ``SELECT *`` (of the query, not of a subquery)."""
    tokens = _tokens(parsed.text)
    for m in tokens:
        if m.lastgroup == "word" and m.group().upper() == "SELECT":
            m = next(tokens, None)
            if m is not None and m.group().upper() in ("DISTINCT", "REDUCED"):
                m = next(tokens, None)
            return m if m is not None and m.group() == "*" else None
    return None


def rewrite(parsed: Parsed, *, projection: tuple[str, ...] | None = None, limit: int | None = None,
            values: dict[str, ox.NamedNode | ox.Literal] | None = None, prefixes: dict[str, str] | None = None) -> str:
    """The query's text with an explicit projection for ``SELECT *``, another final LIMIT, a VALUES block or prefixes.

    Each change is made at a token the parse confirmed: the ``*`` of ``SELECT *``, the number of the
    final ``LIMIT``, the ``{`` of the WHERE pattern (the ``VALUES`` block is its first element, so the
    pattern sees the parameters bound, as pyoxigraph's substitution does), the start (prefixes, on
    the first line, so line numbers stay). The values are serialized by pyoxigraph as RDF terms.

    Examples
    --------
    >>> p = parse("# @param who@zh\\nSELECT * WHERE { ?s schema:name ?who } LIMIT 5")
    >>> print(rewrite(p, projection=("who", "s"), limit=6, values={"who": ox.Literal("张三", language="zh")},
    ...               prefixes={"schema": "https://schema.org/"}))
    PREFIX schema: <https://schema.org/> # @param who@zh
    SELECT ?who ?s WHERE { VALUES (?who) { ("张三"@zh) } ?s schema:name ?who } LIMIT 6
    """
    text = parsed.text
    edits: list[tuple[int, int, str]] = []
    if projection is not None and parsed.star:
        star = _star_token(parsed)
        if star is not None:
            edits.append((star.start(), star.end(), " ".join(f"?{v}" for v in projection)))
    if limit is not None:
        number = _limit_token(parsed)
        if number is not None:
            edits.append((number.start(), number.end(), str(limit)))
    if values:
        brace = _where_brace(parsed)
        if brace is None:
            raise QueryError(Errors.E106.format(name=next(iter(values)), why="the query has no WHERE pattern to "
                                                "bind it in"))
        else:
            names = " ".join(f"?{name}" for name in values)
            row = " ".join(str(term) for term in values.values())
            edits.append((brace + 1, brace + 1, f" VALUES ({names}) {{ ({row}) }}"))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    if prefixes:
        text = "".join(f"PREFIX {p}: <{iri}> " for p, iri in prefixes.items()) + text
    return text


def can_rewrite_limit(parsed: Parsed) -> bool:
    """Whether :func:`rewrite` can change the final LIMIT (the parse and the tokens agree on it)."""
    return _limit_token(parsed) is not None
