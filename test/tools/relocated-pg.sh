# A private, relocated copy of the system PostgreSQL, for a build of sroi that must not
# be installed into the system: sourced by private-pg.sh and check-asan.sh.
#
# PostgreSQL finds its lib and share folders relative to its own binaries, so a copy of
# the system bin folder (real files: symlinks would be resolved back to /usr) next to lib
# and share folders of symlinks to the system files, plus a build of sroi installed with
# DESTDIR, is a complete installation that loads that sroi.  The copy keeps the system
# layout under its folder DEST: DEST/usr/lib/postgresql/15/bin and so on.

# relocated_pg_paths SYS_CONFIG DEST: sets sys_bin, sys_lib and sys_share (the folders of
# the system PostgreSQL of pg_config SYS_CONFIG) and bin, lib and share (the same under DEST).
relocated_pg_paths() {
    sys_bin=$("$1" --bindir)
    sys_lib=$("$1" --pkglibdir)
    sys_share=$("$1" --sharedir)
    bin=$2$sys_bin
    lib=$2$sys_lib
    share=$2$sys_share
}

# link_all FROM TO: symlinks every entry of FROM into TO, except sroi's own files and
# what TO has already.
link_all() {
    local f name
    mkdir -p "$2"
    for f in "$1"/*; do
        name=${f##*/}
        [[ $name == sroi.* || $name == sroi--* || $name == sroi || -e $2/$name || -L $2/$name ]] && continue
        ln -s "$f" "$2/$name"
    done
}

# relocated_pg_create: the copy of the bin folder and the folders of symlinks (after
# relocated_pg_paths).
relocated_pg_create() {
    mkdir -p "$bin"
    cp -a "$sys_bin/." "$bin/"
    # folders that hold sroi files first: real folders, then everything else as symlinks
    link_all "$sys_lib/bitcode" "$lib/bitcode"
    link_all "$sys_lib" "$lib"
    link_all "$sys_share/extension" "$share/extension"
    link_all "$sys_share" "$share"
}

# relocated_pg_check WHAT: the copy's pg_config names the copy's folders; else says so,
# naming WHAT, and is false.
relocated_pg_check() {
    local want got
    for want in "bindir $bin" "pkglibdir $lib" "sharedir $share"; do
        got=$("$bin/pg_config" "--${want%% *}")
        if [[ $got != "${want#* }" ]]; then
            echo "$1 is not relocatable: pg_config --${want%% *} gives $got" >&2
            return 1
        fi
    done
}
