// Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`):
//   node bench/tools/cpuprofile-top.mjs <file.cpuprofile> [count]
import { readFileSync } from 'node:fs';

const [file, n = '30'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTicks = new Map();
for (const id of profile.samples) selfTicks.set(id, (selfTicks.get(id) ?? 0) + 1);
const total = profile.samples.length;
const byFn = new Map();
const byPkg = new Map();
for (const [id, ticks] of selfTicks) {
  const { callFrame: f } = byId.get(id);
  const where = f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'nm:').replace(/^.*\/dist\//, 'dist/');
  const key = `${f.functionName || '(anonymous)'}  ${where}:${f.lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + ticks);
  const pkg = where.startsWith('nm:') ? where.slice(3).split('/').slice(0, where.includes('@') ? 2 : 1).join('/') : where.startsWith('dist/') ? 'tocsin' : where.startsWith('node:') ? 'node-core' : f.functionName.startsWith('(') ? f.functionName : 'other';
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + ticks);
}
const pct = (t) => ((100 * t) / total).toFixed(1).padStart(5);
const durS = (profile.endTime - profile.startTime) / 1e6;
console.log(`${file}: ${total} samples over ${durS.toFixed(1)} s`);
console.log('\nself time by package:');
for (const [k, t] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(t)}%  ${k}`);
console.log('\ntop self-time functions:');
for (const [k, t] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`${pct(t)}%  ${k}`);
