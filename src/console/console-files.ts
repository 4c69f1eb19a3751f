import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest folder above `from` holding a package.json (works from src/ and dist/src/). */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}

/** Where `npm run build` puts the console (vite build of console/). */
export function consoleDistDir(root: string = packageRoot()): string {
  return join(root, 'console', 'dist');
}

/** Long cache for content-hashed assets; index.html must be re-read on every visit. */
export function cacheControlFor(filePath: string): string {
  return /[\\/]assets[\\/]/.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * Which built file a `/console…` URL asks for, and whether index.html stands in when there is
 * none: yes for client routes, no under assets/ (a missing script must be a 404, not HTML).
 */
export function fileRequestFor(url: string): { file: string; fallback: boolean } {
  const path = url.split('?')[0].replace(/^\/console/, '');
  if (path === '' || path === '/') return { file: '/index.html', fallback: true };
  return { file: path, fallback: !path.startsWith('/assets/') };
}
