import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../ops/metrics.registry.js';
import { HeartbeatService } from './heartbeat.service.js';
import { SloService } from './slo.service.js';
import { CIRCUIT_BREAKER_HEARTBEAT, SloState } from './slo.types.js';

/**
 * SLO gauges, read at scrape time from what the database holds (so every replica reports the
 * same figures, whichever one evaluates): seconds since the circuit breaker's last beat, each
 * heartbeat's staleness (since the watch began for one that never beat), and 1 per SLO in breach.
 */
@Injectable()
export class SloMetrics {
  readonly cbStaleness: Gauge;
  readonly heartbeatStaleness: Gauge<'heartbeat'>;
  readonly breached: Gauge<'slo'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, heartbeats: HeartbeatService, slos: SloService) {
    let pending: Promise<void> | null = null;
    const refresh = (): Promise<void> =>
      (pending ??= (async () => {
        try {
          const snapshots = await heartbeats.snapshots();
          this.heartbeatStaleness.reset();
          for (const s of snapshots) this.heartbeatStaleness.set({ heartbeat: s.config.name }, s.status.silentSeconds);
          const cb = snapshots.find((s) => s.config.name === CIRCUIT_BREAKER_HEARTBEAT);
          if (cb) this.cbStaleness.set(cb.status.silentSeconds);
          for (const v of await slos.list()) this.breached.set({ slo: v.name }, v.state === SloState.Breach ? 1 : 0);
        } finally {
          pending = null;
        }
      })());
    this.cbStaleness = new Gauge({
      name: 'cb_staleness_seconds',
      help: 'Seconds since the last circuit-breaker heartbeat (since the watch began when it never beat)',
      registers: [registry],
      collect: refresh,
    });
    this.heartbeatStaleness = new Gauge({
      name: 'heartbeat_staleness_seconds',
      help: 'Seconds since the last beat of each configured heartbeat',
      labelNames: ['heartbeat'],
      registers: [registry],
      collect: refresh,
    });
    this.breached = new Gauge({
      name: 'slo_breached',
      help: '1 while the SLO is in breach, else 0 (as last evaluated)',
      labelNames: ['slo'],
      registers: [registry],
      collect: refresh,
    });
  }
}
