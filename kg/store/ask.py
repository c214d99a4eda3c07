"""``kg query`` as one library call: a query on a graph, a store or an endpoint, answered as a table or a results format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.store.query import answer_query, check_query, run_query
from kg.store.remote import answer_endpoint, is_endpoint, query_endpoint
from kg.store.results import format_result, mime_type
from kg.store.store import open_store

__all__ = ["Reply", "ask"]


@dataclass(frozen=True)
class Reply:
    """What ``kg query`` prints: ``output`` (the table or the written answer), the parse's ``warnings``,
    whether the final LIMIT cut the answer (``more``, ``limit``), and ``in_memory``: the graph file an
    update changed in memory only (None otherwise)."""

    output: str
    form: str
    warnings: tuple[str, ...] = ()
    more: bool = False
    limit: int | None = None
    in_memory: Path | None = None


def ask(graph: str, text: str, *, fmt: str = "table", params: dict[str, str] | None = None,
        timeout: float | None = None, allow_update: bool = False, allow_service: bool = False,
        max_width: int = 60) -> Reply:
    """Run ``text`` on ``graph`` (a build folder, graph files, a store folder or an endpoint URL), the same everywhere.

    ``fmt`` is ``table`` (:func:`kg.store.results.format_result`) or a results format of
    :data:`kg.store.results.FORMATS`, written by pyoxigraph. A final LIMIT that cut the answer
    is reported (``more``).

    Raises
    ------
    KGError
        As :func:`kg.store.query.run_query`, :func:`kg.store.remote.query_endpoint` and
        :func:`kg.store.store.open_store`.
    """
    remote = is_endpoint(graph)
    store = None if remote else open_store(graph, read_only=not allow_update)
    update = check_query(text, allow_service=True).form == "update"
    if fmt == "table" or update:
        if remote:
            result = query_endpoint(graph, text, params=params, timeout=timeout, allow_update=allow_update,
                                    see_past_limit=True)
        else:
            result = run_query(store, text, params=params, timeout=timeout, allow_update=allow_update,
                               allow_service=allow_service, see_past_limit=True)
        in_memory = None
        if update and store is not None and store.path is not None and not store.path.is_dir():
            in_memory = store.path
        output = format_result(result, max_width=max_width) if fmt == "table" else ""
        return Reply(output, result.form, result.warnings, result.more, result.limit, in_memory)

    def mime_for(form: str) -> str:
        return mime_type(fmt, form)

    if remote:
        answer = answer_endpoint(graph, text, mime_for, params=params, timeout=timeout, see_past_limit=True)
    else:
        answer = answer_query(store, text, mime_for, params=params, timeout=timeout, allow_service=allow_service,
                              allow_update=allow_update, see_past_limit=True)
    return Reply(answer.body.decode("utf-8"), answer.form, answer.warnings, answer.more, answer.limit)
