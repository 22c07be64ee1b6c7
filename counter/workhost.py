"""What the Presenter's mixins (casework, lookuplocks) use of the Presenter: declared for the
type checker only, defined by counter.presenter.Presenter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clientlib.plumbing import Plumbing

if TYPE_CHECKING:
    from .pending import Pending
    from .presenter import View


class WorkHost(Plumbing):
    """The shared state and steps of the counter Presenter, as its mixins see them."""

    api: Any
    view: View
    lang: str
    window: int | None

    if TYPE_CHECKING:

        def _ready(self) -> bool: ...

        def _act(self, pending: Pending) -> None: ...

        def _window_act(self, key: str, action: str, body: dict | None = None) -> None: ...

        def _send(self, pending: Pending) -> None: ...

        def _pending_text(self, key: str) -> str: ...

        def _current(self) -> dict | None: ...

        def _render(self) -> None: ...

        def _notice(self, key: str, level: str) -> None: ...

        def _explain(self, exc: Exception) -> str: ...
