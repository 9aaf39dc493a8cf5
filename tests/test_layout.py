"""The code keeps the shape the team agreed on: small modules, short functions.

A module over 600 lines or a function over 60 is where hubs grow by accretion (one
class of 774 lines, one function of 213): it fails here, in the library and in the
harness alike, so a split happens when the code is written, not rounds later.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from paths import ROOT

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
SOURCES = sorted([*(ROOT / "extractor").rglob("*.py"), *(ROOT / "evals").glob("*.py")])


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_no_module_is_over_600_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_name(path)} has {lines} lines: split it by responsibility"


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_no_function_is_over_60_lines(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{_name(path)}: " + "; ".join(long)


def test_the_guard_sees_the_whole_package() -> None:
    assert len(SOURCES) > 40  # a wrong ROOT would make every test above pass vacuously


def test_the_readme_stays_a_user_readme() -> None:
    # How it works, the rule catalogue and each round's numbers live in docs/ and the
    # CHANGELOG; the README says what it is, the two commands, install and use.
    lines = len((ROOT / "README.md").read_text(encoding="utf-8").splitlines())
    assert lines <= 250, f"README.md has {lines} lines: move detail into docs/"
