"""The package as a user gets it: a wheel, installed into a fresh virtual environment, builds the sample page.

The repo is installed editable for development (a ``__editable__.newskg-*.pth`` file and
its finder in the system site-packages); the virtual environment here is made without
the system site-packages, so that install cannot leak in, and the tests check that the
``kg`` it imports is the one inside it. Dependencies come from pip's index (its cache
makes a second run fast).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "source" / "workers-daily-2022-11-theory.txt"

#: Top-level names of the repo that are not part of the package's source (VCS, caches, outputs).
_NOT_SOURCE = {".git", ".hypothesis", ".pytest_cache", ".benchmarks", ".venv", "build", "dist",
               "output", "tests", "bench"}

_env: dict = {}


def _clean_env() -> dict:
    """The environment without anything that points Python at the repo or another environment."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONSAFEPATH")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _run(argv, *, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in argv], cwd=cwd, env=_clean_env(), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, (f"{' '.join(map(str, argv))} exited with {proc.returncode}\n"
                                  f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}")
    return proc


def _ignore_top(src: str, names: list[str]) -> set[str]:
    top = Path(src).resolve() == ROOT
    return {n for n in names
            if n == "__pycache__" or n.endswith((".pyc", ".egg-info")) or (top and n in _NOT_SOURCE)}


def _installed(tmp_path_factory) -> dict:
    """Build the wheel of the repo and install it into a fresh venv, once per session.

    Returns ``{"wheel", "venv", "python", "kg", "work"}``: the wheel file, the venv folder,
    its interpreter and ``kg`` script, and a working folder outside the repo.
    """
    if _env:
        return _env
    base = tmp_path_factory.mktemp("wheel")
    # a copy of the source, so that setuptools' build/ folder (stale files and all) stays out of the repo
    src = base / "src"
    shutil.copytree(ROOT, src, symlinks=True, ignore=_ignore_top)
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=base)
    python = venv / "bin" / "python"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    _run([python, "-m", "pip", "install", "-q", *requires], cwd=base)
    dist = base / "dist"
    _run([python, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", dist, src], cwd=base)
    (wheel,) = dist.glob("newskg-*.whl")
    _run([python, "-m", "pip", "install", "-q", wheel], cwd=base)
    work = base / "work"
    work.mkdir()
    _env.update(wheel=wheel, venv=venv, python=python, kg=venv / "bin" / "kg", work=work)
    return _env


def test_wheel_holds_package_data(tmp_path_factory):
    wheel = _installed(tmp_path_factory)["wheel"]
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {p.relative_to(ROOT).as_posix() for p in (ROOT / "kg" / "rdf" / "ontology").glob("*.ttl")}
    expected |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "kg" / "store" / "queries").glob("*.rq")}
    assets = ROOT / "kg" / "export" / "assets"
    if assets.is_dir():
        expected |= {p.relative_to(ROOT).as_posix() for p in assets.rglob("*")
                     if p.is_file() and "__pycache__" not in p.parts}
    assert {"kg/rdf/ontology/newskg.ttl", "kg/rdf/ontology/shapes.ttl", "kg/store/queries/person_posts.rq"} <= expected
    assert not expected - names, f"missing from {wheel.name}: {sorted(expected - names)}"


def test_wheel_kg_is_the_one_in_the_venv(tmp_path_factory):
    env = _installed(tmp_path_factory)
    venv = env["venv"].resolve()
    assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    probe = ("import importlib.metadata as m, sys, kg; print(kg.__file__); "
             "print(m.distribution('newskg').locate_file('')); "
             "print(any('editable' in type(f).__name__.lower() or 'editable' in getattr(f, '__name__', '') "
             "for f in sys.meta_path)); print(any('site-packages' in p and not p.startswith(sys.prefix) for p in sys.path))")
    out = _run([env["python"], "-c", probe], cwd=env["work"]).stdout.splitlines()
    module, dist_root, editable_finder, foreign_site = out
    assert Path(module).resolve().is_relative_to(venv), f"kg imported from {module}, not from the venv {venv}"
    assert not Path(module).resolve().is_relative_to(ROOT)
    assert Path(dist_root).resolve().is_relative_to(venv)
    assert editable_finder == "False" and foreign_site == "False"
    assert not env["work"].resolve().is_relative_to(ROOT)


def test_wheel_builds_validates_and_queries_the_sample_page(tmp_path_factory, tmp_path):
    env = _installed(tmp_path_factory)
    out = env["work"] / "out"
    _run([env["kg"], "build", SAMPLE, "-o", out], cwd=env["work"])
    graph = out / "graph.ttl"
    assert graph.is_file() and (out / "store").is_dir()

    # the same page with the same options through the repo's own code
    here = tmp_path / "out"
    _run([sys.executable, "-m", "kg", "build", SAMPLE, "-o", here], cwd=ROOT)
    assert graph.read_bytes() == (here / "graph.ttl").read_bytes(), "the installed kg builds another graph.ttl"

    checked = _run([env["kg"], "validate", graph], cwd=env["work"])
    assert "[E03" not in checked.stdout + checked.stderr

    answer = _run([env["kg"], "query", out / "store", "authors_posts", "--format", "csv"], cwd=env["work"]).stdout
    rows = list(csv.reader(io.StringIO(answer)))
    assert len(rows) > 1 and all(any(cell for cell in row) for row in rows[1:]), f"no rows:\n{answer}"


def test_wheel_ships_the_queries_with_their_parameters(tmp_path_factory):
    """kg query --list, a query by name and --param, from the wheel, on a build, its store and kg serve: the same rows."""
    env = _installed(tmp_path_factory)
    listing = _run([env["kg"], "query", "--list"], cwd=env["work"]).stdout
    assert "person_posts\n  A person's posts over time" in listing and "--param person=…" in listing
    out = env["work"] / "out-queries"
    _run([env["kg"], "build", SAMPLE, "-o", out, "--no-html", "--no-validate"], cwd=env["work"])
    argv = ["person_posts", "--param", "person=徐海荣", "--format", "csv"]
    answers = [_run([env["kg"], "query", target, *argv], cwd=env["work"]).stdout for target in (out, out / "store")]
    server = subprocess.Popen([env["kg"], "serve", out, "--port", "0"], cwd=env["work"], env=_clean_env(),
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        url = line.split("SPARQL endpoint ", 1)[1].split(",")[0].split(" ")[0]
        answers.append(_run([env["kg"], "query", url, *argv], cwd=env["work"]).stdout)
    finally:
        server.terminate()
        server.wait(30)
    rows = list(csv.DictReader(io.StringIO(answers[0])))
    assert rows and {r["person"] for r in rows} == {"徐海荣"} and "山东省总工会" in {r["organizationName"] for r in rows}
    assert answers[1] == answers[0] and answers[2] == answers[0]
