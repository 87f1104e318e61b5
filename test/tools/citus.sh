#!/usr/bin/env bash
# Usage: test/tools/citus.sh [--install-only] [CMD [ARGS...]]
# Runs CMD against a private, throw-away Citus cluster: a coordinator and two workers,
# each a PostgreSQL 15 server with shared_preload_libraries = 'citus', listening on
# 127.0.0.1 on three free ports and on Unix sockets in a fresh temp folder.  The servers
# are stopped and the folder removed on any exit; the exit status is CMD's.
#
# When Citus is not installed (no citus.control in PostgreSQL's share/extension folder),
# it is first built from CITUS_SRC (a tarball of the Citus source, e.g.
# ../shared/vendor/citus-13.0.5.tar.gz) in a temp folder, never in this tree, and installed
# into the system PostgreSQL 15 (as root; its build dependencies are installed with
# apt-get when missing).  With --install-only it stops there.
#
# PG_CONFIG may name a private copy of PostgreSQL (test/tools/private-pg.sh): Citus is
# still built and installed into the system PostgreSQL (sys_config below), and private-pg.sh
# links its files into the copy the next time it runs; this script links them too.
#
# CMD sees PGHOST, PGUSER=postgres, PGDATABASE=postgres, PGPORT (the coordinator) and
#   CITUS_COORD_PORT, CITUS_WORKER1_PORT, CITUS_WORKER2_PORT  (TCP ports on 127.0.0.1)
#   CITUS_SOCKET_DIR (the Unix socket folder, also PGHOST), CITUS_DIR (the temp folder)
# The workers are already added to the coordinator in database "postgres" (citus
# extension created there on all three nodes).  Databases that CMD creates need
# `CREATE EXTENSION citus` on each node and citus_add_node again: see cluster_db below.
set -euo pipefail

self=$(realpath "${BASH_SOURCE[0]}")
root=$(cd "$(dirname "$self")/../.." && pwd)

sys_config=/usr/lib/postgresql/15/bin/pg_config
if [[ -n ${PG_CONFIG:-} ]]; then
    bindir=$("$PG_CONFIG" --bindir)
    sharedir=$("$PG_CONFIG" --sharedir)
    pkglibdir=$("$PG_CONFIG" --pkglibdir)
else
    bindir=$("$sys_config" --bindir)
    sharedir=$("$sys_config" --sharedir)
    pkglibdir=$("$sys_config" --pkglibdir)
fi
sys_share=$("$sys_config" --sharedir)
sys_lib=$("$sys_config" --pkglibdir)

install_only=0
if [[ ${1:-} == --install-only ]]; then
    install_only=1
    shift
elif (($# == 0)); then
    echo "usage: $0 [--install-only] [CMD [ARGS...]]" >&2
    exit 2
fi

# ---- Citus build and install ----------------------------------------------------

citus_installed() { [[ -f $sys_share/extension/citus.control && -f $sys_lib/citus.so ]]; }

build_citus() {
    local src=${CITUS_SRC:-}
    if [[ -z $src ]]; then
        echo "citus: Citus is not installed; set CITUS_SRC to its source tarball, e.g." >&2
        echo "  make test-citus CITUS_SRC=../shared/vendor/citus-13.0.5.tar.gz" >&2
        return 1
    fi
    # relative to the repository (make runs from there), else to the caller's folder
    if [[ $src != /* && -f $root/$src ]]; then src=$root/$src; fi
    src=$(realpath -m "$src")
    if [[ ! -f $src ]]; then
        echo "citus: CITUS_SRC=$src: no such file" >&2
        return 1
    fi
    if ((EUID != 0)); then
        echo "citus: Citus is not installed and installing it needs root: run as root" >&2
        return 1
    fi
    local packages=(liblz4-dev libzstd-dev libkrb5-dev libssl-dev make gcc postgresql-server-dev-15)
    local missing=() pkg status
    for pkg in "${packages[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        [[ $status == "install ok installed" ]] || missing+=("$pkg")
    done
    if ((${#missing[@]} > 0)); then
        echo "citus: installing build dependencies: ${missing[*]}"
        apt-get update >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
    fi
    local build
    build=$(mktemp -d /tmp/sroi-citus-build.XXXXXX)
    # shellcheck disable=SC2064
    trap "rm -rf '$build'" RETURN
    echo "citus: building $(basename "$src") in $build (about 70 s on 2 cores)"
    tar -xzf "$src" -C "$build"
    local dir
    dir=$(find "$build" -mindepth 1 -maxdepth 1 -type d | head -n 1)
    (
        cd "$dir"
        ./configure --without-libcurl PG_CONFIG="$sys_config" >"$build/configure.log" 2>&1 &&
            make -j"$(nproc)" with_llvm=no PG_CONFIG="$sys_config" >"$build/make.log" 2>&1 &&
            make install with_llvm=no PG_CONFIG="$sys_config" >"$build/install.log" 2>&1
    ) || {
        echo "citus: build failed; end of the logs:" >&2
        tail -n 30 "$build"/*.log >&2 || true
        return 1
    }
    citus_installed || { echo "citus: installed, but citus.control is still missing" >&2; return 1; }
    echo "citus: installed $(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$sys_share/extension/citus.control")"
}

if ! citus_installed; then
    build_citus
fi

# A private copy (private-pg.sh) made before Citus was installed: link its files in.
if [[ $sharedir != "$sys_share" ]]; then
    for f in "$sys_share"/extension/citus*; do
        [[ -e $sharedir/extension/${f##*/} ]] || ln -s "$f" "$sharedir/extension/${f##*/}"
    done
    for f in "$sys_lib"/citus*; do
        [[ -e $pkglibdir/${f##*/} ]] || ln -s "$f" "$pkglibdir/${f##*/}"
    done
fi

if ((install_only)); then
    exit 0
fi

# ---- the cluster ----------------------------------------------------------------

dir=$(mktemp -d /tmp/sroi-citus.XXXXXX)
chmod 755 "$dir"
source "$root/test/tools/pg-user.sh"
pg_own "$dir"

nodes=(coord worker1 worker2)
cleanup() {
    local node
    for node in "${nodes[@]}"; do pg_stop "$dir/$node" immediate; done
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Three free TCP ports on 127.0.0.1 (asked of the kernel, so they do not collide with the
# clusters of other work trees); a port taken between here and the start fails loudly.
mapfile -t ports < <(python3 - <<'EOF'
import socket
socks = []
for _ in range(3):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
for s in socks:
    print(s.getsockname()[1])
EOF
)

i=0
for node in "${nodes[@]}"; do
    port=${ports[$i]}
    i=$((i + 1))
    pg initdb -D "$dir/$node" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 \
        >"$dir/$node-initdb.log" 2>&1 || {
        echo "citus: initdb of $node failed:" >&2
        cat "$dir/$node-initdb.log" >&2
        exit 1
    }
    cat >>"$dir/$node/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
shared_preload_libraries = 'citus'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
max_worker_processes = 16
shared_buffers = 64MB
citus.log_distributed_deadlock_detection = off
EOF
    pg pg_ctl -D "$dir/$node" -l "$dir/$node.log" -w start >/dev/null || {
        echo "citus: $node failed to start; end of its log:" >&2
        tail -n 50 "$dir/$node.log" >&2 || true
        exit 1
    }
done

export CITUS_DIR=$dir CITUS_SOCKET_DIR=$dir
export CITUS_COORD_PORT=${ports[0]} CITUS_WORKER1_PORT=${ports[1]} CITUS_WORKER2_PORT=${ports[2]}
export PGHOST=$dir PGPORT=${ports[0]} PGUSER=postgres PGDATABASE=postgres
export PATH=$bindir:$PATH

# The citus extension and the workers, in database "postgres".
"$root/test/tools/citus-db.sh" postgres >"$dir/setup.log" 2>&1 || {
    echo "citus: setting up the cluster failed:" >&2
    cat "$dir/setup.log" >&2
    exit 1
}

status=0
"$@" || status=$?
exit "$status"
