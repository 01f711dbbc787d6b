#!/usr/bin/env bash
# A throw-away PostgreSQL for the tests that run on a shared state DB (reviews by several
# users, several servers). `make test-py` starts one for its run, hands its SQLAlchemy URL
# to pytest in JUPYTER_MLOPS_TEST_POSTGRES_URL and stops exactly that one afterwards.
#
#   test_postgres.sh install    install PostgreSQL's server with apt-get when it is missing
#   test_postgres.sh start      install if needed, start a fresh cluster in a new directory
#                               and print one line on stdout: `DIR URL`
#   test_postgres.sh url DIR    print the URL of the cluster in DIR
#   test_postgres.sh stop DIR   stop the cluster in DIR and remove DIR (a DIR that is
#                               already gone is fine)
#   test_postgres.sh clean      remove the directories of clusters whose server is no
#                               longer running (left by killed runs)
#
# Each `start` makes its own directory with mktemp under $TMPDIR (/tmp by default), named
# jupyter-mlops-pg.XXXXXXXXXX, so concurrent runs, in one checkout or several, never share
# or stop each other's cluster. Only stdout carries the result; progress, apt-get's and
# PostgreSQL's output go to stderr. The cluster listens on 127.0.0.1 only (a free port;
# password login) and on a unix socket inside its directory (trusted, for the setup).
#
# Layout: DIR itself, DIR/url (the URL, with its password) and DIR/lock belong to whoever
# runs the script; the cluster's files (data, socket, log) are in DIR/pg, which belongs to
# the user the server runs as. PostgreSQL refuses to run as root: as root, that is the
# `postgres` user the Debian package creates, and DIR is then 0711 so that it can reach
# DIR/pg. Everything inside DIR/pg is written, read and emptied as that user, never by a
# redirection root opens there (root's final `rm -rf` of DIR follows no symlinks).
#
# `clean` never touches a cluster whose server is still running (the script cannot tell
# whether a test run is using it; stop one with `stop DIR`), nor a directory a `start` is
# still setting up (it holds DIR/lock until it is done).
set -euo pipefail
umask 077  # DIR/url holds the password

PREFIX=jupyter-mlops-pg
MARKER=.jupyter-mlops-test-postgres
DB_NAME=mlops_test
DB_USER=mlops

log() { echo "test_postgres: $*" >&2; }
die() {
    log "$*"
    exit 1
}

if [ "$(id -u)" = 0 ]; then
    SUDO=()
    OWNER=postgres
    # runs a command as the cluster's owner, in PG (which it can enter), without the lock's
    # descriptors (the server would otherwise inherit them and hold the lock)
    as_owner() { (cd "$PG" && exec runuser -u postgres -- "$@") 8<&- 9<&-; }
else
    SUDO=(sudo)
    OWNER=$(id -un)
    as_owner() { (cd "$PG" && exec "$@") 8<&- 9<&-; }
fi

# set_dir DIR: DIR and the paths inside it
set_dir() {
    DIR=$1
    PG="$DIR/pg"
    DATA="$PG/data"
    SOCK="$PG/sock"
    LOG="$PG/postgres.log"
    URL_FILE="$DIR/url"
    LOCK_FILE="$DIR/lock"
}

# check_dir DIR: refuse anything but a directory `start` made (absolute path, our name, a
# real directory and not a symlink, owned by us, with the marker) before stopping or
# removing it
check_dir() {
    local dir=$1
    case "$dir" in
        /*) ;;
        *) die "$dir: not an absolute path" ;;
    esac
    case "${dir##*/}" in
        "$PREFIX".??????????) ;;
        *) die "$dir: not a directory of $0 start" ;;
    esac
    is_ours "$dir" || die "$dir: not a directory of $0 start"
}

is_ours() {
    [ ! -L "$1" ] && [ -d "$1" ] && [ -O "$1" ] && [ -f "$1/$MARKER" ]
}

# Debian keeps the server's programs (initdb, pg_ctl, postgres) out of PATH, one folder per
# major version; the newest installed one is used.
server_bin() {
    local found
    found=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    [ -x "$found/initdb" ] && echo "$found"
}

install() {
    if server_bin >/dev/null; then
        return 0
    fi
    log "installing PostgreSQL with apt-get"
    "${SUDO[@]}" apt-get update -qq >&2
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    server_bin >/dev/null || die "apt-get installed no PostgreSQL server"
}

# server_running: 0 when the cluster in $DIR has a live server, 1 when it has none (no data
# directory, no postmaster.pid, or a dead one), 2 when that cannot be told
server_running() {
    local bin status=0
    [ -d "$PG" ] || return 1
    bin=$(server_bin) || return 2
    as_owner "$bin/pg_ctl" status -D "$DATA" >/dev/null 2>&1 || status=$?
    case "$status" in
        0) return 0 ;;
        3 | 4) return 1 ;;  # not running; no (accessible) data directory
        *) return 2 ;;
    esac
}

# remove_dir: stop the cluster in $DIR if its server runs, then remove $DIR (the owner of
# DIR/pg removes what is inside it first)
remove_dir() {
    local bin
    if [ -d "$PG" ]; then
        if [ -f "$DATA/postmaster.pid" ] && bin=$(server_bin); then
            as_owner "$bin/pg_ctl" stop -D "$DATA" -m fast -w -t 30 >/dev/null 2>&1 \
                || as_owner "$bin/pg_ctl" stop -D "$DATA" -m immediate -w -t 30 >/dev/null 2>&1 \
                || true
        fi
        as_owner find . -mindepth 1 -delete >/dev/null 2>&1 || true
    fi
    rm -rf -- "$DIR"
}

stop() {
    [ $# = 1 ] || die "usage: $0 stop DIR"
    # already stopped and removed (or never made): nothing to do
    [ -e "$1" ] || [ -L "$1" ] || return 0
    check_dir "$1"
    set_dir "$1"
    remove_dir
}

url() {
    [ $# = 1 ] || die "usage: $0 url DIR"
    check_dir "$1"
    set_dir "$1"
    [ -f "$URL_FILE" ] || die "no cluster is running in $DIR (run: $0 start)"
    cat "$URL_FILE"
}

clean() {
    local dir status
    command -v flock >/dev/null || die "clean needs flock (util-linux)"
    for dir in "${TMPDIR:-/tmp}/$PREFIX".??????????; do
        is_ours "$dir" || continue
        set_dir "$dir"
        # a `start` holds the lock while it sets the cluster up
        if [ -L "$LOCK_FILE" ] || [ ! -f "$LOCK_FILE" ]; then
            continue
        fi
        exec 8<"$LOCK_FILE"
        if flock -n 8; then
            status=0
            server_running || status=$?
            if [ "$status" = 1 ]; then
                log "removing $DIR (its server is not running)"
                remove_dir
            elif [ "$status" = 0 ]; then
                log "keeping $DIR (its server is running; stop it with: $0 stop $DIR)"
            else
                log "keeping $DIR (cannot tell whether its server is running)"
            fi
        else
            log "keeping $DIR (a start is setting it up)"
        fi
        exec 8<&-
    done
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local bin password port attempt output tmp dir
    install
    bin=$(server_bin)
    tmp=$(cd "${TMPDIR:-/tmp}" && pwd -P)
    # DIR becomes part of postgresql.conf and of the output line: plain characters only
    case "$tmp" in
        *[!A-Za-z0-9/._-]*) die "$tmp: use a TMPDIR whose path has no spaces or quotes" ;;
    esac
    dir=$(mktemp -d "$tmp/$PREFIX.XXXXXXXXXX")
    set_dir "$dir"
    # a failed or interrupted start removes what it made (a started server included)
    trap 'remove_dir' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
    # held until this start ends, so that `clean` leaves the directory alone meanwhile
    : >"$LOCK_FILE"
    if command -v flock >/dev/null; then
        exec 9<"$LOCK_FILE"
        flock -x 9
    fi
    : >"$DIR/$MARKER"
    mkdir "$PG"
    if [ "$OWNER" != "$(id -un)" ]; then
        chmod 711 "$DIR"
        chown "$OWNER" "$PG"
    fi
    # only the cluster's owner may use the socket directory (local logins are trusted)
    as_owner mkdir -m 700 "$SOCK"
    password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
    output=$(as_owner "$bin/initdb" -D "$DATA" -U postgres --encoding=UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 2>&1) \
        || { printf '%s\n' "$output" >&2; die "initdb failed"; }
    # Durability is of no use to a throw-away cluster: without fsync the tests run faster.
    as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<EOF
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
            as_owner tail -n 30 "$LOG" >&2 || true
            die "PostgreSQL did not start"
        fi
    done
    # the password goes on stdin, not on psql's command line (which `ps` shows)
    printf '%s\n' \
        "CREATE ROLE $DB_USER LOGIN PASSWORD '$password';" \
        "CREATE DATABASE $DB_NAME OWNER $DB_USER;" \
        | as_owner "$bin/psql" -X -q -h "$SOCK" -p "$port" -U postgres -d postgres \
            -v ON_ERROR_STOP=1 -v VERBOSITY=terse -f - >&2
    echo "postgresql+psycopg://$DB_USER:$password@127.0.0.1:$port/$DB_NAME" >"$URL_FILE"
    log "started on 127.0.0.1:$port (stop it with: $0 stop $DIR)"
    printf '%s %s\n' "$DIR" "$(cat "$URL_FILE")"
    trap - EXIT INT TERM HUP
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
    install) install ;;
    start) start ;;
    url) url "$@" ;;
    stop) stop "$@" ;;
    clean) clean ;;
    *)
        echo "usage: $0 install | start | url DIR | stop DIR | clean" >&2
        exit 2
        ;;
esac
