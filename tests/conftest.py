"""Shared fixtures: the sample page, its gold annotation, temporary outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "source" / "workers-daily-2022-11-theory.txt"
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
GOLD = DATA / "workers-daily-2022-11-theory.gold.json"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _article_blocks(text: str, article: dict) -> list[tuple[str, str]]:
    """Blocks of one gold article cut from the sample page: wrapped lines rejoined into paragraphs."""
    start = text.index(article["body_starts_with"][:8])
    end = text.index(article["body_ends_with"][-5:], start) + 5
    blocks, cur = [], ""
    for line in text[start:end].split("\n"):
        cur += line.strip()
        if cur in article["sections"]:
            blocks.append(("heading", cur))
            cur = ""
        elif cur and (line.strip().startswith("——") or cur.endswith("。")):
            blocks.append(("paragraph", cur))
            cur = ""
    if cur:
        blocks.append(("paragraph", cur))
    return blocks


@pytest.fixture(scope="session")
def theory_articles(sample_text, gold) -> dict:
    """Articles A (张冬梅), B (苏炜, 刘景芝) and D (the compiled symposium) of the sample page.

    Each is ``{"title", "authors", "sections", "blocks": [(kind, text), ...]}`` with
    paragraphs rejoined from the page's wrapped lines, for readers' tests.
    """
    return {
        a["id"]: {
            "title": a["title"],
            "authors": tuple(a["authors"]),
            "sections": tuple(a["sections"]),
            "blocks": _article_blocks(sample_text, a),
        }
        for a in gold["articles"]
        if a["id"] in ("A", "B", "D")
    }


# ---- the HTML view (tests/test_view*.py)

VIEW_DATA = DATA / "view"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """tests/artifacts/: screenshots and other outputs kept for a person to look at (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def view_fixture_graph() -> Path:
    """The hand-made two-article graph in the shape of docs/GRAPH.md (tests/data/view/sample.ttl)."""
    return VIEW_DATA / "sample.ttl"


@pytest.fixture(scope="session")
def view_sample_graph(tmp_path_factory, view_fixture_graph) -> Path:
    """The graph of the sample page as ``kg build`` makes it; the hand-made one until ``kg build`` exists."""
    import importlib.util

    if importlib.util.find_spec("kg.commands.build") is None:
        return view_fixture_graph
    from kg.cli import main

    out = tmp_path_factory.mktemp("view-build")
    assert main(["build", str(SAMPLE.parent), "-o", str(out)]) == 0
    for name in ("graph.trig", "graph.ttl", "graph.nq"):
        if (out / name).exists():
            return out / name
    raise AssertionError(f"kg build wrote no graph file in {out}: {sorted(p.name for p in out.iterdir())}")


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the browser tests; skipped when missing outside CI."""
    import os

    from browser import Chromium, have_chromium

    if not have_chromium():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing in CI: .ci/run must install chromium and fonts-noto-cjk")
        pytest.skip("needs /usr/bin/chromium (apt-get install chromium fonts-noto-cjk)")
    with Chromium() as browser:
        yield browser


# ---- queries, validation and the ontology (tests/test_query.py, test_validate.py, test_ontology.py)

QUERY_DATA = DATA / "query"


@pytest.fixture(scope="session")
def query_fixture_graph() -> Path:
    """The hand-made four-article dataset in the shape of docs/GRAPH.md (tests/data/query/sample.trig)."""
    return QUERY_DATA / "sample.trig"


@pytest.fixture(scope="session")
def sample_graph_dir(tmp_path_factory) -> Path:
    """The output folder of ``kg build`` on the sample page, built once per session (skipped until ``kg build`` exists)."""
    import importlib.util

    if importlib.util.find_spec("kg.commands.build") is None:
        pytest.skip("kg build is not available yet")
    from kg.cli import main

    out = tmp_path_factory.mktemp("sample-build")
    assert main(["build", str(SAMPLE), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def sample_graph_file(sample_graph_dir) -> Path:
    """The graph file ``kg build`` wrote for the sample page (TriG preferred)."""
    for pattern in ("*.trig", "*.nq", "*.ttl", "*.nt", "*.jsonld"):
        found = sorted(sample_graph_dir.rglob(pattern))
        if found:
            return found[0]
    raise AssertionError(f"kg build wrote no graph file in {sample_graph_dir}")


@pytest.fixture
def kg_cli(capsys, monkeypatch):
    """Run ``kg ARGV`` in-process; return ``(exit status, stdout, stderr)``.

    Commands whose module does not exist yet are left out of the parser.
    """
    import importlib.util

    from kg import cli

    monkeypatch.setattr(cli, "COMMANDS", tuple(
        c for c in cli.COMMANDS if importlib.util.find_spec(f"kg.commands.{c}") is not None))

    def run(*argv) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def view_graph(view_fixture_graph):
    """The hand-made graph, read."""
    from kg.export.html import read_graph

    return read_graph(view_fixture_graph)


@pytest.fixture(scope="session")
def view_page(view_graph) -> str:
    """The HTML view of the hand-made graph."""
    from kg.export.html import render_html

    return render_html(view_graph, title="sample")


@pytest.fixture
def kg_view(monkeypatch):
    """``kg view ARGS...`` through ``kg.cli.main`` with only the view command registered."""
    from kg.cli import main

    monkeypatch.setattr("kg.cli.COMMANDS", ("view",))
    return lambda *argv: main(["view", *map(str, argv)])


@pytest.fixture(scope="session")
def view_sample_page(view_sample_graph, tmp_path_factory):
    """``(path, stats)`` of the HTML view of the sample page's graph."""
    from kg.export.html import read_graph, write_html

    out = tmp_path_factory.mktemp("view") / "graph.html"
    stats = write_html(read_graph(view_sample_graph), out, title="工人日报 2022-11 理论版")
    return out, stats


# ---- segmentation, extraction and the graph (tests/test_segment.py, test_extract.py, test_graph.py)


@pytest.fixture(scope="session")
def sample_page(sample_text):
    """The sample page segmented into its articles."""
    from kg.segment import segment_page

    return segment_page(sample_text, page_id="sample")


@pytest.fixture(scope="session")
def gold_by_title(sample_page, gold) -> dict:
    """Gold article id -> the segmented article with that headline."""
    norm = lambda s: s.replace(" ", "")  # noqa: E731
    by_title = {norm(a.title): a for a in sample_page.articles}
    return {g["id"]: by_title.get(norm(g["title"])) for g in gold["articles"]}


@pytest.fixture(scope="session")
def sample_build(sample_text):
    """Segmentation, extraction and resolution of the sample page (no files written)."""
    from kg.model import Document, Meta
    from kg.pipeline import run

    return run([Document("sample", "page", sample_text, path=str(SAMPLE), meta=Meta(source=str(SAMPLE)))])
