"""The presenter's link to the backend: catalog (re)loading, going offline when it cannot be
reached and probing until it answers again, the device heartbeat, and going out of service
when the backend refuses this kiosk.

Out of service (暂停服务): a heartbeat, a ticket request or a case query answered 401/403 means
the kiosk's token was revoked (``onestop device token`` issued a new one) or the device was
deactivated. The catalog is public, so it would keep loading: only an authenticated call can
tell, and the heartbeat is one every ``heartbeat_seconds``. Out of service the kiosk sends the
heartbeat every ``retry_seconds``, each time with the token read again from its config file
(``token`` or ``token_file``), so writing the new token there brings it back without a
restart; a device re-activated with its old token comes back the same way.
"""

from __future__ import annotations

import logging
from pathlib import Path

from clientlib.api import ApiError, ApiUnavailable
from clientlib.printing import Condition

from . import __version__
from .catalog import Catalog
from .config import ConfigError, load_config
from .flowhost import FlowHost
from .i18n import tr
from .screens import OutOfServiceScreen

log = logging.getLogger(__name__)


def refused(exc: Exception) -> bool:
    """The backend does not accept this kiosk (as opposed to refusing one request)."""
    return isinstance(exc, ApiError) and exc.status in (401, 403)


def out_of_service_screen(lang: str, phone: str = "") -> OutOfServiceScreen:
    other = "en" if lang == "zh" else "zh"
    return OutOfServiceScreen(
        title=tr("out_of_service_title", lang),
        message=tr("out_of_service_message", lang),
        title_other=tr("out_of_service_title", other),
        message_other=tr("out_of_service_message", other),
        detail=tr("out_of_service_detail", lang),
        phone=tr("supervision", lang, phone=phone) if phone else "",
    )


class BackendLink(FlowHost):
    """Part of Presenter: reaching the backend, offline/ready/out of service, heartbeats."""

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
        self._stop_timer("probe")
        if self.state == "out_of_service":
            return  # the catalog is public: only an accepted heartbeat brings it back
        was, self.state, self.offline_reason = self.state, "ready", ""
        if was != "ready":
            log.info("backend reachable; ticketing open")
            self._report()
            self._render()
        elif changed and self.top[0] in ("home", "departments", "items", "search", "guide"):
            self._render()

    def _catalog_failed(self, exc: Exception) -> None:
        self._catalog_loading = False
        if isinstance(exc, ApiUnavailable) or self.catalog is None:
            self._go_offline(exc)
        else:
            log.warning("catalog refresh failed: %s", exc)

    def _go_offline(self, exc: Exception) -> None:
        if self.state == "out_of_service":
            return  # still refused as far as we know; the service probe keeps asking
        if self.state != "offline":
            log.warning("backend unreachable, ticketing paused: %s", exc)
        self.state, self.offline_reason = "offline", str(exc)
        if "probe" not in self._timers:
            self._start_timer("probe", self.config.retry_seconds, self._load_catalog, True)
        self._render()

    def _go_out_of_service(self, exc: Exception) -> None:
        """The backend refused this kiosk: 暂停服务 at once, until a heartbeat is accepted."""
        if self.state != "out_of_service":
            log.error("backend refused this kiosk, out of service: %s", exc)
        self.state, self.offline_reason = "out_of_service", str(exc)
        self.issuing, self.intent = False, None
        self._stop_timer("probe")
        if "service_probe" not in self._timers:
            self._start_timer("service_probe", self.config.retry_seconds, self._probe_service, True)
        if self.top[0] == "confirmation":
            self._render()  # a ticket already issued stays on screen until it times out
        else:
            self._home()  # whoever was typing is gone by the time it comes back

    def _probe_service(self) -> None:
        """Out of service: the heartbeat again, with the token as the config file has it now."""
        if self.state != "out_of_service":
            self._stop_timer("service_probe")
            return
        token = self._configured_token()
        if token and token != self.api.token:
            log.info("kiosk token changed in %s; trying it", self.config.source)
            self.api.token = token
        self._send_report(self._back_in_service, self._probe_failed)

    def _configured_token(self) -> str | None:
        source = Path(self.config.source)
        if not source.is_file():
            return None
        try:
            return load_config(source).token
        except ConfigError as exc:
            log.warning("kiosk config not re-read: %s", exc)
            return None

    def _probe_failed(self, exc: Exception) -> None:
        if not refused(exc):
            log.info("still out of service: %s", exc)

    def _back_in_service(self, _result=None) -> None:
        if self.state != "out_of_service":
            return
        log.info("backend accepts this kiosk again; ticketing open")
        self._stop_timer("service_probe")
        self.offline_reason = ""
        if self.catalog is None:
            self.state = "starting"
            self._load_catalog()  # -> ready (or offline), and renders
            return
        self.state = "ready"
        self._render()
        self._load_catalog()  # a fresh one: it may have changed meanwhile

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
        self._send_report(lambda _result: None, self._report_failed)

    def _send_report(self, on_done, on_error) -> None:
        printer = {
            "condition": self.printer_condition.value,
            "message": self.printer_message[:200],
        }
        self._call(
            lambda: self.api.report_device_status(
                self.config.kiosk, printer=printer, version=f"kiosk {__version__}"
            ),
            on_done,
            on_error,
        )

    def _report_failed(self, exc: Exception) -> None:
        if refused(exc):
            self._go_out_of_service(exc)
        elif isinstance(exc, ApiUnavailable):
            self._go_offline(exc)
        else:
            log.warning("heartbeat refused: %s", exc)
