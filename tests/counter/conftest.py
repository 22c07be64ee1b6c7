"""Counter tests run Qt offscreen; fixtures give a presenter on fakes, or a real counter window."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

from dataclasses import dataclass  # noqa: E402

import pytest  # noqa: E402

from counter.localstate import LocalState  # noqa: E402
from counter.presenter import Presenter  # noqa: E402
from tests.clientlib.fakes import FakeScheduler, ManualRunner  # noqa: E402

from .fakes import (  # noqa: E402
    FakeApi,
    FakeLiveFactory,
    FakeView,
    make_config,
)


@pytest.fixture(autouse=True)
def _private_config_dir(tmp_path, monkeypatch):
    """Never touch the real ~/.config."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


@dataclass
class Rig:
    """A presenter on fakes, and the fakes to drive and inspect it."""

    presenter: Presenter
    view: FakeView
    api: FakeApi
    live: FakeLiveFactory
    runner: ManualRunner
    scheduler: FakeScheduler
    local: LocalState

    def settle(self) -> None:
        self.runner.settle()

    def advance(self, seconds: float) -> None:
        self.scheduler.advance(seconds, self.runner)
        self.runner.settle()


@pytest.fixture
def make_rig(tmp_path):
    """make_rig(api=None, printer=None, **config) -> a started presenter on fakes (same state
    file each time)."""

    def make(api: FakeApi | None = None, printer=None, **config) -> Rig:
        config.setdefault("state_file", str(tmp_path / "counter-state.json"))
        cfg = make_config(**config)
        local = LocalState.load(cfg.state_file)
        view, live, runner, scheduler = (
            FakeView(),
            FakeLiveFactory(),
            ManualRunner(limit=200),
            FakeScheduler(),
        )
        api = api or FakeApi()
        presenter = Presenter(view, api, live, scheduler, cfg, runner, local, printer)
        presenter.start()
        runner.settle()
        return Rig(presenter, view, api, live, runner, scheduler, local)

    return make


@pytest.fixture
def counter_factory(qtbot, tmp_path):
    """Real counter windows (offscreen), closed after the test. With a fake `api` the live
    client is a FakeLiveFactory unless given; with api=None both are the real ones."""
    from counter.app import create_counter

    made = []

    def make(api=None, live=None, size=(1366, 768), **config):
        config.setdefault("state_file", str(tmp_path / "counter-state.json"))
        if api is not None and live is None:
            live = FakeLiveFactory()
        counter = create_counter(make_config(**config), api=api, live=live)
        qtbot.addWidget(counter.window)
        counter.window.resize(*size)
        counter.window.show()
        qtbot.waitExposed(counter.window)
        counter.presenter.start()
        made.append(counter)
        return counter

    yield make
    for counter in made:
        counter.close()
