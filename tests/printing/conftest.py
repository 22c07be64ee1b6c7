from collections.abc import Iterator

import pytest

from .fake_printer import FakePrinter


@pytest.fixture
def fake_printer() -> Iterator[FakePrinter]:
    """A started fake network printer in state "ok", mode "normal"; stopped afterwards."""
    with FakePrinter() as printer:
        yield printer
