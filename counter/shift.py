"""What the counter's collaborators share about the clerk's shift: who is signed in at which
window, the counter state the server last sent, and the action on its way (if any)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .builders import Catalog
from .pending import Pending


@dataclass
class Shift:
    lang: str
    username: str = ""  # typed on the login screen (remembered between runs)
    window: int | None = None
    phase: str = "login"  # login | main
    user: str | None = None  # username of the logged-in session (token in api)
    display_name: str = ""
    catalog: Catalog | None = None
    state: dict | None = None  # GET /windows/<n>
    checked: set[int] = field(default_factory=set)  # materials ticked for the current ticket
    checked_for: int | None = None  # ... whose id is this
    busy: bool = False  # an action (and the reload after it) is on its way
    pending: Pending | None = None  # failed for lack of network; retried as is
    api_ok: bool = True
    live_ok: bool | None = None

    def current(self) -> dict | None:
        """The ticket at the counter, as the last counter state has it."""
        return (self.state or {}).get("current")

    def catalog_or_empty(self) -> Catalog:
        return self.catalog or Catalog({}, {})
