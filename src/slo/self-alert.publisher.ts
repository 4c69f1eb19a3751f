import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AlertIngestService } from '../alerts/alert-ingest.service.js';
import { type IncomingAlert, IngestSource } from '../alerts/alert.types.js';
import { ROOT_LOGGER } from '../common/tokens.js';
import { Database } from '../db/database.service.js';
import type { DesiredSelfAlert } from './slo-math.js';
import { SloRepository } from './slo.repository.js';

/**
 * Raises and resolves Tocsin's alerts about itself through its own routing: the same ingest
 * path as `POST /api/v1/alerts`. Firing alerts are posted again on every evaluation (as
 * Prometheus re-sends, so they never time out while the breach lasts); an alert that stopped
 * being wanted is posted once more with `endsAt = now`, which resolves it.
 */
@Injectable()
export class SelfAlertPublisher {
  constructor(
    private readonly db: Database,
    private readonly repo: SloRepository,
    private readonly ingest: AlertIngestService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async reconcile(desired: readonly DesiredSelfAlert[], now: Date): Promise<void> {
    const posted = new Map((await this.repo.selfAlerts(this.db.reader)).map((p) => [p.key, p]));
    const wanted = new Set(desired.map((d) => d.key));
    const resolving = [...posted.values()].filter((p) => p.firing && !wanted.has(p.key));
    const batch: IncomingAlert[] = [
      ...desired.map((d) => ({ labels: d.labels, annotations: d.annotations, startsAt: d.startsAt, endsAt: null })),
      ...resolving.map((p) => ({ labels: p.labels, annotations: { summary: `${p.labels.alertname} recovered` }, startsAt: p.startsAt, endsAt: now })),
    ].map((a, index) => ({ ...a, index, generatorURL: '' }));
    if (batch.length === 0) return;

    await this.ingest.ingest(batch, IngestSource.Tocsin);
    for (const d of desired) {
      if (!posted.get(d.key)?.firing) this.logger.warn({ selfAlert: d.labels }, `raised ${d.labels.alertname}`);
      await this.repo.saveSelfAlert(this.db.reader, { key: d.key, labels: d.labels, firing: true, startsAt: d.startsAt, postedAt: now });
    }
    for (const p of resolving) {
      this.logger.info({ selfAlert: p.labels }, `resolved ${p.labels.alertname}`);
      await this.repo.saveSelfAlert(this.db.reader, { ...p, firing: false, postedAt: now });
    }
  }
}
