"""Kiosk tests run Qt offscreen. Fixtures: the demo hall on the real app (in this process, on its
FakeClock), kiosk-1's ApiClient on it over a network that fails on demand, real kiosk windows."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import pytest  # noqa: E402

from .fakes import FakePrinterService, make_config  # noqa: E402


@pytest.fixture(autouse=True, scope="package")
def _gc_in_gui_thread(qapp):
    """As in the terminals (clientlib.qtapp): a background request never collects Qt garbage;
    the tests after this package get Python's own collection back."""
    from clientlib.qtgc import collect_in_gui_thread, stop_collecting

    collect_in_gui_thread(qapp)
    yield
    stop_collecting()


@pytest.fixture
def kiosk_factory(qtbot):
    """Build real kiosk windows (offscreen) and close them after the test."""
    from kiosk.app import create_kiosk

    made = []

    def make(api=None, printer=None, size=(1080, 1920), start=True, **config):
        kiosk = create_kiosk(
            make_config(**config), api=api, printer=printer or FakePrinterService()
        )
        qtbot.addWidget(kiosk.window)
        kiosk.window.resize(*size)
        kiosk.window.show()
        if start:
            kiosk.presenter.start()
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()
    for kiosk in made:  # every backend and printer call ran off the GUI thread
        assert getattr(kiosk.api, "main_thread_calls", 0) == 0
        assert getattr(kiosk.printer, "main_thread_calls", 0) == 0


@pytest.fixture
def demo_hall(app, db_url, clock):
    """The demo hall on the real app, with its staff and device tokens (kiosk-1, kiosk-2...)."""
    from tests.counter.hall import setup_demo_hall

    from .hall import KioskHall

    return KioskHall(app, db_url, clock, setup_demo_hall(db_url, clock()))


@pytest.fixture
def kiosk_link(demo_hall):
    """(api, net): kiosk-1's ApiClient on the demo hall and the network under it."""
    return demo_hall.kiosk_api()


@pytest.fixture
def kiosk_api(kiosk_link):
    return kiosk_link[0]


@pytest.fixture
def demo_catalog(kiosk_api) -> dict:
    """GET /catalog of the demo hall as the real app answers kiosk-1 (no window open yet), for
    the tests of Catalog.from_api and the builders: what the server sends, never a copy of it."""
    return kiosk_api.catalog()


@pytest.fixture
def kiosk_net(kiosk_link):
    """The network under kiosk_api: FlakySession (fails on demand, records what was sent)."""
    return kiosk_link[1]


@pytest.fixture
def make_rig(demo_hall):
    """make_rig(start=True, **rig) -> a presenter of kiosk-1 on the real demo hall (李敏 at
    3号窗口 民政: MZ items are served now)."""
    opened: list[int] = []

    from .test_presenter import Rig

    def make(start=True, **kw) -> Rig:
        api, net = demo_hall.kiosk_api()
        if not opened:
            demo_hall.open_window(3, "clerk1")  # 3号窗口 民政 is open: MZ items can be served
            opened.append(3)
        r = Rig(api=api, net=net, demo=demo_hall, **kw)
        if start:
            r.start()
        return r

    return make
