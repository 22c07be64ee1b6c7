"""Messages to residents (``services/notify*.py``): the states of an outbox row.

A row is written ``pending`` (never sent inside the request that caused it), claimed as
``sending`` just before the notifier is called, and ends ``sent``, or ``failed`` when every
attempt failed or a send was interrupted (it may have gone out, so it is never sent again); a
failed attempt with attempts left puts it back to ``pending``."""

from __future__ import annotations

from enum import StrEnum


class NotificationState(StrEnum):
    PENDING = "pending"  # due at its next attempt
    SENDING = "sending"  # claimed by one process, the notifier being called
    SENT = "sent"
    FAILED = "failed"


# not settled yet: the notify job acts on these once their ``next_attempt_at`` has passed (a
# pending row is sent, a row still sending then was interrupted)
UNSETTLED = frozenset({NotificationState.PENDING, NotificationState.SENDING})
