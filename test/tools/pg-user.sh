# PostgreSQL's server programs (initdb, pg_ctl) from a script that may run as root (source
# it; with-cluster.sh and citus.sh).  Root may not run a server: as root they run as
# "postgres", otherwise as the caller.

if ((EUID == 0)); then
    as_pg=(runuser -u postgres --)
else
    as_pg=()
fi

# pg_own DIR...: the folders of a cluster, given to "postgres" when we are root.
pg_own() { if ((EUID == 0)); then chown postgres: "$@"; fi; }

# pg PROGRAM [ARGS...]: $bindir/PROGRAM as the server's user, run from / so that it never
# depends on the caller's folder (the clone may be unreadable for "postgres").
pg() { (cd / && "${as_pg[@]}" "$bindir/$1" "${@:2}"); }

# pg_stop DATA MODE: stops the server of cluster DATA when it runs (pg_ctl -m MODE: fast,
# immediate), quietly; for the EXIT traps.
pg_stop() {
    if [[ -f $1/postmaster.pid ]]; then
        pg pg_ctl -D "$1" -m "$2" -w stop >/dev/null 2>&1 || true
    fi
}
