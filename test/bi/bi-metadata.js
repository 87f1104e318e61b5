// Syncs the metadata of schema sroi the way a node BI tool (Cube, a custom extract) does
// with node-postgres, as the login in the PG* environment, and prints what it learnt for
// test/bi/bi-clients.sh, in the format of BiMetadata.java:
//   T name TABLE|VIEW remarks        information_schema.tables (what the login may use)
//   C name column type remarks       information_schema.columns, col_description
//   S name ok rows | S name error SQLSTATE   SELECT * of every relation of schema sroi
//   R name column type               the result's field descriptions (type oid, typmod)
// Usage: node bi-metadata.js   (PGHOST, PGPORT, PGUSER, PGDATABASE)
'use strict';
const { Client } = require('pg');

const typeNames = { 16: 'boolean', 20: 'bigint', 23: 'integer', 25: 'text', 1082: 'date', 1700: 'numeric' };
function fieldType(f) {
  const name = typeNames[f.dataTypeID] || `oid${f.dataTypeID}`;
  if (f.dataTypeID === 1700) {
    // numeric typmod: ((precision << 16) | scale) + 4, or -1 when not declared
    if (f.dataTypeModifier < 0) return 'numeric';
    const m = f.dataTypeModifier - 4;
    return `numeric(${m >> 16},${m & 0xffff})`;
  }
  return name;
}
const remarks = (r) => (r && r.trim() !== '' ? 'yes' : 'no');

async function main() {
  const c = new Client();
  await c.connect();
  const out = [];
  const tables = await c.query(`
      SELECT t.table_name, t.table_type, obj_description(format('%I.%I', t.table_schema, t.table_name)::regclass, 'pg_class') AS remarks
        FROM information_schema.tables AS t WHERE t.table_schema = 'sroi' ORDER BY 1`);
  for (const t of tables.rows) {
    out.push(`T ${t.table_name} ${t.table_type === 'BASE TABLE' ? 'TABLE' : t.table_type} ${remarks(t.remarks)}`);
  }
  const cols = await c.query(`
      SELECT c.table_name, c.column_name, c.udt_name, c.numeric_precision, c.numeric_scale,
             col_description(format('%I.%I', c.table_schema, c.table_name)::regclass, c.ordinal_position::integer) AS remarks
        FROM information_schema.columns AS c WHERE c.table_schema = 'sroi' ORDER BY c.table_name, c.ordinal_position`);
  const udt = { bool: 'boolean', int4: 'integer', int8: 'bigint' };
  for (const r of cols.rows) {
    let type = udt[r.udt_name] || r.udt_name;
    if (type === 'numeric' && r.numeric_precision !== null) type = `numeric(${r.numeric_precision},${r.numeric_scale})`;
    out.push(`C ${r.table_name} ${r.column_name} ${type} ${remarks(r.remarks)}`);
  }
  // every relation of the schema, as a tool that lists pg_class would try them
  const rels = await c.query(`SELECT relname FROM pg_class WHERE relnamespace = 'sroi'::regnamespace
                                 AND relkind IN ('r', 'v', 'm', 'p', 'f') ORDER BY 1`);
  for (const { relname } of rels.rows) {
    try {
      const res = await c.query(`SELECT * FROM sroi."${relname}"`);
      out.push(`S ${relname} ok ${res.rowCount}`);
      for (const f of res.fields) out.push(`R ${relname} ${f.name} ${fieldType(f)}`);
    } catch (e) {
      out.push(`S ${relname} error ${e.code}`);
    }
  }
  await c.end();
  console.log(out.join('\n'));
}

main().catch((e) => { console.error(e); process.exit(1); });
