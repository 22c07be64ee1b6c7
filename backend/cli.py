"""The ``onestop`` command: serve, db upgrade, check-config, hall load, user add, device token,
audit verify, demo, staffing, sim."""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .app import DEFAULT_DATABASE_URL, ROOT
from .db.engine import open_database
from .db.uow import Actor, UnitOfWork
from .domain.errors import DomainError
from .hallconfig import ConfigError, HallConfig, check_tree, load_config
from .services.auth import ROLES

CLI = Actor("cli")
DEMO_CONFIG = ROOT / "config" / "demo-hall.toml"
DEMO_CREDENTIALS = ROOT / "var" / "demo-credentials.toml"
DEMO_USERS = [
    ("admin", "系统管理员", "admin", "admin-demo-2026"),
    ("manager", "王主任", "manager", "manager-demo-2026"),
    ("clerk1", "李敏", "clerk", "clerk-demo-2026"),
    ("clerk2", "张伟", "clerk", "clerk-demo-2026"),
    ("clerk3", "刘洋", "clerk", "clerk-demo-2026"),
    ("clerk4", "陈静", "clerk", "clerk-demo-2026"),
]
# `onestop demo --clerks 12` (make demo-live) adds clerk5..clerk12, one per window for the
# simulator; the plain demo keeps four (each costs a scrypt hash at every test server start).
EXTRA_CLERKS = ["赵磊", "孙丽", "周强", "吴芳", "郑浩", "冯雪", "何军", "许娜"]


# `onestop demo` loads the demo county (三级网络): 青溪县政务服务中心 → 白石镇, 青山镇 (the demo
# hall, the credentials file's top-level hall) → 东山村便民服务站; parents first.
DEMO_NETWORK = [
    ROOT / "config" / "demo-county.toml",
    ROOT / "config" / "demo-baishi.toml",
    DEMO_CONFIG,
    ROOT / "config" / "demo-dongshan.toml",
]
# the network's other halls: a manager and two clerks each (display names by hall code)
NETWORK_STAFF = {
    "qingxi": ("周主任", "马丽", "黄涛"),
    "baishi": ("钱主任", "林芳", "高斌"),
    "dongshan": ("杨站长", "罗敏", "谢文"),
}
# and the county's 督查督办, who oversees every hall below it (the /county board)
DEMO_SUPERVISOR = ("ducha", "督查督办 陈刚", "supervisor", "ducha-demo-2026")


def network_users(hall: str) -> list[tuple[str, str, str, str]]:
    manager, clerk1, clerk2 = NETWORK_STAFF.get(hall, ("大厅主任", "窗口一", "窗口二"))
    return [
        ("manager", manager, "manager", "manager-demo-2026"),
        ("clerk1", clerk1, "clerk", "clerk-demo-2026"),
        ("clerk2", clerk2, "clerk", "clerk-demo-2026"),
    ]


def demo_users(clerks: int, existing: set[str]) -> list[tuple[str, str, str, str]]:
    extra = [
        (f"clerk{n}", name, "clerk", "clerk-demo-2026")
        for n, name in enumerate(EXTRA_CLERKS, start=5)
        if n <= clerks or f"clerk{n}" in existing
    ]
    return DEMO_USERS + extra


def database_url(args) -> str:
    return args.database or os.environ.get("ONESTOP_DATABASE_URL", DEFAULT_DATABASE_URL)


def now() -> datetime:
    return datetime.now(UTC)


def cmd_db_upgrade(args) -> int:
    from .db.migrate import upgrade

    upgrade(database_url(args))
    print(f"database is up to date: {_safe(database_url(args))}")
    return 0


def cmd_db_backup(args) -> int:
    """Online SQLite backup (consistent while the server runs); PostgreSQL uses pg_dump."""
    import sqlite3

    from sqlalchemy.engine import make_url

    url = make_url(database_url(args))
    if url.get_backend_name() != "sqlite":
        print(
            "for PostgreSQL use: pg_dump --format=custom --file=BACKUP.dump DBNAME", file=sys.stderr
        )
        return 2
    if not url.database or url.database == ":memory:":
        print("an in-memory SQLite database has nothing to back up", file=sys.stderr)
        return 2
    target = Path(args.target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(url.database) as source, sqlite3.connect(target) as dest:
        source.backup(dest)
    print(f"backed up {url.database} to {target}")
    return 0


def cmd_check_config(args) -> int:
    """Each file on its own, then the county tree among them (``hallconfig.check_tree``)."""
    status = 0
    valid: dict[str, HallConfig] = {}
    for path in args.files:
        try:
            cfg = load_config(path)
        except ConfigError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            status = 1
            continue
        valid[path] = cfg
        print(
            f"{path}: ok — {cfg.hall.name.zh}: {len(cfg.departments)} departments, "
            f"{len(cfg.items)} items, {len(cfg.windows)} windows, {len(cfg.devices)} devices"
        )
    problems, notes = check_tree(valid)
    for note in notes:
        print(f"note: {note}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else status


def load_hall(url: str, path: str | Path) -> dict:
    from .services.halls import sync_hall

    cfg = load_config(path)
    db = open_database(url)
    try:
        with UnitOfWork(db, now()) as uow:
            result = sync_hall(uow, cfg, CLI)
            uow.commit()
        return result
    finally:
        db.dispose()


def cmd_hall_load(args) -> int:
    result = load_hall(database_url(args), args.file)
    print(f"hall {result['hall']} {'created' if result['created'] else 'updated'} from {args.file}")
    return 0


def cmd_user_add(args) -> int:
    from .services.auth import add_user

    password = (
        args.password or os.environ.get("ONESTOP_NEW_PASSWORD") or getpass.getpass("password: ")
    )
    db = open_database(database_url(args))
    try:
        with UnitOfWork(db, now()) as uow:
            add_user(
                uow, args.hall, args.username, args.name or args.username, args.role, password, CLI
            )
            uow.commit()
    finally:
        db.dispose()
    print(f"user {args.username} ({args.role}) added to hall {args.hall}")
    return 0


def cmd_user_revoke(args) -> int:
    from .services.auth import revoke_user_tokens

    db = open_database(database_url(args))
    try:
        with UnitOfWork(db, now()) as uow:
            count = revoke_user_tokens(uow, args.hall, args.username, CLI)
            uow.commit()
    finally:
        db.dispose()
    print(f"revoked {count} token(s) of {args.username}")
    return 0


def device_token(url: str, hall: str, device: str) -> str:
    from .services.auth import issue_device_token

    db = open_database(url)
    try:
        with UnitOfWork(db, now()) as uow:
            token = issue_device_token(uow, hall, device, CLI)
            uow.commit()
        return token
    finally:
        db.dispose()


def cmd_device_token(args) -> int:
    url = database_url(args)
    token = device_token(url, args.hall, args.device)
    print(token)
    path = Path(args.credentials)
    table = _update_demo_token(path, url, args.hall, args.device, token)
    if table:
        print(f"{path}: {table} {args.device} updated", file=sys.stderr)
    return 0


def _update_demo_token(path: Path, url: str, hall: str, device: str, token: str) -> str | None:
    """Rewrite the device's entry in the demo credentials file when the file holds this hall
    (top-level [devices], or [halls.<hall>.devices] for the network's other halls) in this
    database; the table rewritten, or None (a file from another database is left alone)."""
    import tomllib

    if not path.exists():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if data.get("database", _database_key(url)) != _database_key(url):
        return None
    if data.get("hall") == hall:
        table = "[devices]"
    elif hall in data.get("halls", {}):
        table = f"[halls.{hall}.devices]"
    else:
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    entry, section, end = f'"{device}" = "{token}"', "", None
    for i, line in enumerate(lines):
        if line.startswith("["):
            section = line.strip()
            end = i + 1 if section == table else end
        elif section == table:
            if line.split("=", 1)[0].strip().strip('"') == device:
                comment = line.partition("#")[2]
                lines[i] = f"{entry}  #{comment}" if comment else entry
                break
            if line.strip() and not line.startswith("#"):
                end = i + 1
    else:  # a device the file does not list yet: at the end of its table
        if end is None:
            lines += ["", table, entry]
        else:
            lines.insert(end, entry)
    _write_private(path, "\n".join(lines) + "\n")
    return table


def _write_private(path: Path, text: str) -> None:
    """Write a 0600 file without a moment of wider permissions, replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)
    os.chmod(path, 0o600)


def _database_key(url: str) -> str:
    """The database a credentials file belongs to: the URL without its password, SQLite paths
    made absolute."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        parsed = parsed.set(database=str(Path(parsed.database).resolve()))
    return parsed.render_as_string(hide_password=True)


def cmd_audit_verify(args) -> int:
    """Seal what is not sealed yet, then recompute every hall's audit chain from the live rows:
    exit 0 with each chain's length and head hash, or 1 naming the first broken link."""
    from .services.audit_chain import seal_pending, verify

    db = open_database(database_url(args))
    try:
        if not args.no_seal:
            sealed = seal_pending(db, now())
            print(f"新封印 / newly sealed: {sealed}")
        reports = verify(db, now(), args.hall, args.unsealed_minutes)
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    for report in reports:
        name = f"大厅 / hall {report.hall}" if report.hall else "无大厅 / no hall"
        result, broken = report.result, report.broken
        pending = f", {report.unsealed} 条待封印 / pending" if report.unsealed else ""
        if broken is None:
            print(
                f"{name}: 审计链完整 / chain intact — {result.count} 条 / entries, "
                f"链头 / head {result.head}{pending}"
            )
        else:
            print(
                f"{name}: 审计链断裂 / chain broken — 前 {result.count} 条完好 / "
                f"{result.count} links intact; {broken.describe()}"
            )
    if any(r.broken for r in reports):
        print("审计链断裂 / audit chain broken")
        return 1
    print("审计链完整 / audit chain intact")
    return 0


def cmd_demo(args) -> int:
    """Migrate, load the demo county network (parents first: county, towns, village), create
    demo staff and device tokens in every hall (idempotent: a re-run keeps the credentials
    file's passwords and tokens that still match)."""
    from .db.migrate import upgrade
    from .services.halls import sync_hall

    url = database_url(args)
    upgrade(url)
    main_file = Path(args.config or DEMO_CONFIG)
    if args.network:
        files = [Path(f) for f in args.network]
    else:  # an explicit --config alone loads only that file, as before the network
        files = list(DEMO_NETWORK) if args.config is None else []
    if not any(_same_file(f, main_file) for f in files):
        files.append(main_file)
    configs = {str(f): load_config(f) for f in files}
    problems, _notes = check_tree(configs)
    if problems:
        raise ConfigError(problems)
    hall = next(cfg for f, cfg in configs.items() if _same_file(Path(f), main_file)).hall.code
    ordered = _parents_first(list(configs.values()))
    db = open_database(url)
    try:
        for cfg in ordered:
            with UnitOfWork(db, now()) as uow:
                sync_hall(uow, cfg, CLI)
                uow.commit()
        staffed = [
            _demo_staff(db, cfg, args.clerks if cfg.hall.code == hall else None) for cfg in ordered
        ]
    finally:
        db.dispose()
    credentials = Path(args.credentials)
    known = _read_credentials(credentials)
    main_demo = next(s for s in staffed if s.code == hall)
    others = [s for s in staffed if s.code != hall]
    lines = [f'hall = "{hall}"', f"database = {json.dumps(_database_key(url), ensure_ascii=False)}"]
    lines += _credential_tables(url, main_demo, "", known if known.get("hall") == hall else {})
    for demo in others:  # the network's other halls: [halls.<code>], its users and devices
        lines += ["", f"[halls.{demo.code}]", f"name = {json.dumps(demo.name, ensure_ascii=False)}"]
        lines += [f'level = "{demo.level}"'] + (
            [f'parent = "{demo.parent}"'] if demo.parent else []
        )
        written = known.get("halls", {}).get(demo.code, {})
        lines += _credential_tables(url, demo, f"halls.{demo.code}.", written)
    _write_private(credentials, "\n".join(lines) + "\n")
    if others:
        print("demo county network (parents first):")
        for depth, demo in _tree_order(staffed):
            print(f"  {'  ' * depth}{demo.code:<10} {demo.name} ({demo.level})")
    print(
        f"demo hall {hall} ready in {_safe(url)}; staff passwords and device tokens: {credentials}"
    )
    base = args.base_url.rstrip("/")
    written = _read_credentials(credentials)
    tokens, users = written.get("devices", {}), written.get("users", {})
    print("open in a browser:")
    print(
        f"  managers' board   {base}/board   (hall {hall}, user manager, {_pw(users, 'manager')})"
    )
    print(f"  cases page        {base}/cases   (same login as the board)")
    print(f"  reviews, reports  {base}/reviews")
    print(f"  booking (phones)  {base}/book/{hall}   (预约; ?lang=en or ?lang=ug)")
    for code, kind, _ in main_demo.devices:
        if kind == "display":
            print(f"  hall display      {base}/display/{hall}/{code}#token={tokens[code]}")
        if kind == "rating_pad":
            print(f"  rating pad        {base}/rate/{hall}/{code}#token={tokens[code]}")
    for demo in staffed:
        theirs = written if demo is main_demo else written.get("halls", {}).get(demo.code, {})
        if any(role == "supervisor" for _u, _n, role, _p in demo.users):
            login = f"hall {demo.code}, user ducha, {_pw(theirs.get('users', {}), 'ducha')}"
            print(f"  county board      {base}/county   (督查督办 supervisor: {login})")
    for demo in others:
        theirs = written.get("halls", {}).get(demo.code, {})
        login = f"hall {demo.code}, user manager, {_pw(theirs.get('users', {}), 'manager')}"
        print(f"  board {demo.code:<11} {base}/board   ({login}) {demo.name}")
        for code, kind, _ in demo.devices:
            token = theirs.get("devices", {}).get(code)
            if kind == "display" and token:
                print(f"  display {demo.code:<9} {base}/display/{demo.code}/{code}#token={token}")
    print(f"  API description   {base}/api/v1/openapi.json")
    return 0


def _credential_tables(url: str, demo: DemoHall, table: str, written: dict) -> list[str]:
    """A hall's ``[users]`` and ``[devices]`` (prefixed ``table``) for the credentials file: the
    passwords the stored hashes accept (the file's or the demo's); the file's device tokens
    that still match, a new token for any other device (printers speak through their kiosk)."""
    lines = ["", f"[{table}users]"]
    for username, _name, role, default in demo.users:
        password = _known_password(username, default, written.get("users", {}), demo.hashes)
        if password is None:  # changed outside the demo: not ours to reset or to know
            lines.append(f"# {username} ({role}): password changed outside the demo, not known")
        else:
            lines.append(f'{username} = "{password}"  # {role}')
    lines += ["", f"[{table}devices]"]
    tokens = written.get("devices", {})
    for code, kind, token_hash in demo.devices:
        if kind == "printer":
            continue
        token = tokens.get(code) if token_hash else None
        if token is None or not _token_matches(token, token_hash):
            token = device_token(url, demo.code, code)
        lines.append(f'"{code}" = "{token}"  # {kind}')
    return lines


@dataclass
class DemoHall:
    """One hall of the demo network: its staff (with the hashes stored before this run) and
    devices."""

    code: str
    name: str
    level: str
    parent: str | None
    users: list[tuple[str, str, str, str]]
    hashes: dict[str, str]
    devices: list[tuple[str, str, str | None]]


def _demo_staff(db, cfg: HallConfig, clerks: int | None) -> DemoHall:
    """Add the hall's missing demo staff: the main demo hall's admin, manager and ``clerks``
    clerks; another hall's manager and two clerks; a county's supervisor ``ducha``."""
    from sqlalchemy import select

    from .db.models import Device, Hall, User
    from .services.auth import add_user

    code = cfg.hall.code
    with UnitOfWork(db, now()) as uow:
        hall_id = uow.session.scalar(select(Hall.id).where(Hall.code == code))
        hashes = dict(
            uow.session.execute(
                select(User.username, User.password_hash).where(User.hall_id == hall_id)
            )
            .tuples()
            .all()
        )
        users = demo_users(clerks, set(hashes)) if clerks is not None else network_users(code)
        if cfg.hall.level == "county":
            users.insert(0, DEMO_SUPERVISOR)
        for username, name, role, demo_password in users:
            if username not in hashes:
                add_user(uow, code, username, name, role, demo_password, CLI)
        uow.commit()
    with UnitOfWork(db, now(), write=False) as uow:
        devices = [
            (c, k, t)
            for c, k, t in uow.session.execute(
                select(Device.code, Device.kind, Device.token_hash)
                .join(Hall)
                .where(Hall.code == code)
            )
            .tuples()
            .all()
        ]
    return DemoHall(code, cfg.hall.name.zh, cfg.hall.level, cfg.hall.parent, users, hashes, devices)


def _parents_first(configs: list[HallConfig]) -> list[HallConfig]:
    """The files' halls in loading order: a hall after its parent when the parent is among them
    (otherwise in the order given; a cycle is left for the loader to name)."""
    codes = {cfg.hall.code for cfg in configs}
    placed: set[str] = set()
    ordered: list[HallConfig] = []
    pending = list(configs)
    while pending:
        ready = [c for c in pending if c.hall.parent not in codes or c.hall.parent in placed]
        if not ready:
            return ordered + pending
        ordered += ready
        placed |= {c.hall.code for c in ready}
        pending = [c for c in pending if c.hall.code not in placed]
    return ordered


def _tree_order(halls: list[DemoHall]) -> list[tuple[int, DemoHall]]:
    """Depth-first, each hall after its parent, with its depth below the top."""
    codes = {h.code for h in halls}
    out: list[tuple[int, DemoHall]] = []

    def walk(parent: str | None, depth: int) -> None:
        for h in halls:  # the levels make a tree (check_tree): no hall is its own ancestor
            if (h.parent if h.parent in codes else None) == parent:
                out.append((depth, h))
                walk(h.code, depth + 1)

    walk(None, 0)
    return out


def _same_file(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _pw(users: dict[str, str], username: str) -> str:
    return f"password {users[username]}" if username in users else "password not known"


def _read_credentials(path: Path) -> dict:
    import tomllib

    if not path.exists():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _known_password(
    username: str, default: str, written: dict[str, str], hashes: dict[str, str]
) -> str | None:
    """The user's password as the credentials file should show it: a new user's is the demo's;
    an existing user's is the file's or the demo's, whichever the stored hash accepts."""
    from werkzeug.security import check_password_hash

    if username not in hashes:
        return default
    for candidate in dict.fromkeys([written.get(username), default]):
        if candidate and check_password_hash(hashes[username], candidate):
            return candidate
    return None


def _token_matches(token: str, digest: str | None) -> bool:
    from .services.auth import token_hash

    return digest is not None and token_hash(token) == digest


def cmd_serve(args) -> int:
    """One process: Socket.IO on an asyncio loop (uvicorn), the Flask API in a thread pool."""
    import logging

    import uvicorn
    from sqlalchemy import select

    from .app import create_app
    from .asgi import build
    from .db.models import Hall

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app({"ONESTOP_DATABASE_URL": database_url(args)})
    with app.extensions["onestop"].db.reader() as session:
        hall_codes = list(session.scalars(select(Hall.code).order_by(Hall.code)))
    base = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '') else args.host}:{args.port}"
    print(f"onestop serving on {base}")
    print(f"  API description: {base}/api/v1/openapi.json")
    for code in hall_codes:
        print(f"  hall {code}: catalog {base}/api/v1/halls/{code}/catalog")
    if not hall_codes:
        print("  no hall loaded yet: run `onestop hall load FILE` (or `onestop demo`)")
    sys.stdout.flush()
    uvicorn.run(
        build(app, workers=args.threads),
        host=args.host,
        port=args.port,
        lifespan="on",
        access_log=args.verbose,
        log_level="info" if args.verbose else "warning",
        timeout_graceful_shutdown=5,
    )
    return 0


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="onestop", description="One-stop service hall queue and case tracking"
    )
    p.add_argument(
        "--database", help="SQLAlchemy URL (default: $ONESTOP_DATABASE_URL or var/onestop.db)"
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="run the server (API and Socket.IO in one process)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=5000)
    s.add_argument("--threads", type=int, default=None, help="threads for the API (default 64)")
    s.add_argument("--verbose", action="store_true")
    s.set_defaults(func=cmd_serve)

    d = sub.add_parser("db", help="database maintenance")
    dsub = d.add_subparsers(dest="db_command", required=True)
    dsub.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)
    db_backup = dsub.add_parser("backup", help="copy a live SQLite database to a file")
    db_backup.add_argument("target")
    db_backup.set_defaults(func=cmd_db_backup)

    c = sub.add_parser("check-config", help="validate hall config files")
    c.add_argument("files", nargs="+")
    c.set_defaults(func=cmd_check_config)

    h = sub.add_parser("hall", help="halls")
    hsub = h.add_subparsers(dest="hall_command", required=True)
    hl = hsub.add_parser("load", help="create or update a hall from its config file")
    hl.add_argument("file")
    hl.set_defaults(func=cmd_hall_load)

    u = sub.add_parser("user", help="staff accounts")
    usub = u.add_subparsers(dest="user_command", required=True)
    ua = usub.add_parser("add", help="add a staff user (password asked, or $ONESTOP_NEW_PASSWORD)")
    ua.add_argument("hall")
    ua.add_argument("username")
    ua.add_argument("--role", choices=list(ROLES), default="clerk")
    ua.add_argument("--name", help="display name, e.g. 李敏")
    ua.add_argument("--password", help=argparse.SUPPRESS)
    ua.set_defaults(func=cmd_user_add)
    ur = usub.add_parser("revoke", help="revoke every login token of a user")
    ur.add_argument("hall")
    ur.add_argument("username")
    ur.set_defaults(func=cmd_user_revoke)

    dv = sub.add_parser("device", help="devices")
    dvsub = dv.add_subparsers(dest="device_command", required=True)
    dt = dvsub.add_parser(
        "token", help="issue a new token for a kiosk or display (the old one stops working)"
    )
    dt.add_argument("hall")
    dt.add_argument("device")
    dt.add_argument(
        "--credentials",
        default=str(DEMO_CREDENTIALS),
        help="the demo credentials file to update when it is this hall's in this database",
    )
    dt.set_defaults(func=cmd_device_token)

    a = sub.add_parser("audit", help="the audit log's hash chains")
    asub = a.add_subparsers(dest="audit_command", required=True)
    av = asub.add_parser(
        "verify", help="seal new entries, then check every hall's chain (exit 1 when broken)"
    )
    av.add_argument("--hall", help="check only this hall (its code)")
    av.add_argument("--no-seal", action="store_true", help="check only, seal nothing")
    av.add_argument(
        "--unsealed-minutes",
        type=float,
        default=10,
        help="an entry left unsealed longer than this counts as a break (default 10)",
    )
    av.set_defaults(func=cmd_audit_verify)

    demo = sub.add_parser(
        "demo",
        help="migrate and load the demo county network with demo staff and device tokens",
    )
    demo.add_argument(
        "--config",
        help="the demo hall, the credentials file's top-level hall (default "
        "config/demo-hall.toml); alone, without --network, only this file is loaded",
    )
    demo.add_argument(
        "--network",
        nargs="+",
        metavar="FILE",
        help="the hall files of the demo network, loaded parents first (default: "
        "config/demo-county.toml, demo-baishi.toml, demo-hall.toml, demo-dongshan.toml)",
    )
    demo.add_argument(
        "--base-url", default="http://127.0.0.1:5000", help="where the server will listen"
    )
    demo.add_argument(
        "--credentials",
        default=str(DEMO_CREDENTIALS),
        help="where to write demo passwords and device tokens",
    )
    demo.add_argument(
        "--clerks", type=int, default=4, help="demo clerks, up to 12 (one per window)"
    )
    demo.set_defaults(func=cmd_demo)

    from .simdrive.cli import add_parser as add_simulate

    add_simulate(sub)

    from .sim.commands import add_parsers as add_sim_commands  # onestop staffing, onestop sim

    add_sim_commands(sub)

    for client, what in CLIENTS.items():
        sub.add_parser(client, help=f"run the {what} (needs the .[clients,printing] extras)")
    return p


CLIENTS = {"kiosk": "touchscreen kiosk", "counter": "counter terminal for window clerks"}


def run_client(name: str, argv: list[str]) -> int:
    """`onestop kiosk|counter ...` hands its arguments to the client (`python -m kiosk ...`),
    which names itself `onestop kiosk` in its usage and errors."""
    try:
        module = importlib.import_module(f"{name}.__main__")
    except ImportError as exc:
        print(
            f"error: the {name} needs the client extras: pip install -e '.[clients,printing]'"
            f" ({exc})",
            file=sys.stderr,
        )
        return 1
    return module.main(argv, prog=f"onestop {name}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in CLIENTS:
        return run_client(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
