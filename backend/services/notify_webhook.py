"""A generic HTTP webhook notifier: the SMS gateway (or a relay in front of it) receives

    POST <url>   Content-Type: application/json
    {"to": "13812341234", "text": "...", "kind": "away|called|case_finished",
     "hall": "qingshan", "ticket": "A012" | null, "id": 17}
    X-Onestop-Signature: sha256=<hex HMAC-SHA256 of the body with the shared secret>  (optional)

and answers 2xx when it took the message; anything else, a refused connection or no answer
within ``timeout`` seconds is a failed attempt the notify job retries with backoff. ``id`` is
the outbox row: a gateway may use it to drop a repeat. The full phone exists only in this
request body (the database keeps it sealed)."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request

from .notify import DeliveryError, Message, QueueingNotifier

SIGNATURE_HEADER = "X-Onestop-Signature"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookNotifier(QueueingNotifier):
    channel = "webhook"

    def __init__(self, url: str, secret: str = "", timeout: float = 5.0):
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"notify webhook URL must be http(s): {url!r}")
        self.url, self.secret, self.timeout = url, secret, timeout

    def deliver(self, message: Message) -> None:
        if not message.to:
            raise DeliveryError("no phone number to send to")
        body = json.dumps(
            {
                "to": message.to,
                "text": message.text,
                "kind": message.kind,
                "hall": message.hall,
                "ticket": message.ticket,
                "id": message.id,
            },
            ensure_ascii=False,
        ).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.secret:
            headers[SIGNATURE_HEADER] = signature(self.secret, body)
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"webhook answered {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise DeliveryError(f"webhook unreachable: {reason}") from None
        if not 200 <= status < 300:
            raise DeliveryError(f"webhook answered {status}")
