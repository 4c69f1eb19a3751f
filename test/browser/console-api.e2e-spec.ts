import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENDPOINTS, READYZ_PATH } from '../../console/src/api/routes.js';
import { startTestApp, type TestApp } from '../setup/app.js';
import { CONSOLE_INDEX, ensureConsoleBuilt, ROOT } from './console-build.js';

interface OpenApiDoc {
  paths: Record<string, Record<string, { 'x-required-scope'?: string }>>;
}

describe('console: API client against the OpenAPI document, and how the page is served', () => {
  let app: TestApp;

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp({ env: { TOCSIN_WORKERS: '0' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('every route the console calls exists in the OpenAPI document with that method', async () => {
    const doc = (await (await fetch(`${app.url}/api/docs/openapi.json`)).json()) as OpenApiDoc;
    const missing = Object.entries(ENDPOINTS)
      .filter(([, ep]) => doc.paths[ep.path]?.[ep.method.toLowerCase()] === undefined)
      .map(([name, ep]) => `${name}: ${ep.method} ${ep.path}`);
    expect(missing).toEqual([]);
    // Every one of them needs a key (the page itself holds no data).
    for (const ep of Object.values(ENDPOINTS)) expect(doc.paths[ep.path][ep.method.toLowerCase()]['x-required-scope']).toBeDefined();
    const ready = await fetch(`${app.url}${READYZ_PATH}`);
    expect(ready.status).toBe(200);
  });

  it('the console source type-checks (strict, its own tsconfig)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'console/tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('serves index.html at /console and for client routes, assets from the build, without a key', async () => {
    const index = readFileSync(CONSOLE_INDEX, 'utf8');
    for (const path of ['/console', '/console/', '/console/poison', '/console/keys/some/deep/route?x=1']) {
      const res = await fetch(`${app.url}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await res.text()).toBe(index);
    }
    const assets = [...index.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const res = await fetch(`${app.url}${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toContain('immutable');
      const body = await res.text();
      // Nothing fetched from elsewhere at run time (no CDN, no web fonts).
      expect(body).not.toMatch(/https?:\/\/(?!www\.w3\.org|react\.dev|reactjs\.org)[a-z0-9.-]+\.[a-z]{2,}\//i);
    }
    // The API is still guarded.
    expect((await fetch(`${app.url}/api/v1/poison`)).status).toBe(401);
  });
});
