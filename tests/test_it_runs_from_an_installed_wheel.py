"""The portal runs from its wheel, installed outside the checkout, laid out as the Dockerfile lays out the image.

Found when the image was first run: once installed, every HTML page answered 500 and ``demo_setup`` failed,
because templates, static files and the demo were looked for beside the checkout. Here the wheel is built,
installed with ``--no-deps`` into a fresh virtualenv at the path the Dockerfile's builder uses (inside a
temporary fake root), and its dependencies are those of the running environment, seen through a ``.pth``
file: the same pinned versions, without downloading them again. Then, as the image does: the Dockerfile's
``ENV``, its ``COPY`` of the entrypoint, its ``RUN dc43-portal collectstatic``, the entrypoint with
``dc43-portal demo_setup``, and the entrypoint with the default ``CMD`` (granian), bounded in time. What
cannot run without a Docker engine (the base image, ``useradd``, ``USER``) is skipped, and said so here.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import site
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dc43_portal.contracts.management.commands.demo_setup import DEMO_USERS
from tests.conftest import REPO
from tests.dockerfile import RuntimeStage, runtime_stage, stages

pytestmark = pytest.mark.installed
STEP_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeRoot:
    """The image's absolute paths (/app, /data, /opt...) mapped under a temporary folder."""

    def __init__(self, base: Path, stage: RuntimeStage) -> None:
        self.base, self.stage = base, stage
        self.pattern = re.compile(r"(?<![\w./])(" + "|".join(map(re.escape, stage.roots())) + r")(?![\w.-])")

    def path(self, image_path: str) -> Path:
        return self.base / image_path.lstrip("/")

    def rewrite(self, text: str) -> str:
        return self.pattern.sub(lambda m: str(self.base) + m.group(1), text)

    def env(self, **overrides: str) -> dict[str, str]:
        # Nothing of the checkout leaks in: no PYTHONPATH, no DATABASE_URL, no settings module of the tests.
        env = {"PATH": os.environ["PATH"], "HOME": str(self.base), "LANG": "C.UTF-8"}
        for key, value in self.stage.env.items():
            env[key] = self.rewrite(value).replace("$PATH", os.environ["PATH"])
        return env | overrides


def run(cmd: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=STEP_TIMEOUT)
    assert done.returncode == 0, f"{shlex.join(cmd)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def install_wheel(root: FakeRoot, work: Path) -> Path:
    """Build the wheel and install it alone into a virtualenv where the builder stage puts its own."""
    venv_copies = [c for c in root.stage.copies if c.from_stage]
    assert len(venv_copies) == 1, "the runtime stage copies one virtualenv from the builder"
    venv = root.path(venv_copies[0].dest)
    # The builder stage's build context (its COPY lines), so the build writes nothing into the checkout.
    src = work / "src"
    for copy in stages(REPO / "Dockerfile")[0].copies:
        for source in copy.sources:
            target = src / copy.dest / Path(source).name if copy.dest.endswith("/") else src / copy.dest
            if (REPO / source).is_dir():
                shutil.copytree(REPO / source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / source, target)
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE")}
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "wheels"), str(src)], clean, work)
    wheel = next((work / "wheels").glob("dc43_portal-*.whl"))
    base_python = getattr(sys, "_base_executable", sys.executable)
    run([base_python, "-m", "venv", "--without-pip", str(venv)], clean, work)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q"]
    run([*pip, "--no-deps", "--no-index", "--ignore-installed", str(wheel)], clean, work)
    # Then the pinned dependencies of the running environment, after the venv's own site-packages (the wheel).
    # Written after the install, or pip would find the checkout's editable install there and skip the wheel.
    venv_site = next((venv / "lib").glob("python3*/site-packages"))
    (venv_site / "shared_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return venv


def lay_out(root: FakeRoot) -> None:
    for copy in root.stage.copies:
        if copy.from_stage:
            continue
        (source,) = copy.sources
        target = root.path(copy.dest)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((REPO / source).read_bytes())
        target.chmod(int(copy.chmod, 8) if copy.chmod else (REPO / source).stat().st_mode)
    for folder in [*root.stage.volumes, root.stage.workdir]:
        root.path(folder).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeRoot, dict[str, str]]]:
    work = tmp_path_factory.mktemp("installed")
    root = FakeRoot(work / "root", runtime_stage(REPO / "Dockerfile"))
    venv = install_wheel(root, work)
    lay_out(root)
    env = root.env(HOST="127.0.0.1", PORT=str(free_port()), DJANGO_SECRET_KEY="installed-wheel-test-" + "x" * 40)
    where = run([str(venv / "bin" / "python"), "-c", "import dc43_portal; print(dc43_portal.__file__)"], env, work)
    assert where.stdout.startswith(str(venv)), f"dc43_portal came from {where.stdout}, not the installed wheel"
    workdir = root.path(root.stage.workdir)
    for command in root.stage.runs:
        if "dc43-portal" in command:  # the portal's own build steps; the others set up users and folders
            run(["sh", "-c", root.rewrite(command)], env, workdir)
    yield root, env


def entrypoint(root: FakeRoot) -> list[str]:
    return [root.rewrite(part) for part in root.stage.entrypoint]


@pytest.fixture(scope="module")
def demo(image: tuple[FakeRoot, dict[str, str]]) -> subprocess.CompletedProcess[str]:
    """``docker run IMAGE dc43-portal demo_setup``: the entrypoint migrates, then runs the command."""
    root, env = image
    return run([*entrypoint(root), "dc43-portal", "demo_setup"], env, root.path(root.stage.workdir))


def test_demo_setup_runs_through_the_entrypoint(
    image: tuple[FakeRoot, dict[str, str]], demo: subprocess.CompletedProcess[str]
) -> None:
    root, env = image
    assert "steward   / steward-demo" in demo.stdout
    assert (Path(env["DC43_VAR_DIR"]) / "db.sqlite3").is_file() and Path(env["DC43_VAR_DIR"]).is_relative_to(root.base)


@pytest.fixture(scope="module")
def served(image: tuple[FakeRoot, dict[str, str]], demo: subprocess.CompletedProcess[str]) -> Iterator[str]:
    root, env = image
    cmd = [*entrypoint(root), *(root.rewrite(part) for part in root.stage.cmd)]
    server = subprocess.Popen(
        cmd,
        env=env | {"WEB_CONCURRENCY": "1"},
        cwd=root.path(root.stage.workdir),
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{env['PORT']}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                httpx.get(url + "/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert server.poll() is None, f"the server exited:\n{server.stdout.read() if server.stdout else ''}"
        yield url
    finally:
        stop(server)


def stop(server: subprocess.Popen[str]) -> None:
    """End the server this test started (its own session), however it ended up."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        try:
            server.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def test_the_healthcheck_command_passes(image: tuple[FakeRoot, dict[str, str]], served: str) -> None:
    root, env = image
    assert httpx.get(served + "/healthz", timeout=5).json() == {"status": "ok"}
    run(["sh", "-c", root.rewrite(root.stage.healthcheck)], env, root.path(root.stage.workdir))


def test_it_serves_the_login_page_and_the_portals_css(served: str) -> None:
    login = httpx.get(served + "/accounts/login/", timeout=10)
    assert login.status_code == 200, login.text[:500]
    css_url = re.search(r'<link rel="stylesheet" href="([^"]+portal[^"]*\.css)"', login.text)
    assert css_url, "the login page links the portal's stylesheet"
    css = httpx.get(served + css_url.group(1), timeout=10)
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    source = (REPO / "dc43_portal" / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    assert css.text == source  # the collected file, whole
    htmx = re.search(r'<script src="([^"]+htmx[^"]*\.js)"', login.text)
    assert htmx and httpx.get(served + htmx.group(1), timeout=10).status_code == 200


# The demo's printed password, read from the command that sets it, so the two never drift apart.
STEWARD_PASSWORD = next(p for u, p, _ in DEMO_USERS if u == "steward")


def test_it_serves_a_contract_page_after_logging_in(served: str) -> None:
    with httpx.Client(base_url=served, timeout=10) as client:
        form = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert token, "the login form carries a CSRF token"
        login = client.post(
            "/accounts/login/",
            data={"username": "steward", "password": STEWARD_PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        )
        assert login.status_code == 302, login.text[:500]
        page = client.get("/contracts/sales.orders/")
        assert page.status_code == 200, page.text[:500]
        assert "sales.orders" in page.text and "steward" in page.text


def test_it_serves_an_api_read_and_its_revalidation(image: tuple[FakeRoot, dict[str, str]], served: str) -> None:
    root, env = image
    made = run(
        [*entrypoint(root), "dc43-portal", "create_api_token", "steward", "--scopes", "read"],
        env,
        root.path(root.stage.workdir),
    )
    token = made.stdout.strip().splitlines()[-1]
    auth = {"Authorization": f"Bearer {token}"}
    read = httpx.get(served + "/api/v1/contracts/sales.orders/latest", headers=auth, timeout=10)
    assert read.status_code == 200 and read.json()["id"] == "sales.orders", read.text[:500]
    again = httpx.get(
        served + "/api/v1/contracts/sales.orders/latest",
        headers=auth | {"If-None-Match": read.headers["ETag"]},
        timeout=10,
    )
    # The 304 comes from the revalidation lane the image's WSGI application wraps around Django.
    assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", read.headers["ETag"])
    assert (
        again.headers["X-Content-Type-Options"] == "nosniff"
        and "default-src 'none'" in again.headers["Content-Security-Policy"]
    )
