// Preload for a profiled Tocsin process (`node --import ./bench/tools/count-queries.mjs …`):
// counts every statement sent through node-postgres, keyed by its first words, and writes the
// counts as JSON to $TOCSIN_QUERY_COUNT_FILE when the process exits. Bench analysis only.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pg = require('pg');
const counts = new Map();
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, ...rest) {
  const text = typeof config === 'string' ? config : config?.text;
  if (typeof text === 'string') {
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return original.call(this, config, ...rest);
};
const file = process.env.TOCSIN_QUERY_COUNT_FILE;
process.on('exit', () => {
  if (!file) return;
  writeFileSync(file, JSON.stringify(Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])), null, 1));
});
