"""Alembic environment: the URL comes from the caller (``onestop db upgrade``) or the env."""

from alembic import context
from sqlalchemy import create_engine

from backend.db.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is None:
        if not url:
            raise RuntimeError("alembic: no connection and no sqlalchemy.url")
        connectable = create_engine(url)
    if hasattr(connectable, "connect") and not hasattr(connectable, "execute"):
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
