"""What the Presenter's flow mixins (appointflow, caseflow, printflow, backendlink) use of
each other and of the Presenter: declared for the type checker only, defined by the Presenter."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from clientlib.plumbing import Plumbing, Runner

if TYPE_CHECKING:
    from clientlib.printing import Condition

    from . import builders as b
    from .catalog import Catalog
    from .config import KioskConfig
    from .presenter import Intent


class FlowHost(Plumbing):
    """The shared state and steps of the kiosk Presenter, as its mixins see them."""

    api: Any
    printer: Any
    print_runner: Runner
    config: KioskConfig
    language: str
    state: str
    catalog: Catalog | None
    issued: b.Issued | None
    leave_after_print: bool
    mode: b.Mode | None
    intent: Intent | None
    issuing: bool
    notice: Callable[[str], str] | None  # why the last ticket request failed
    guide_print: tuple[str, tuple[str, str]] | None  # state, cause
    printing_ticket: bool
    printing_guide: bool
    printing_case: bool
    _checking_printer: bool
    _catalog_loading: bool
    printer_condition: Condition
    printer_message: str

    if TYPE_CHECKING:

        @property
        def top(self) -> tuple: ...

        def _render(self) -> None: ...

        def _push(self, *entry: Any) -> None: ...

        def _navigated(self) -> None: ...

        def _home(self) -> None: ...

        def _reset(self) -> None: ...

        def user_activity(self) -> None: ...

        def _show_ticket(self, code: str, result: dict, mode: b.Mode | None) -> None: ...

        def _go_offline(self, exc: Exception) -> None: ...

        def _go_out_of_service(self, exc: Exception) -> None: ...

        def _report(self) -> None: ...

        def _check_printer(self) -> None: ...

        def _note_printer(
            self, condition: Condition, message: str, force: bool = False
        ) -> None: ...
