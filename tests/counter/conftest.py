"""Counter tests run Qt offscreen. Fixtures: a presenter on the real app (the demo hall, in this
process, on its FakeClock) with fakes only for Qt, the live socket and the network's failures;
or a real counter window."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

from dataclasses import dataclass  # noqa: E402

import pytest  # noqa: E402

from clientlib.api import ApiClient  # noqa: E402
from counter.localstate import LocalState  # noqa: E402
from counter.presenter import Presenter  # noqa: E402
from tests.clientlib.fakes import FakeScheduler, ManualRunner  # noqa: E402
from tests.flaskhttp import FlakySession, FlaskSession  # noqa: E402
from tests.support import FakeClock  # noqa: E402

from .fakes import FakeLiveFactory, FakeView, make_config  # noqa: E402
from .hall import HALL, DemoHall, setup_demo_hall  # noqa: E402


@pytest.fixture(autouse=True, scope="package")
def _gc_in_gui_thread(qapp):
    """As in the terminals (clientlib.qtapp): a background request never collects Qt garbage;
    the tests after this package get Python's own collection back."""
    from clientlib.qtgc import collect_in_gui_thread, stop_collecting

    collect_in_gui_thread(qapp)
    yield
    stop_collecting()


@pytest.fixture(autouse=True)
def _private_config_dir(tmp_path, monkeypatch):
    """Never touch the real ~/.config."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


@dataclass
class Rig:
    """A presenter and what drives and inspects it: the real hall behind the API, the network
    between them (`net`: fails on demand, records what was sent), and the fakes for the rest."""

    presenter: Presenter
    view: FakeView
    api: ApiClient
    net: FlakySession
    hall: DemoHall
    clock: FakeClock
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
def demo_hall(app, db_url, clock) -> DemoHall:
    """The demo hall on the real app, with its staff (clerk1 李敏, clerk2 张伟, ...)."""
    return DemoHall(app, db_url, clock, setup_demo_hall(db_url, clock()))


def _rig(tmp_path, api, net, hall, clock, printer, config) -> Rig:
    config.setdefault("state_file", str(tmp_path / "counter-state.json"))
    cfg = make_config(**config)
    local = LocalState.load(cfg.state_file)
    view, live = FakeView(), FakeLiveFactory()
    runner, scheduler = ManualRunner(limit=200), FakeScheduler()
    presenter = Presenter(view, api, live, scheduler, cfg, runner, local, printer)
    presenter.start()
    runner.settle()
    return Rig(presenter, view, api, net, hall, clock, live, runner, scheduler, local)


@pytest.fixture
def make_rig(tmp_path, demo_hall, hall_api, clock):
    """make_rig(printer=None, down=False, **config) -> a started presenter: a new terminal on
    the same hall each time (and the same state file). `down`: the network is down at start."""

    def make(printer=None, down: bool = False, **config) -> Rig:
        api, net = hall_api()
        net.down = down
        return _rig(tmp_path, api, net, demo_hall, clock, printer, config)

    return make


@pytest.fixture
def hall_api(app):
    """hall_api() -> (api, net): a new terminal's ApiClient of the demo hall on the real app,
    and the network under it (FlakySession: fails on demand, records what was sent)."""

    def make() -> tuple[ApiClient, FlakySession]:
        net = FlakySession(FlaskSession(app))
        return ApiClient("http://127.0.0.1:9", HALL, session=net, retries=0), net  # type: ignore[arg-type]

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
