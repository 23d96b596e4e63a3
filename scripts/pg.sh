#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for the store tests.
#   scripts/pg.sh start DIR PORT   -> prints postgresql+psycopg://postgres@127.0.0.1:PORT/rubdown_test
#   scripts/pg.sh stop DIR
# Trust authentication on 127.0.0.1 and the socket in DIR only: never use this for real data.
set -euo pipefail

# The newest server Debian installed, unless PG_BIN says otherwise.
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
DB_NAME="rubdown_test"

usage() {
    echo "usage: $0 start DIR PORT | stop DIR | url DIR" >&2
    exit 2
}

# PostgreSQL refuses to run as root, so as root every server command runs as 'postgres'.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

url_for() {
    echo "postgresql+psycopg://postgres@127.0.0.1:$(cat "$1/port")/$DB_NAME"
}

is_running() {
    [ -f "$1/data/PG_VERSION" ] && as_owner "$PG_BIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

init_cluster() {
    local dir="$1"
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres: "$dir"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        # --no-sync and fsync=off below: speed over durability, the cluster is disposable.
        as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log"
    fi
}

start() {
    local dir port
    [ $# -eq 2 ] || usage
    dir="$(realpath -m "$1")"
    port="$2"
    if is_running "$dir"; then
        url_for "$dir"
        return
    fi
    init_cluster "$dir"
    echo "$port" >"$dir/port"
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null
    if ! as_owner "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
        as_owner "$PG_BIN/createdb" -h "$dir" -p "$port" -U postgres "$DB_NAME"
    fi
    url_for "$dir"
}

stop() {
    local dir
    [ $# -eq 1 ] || usage
    dir="$(realpath -m "$1")"
    if is_running "$dir"; then
        as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -w -m fast stop >/dev/null
    fi
}

cmd="${1:-}"
[ -n "$cmd" ] || usage
shift
case "$cmd" in
start) start "$@" ;;
stop) stop "$@" ;;
url) [ $# -eq 1 ] || usage; url_for "$(realpath -m "$1")" ;;
*) usage ;;
esac
