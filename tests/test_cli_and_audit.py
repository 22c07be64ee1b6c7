"""The onestop command, migrations, and the append-only audit trail."""

from __future__ import annotations

import tomllib

import pytest
import sqlalchemy as sa

from backend.cli import main
from backend.db.migrate import pending_model_changes


def test_demo_is_repeatable_and_its_credentials_work(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    creds = tmp_path / "cred.toml"
    assert main(["--database", url, "demo", "--credentials", str(creds)]) == 0
    first = tomllib.loads(creds.read_text(encoding="utf-8"))
    assert main(["--database", url, "demo", "--credentials", str(creds)]) == 0
    second = tomllib.loads(creds.read_text(encoding="utf-8"))
    assert first["devices"] == second["devices"]  # tokens kept, not rotated, on a re-run
    assert oct(creds.stat().st_mode & 0o777) == "0o600"
    printed = capsys.readouterr().out
    pad = second["devices"]["rating-1"]
    assert f"http://127.0.0.1:5000/rate/qingshan/rating-1#token={pad}" in printed
    assert "http://127.0.0.1:5000/cases" in printed and "http://127.0.0.1:5000/reviews" in printed

    from backend.app import create_app

    app = create_app(
        {"ONESTOP_DATABASE_URL": url, "TESTING": True, "ONESTOP_DATA_KEY_FILE": tmp_path / "k"}
    )
    client = app.test_client()
    r = client.post(
        "/api/v1/halls/qingshan/tickets",
        json={"item_code": "MZ-01", "request_id": "d1"},
        headers={"Authorization": f"Bearer {second['devices']['kiosk-1']}"},
    )
    assert r.status_code == 200 and r.json["ticket"]["number"] == "A001"
    login = client.post(
        "/api/v1/auth/login",
        json={"hall": "qingshan", "username": "manager", "password": second["users"]["manager"]},
    )
    assert login.status_code == 200


@pytest.mark.parametrize("client", ["kiosk", "counter"])
def test_onestop_runs_the_clients_and_they_name_a_bad_config(client, tmp_path, capsys):
    missing = tmp_path / "nowhere.toml"
    assert main([client, "--config", str(missing)]) == 2
    assert f"{missing}: (file): file not found" in capsys.readouterr().err  # as the hall file says


def test_backup_copies_a_live_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    main(["--database", url, "demo", "--credentials", str(tmp_path / "c.toml")])
    assert main(["--database", url, "db", "backup", str(tmp_path / "b" / "copy.db")]) == 0
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'b' / 'copy.db'}")
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM service_items")) >= 30
    engine.dispose()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_backup_refuses_an_in_memory_database(tmp_path, capsys, url):
    target = tmp_path / "copy.db"
    assert main(["--database", url, "db", "backup", str(target)]) == 2
    assert "in-memory" in capsys.readouterr().err and not target.exists()


def test_user_add_and_revoke(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'u.db'}"
    main(["--database", url, "demo", "--credentials", str(tmp_path / "c.toml")])
    assert (
        main(
            [
                "--database",
                url,
                "user",
                "add",
                "qingshan",
                "zhaoliu",
                "--role",
                "manager",
                "--name",
                "赵六",
                "--password",
                "long-enough-1",
            ]
        )
        == 0
    )
    assert (
        main(
            ["--database", url, "user", "add", "qingshan", "zhaoliu", "--password", "long-enough-1"]
        )
        == 1
    )
    assert "already exists" in capsys.readouterr().err
    assert main(["--database", url, "user", "add", "qingshan", "weak", "--password", "short"]) == 1
    assert main(["--database", url, "user", "revoke", "qingshan", "zhaoliu"]) == 0


def test_migrations_match_the_models(db_url):
    assert pending_model_changes(db_url) == []


def test_every_change_is_audited_with_actor_and_request(hall, db_url):
    hall.issue("MZ-01")
    hall.open_window(2, "clerk1")
    hall.window(2, "call-next", "clerk1")
    hall.window(2, "finish", "clerk1")
    entries = hall.get("/audit", hall.staff("boss")).json["entries"]
    trail = [
        (e["action"], e["actor"])
        for e in reversed(entries)
        if e["action"].startswith(("ticket.", "window."))
    ]
    assert trail == [
        ("ticket.issued", "device:kiosk-1"),
        ("window.opened", "user:clerk1"),
        ("ticket.called", "user:clerk1"),
        ("ticket.finished", "user:clerk1"),
    ]
    assert all(e["request_id"] for e in entries if e["action"].startswith(("ticket.", "window.")))


def test_audit_log_refuses_updates_and_deletes_at_the_database(hall, db_url):
    hall.issue("MZ-01")
    engine = sa.create_engine(db_url)
    try:
        for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
                conn.execute(sa.text(statement))
        with engine.connect() as conn:
            assert (
                conn.scalar(
                    sa.text("SELECT count(*) FROM audit_log WHERE actor = 'device:kiosk-1'")
                )
                == 1
            )
    finally:
        engine.dispose()


def test_audit_seals_refuse_updates_and_deletes_at_the_database(hall, db_url):
    assert main(["--database", db_url, "audit", "verify"]) == 0
    engine = sa.create_engine(db_url)
    try:
        for statement in ("UPDATE audit_seals SET hash = 'x'", "DELETE FROM audit_seals"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def test_audit_verify_reports_intact_chains_then_the_first_broken_link(
    hall, db_url, clock, capsys, monkeypatch
):
    from tests.test_audit_chain import tamper

    monkeypatch.setattr("backend.cli.now", clock)
    hall.issue("MZ-01")
    hall.issue("MZ-01")
    assert main(["--database", db_url, "audit", "verify", "--no-seal"]) == 0  # nothing is late
    assert "待封印 / pending" in capsys.readouterr().out
    clock.advance(minutes=11)
    assert main(["--database", db_url, "audit", "verify", "--no-seal"]) == 1
    assert "审计记录长时间未封印 / an audit entry has not been sealed in time" in (
        capsys.readouterr().out
    )
    assert main(["--database", db_url, "audit", "verify", "--hall", "town"]) == 0
    out = capsys.readouterr().out
    head = out.split("链头 / head ")[1].split()[0]
    assert "大厅 / hall town: 审计链完整 / chain intact" in out and len(head) == 64
    assert out.rstrip().endswith("审计链完整 / audit chain intact")

    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        victim = conn.scalar(
            sa.text("SELECT min(id) FROM audit_log WHERE action = 'ticket.issued'")
        )
        seq = conn.scalar(sa.text("SELECT seq FROM audit_seals WHERE audit_id = :i"), {"i": victim})
    engine.dispose()
    tamper(
        db_url, "audit_log", "UPDATE audit_log SET actor = 'user:nobody' WHERE id = :i", i=victim
    )
    assert main(["--database", db_url, "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert f"链序号 / seq {seq}, 审计记录 / audit id {victim}: 审计记录在封印后被改动" in out
    assert out.rstrip().endswith("审计链断裂 / audit chain broken")
    assert main(["--database", db_url, "audit", "verify", "--hall", "nowhere"]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_a_failed_action_leaves_no_trace(hall, db_url, publisher):
    hall.open_window(2, "clerk1")
    before = len(hall.get("/audit", hall.staff("boss")).json["entries"])
    events_before = len(publisher.events)
    assert hall.window(2, "finish", "clerk1").status_code == 409
    assert len(hall.get("/audit", hall.staff("boss")).json["entries"]) == before
    assert len(publisher.events) == events_before


def test_events_are_published_after_commit_with_gap_free_sequence(hall, publisher):
    start = len(publisher.events)
    hall.issue("MZ-01")
    hall.issue("RS-01")
    hall.open_window(2, "clerk1")
    hall.window(2, "call-next", "clerk1")
    new = publisher.events[start:]
    assert [e.type for e in new] == [
        "ticket.issued",
        "ticket.issued",
        "window.opened",
        "ticket.called",
    ]
    seqs = [e.seq for e in publisher.events]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert hall.get("/queue", hall.staff("clerk1")).json["seq"] == seqs[-1]


def test_calendar_warning_names_an_uncovered_year():
    from datetime import UTC, datetime

    from backend.app import calendar_warnings

    assert calendar_warnings(datetime(2025, 3, 1, tzinfo=UTC)) == []
    warnings = calendar_warnings(datetime(2026, 11, 22, tzinfo=UTC))
    assert len(warnings) == 1 and "2027" in warnings[0]
