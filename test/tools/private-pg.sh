#!/usr/bin/env bash
# Usage: test/tools/private-pg.sh DIR CMD [ARGS...]
# Builds this tree's sroi and installs it into a private, relocated copy of PostgreSQL 15
# under DIR (created when missing, reused when present), then runs CMD with PG_CONFIG set
# to that copy's pg_config, so that with-cluster.sh, run-tests.sh and make installcheck
# use it.  Nothing is installed into the system PostgreSQL: several work trees can build
# and test at once without overwriting each other's sroi.so and install scripts.
#   DIR=/tmp/sroi-mine test/tools/private-pg.sh /tmp/sroi-mine test/tools/run-tests.sh
# The layout of the copy: test/tools/relocated-pg.sh.
# Environment: PG_CONFIG (the system pg_config, default PostgreSQL 15's); COPT (extra
# compiler flags for sroi).
set -euo pipefail

if (($# < 2)); then
    echo "usage: $0 DIR CMD [ARGS...]" >&2
    exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest=$(realpath -m "$1")
shift

sys_config=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
source "$root/test/tools/relocated-pg.sh"
relocated_pg_paths "$sys_config" "$dest"

if [[ ! -x $bin/postgres ]]; then
    mkdir -p "$dest"
    chmod 755 "$dest"
    relocated_pg_create
fi
# packages installed into the system since (pgtap, citus): link them too
link_all "$sys_lib" "$lib"
link_all "$sys_share/extension" "$share/extension"

relocated_pg_check "private-pg: the copy of PostgreSQL" || exit 1

# The install: built against the system headers, installed with DESTDIR into the
# copy's real lib and share folders.
make -s -C "$root" PG_CONFIG="$sys_config" ${COPT:+COPT="$COPT"} all >/dev/null
make -s -C "$root" PG_CONFIG="$sys_config" DESTDIR="$dest" install >/dev/null

export PG_CONFIG=$bin/pg_config
exec "$@"
