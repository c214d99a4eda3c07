"""The message catalogue kg.errors.Errors: every code used in kg/ is defined there, once, under its own name."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from kg import errors
from kg.errors import Errors

KG = Path(__file__).resolve().parents[1] / "kg"
ERRORS_PY = KG / "errors.py"
CODE = re.compile(r"\[([EW]\d{3})\]")
NAME = re.compile(r"[EW]\d{3}")


def _templates() -> dict[str, str]:
    return {k: v for k, v in vars(Errors).items() if NAME.fullmatch(k)}


def _sources():
    """Every text file of kg/ but errors.py (modules, ontology, view assets), with its text."""
    for path in sorted(KG.rglob("*")):
        if path.is_file() and path != ERRORS_PY and "__pycache__" not in path.parts:
            try:
                yield path, path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes of a module tree (their codes are documentation, not messages)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def test_errors_every_code_used_is_defined():
    defined = set(_templates())
    undefined = [f"{path.relative_to(KG.parent)}:{text.count(chr(10), 0, m.start()) + 1}: [{m[1]}]"
                 for path, text in _sources() for m in CODE.finditer(text) if m[1] not in defined]
    assert not undefined, "codes used in kg/ but not defined in kg/errors.py:\n" + "\n".join(undefined)


def test_errors_every_catalogue_name_used_exists():
    pattern = re.compile(r"\bErrors\.([A-Za-z_]\w*)")
    missing = [f"{path.relative_to(KG.parent)}:{text.count(chr(10), 0, m.start()) + 1}: Errors.{m[1]}"
               for path, text in _sources() if path.suffix == ".py"
               for m in pattern.finditer(text) if not hasattr(Errors, m[1])]
    assert not missing, "names asked of Errors that it does not have:\n" + "\n".join(missing)


@pytest.mark.parametrize("name, template", sorted(_templates().items()))
def test_errors_template_code_matches_its_name(name, template):
    assert template.startswith(f"[{name}] "), f"Errors.{name} = {template!r} does not lead with [{name}]"
    assert CODE.findall(template) == [name], f"Errors.{name} names other codes: {template!r}"
    list(string.Formatter().parse(template))  # a template str.format can read


def test_errors_catalogue_holds_only_templates():
    others = [k for k, v in vars(Errors).items() if not k.startswith("__") and not NAME.fullmatch(k)]
    assert not others, f"Errors holds names that are not codes: {others}"


def test_errors_no_code_defined_twice():
    tree = ast.parse(ERRORS_PY.read_text(encoding="utf-8"))
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Errors"]
    names = [t.id for n in cls.body if isinstance(n, (ast.Assign, ast.AnnAssign))
             for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)]
    twice = sorted({n for n in names if names.count(n) > 1})
    assert not twice, f"codes assigned more than once in kg/errors.py: {twice}"
    leads = [CODE.match(v)[1] for v in _templates().values() if CODE.match(v)]
    assert len(leads) == len(set(leads)), f"codes that lead more than one template: {sorted({c for c in leads if leads.count(c) > 1})}"


def test_errors_no_message_with_a_code_outside_the_catalogue():
    """A string that begins with a code is a message written outside kg/errors.py: it belongs in Errors."""
    written = []
    for path, text in _sources():
        if path.suffix != ".py":
            continue
        tree = ast.parse(text)
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                head, line = node.values[0].value, node.lineno
                for part in node.values:
                    skip.add(id(part))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                head, line = node.value, node.lineno
            else:
                continue
            if isinstance(head, str) and CODE.match(head.lstrip()):
                written.append((path.relative_to(KG.parent).as_posix(), line, head.strip()[:70]))
    assert not written, "messages with a code written outside kg/errors.py (use an Errors template):\n" + "\n".join(
        f"{path}:{line}: {head!r}" for path, line, head in sorted(set(written)))


def test_errors_every_error_class_derives_from_kgerror():
    classes = [v for v in vars(errors).values() if isinstance(v, type) and issubclass(v, Exception)]
    assert errors.KGError in classes
    assert all(issubclass(c, errors.KGError) for c in classes)
