#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs the compiled benchmark dist/bench/<name>.js
// (built by `npm run build` from bench/<name>.ts). Without a name, lists them.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'bench');
const available = existsSync(built) ? readdirSync(built).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)) : [];
const name = process.argv[2];
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|') || 'none built: run npm run build'}> [options]\n`);
  process.exit(2);
}
process.argv.splice(2, 1);
await import(pathToFileURL(join(built, `${name}.js`)).href);
