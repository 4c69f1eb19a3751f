import { Channel, type NotificationAlert, type NotificationData } from '../channels/channel-adapter.js';
import { buildSummary, COALESCED_CHANNELS } from './coalesce-summary.js';

function alert(i: number, status: 'firing' | 'resolved' = 'firing', extra: Record<string, string> = {}): NotificationAlert {
  return {
    status,
    labels: { alertname: `A${i}`, env: 'prod', ...extra },
    annotations: { summary: `alert ${i}` },
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: '',
    fingerprint: i.toString(16).padStart(16, '0'),
  };
}

function payload(alerts: NotificationAlert[], groupLabels: Record<string, string>): NotificationData {
  return {
    receiver: 'ops',
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels,
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'https://tocsin.example.com',
    groupKey: JSON.stringify(groupLabels),
    truncatedAlerts: 0,
  };
}

describe('buildSummary', () => {
  it('should name every alert of every folded notification', () => {
    const s = buildSummary(
      [payload([alert(1), alert(2)], { alertname: 'A1', env: 'prod' }), payload([alert(3)], { alertname: 'A3', env: 'prod' })],
      'summary-1',
    );
    expect(s.alerts.map((a) => a.labels.alertname).sort()).toEqual(['A1', 'A2', 'A3']);
    expect(s.groupKey).toBe('summary-1');
    expect(s.groupLabels).toEqual({ env: 'prod' });
    expect(s.commonLabels).toEqual({ env: 'prod' });
  });

  it('should keep one entry per alert, in its newest state', () => {
    const s = buildSummary([payload([alert(1)], {}), payload([alert(1, 'resolved')], {})], 'k');
    expect(s.alerts).toHaveLength(1);
    expect(s.alerts[0].status).toBe('resolved');
    expect(s.status).toBe('resolved');
  });

  it('should be firing when any alert fires, listing firing alerts first', () => {
    const s = buildSummary([payload([alert(1, 'resolved')], {}), payload([alert(2)], {})], 'k');
    expect(s.status).toBe('firing');
    expect(s.alerts.map((a) => a.status)).toEqual(['firing', 'resolved']);
  });

  it('should add up alerts the folded notifications had already truncated', () => {
    const a = { ...payload([alert(1)], {}), truncatedAlerts: 3 };
    const b = { ...payload([alert(2)], {}), truncatedAlerts: 2 };
    expect(buildSummary([a, b], 'k').truncatedAlerts).toBe(5);
  });

  it('should never coalesce PagerDuty or webhook targets', () => {
    expect(COALESCED_CHANNELS).toEqual(expect.arrayContaining([Channel.Slack, Channel.Sms, Channel.Email]));
    expect(COALESCED_CHANNELS).not.toContain(Channel.PagerDuty);
    expect(COALESCED_CHANNELS).not.toContain(Channel.Webhook);
  });
});
