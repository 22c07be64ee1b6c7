"""The 受理回执's QR code opens the hall's public address (from the backend's catalog), not the
counter's backend address a resident's phone cannot reach; without one the receipt still prints,
with the backend address, and the clerk is told so."""

from __future__ import annotations

from counter import casebuild as cb
from counter.builders import Catalog

from .fakes import FakePrinter
from .test_casework import accept, serving
from .test_presenter import signed_in


def printed_receipt(make_rig, demo_hall, public_url: str | None):
    if public_url is not None:
        demo_hall.configure(public_url=public_url)
    printer = FakePrinter()
    rig = signed_in(make_rig(printer=printer))
    serving(rig)
    accept(rig)
    rig.presenter.print_case()
    rig.settle()
    [(kind, receipt)] = printer.printed
    assert kind == "acceptance"
    token = rig.hall.counter_state(3)["current"]["status_token"]
    return rig, receipt, token


def test_the_qr_code_opens_the_halls_public_address(make_rig, demo_hall):
    rig, receipt, token = printed_receipt(make_rig, demo_hall, "https://banshi.example.gov.cn/")
    assert receipt.status_url == f"https://banshi.example.gov.cn/t/{token}"
    assert "127.0.0.1" not in receipt.status_url
    assert rig.view.notices[-1] == ("受理回执已打印  Receipt printed", "ok")


def test_without_a_public_address_the_clerk_is_warned(make_rig, demo_hall):
    rig, receipt, token = printed_receipt(make_rig, demo_hall, "")
    assert receipt.status_url == f"http://127.0.0.1:9/t/{token}"  # the fallback
    text, level = rig.view.notices[-1]
    assert level == "error" and text.startswith("受理回执已打印") and "public_url" in text


def test_status_base_prefers_the_catalog(demo_hall):
    demo_hall.configure(public_url="")
    hall = demo_hall.get("/catalog", demo_hall.device()).json
    assert cb.status_base(Catalog.from_api(hall), "http://10.0.0.5:5000/") == (
        "http://10.0.0.5:5000",
        True,
    )
    hall["hall"]["public_url"] = "https://q.example.cn"
    assert cb.status_base(Catalog.from_api(hall), "http://10.0.0.5:5000") == (
        "https://q.example.cn",
        False,
    )


def test_the_backend_catalog_carries_the_validated_public_address(app, db_url, clock):
    import pytest

    from backend.hallconfig import ConfigError, parse_config
    from tests.support import HallClient, hall_config, setup_hall

    data = hall_config("town", hall={"public_url": "https://banshi.example.gov.cn/"})
    hall = HallClient(app, "town", setup_hall(db_url, data, clock()))
    answer = hall.get("/catalog", hall.device()).json
    assert answer["hall"]["public_url"] == "https://banshi.example.gov.cn"
    assert cb.status_base(Catalog.from_api(answer), "http://10.0.0.5:5000") == (
        "https://banshi.example.gov.cn",
        False,
    )
    for bad in ("ftp://files.example.cn", "javascript:alert(1)", "banshi.example.cn"):
        with pytest.raises(ConfigError) as err:
            parse_config(hall_config("town", hall={"public_url": bad}), "hall.toml")
        assert [p.key for p in err.value.problems] == ["hall.public_url"]
    assert parse_config(hall_config("town"), "hall.toml").hall.public_url == ""
