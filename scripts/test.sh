#!/usr/bin/env bash
# Runs the whole suite twice, side by side: on SQLite, and on a PostgreSQL database this run
# creates and drops. The PostgreSQL half's output is kept in a file and shown when it ends.
# With CI=true an unreachable PostgreSQL fails the run instead of being skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PYTEST_ARGS=("$@")

PG_DB="tracker_test_$$"
PG_LOG="$(mktemp -t tracker-pg-tests.XXXXXX)"
"$BIN/python" scripts/pg_testdb.py create "$PG_DB"
create_status=$?
pg_pid=""
if [ $create_status -eq 3 ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL at 127.0.0.1:5432 is unreachable: failing (CI=true)." >&2
    exit 1
  fi
  echo "WARNING: PostgreSQL at 127.0.0.1:5432 is unreachable; the PostgreSQL run is SKIPPED." >&2
elif [ $create_status -ne 0 ]; then
  exit $create_status
else
  trap '"$BIN/python" scripts/pg_testdb.py drop "$PG_DB"; rm -f "$PG_LOG"' EXIT
  echo "== Tests on PostgreSQL: started beside the SQLite run (output below when it ends)"
  TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/$PG_DB" \
    "$BIN/pytest" -p no:cacheprovider "${PYTEST_ARGS[@]}" >"$PG_LOG" 2>&1 &
  pg_pid=$!
fi

echo "== Tests on SQLite"
TEST_DATABASE_URL="" "$BIN/pytest" "${PYTEST_ARGS[@]}"
sqlite_status=$?

if [ -z "$pg_pid" ]; then
  exit $sqlite_status
fi
wait "$pg_pid"
pg_status=$?
echo "== Tests on PostgreSQL"
cat "$PG_LOG"

echo "== SQLite: exit $sqlite_status; PostgreSQL: exit $pg_status"
[ $sqlite_status -eq 0 ] && [ $pg_status -eq 0 ]
