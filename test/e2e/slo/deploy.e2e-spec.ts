import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../setup/process.js';

describe('deploy/prometheus/rules.yml', () => {
  it('should pass promtool check rules with the SLO alerts at their thresholds', () => {
    const file = join(ROOT, 'deploy', 'prometheus', 'rules.yml');
    const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    if (run.error) throw new Error(`promtool is not installed (${run.error.message}): apt-get install -y prometheus`);
    expect(`${run.stdout}${run.stderr}`).toContain('SUCCESS');
    expect(run.status).toBe(0);
    const text = readFileSync(file, 'utf8');
    for (const [alert, threshold] of [
      ['CircuitBreakerStale', '> 10'],
      ['AlertDeliveryLatencyHigh', '> 60'],
      ['AuditWriteLatencyHigh', '> 1'],
      ['PoisonQueueBacklog', '> 10'],
    ]) {
      const block = text.slice(text.indexOf(`alert: ${alert}`)).split('- alert:')[0];
      expect(block).toContain(threshold);
    }
    for (const metric of ['alert_delivery_latency_seconds_bucket', 'cb_staleness_seconds', 'alert_poison_queue_size', 'audit_write_duration_seconds_bucket']) {
      expect(text).toContain(metric);
    }
  });
});

describe('deploy/grafana/tocsin-slo.json', () => {
  it('should be the "SLO" dashboard with the named panels', () => {
    const dash = JSON.parse(readFileSync(join(ROOT, 'deploy', 'grafana', 'tocsin-slo.json'), 'utf8')) as {
      title: string;
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dash.title).toBe('SLO');
    const titles = dash.panels.map((p) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining(['Delivery latency histogram', 'Poison queue', 'Heartbeat staleness', 'Audit write P95', 'Deliveries by outcome']),
    );
    const exprOf = (title: string) => dash.panels.find((p) => p.title === title)?.targets.map((t) => t.expr).join(' ') ?? '';
    expect(exprOf('Delivery latency histogram')).toContain('alert_delivery_latency_seconds_bucket');
    expect(exprOf('Poison queue')).toContain('alert_poison_queue_size');
    expect(exprOf('Heartbeat staleness')).toContain('heartbeat_staleness_seconds');
    expect(exprOf('Audit write P95')).toContain('audit_write_duration_seconds_bucket');
    expect(exprOf('Deliveries by outcome')).toContain('alert_deliveries_total');
  });
});
