"""A fresh clone as a new user has it: no ../shared beside it, the README's two commands, and they pass.

The clone goes into an empty folder; a virtual environment with the system site-packages
(so that pip finds the dependencies installed and downloads nothing it need not) runs the
README's first command (install, build the sample page) and its second (install the test
extra, run the tests). That second run sets ``NEWSKG_FRESH_CLONE``, so this test does not
run itself again there. It runs the whole suite once more, so it runs in CI (``CI`` set) or
when asked (``NEWSKG_TEST_FRESH_CLONE=1``), not in every local run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FRESH_CLONE, ROOT

pytestmark = pytest.mark.slow


def readme_commands() -> tuple[str, str]:
    """The README's first code block: the command that installs and builds, and the one that runs the tests."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n(.*?)```", text, re.S)
    assert block, "README.md has no code block"
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(lines) == 2 and "pip install" in lines[0] and "pytest" in lines[1], lines
    return lines[0], lines[1]


def _env(venv: Path, basetemp: Path) -> dict[str, str]:
    """A user's shell with the venv active: nothing of this run (PYTHONPATH, CI, pytest options) leaks in."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "CI", "PYTEST_ADDOPTS",
                        "PYTEST_CURRENT_TEST", "NEWSKG_TEST_FRESH_CLONE")}
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env[FRESH_CLONE] = "1"
    env["PYTEST_ADDOPTS"] = f"--basetemp={basetemp}"  # its own temporary folders, apart from this run's
    return env


def _run(command: str, cwd: Path, env: dict, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


def test_fresh_clone_readme_commands_pass_without_shared(tmp_path):
    if os.environ.get(FRESH_CLONE):
        pytest.skip("this is the run in the fresh clone")
    if not (os.environ.get("CI") or os.environ.get("NEWSKG_TEST_FRESH_CLONE")):
        pytest.skip("runs the whole suite again in a fresh clone: in CI, or with NEWSKG_TEST_FRESH_CLONE=1")
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout to clone")
    install, tests = readme_commands()
    empty = tmp_path / "empty"
    empty.mkdir()
    clone = empty / "newskg"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=300,
                   stdin=subprocess.DEVNULL, capture_output=True)
    assert sorted(p.name for p in empty.iterdir()) == ["newskg"]  # no ../shared beside it
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300)
    env = _env(venv, tmp_path / "basetemp")

    built = _run(install, clone, env, 1800)
    assert built.returncode == 0, f"{install}\n{built.stdout[-3000:]}\n{built.stderr[-3000:]}"
    assert (clone / "output" / "graph.ttl").is_file()
    where = _run("python -c 'import kg; print(kg.__file__)'", empty, env, 120).stdout.strip()
    assert Path(where).resolve().is_relative_to(clone.resolve()), f"kg imported from {where}, not the clone"

    ran = _run(tests, clone, env, 4800)
    tail = ran.stdout[-4000:]
    assert ran.returncode == 0, f"{tests} exited with {ran.returncode}\n{tail}\n{ran.stderr[-2000:]}"
    summary = ran.stdout.strip().splitlines()[-1]
    assert re.search(r"\b\d+ passed", summary) and not re.search(r"\b\d+ (failed|errors?)\b", summary), summary
    skipped = [line for line in ran.stdout.splitlines() if line.startswith("SKIPPED")]
    unclear = [line for line in skipped if "shared" in line and "needs the shared development data" not in line]
    assert not unclear, "skips that do not say they need ../shared:\n" + "\n".join(unclear)
