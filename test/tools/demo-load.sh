# Loads the demo (source it): creates sroi in the current database (PGHOST, PGDATABASE,
# ... as for psql) and loads the sample data of test/data/demo.sql unless contracts are
# there already.  Used by demo.sh and report.sh; expects to run from the repository root.
demo_load() {
    local psql=(psql -X -q -v ON_ERROR_STOP=1)
    "${psql[@]}" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION IF NOT EXISTS sroi'
    if [[ $("${psql[@]}" -A -t -c 'SELECT count(*) FROM sroi.contract') == 0 ]]; then
        "${psql[@]}" -f test/data/demo.sql
    else
        echo "demo: sroi.contract has rows already; not loading test/data/demo.sql again" >&2
    fi
}
