"""Read the runtime stage of the Dockerfile, so the installed-wheel test lays out what the image holds.

Only what the test mirrors is parsed: ``ENV``, ``WORKDIR``, ``COPY``, ``VOLUME``, ``RUN``, ``HEALTHCHECK``,
``ENTRYPOINT`` and ``CMD`` of the last stage. No Docker engine runs here, so this is the nearest honest copy.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Copy:
    sources: list[str]
    dest: str
    from_stage: str | None
    chmod: str | None = None


@dataclass
class RuntimeStage:
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    copies: list[Copy] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)
    healthcheck: str = ""
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)

    def roots(self) -> list[str]:
        """The absolute folders the image adds: where the test puts its fake root's copies."""
        paths = [c.dest for c in self.copies] + self.volumes + [self.workdir]
        return sorted({"/" + p.strip("/").split("/")[0] for p in paths if p.startswith("/") and p != "/"})


def instructions(text: str) -> list[tuple[str, str]]:
    """(keyword, arguments) per instruction, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    out = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def exec_form(value: str) -> list[str]:
    return list(json.loads(value)) if value.startswith("[") else ["sh", "-c", value]


def stages(dockerfile: Path) -> list[RuntimeStage]:
    """Every stage, in order; the last one is the image."""
    found: list[RuntimeStage] = []
    for keyword, rest in instructions(dockerfile.read_text(encoding="utf-8")):
        if keyword == "FROM":
            found.append(RuntimeStage())
            continue
        stage = found[-1]
        if keyword == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                stage.env[key] = value
        elif keyword == "WORKDIR":
            stage.workdir = rest
        elif keyword == "COPY":
            words = shlex.split(rest)
            flags = dict(w[2:].partition("=")[::2] for w in words if w.startswith("--"))
            paths = [w for w in words if not w.startswith("--")]
            stage.copies.append(Copy(paths[:-1], paths[-1], flags.get("from"), flags.get("chmod")))
        elif keyword == "VOLUME":
            stage.volumes += exec_form(rest) if rest.startswith("[") else rest.split()
        elif keyword == "RUN":
            stage.runs.append(rest)
        elif keyword == "HEALTHCHECK":
            stage.healthcheck = rest.split(" CMD ", 1)[1].strip()
        elif keyword == "ENTRYPOINT":
            stage.entrypoint = exec_form(rest)
        elif keyword == "CMD":
            stage.cmd = exec_form(rest)
    return found


def runtime_stage(dockerfile: Path) -> RuntimeStage:
    return stages(dockerfile)[-1]
