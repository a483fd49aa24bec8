"""``dc43-portal-check``: check a folder of contracts against a portal before they are published, for CI.

Each ``.yaml``, ``.yml`` or ``.json`` file is sent to ``POST /api/v1/contracts/check``. A file fails when
the document is invalid, or when it has breaking changes since the Validated version it supersedes without
a major version bump. The exit code is 0 when every file passes, 1 when one fails, 2 when the portal
cannot be asked (bad URL, token, network). ``--junit`` writes a JUnit XML report that CI systems show.

Light on purpose: the standard library and httpx only, no Django, so CI installs it in seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

SUFFIXES = {".yaml": "application/yaml", ".yml": "application/yaml", ".json": "application/json"}


class PortalUnreachable(Exception):
    """The portal refused the request or could not be reached: nothing was checked."""


@dataclass
class Outcome:
    path: Path
    answer: dict[str, Any]
    seconds: float
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        found = self.answer
        return f"{found.get('id')} {found.get('version')}" if found.get("id") else str(self.path)


def contract_files(paths: Iterable[Path]) -> list[Path]:
    """Every contract file under ``paths`` (files are taken as given), sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            found.add(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return sorted(found)


def judge(path: Path, answer: dict[str, Any], seconds: float) -> Outcome:
    """Invalid documents and unannounced breaking changes fail; the rest of the forecast is a note."""
    outcome = Outcome(path, answer, seconds)
    for problem in answer.get("errors", []):
        where = f"line {problem['line']}: " if problem.get("line") else ""
        outcome.failures.append(f"{where}{problem['path']}: {problem['message']}")
    breaking = (answer.get("summary") or {}).get("breaking", 0)
    if breaking and answer.get("actual_bump") != "major":
        outcome.failures.append(
            f"{breaking} breaking change(s) since Validated {answer.get('baseline')} need a major version; "
            f"this is {answer.get('actual_bump') or 'not an upgrade'}"
        )
    for warning in answer.get("warnings", []):
        outcome.notes.append(f"warning: {warning['path']}: {warning['message']}")
    if answer.get("required_bump") and answer.get("bump_sufficient") is False and not breaking:
        outcome.notes.append(f"the changes call for a {answer['required_bump']} version")
    outcome.notes += [f"approval: {reason}" for reason in (answer.get("approval") or {}).get("reasons", [])]
    return outcome


def check_file(client: httpx.Client, path: Path) -> Outcome:
    content_type = SUFFIXES.get(path.suffix.lower(), "application/yaml")
    started = time.perf_counter()
    try:
        response = client.post("contracts/check", content=path.read_bytes(), headers={"Content-Type": content_type})
    except httpx.HTTPError as exc:
        raise PortalUnreachable(f"{client.base_url}: {exc}") from exc
    seconds = time.perf_counter() - started
    if response.status_code in (401, 403, 404) or response.status_code >= 500:
        raise PortalUnreachable(f"{response.status_code} from {response.url}: {response.text[:300]}")
    if response.status_code != 200:  # a 413 or 415 is this file's problem
        answer = {"errors": [{"path": "$", "message": f"{response.status_code}: {response.text[:300]}", "line": None}]}
        return judge(path, answer, seconds)
    return judge(path, response.json(), seconds)


def junit_xml(outcomes: list[Outcome], seconds: float) -> bytes:
    failed = sum(1 for o in outcomes if o.failures)
    suite = ET.Element(
        "testsuite",
        name="dc43-portal-check",
        tests=str(len(outcomes)),
        failures=str(failed),
        errors="0",
        time=f"{seconds:.3f}",
    )
    for outcome in outcomes:
        case = ET.SubElement(
            suite, "testcase", classname="contracts", name=str(outcome.path), time=f"{outcome.seconds:.3f}"
        )
        if outcome.failures:
            failure = ET.SubElement(case, "failure", message=outcome.failures[0], type="ContractCheck")
            failure.text = "\n".join(outcome.failures)
        if outcome.notes:
            ET.SubElement(case, "system-out").text = "\n".join(outcome.notes)
    suites = ET.Element("testsuites", tests=str(len(outcomes)), failures=str(failed))
    suites.append(suite)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="utf-8", xml_declaration=False)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dc43-portal-check", description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("paths", nargs="+", type=Path, help="contract files or folders of them")
    parser.add_argument("--portal", default=os.environ.get("DC43_PORTAL_URL"), help="base URL (or DC43_PORTAL_URL)")
    parser.add_argument(
        "--token", default=os.environ.get("DC43_PORTAL_TOKEN"), help="a read token (or DC43_PORTAL_TOKEN)"
    )
    parser.add_argument("--junit", type=Path, help="write a JUnit XML report here")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    args = parser.parse_args(argv)
    if not args.portal:
        parser.error("--portal (or DC43_PORTAL_URL) is required")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    base = args.portal.rstrip("/") + "/api/v1/"
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    started = time.perf_counter()
    try:
        files = contract_files(args.paths)
        with httpx.Client(base_url=base, headers=headers, timeout=args.timeout) as client:
            outcomes = [check_file(client, path) for path in files]
    except (PortalUnreachable, FileNotFoundError) as exc:
        print(f"dc43-portal-check: {exc}", file=sys.stderr)
        return 2
    for outcome in outcomes:
        print(f"{'FAIL' if outcome.failures else 'ok  '}  {outcome.path}  ({outcome.name})")
        for line in outcome.failures + outcome.notes:
            print(f"      {line}")
    failed = sum(1 for o in outcomes if o.failures)
    print(f"{len(outcomes)} contract(s) checked, {failed} failed")
    if args.junit:
        args.junit.write_bytes(junit_xml(outcomes, time.perf_counter() - started))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
