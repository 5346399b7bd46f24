#!/usr/bin/env bash
# A project-local PostgreSQL cluster (data under .local/pg, its own port) with pgvector installed.
#   scripts/pg.sh start    install if needed, init if needed, start if not running (idempotent, quiet)
#   scripts/pg.sh stop     stop it (fast shutdown)
#   scripts/pg.sh status   say whether it runs
#   scripts/pg.sh url      print the JDBC URL
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PG_MAJOR=${PG_MAJOR:-15}
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
DATA=${EMBEDSTREAM_PG_DATA:-$ROOT/.local/pg}
PORT=${EMBEDSTREAM_PG_PORT:-54329}
DB=${EMBEDSTREAM_PG_DB:-embedstream}
USER_NAME=${EMBEDSTREAM_PG_USER:-embedstream}
PASSWORD=${EMBEDSTREAM_PG_PASSWORD:-embedstream}

log() { printf '[pg] %s\n' "$*" >&2; }

# PostgreSQL refuses to run as root: as root, run it as the 'postgres' system user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { as_pg "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

psql_local() { as_pg "$PG_BIN/psql" -h "$DATA" -p "$PORT" -v ON_ERROR_STOP=1 -qAt "$@"; }

init_cluster() {
  log "initialising a cluster in $DATA (port $PORT)"
  mkdir -p "$DATA"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$DATA"; fi
  chmod 700 "$DATA"
  as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$DATA/postgresql.conf" <<EOF
# embedstream local cluster
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA'
max_connections = 200
shared_buffers = 512MB
maintenance_work_mem = 512MB
max_parallel_maintenance_workers = 1
# HNSW inserts write much WAL: with the default 1 GB a checkpoint started every ~540 MB, in the middle of
# the bench's 100,000-document run, and each page first touched after it is logged whole (BENCHMARKS.md)
max_wal_size = 4GB
checkpoint_timeout = 15min
logging_collector = off
EOF
}

start() {
  bash "$ROOT/scripts/install-postgres.sh"
  if [ ! -f "$DATA/PG_VERSION" ]; then init_cluster; fi
  if ! running; then
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start >/dev/null
  fi
  ensure_database
}

ensure_database() {
  if [ "$(psql_local -U postgres -d postgres -c "select 1 from pg_roles where rolname = '$USER_NAME'")" != 1 ]; then
    psql_local -U postgres -d postgres -c "create role \"$USER_NAME\" login password '$PASSWORD'"
  fi
  # The fault suite logs in as a role of its own with a random password, to prove no output carries it.
  psql_local -U postgres -d postgres -c "alter role \"$USER_NAME\" createrole" >/dev/null
  if [ "$(psql_local -U postgres -d postgres -c "select 1 from pg_database where datname = '$DB'")" != 1 ]; then
    psql_local -U postgres -d postgres -c "create database \"$DB\" owner \"$USER_NAME\""
  fi
  # The extension is created by a superuser once; the app's migrations only check it.
  psql_local -U postgres -d "$DB" -c "set client_min_messages = warning" -c "create extension if not exists vector"
}

stop() {
  if [ -f "$DATA/PG_VERSION" ] && running; then
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running on port $PORT ($DATA)"; else echo "not running"; exit 3; fi ;;
  url) echo "jdbc:postgresql://127.0.0.1:$PORT/$DB" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
