"""Engines and session factories. SQLite gets WAL, foreign keys, a busy timeout, and
``BEGIN IMMEDIATE`` for write transactions, taken in arrival order through the process's writer
gate (``gate.py``) so concurrent writers queue fairly instead of polling."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from .gate import GatedConnection, gate_for

WRITER_WAIT_SECONDS = 30


@dataclass(frozen=True)
class Database:
    """A writer and a reader factory for one database URL."""

    url: str
    writer: sessionmaker
    reader: sessionmaker
    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()
        if self.reader.kw["bind"] is not self.engine:
            self.reader.kw["bind"].dispose()


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    connect_args: dict[str, Any] = {"timeout": 30, "check_same_thread": False}
    gate = None
    if immediate:
        connect_args["factory"] = GatedConnection
        gate = gate_for(str(Path(parsed.database or ":memory:").resolve()))
    in_memory = parsed.database in (None, "", ":memory:")
    pooling = {"poolclass": NullPool} if in_memory else {"pool_size": 64, "max_overflow": 64}
    engine = create_engine(url, connect_args=connect_args, **pooling)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        if gate is not None:
            dbapi_conn.gate = gate
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if not immediate:
            conn.exec_driver_sql("BEGIN")
            return
        dbapi_conn = conn.connection.dbapi_connection
        dbapi_conn.take_gate(WRITER_WAIT_SECONDS)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            dbapi_conn.give_back_gate()
            raise

    return engine


def open_database(url: str) -> Database:
    if url.startswith("sqlite"):
        writer_engine = _sqlite_engine(url, immediate=True)
        reader_engine = _sqlite_engine(url, immediate=False)
    else:
        writer_engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        reader_engine = writer_engine
    return Database(
        url=url,
        writer=sessionmaker(bind=writer_engine, expire_on_commit=False),
        reader=sessionmaker(bind=reader_engine, expire_on_commit=False),
        engine=writer_engine,
    )
