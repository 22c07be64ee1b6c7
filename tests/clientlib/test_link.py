"""clientlib.link: one catalog request at a time, and the probe while the backend is down."""

from __future__ import annotations

from clientlib.api import ApiUnavailable
from clientlib.link import CatalogFetch, Probe
from clientlib.plumbing import Jobs

from .fakes import FakeScheduler, ManualRunner


class CatalogApi:
    def __init__(self):
        self.calls = 0
        self.down = False

    def catalog(self) -> dict:
        self.calls += 1
        if self.down:
            raise ApiUnavailable("connection refused")
        return {"version": 1}


def rig():
    api, runner, clock = CatalogApi(), ManualRunner(), FakeScheduler()
    jobs = Jobs(runner, clock)
    seen: list = []
    fetch = CatalogFetch(
        api, jobs, dict, lambda c, changed: seen.append(("loaded", changed)), seen.append
    )
    return api, runner, clock, jobs, fetch, seen


def test_one_request_at_a_time_and_whether_it_changed():
    api, runner, _clock, _jobs, fetch, seen = rig()
    fetch.load()
    fetch.load()  # while the first is on its way: the same request
    runner.settle()
    assert api.calls == 1 and seen == [("loaded", True)] and fetch.catalog == {"version": 1}
    fetch.load()
    runner.settle()
    assert api.calls == 2 and seen[-1] == ("loaded", False)


def test_the_probe_retries_until_the_backend_answers():
    api, runner, clock, jobs, fetch, seen = rig()
    probe = Probe(jobs, 3.0)
    api.down = True
    fetch.failed = lambda exc: probe.down(fetch.load)
    fetch.loaded = lambda catalog, changed: probe.up()
    fetch.load()
    runner.settle()
    assert probe.probing and api.calls == 1
    clock.advance(6.0, runner)
    assert api.calls == 3  # every 3 s, one timer however often it failed
    api.down = False
    clock.advance(3.0, runner)
    assert not probe.probing and api.calls == 4
    clock.advance(30.0, runner)
    assert api.calls == 4


def test_nothing_answers_or_fires_after_stop():
    api, runner, clock, jobs, fetch, seen = rig()
    Probe(jobs, 1.0).down(fetch.load)
    fetch.load()
    jobs.stop()
    runner.settle()
    clock.advance(10.0, runner)
    assert seen == [] and api.calls == 1
