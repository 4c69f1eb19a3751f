import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../ops/metrics.registry.js';

@Injectable()
export class AlertsMetrics {
  /** Alerts accepted, by source (api_v2, api_v1, alertmanager_webhook, grafana, tocsin for its own SLO alerts). */
  readonly received: Counter<'source'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.received = new Counter({
      name: 'alerts_received_total',
      help: 'Alerts accepted by the ingest endpoints, by source',
      labelNames: ['source'],
      registers: [registry],
    });
  }
}
