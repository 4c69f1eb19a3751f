import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { Channel } from '../channels/channel-adapter.js';
import { Database } from '../db/database.service.js';
import { METRICS_REGISTRY } from '../ops/metrics.registry.js';
import { DeliveryRepository } from './delivery.repository.js';

/** Attempt outcomes as `alert_deliveries_total{outcome}` counts them. */
export enum DeliveryMetricOutcome {
  Delivered = 'delivered',
  Retry = 'retry',
  Poison = 'poison',
  Released = 'released',
}

@Injectable()
export class DeliveryMetrics {
  /** From the moment a notification became due (flush or replay) to the provider's acceptance. */
  readonly latency: Histogram<'channel'>;
  readonly deliveries: Counter<'channel' | 'outcome'>;
  readonly rateLimitEvents: Counter<'channel'>;
  readonly poisonQueue: Gauge<'channel'>;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    db: Database,
    repo: DeliveryRepository,
  ) {
    this.latency = new Histogram({
      name: 'alert_delivery_latency_seconds',
      help: 'Time from a notification becoming due to its acceptance by the provider',
      labelNames: ['channel'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    });
    this.deliveries = new Counter({
      name: 'alert_deliveries_total',
      help: 'Delivery attempts by channel and outcome (delivered, retry, poison, released)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    });
    this.rateLimitEvents = new Counter({
      name: 'rate_limit_events_total',
      help: 'Deliveries that had to wait for a rate-limit token',
      labelNames: ['channel'],
      registers: [registry],
    });
    this.poisonQueue = new Gauge({
      name: 'alert_poison_queue_size',
      help: 'Deliveries in the poison queue, by channel (read from the database at scrape time)',
      labelNames: ['channel'],
      registers: [registry],
      async collect() {
        const counts = await repo.poisonCounts(db.reader);
        for (const channel of Object.values(Channel)) this.set({ channel }, counts.get(channel) ?? 0);
      },
    });
  }
}
