#!/usr/bin/env bash
# Usage: test/tools/private-pg.sh DIR CMD [ARGS...]
# Builds this tree's sroi and installs it into a private, relocated copy of PostgreSQL 15
# under DIR (created when missing, reused when present), then runs CMD with PG_CONFIG set
# to that copy's pg_config, so that with-cluster.sh, run-tests.sh and make installcheck
# use it.  Nothing is installed into the system PostgreSQL: several work trees can build
# and test at once without overwriting each other's sroi.so and install scripts.
#   DIR=/tmp/sroi-mine test/tools/private-pg.sh /tmp/sroi-mine test/tools/run-tests.sh
#
# PostgreSQL finds its lib and share folders relative to its own binaries, so a copy of
# the system bin folder (real files) next to lib and share folders of symlinks to the
# system files, plus this tree's sroi, is a complete installation that loads that sroi.
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
sys_bin=$("$sys_config" --bindir)
sys_lib=$("$sys_config" --pkglibdir)
sys_share=$("$sys_config" --sharedir)
bin=$dest$sys_bin
lib=$dest$sys_lib
share=$dest$sys_share

# link_all FROM TO: symlinks every entry of FROM into TO, except sroi's own files.
link_all() {
    local f name
    mkdir -p "$2"
    for f in "$1"/*; do
        name=${f##*/}
        [[ $name == sroi.* || $name == sroi--* || $name == sroi || -e $2/$name || -L $2/$name ]] && continue
        ln -s "$f" "$2/$name"
    done
}

if [[ ! -x $bin/postgres ]]; then
    mkdir -p "$bin"
    chmod 755 "$dest"
    cp -a "$sys_bin/." "$bin/"
    # folders that hold sroi files first: real folders, then everything else as symlinks
    link_all "$sys_lib/bitcode" "$lib/bitcode"
    link_all "$sys_lib" "$lib"
    link_all "$sys_share/extension" "$share/extension"
    link_all "$sys_share" "$share"
fi
# packages installed into the system since (pgtap, citus): link them too
link_all "$sys_lib" "$lib"
link_all "$sys_share/extension" "$share/extension"

for want in "bindir $bin" "pkglibdir $lib" "sharedir $share"; do
    got=$("$bin/pg_config" "--${want%% *}")
    if [[ $got != "${want#* }" ]]; then
        echo "private-pg: the copy of PostgreSQL is not relocatable: pg_config --${want%% *} gives $got" >&2
        exit 1
    fi
done

# The install: built against the system headers, installed with DESTDIR into the
# copy's real lib and share folders.
make -s -C "$root" PG_CONFIG="$sys_config" ${COPT:+COPT="$COPT"} all >/dev/null
make -s -C "$root" PG_CONFIG="$sys_config" DESTDIR="$dest" install >/dev/null

export PG_CONFIG=$bin/pg_config
exec "$@"
