# Builds the install script from src/sql/*.sql (make: awk -f src/tools/expand.awk FILES).
#
# Each report is written once, as the query of its view, and this step derives from it
# the as-of functions, so that the views and the functions cannot drift apart:
#
#   -- @macro NAME         the lines up to "-- @end" are a query fragment; "@NAME@" in
#   ...                    any later line is replaced by it (macros may use macros
#   -- @end                defined before them).  Not written out itself.
#
#   -- @report FN          the CREATE VIEW statement that follows (up to the first line
#   CREATE VIEW V AS ...;  ending in ";") is written as the view, with @as_of@ as
#                          sroi.today() and @caller@ as CURRENT_USER; then come
#     FN_for(as_of date, caller name)  SQL, SECURITY INVOKER: the same query at any
#                                      date, for a caller whose small cells it hides;
#     FN(as_of date)                   FN_for(as_of, CURRENT_USER): the caller's rows;
#     report_FN(as_of date, caller name DEFAULT CURRENT_USER)
#                                      SECURITY DEFINER: every row, for the roles that
#                                      read the views (readers: today and ended quarters).
#   -- @define NAME TEXT   "@NAME@" in the lines that follow (macros' text included) is
#   -- @undef NAME         TEXT, up to "-- @undef NAME": e.g. @as_of@ as a function's
#                          argument, for a function body that uses the report macros.
#   -- @report FN COL...   the same, and report_FN(as_of, caller, COL text, ...)
#                          filtered on the view's columns COL (the first required,
#                          the others DEFAULT NULL; NULL: any), the filter spelt into
#                          the query so that it reaches the scans.
#
# A view reads its tables with its owner's privileges, an inlined function with the
# caller's: so a view may call no SQL function that reads a table, and the query is
# spelt out in the view itself (through the macros), where filters push down into it.
# Each file starts with a line "-- @file NAME" in the output (src/tools/upgrade-script.py).

function expand(text,    out, name, pre, rest, pos) {
    out = ""
    while (match(text, /@[a-z_]+@/)) {
        name = substr(text, RSTART + 1, RLENGTH - 2)
        pre = substr(text, 1, RSTART - 1)
        rest = substr(text, RSTART + RLENGTH)
        if (name in macro) {
            out = out pre macro[name]
        } else {
            out = out pre "@" name "@"
        }
        text = rest
    }
    return out text
}

function emit_report(fn, stmt,    view, query, v, f, r, q, i, args, types, where, names) {
    if (!match(stmt, /CREATE VIEW @extschema@\.[a-z_]+/)) {
        print "expand.awk: @report " fn " is not followed by CREATE VIEW" > "/dev/stderr"
        exit 1
    }
    view = substr(stmt, RSTART + 24, RLENGTH - 24)
    # the query: from the first line after "... AS" up to the closing ";"
    query = stmt
    sub(/^[^\n]*CREATE VIEW[^\n]*\n/, "", query)
    sub(/;[ \t]*\n?$/, "", query)
    v = stmt
    # an InitPlan: today() once per query, not once per row (it converts the time zone)
    gsub(/@as_of@/, "(SELECT @extschema@.today())", v)
    gsub(/@caller@/, "CURRENT_USER", v)
    printf "%s", v
    f = query
    gsub(/@as_of@/, fn "_for.as_of", f)
    gsub(/@caller@/, fn "_for.caller", f)
    print ""
    print "CREATE FUNCTION @extschema@." fn "_for(as_of date, caller name)"
    print "    RETURNS SETOF @extschema@." view " LANGUAGE sql STABLE PARALLEL SAFE"
    print "BEGIN ATOMIC"
    print f ";"
    print "END;"
    print "COMMENT ON FUNCTION @extschema@." fn "_for(date, name) IS"
    print "    'the rows of the view " view " as of a date, with what the caller may not read suppressed as in the view; reads the tables with the privileges and row-level security of whoever calls it (generated from the view by src/tools/expand.awk)';"
    print ""
    print "CREATE FUNCTION @extschema@." fn "(as_of date)"
    print "    RETURNS SETOF @extschema@." view " LANGUAGE sql STABLE PARALLEL SAFE"
    print "BEGIN ATOMIC"
    print "    SELECT * FROM @extschema@." fn "_for(" fn ".as_of, CURRENT_USER);"
    print "END;"
    print "COMMENT ON FUNCTION @extschema@." fn "(date) IS"
    print "    'the rows of the view " view " as of any date that the caller may read (its row-level security applies; readers use report_" fn ")';"
    print ""
    print "CREATE FUNCTION @extschema@.report_" fn "(as_of date, caller name DEFAULT CURRENT_USER)"
    print "    RETURNS SETOF @extschema@." view " LANGUAGE sql STABLE SECURITY DEFINER"
    print "    SET search_path = pg_catalog, pg_temp"
    print "BEGIN ATOMIC"
    print "    SELECT * FROM @extschema@." fn "_for(@extschema@.report_as_of(report_" fn ".as_of,"
    print "        @extschema@.report_caller(report_" fn ".caller)), report_" fn ".caller);"
    print "END;"
    print "REVOKE EXECUTE ON FUNCTION @extschema@.report_" fn "(date, name) FROM PUBLIC;"
    print "GRANT EXECUTE ON FUNCTION @extschema@.report_" fn "(date, name) TO sroi_reader, sroi_coordinator, sroi_contract_manager;"
    print "COMMENT ON FUNCTION @extschema@.report_" fn "(date, name) IS"
    print "    'the rows of the view " view " as of a date, every contract, for the roles that read the views (SECURITY DEFINER); a reader gets today and the last days of ended quarters, and the small cells it may not read suppressed';"
    if (nfilters == 0)
        return
    # the same, filtered: the filter reaches the scans (a SECURITY DEFINER function is
    # never inlined, so report_FN(as_of, caller) computes every contract first)
    args = ""; types = ""; where = ""; names = ""
    for (i = 1; i <= nfilters; i++) {
        args = args ", " filter[i] " text" (i > 1 ? " DEFAULT NULL" : "")
        types = types ", text"
        names = names (i > 1 ? (i == nfilters ? " and " : ", ") : "") filter[i]
        where = where "    IF report_" fn "." filter[i] " IS NOT NULL THEN\n" \
                      "        w := w || pg_catalog.format(' AND r." filter[i] " = %L', report_" fn "." filter[i] ");\n" \
                      "    END IF;\n"
    }
    print ""
    print "CREATE FUNCTION @extschema@.report_" fn "(as_of date, caller name" args ")"
    print "    RETURNS SETOF @extschema@." view " LANGUAGE plpgsql STABLE SECURITY DEFINER"
    print "    SET search_path = pg_catalog, pg_temp"
    print "AS $$"
    print "DECLARE"
    print "    w text := '';"
    print "BEGIN"
    printf "%s", where
    # constants, not parameters: the planner folds what depends on the date
    print "    RETURN QUERY EXECUTE pg_catalog.format('SELECT * FROM @extschema@." fn "_for(%L::date, %L::name) AS r WHERE true',"
    print "        @extschema@.report_as_of(report_" fn ".as_of, @extschema@.report_caller(report_" fn ".caller)), report_" fn ".caller) || w;"
    print "END"
    print "$$;"
    print "REVOKE EXECUTE ON FUNCTION @extschema@.report_" fn "(date, name" types ") FROM PUBLIC;"
    print "GRANT EXECUTE ON FUNCTION @extschema@.report_" fn "(date, name" types ") TO sroi_reader, sroi_coordinator, sroi_contract_manager;"
    print "COMMENT ON FUNCTION @extschema@.report_" fn "(date, name" types ") IS"
    print "    'report_" fn "(as_of, caller) for one " names " (NULL: any): the filter reaches the scans, so one municipality or contract costs what its rows cost (SECURITY DEFINER, generated by src/tools/expand.awk)';"
}

FNR == 1 {
    print "-- @file " FILENAME
}

mode == "macro" {
    if ($0 ~ /^-- @end[ \t]*$/) {
        macro[name] = expand(buf)
        mode = ""
    } else {
        buf = buf $0 "\n"
    }
    next
}

mode == "report" {
    buf = buf $0 "\n"
    if ($0 ~ /;[ \t]*$/) {
        emit_report(name, expand(buf))
        mode = ""
    }
    next
}

/^-- @macro [a-z_]+[ \t]*$/ {
    name = $3; buf = ""; mode = "macro"
    next
}

/^-- @report [a-z_]+( [a-z_]+)*[ \t]*$/ {
    name = $3; buf = ""; mode = "report"
    nfilters = 0
    for (i = 4; i <= NF; i++)
        filter[++nfilters] = $i
    next
}

/^-- @define [a-z_]+ / {
    name = $3
    macro[name] = $0
    sub(/^-- @define [a-z_]+ /, "", macro[name])
    next
}

/^-- @undef [a-z_]+[ \t]*$/ {
    delete macro[$3]
    next
}

# Twice: a macro's text may hold a name given by @define since (such as @as_of@).
{
    print expand(expand($0))
}

END {
    if (mode != "") {
        print "expand.awk: unterminated @" mode " " name > "/dev/stderr"
        exit 1
    }
}
