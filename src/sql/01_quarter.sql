-- sroi install script, part 1: the quarter type.
-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION sroi" to load this file. \quit

CREATE TYPE @extschema@.quarter;

CREATE FUNCTION @extschema@.quarter_in(pg_catalog.cstring) RETURNS @extschema@.quarter
    AS 'MODULE_PATHNAME', 'quarter_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_out(@extschema@.quarter) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'quarter_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_recv(pg_catalog.internal) RETURNS @extschema@.quarter
    AS 'MODULE_PATHNAME', 'quarter_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_send(@extschema@.quarter) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'quarter_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.quarter (
    INPUT = @extschema@.quarter_in,
    OUTPUT = @extschema@.quarter_out,
    RECEIVE = @extschema@.quarter_recv,
    SEND = @extschema@.quarter_send,
    INTERNALLENGTH = 4,
    PASSEDBYVALUE,
    ALIGNMENT = int4,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.quarter IS
    'a calendar quarter, written 2025-Q3 (input also 2025Q3, any case); Q1 = January to March';
COMMENT ON FUNCTION @extschema@.quarter_in(pg_catalog.cstring) IS 'text input of sroi.quarter';
COMMENT ON FUNCTION @extschema@.quarter_out(@extschema@.quarter) IS 'text output of sroi.quarter: YYYY-Qn';
COMMENT ON FUNCTION @extschema@.quarter_recv(pg_catalog.internal) IS 'binary input of sroi.quarter: int4 year * 4 + quarter - 1, range checked';
COMMENT ON FUNCTION @extschema@.quarter_send(@extschema@.quarter) IS 'binary output of sroi.quarter: int4 year * 4 + quarter - 1';

-- Comparison, btree and hash support.
CREATE FUNCTION @extschema@.quarter_lt(@extschema@.quarter, @extschema@.quarter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quarter_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.quarter_le(@extschema@.quarter, @extschema@.quarter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quarter_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.quarter_eq(@extschema@.quarter, @extschema@.quarter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quarter_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.quarter_ne(@extschema@.quarter, @extschema@.quarter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quarter_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.quarter_ge(@extschema@.quarter, @extschema@.quarter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quarter_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.quarter_gt(@extschema@.quarter, @extschema@.quarter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quarter_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.quarter_cmp(@extschema@.quarter, @extschema@.quarter) RETURNS integer
    AS 'MODULE_PATHNAME', 'quarter_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.quarter_hash(@extschema@.quarter) RETURNS integer
    AS 'MODULE_PATHNAME', 'quarter_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.quarter_hash_extended(@extschema@.quarter, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'quarter_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.quarter_lt(@extschema@.quarter, @extschema@.quarter) IS 'implementation of < for sroi.quarter';
COMMENT ON FUNCTION @extschema@.quarter_le(@extschema@.quarter, @extschema@.quarter) IS 'implementation of <= for sroi.quarter';
COMMENT ON FUNCTION @extschema@.quarter_eq(@extschema@.quarter, @extschema@.quarter) IS 'implementation of = for sroi.quarter';
COMMENT ON FUNCTION @extschema@.quarter_ne(@extschema@.quarter, @extschema@.quarter) IS 'implementation of <> for sroi.quarter';
COMMENT ON FUNCTION @extschema@.quarter_ge(@extschema@.quarter, @extschema@.quarter) IS 'implementation of >= for sroi.quarter';
COMMENT ON FUNCTION @extschema@.quarter_gt(@extschema@.quarter, @extschema@.quarter) IS 'implementation of > for sroi.quarter';
COMMENT ON FUNCTION @extschema@.quarter_cmp(@extschema@.quarter, @extschema@.quarter) IS 'btree comparison of sroi.quarter: -1, 0 or 1';
COMMENT ON FUNCTION @extschema@.quarter_hash(@extschema@.quarter) IS 'hash of sroi.quarter';
COMMENT ON FUNCTION @extschema@.quarter_hash_extended(@extschema@.quarter, bigint) IS 'seeded 64-bit hash of sroi.quarter, for hash partitioning';

CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.quarter, RIGHTARG = @extschema@.quarter, PROCEDURE = @extschema@.quarter_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.quarter, RIGHTARG = @extschema@.quarter, PROCEDURE = @extschema@.quarter_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel);
CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.quarter, RIGHTARG = @extschema@.quarter, PROCEDURE = @extschema@.quarter_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.quarter, RIGHTARG = @extschema@.quarter, PROCEDURE = @extschema@.quarter_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.quarter, RIGHTARG = @extschema@.quarter, PROCEDURE = @extschema@.quarter_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.quarter, RIGHTARG = @extschema@.quarter, PROCEDURE = @extschema@.quarter_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel);
COMMENT ON OPERATOR @extschema@.< (@extschema@.quarter, @extschema@.quarter) IS 'earlier than';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.quarter, @extschema@.quarter) IS 'earlier than or the same quarter';
COMMENT ON OPERATOR @extschema@.= (@extschema@.quarter, @extschema@.quarter) IS 'the same quarter';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.quarter, @extschema@.quarter) IS 'not the same quarter';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.quarter, @extschema@.quarter) IS 'later than or the same quarter';
COMMENT ON OPERATOR @extschema@.> (@extschema@.quarter, @extschema@.quarter) IS 'later than';

CREATE OPERATOR CLASS @extschema@.quarter_ops
    DEFAULT FOR TYPE @extschema@.quarter USING btree AS
        OPERATOR 1 @extschema@.<,
        OPERATOR 2 @extschema@.<=,
        OPERATOR 3 @extschema@.=,
        OPERATOR 4 @extschema@.>=,
        OPERATOR 5 @extschema@.>,
        FUNCTION 1 @extschema@.quarter_cmp(@extschema@.quarter, @extschema@.quarter);
CREATE OPERATOR CLASS @extschema@.quarter_hash_ops
    DEFAULT FOR TYPE @extschema@.quarter USING hash AS
        OPERATOR 1 @extschema@.=,
        FUNCTION 1 @extschema@.quarter_hash(@extschema@.quarter),
        FUNCTION 2 @extschema@.quarter_hash_extended(@extschema@.quarter, bigint);
COMMENT ON OPERATOR CLASS @extschema@.quarter_ops USING btree IS 'calendar order of quarters: indexes, ORDER BY, range partitioning';
COMMENT ON OPERATOR CLASS @extschema@.quarter_hash_ops USING hash IS 'hashing of quarters: hash joins, GROUP BY, hash partitioning';

CREATE FUNCTION @extschema@.quarter_smaller(@extschema@.quarter, @extschema@.quarter) RETURNS @extschema@.quarter
    AS 'MODULE_PATHNAME', 'quarter_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_larger(@extschema@.quarter, @extschema@.quarter) RETURNS @extschema@.quarter
    AS 'MODULE_PATHNAME', 'quarter_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quarter_smaller(@extschema@.quarter, @extschema@.quarter) IS 'the earlier of two quarters';
COMMENT ON FUNCTION @extschema@.quarter_larger(@extschema@.quarter, @extschema@.quarter) IS 'the later of two quarters';
CREATE AGGREGATE @extschema@.min(@extschema@.quarter) (
    SFUNC = @extschema@.quarter_smaller, STYPE = @extschema@.quarter,
    COMBINEFUNC = @extschema@.quarter_smaller, SORTOP = OPERATOR(@extschema@.<), PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.max(@extschema@.quarter) (
    SFUNC = @extschema@.quarter_larger, STYPE = @extschema@.quarter,
    COMBINEFUNC = @extschema@.quarter_larger, SORTOP = OPERATOR(@extschema@.>), PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.quarter) IS 'the earliest quarter';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.quarter) IS 'the latest quarter';

-- Arithmetic in whole quarters.
CREATE FUNCTION @extschema@.quarter_plus_int(@extschema@.quarter, integer) RETURNS @extschema@.quarter
    AS 'MODULE_PATHNAME', 'quarter_plus_int' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.int_plus_quarter(integer, @extschema@.quarter) RETURNS @extschema@.quarter
    AS 'MODULE_PATHNAME', 'int_plus_quarter' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_minus_int(@extschema@.quarter, integer) RETURNS @extschema@.quarter
    AS 'MODULE_PATHNAME', 'quarter_minus_int' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_minus_quarter(@extschema@.quarter, @extschema@.quarter) RETURNS integer
    AS 'MODULE_PATHNAME', 'quarter_minus_quarter' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quarter_plus_int(@extschema@.quarter, integer) IS 'the quarter n quarters later';
COMMENT ON FUNCTION @extschema@.int_plus_quarter(integer, @extschema@.quarter) IS 'the quarter n quarters later';
COMMENT ON FUNCTION @extschema@.quarter_minus_int(@extschema@.quarter, integer) IS 'the quarter n quarters earlier';
COMMENT ON FUNCTION @extschema@.quarter_minus_quarter(@extschema@.quarter, @extschema@.quarter) IS 'the number of quarters from the second to the first';

CREATE OPERATOR @extschema@.+ (LEFTARG = @extschema@.quarter, RIGHTARG = integer,
    PROCEDURE = @extschema@.quarter_plus_int, COMMUTATOR = OPERATOR(@extschema@.+));
CREATE OPERATOR @extschema@.+ (LEFTARG = integer, RIGHTARG = @extschema@.quarter,
    PROCEDURE = @extschema@.int_plus_quarter, COMMUTATOR = OPERATOR(@extschema@.+));
CREATE OPERATOR @extschema@.- (LEFTARG = @extschema@.quarter, RIGHTARG = integer,
    PROCEDURE = @extschema@.quarter_minus_int);
CREATE OPERATOR @extschema@.- (LEFTARG = @extschema@.quarter, RIGHTARG = @extschema@.quarter,
    PROCEDURE = @extschema@.quarter_minus_quarter);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.quarter, integer) IS 'the quarter n quarters later';
COMMENT ON OPERATOR @extschema@.+ (integer, @extschema@.quarter) IS 'the quarter n quarters later';
COMMENT ON OPERATOR @extschema@.- (@extschema@.quarter, integer) IS 'the quarter n quarters earlier';
COMMENT ON OPERATOR @extschema@.- (@extschema@.quarter, @extschema@.quarter) IS 'the number of quarters between two quarters';

-- Calendar.
CREATE FUNCTION @extschema@.quarter(date) RETURNS @extschema@.quarter
    AS 'MODULE_PATHNAME', 'quarter_from_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_start(@extschema@.quarter) RETURNS date
    AS 'MODULE_PATHNAME', 'quarter_start' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_end(@extschema@.quarter) RETURNS date
    AS 'MODULE_PATHNAME', 'quarter_end' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_year(@extschema@.quarter) RETURNS integer
    AS 'MODULE_PATHNAME', 'quarter_year_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarter_number(@extschema@.quarter) RETURNS integer
    AS 'MODULE_PATHNAME', 'quarter_number_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.quarters(from_quarter @extschema@.quarter, to_quarter @extschema@.quarter)
    RETURNS SETOF @extschema@.quarter
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 8
BEGIN ATOMIC
    SELECT from_quarter OPERATOR(@extschema@.+) step
      FROM pg_catalog.generate_series(0, to_quarter OPERATOR(@extschema@.-) from_quarter) AS step;
END;
COMMENT ON FUNCTION @extschema@.quarter(date) IS 'the calendar quarter a date falls in';
COMMENT ON FUNCTION @extschema@.quarter_start(@extschema@.quarter) IS 'the first day of a quarter';
COMMENT ON FUNCTION @extschema@.quarter_end(@extschema@.quarter) IS 'the last day of a quarter';
COMMENT ON FUNCTION @extschema@.quarter_year(@extschema@.quarter) IS 'the year of a quarter';
COMMENT ON FUNCTION @extschema@.quarter_number(@extschema@.quarter) IS 'the number of a quarter in its year, 1 to 4';
COMMENT ON FUNCTION @extschema@.quarters(@extschema@.quarter, @extschema@.quarter) IS
    'every quarter from from_quarter to to_quarter, both included, in order; none when to_quarter is earlier';

CREATE CAST (date AS @extschema@.quarter) WITH FUNCTION @extschema@.quarter(date);
COMMENT ON CAST (date AS @extschema@.quarter) IS 'the calendar quarter a date falls in';

-- PSO: the rungs of the Prestatieladder Socialer Ondernemen (guideline 7, rows 14 and 15).
CREATE TYPE @extschema@.pso_rung AS ENUM ('none', 'aspirant', '1', '2', '3');
COMMENT ON TYPE @extschema@.pso_rung IS
    'rung of the Prestatieladder Socialer Ondernemen a supplier is certified on: none, aspirant, 1, 2, 3';
