import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CONSOLE_INDEX = join(ROOT, 'console', 'dist', 'index.html');

/** Builds the console (vite) only when console/dist/index.html is missing. */
export function ensureConsoleBuilt(): void {
  if (existsSync(CONSOLE_INDEX)) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'console/vite.config.ts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0 || !existsSync(CONSOLE_INDEX)) throw new Error(`building the console failed:\n${r.stdout}\n${r.stderr}`);
}
