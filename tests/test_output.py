"""The output folder changes as a whole: a failed, interrupted or concurrent build leaves the previous output as it was."""

from __future__ import annotations

import errno
import fcntl
import os

import pytest

from kg.build import BuildOptions, build
from kg.build.output import Generation
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
    monkeypatch.setattr("kg.build.loop.iter_documents", lambda *a, **k: pytest.fail("inputs read before the output was checked"))
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
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.md").write_text("my notes", encoding="utf-8")
    build(BuildOptions((str(sample_path),), out, cache=None, **FAST))
    build(BuildOptions((str(sample_path),), out, cache=None, **{**FAST, "formats": ("nq",)}))
    assert (out / "notes.md").read_text(encoding="utf-8") == "my notes"
    assert (out / "graph.nq").is_file() and not (out / "graph.ttl").exists()  # what this build did not write is gone
    assert _leftovers(out) == []


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
