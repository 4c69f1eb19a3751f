import type { AlertStatus, NotificationAlert, NotificationData } from '../../src/channels/channel-adapter.js';

/** One alert with valid defaults; `index` varies the instance label and fingerprint. */
export function makeNotificationAlert(overrides: Partial<NotificationAlert> = {}, index = 0): NotificationAlert {
  const status: AlertStatus = overrides.status ?? 'firing';
  return {
    status,
    labels: { alertname: 'HighLatency', service: 'api', severity: 'critical', instance: `api-${index + 1}:9090` },
    annotations: {
      summary: `p99 latency above 2s on api-${index + 1}`,
      runbook_url: 'https://runbooks.example.com/high-latency',
    },
    startsAt: '2026-01-01T00:00:00.000Z',
    endsAt: status === 'resolved' ? '2026-01-01T00:10:00.000Z' : '0001-01-01T00:00:00Z',
    generatorURL: `http://prometheus.example.com:9090/graph?g0.expr=latency&i=${index + 1}`,
    fingerprint: (0x1000000000000000n + BigInt(index)).toString(16),
    ...overrides,
  };
}

/** A notification for a group of `count` alerts (`HighLatency`, service `api`). */
export function makeNotificationData(
  options: { count?: number; status?: AlertStatus; overrides?: Partial<NotificationData> } = {},
): NotificationData {
  const status = options.status ?? 'firing';
  const count = options.count ?? 1;
  const alerts = Array.from({ length: count }, (_, i) => makeNotificationAlert({ status }, i));
  return {
    receiver: 'platform-pager',
    status,
    alerts,
    groupLabels: { alertname: 'HighLatency', service: 'api' },
    commonLabels: { alertname: 'HighLatency', service: 'api', severity: 'critical' },
    commonAnnotations: count === 1 ? { ...alerts[0].annotations } : { runbook_url: 'https://runbooks.example.com/high-latency' },
    externalURL: 'https://tocsin.example.com',
    groupKey: '{}/{severity="critical"}:{alertname="HighLatency", service="api"}',
    truncatedAlerts: 0,
    ...options.overrides,
  };
}
