// Runs one SQL query with DuckDB (npm package @duckdb/node-api) and prints
// the result rows as JSON Lines, values as DuckDB's text form (NULL as null).
// Usage: node duckdb_query.cjs NODE_MODULES_DIR "SQL"
const path = require('path');
const { DuckDBInstance } = require(path.join(process.argv[2], '@duckdb', 'node-api'));

async function main() {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const reader = await conn.runAndReadAll(process.argv[3]);
  const names = reader.columnNames();
  const out = [];
  for (const row of reader.getRows()) {
    const obj = {};
    row.forEach((v, i) => { obj[names[i]] = v === null ? null : (typeof v === 'bigint' ? v.toString() : (typeof v === 'object' ? v.toString() : v)); });
    out.push(JSON.stringify(obj));
  }
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
}
main().catch((e) => { console.error(String(e && e.message || e)); process.exit(1); });
