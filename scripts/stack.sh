#!/usr/bin/env bash
# `make stack`: the production shape on one machine, for a trial or a demo.
#
#   PostgreSQL  127.0.0.1:5432, database tracker_stack (created when missing)
#   Redis       127.0.0.1:6379 (started here when nothing answers there)
#   S3          127.0.0.1:9000, moto's S3-compatible server (the app talks to it with boto3)
#   app         two gunicorn servers, 127.0.0.1:8001 and 127.0.0.1:8002
#   jobs        one Celery worker and the Celery scheduler (beat)
#
# What it starts is recorded under instance/stack/ (pid files and logs); `make stack-down`
# stops exactly that. The demo data is loaded once; today is pinned as in `make run`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/.venv/bin"
RUN="$PWD/instance/stack"
mkdir -p "$RUN"
export SECRET_KEY_FILE="${SECRET_KEY_FILE:-$PWD/instance/secret_key}"
[ -s "$SECRET_KEY_FILE" ] || (umask 077 && python3 -c "import secrets; print(secrets.token_hex(32))" >"$SECRET_KEY_FILE")

need_package() {  # command, Debian package
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "Installing Debian's $2"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}

answers() {  # port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_for() {  # port, name
  for _ in $(seq 1 100); do answers "$1" && return 0; sleep 0.2; done
  echo "$2 does not answer on 127.0.0.1:$1; see $RUN/*.log" >&2
  exit 1
}

# --- PostgreSQL ------------------------------------------------------------------------------
# The machine's PostgreSQL with its own access rules (PGUSER, PGPASSWORD if it asks for one);
# when none answers, Debian's is installed and started, with a role of the trial's own (Debian's
# PostgreSQL lets "postgres" in only through its socket).
PG_LOGIN="${PGUSER:-postgres}${PGPASSWORD:+:$PGPASSWORD}"
if ! answers 5432; then
  need_package pg_ctlcluster postgresql
  echo "Starting PostgreSQL"
  (service postgresql start || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start) >/dev/null
  wait_for 5432 PostgreSQL
  runuser -u postgres -- psql -q -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tracker_stack')
    THEN CREATE ROLE tracker_stack LOGIN CREATEDB PASSWORD 'tracker-stack'; END IF; END \$\$;"
  PG_LOGIN="tracker_stack:tracker-stack"
fi
"$BIN/python" - "$PG_LOGIN" <<'EOF'
import sys
import psycopg
user, _colon, password = sys.argv[1].partition(":")
with psycopg.connect(host="127.0.0.1", port=5432, user=user, password=password or None, dbname="postgres",
                     autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'tracker_stack'").fetchone():
        conn.execute("CREATE DATABASE tracker_stack")
        print("Created the database tracker_stack")
EOF

# --- Redis -----------------------------------------------------------------------------------
if ! answers 6379; then
  need_package redis-server redis-server
  echo "Starting Redis on 127.0.0.1:6379"
  redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$RUN/redis.pid" --logfile "$RUN/redis.log"
  wait_for 6379 Redis
fi

# --- S3-compatible object storage ------------------------------------------------------------
if ! answers 9000; then
  echo "Starting the S3-compatible server on 127.0.0.1:9000"
  nohup "$BIN/moto_server" -H 127.0.0.1 -p 9000 >"$RUN/s3.log" 2>&1 &
  echo $! >"$RUN/s3.pid"
  wait_for 9000 "The S3 server"
fi

# --- the installation's settings (the README's production section lists them all) ------------
export TRACKER_CONFIG=production
export DATABASE_URL="postgresql+psycopg://$PG_LOGIN@127.0.0.1:5432/tracker_stack"
export REDIS_URL="redis://127.0.0.1:6379/2"
export JOB_QUEUE_NAME="tracker-stack"
export STORAGE_URL="s3://tracker-stack/files"
export STORAGE_ENDPOINT_URL="http://127.0.0.1:9000"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-tracker-stack}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-tracker-stack-secret}"
export SESSION_COOKIE_SECURE=0  # a trial over plain HTTP on loopback; behind HTTPS leave it on
export TRACKER_TODAY="${DEMO_TODAY:-2020-04-10}"
export DEMO_NOTICE=1
export PUBLIC_BASE_URL="http://127.0.0.1:8001"
export MAIL_OUTBOX="$RUN/outbox"
export FLASK_APP=wsgi.py
printenv | grep -E '^(TRACKER_CONFIG|DATABASE_URL|REDIS_URL|JOB_QUEUE_NAME|STORAGE_URL|STORAGE_ENDPOINT_URL|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|SESSION_COOKIE_SECURE|TRACKER_TODAY|DEMO_NOTICE|PUBLIC_BASE_URL|MAIL_OUTBOX|SECRET_KEY_FILE)=' \
  | sed 's/^/export /' >"$RUN/env"

"$BIN/flask" db upgrade
"$BIN/python" -c "
from tracker import create_app, storage
with create_app().app_context():
    storage.current().ensure_bucket()
"
"$BIN/flask" seed-demo >"$RUN/demo.txt"
"$BIN/flask" rebuild-stats >/dev/null

# --- the app servers, the worker, the scheduler ----------------------------------------------
for port in 8001 8002; do
  if answers "$port"; then
    echo "Something already answers on 127.0.0.1:$port: run make stack-down first" >&2
    exit 1
  fi
  "$BIN/gunicorn" --workers 2 --bind "127.0.0.1:$port" --daemon --pid "$RUN/app-$port.pid" \
    --access-logfile "$RUN/app-$port.access.log" --error-logfile "$RUN/app-$port.log" wsgi:app
done
"$BIN/celery" -A worker worker --loglevel=INFO --concurrency=2 -Q "$JOB_QUEUE_NAME" -n "stack@%h" \
  --detach --pidfile="$RUN/worker.pid" --logfile="$RUN/worker.log"
"$BIN/celery" -A worker beat --loglevel=INFO --schedule="$RUN/beat-schedule" \
  --detach --pidfile="$RUN/beat.pid" --logfile="$RUN/beat.log"
wait_for 8001 "App server 1"
wait_for 8002 "App server 2"

cat <<EOF

The tracker runs in its production shape:
  app servers   http://127.0.0.1:8001  and  http://127.0.0.1:8002  (same data, same sessions)
  health        http://127.0.0.1:8001/healthz
  PostgreSQL    $DATABASE_URL
  Redis         $REDIS_URL (queue $JOB_QUEUE_NAME)
  S3 storage    $STORAGE_URL at $STORAGE_ENDPOINT_URL
  worker, beat  logs in $RUN/

Demo accounts (password: ${DEMO_PASSWORD:-ThiDua@2020}):
$(sed 's/^/  /' "$RUN/demo.txt")

Stop everything with: make stack-down
EOF
