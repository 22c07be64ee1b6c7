"""The kiosk's link to the backend: catalog (re)loading, going offline when it cannot be
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clientlib.api import ApiError, ApiUnavailable
from clientlib.link import CatalogFetch, Probe
from clientlib.plumbing import Jobs

from . import __version__
from .catalog import Catalog
from .config import ConfigError, KioskConfig, load_config
from .i18n import tr
from .printflow import Printing
from .screens import OutOfServiceScreen
from .session import Navigator, Session

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


class BackendLink:
    """Reaching the backend: offline / ready / out of service, the catalog, heartbeats (with
    the printer's condition from `printing`)."""

    def __init__(
        self,
        api: Any,
        config: KioskConfig,
        jobs: Jobs,
        session: Session,
        nav: Navigator,
        printing: Printing,
    ):
        self.api, self.config, self.jobs = api, config, jobs
        self.session, self.nav, self.printing = session, nav, printing
        self.catalogs = CatalogFetch(
            api, jobs, Catalog.from_api, self._catalog_loaded, self._catalog_failed
        )
        self.probe = Probe(jobs, config.retry_seconds)  # offline: the catalog until it answers
        self.service_probe = Probe(jobs, config.retry_seconds, "service_probe")  # refused

    def start(self) -> None:
        self.load_catalog()
        self.printing.check()
        self.jobs.start_timer("heartbeat", self.config.heartbeat_seconds, self._heartbeat, True)
        self.jobs.start_timer(
            "refresh", self.config.catalog_refresh_seconds, self._refresh_catalog, True
        )

    def load_catalog(self) -> None:
        """Reload the catalog now, as the periodic retry does (offline -> ready if it answers)."""
        self.catalogs.load()

    def _refresh_catalog(self) -> None:
        if self.session.state == "ready":
            self.load_catalog()

    def _catalog_loaded(self, catalog: Catalog, changed: bool) -> None:
        s = self.session
        s.catalog = catalog
        self.probe.up()
        if s.state == "out_of_service":
            return  # the catalog is public: only an accepted heartbeat brings it back
        was, s.state, s.offline_reason = s.state, "ready", ""
        if was != "ready":
            log.info("backend reachable; ticketing open")
            self.report()
            self.nav.render()
        elif changed and s.top[0] in ("home", "departments", "items", "search", "guide"):
            self.nav.render()

    def _catalog_failed(self, exc: Exception) -> None:
        if isinstance(exc, ApiUnavailable) or self.session.catalog is None:
            self.go_offline(exc)
        else:
            log.warning("catalog refresh failed: %s", exc)

    def failed(self, exc: Exception) -> bool:
        """After a call failed: offline or out of service if that is what it says (True)."""
        if isinstance(exc, ApiUnavailable):
            self.go_offline(exc)
            return True
        if refused(exc):
            self.go_out_of_service(exc)
            return True
        return False

    def go_offline(self, exc: Exception) -> None:
        s = self.session
        if s.state == "out_of_service":
            return  # still refused as far as we know; the service probe keeps asking
        if s.state != "offline":
            log.warning("backend unreachable, ticketing paused: %s", exc)
        s.state, s.offline_reason = "offline", str(exc)
        self.probe.down(self.load_catalog)
        self.nav.render()

    def go_out_of_service(self, exc: Exception) -> None:
        """The backend refused this kiosk: 暂停服务 at once, until a heartbeat is accepted."""
        s = self.session
        if s.state != "out_of_service":
            log.error("backend refused this kiosk, out of service: %s", exc)
        s.state, s.offline_reason = "out_of_service", str(exc)
        s.issuing, s.intent = False, None
        self.probe.up()
        self.service_probe.down(self._probe_service)
        if s.top[0] == "confirmation":
            self.nav.render()  # a ticket already issued stays on screen until it times out
        else:
            self.nav.home()  # whoever was typing is gone by the time it comes back

    def _probe_service(self) -> None:
        """Out of service: the heartbeat again, with the token as the config file has it now."""
        if self.session.state != "out_of_service":
            self.service_probe.up()
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
        s = self.session
        if s.state != "out_of_service":
            return
        log.info("backend accepts this kiosk again; ticketing open")
        self.service_probe.up()
        s.offline_reason = ""
        if s.catalog is None:
            s.state = "starting"
            self.load_catalog()  # -> ready (or offline), and renders
            return
        s.state = "ready"
        self.nav.render()
        self.load_catalog()  # a fresh one: it may have changed meanwhile

    def _heartbeat(self) -> None:
        if self.session.state != "ready":
            return
        self.report()
        if not self.printing.fine:
            self.printing.check()  # so a fixed printer shows as fixed on the board

    def report(self) -> None:
        """POST the heartbeat with the last known printer condition."""
        if self.session.state != "ready":
            return  # the first heartbeat after reconnecting carries it
        self._send_report(lambda _result: None, self._report_failed)

    def _send_report(self, on_done: Callable[[Any], None], on_error) -> None:
        printer = {
            "condition": self.printing.condition.value,
            "message": self.printing.message[:200],
        }
        self.jobs.call(
            lambda: self.api.report_device_status(
                self.config.kiosk, printer=printer, version=f"kiosk {__version__}"
            ),
            on_done,
            on_error,
        )

    def _report_failed(self, exc: Exception) -> None:
        if refused(exc):
            self.go_out_of_service(exc)
        elif isinstance(exc, ApiUnavailable):
            self.go_offline(exc)
        else:
            log.warning("heartbeat refused: %s", exc)
