import { Injectable } from '@nestjs/common';
import { execute, sql, type Tx } from '../db/tx.js';
import { PAUSE_STATE_NAME } from './delivery.repository.js';

/** The pause switch as `ops_state` stores it (`value` jsonb under the name `delivery.pause`). */
export interface PauseState {
  paused: boolean;
  /** When the current state (paused or running) began; null if deliveries were never paused. */
  since: string | null;
  /** Name of the key that set it. */
  by: string | null;
  reason: string | null;
}

export const NEVER_PAUSED: PauseState = { paused: false, since: null, by: null, reason: null };

@Injectable()
export class DeliveryPauseRepository {
  async read(tx: Tx): Promise<PauseState> {
    const rows = await sql<{ value: Partial<PauseState> }>(tx, `SELECT value FROM ops_state WHERE name = $1`, [PAUSE_STATE_NAME]);
    const value = rows[0]?.value;
    if (!value) return { ...NEVER_PAUSED };
    return {
      paused: value.paused === true,
      since: typeof value.since === 'string' ? value.since : null,
      by: typeof value.by === 'string' ? value.by : null,
      reason: typeof value.reason === 'string' ? value.reason : null,
    };
  }

  /** Locks the row (creating it when missing) so two pause/resume calls apply one after the other. */
  async lock(tx: Tx): Promise<PauseState> {
    await execute(
      tx,
      `INSERT INTO ops_state (name, value, updated_at) VALUES ($1, $2::jsonb, now()) ON CONFLICT (name) DO NOTHING`,
      [PAUSE_STATE_NAME, JSON.stringify(NEVER_PAUSED)],
    );
    await sql(tx, `SELECT 1 FROM ops_state WHERE name = $1 FOR UPDATE`, [PAUSE_STATE_NAME]);
    return this.read(tx);
  }

  async write(tx: Tx, state: PauseState): Promise<void> {
    await execute(tx, `UPDATE ops_state SET value = $2::jsonb, updated_at = now() WHERE name = $1`, [
      PAUSE_STATE_NAME,
      JSON.stringify(state),
    ]);
  }

  /** Wakes every replica's workers when the transaction commits (after a resume). */
  async wakeWorkers(tx: Tx): Promise<void> {
    await sql(tx, `SELECT pg_notify('tocsin_deliveries', 'resume')`);
  }
}
