"""`make mutation`: mutation testing of the rule modules, one module at a time, on its targeted tests.

Usage: python scripts/mutation.py [--again] [ids versioning lifecycle diff diff-rules]  (default: the first four)
--again reruns only the previous run's survivors against the current tests (the code must be unchanged):
adding tests can only kill more, so the earlier kills stand (all table mutants when that step did not finish).

For each module, in a scratch copy under var/mutation/<module>/:
1. mutmut (pinned in the ``mutation`` extra) mutates every function body and runs, for each mutant, only
   the targeted tests that reach the mutated function;
2. scripts/mutation_tables.py mutates the module-level tables and bounds, which mutmut 3 leaves alone.
Then it prints the module's score, killed / (killed + survived), with the mutants listed in
docs/mutation.md as equivalent (they change no behaviour) counted apart, and every other survivor.
Exit status 1 when a module scores below 95 %. See docs/mutation.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutation_tables import preload, run_table_mutants  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "mutation.md"
THRESHOLD = 95.0
# module: (files to mutate, the tests that pin them; those marked `database` are left out, being slow and not
# about these rules)
MODULES: dict[str, tuple[list[str], list[str]]] = {
    "ids": (["dc43_portal/ids.py"], ["tests/test_ids.py", "tests/accounts/test_it_refuses_look_alike_ids.py"]),
    "versioning": (["dc43_portal/versioning.py"], ["tests/test_versioning.py"]),
    "lifecycle": (["dc43_portal/contracts/lifecycle.py"], ["tests/contracts/test_lifecycle_rules.py"]),
    "diff": (
        [
            "dc43_portal/diff/__init__.py",
            "dc43_portal/diff/rules.py",
            "dc43_portal/diff/walk.py",
            "dc43_portal/diff/fields.py",
            "dc43_portal/diff/match.py",
        ],
        [
            "tests/diff/test_diff_rules.py",
            "tests/diff/test_diff_rule_details.py",
            "tests/diff/test_diff_bump.py",
            "tests/diff/test_diff_sections.py",
            "tests/diff/test_diff_match.py",
            "tests/diff/test_diff_v32.py",
        ],
    ),
}
# The diff's classifiers alone (the breaking-change rules), for a quicker look than the whole diff.
MODULES["diff-rules"] = (["dc43_portal/diff/rules.py"], MODULES["diff"][1])
# mutmut's exit codes (mutmut.stats.status_by_exit_code)
KILLED_CODES = {1, 3, -24, 36, 37}
SURVIVED_CODES = {0, 5}


@dataclass
class Result:
    module: str
    killed: int = 0
    survived: list[str] = field(default_factory=list)
    equivalent: list[str] = field(default_factory=list)
    untested: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self) -> float:
        counted = self.killed + len(self.survived)
        return 100.0 * self.killed / counted if counted else 100.0


def equivalents() -> set[str]:
    """Mutant names listed in docs/mutation.md's table of equivalent mutants (first column, in backticks)."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    return set(re.findall(r"^\| `([^`]+)` \|", text, flags=re.MULTILINE))


def scratch_copy(module: str, files: list[str], tests: list[str]) -> Path:  # noqa: ARG001
    """The repository's code and tests, with a [tool.mutmut] section for this module only."""
    scratch = REPO / "var" / "mutation" / module
    shutil.rmtree(scratch, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("dc43_portal", "tests", "docs"):  # docs/diff.md: a test reads its table
        shutil.copytree(REPO / folder, scratch / folder, ignore=ignore)
    # pytest-django puts the nearest folder with a manage.py first on sys.path: it must be the copy's.
    for name in ("manage.py", "README.md"):
        shutil.copy2(REPO / name, scratch / name)
    config = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    config += (
        "\n[tool.mutmut]\n"
        'source_paths = ["dc43_portal"]\n'
        'also_copy = ["manage.py", "README.md", "docs"]\n'
        f"only_mutate = {json.dumps(files)}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:randomly", "-m", "not database"]\n'
        "use_git_change_detection = false\n"
    )
    (scratch / "pyproject.toml").write_text(config, encoding="utf-8")
    return scratch


def mutmut_codes(scratch: Path) -> dict[str, int | None]:
    codes: dict[str, int | None] = {}
    for meta in sorted((scratch / "mutants").rglob("*.py.meta")):
        codes.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return codes


def run_mutmut(scratch: Path, result: Result, known: set[str], names: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the scratch copy, not the worktree
    env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    mutmut = Path(sys.executable).parent / "mutmut"
    log = scratch / "mutmut.log"
    with log.open("w") as out:
        command = [str(mutmut), "run", "--max-children", "2", *names]
        done = subprocess.run(command, cwd=scratch, env=env, stdout=out, stderr=out)
    if done.returncode != 0:
        raise SystemExit(f"mutmut failed for {result.module}; see {log}")
    for name, code in sorted(mutmut_codes(scratch).items()):
        classify(result, name, code, known)


def refresh_tests(scratch: Path, files: list[str]) -> list[str]:
    """For --again: the current tests in the scratch copy, and the names of the mutants that survived there."""
    changed = [f for f in files if (REPO / f).read_bytes() != (scratch / f).read_bytes()]
    if changed or not (scratch / "mutants").exists():
        raise SystemExit(f"--again needs a run of the same code; changed since: {changed or 'no run'}")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for target in (scratch / "tests", scratch / "mutants" / "tests"):
        shutil.rmtree(target)
        shutil.copytree(REPO / "tests", target, ignore=ignore)
    return [name for name, code in mutmut_codes(scratch).items() if code not in KILLED_CODES]


def classify(result: Result, name: str, code: int | None, known: set[str]) -> None:
    if code in KILLED_CODES:
        result.killed += 1
    elif name in known:
        result.equivalent.append(name)
    elif code in SURVIVED_CODES:
        result.survived.append(name)
    else:  # no test reaches it, or not run: shown, and counted as a survivor
        result.untested.append(f"{name} (exit {code})")
        result.survived.append(name)


def run_module(module: str, known: set[str], again: bool) -> Result:
    files, tests = MODULES[module]
    result = Result(module)
    started = time.monotonic()
    scratch = REPO / "var" / "mutation" / module
    names = refresh_tests(scratch, files) if again else []
    if not again:
        scratch_copy(module, files, tests)
    if not again or names:
        run_mutmut(scratch, result, known, names)
    else:
        for name, code in sorted(mutmut_codes(scratch).items()):
            classify(result, name, code, known)
    tables = scratch / "tables.json"
    # A run stopped before its table step (or --again after one) runs every table mutant.
    before = json.loads(tables.read_text(encoding="utf-8")) if again and tables.exists() else {"killed": 0}
    only = set(before["survivors"]) if "survivors" in before else None
    killed, survivors, _ = run_table_mutants(scratch, files, tests, only)
    tables.write_text(json.dumps({"killed": before["killed"] + killed, "survivors": survivors}), encoding="utf-8")
    result.killed += before["killed"] + killed
    for name in survivors:
        (result.equivalent if name in known else result.survived).append(name)
    result.seconds = time.monotonic() - started
    return result


def report(result: Result) -> None:
    total = result.killed + len(result.survived) + len(result.equivalent)
    print(
        f"{result.module}: {result.score:.1f} % ({result.killed} killed of {total} mutants, "
        f"{len(result.survived)} survived, {len(result.equivalent)} equivalent) in {result.seconds:.0f} s",
        flush=True,
    )
    for name in result.survived:
        print(f"  survived: {name}")
    for name in result.untested:
        print(f"  no test reached: {name}")


def main(argv: list[str]) -> int:
    again = "--again" in argv
    modules = [a for a in argv if a != "--again"] or ["ids", "versioning", "lifecycle", "diff"]
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        raise SystemExit(f"unknown module(s) {unknown}; expected some of {list(MODULES)}")
    known = equivalents()
    preload()
    results = []
    for module in modules:
        results.append(run_module(module, known, again))
        report(results[-1])
    print("\n| module | score | killed | survived | equivalent | seconds |\n|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r.module} | {r.score:.1f} % | {r.killed} | {len(r.survived)} | {len(r.equivalent)} | {r.seconds:.0f} |"
        )
    return 0 if all(r.score >= THRESHOLD for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
