import { startTestApp, type TestApp } from '../../setup/app.js';

describe('foundation smoke', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('should answer healthz', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('should answer whoami for the admin', async () => {
    const res = await fetch(`${app.url}/api/v1/auth/whoami`, { headers: app.admin });
    expect(await res.json()).toMatchObject({ keyName: 'bootstrap', scopes: ['admin'] });
  });

  it('should answer 404 as a problem', async () => {
    const res = await fetch(`${app.url}/nope`, { headers: { 'x-request-id': 'abc-1' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('x-request-id')).toBe('abc-1');
    expect(await res.json()).toMatchObject({ status: 404, requestId: 'abc-1' });
  });
});
