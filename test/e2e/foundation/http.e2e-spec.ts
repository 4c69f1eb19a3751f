import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../../setup/app.js';

describe('HTTP edge', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('should count 100 unknown paths under one route label', async () => {
    for (let i = 0; i < 100; i++) {
      await fetch(`${app.url}/random/${randomBytes(6).toString('hex')}`);
    }
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const lines = text.split('\n').filter((l) => l.startsWith('http_requests_total{'));
    expect(lines.some((l) => l.includes('route="unmatched"') && l.includes('status="404"'))).toBe(true);
    expect(lines.filter((l) => l.includes('/random/'))).toEqual([]);
    expect(text).toContain('http_request_duration_seconds_bucket');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('should answer 413 as a problem for a body over 1 MiB', async () => {
    const res = await fetch(`${app.url}/api/v1/keys`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10), scopes: ['admin'] }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('should answer 400 as a problem for unparseable JSON', async () => {
    const res = await fetch(`${app.url}/api/v1/keys`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 400, title: 'Malformed request body' });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js:\d+/);
  });

  it('should report ready when the database answers and no migration is pending', async () => {
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(200);
  });

  it('should serve the OpenAPI document without a key', async () => {
    const res = await fetch(`${app.url}/api/docs/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.paths['/api/v1/keys']).toBeDefined();
  });
});
