#!/usr/bin/env bash
# Runs the whole suite twice: on SQLite, then on a PostgreSQL database this run creates and drops.
# With CI=true an unreachable PostgreSQL fails the run instead of being skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PYTEST_ARGS=("$@")

echo "== Tests on SQLite"
TEST_DATABASE_URL="" "$BIN/pytest" "${PYTEST_ARGS[@]}"
sqlite_status=$?

echo "== Tests on PostgreSQL"
PG_DB="tracker_test_$$"
"$BIN/python" scripts/pg_testdb.py create "$PG_DB"
create_status=$?
if [ $create_status -eq 3 ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL at 127.0.0.1:5432 is unreachable: failing (CI=true)." >&2
    exit 1
  fi
  echo "WARNING: PostgreSQL at 127.0.0.1:5432 is unreachable; the PostgreSQL run was SKIPPED." >&2
  exit $sqlite_status
elif [ $create_status -ne 0 ]; then
  exit $create_status
fi
trap '"$BIN/python" scripts/pg_testdb.py drop "$PG_DB"' EXIT
TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/$PG_DB" "$BIN/pytest" "${PYTEST_ARGS[@]}"
pg_status=$?

echo "== SQLite: exit $sqlite_status; PostgreSQL: exit $pg_status"
[ $sqlite_status -eq 0 ] && [ $pg_status -eq 0 ]
