"""A real onestop server in a subprocess on the test county (tests/support.py NETWORK: county →
towns "town", "east" → village "cun"), for end-to-end tests of referrals (上报/交办) across halls.

with NetworkServer(tmp_path) as server:
    server.url, server.password("clerk1"), server.device_token("kiosk-1", "town")
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime

from tests.live_server import ONESTOP, ROOT, LiveServer
from tests.support import PASSWORD, setup_network


class NetworkServer(LiveServer):
    """Like LiveServer, on the county network instead of the demo hall: every hall has clerks
    clerk1..3 and the manager boss (password tests.support.PASSWORD); ``hall`` is "town"."""

    def prepare(self) -> None:
        subprocess.run(
            [*ONESTOP, "--database", self.database_url, "db", "upgrade"],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )
        self.tokens = setup_network(self.database_url, datetime.now(UTC))
        users = {name: PASSWORD for name in ("clerk1", "clerk2", "clerk3", "boss")}
        self.credentials = {"hall": "town", "users": users, "devices": self.tokens["town"]}

    def device_token(self, code: str, hall: str = "town") -> str:
        return self.tokens[hall][code]
