#!/usr/bin/env node
// `npm start`: builds Tocsin (service and web console) when either build is missing, then runs the service.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'src', 'main.js');
const consolePage = join(root, 'console', 'dist', 'index.html');
if (!existsSync(entry) || !existsSync(consolePage)) {
  process.stderr.write('tocsin: no build found; building (npm run build)…\n');
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('tocsin: the build failed; run `npm ci` and read the errors above.\n');
    process.exit(1);
  }
}
const { main } = await import(entry);
await main();
