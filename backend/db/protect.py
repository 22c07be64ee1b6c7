"""Residents' personal data at rest: encrypted (Fernet) for staff who need it, digested (HMAC)
for matching repeat visits, masked for everything else.

The key comes from ``ONESTOP_DATA_KEY`` (a Fernet key) or the file ``var/data.key``, created
on first use with mode 0600. Back the key up with the database: without it the stored names,
phones and ID numbers cannot be read (the masked forms and digests still work).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken


class Protector:
    def __init__(self, key: bytes):
        self._fernet = Fernet(key)
        self._mac_key = hashlib.sha256(b"onestop-digest:" + key).digest()

    def seal(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode() if value else ""

    def open(self, sealed: str) -> str:
        if not sealed:
            return ""
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            return "（无法解密：数据密钥不匹配）"

    def digest(self, value: str) -> str:
        """Stable keyed digest of a normalised value (for 'same applicant' checks)."""
        normal = "".join(value.split()).upper()
        return hmac.new(self._mac_key, normal.encode(), hashlib.sha256).hexdigest()


def load_protector(key_file: Path) -> Protector:
    env = os.environ.get("ONESTOP_DATA_KEY")
    if env:
        return Protector(env.encode())
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another server process made it first
            pass
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(Fernet.generate_key())
    key = key_file.read_bytes().strip()
    if not key:  # the other process has not written it yet
        import time

        time.sleep(0.2)
        key = key_file.read_bytes().strip()
    return Protector(key)
