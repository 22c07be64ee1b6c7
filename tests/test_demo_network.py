"""`make run` shows a county: `onestop demo` loads 青溪县 (county) → 白石镇, 青山镇 (towns) →
东山村 (village), parents first, with staff and device tokens in every hall and the county's
supervisor; a case of 青山镇 beyond a town's remit is reported up and reaches the county's box;
a re-run keeps every password and token; `onestop check-config` checks the tree among files."""

from __future__ import annotations

import tomllib
import uuid

import sqlalchemy as sa

from backend.app import ROOT
from backend.cli import main

CONFIG = ROOT / "config"
NETWORK_FILES = [
    CONFIG / name
    for name in ("demo-county.toml", "demo-baishi.toml", "demo-hall.toml", "demo-dongshan.toml")
]
APPLICANT = {"name": "张小三", "phone": "13812341234", "id_number": "320102198503151230"}


def demo(url: str, creds, *more: str) -> dict:
    assert main(["--database", url, "demo", "--credentials", str(creds), *more]) == 0
    return tomllib.loads(creds.read_text(encoding="utf-8"))


def tree(url: str) -> dict[str, tuple[str, str | None]]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT h.code, h.level, p.code FROM halls h"
                " LEFT JOIN halls p ON p.id = h.parent_id"
            )
        ).all()
    engine.dispose()
    return {code: (level, parent) for code, level, parent in rows}


def client_for(url: str, tmp_path):
    from backend.app import create_app

    app = create_app(
        {
            "ONESTOP_DATABASE_URL": url,
            "TESTING": True,
            "ONESTOP_DATA_KEY_FILE": tmp_path / "k",
            "ONESTOP_CHECK_RESPONSES": True,
        }
    )
    return app.test_client()


def login(client, hall: str, username: str, password: str) -> dict[str, str]:
    r = client.post(
        "/api/v1/auth/login", json={"hall": hall, "username": username, "password": password}
    )
    assert r.status_code == 200, r.json
    return {"Authorization": f"Bearer {r.json['token']}"}


def post(client, hall: str, path: str, headers: dict, **body):
    body = {"request_id": uuid.uuid4().hex} | body
    return client.post(f"/api/v1/halls/{hall}{path}", json=body, headers=headers)


def test_demo_loads_the_county_network_and_a_rerun_keeps_every_password_and_token(tmp_path, capsys):
    url, creds = f"sqlite:///{tmp_path / 'demo.db'}", tmp_path / "cred.toml"
    first = demo(url, creds)
    assert tree(url) == {
        "qingxi": ("county", None),
        "baishi": ("town", "qingxi"),
        "qingshan": ("town", "qingxi"),
        "dongshan": ("village", "qingshan"),
    }
    printed = capsys.readouterr().out
    assert "http://127.0.0.1:5000/county   (督查督办 supervisor: hall qingxi, user ducha" in printed
    for hall in ("qingxi", "baishi", "dongshan"):
        assert f"(hall {hall}, user manager, password manager-demo-2026)" in printed
    pad = first["devices"]["rating-1"]  # the demo hall's part of the file keeps its shape
    assert f"http://127.0.0.1:5000/rate/qingshan/rating-1#token={pad}" in printed

    assert first["hall"] == "qingshan" and set(first["users"]) >= {"admin", "manager", "clerk1"}
    halls = first["halls"]
    assert set(halls) == {"qingxi", "baishi", "dongshan"}
    assert halls["qingxi"]["users"]["ducha"] == "ducha-demo-2026"
    assert halls["dongshan"]["parent"] == "qingshan" and halls["dongshan"]["level"] == "village"
    for hall in halls.values():
        assert {"manager", "clerk1", "clerk2"} <= set(hall["users"])
    assert set(halls["dongshan"]["devices"]) == {"rating-1"}  # one window, no kiosk
    assert {"kiosk-1", "display-1"} <= set(halls["baishi"]["devices"])
    assert "printer-1" not in halls["qingxi"]["devices"]  # a printer speaks through its kiosk

    client = client_for(url, tmp_path)
    ducha = login(client, "qingxi", "ducha", halls["qingxi"]["users"]["ducha"])
    r = client.get("/api/v1/halls/qingxi/referrals?box=all", headers=ducha)
    assert r.status_code == 200 and r.json["referrals"] == []
    # every hall's devices and staff work with what the file says
    for hall, data in halls.items():
        login(client, hall, "clerk1", data["users"]["clerk1"])
        token = data["devices"]["rating-1"]
        auth = {"Authorization": f"Bearer {token}"}
        r = post(client, hall, "/devices/rating-1/status", auth, version="test")
        assert r.status_code == 200, (hall, r.json)

    # 户口迁移 is beyond a town's remit: 青山镇 accepts it and reports it up to the county
    kiosk = {"Authorization": f"Bearer {first['devices']['kiosk-1']}"}
    ticket = post(client, "qingshan", "/tickets", kiosk, item_code="HJ-03").json["ticket"]
    clerk = login(client, "qingshan", "clerk1", first["users"]["clerk1"])
    for action in ("sign-in", "call-next", "start"):
        r = post(client, "qingshan", f"/windows/8/{action}", clerk)
        assert r.status_code == 200, (action, r.json)
    assert r.json["ticket"]["number"] == ticket["number"]
    r = post(
        client,
        "qingshan",
        "/windows/8/accept",
        clerk,
        applicant=APPLICANT,
        materials_received=["居民身份证"],
    )
    assert r.status_code == 200, r.json
    number = r.json["case"]["number"]
    targets = client.get("/api/v1/halls/qingshan/network/targets", headers=clerk).json
    assert targets["up"]["code"] == "qingxi" and "HJ-03" in targets["refer_up"]
    r = post(client, "qingshan", f"/cases/{number}/refer", clerk, reason="户口迁移须县公安局审批")
    assert r.status_code == 200, r.json

    r = client.get("/api/v1/halls/qingxi/referrals?box=all", headers=ducha)
    assert r.status_code == 200
    (sent,) = r.json["referrals"]
    assert (sent["from_hall"]["code"], sent["to_hall"]["code"]) == ("qingshan", "qingxi")
    assert (sent["direction"], sent["case"], sent["item"]) == ("up", number, "HJ-03")
    assert sent["applicant"]["name"] != APPLICANT["name"]  # masked
    # the county's clerk accepts it as the county's own 户口迁移 (the same item code)
    county_clerk = login(client, "qingxi", "clerk1", halls["qingxi"]["users"]["clerk1"])
    r = post(client, "qingxi", f"/referrals/{sent['id']}/accept", county_clerk)
    assert r.status_code == 200, r.json
    # the supervisor reads the town below too, and the county board shows the whole tree
    assert client.get("/api/v1/halls/qingshan/referrals?box=out", headers=ducha).status_code == 200
    r = client.get("/api/v1/halls/qingxi/network/board", headers=ducha)
    assert r.status_code == 200, r.json
    assert [h["hall"]["code"] for h in r.json["halls"]] == [
        "qingxi",
        "baishi",
        "qingshan",
        "dongshan",
    ]

    second = demo(url, creds)  # make run, Ctrl-C, make run
    assert second == first


def test_demo_with_an_explicit_config_loads_only_that_file(tmp_path, capsys):
    url, creds = f"sqlite:///{tmp_path / 'demo.db'}", tmp_path / "cred.toml"
    county = demo(url, creds, "--config", str(CONFIG / "demo-county.toml"))
    assert tree(url) == {"qingxi": ("county", None)}
    assert county["hall"] == "qingxi" and county["users"]["ducha"] == "ducha-demo-2026"
    assert "halls" not in county
    # a town alone in a database without its county: told to load the county first
    other = f"sqlite:///{tmp_path / 'other.db'}"
    args = ["--database", other, "demo", "--credentials", str(tmp_path / "o.toml")]
    assert main([*args, "--config", str(CONFIG / "demo-hall.toml")]) == 1
    assert "load the county's file first" in capsys.readouterr().err
    # --network names the files; the --config hall is the file's top-level hall
    village = [str(CONFIG / f) for f in ("demo-hall.toml", "demo-dongshan.toml")]
    county_file = str(CONFIG / "demo-county.toml")
    both = demo(url, creds, "--network", *village, "--config", county_file)
    assert both["hall"] == "qingxi" and set(both["halls"]) == {"qingshan", "dongshan"}
    assert tree(url)["dongshan"] == ("village", "qingshan")


def test_check_config_checks_the_tree_among_the_files(tmp_path, capsys):
    files = [str(f) for f in NETWORK_FILES]
    assert main(["check-config", *files]) == 0
    out = capsys.readouterr()
    assert out.out.count(": ok — ") == 4 and "note:" not in out.out and out.err == ""

    # a parent not among the files is a note, not a failure
    town_and_village = [str(CONFIG / "demo-hall.toml"), str(CONFIG / "demo-dongshan.toml")]
    assert main(["check-config", *town_and_village]) == 0
    out = capsys.readouterr().out
    assert (
        f"note: {town_and_village[0]}: hall.parent: 'qingxi' is not among these files: "
        "it must be loaded first"
    ) in out

    # a town under the village: its level does not fit
    broken = tmp_path / "baishi.toml"
    text = (CONFIG / "demo-baishi.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace('parent = "qingxi"', 'parent = "dongshan"'), "utf-8")
    assert main(["check-config", files[0], files[2], files[3], str(broken)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{broken}: hall.parent: 'dongshan' ({files[3]}) is a village hall; "
        "a town hall sits under a county"
    ) in err
    # the same hall in two files
    again = tmp_path / "qingxi.toml"
    again.write_text((CONFIG / "demo-county.toml").read_text(encoding="utf-8"), "utf-8")
    assert main(["check-config", files[0], str(again)]) == 1
    assert f"{again}: hall.code: hall 'qingxi' is also in {files[0]}" in capsys.readouterr().err
