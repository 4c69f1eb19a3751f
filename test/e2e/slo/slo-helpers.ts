import pg from 'pg';
import { pino } from 'pino';
import type { Clock } from '../../../src/common/clock.js';
import { createDataSource } from '../../../src/db/data-source.js';
import { migrate } from '../../../src/db/migrator.js';

/** A clock that runs with real time, shifted by an offset tests can move forward. */
export class ShiftedClock implements Clock {
  constructor(private offsetMs = 0) {}
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** A plain pg client on the run's database. */
export async function psql(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

/**
 * Empties what SLO tests depend on: the SLO tables, and alerts, groups and deliveries left by
 * earlier test files of the run (they would count in the poison queue and latency window).
 */
export async function resetSloState(db: pg.Client): Promise<void> {
  const source = createDataSource(process.env.DATABASE_URL ?? '', 3);
  await source.initialize();
  try {
    await migrate(source, pino({ level: 'silent' }));
  } finally {
    await source.destroy();
  }
  await db.query(`TRUNCATE heartbeats, slo_state, slo_self_alerts, slo_evaluations, slo_fallbacks`);
  await db.query(`TRUNCATE alert_deliveries, delivery_attempts, notification_groups, group_alerts, alerts CASCADE`);
}

/** Polls `read` until `ok` holds, or fails naming `what` after `timeoutMs`. */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const PD_ROUTING_KEY = '0123456789abcdef0123456789abcdef';

/** A config that routes Tocsin's critical self-alerts to PagerDuty and warnings to Slack. */
export function sloConfigYaml(opts: {
  pagerdutyUrl: string;
  slackUrl: string;
  interval?: string;
  heartbeats?: string;
  extraReceivers?: string;
}): string {
  return `
route:
  receiver: default-log
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 4h
  routes:
    - matchers: ['service="tocsin"', 'severity="critical"']
      receiver: platform-pager
    - matchers: ['service="tocsin"', 'severity="warning"']
      receiver: ops-slack
delivery:
  max_attempts: 3
  initial_backoff: 100ms
  max_backoff: 500ms
  attempt_timeout: 2s
receivers:
  - name: default-log
    log_configs: [{}]
  - name: platform-pager
    pagerduty_configs: [{ routing_key: "${PD_ROUTING_KEY}", url: "${opts.pagerdutyUrl}", service_name: platform }]
  - name: ops-slack
    slack_configs: [{ api_url: "${opts.slackUrl}", channel: "#alerts-ops", send_resolved: true }]
${opts.extraReceivers ?? ''}
heartbeats:
${opts.heartbeats ?? '  - { name: circuit-breaker, max_staleness: 10s, target: 5s, severity: critical, source: api }'}
slo: { interval: ${opts.interval ?? '300ms'}, window: 5m, fallback_receiver: platform-pager }
`;
}

/** PagerDuty events recorded by the double that mention `alertname`. */
export function eventsFor(requests: readonly { json: unknown; body: string }[], alertname: string): { event_action: string; dedup_key: string }[] {
  return requests
    .filter((r) => r.body.includes(alertname))
    .map((r) => r.json as { event_action: string; dedup_key: string });
}
