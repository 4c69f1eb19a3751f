import { FakeClock } from '../../../src/common/clock.js';
import { startTestApp, type TestApp } from '../../setup/app.js';

interface OpenApiOperation {
  'x-required-scope'?: string;
}
type OpenApiDoc = { paths: Record<string, Record<string, OpenApiOperation>> };

async function createKey(app: TestApp, name: string, scopes: string[]): Promise<{ id: string; key: string }> {
  const res = await fetch(`${app.url}/api/v1/keys`, {
    method: 'POST',
    headers: { ...app.admin, 'content-type': 'application/json' },
    body: JSON.stringify({ name, scopes }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string };
}

const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '1');

describe('API authentication and scopes', () => {
  const clock = new FakeClock(new Date());
  let app: TestApp;
  let routes: { method: string; path: string; scope: string }[];

  beforeAll(async () => {
    app = await startTestApp({ clock });
    const doc = (await (await fetch(`${app.url}/api/docs/openapi.json`)).json()) as OpenApiDoc;
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => ['get', 'post', 'put', 'delete', 'patch'].includes(method))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, scope: op['x-required-scope'] ?? 'none' })),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('should declare a scope for every /api route in the OpenAPI document', () => {
    const apiRoutes = routes.filter((r) => r.path.startsWith('/api/'));
    expect(apiRoutes.length).toBeGreaterThan(3);
    expect(apiRoutes.filter((r) => r.scope === 'none')).toEqual([]);
  });

  it('should answer 401 on every /api route without a key, and with an unknown key', async () => {
    for (const r of routes.filter((x) => x.path.startsWith('/api/'))) {
      for (const headers of [{}, { authorization: 'Bearer tocsin_not_a_real_key' }] as Record<string, string>[]) {
        const res = await fetch(`${app.url}${concrete(r.path)}`, { method: r.method, headers });
        expect({ route: `${r.method} ${r.path}`, status: res.status }).toEqual({ route: `${r.method} ${r.path}`, status: 401 });
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    }
  });

  it('should answer 403 on every /api route whose scope the key lacks', async () => {
    const scoped = routes.filter((r) => r.path.startsWith('/api/') && r.scope !== 'any');
    for (const r of scoped) {
      const other = r.scope === 'audit:read' ? 'alerts:write' : 'audit:read';
      const { key } = await createKey(app, `matrix-${r.method}-${r.path}-${Math.random()}`, [other]);
      const res = await fetch(`${app.url}${concrete(r.path)}`, { method: r.method, headers: { authorization: `Bearer ${key}` } });
      expect({ route: `${r.method} ${r.path}`, status: res.status }).toEqual({ route: `${r.method} ${r.path}`, status: 403 });
    }
  });

  it('should let any valid key ask whoami', async () => {
    const { id, key } = await createKey(app, 'whoami-reader', ['audit:read']);
    const res = await fetch(`${app.url}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${key}` } });
    expect(await res.json()).toEqual({ keyId: id, keyName: 'whoami-reader', scopes: ['audit:read'] });
  });

  it('should reject a revoked key at once', async () => {
    const { id, key } = await createKey(app, 'to-revoke', ['alerts:read']);
    const del = await fetch(`${app.url}/api/v1/keys/${id}`, { method: 'DELETE', headers: app.admin });
    expect(del.status).toBe(204);
    const res = await fetch(`${app.url}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(401);
  });

  it('should keep a rotated-out secret valid for 24 hours and not after', async () => {
    const { id, key: oldKey } = await createKey(app, 'to-rotate', ['alerts:read']);
    const rot = await fetch(`${app.url}/api/v1/keys/${id}/rotate`, { method: 'POST', headers: app.admin });
    expect(rot.status).toBe(201);
    const { key: newKey, id: sameId } = (await rot.json()) as { key: string; id: string };
    expect(sameId).toBe(id);
    expect(newKey).not.toBe(oldKey);
    const whoami = (k: string) => fetch(`${app.url}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${k}` } });
    clock.advance(24 * 3600 * 1000 - 60_000);
    expect((await whoami(oldKey)).status).toBe(200);
    clock.advance(120_000);
    expect((await whoami(oldKey)).status).toBe(401);
    expect((await whoami(newKey)).status).toBe(200);
  });

  it('should list keys without secrets, with lastUsedAt', async () => {
    const res = await fetch(`${app.url}/api/v1/keys?limit=500`, { headers: app.admin });
    const body = (await res.json()) as { items: Record<string, unknown>[] };
    expect(JSON.stringify(body)).not.toMatch(/tocsin_[A-Za-z0-9_-]{20,}/);
    expect(body.items.find((k) => k.name === 'bootstrap')).toHaveProperty('lastUsedAt');
  });

  it('should page the key list like every /api/v1 list: newest first, nextCursor, limit over 500 is 400', async () => {
    await createKey(app, 'page-a', ['alerts:read']);
    await createKey(app, 'page-b', ['alerts:read']);
    const first = (await (await fetch(`${app.url}/api/v1/keys?limit=1`, { headers: app.admin })).json()) as {
      items: { id: string; name: string }[];
      nextCursor: string | null;
    };
    expect(first.items.map((k) => k.name)).toEqual(['page-b']);
    expect(typeof first.nextCursor).toBe('string');
    const second = (await (
      await fetch(`${app.url}/api/v1/keys?limit=1&cursor=${first.nextCursor}`, { headers: app.admin })
    ).json()) as { items: { name: string }[] };
    expect(second.items.map((k) => k.name)).toEqual(['page-a']);
    const tooMany = await fetch(`${app.url}/api/v1/keys?limit=501`, { headers: app.admin });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { errors: { path: string }[] }).errors[0].path).toBe('limit');
  });

  it('should name the field at fault when a key is created with an unknown scope', async () => {
    const res = await fetch(`${app.url}/api/v1/keys`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', scopes: ['root'] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string }[] };
    expect(body.errors[0].path).toBe('scopes[0]');
  });
});
