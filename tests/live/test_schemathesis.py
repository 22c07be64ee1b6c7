"""Schemathesis against a real server (``onestop serve`` on the demo hall), once per role a
caller can hold: a clerk, a manager and a kiosk. Thousands of generated requests from the
OpenAPI document, valid and invalid, as single calls and as stateful sequences: not one may
be answered with a server error, on SQLite and on PostgreSQL. Bounded in time per role."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.live_server import LiveServer

pytestmark = pytest.mark.slow

SECONDS_PER_ROLE = 30
# No server error; every answer is described by the document: its body fits the schema of its
# status (200: the endpoint's model, else the error), and its media type is one it lists.
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
ST = Path(sys.executable).with_name("st")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fuzzed_server(request, tmp_path):
    url = None
    if request.param == "postgres":
        url = request.getfixturevalue("pg_schema_url")
        if url is None:
            pytest.skip("PostgreSQL not configured (ONESTOP_TEST_DATABASE_URL)")
    with LiveServer(tmp_path, database_url=url) as server:
        yield server


def bearer(server: LiveServer, role: str) -> str:
    if role == "kiosk":
        return server.kiosk_token
    username = {"clerk": "clerk1", "manager": "manager"}[role]
    r = requests.post(
        server.url + "/api/v1/auth/login",
        json={"hall": server.hall, "username": username, "password": server.password(username)},
        timeout=10,
    )
    r.raise_for_status()
    return r.json()["token"]


def denied(doc: dict, role: str) -> int:
    """Operations the role may not call: only these (and the login with random credentials,
    the rating refused to all but a pad, another device's heartbeat) may answer only 401/403."""
    return sum(
        1
        for methods in doc["paths"].values()
        for op in methods.values()
        if "x-roles" in op and role not in op["x-roles"]
    )


def only_tool_errors(output: str) -> bool:
    """True when every test case passed and the only errors are schemathesis's own unclassified
    "Runtime Error"s (raised inside its data generation, never an answer of the API; seen once
    in the coverage phase). A failed check, a network error or a timeout still fails."""
    cases = re.search(r"Test cases:\s*\n\s*(.+)", output)
    errors = re.findall(r"🚫 ([^:\n]+): \d+", output.split("Errors:", 1)[-1].split("Warnings:")[0])
    passed = cases is not None and "failed" not in cases[1]
    return passed and bool(errors) and all(kind.strip() == "Runtime Error" for kind in errors)


def findings(output: str) -> str:
    """The failures and errors sections of schemathesis's report (before its long warnings)."""
    start = min((i for i in (output.find("FAILURES"), output.find("ERRORS")) if i >= 0), default=-1)
    return output[start : start + 4000] if start >= 0 else ""


def test_no_server_error_for_any_generated_request(fuzzed_server, tmp_path):
    if not ST.exists() and not shutil.which("st"):
        pytest.fail("schemathesis is not installed: `make test` installs the dev extras")
    server = fuzzed_server
    config = tmp_path / "schemathesis.toml"
    # Every operation lives under /halls/<hall>: a random hall code only meets 404s.
    config.write_text(f'[parameters]\nhall = "{server.hall}"\n', encoding="utf-8")
    doc = requests.get(f"{server.url}/api/v1/openapi.json", timeout=10).json()
    failures = []
    for role in ("clerk", "manager", "kiosk"):
        run = subprocess.run(
            [
                str(ST if ST.exists() else shutil.which("st")),
                "--config-file",
                str(config),
                "run",
                f"{server.url}/api/v1/openapi.json",
                "--header",
                f"Authorization: Bearer {bearer(server, role)}",
                "--checks",
                CHECKS,
                "--max-time",
                str(SECONDS_PER_ROLE),
                "--max-examples",
                "40",
                "--workers",
                "2",
                "--seed",
                "20261201",
                "--request-timeout",
                "10",
                "--no-color",
                # Logging out would revoke the token: every later request would meet only 401.
                "--exclude-path",
                "/api/v1/auth/logout",
            ],
            capture_output=True,
            text=True,
            timeout=SECONDS_PER_ROLE * 4 + 60,
        )
        summary = run.stdout[-3000:]
        if run.returncode != 0 and not only_tool_errors(run.stdout):
            failures.append(
                f"--- as {role} (exit {run.returncode}) ---\n{findings(run.stdout)}\n"
                f"{summary}\n{run.stderr[-1000:]}"
            )
        assert "generated" in run.stdout, summary  # it ran and tested something
        refused = re.search(r"Authentication failed: (\d+) operations", run.stdout)
        only_refused = int(refused[1]) if refused else 0
        assert only_refused <= denied(doc, role) + 3, f"as {role}: the token stopped working?"
    log = server.log_path.read_text(errors="replace")
    assert "Traceback" not in log, log[-4000:]
    assert not failures, "\n".join(failures)
