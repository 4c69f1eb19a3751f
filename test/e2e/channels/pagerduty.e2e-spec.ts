/**
 * PagerDuty Events API v2 through the running app: trigger and resolve with one dedup_key, and
 * each documented failure (400 invalid event, 429, 500) ending in its outcome; the routing key
 * never reaches the delivery API.
 */
import type pg from 'pg';
import { startTestApp, type TestApp } from '../../setup/app.js';
import { psql } from '../delivery/delivery-helpers.js';
import { pagerDutyReplies, type PagerDutyDouble, startPagerDutyDouble } from '../../doubles/pagerduty.double.js';
import type { RecordedRequest } from '../../doubles/http-double.js';
import { attemptsOf, channelsConfigYaml, deliveriesOf, expectNoSecretInReplies, postAlert, settledDelivery, until } from './channels-helpers.js';

const PD = 'e2e-pagerduty';
const ROUTING_KEY = 'R0uT1nGkEyE2eSeCrEt00000000000ab';

interface PdEvent {
  routing_key: string;
  event_action: string;
  dedup_key: string;
  payload?: { summary: string; severity: string };
}

describe('PagerDuty through the running app', () => {
  let app: TestApp;
  let pd: PagerDutyDouble;
  let db: pg.Client;

  beforeAll(async () => {
    pd = await startPagerDutyDouble();
    app = await startTestApp({
      configYaml: channelsConfigYaml(
        [PD],
        `  - name: ${PD}\n    pagerduty_configs: [{ routing_key: "${ROUTING_KEY}", service_name: e2e-platform }]`,
        `channels:\n  pagerduty: { events_url: "${pd.eventsUrl}", rate_limit: { rate: 100, per: 1s } }`,
      ),
    });
    db = await psql();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    await pd?.close();
  });
  beforeEach(() => pd.reset());

  const eventOf = (r: RecordedRequest) => r.json as PdEvent;
  const triggers = (alertname: string) => pd.requests.filter((r) => r.body.includes(alertname) && eventOf(r).event_action === 'trigger');

  it('should trigger with 202, then resolve with the same dedup_key', async () => {
    await postAlert(app, PD, 'PdTriggerResolve');
    const fired = await settledDelivery(db, PD, 'PdTriggerResolve', 'delivered');
    expect(fired.recipient).toBe('pagerduty:e2e-platform');
    expect((await attemptsOf(db, fired.id)).map((a) => [a.outcome, a.provider, a.provider_status])).toEqual([['delivered', 'pagerduty', 202]]);
    const [trigger] = triggers('PdTriggerResolve');
    expect(eventOf(trigger)).toMatchObject({ routing_key: ROUTING_KEY, event_action: 'trigger', payload: { severity: 'critical' } });
    const dedupKey = eventOf(trigger).dedup_key;
    expect(dedupKey).toEqual(expect.any(String));

    await postAlert(app, PD, 'PdTriggerResolve', { resolved: true });
    const rows = await until(
      () => deliveriesOf(db, PD, 'PdTriggerResolve'),
      (r) => r.length === 2 && r.every((d) => d.status === 'delivered'),
      15_000,
      'resolve delivered',
    );
    const sent = pd.requests.filter((r) => eventOf(r).dedup_key === dedupKey).map((r) => eventOf(r).event_action);
    expect(sent).toEqual(['trigger', 'resolve']);
    await expectNoSecretInReplies(app, rows.map((r) => r.id), [ROUTING_KEY]);
  });

  it("should poison a 400 invalid event with PagerDuty's error text", async () => {
    pd.respondOnce(pagerDutyReplies.invalidEvent(['payload.summary is missing or blank']));
    await postAlert(app, PD, 'PdInvalid');
    const row = await settledDelivery(db, PD, 'PdInvalid', 'poison');
    expect(row.error_message).toContain('Event object is invalid');
    expect(row.error_message).toContain('payload.summary is missing or blank');
    expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider_status])).toEqual([['poison', 400]]);
    expect(triggers('PdInvalid')).toHaveLength(1);
    await expectNoSecretInReplies(app, [row.id], [ROUTING_KEY]);
  });

  it('should retry a 429 no sooner than its Retry-After, then deliver', async () => {
    pd.respondOnce(pagerDutyReplies.rateLimited('1'));
    await postAlert(app, PD, 'PdThrottled');
    const row = await settledDelivery(db, PD, 'PdThrottled', 'delivered');
    expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider_status])).toEqual([
      ['retry', 429],
      ['delivered', 202],
    ]);
    const [first, second] = triggers('PdThrottled');
    expect(second.receivedAt.getTime() - first.receivedAt.getTime()).toBeGreaterThanOrEqual(1000);
    await expectNoSecretInReplies(app, [row.id], [ROUTING_KEY]);
  });

  it('should retry a 500, then deliver', async () => {
    pd.respondOnce(pagerDutyReplies.serverError);
    pd.respondOnce(pagerDutyReplies.serverError);
    await postAlert(app, PD, 'PdServerError');
    const row = await settledDelivery(db, PD, 'PdServerError', 'delivered');
    expect(row.retry_count).toBe(2);
    expect((await attemptsOf(db, row.id)).map((a) => [a.outcome, a.provider_status])).toEqual([
      ['retry', 500],
      ['retry', 500],
      ['delivered', 202],
    ]);
    expect(triggers('PdServerError')).toHaveLength(3);
    await expectNoSecretInReplies(app, [row.id], [ROUTING_KEY]);
  });
});
