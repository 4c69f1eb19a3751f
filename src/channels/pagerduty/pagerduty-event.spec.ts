import { createHash } from 'node:crypto';
import { makeNotificationData } from '../../../test/factories/notification.factory.js';
import {
  buildPagerDutyEvent,
  PAGERDUTY_MAX_EVENT_BYTES,
  PAGERDUTY_MAX_SUMMARY,
  pagerDutyDedupKey,
  pagerDutySeverity,
} from './pagerduty-event.js';
import { PagerDutySeverity } from './pagerduty.types.js';

const KEY = 'R0UT1NGKEY0000000000000000000000';

describe('buildPagerDutyEvent', () => {
  it('should build a trigger for a firing alert', () => {
    expect(buildPagerDutyEvent(makeNotificationData(), KEY)).toMatchSnapshot();
  });

  it('should build a resolve with the same dedup_key', () => {
    const firing = buildPagerDutyEvent(makeNotificationData(), KEY);
    const resolved = buildPagerDutyEvent(makeNotificationData({ status: 'resolved' }), KEY);
    expect(resolved).toEqual({ routing_key: KEY, event_action: 'resolve', dedup_key: firing.dedup_key });
  });

  it('should build a trigger for a group of 10 alerts', () => {
    expect(buildPagerDutyEvent(makeNotificationData({ count: 10 }), KEY)).toMatchSnapshot();
  });

  it('should hash the group key as Alertmanager does', () => {
    const data = makeNotificationData();
    expect(pagerDutyDedupKey(data.groupKey)).toBe(createHash('sha256').update(data.groupKey).digest('hex'));
  });

  it('should cap the summary at 1,024 characters', () => {
    const event = buildPagerDutyEvent(makeNotificationData(), KEY, { summary: 'y'.repeat(5000) });
    expect(event.payload?.summary).toHaveLength(PAGERDUTY_MAX_SUMMARY);
  });

  it('should keep a 500-alert group within 512 KB and count what is cut', () => {
    const data = makeNotificationData({ count: 500 });
    for (const alert of data.alerts) alert.annotations.summary = 'z'.repeat(2000);
    const event = buildPagerDutyEvent(data, KEY);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(PAGERDUTY_MAX_EVENT_BYTES);
    const firing = String(event.payload?.custom_details.firing);
    const more = /and (\d+) more$/.exec(firing);
    expect(more).not.toBeNull();
    expect(firing.split('\n').length - 1 + Number(more?.[1])).toBe(500);
    expect(event.payload?.custom_details.num_firing).toBe(500);
  });

  it('should keep templated details within 512 KB', () => {
    const event = buildPagerDutyEvent(makeNotificationData(), KEY, { details: { huge: 'x'.repeat(800_000) } });
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(PAGERDUTY_MAX_EVENT_BYTES);
    expect(String(event.payload?.custom_details.huge)).toContain('truncated');
  });
});

describe('pagerDutySeverity', () => {
  it.each([
    ['critical', PagerDutySeverity.Critical],
    ['page', PagerDutySeverity.Critical],
    ['error', PagerDutySeverity.Error],
    ['Warning', PagerDutySeverity.Warning],
    ['info', PagerDutySeverity.Info],
    ['whatever', PagerDutySeverity.Error],
    [undefined, PagerDutySeverity.Error],
  ])('should map %p to %s', (label, expected) => {
    expect(pagerDutySeverity(label)).toBe(expected);
  });
});
