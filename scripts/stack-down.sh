#!/usr/bin/env bash
# `make stack-down`: stops what `make stack` started (the pid files under instance/stack/),
# and nothing else: a PostgreSQL or Redis that was already running keeps running.
set -uo pipefail
cd "$(dirname "$0")/.."
RUN="$PWD/instance/stack"
[ -d "$RUN" ] || { echo "Nothing was started by make stack."; exit 0; }
for name in beat worker app-8001 app-8002 s3 redis; do
  file="$RUN/$name.pid"
  [ -f "$file" ] || continue
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "Stopped $name ($pid)"
  fi
  rm -f "$file"
done
