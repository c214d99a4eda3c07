"""The output folder changes as a whole: a failed, interrupted or concurrent build leaves the previous output as it was."""

from __future__ import annotations

import errno
import fcntl
import os

import pytest

from kg.pipeline import BuildOptions, build
from kg.pipeline.output import Generation
from kg.errors import OutputError, ValidationError

FAST = dict(html=False, validate=False, jobs=1, formats=("ttl", "trig", "nq"))


def _snapshot(folder) -> dict[str, bytes]:
    """Every file under ``folder`` (the store's files by name only: their bytes are the database's own)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            rel = p.relative_to(folder).as_posix()
            out[rel] = b"" if rel.startswith("store/") else p.read_bytes()
    return out


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.") and not p.name.endswith(".lock"))


@pytest.fixture
def built(sample_path, tmp_path):
    """A finished build of the sample page in ``tmp_path/out``, and its files."""
    out = tmp_path / "out"
    build(BuildOptions((str(sample_path),), out, cache=None, **FAST))
    return out, _snapshot(out)


def _other_input(tmp_path, sample_text):
    p = tmp_path / "other.txt"
    p.write_text(sample_text.replace("工人", "职工"), encoding="utf-8")
    return str(p)


@pytest.mark.parametrize("failure, error", [
    (OSError(errno.ENOSPC, "No space left on device"), OutputError),
    (KeyboardInterrupt(), KeyboardInterrupt),
    (ValidationError("[E030] graph does not conform"), ValidationError),
])
def test_output_failed_rebuild_leaves_the_previous_output_as_it_was(built, tmp_path, sample_text, monkeypatch, failure, error):
    out, before = built
    from kg.rdf import serialize

    real = serialize.GraphFiles.add
    calls = []

    def failing(self, part):
        calls.append(1)
        if len(calls) > 1 or isinstance(failure, ValidationError):
            raise failure
        return real(self, part)

    monkeypatch.setattr(serialize.GraphFiles, "add", failing)
    with pytest.raises(error) as exc:
        build(BuildOptions((_other_input(tmp_path, sample_text),), out, cache=None, **FAST))
    if error is OutputError:
        assert str(exc.value).startswith("[E052]") and str(out) in str(exc.value) and "no space left" in str(exc.value)
    assert _snapshot(out) == before
    assert _leftovers(out) == []


def test_output_disk_full_is_one_line_and_exit_1(kg_cli, built, tmp_path, sample_text, monkeypatch):
    out, before = built
    from kg.rdf import serialize

    def full(self, part):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(serialize.GraphFiles, "add", full)
    code, _, err = kg_cli("build", _other_input(tmp_path, sample_text), "-o", out, "-q", "--no-cache", "--no-html")
    assert code == 1
    assert err.strip().count("\n") == 0 and "[E052]" in err and "no space left on device" in err
    assert _snapshot(out) == before


def test_output_a_second_build_into_the_same_folder_is_refused(built, sample_path):
    out, before = built
    gen = Generation(out)
    fd = os.open(gen.lock_path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(OutputError, match=r"^\[E053\].*another kg build"):
            build(BuildOptions((str(sample_path),), out, cache=None, **FAST))
    finally:
        os.close(fd)
    assert _snapshot(out) == before
    build(BuildOptions((str(sample_path),), out, cache=None, **FAST))  # the lock released, the build runs


def test_output_a_file_in_place_of_the_folder_is_named_before_any_work(kg_cli, sample_path, tmp_path, monkeypatch):
    target = tmp_path / "out"
    target.write_text("mine", encoding="utf-8")
    monkeypatch.setattr("kg.pipeline.loop.iter_documents", lambda *a, **k: pytest.fail("inputs read before the output was checked"))
    code, _, err = kg_cli("build", sample_path, "-o", target, "-q", "--no-cache")
    assert code == 1 and "[E054]" in err and str(target) in err
    assert target.read_text(encoding="utf-8") == "mine"


def test_output_rebuild_replaces_the_folder_and_keeps_its_cache(sample_path, tmp_path, sample_text):
    out = tmp_path / "out"
    first = build(BuildOptions((str(sample_path),), out, cache=out / "cache", **FAST))
    inode = out.stat().st_ino
    second = build(BuildOptions((str(sample_path),), out, cache=out / "cache", **FAST))
    assert first.report == second.report
    assert second.cache.hits == 1 and second.cache.misses == 0
    assert (out / "cache").is_dir() and (out / "graph.nq").is_file()
    assert out.stat().st_ino != inode  # a new folder took the old one's place
    assert _leftovers(out) == []


def test_output_folder_with_files_of_its_own_keeps_them(sample_path, tmp_path):
    """Files a user adds to an output folder stay; what the last build wrote and this one does not goes."""
    out = tmp_path / "out"
    build(BuildOptions((str(sample_path),), out, cache=None, **FAST))
    (out / "notes.md").write_text("my notes", encoding="utf-8")
    build(BuildOptions((str(sample_path),), out, cache=None, **FAST))
    build(BuildOptions((str(sample_path),), out, cache=None, **{**FAST, "formats": ("nq",)}))
    assert (out / "notes.md").read_text(encoding="utf-8") == "my notes"
    assert (out / "graph.nq").is_file() and not (out / "graph.ttl").exists()  # what this build did not write is gone
    assert _leftovers(out) == []


def _users_folder(tmp_path):
    """The folder of the issue: a store/ and a graph.nt of the user's, no kg build ever wrote there."""
    d = tmp_path / "d"
    (d / "store").mkdir(parents=True)
    (d / "store" / "ledger.txt").write_text("notes\n", encoding="utf-8")
    (d / "graph.nt").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    return d


def test_output_a_folder_kg_did_not_write_is_refused_before_any_work(kg_cli, sample_path, tmp_path, monkeypatch):
    d = _users_folder(tmp_path)
    before = _snapshot_all(d)
    monkeypatch.setattr("kg.pipeline.loop.iter_documents", lambda *a, **k: pytest.fail("inputs read before the output was checked"))
    code, _, err = kg_cli("build", sample_path, "-o", d, "-q")
    assert code == 1 and err.count("\n") == 1
    assert "[E056]" in err and str(d) in err and "graph.nt" in err and "store" in err
    assert _snapshot_all(d) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]  # no lock, no staging folder beside it


def test_output_root_is_never_an_output_folder(monkeypatch):
    def nothing(*a, **k):
        pytest.fail("something was created for -o /")

    monkeypatch.setattr(os, "open", nothing)
    monkeypatch.setattr("tempfile.mkdtemp", nothing)
    monkeypatch.setattr("pathlib.Path.mkdir", nothing)
    with pytest.raises(OutputError, match=r"^\[E056\] /: "):
        Generation("/", writes=("graph.ttl",)).__enter__()


def test_output_a_file_of_the_users_named_like_ours_is_refused(sample_path, tmp_path):
    """In a folder a build wrote, a graph.nt the user put there is not replaced by a build asked for N-Triples."""
    out = tmp_path / "out"
    build(BuildOptions((str(sample_path),), out, cache=None, **FAST))
    (out / "graph.nt").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    before = _snapshot(out)
    with pytest.raises(OutputError, match=r"^\[E057\].*graph\.nt"):
        build(BuildOptions((str(sample_path),), out, cache=None, **{**FAST, "formats": ("nt",)}))
    assert _snapshot(out) == before
    build(BuildOptions((str(sample_path),), out, cache=None, **FAST))  # a build that does not write it runs
    assert (out / "graph.nt").read_text(encoding="utf-8") == "<urn:a> <urn:b> <urn:c> .\n"


def test_output_a_forged_marker_cannot_make_a_build_delete_other_files(sample_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.md").write_text("mine", encoding="utf-8")
    (tmp_path / "elsewhere.txt").write_text("mine", encoding="utf-8")
    (out / ".newskg-output").write_text('{"tool": "newskg", "files": ["notes.md", "../elsewhere.txt", "/etc"]}')
    build(BuildOptions((str(sample_path),), out, cache=None, **FAST))
    assert (out / "notes.md").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "elsewhere.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "graph.ttl").is_file()


def test_output_a_link_to_a_folder_writes_into_the_folder(sample_path, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    for _ in range(2):
        build(BuildOptions((str(sample_path),), link, cache=link / "cache", **FAST))
        assert link.is_symlink() and os.readlink(link) == str(real)
        assert (real / "graph.ttl").is_file() and (real / "cache").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_output_inside_an_input_folder_is_not_read_as_input(sample_path, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "page.txt").write_bytes(sample_path.read_bytes())
    first = build(BuildOptions((str(src),), src / "out", cache=src / "out" / "cache", **{**FAST, "html": True}))
    again = build(BuildOptions((str(src),), src / "out", cache=src / "out" / "cache", **{**FAST, "html": True}))
    assert (src / "out" / "graph.html").is_file()
    assert again.report == first.report
    assert again.report["pages"] == 1 and again.report["skipped"] == []
    (src / "old").mkdir()
    build(BuildOptions((str(sample_path),), src / "old", cache=None, **{**FAST, "html": True}))
    other = build(BuildOptions((str(src),), tmp_path / "o2", cache=None, **{**FAST, "html": True}))
    assert other.report == first.report  # another build's output is left out too


def test_output_stale_staging_folders_are_removed_by_the_next_build(sample_path, tmp_path):
    """What builds killed with SIGKILL leave beside the output goes with the next build; a user's look-alike stays."""
    out = tmp_path / "out"
    build(BuildOptions((str(sample_path),), out, cache=None, **FAST))
    for i in range(3):  # as a killed build leaves them: a staging folder with our marker, half written
        stale = tmp_path / f".out.killed{i}.new"
        stale.mkdir()
        (stale / ".newskg-output").write_text('{"tool": "newskg", "files": []}')
        (stale / "graph.ttl").write_text("half")
    old = tmp_path / ".out.killed.old"
    old.mkdir()
    (old / "out").mkdir()
    (old / "out" / ".newskg-output").write_text('{"tool": "newskg", "files": ["graph.ttl"]}')
    mine = tmp_path / ".out.mine.new"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine")
    build(BuildOptions((str(sample_path),), out, cache=None, **FAST))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.mine.new", "out"]
    assert (mine / "keep.txt").read_text() == "mine"


def test_output_no_lock_file_is_left_beside_the_output(sample_path, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(BuildOptions((str(sample_path),), out, cache=None, **FAST))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    from kg.rdf import serialize

    monkeypatch.setattr(serialize.GraphFiles, "add", lambda self, part: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        build(BuildOptions((str(sample_path),), out, cache=None, **FAST))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    with pytest.raises(KeyboardInterrupt):
        build(BuildOptions((str(sample_path),), tmp_path / "new", cache=None, **FAST))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # a first build that failed leaves nothing


def test_output_the_lock_holds_while_its_file_comes_and_goes(tmp_path):
    """A build that opened the lock file just before the holder removed it does not lock a file that is gone."""
    out = tmp_path / "out"
    first = Generation(out, writes=("report.json",)).__enter__()
    with pytest.raises(OutputError, match=r"^\[E053\].*now"):
        Generation(out).__enter__()
    stale_fd = os.open(first.lock_path, os.O_RDWR)  # opened before the holder lets go
    first.__exit__(None, None, None)
    assert not first.lock_path.exists()
    fcntl.flock(stale_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a lock on the removed file, as a late builder gets
    try:
        with Generation(out) as second:  # takes a new lock file: the late one holds nothing that counts
            assert second.lock_path.exists()
            with pytest.raises(OutputError, match=r"^\[E053\]"):
                Generation(out).__enter__()
    finally:
        os.close(stale_fd)
    assert not first.lock_path.exists()


def _snapshot_all(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else b"/" for p in sorted(folder.rglob("*"))}


def test_output_a_graph_that_breaks_the_shapes_is_not_published(built, tmp_path, sample_text, monkeypatch):
    """Validation runs on every chunk where it is rendered: a page without its headline fails the build."""
    out, before = built
    from kg.rdf import graph

    real = graph._article

    def no_headline(sink, g, iris, page, art):
        real(sink, g, iris, page, art)
        for q in [q for q in sink.quads if q.predicate == graph.SCHEMA.headline]:
            del sink.quads[q]

    monkeypatch.setattr(graph, "_article", no_headline)
    with pytest.raises(ValidationError) as exc:
        build(BuildOptions((_other_input(tmp_path, sample_text),), out, cache=None, **{**FAST, "validate": True}))
    assert str(exc.value).startswith("[E030]") and "schema:headline" in str(exc.value)
    assert str(exc.value).count("schema:headline") == 4  # one per article
    assert _snapshot(out) == before


@pytest.mark.parametrize("base, ok", [
    ("https://example.org/kg/id/", True),
    ("urn:example:kg/", True),
    ("https://example.org/kg#", False),
    ("https://example.org/kg/id", False),
    ("not an iri/", False),
    ("/relative/", False),
])
def test_output_base_is_checked_before_any_work(kg_cli, sample_path, tmp_path, base, ok):
    code, _, err = kg_cli("build", sample_path, "-o", tmp_path / "out", "-q", "--no-cache", "--no-html", "--no-store",
                          "--base", base)
    assert (code == 0) == ok, err
    if ok:
        assert base in (tmp_path / "out" / "graph.nq").read_text(encoding="utf-8")
    else:
        assert "[E055]" in err and not (tmp_path / "out").exists()


def test_output_store_on_a_full_disk_is_E052(kg_cli, built, tmp_path, sample_text, monkeypatch):
    """The store's database says "No space left on device" in words, without an errno: still [E052], not [E091]."""
    import pyoxigraph

    import kg.store.store

    out, before = built

    class Full:
        def __init__(self, *args, **kwargs):
            self.real = pyoxigraph.Store(*args, **kwargs)

        def bulk_load(self, *args, **kwargs):
            raise OSError("IO error: While appending to file: store/000012.sst: No space left on device")

        def __getattr__(self, name):
            return getattr(self.real, name)

    class Oxigraph:  # pyoxigraph as the store builder sees it, with a database on a full disk
        Store = Full

        def __getattr__(self, name):
            return getattr(pyoxigraph, name)

    monkeypatch.setattr(kg.store.store, "ox", Oxigraph())
    code, _, err = kg_cli("build", _other_input(tmp_path, sample_text), "-o", out, "-q", "--no-cache", "--no-html")
    assert code == 1 and err.count("\n") == 1
    assert f"[E052] {out}: no space left on device; the previous output is unchanged" in err
    assert _snapshot(out) == before
    assert _leftovers(out) == []


def test_output_report_counts_skips_and_lists_the_first_hundred(tmp_path):
    import json

    path = tmp_path / "x.jsonl"
    good = json.dumps({"id": "ok", "title": "张三在北京", "text": "张三在北京工作。"}, ensure_ascii=False)
    path.write_text("\n".join(["{bad"] * 3000 + [good] + ["[]"] * 2000) + "\n", encoding="utf-8")
    result = build(BuildOptions((str(path),), tmp_path / "out", cache=None, **FAST))
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["skipped_count"] == 5000 and len(report["skipped"]) == 100
    assert [s["line"] for s in report["skipped"]] == list(range(1, 101))
    assert (tmp_path / "out" / "report.json").stat().st_size < 50_000
    assert "5000 skipped" in result.summary
