import { SystemClock } from '../../src/common/clock.js';
import { SendOutcome } from '../../src/channels/channel-adapter.js';
import { WebhookAdapter } from '../../src/channels/webhook/webhook.adapter.js';
import type { WebhookTarget } from '../../src/channels/webhook/webhook.types.js';
import { makeNotificationData } from '../factories/notification.factory.js';
import { makeSendContext } from '../factories/send-context.factory.js';
import { startWebhookSinkDouble, type WebhookSinkDouble } from '../doubles/webhook-sink.double.js';

const PATH_SECRET = '/hooks/t0kEnInPaTh9999';
const BEARER = 'wEbHoOkBeArEr-s3cr3t';

describe(WebhookAdapter.name, () => {
  const adapter = new WebhookAdapter(new SystemClock());
  let sink: WebhookSinkDouble;
  beforeAll(async () => {
    sink = await startWebhookSinkDouble();
  });
  afterEach(() => sink.reset());
  afterAll(async () => sink.close());

  const target = (overrides: Partial<WebhookTarget> = {}): WebhookTarget => ({
    receiver: 'platform-pager',
    url: `${sink.url}${PATH_SECRET}?key=qUeRySeCrEt`,
    httpConfig: { authorization: { type: 'Bearer', credentials: BEARER } },
    ...overrides,
  });

  it('should POST the Alertmanager v4 payload with the bearer token', async () => {
    const data = makeNotificationData({ count: 3 });
    const result = await adapter.send(target(), data, makeSendContext());
    expect(result).toEqual({ provider: 'webhook', providerStatus: 200, outcome: SendOutcome.Delivered });
    expect(sink.requests[0].headers.authorization).toBe(`Bearer ${BEARER}`);
    expect(sink.payloads[0]).toEqual({
      version: '4',
      groupKey: data.groupKey,
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'platform-pager',
      groupLabels: data.groupLabels,
      commonLabels: data.commonLabels,
      commonAnnotations: data.commonAnnotations,
      externalURL: data.externalURL,
      alerts: data.alerts,
    });
  });

  it('should send basic auth', async () => {
    await adapter.send(target({ httpConfig: { basicAuth: { username: 'u', password: 'p@ss' } } }), makeNotificationData(), makeSendContext());
    expect(sink.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('u:p@ss').toString('base64')}`);
  });

  it('should cut to max_alerts and count the rest', async () => {
    await adapter.send(target({ maxAlerts: 2 }), makeNotificationData({ count: 5 }), makeSendContext());
    expect(sink.payloads[0].alerts).toHaveLength(2);
    expect(sink.payloads[0].truncatedAlerts).toBe(3);
  });

  it('should carry a 500-alert group whole', async () => {
    await adapter.send(target(), makeNotificationData({ count: 500 }), makeSendContext());
    expect(sink.payloads[0].alerts).toHaveLength(500);
  });

  it.each([
    [{ status: 404, body: 'no such hook' }, SendOutcome.Poison],
    [{ status: 400, body: 'bad payload' }, SendOutcome.Poison],
    [{ status: 408, body: '' }, SendOutcome.Retry],
    [{ status: 503, body: 'down' }, SendOutcome.Retry],
  ])('should classify %p', async (reply, outcome) => {
    sink.respondWith(reply);
    const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
    expect(result).toMatchObject({ outcome, providerStatus: reply.status });
  });

  it('should retry a 429 after its Retry-After as an HTTP-date', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    sink.respondWith({ status: 429, headers: { 'retry-after': at }, body: 'slow down' });
    const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
    expect(result.outcome).toBe(SendOutcome.Retry);
    const ms = result.outcome === SendOutcome.Retry ? (result.retryAfterMs ?? 0) : 0;
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });

  it('should retry a timeout and a refused connection', async () => {
    sink.hang();
    const hung = await adapter.send(target(), makeNotificationData(), makeSendContext({ timeoutMs: 150 }));
    sink.release();
    expect(hung).toMatchObject({ outcome: SendOutcome.Retry, error: 'request timed out' });
    const refused = await adapter.send(target({ url: 'http://127.0.0.1:1/x' }), makeNotificationData(), makeSendContext());
    expect(refused).toMatchObject({ outcome: SendOutcome.Retry });
  });

  it('should never let the URL path, query or credentials into the error text', async () => {
    sink.respondWith({ status: 400, body: `rejected ${sink.url}${PATH_SECRET}?key=qUeRySeCrEt with Bearer ${BEARER}` });
    const result = await adapter.send(target(), makeNotificationData(), makeSendContext());
    const text = JSON.stringify(result);
    expect(text).toContain('rejected');
    expect(text).not.toContain('t0kEnInPaTh9999');
    expect(text).not.toContain('qUeRySeCrEt');
    expect(text).not.toContain(BEARER);
  });
});
