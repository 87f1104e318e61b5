#!/usr/bin/env bash
# Usage: with-cluster.sh CMD [ARGS...]
# Runs CMD against a private, throw-away PostgreSQL 15 cluster that listens only on
# a Unix socket in a temp folder. The cluster is stopped and the folder removed on
# any exit; the exit status is CMD's.
# WITH_TCP=1: the cluster also listens on 127.0.0.1 (loopback only, trust auth, for
# clients that cannot use a Unix socket, such as pgJDBC), on a free port that is then
# PGPORT too; PGTCPHOST=127.0.0.1 is exported beside PGHOST (the socket folder).
set -euo pipefail

if (($# == 0)); then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

if [[ -n ${PG_CONFIG:-} ]]; then
    bindir=$("$PG_CONFIG" --bindir)
else
    bindir=/usr/lib/postgresql/15/bin
fi
port=55432
if [[ ${WITH_TCP:-} == 1 ]]; then
    # a free loopback port, chosen by the kernel
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
dir=$(mktemp -d /tmp/sroi-pg.XXXXXX)
data=$dir/data
log=$dir/server.log

# As root, the server must run as "postgres"; otherwise as the current user.
source "$(dirname "$(realpath "${BASH_SOURCE[0]}")")/pg-user.sh"
pg_own "$dir"

cleanup() {
    pg_stop "$data" fast
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg initdb -D "$data" -A trust -U postgres --no-sync \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
    echo "with-cluster: initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    exit 1
}

listen=''
[[ ${WITH_TCP:-} == 1 ]] && listen=127.0.0.1
opts="-c listen_addresses='$listen' -c unix_socket_directories='$dir' -p $port"
opts+=" -c fsync=off -c max_worker_processes=8 -c max_parallel_workers_per_gather=2"
# the municipalities' day (sroi.today()), so that CURRENT_DATE in tests is the same day
opts+=" -c timezone=Europe/Amsterdam"
pg pg_ctl -D "$data" -l "$log" -o "$opts" -w start >/dev/null || {
    echo "with-cluster: server failed to start; end of $log:" >&2
    tail -n 50 "$log" >&2 || true
    exit 1
}

export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres
[[ ${WITH_TCP:-} == 1 ]] && export PGTCPHOST=127.0.0.1

status=0
"$@" || status=$?
exit "$status"
