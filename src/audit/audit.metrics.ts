import { Inject, Injectable } from '@nestjs/common';
import { Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../ops/metrics.registry.js';

@Injectable()
export class AuditMetrics {
  readonly writeDuration: Histogram;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.writeDuration = new Histogram({
      name: 'audit_write_duration_seconds',
      help: 'Time to append one audit entry, from taking the chain lock to the insert',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }
}
