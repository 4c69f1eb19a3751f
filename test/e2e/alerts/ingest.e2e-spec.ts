import { startTestApp, type TestApp } from '../../setup/app.js';
import { counts, get, post, query, resetAlertTables, webhookConfig, QUIET } from './alerts-helpers.js';

interface Problem {
  status: number;
  errors: { path: string; message: string }[];
  alerts?: { fingerprint: string; status: string; deliveries: string[] }[];
}

const valid = (name: string) => ({ labels: { alertname: name, severity: 'critical' }, annotations: { summary: 's' } });

describe('alert ingest', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ configYaml: webhookConfig({ groupWait: '0s' }), env: QUIET });
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await resetAlertTables(app);
  });

  describe('POST /api/v1/alerts', () => {
    it('should store the alert, flush its group_wait 0s group and return the delivery ids', async () => {
      const res = await post(app, '/api/v1/alerts', [valid('IngestOne')]);
      expect(res.status).toBe(202);
      const body = res.body as { alerts: { fingerprint: string; status: string; deliveries: string[] }[] };
      expect(body.alerts).toHaveLength(1);
      expect(body.alerts[0].status).toBe('firing');
      expect(body.alerts[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(body.alerts[0].deliveries).toHaveLength(1);
      const [row] = await query<{ fingerprints: string[]; status: string }>(app, `SELECT fingerprints, status FROM alert_deliveries WHERE id = $1`, [body.alerts[0].deliveries[0]]);
      expect(row).toEqual({ fingerprints: [body.alerts[0].fingerprint], status: 'pending' });
    });

    it('should keep the valid alerts of a mixed batch and answer 400 naming each rejected one with the kept alerts', async () => {
      const before = await counts(app);
      const res = await post(app, '/api/v1/alerts', [
        valid('MixedA'),
        { labels: { alertname: 'MixedBad', 'foo bar': 'x' } },
        valid('MixedB'),
        { labels: { alertname: 'MixedBad2', n: 5 } },
      ]);
      expect(res.status).toBe(400);
      const problem = res.body as Problem;
      expect(problem.errors.map((e) => e.path)).toEqual(['[1].labels.foo bar', '[3].labels.n']);
      expect(problem.alerts).toHaveLength(2);
      const after = await counts(app);
      expect(after.alerts - before.alerts).toBe(2);
      const names = (await query<{ name: string }>(app, `SELECT labels->>'alertname' AS name FROM alerts ORDER BY 1`)).map((r) => r.name);
      expect(names).toEqual(['MixedA', 'MixedB']);
    });
  });

  describe('bad input', () => {
    const table: [string, string, unknown, number, string[]][] = [
      ['malformed JSON', '/api/v1/alerts', '[{"labels": {', 400, []],
      ['an object instead of an array', '/api/v2/alerts', { labels: { a: 'b' } }, 400, ['(body)']],
      ['labels of the wrong type', '/api/v2/alerts', [{ labels: 'alertname=x' }], 400, ['[0].labels']],
      ['a non-string label value', '/api/v2/alerts', [{ labels: { alertname: 'x', n: 1 } }], 400, ['[0].labels.n']],
      ['a null label value', '/api/v1/alerts', [{ labels: { alertname: 'x', n: null } }], 400, ['[0].labels.n']],
      ['an invalid label name', '/api/v2/alerts', [{ labels: { '1abc': 'x' } }], 400, ['[0].labels.1abc']],
      ['an empty label set', '/api/v2/alerts', [{ labels: {} }], 400, ['[0].labels']],
      ['only empty-valued labels', '/api/v2/alerts', [{ labels: { alertname: '' } }], 400, ['[0].labels']],
      ['missing labels', '/api/v1/alerts', [{ annotations: {} }], 400, ['[0].labels']],
      ['a bad startsAt', '/api/v2/alerts', [{ labels: { a: 'b' }, startsAt: 'yesterday' }], 400, ['[0].startsAt']],
      ['endsAt before startsAt', '/api/v2/alerts', [{ labels: { a: 'b' }, startsAt: '2026-01-02T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' }], 400, ['[0].endsAt']],
      ['a non-string annotation', '/api/v2/alerts', [{ labels: { a: 'b' }, annotations: { x: {} } }], 400, ['[0].annotations.x']],
      ['an alert that is not an object', '/api/v2/alerts', [42], 400, ['[0]']],
      ['a webhook payload without alerts', '/api/v1/webhooks/alertmanager', { version: '4' }, 400, ['alerts']],
      ['a bad webhook alert', '/api/v1/webhooks/alertmanager', { version: '4', alerts: [{ labels: { 'a-b': 'x' } }] }, 400, ['alerts[0].labels.a-b']],
    ];

    it.each(table)('should reject %s, writing nothing', async (_name, path, body, status, paths) => {
      const before = await counts(app);
      const res = await post(app, path, typeof body === 'string' ? body : body, typeof body === 'string');
      expect(res.status).toBe(status);
      expect(res.text).not.toBe('');
      const problem = res.body as Problem;
      expect(problem.status).toBe(status);
      expect(problem.errors.map((e) => e.path)).toEqual(paths);
      expect(await counts(app)).toEqual(before);
    });

    it('should answer a body over 1 MiB with 413 and write nothing', async () => {
      const before = await counts(app);
      const big = [{ labels: { alertname: 'Big' }, annotations: { blob: 'x'.repeat(1024 * 1024 + 10) } }];
      const res = await post(app, '/api/v2/alerts', big);
      expect(res.status).toBe(413);
      expect(await counts(app)).toEqual(before);
    });
  });

  describe('POST /api/v2/alerts', () => {
    it('should answer 200 with an empty body and drop empty-valued labels', async () => {
      const res = await post(app, '/api/v2/alerts', [{ labels: { alertname: 'V2Drop', team: '' }, startsAt: '0001-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z' }]);
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      const rows = await query<{ labels: Record<string, string>; ends_at_given: boolean }>(app, `SELECT labels, ends_at_given FROM alerts`);
      expect(rows).toEqual([{ labels: { alertname: 'V2Drop' }, ends_at_given: false }]);
    });

    it('should count accepted alerts in alerts_received_total by source', async () => {
      await post(app, '/api/v2/alerts', [valid('MetricA'), valid('MetricB')]);
      const text = await (await fetch(`${app.url}/metrics`)).text();
      expect(text).toMatch(/alerts_received_total\{source="api_v2"\} [1-9]/);
    });
  });

  describe('POST /api/v1/webhooks/alertmanager', () => {
    it('should accept an Alertmanager v4 payload with a resolved alert', async () => {
      const res = await post(app, '/api/v1/webhooks/alertmanager', {
        version: '4',
        status: 'resolved',
        receiver: 'upstream',
        groupKey: '{}:{}',
        alerts: [
          { status: 'firing', labels: { alertname: 'Upstream', instance: 'a' }, annotations: {}, startsAt: '2026-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z' },
          { status: 'resolved', labels: { alertname: 'Upstream', instance: 'b' }, annotations: {}, startsAt: '2026-01-01T00:00:00Z' },
        ],
      });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ accepted: 2 });
      const list = await get(app, '/api/v1/alerts?filter=alertname%3D%22Upstream%22');
      const items = (list.body as { items: { labels: Record<string, string>; status: string }[] }).items;
      expect(items.map((i) => [i.labels.instance, i.status]).sort()).toEqual([
        ['a', 'firing'],
        ['b', 'resolved'],
      ]);
    });

    it('should accept a Grafana payload (a superset)', async () => {
      const res = await post(app, '/api/v1/webhooks/alertmanager', {
        receiver: 'tocsin',
        status: 'firing',
        orgId: 1,
        title: '[FIRING:1]',
        state: 'alerting',
        message: 'm',
        version: '1',
        alerts: [{ status: 'firing', labels: { alertname: 'FromGrafana' }, annotations: {}, startsAt: '2026-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z', values: { A: 1 }, silenceURL: 'x' }],
      });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ accepted: 1 });
      const text = await (await fetch(`${app.url}/metrics`)).text();
      expect(text).toMatch(/alerts_received_total\{source="grafana"\} 1/);
    });
  });
});
