"""A real onestop server in a subprocess on the demo hall, for end-to-end tests.

with LiveServer(tmp_path) as server:
    server.url, server.kiosk_token, server.password("clerk1"), server.restart()
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
ONESTOP = [sys.executable, "-m", "backend.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(
        self,
        tmp_path: Path,
        database_url: str | None = None,
        env: dict[str, str] | None = None,
        port: int | None = None,
        gunicorn: bool = False,
        threads: int = 32,
    ):
        self.gunicorn, self.threads = gunicorn, threads
        self.dir = Path(tmp_path)
        self.database_url = database_url or f"sqlite:///{self.dir / 'live.db'}"
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {"PYTHONUNBUFFERED": "1"} | (env or {})
        self.credentials_path = self.dir / "credentials.toml"
        self.process: subprocess.Popen | None = None
        self.log_path = self.dir / f"server-{self.port}.log"
        self.credentials: dict = {}

    def prepare(self) -> None:
        subprocess.run(
            [
                *ONESTOP,
                "--database",
                self.database_url,
                "demo",
                "--credentials",
                str(self.credentials_path),
                # the demo hall and its county only: each demo user costs a scrypt hash, and
                # the live tests need no second town (tests/test_demo_network.py loads them all)
                "--network",
                "config/demo-county.toml",
                "config/demo-hall.toml",
            ],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )
        self.credentials = tomllib.loads(self.credentials_path.read_text(encoding="utf-8"))

    def start(self, timeout: float = 20.0) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        if self.gunicorn:  # production shape: one uvicorn worker, the API in a thread pool
            gunicorn = str(Path(sys.executable).with_name("gunicorn"))
            command = [
                gunicorn,
                "-w",
                "1",
                "-k",
                "uvicorn_worker.UvicornWorker",
                "--graceful-timeout",
                "5",
                "-b",
                f"127.0.0.1:{self.port}",
                "backend.asgi:app",
            ]
        else:
            command = [
                *ONESTOP,
                "--database",
                self.database_url,
                "serve",
                "--port",
                str(self.port),
                "--threads",
                str(self.threads),
            ]
        env = self.env | {
            "ONESTOP_DATABASE_URL": self.database_url,
            "ONESTOP_HTTP_THREADS": str(self.threads),
        }
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"server exited: {self.log_path.read_text(errors='replace')[-2000:]}"
                )
            try:
                if requests.get(self.url + "/healthz", timeout=0.5).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start in {timeout}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def hall(self) -> str:
        return self.credentials["hall"]

    def device_token(self, code: str) -> str:
        return self.credentials["devices"][code]

    @property
    def kiosk_token(self) -> str:
        return self.device_token("kiosk-1")

    def password(self, username: str) -> str:
        return self.credentials["users"][username]

    def __enter__(self) -> LiveServer:
        self.prepare()
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
