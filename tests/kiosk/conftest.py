"""Kiosk tests run Qt offscreen; the fixtures give a kiosk on a fake or a real backend."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import pytest  # noqa: E402

from .fakes import FakeApi, FakePrinterService, make_config  # noqa: E402


@pytest.fixture
def fake_api():
    return FakeApi()


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
