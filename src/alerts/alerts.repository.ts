import { Injectable } from '@nestjs/common';
import { execute, sql, type Tx } from '../db/tx.js';
import type { AlertRecord, IngestSource } from './alert.types.js';

interface AlertRow {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  starts_at: Date;
  ends_at: Date;
  ends_at_given: boolean;
  updated_at: Date;
  generator_url: string;
  source: string;
}

const COLUMNS = 'fingerprint, labels, annotations, starts_at, ends_at, ends_at_given, updated_at, generator_url, source';

export const toAlertRecord = (r: AlertRow): AlertRecord => ({
  fingerprint: r.fingerprint,
  labels: r.labels,
  annotations: r.annotations,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  endsAtGiven: r.ends_at_given,
  updatedAt: r.updated_at,
  generatorURL: r.generator_url,
  source: r.source as IngestSource,
});

export interface AlertListQuery {
  /** true: firing at `now`; false: resolved at `now`; null: both. */
  firing: boolean | null;
  now: Date;
  limit: number;
  /** Keyset position: strictly older than this (startsAt, fingerprint). */
  before: { startsAt: Date; fingerprint: string } | null;
}

/** The `alerts` table (primary key: fingerprint). */
@Injectable()
export class AlertsRepository {
  /** The stored alerts with these fingerprints, locked for this transaction (fingerprint order, so concurrent batches never deadlock). */
  async lockByFingerprints(tx: Tx, fingerprints: readonly string[]): Promise<Map<string, AlertRecord>> {
    if (fingerprints.length === 0) return new Map();
    const rows = await sql<AlertRow>(tx, `SELECT ${COLUMNS} FROM alerts WHERE fingerprint = ANY($1::text[]) ORDER BY fingerprint FOR UPDATE`, [
      [...fingerprints],
    ]);
    return new Map(rows.map((r) => [r.fingerprint, toAlertRecord(r)]));
  }

  /** One INSERT … ON CONFLICT for all alerts (fingerprints must be distinct). */
  async upsertMany(tx: Tx, alerts: readonly AlertRecord[]): Promise<void> {
    if (alerts.length === 0) return;
    await execute(
      tx,
      `INSERT INTO alerts (${COLUMNS})
       SELECT r.fingerprint, r.labels, r.annotations, r.starts_at, r.ends_at, r.ends_at_given, r.updated_at, r.generator_url, r.source
         FROM jsonb_to_recordset($1::jsonb) AS r(fingerprint text, labels jsonb, annotations jsonb, starts_at timestamptz,
              ends_at timestamptz, ends_at_given boolean, updated_at timestamptz, generator_url text, source text)
       ON CONFLICT (fingerprint) DO UPDATE SET
         labels = EXCLUDED.labels, annotations = EXCLUDED.annotations, starts_at = EXCLUDED.starts_at,
         ends_at = EXCLUDED.ends_at, ends_at_given = EXCLUDED.ends_at_given, updated_at = EXCLUDED.updated_at,
         generator_url = EXCLUDED.generator_url, source = EXCLUDED.source`,
      [
        JSON.stringify(
          alerts.map((a) => ({
            fingerprint: a.fingerprint,
            labels: a.labels,
            annotations: a.annotations,
            starts_at: a.startsAt.toISOString(),
            ends_at: a.endsAt.toISOString(),
            ends_at_given: a.endsAtGiven,
            updated_at: a.updatedAt.toISOString(),
            generator_url: a.generatorURL,
            source: a.source,
          })),
        ),
      ],
    );
  }

  /** Alerts firing at `now` (inhibition sources). */
  async listFiring(tx: Tx, now: Date): Promise<AlertRecord[]> {
    const rows = await sql<AlertRow>(tx, `SELECT ${COLUMNS} FROM alerts WHERE ends_at > $1 ORDER BY starts_at, fingerprint`, [now]);
    return rows.map(toAlertRecord);
  }

  /** Newest first (startsAt, then fingerprint), keyset-paginated; fetches `limit + 1` rows. */
  async list(tx: Tx, q: AlertListQuery): Promise<AlertRecord[]> {
    const params: unknown[] = [q.limit + 1];
    const where: string[] = [];
    if (q.firing !== null) {
      params.push(q.now);
      where.push(q.firing ? `ends_at > $${params.length}` : `ends_at <= $${params.length}`);
    }
    if (q.before) {
      params.push(q.before.startsAt, q.before.fingerprint);
      where.push(`(starts_at, fingerprint) < ($${params.length - 1}, $${params.length})`);
    }
    const rows = await sql<AlertRow>(
      tx,
      `SELECT ${COLUMNS} FROM alerts ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY starts_at DESC, fingerprint DESC LIMIT $1`,
      params,
    );
    return rows.map(toAlertRecord);
  }

  /** Resolved before `cutoff` and no longer in any notification group. */
  async deleteResolvedBefore(tx: Tx, cutoff: Date): Promise<number> {
    return execute(
      tx,
      `DELETE FROM alerts a WHERE a.ends_at < $1
         AND NOT EXISTS (SELECT 1 FROM group_alerts ga WHERE ga.fingerprint = a.fingerprint)`,
      [cutoff],
    );
  }
}
