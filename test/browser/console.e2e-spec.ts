import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { Channel } from '../../src/channels/channel-adapter.js';
import { api, eventually, insertPoison, openPg } from '../e2e/poison/poison-fixtures.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../setup/app.js';
import { ensureConsoleBuilt, ROOT } from './console-build.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');
/** A zone without DST, so local input values are UTC + 5:30 exactly. */
const TIMEZONE = 'Asia/Kolkata';
const ZONE_OFFSET_MS = 330 * 60_000;
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];
const ui = { timeout: 15_000 };

/** A datetime-local value (seconds included) in TIMEZONE for an instant. */
function localValue(d: Date): string {
  return new Date(d.getTime() + ZONE_OFFSET_MS).toISOString().slice(0, 19);
}

/** The row of a delivery as the API's replay/discard leaves it, minus what differs per row. */
const ROW_COLUMNS = `status, retry_count, error_message, failed_at IS NULL AS failed_at_null, claimed_by, lease_until,
  delivered_at, next_attempt_at <= now() AS due_now`;

describe('ops console in a browser (Debian chromium)', () => {
  let app: TestApp;
  let db: pg.Client;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const uid = randomUUID().slice(0, 8);
  const receiver = `console-${uid}`;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install the Debian package \`chromium\` (apt-get install -y chromium); the browser tests do not skip.`);
    }
    ensureConsoleBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    // No workers: replayed rows stay pending, so each transition can be read back as it is.
    app = await startTestApp({ env: { TOCSIN_WORKERS: '0' } });
    db = await openPg();
    profileDir = mkdtempSync(join(tmpdir(), 'tocsin-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: VIEWPORTS[0],
      timezoneId: TIMEZONE,
      locale: 'en-GB',
      permissions: ['clipboard-read', 'clipboard-write'],
      acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await db?.end();
    await app?.close();
  });

  async function auditRows(action: string, target: string | null): Promise<Array<{ actor_key_name: string; details: Record<string, unknown> }>> {
    const r = await db.query(`SELECT actor_key_name, details FROM audit_log WHERE action = $1 AND target IS NOT DISTINCT FROM $2 ORDER BY id`, [action, target]);
    return r.rows;
  }
  async function row(id: string): Promise<Record<string, unknown>> {
    return (await db.query(`SELECT ${ROW_COLUMNS} FROM alert_deliveries WHERE id = $1`, [id])).rows[0];
  }
  async function statusOf(ids: string[]): Promise<string[]> {
    const r = await db.query(`SELECT id::text, status FROM alert_deliveries WHERE id = ANY($1::bigint[])`, [ids]);
    const by = new Map(r.rows.map((x: { id: string; status: string }) => [x.id, x.status]));
    return ids.map((id) => by.get(id) ?? 'missing');
  }
  async function open(path: string): Promise<void> {
    await page.goto(`${app.url}/console${path}`);
  }
  async function signIn(p: Page, key: string): Promise<void> {
    await p.getByLabel('API key').fill(key);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('navigation', { name: 'Console pages' }).waitFor(ui);
  }

  it('signs in with a key kept in session storage, from a deep link', async () => {
    await open('/poison');
    await expect(page.getByRole('form', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await page.getByLabel('API key').fill('tocsin_not_a_key_at_all_0000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This key is unknown, revoked or expired.').waitFor(ui);
    await signIn(page, TEST_ADMIN_TOKEN);
    await page.getByRole('heading', { name: 'Poison queue' }).waitFor(ui);
    expect(await page.evaluate("sessionStorage.getItem('tocsin.console.apiKey')")).toBe(TEST_ADMIN_TOKEN);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    // A reload keeps the session (same tab).
    await page.reload();
    await page.getByRole('heading', { name: 'Poison queue' }).waitFor(ui);
  });

  it('replays one poison delivery: the row changes as the API changes it, and is audited', async () => {
    const [viaConsole, viaApi] = await insertPoison(app, [{ receiver, retryCount: 5 }, { receiver, retryCount: 5 }]);
    await open('/poison');
    await page.getByRole('button', { name: `Replay ${viaConsole}`, exact: true }).click();
    await page.getByText(`Delivery ${viaConsole} replayed`).waitFor(ui);
    expect((await api(app, 'POST', `/api/v1/poison/${viaApi}/replay`, {})).status).toBe(202);
    const [a, b] = [await row(viaConsole), await row(viaApi)];
    expect(a).toEqual(b);
    expect(a).toMatchObject({ status: 'pending', retry_count: 0, due_now: true });
    const audit = await auditRows('delivery.replay', `delivery:${viaConsole}`);
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ ids: [viaConsole] });
    // Gone from the list after the reload.
    await page.getByRole('button', { name: `Replay ${viaConsole}`, exact: true }).waitFor({ state: 'detached', ...ui });
  });

  it('bulk replay by filter previews exactly the ids, then replays those and nothing else', async () => {
    // A window far in the past that only this test's rows fall in.
    const base = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 1e6) * 60_000);
    const inside = await insertPoison(app, [0, 1, 2].map((i) => ({ receiver, channel: Channel.Sms, failedAt: new Date(base.getTime() + 10_000 + i * 1000) })));
    const [outside] = await insertPoison(app, [{ receiver, channel: Channel.Sms, failedAt: new Date(base.getTime() + 120_000) }]);
    await open('/poison');
    const panel = page.getByRole('region', { name: 'Replay by filter' }).or(page.locator('[aria-labelledby="byfilter-h"]'));
    await panel.getByLabel('Channel').selectOption('sms');
    await panel.getByLabel('Failed after (local time)').fill(localValue(base));
    await panel.getByLabel('Failed before (local time)').fill(localValue(new Date(base.getTime() + 60_000)));
    await panel.getByRole('button', { name: 'Preview (dry run)' }).click();
    const preview = page.getByTestId('filter-preview');
    await preview.waitFor(ui);
    const listed = await preview.getByRole('list', { name: 'Deliveries the replay takes' }).getByRole('listitem').allTextContents();
    expect([...listed].sort()).toEqual([...inside].sort());
    // The dry run changed nothing.
    expect(await statusOf([...inside, outside])).toEqual(['poison', 'poison', 'poison', 'poison']);
    const submit = preview.getByRole('button', { name: 'Replay 3 deliveries' });
    expect(await submit.isDisabled()).toBe(true);
    await preview.getByLabel(/^Reason/).fill('bulk replay after the SMS provider outage');
    await preview.getByLabel(/I understand/).check();
    await submit.click();
    await page.getByText(/^Replayed 3 deliveries/).waitFor(ui);
    expect(await statusOf([...inside, outside])).toEqual(['pending', 'pending', 'pending', 'poison']);
    const r = await db.query(`SELECT retry_count FROM alert_deliveries WHERE id = ANY($1::bigint[])`, [inside]);
    expect(r.rows.map((x: { retry_count: number }) => x.retry_count)).toEqual([0, 0, 0]);
    const audit = await db.query(`SELECT details FROM audit_log WHERE action = 'delivery.bulk_replay' AND details->>'reason' = $1`, ['bulk replay after the SMS provider outage']);
    expect(audit.rows).toHaveLength(1);
    expect([...(audit.rows[0].details.ids as string[])].sort()).toEqual([...inside].sort());
  });

  it('replays selected rows after a preview', async () => {
    const ids = await insertPoison(app, [{ receiver }, { receiver }, { receiver }]);
    await open('/poison');
    await page.getByLabel(`Select ${ids[0]}`).check();
    await page.getByLabel(`Select ${ids[2]}`).check();
    await page.getByRole('button', { name: 'Preview replay of selected' }).click();
    const preview = page.getByTestId('selected-preview');
    await preview.getByText(`${[ids[0], ids[2]].join(', ')}`, { exact: false }).waitFor(ui);
    await preview.getByLabel(/^Reason/).fill('replaying the two selected deliveries');
    await preview.getByLabel(/I understand/).check();
    await preview.getByRole('button', { name: 'Replay 2 selected' }).click();
    await page.getByText(/^Replayed 2 deliveries/).waitFor(ui);
    expect(await statusOf(ids)).toEqual(['pending', 'poison', 'pending']);
  });

  it('discard needs a reason of 20 characters AND the acknowledgement box', async () => {
    const [viaConsole, viaApi] = await insertPoison(app, [{ receiver }, { receiver }]);
    await open('/poison');
    await page.getByRole('button', { name: `Discard ${viaConsole}…` }).click();
    const form = page.getByRole('form', { name: `Discard delivery ${viaConsole}` });
    const submit = form.getByRole('button', { name: `Discard delivery ${viaConsole}` });
    const reason = form.getByLabel(/^Reason/);
    const ack = form.getByLabel(/I understand/);
    await reason.fill('x'.repeat(19));
    expect(await submit.isDisabled()).toBe(true);
    await ack.check();
    expect(await submit.isDisabled()).toBe(true); // 19 characters, box ticked
    await reason.fill('   ' + 'y'.repeat(19) + '   '); // spaces do not count
    expect(await submit.isDisabled()).toBe(true);
    const text = 'recipient left the company';
    await reason.fill(text);
    await ack.uncheck();
    expect(await submit.isDisabled()).toBe(true); // 26 characters, no box
    await ack.check();
    expect(await submit.isEnabled()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'poison-discard-confirm-1280x800.png'), fullPage: true });
    await submit.click();
    await page.getByText(`Delivery ${viaConsole} discarded.`).waitFor(ui);
    expect((await api(app, 'POST', `/api/v1/poison/${viaApi}/discard`, { reason: text })).status).toBe(200);
    const [a, b] = [await row(viaConsole), await row(viaApi)];
    expect(a).toEqual(b);
    expect(a.status).toBe('discarded');
    const audit = await auditRows('delivery.discard', `delivery:${viaConsole}`);
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ reason: text });
  });

  it('pauses and resumes sending behind the same confirmation', async () => {
    await open('/poison');
    await page.getByRole('button', { name: 'Pause sending…' }).click();
    const form = page.getByRole('form', { name: 'Pause sending' });
    await form.getByLabel(/^Reason/).fill('provider maintenance window now');
    expect(await form.getByRole('button', { name: 'Pause sending' }).isDisabled()).toBe(true);
    await form.getByLabel(/I understand/).check();
    await form.getByRole('button', { name: 'Pause sending' }).click();
    await page.getByTestId('sending-state').getByText(/Paused since/).waitFor(ui);
    expect((await api(app, 'GET', '/api/v1/ops/deliveries')).body).toMatchObject({ paused: true, reason: 'provider maintenance window now' });
    await page.getByRole('button', { name: 'Resume sending…' }).click();
    const resume = page.getByRole('form', { name: 'Resume sending' });
    await resume.getByLabel(/^Reason/).fill('maintenance finished, sending again');
    await resume.getByLabel(/I understand/).check();
    await resume.getByRole('button', { name: 'Resume sending' }).click();
    await page.getByTestId('sending-state').getByText(/^.*Sending/).waitFor(ui);
    expect((await api(app, 'GET', '/api/v1/ops/deliveries')).body).toMatchObject({ paused: false });
    expect(await auditRows('delivery.pause', 'deliveries').then((rows) => rows.filter((x) => x.details.reason === 'provider maintenance window now'))).toHaveLength(1);
  });

  it('creates a silence from an alert ("silence this"), previewing the alerts it matches', async () => {
    const alertname = `ConsoleSilence_${uid}`;
    const posted = await api(app, 'POST', '/api/v1/alerts', [{ labels: { alertname, severity: 'critical' }, annotations: { summary: 'disk almost full' } }]);
    expect(posted.status).toBe(202);
    await open('/alerts');
    await page.getByLabel('Label matchers').fill(`{alertname="${alertname}"}`);
    await page.getByRole('button', { name: 'Apply' }).click();
    const alertRow = page.locator('tr', { hasText: alertname });
    await alertRow.waitFor(ui);
    await alertRow.getByRole('button', { name: 'Silence this' }).click();
    await page.getByRole('heading', { name: 'New silence' }).waitFor(ui);
    await page.getByTestId('silence-preview').getByText(alertname).waitFor(ui);
    await page.getByLabel('Comment').fill('disk cleanup in progress');
    await page.getByRole('button', { name: 'Create silence' }).click();
    const notice = page.getByText(/^Silence \S+ created\.$/);
    await notice.waitFor(ui);
    const id = /^Silence (\S+) created\.$/.exec((await notice.textContent()) ?? '')?.[1] ?? '';
    const s = await db.query(`SELECT matchers, created_by, comment, ends_at - starts_at AS span FROM silences WHERE id = $1`, [id]);
    expect(s.rows).toHaveLength(1);
    expect(s.rows[0].comment).toBe('disk cleanup in progress');
    expect([...s.rows[0].matchers].sort((x: { name: string }, y: { name: string }) => x.name.localeCompare(y.name))).toEqual([
      { name: 'alertname', value: alertname, isRegex: false, isEqual: true },
      { name: 'severity', value: 'critical', isRegex: false, isEqual: true },
    ]);
    expect(await auditRows('silence.create', `silence:${id}`)).toHaveLength(1);
    // The API now marks the alert silenced by it, and so does the alerts page.
    await eventually(async () => {
      const r = await api(app, 'GET', `/api/v1/alerts?filter=${encodeURIComponent(`{alertname="${alertname}"}`)}`);
      return (r.body.items[0]?.silencedBy as string[] | undefined)?.includes(id) ? true : undefined;
    });
    await open(`/alerts?filter=${encodeURIComponent(`{alertname="${alertname}"}`)}`);
    await page.locator('tr', { hasText: alertname }).locator('.badge-silenced').waitFor(ui);
  });

  it('creates a key (secret shown once, copy button) and revokes it after a confirmation', async () => {
    const name = `console-key-${uid}`;
    await open('/keys');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('deliveries:read').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secretField = page.getByTestId('new-key-secret');
    await secretField.waitFor(ui);
    const secret = await secretField.inputValue();
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor(ui);
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    const k = await db.query(`SELECT id::text, scopes, revoked_at FROM api_keys WHERE name = $1`, [name]);
    expect(k.rows).toHaveLength(1);
    expect([...k.rows[0].scopes].sort()).toEqual(['alerts:read', 'deliveries:read']);
    expect(k.rows[0].revoked_at).toBeNull();
    const keyId: string = k.rows[0].id;
    expect(await auditRows('key.create', `key:${keyId}`)).toHaveLength(1);
    const whoami = await api(app, 'GET', '/api/v1/auth/whoami', undefined, { authorization: `Bearer ${secret}` });
    expect(whoami.body).toMatchObject({ keyId, keyName: name });
    // The secret is not shown again once dismissed, nor after a reload.
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByText(secret).count()).toBe(0);

    // A key without deliveries:write sees the poison queue without its buttons; the API refuses anyway.
    const limited = await context.newPage(); // a new tab: its own, empty session storage
    await limited.goto(`${app.url}/console/poison`);
    await signIn(limited, secret);
    await limited.getByRole('heading', { name: 'Poison queue' }).waitFor(ui);
    const [someId] = await insertPoison(app, [{ receiver }]);
    await limited.getByRole('button', { name: 'Reload' }).click();
    await limited.locator(`tr[data-delivery-id="${someId}"]`).waitFor(ui);
    expect(await limited.getByRole('button', { name: /^Replay \d+$/ }).count()).toBe(0);
    expect(await limited.getByRole('button', { name: /^Discard/ }).count()).toBe(0);
    expect(await limited.getByRole('button', { name: 'Pause sending…' }).count()).toBe(0);
    expect(await limited.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    expect((await api(app, 'POST', `/api/v1/poison/${someId}/replay`, {}, { authorization: `Bearer ${secret}` })).status).toBe(403);
    await limited.close();

    await page.getByRole('button', { name: `Revoke ${name}` }).click();
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText(`Key ${name} revoked.`).waitFor(ui);
    const after = await db.query(`SELECT revoked_at FROM api_keys WHERE id = $1`, [keyId]);
    expect(after.rows[0].revoked_at).not.toBeNull();
    expect(await auditRows('key.revoke', `key:${keyId}`)).toHaveLength(1);
    expect((await api(app, 'GET', '/api/v1/auth/whoami', undefined, { authorization: `Bearer ${secret}` })).status).toBe(401);
  });

  it('exports the audit log as CSV with the key in a header, and verifies the chain', async () => {
    await open('/audit');
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByTestId('verify-result').getByText(/^Chain intact/).waitFor(ui);
    await page.getByLabel('Action').selectOption('key.revoke');
    await page.getByRole('button', { name: 'Apply' }).click();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const download = await downloading;
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,at,actor_key_id,actor_key_name,action,target,request_id,details,hash');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.slice(1).every((l) => l.includes(',key.revoke,'))).toBe(true);
  });

  it('health page: keeps the last data and shows a staleness warning when the API stops answering', async () => {
    await open('/health');
    await page.getByRole('heading', { name: 'Service-level objectives' }).waitFor(ui);
    await page.getByTestId('delivery-rate').waitFor(ui);
    expect(await page.getByTestId('staleness-warning').count()).toBe(0);
    // Times: the browser's zone on screen, UTC in the title.
    const title = await page.locator('time').first().getAttribute('title');
    expect(title).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    await page.route(/\/(api\/v1\/|readyz)/, (route) => route.abort('connectionrefused'));
    // No click: the 10-second refresh finds the API gone.
    const warning = page.getByTestId('staleness-warning');
    await warning.waitFor({ timeout: 15_000 });
    expect(await warning.textContent()).toMatch(/Stale data\..*failed.*last good refresh at/);
    expect(await page.getByTestId('delivery-rate').isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'health-stale-1280x800.png'), fullPage: true });
    await page.unroute(/\/(api\/v1\/|readyz)/);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await warning.waitFor({ state: 'detached', ...ui });
  });

  it('every page renders at 1280×800 and 390×844 without the page scrolling sideways (screenshots)', async () => {
    const pages = ['health', 'alerts', 'deliveries', 'poison', 'silences', 'heartbeats', 'keys', 'audit'];
    for (const size of VIEWPORTS) {
      await page.setViewportSize(size);
      for (const p of pages) {
        await open(`/${p}`);
        await page.locator('main h2').first().waitFor(ui);
        await page.waitForLoadState('networkidle');
        const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        expect({ page: p, size, overflow }).toEqual({ page: p, size, overflow: 0 });
        await page.screenshot({ path: join(ARTIFACTS, `${p}-${size.width}x${size.height}.png`), fullPage: true });
      }
    }
    // Keyboard: the first Tab reaches the skip link, then the page links, all real anchors/buttons.
    await page.setViewportSize(VIEWPORTS[0]);
    await open('/health');
    await page.getByRole('heading', { name: 'System health' }).waitFor(ui);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Health');
  }, 120_000);
});
