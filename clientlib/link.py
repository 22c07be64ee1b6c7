"""What both terminals do to stay in touch with the backend: fetch the hall's catalog (one
request at a time, the last one kept) and, while the backend cannot be reached ("API down"),
try again every ``retry_seconds`` until it answers.

    catalogs = CatalogFetch(api, jobs, Catalog.from_api, on_loaded, on_failed)
    probe = Probe(jobs, config.retry_seconds)
    probe.down(catalogs.load)   # on ApiUnavailable: retry until ...
    probe.up()                  # ... an answer arrives
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from .plumbing import Jobs

T = TypeVar("T")


class CatalogFetch(Generic[T]):
    """GET /catalog, parsed by `parse`; `loaded(catalog, changed)` or `failed(exc)` after each.
    A load asked for while one is on its way is that one."""

    def __init__(
        self,
        api: Any,
        jobs: Jobs,
        parse: Callable[[dict], T],
        loaded: Callable[[T, bool], None],
        failed: Callable[[Exception], None],
    ):
        self.api, self.jobs, self.parse = api, jobs, parse
        self.loaded, self.failed = loaded, failed
        self.catalog: T | None = None
        self._loading = False

    def load(self) -> None:
        if self._loading:
            return
        self._loading = True
        self.jobs.call(self.api.catalog, self._loaded, self._failed)

    def _loaded(self, data: dict) -> None:
        self._loading = False
        catalog = self.parse(data)
        changed, self.catalog = catalog != self.catalog, catalog
        self.loaded(catalog, changed)

    def _failed(self, exc: Exception) -> None:
        self._loading = False
        self.failed(exc)


class Probe:
    """The backend is down: `retry` every `seconds` (one timer, `name`) until `up()`."""

    def __init__(self, jobs: Jobs, seconds: float, name: str = "probe"):
        self.jobs, self.seconds, self.name = jobs, seconds, name

    def down(self, retry: Callable[[], None]) -> None:
        if not self.jobs.has_timer(self.name):
            self.jobs.start_timer(self.name, self.seconds, retry, True)

    def up(self) -> None:
        self.jobs.stop_timer(self.name)

    @property
    def probing(self) -> bool:
        return self.jobs.has_timer(self.name)
