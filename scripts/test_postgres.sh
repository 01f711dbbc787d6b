#!/usr/bin/env bash
# A throw-away PostgreSQL for the tests that run on a shared state DB (reviews by several
# users, several servers). `make test-py` starts it, hands its SQLAlchemy URL to pytest in
# JUPYTER_MLOPS_TEST_POSTGRES_URL and stops it afterwards.
#
#   test_postgres.sh install  install PostgreSQL's server with apt-get when it is missing
#   test_postgres.sh start    install if needed, start a fresh cluster, print its URL
#   test_postgres.sh url      print the URL of the running cluster
#   test_postgres.sh stop     stop the cluster and remove its directory (idempotent)
#
# The cluster lives in one directory per checkout under $TMPDIR (/tmp by default), so `stop`
# finds it again and `start` first removes whatever a killed earlier run left there. It
# listens on 127.0.0.1 only (a free port; password login) and on a unix socket inside that
# directory (trusted, for the setup). PostgreSQL refuses to run as root: as root, the
# cluster belongs to the `postgres` user the Debian package creates.
set -euo pipefail
umask 077  # the URL file holds the password

REPO=$(cd "$(dirname "$0")/.." && pwd)
# one directory per checkout: two checkouts on one machine do not stop each other's cluster
DIR="${TMPDIR:-/tmp}/jupyter-mlops-pg-$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)"
DATA="$DIR/data"
SOCK="$DIR/sock"
LOG="$DIR/postgres.log"
URL_FILE="$DIR/url"
DB_NAME=mlops_test
DB_USER=mlops

log() { echo "test_postgres: $*" >&2; }

if [ "$(id -u)" = 0 ]; then
    SUDO=()
    OWNER=postgres
    as_owner() { (cd "$DIR" && runuser -u postgres -- "$@"); }
else
    SUDO=(sudo)
    OWNER=$(id -un)
    as_owner() { (cd "$DIR" && "$@"); }
fi

# Debian keeps the server's programs (initdb, pg_ctl, postgres) out of PATH, one folder per
# major version; the newest installed one is used.
server_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$found" ] && [ -x "$found/initdb" ] && echo "$found"
}

install() {
    if server_bin >/dev/null; then
        return 0
    fi
    log "installing PostgreSQL with apt-get"
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    server_bin >/dev/null || { log "apt-get installed no PostgreSQL server"; exit 1; }
}

stop() {
    [ -d "$DIR" ] || return 0
    local bin
    if [ -f "$DATA/postmaster.pid" ] && bin=$(server_bin); then
        as_owner "$bin/pg_ctl" stop -D "$DATA" -m fast -w -t 30 >/dev/null 2>&1 \
            || as_owner "$bin/pg_ctl" stop -D "$DATA" -m immediate -w -t 30 >/dev/null 2>&1 \
            || true
    fi
    rm -rf "$DIR"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    install
    stop  # a cluster an earlier run left behind (killed before its stop)
    local bin password port attempt
    bin=$(server_bin)
    mkdir -p "$DIR" "$SOCK"
    # only the cluster's owner may use the socket directory (local logins are trusted)
    chmod 700 "$SOCK"
    chown -R "$OWNER" "$DIR"
    password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
    as_owner "$bin/initdb" -D "$DATA" -U postgres --encoding=UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 >"$LOG.initdb" 2>&1 \
        || { cat "$LOG.initdb" >&2; log "initdb failed"; exit 1; }
    # Durability is of no use to a throw-away cluster: without fsync the tests run faster.
    cat >>"$DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCK'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    # the port is free when chosen but may be taken before the server binds it: retry
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" start -D "$DATA" -l "$LOG" -o "-p $port" -w -t 60 >/dev/null; then
            break
        fi
        if [ "$attempt" = 5 ]; then
            tail -n 30 "$LOG" >&2 || true
            log "PostgreSQL did not start"
            exit 1
        fi
    done
    as_owner "$bin/psql" -X -q -h "$SOCK" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$password'" \
        -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >&2
    echo "postgresql+psycopg://$DB_USER:$password@127.0.0.1:$port/$DB_NAME" >"$URL_FILE"
    log "started on 127.0.0.1:$port (data in $DIR)"
    cat "$URL_FILE"
}

url() {
    [ -f "$URL_FILE" ] || { log "no cluster is running (run: $0 start)"; exit 1; }
    cat "$URL_FILE"
}

case "${1:-}" in
    install) install ;;
    start) start ;;
    url) url ;;
    stop) stop ;;
    *)
        echo "usage: $0 install|start|url|stop" >&2
        exit 2
        ;;
esac
