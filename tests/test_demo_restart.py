"""`make run` again: the demo keeps its passwords and device tokens, `onestop device token`
updates the demo's file (the demo hall's [devices] or another hall's [halls.<code>.devices]),
and the clients take the server from --backend-url."""

from __future__ import annotations

import tomllib

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from backend.cli import main


def demo(url: str, creds) -> dict:
    assert main(["--database", url, "demo", "--credentials", str(creds)]) == 0
    return tomllib.loads(creds.read_text(encoding="utf-8"))


def api(url: str, tmp_path):
    from backend.app import create_app

    app = create_app(
        {"ONESTOP_DATABASE_URL": url, "TESTING": True, "ONESTOP_DATA_KEY_FILE": tmp_path / "k"}
    )
    return app.test_client()


def heartbeat(client, device: str, token: str, rid: str, hall: str = "qingshan") -> int:
    r = client.post(
        f"/api/v1/halls/{hall}/devices/{device}/status",
        json={"request_id": rid, "version": "test"},
        headers={"Authorization": f"Bearer {token}"},
    )
    return r.status_code


def login(client, username: str, password: str) -> int:
    body = {"hall": "qingshan", "username": username, "password": password}
    return client.post("/api/v1/auth/login", json=body).status_code


def set_password(url: str, username: str, password: str, hall: str = "qingshan") -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE users SET password_hash = :h WHERE username = :u"
                " AND hall_id = (SELECT id FROM halls WHERE code = :hall)"
            ),
            {"h": generate_password_hash(password, method="scrypt"), "u": username, "hall": hall},
        )
    engine.dispose()


def test_demo_restart_keeps_tokens_and_passwords_and_reissues_only_what_no_longer_matches(
    tmp_path,
):
    url, creds = f"sqlite:///{tmp_path / 'demo.db'}", tmp_path / "cred.toml"
    first = demo(url, creds)
    client = api(url, tmp_path)
    assert heartbeat(client, "display-east", first["devices"]["display-east"], "h1") == 200

    second = demo(url, creds)  # make run, Ctrl-C, make run
    assert second["devices"] == first["devices"] and second["users"] == first["users"]
    assert second["database"] == f"sqlite:///{tmp_path / 'demo.db'}"
    assert oct(creds.stat().st_mode & 0o777) == "0o600"
    # the display opened before the restart still authenticates with its old token
    assert heartbeat(client, "display-east", first["devices"]["display-east"], "h2") == 200

    # clerk1's own password, known to the file; clerk2's changed where the demo cannot see;
    # display-west's entry no longer the database's token
    set_password(url, "clerk1", "clerk1-own-2026")
    set_password(url, "clerk2", "nobody-knows-2026")
    text = creds.read_text(encoding="utf-8")
    text = text.replace('clerk1 = "clerk-demo-2026"', 'clerk1 = "clerk1-own-2026"')
    text = text.replace(first["devices"]["display-west"], "not-the-token")
    creds.write_text(text, encoding="utf-8")

    third = demo(url, creds)
    assert third["users"]["clerk1"] == "clerk1-own-2026"
    assert "clerk2" not in third["users"]  # not written as a password that fails
    assert "# clerk2 (clerk): password changed outside the demo" in creds.read_text("utf-8")
    assert third["users"]["clerk3"] == first["users"]["clerk3"] == "clerk-demo-2026"
    west = third["devices"]["display-west"]
    assert west not in (first["devices"]["display-west"], "not-the-token")  # re-issued
    assert {k: v for k, v in third["devices"].items() if k != "display-west"} == {
        k: v for k, v in first["devices"].items() if k != "display-west"
    }
    assert heartbeat(client, "display-west", west, "h3") == 200
    assert heartbeat(client, "display-east", first["devices"]["display-east"], "h4") == 200
    assert login(client, "clerk1", third["users"]["clerk1"]) == 200
    # the other halls of the network: untouched by qingshan's changes, kept as they were
    assert third["halls"] == first["halls"]


def test_device_token_rewrites_the_demo_file_entry_and_leaves_another_databases_file(
    tmp_path, capsys
):
    url, creds = f"sqlite:///{tmp_path / 'demo.db'}", tmp_path / "cred.toml"
    before = demo(url, creds)
    capsys.readouterr()
    args = ["--database", url, "device", "token", "qingshan", "kiosk-2"]
    assert main([*args, "--credentials", str(creds)]) == 0
    out = capsys.readouterr()
    token = out.out.strip()  # stdout is the token alone (scripts read it)
    assert f"{creds}: [devices] kiosk-2 updated" in out.err
    text = creds.read_text(encoding="utf-8")
    assert f'"kiosk-2" = "{token}"  # kiosk' in text  # the entry's comment kept
    after = tomllib.loads(text)
    assert after["devices"] == {**before["devices"], "kiosk-2": token}
    assert after["users"] == before["users"]
    assert oct(creds.stat().st_mode & 0o777) == "0o600"
    client = api(url, tmp_path)
    assert heartbeat(client, "kiosk-2", before["devices"]["kiosk-2"], "k1") == 401
    assert heartbeat(client, "kiosk-2", token, "k2") == 200

    # another hall of the network: its own table; a device the file lacks joins its table
    text = creds.read_text(encoding="utf-8")
    lost = f'"display-1" = "{after["halls"]["baishi"]["devices"]["display-1"]}"  # display\n'
    creds.write_text(text.replace(lost, ""), encoding="utf-8")
    for device in ("kiosk-1", "display-1"):
        capsys.readouterr()
        assert main([*args[:4], "baishi", device, "--credentials", str(creds)]) == 0
        out = capsys.readouterr()
        assert f"{creds}: [halls.baishi.devices] {device} updated" in out.err
        now = tomllib.loads(creds.read_text(encoding="utf-8"))
        assert now["halls"]["baishi"]["devices"][device] == out.out.strip()
        assert heartbeat(client, device, out.out.strip(), f"b-{device}", "baishi") == 200
    assert now["devices"] == after["devices"]
    assert set(now["halls"]["baishi"]["devices"]) == set(after["halls"]["baishi"]["devices"])
    assert now["halls"]["qingxi"] == after["halls"]["qingxi"]
    text = creds.read_text(encoding="utf-8")

    # a credentials file of another database is not this token's to change
    creds.write_text(text.replace(after["database"], "sqlite:////elsewhere/demo.db"), "utf-8")
    unchanged = creds.read_text(encoding="utf-8")
    assert main([*args, "--credentials", str(creds)]) == 0
    assert creds.read_text(encoding="utf-8") == unchanged
    assert "updated" not in capsys.readouterr().err


@pytest.mark.parametrize("client", ["kiosk", "counter"])
def test_the_clients_take_backend_url_and_name_themselves(client, tmp_path, monkeypatch, capsys):
    import importlib

    from backend.app import ROOT

    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "demo-credentials.toml").write_text(
        'hall = "qingshan"\n[devices]\n"kiosk-1" = "secret-1"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)  # the kiosk's token_file is relative to where it starts
    app = importlib.import_module(f"{client}.app")
    started = []
    monkeypatch.setattr(app, "run", lambda config, **kw: started.append(config) or 0)
    config = str(ROOT / "config" / f"{client}-demo.toml")

    assert main([client, "--config", config, "--backend-url", "http://127.0.0.1:8123/"]) == 0
    assert main([client, "--config", config]) == 0
    assert [c.backend_url for c in started] == ["http://127.0.0.1:8123", "http://127.0.0.1:5000"]

    with pytest.raises(SystemExit):
        main([client, "--config", config, "--backend-url", "127.0.0.1:8123"])
    err = capsys.readouterr().err
    assert f"onestop {client}: error: argument --backend-url: must be an http(s) URL" in err

    with pytest.raises(SystemExit) as done:
        main([client, "--help"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: onestop {client} ")
    module = importlib.import_module(f"{client}.__main__")
    with pytest.raises(SystemExit):
        module.main(["--help"])  # python -m kiosk / python -m counter
    assert capsys.readouterr().out.startswith(f"usage: python -m {client} ")
