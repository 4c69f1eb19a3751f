import { startTestApp, type TestApp } from '../../setup/app.js';
import { get, post, query, resetAlertTables, webhookConfig, QUIET } from './alerts-helpers.js';

const CONFIG = webhookConfig({
  receiver: 'muting',
  groupWait: '0s',
  extra: `inhibit_rules:
  - { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: [service] }
`,
});

type Gettable = { fingerprint: string; labels: Record<string, string>; status: { state: string; silencedBy: string[]; inhibitedBy: string[] }; receivers: { name: string }[] };
type Ingested = { alerts: { fingerprint: string; deliveries: string[] }[] };

const future = () => new Date(Date.now() + 3600_000).toISOString();

describe('silences and inhibition', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ configYaml: CONFIG, env: QUIET });
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await resetAlertTables(app);
  });

  it('should create no delivery for a silenced alert and show silencedBy', async () => {
    const sil = await post(app, '/api/v2/silences', {
      matchers: [{ name: 'alertname', value: 'Silenced.*', isRegex: true, isEqual: true }],
      startsAt: new Date().toISOString(),
      endsAt: future(),
      createdBy: 'e2e',
      comment: 'maintenance',
    });
    expect(sil.status).toBe(200);
    const silenceID = (sil.body as { silenceID: string }).silenceID;

    const res = await post(app, '/api/v1/alerts', [{ labels: { alertname: 'SilencedOne', service: 'x' } }]);
    expect((res.body as Ingested).alerts[0].deliveries).toEqual([]);
    expect(await query(app, `SELECT id FROM alert_deliveries WHERE group_key LIKE '%SilencedOne%'`)).toEqual([]);

    const alerts = (await get(app, '/api/v2/alerts')).body as Gettable[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0].status).toEqual({ state: 'suppressed', silencedBy: [silenceID], inhibitedBy: [] });
    expect(alerts[0].receivers).toEqual([{ name: 'muting' }]);
    expect(((await get(app, '/api/v2/alerts?silenced=false')).body as Gettable[]).length).toBe(0);

    const v1 = (await get(app, '/api/v1/alerts')).body as { items: { silencedBy: string[]; receivers: string[] }[] };
    expect(v1.items[0].silencedBy).toEqual([silenceID]);
    expect(v1.items[0].receivers).toEqual(['muting']);

    const audit = await query<{ action: string; target: string }>(app, `SELECT action, target FROM audit_log WHERE target = $1`, [`silence:${silenceID}`]);
    expect(audit.map((a) => a.action)).toEqual(['silence.create']);
  });

  it('should notify again once the silence is expired and keep the silence as history', async () => {
    const created = await post(app, '/api/v1/silences', {
      matchers: [{ name: 'alertname', value: 'Expiring', isRegex: false }],
      startsAt: new Date().toISOString(),
      endsAt: future(),
      createdBy: 'e2e',
      comment: 'short',
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect(((await post(app, '/api/v1/alerts', [{ labels: { alertname: 'Expiring' } }])).body as Ingested).alerts[0].deliveries).toEqual([]);

    const del = await fetch(`${app.url}/api/v1/silences/${id}`, { method: 'DELETE', headers: app.admin });
    expect(del.status).toBe(204);
    const got = (await get(app, `/api/v2/silence/${id}`)).body as { status: { state: string } };
    expect(got.status.state).toBe('expired');
    const audit = await query<{ action: string }>(app, `SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [`silence:${id}`]);
    expect(audit.map((a) => a.action)).toEqual(['silence.create', 'silence.expire']);

    const alerts = (await get(app, '/api/v2/alerts')).body as Gettable[];
    expect(alerts[0].status.state).toBe('active');
  });

  it('should create no delivery for an inhibited alert and show inhibitedBy', async () => {
    const src = (await post(app, '/api/v1/alerts', [{ labels: { alertname: 'DbDown', severity: 'critical', service: 'db' } }])).body as Ingested;
    expect(src.alerts[0].deliveries).toHaveLength(1);
    const tgt = (await post(app, '/api/v1/alerts', [
      { labels: { alertname: 'DbSlow', severity: 'warning', service: 'db' } },
      { labels: { alertname: 'WebSlow', severity: 'warning', service: 'web' } },
    ])).body as Ingested;
    expect(tgt.alerts[0].deliveries).toEqual([]);
    expect(tgt.alerts[1].deliveries).toHaveLength(1);

    const alerts = (await get(app, '/api/v2/alerts?inhibited=true')).body as Gettable[];
    const dbSlow = alerts.find((a) => a.labels.alertname === 'DbSlow');
    expect(dbSlow?.status).toEqual({ state: 'suppressed', silencedBy: [], inhibitedBy: [src.alerts[0].fingerprint] });
    const visible = ((await get(app, '/api/v2/alerts?inhibited=false')).body as Gettable[]).map((a) => a.labels.alertname).sort();
    expect(visible).toEqual(['DbDown', 'WebSlow']);
  });

  it('should reject a silence whose matchers all match the empty string', async () => {
    const res = await post(app, '/api/v2/silences', {
      matchers: [{ name: 'team', value: '.*', isRegex: true, isEqual: true }],
      startsAt: new Date().toISOString(),
      endsAt: future(),
      createdBy: 'e2e',
      comment: 'too wide',
    });
    expect(res.status).toBe(400);
  });

  it('should answer the Alertmanager reads: groups, receivers, status with the config redacted', async () => {
    await post(app, '/api/v2/alerts', [{ labels: { alertname: 'Grouped', service: 'g' } }]);
    const groups = (await get(app, '/api/v2/alerts/groups')).body as { labels: Record<string, string>; receiver: { name: string }; alerts: Gettable[] }[];
    expect(groups.map((g) => [g.labels, g.receiver.name, g.alerts.length])).toEqual([[{ alertname: 'Grouped' }, 'muting', 1]]);
    expect((await get(app, '/api/v2/receivers')).body).toEqual([{ name: 'muting' }]);
    const status = (await get(app, '/api/v2/status')).body as { cluster: { status: string }; config: { original: string }; versionInfo: Record<string, string> };
    expect(status.cluster.status).toBe('disabled');
    expect(status.config.original).toContain('muting');
    expect(status.config.original).not.toContain('127.0.0.1:9/hook');
  });
});
