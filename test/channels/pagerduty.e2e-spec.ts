import { SystemClock } from '../../src/common/clock.js';
import { SendOutcome } from '../../src/channels/channel-adapter.js';
import { pagerDutyDedupKey } from '../../src/channels/pagerduty/pagerduty-event.js';
import { PagerDutyAdapter } from '../../src/channels/pagerduty/pagerduty.adapter.js';
import { compileTemplate } from '../../src/channels/templates/template-engine.js';
import { makeNotificationData } from '../factories/notification.factory.js';
import { makeSendContext } from '../factories/send-context.factory.js';
import { pagerDutyReplies, type PagerDutyDouble, startPagerDutyDouble } from '../doubles/pagerduty.double.js';

const ROUTING_KEY = 'pdR0uT1nGkEyS3cReT000000000000aa';

describe(PagerDutyAdapter.name, () => {
  const adapter = new PagerDutyAdapter(new SystemClock());
  let pd: PagerDutyDouble;
  beforeAll(async () => {
    pd = await startPagerDutyDouble();
  });
  afterEach(() => pd.reset());
  afterAll(async () => pd.close());

  const target = () => ({ receiver: 'platform-pager', routingKey: ROUTING_KEY, eventsUrl: pd.eventsUrl, serviceName: 'platform' });

  it('should trigger then resolve with the same dedup_key', async () => {
    const data = makeNotificationData();
    expect(await adapter.send(target(), data, makeSendContext())).toEqual({
      provider: 'pagerduty',
      providerStatus: 202,
      outcome: SendOutcome.Delivered,
    });
    await adapter.send(target(), makeNotificationData({ status: 'resolved' }), makeSendContext());
    const [trigger, resolve] = pd.requests.map((r) => r.json as { event_action: string; dedup_key: string; routing_key: string });
    expect(trigger).toMatchObject({ event_action: 'trigger', routing_key: ROUTING_KEY, dedup_key: pagerDutyDedupKey(data.groupKey) });
    expect(resolve).toMatchObject({ event_action: 'resolve', dedup_key: trigger.dedup_key });
    expect(pd.requests[0].headers['content-type']).toBe('application/json');
  });

  it('should use the summary template and details from the config', async () => {
    await adapter.send(
      { ...target(), summary: compileTemplate('{{ CommonLabels.alertname }} is slow'), details: { team: compileTemplate('sre') } },
      makeNotificationData(),
      makeSendContext(),
    );
    expect(pd.requests[0].json).toMatchObject({ payload: { summary: 'HighLatency is slow', custom_details: { team: 'sre' } } });
  });

  it('should poison an invalid event with PagerDuty\'s errors', async () => {
    pd.respondWith(pagerDutyReplies.invalidEvent(["'routing_key' is invalid"]));
    const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
    expect(result).toEqual({
      provider: 'pagerduty',
      providerStatus: 400,
      outcome: SendOutcome.Poison,
      error: "Event object is invalid: 'routing_key' is invalid (HTTP 400)",
    });
  });

  it('should retry a 429 after its Retry-After, and without one', async () => {
    pd.respondOnce(pagerDutyReplies.rateLimited('5'));
    expect(await adapter.send(target(), makeNotificationData(), makeSendContext())).toMatchObject({
      outcome: SendOutcome.Retry,
      providerStatus: 429,
      retryAfterMs: 5000,
    });
    pd.respondOnce(pagerDutyReplies.rateLimited());
    const bare = await adapter.send(target(), makeNotificationData(), makeSendContext());
    expect(bare).toMatchObject({ outcome: SendOutcome.Retry, providerStatus: 429 });
    expect(bare).not.toHaveProperty('retryAfterMs');
  });

  it('should retry a 500, a timeout and a refused connection', async () => {
    pd.respondWith(pagerDutyReplies.serverError);
    expect(await adapter.send(target(), makeNotificationData(), makeSendContext())).toMatchObject({ outcome: SendOutcome.Retry, providerStatus: 500 });
    pd.hang();
    const timedOut = await adapter.send(target(), makeNotificationData(), makeSendContext({ timeoutMs: 150 }));
    pd.release();
    expect(timedOut).toMatchObject({ outcome: SendOutcome.Retry, error: 'request timed out' });
    const refused = await adapter.send({ ...target(), eventsUrl: 'http://127.0.0.1:1/v2/enqueue' }, makeNotificationData(), makeSendContext());
    expect(refused).toMatchObject({ outcome: SendOutcome.Retry, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('should never let the routing key into the error text', async () => {
    pd.respondWith({ status: 400, body: { status: 'invalid event', message: `unknown routing key ${ROUTING_KEY}`, errors: [ROUTING_KEY] } });
    const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
    expect(result.outcome).toBe(SendOutcome.Poison);
    expect(JSON.stringify(result)).not.toContain(ROUTING_KEY);
  });
});
