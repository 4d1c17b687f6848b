#!/usr/bin/env bash
# Runs the whole suite on SQLite and on PostgreSQL, side by side. The PostgreSQL suite, the
# longer one, is cut into shards (every n-th test, TEST_SHARD=i/n), each on a database of its
# own that this run creates and drops, so that both cores stay busy until the end. Each run's
# output is kept in a file and shown when all have ended.
# With CI=true an unreachable PostgreSQL fails the run instead of being skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PYTEST_ARGS=("$@")
SHARDS="${PG_SHARDS:-2}"  # PostgreSQL shards; SQLite runs whole
LOGS="$(mktemp -d -t tracker-tests.XXXXXX)"
PG_DBS=()

cleanup() {
  for db in "${PG_DBS[@]}"; do "$BIN/python" scripts/pg_testdb.py drop "$db"; done
  rm -rf "$LOGS"
}
trap cleanup EXIT

postgres=yes
for ((i = 0; i < SHARDS; i++)); do
  db="tracker_test_$$_$i"
  "$BIN/python" scripts/pg_testdb.py create "$db"
  status=$?
  if [ $status -eq 3 ]; then
    if [ "${CI:-}" = "true" ]; then
      echo "PostgreSQL at 127.0.0.1:5432 is unreachable: failing (CI=true)." >&2
      exit 1
    fi
    echo "WARNING: PostgreSQL at 127.0.0.1:5432 is unreachable; the PostgreSQL run is SKIPPED." >&2
    postgres=no
    break
  elif [ $status -ne 0 ]; then
    exit $status
  fi
  PG_DBS+=("$db")
done

declare -A PIDS
TEST_DATABASE_URL="" "$BIN/pytest" -p no:cacheprovider "${PYTEST_ARGS[@]}" >"$LOGS/sqlite-0.log" 2>&1 &
PIDS["sqlite-0"]=$!
for ((i = 0; i < SHARDS; i++)); do
  if [ "$postgres" = yes ]; then
    TEST_SHARD="$i/$SHARDS" TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/${PG_DBS[$i]}" \
      "$BIN/pytest" -p no:cacheprovider "${PYTEST_ARGS[@]}" >"$LOGS/postgresql-$i.log" 2>&1 &
    PIDS["postgresql-$i"]=$!
  fi
done
echo "== SQLite and $SHARDS PostgreSQL shards started (PostgreSQL reachable: $postgres)"

failed=0
summary=""
for name in $(printf '%s\n' "${!PIDS[@]}" | sort); do
  wait "${PIDS[$name]}"
  status=$?
  echo "== Tests on ${name%-*}, run ${name##*-}: exit $status"
  cat "$LOGS/$name.log"
  summary+="$name: exit $status; "
  [ $status -eq 0 ] || failed=1
done
echo "== $summary"
exit $failed
