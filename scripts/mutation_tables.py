"""Mutants of the module-level tables and bounds, which mutmut 3 never mutates (it only rewrites function bodies).

A table is a top-level assignment of a literal dict, tuple, list or set (``frozenset({...})`` too), or of a
tuple of rows (``Transition(...)`` calls, or tuples); a bound is a top-level number. Each mutant changes one
entry, the way a slip of the pen would:
- a dict loses an entry, or an entry takes the next different value of the same dict;
- a list, tuple or set loses a member;
- a row's field takes the same field of the next row that differs (``Transition("submit", DRAFT, ...)``
  gets ``ACTIVE`` as its source, ``"required"`` becomes ``"optional"``);
- a number is one more and one less.
Prose (a string with a space: summaries, messages) is not mutated; rule ids, statuses and ranks are.
Each mutant is written over the module in a scratch copy and the module's targeted tests run in a fork of
a process that has imported pytest, Django and Hypothesis but none of the portal, so the mutant is imported.
"""

from __future__ import annotations

import ast
import copy
import gc
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

Edit = Callable[[ast.AST], None]


@dataclass(frozen=True)
class TableMutant:
    name: str  # module:line: what changed
    source: str


def _is_prose(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value


def _is_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _text(node: ast.AST) -> str:
    return ast.unparse(node)


def _table_value(value: ast.AST | None) -> ast.AST | None:
    """The literal a top-level assignment holds, or ``None`` when it is not a table or a bound."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in {"frozenset", "set"}:
        return value.args[0] if value.args else None
    if isinstance(value, ast.Dict | ast.Tuple | ast.List | ast.Set) or _is_number(value or ast.Pass()):
        return value
    if isinstance(value, ast.BinOp):  # A | B | {"x"}: the literal part
        return _table_value(value.right)
    return None


def _targets(tree: ast.Module) -> Iterator[tuple[str, ast.AST]]:
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name, value = stmt.targets[0].id, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name, value = stmt.target.id, stmt.value
        else:
            continue
        table = _table_value(value)
        if table is not None and name != "__all__":  # __all__ only steers `import *`
            yield name, table


def _next_different(values: list[ast.AST], i: int) -> ast.AST | None:
    for step in range(1, len(values)):
        other = values[(i + step) % len(values)]
        if _text(other) != _text(values[i]) and not _is_prose(other) and not _is_prose(values[i]):
            return other
    return None


def _row_fields(row: ast.AST) -> list[ast.AST] | None:
    if isinstance(row, ast.Tuple):
        return list(row.elts)
    if isinstance(row, ast.Call) and not row.keywords:
        return list(row.args)
    return None


def _set_field(row: ast.AST, j: int, value: ast.AST) -> None:
    fields = row.elts if isinstance(row, ast.Tuple) else row.args  # type: ignore[attr-defined]
    fields[j] = copy.deepcopy(value)


def _edits(table: ast.AST) -> Iterator[tuple[int, str, Edit]]:
    """(line, what, edit) for one table; an edit changes the table node it is given (a copy)."""
    if _is_number(table):
        number = table.value  # type: ignore[attr-defined]
        for delta in (1, -1):
            yield table.lineno, f"{number} -> {number + delta}", lambda t, d=delta: setattr(t, "value", t.value + d)
        return
    if isinstance(table, ast.Dict):
        yield from _dict_edits(table)
        return
    members = table.elts  # type: ignore[attr-defined]
    for i, member in enumerate(members):
        if len(members) > 1:
            yield member.lineno, f"drop {_text(member)[:60]}", lambda t, i=i: t.elts.pop(i)
    rows = [_row_fields(m) for m in members]
    if len(members) > 1 and all(r is not None and len(r) == len(rows[0] or []) for r in rows):
        yield from _row_edits(members, rows)  # type: ignore[arg-type]


def _dict_edits(table: ast.Dict) -> Iterator[tuple[int, str, Edit]]:
    for i, key in enumerate(table.keys):
        label = _text(key) if key is not None else "**"
        yield table.values[i].lineno, f"drop {label}", lambda t, i=i: (t.keys.pop(i), t.values.pop(i))
        other = _next_different(table.values, i)
        if other is not None:
            yield (
                table.values[i].lineno,
                f"{label}: {_text(other)[:60]}",
                lambda t, i=i, o=other: t.values.__setitem__(i, copy.deepcopy(o)),
            )


def _row_edits(members: list[ast.AST], rows: list[list[ast.AST]]) -> Iterator[tuple[int, str, Edit]]:
    for i, row in enumerate(rows):
        for j in range(len(row)):
            other = _next_different([r[j] for r in rows], i)
            if other is not None:
                what = f"row {_text(row[0])[:30]} field {j + 1}: {_text(other)[:40]}"
                yield members[i].lineno, what, lambda t, i=i, j=j, o=other: _set_field(t.elts[i], j, o)


def table_mutants(path: Path, label: str) -> list[TableMutant]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    found: list[TableMutant] = []
    nodes = list(ast.walk(tree))
    for name, table in _targets(tree):
        index = nodes.index(table)
        for line, what, edit in _edits(table):
            mutated = copy.deepcopy(tree)
            edit(list(ast.walk(mutated))[index])
            found.append(TableMutant(f"{label}:{line}: {name} {what}", ast.unparse(mutated) + "\n"))
    return found


# ---------------------------------------------------------------- running the targeted tests in a fork


def preload() -> None:
    """Import pytest's plugins (Hypothesis, schemathesis, pytest-django: seconds each) but none of the portal,
    so that each fork starts fast and still imports the mutant."""
    import importlib
    from importlib.metadata import entry_points

    import django.test  # noqa: F401
    import hypothesis.strategies  # noqa: F401
    import pytest  # noqa: F401

    for plugin in entry_points(group="pytest11"):
        importlib.import_module(plugin.value.split(":")[0])
    gc.freeze()  # pytest collects garbage harder at exit: seconds over an inherited heap, unless it is frozen


def run_tests(scratch: Path, tests: list[str], timeout: float) -> int:
    """The exit code of pytest over ``tests`` in a fresh fork importing the code under ``scratch``."""
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 3
        try:
            signal.alarm(max(1, int(timeout)))
            os.chdir(scratch)
            sys.path.insert(0, str(scratch))
            sys.dont_write_bytecode = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            import pytest

            code = int(
                pytest.main(
                    ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:unraisableexception", "-m", "not database", *tests]
                )
            )
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def run_table_mutants(
    scratch: Path, files: list[str], tests: list[str], only: set[str] | None = None
) -> tuple[int, list[str], float]:
    """(killed, surviving mutant names, seconds) for the tables of ``files`` in the scratch copy (or ``only`` these)."""
    started = time.monotonic()
    if run_tests(scratch, tests, 600) != 0:
        raise SystemExit(f"the targeted tests fail without any mutant: {' '.join(tests)}")
    timeout = 10 * (time.monotonic() - started) + 5
    killed, survivors = 0, []
    for file in files:
        path = scratch / file
        original = path.read_text(encoding="utf-8")
        try:
            for mutant in table_mutants(path, file):
                if only is not None and mutant.name not in only:
                    continue
                path.write_text(mutant.source, encoding="utf-8")
                if run_tests(scratch, tests, timeout) == 0:
                    survivors.append(mutant.name)
                else:
                    killed += 1
        finally:
            path.write_text(original, encoding="utf-8")
    return killed, survivors, time.monotonic() - started
