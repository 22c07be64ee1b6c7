"""The presenter's link to the backend: catalog (re)loading, going offline when it cannot be
reached and probing until it answers again, and the device heartbeat."""

from __future__ import annotations

import logging

from clientlib.api import ApiUnavailable
from clientlib.plumbing import Plumbing
from clientlib.printing import Condition

from . import __version__
from .catalog import Catalog

log = logging.getLogger(__name__)


class BackendLink(Plumbing):
    """Part of Presenter: reaching the backend, offline/ready, heartbeats."""

    def check_connection(self) -> None:
        """Reload the catalog now, as the periodic retry does (offline -> ready if it answers)."""
        self._load_catalog()

    def _load_catalog(self) -> None:
        if self._catalog_loading:
            return
        self._catalog_loading = True
        self._call(self.api.catalog, self._catalog_loaded, self._catalog_failed)

    def _refresh_catalog(self) -> None:
        if self.state == "ready":
            self._load_catalog()

    def _catalog_loaded(self, data: dict) -> None:
        self._catalog_loading = False
        catalog = Catalog.from_api(data)
        changed, self.catalog = catalog != self.catalog, catalog
        was, self.state, self.offline_reason = self.state, "ready", ""
        self._stop_timer("probe")
        if was != "ready":
            log.info("backend reachable; ticketing open")
            self._report()
            self._render()
        elif changed and self.top[0] in ("home", "departments", "items", "search"):
            self._render()

    def _catalog_failed(self, exc: Exception) -> None:
        self._catalog_loading = False
        if isinstance(exc, ApiUnavailable) or self.catalog is None:
            self._go_offline(exc)
        else:
            log.warning("catalog refresh failed: %s", exc)

    def _go_offline(self, exc: Exception) -> None:
        if self.state != "offline":
            log.warning("backend unreachable, ticketing paused: %s", exc)
        self.state, self.offline_reason = "offline", str(exc)
        if "probe" not in self._timers:
            self._start_timer("probe", self.config.retry_seconds, self._load_catalog, True)
        self._render()

    def _heartbeat(self) -> None:
        if self.state != "ready":
            return
        self._report()
        if self.printer_condition not in (Condition.READY, Condition.PAPER_NEAR_END):
            self._check_printer()  # so a fixed printer shows as fixed on the board

    def _report(self) -> None:
        """POST the heartbeat with the last known printer condition."""
        if self.state != "ready":
            return  # the first heartbeat after reconnecting carries it
        printer = {
            "condition": self.printer_condition.value,
            "message": self.printer_message[:200],
        }
        self._call(
            lambda: self.api.report_device_status(
                self.config.kiosk, printer=printer, version=f"kiosk {__version__}"
            ),
            lambda _result: None,
            self._report_failed,
        )

    def _report_failed(self, exc: Exception) -> None:
        if isinstance(exc, ApiUnavailable):
            self._go_offline(exc)
        else:
            log.warning("heartbeat refused: %s", exc)
