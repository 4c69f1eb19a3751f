import pg from 'pg';
import { Channel } from '../../../src/channels/channel-adapter.js';
import { Database } from '../../../src/db/database.service.js';
import { sql } from '../../../src/db/tx.js';
import { DeliveryOutboxRepository } from '../../../src/delivery/delivery-outbox.repository.js';
import type { TestApp } from '../../setup/app.js';
import { makeNotificationData } from '../../factories/notification.factory.js';

export interface PoisonSpec {
  receiver: string;
  channel?: Channel;
  recipient?: string;
  /** When it failed (default now). */
  failedAt?: Date;
  errorMessage?: string;
  retryCount?: number;
  fingerprints?: string[];
}

/**
 * Inserts deliveries through the outbox repository and parks them in poison in the same
 * transaction (so no worker ever sees them pending). Returns their ids in input order.
 */
export async function insertPoison(app: TestApp, specs: PoisonSpec[]): Promise<string[]> {
  const db = app.app.get(Database);
  const outbox = app.app.get(DeliveryOutboxRepository);
  return db.transaction(async (tx) => {
    const ids = await outbox.insertPending(
      tx,
      specs.map((s) => ({
        channel: s.channel ?? Channel.Webhook,
        recipient: s.recipient ?? 'http://127.0.0.1',
        receiver: s.receiver,
        targetKey: `${s.channel ?? Channel.Webhook}:0`,
        groupId: null,
        groupKey: `{}:{alertname="PoisonTest",receiver="${s.receiver}"}`,
        fingerprints: s.fingerprints ?? ['1000000000000000'],
        payload: makeNotificationData({ overrides: { receiver: s.receiver } }),
        dueAt: new Date(Date.now() - 60_000),
      })),
    );
    for (const [i, id] of ids.entries()) {
      const s = specs[i];
      await sql(
        tx,
        `UPDATE alert_deliveries SET status = 'poison', failed_at = $2, error_message = $3, retry_count = $4 WHERE id = $1`,
        [id, s.failedAt ?? new Date(), s.errorMessage ?? 'webhook answered 400: invalid payload', s.retryCount ?? 1],
      );
    }
    return ids;
  });
}

/** A plain connection to the run's database, for the SQL an operator would type. */
export async function openPg(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

export async function api(app: TestApp, method: string, path: string, body?: unknown, headers = app.admin): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
