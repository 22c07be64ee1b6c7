#!/usr/bin/env bash
# Prints `export` lines for the test run: which real PostgreSQL and Redis the scale-out tests use.
# When a service is absent it says so LOUDLY on stderr; those tests are then skipped, not passed.
set -u
PG_URL="${ONESTOP_TEST_DATABASE_URL:-$1}"
REDIS_URL="${ONESTOP_TEST_REDIS_URL:-$2}"
VENV_PY=".venv/bin/python"

if "$VENV_PY" - "$PG_URL" <<'PY' 2>/dev/null
import sys, sqlalchemy as sa
sa.create_engine(sys.argv[1], connect_args={"connect_timeout": 3}).connect().close()
PY
then
  echo "export ONESTOP_TEST_DATABASE_URL='$PG_URL'"
  echo "tests: PostgreSQL reachable at ${PG_URL#*@}" >&2
else
  echo "unset ONESTOP_TEST_DATABASE_URL"
  printf '\n%s\n%s\n%s\n\n' "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" \
    "!!! PostgreSQL NOT reachable at ${PG_URL#*@}: PostgreSQL tests will be SKIPPED" \
    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
fi

if "$VENV_PY" - "$REDIS_URL" <<'PY' 2>/dev/null
import sys, redis
redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()
PY
then
  echo "export ONESTOP_TEST_REDIS_URL='$REDIS_URL'"
  echo "tests: Redis reachable at $REDIS_URL" >&2
else
  echo "unset ONESTOP_TEST_REDIS_URL"
  printf '\n%s\n%s\n%s\n\n' "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" \
    "!!! Redis NOT reachable at $REDIS_URL: Redis tests will be SKIPPED" \
    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
fi
